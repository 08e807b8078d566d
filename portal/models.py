"""Every model, imported in one place so Alembic and the app see the same metadata."""

from portal.alkupalvelu.models import Municipality, RoutingRule, StaffMember, Team
from portal.audit.models import AuditEvent
from portal.auth.sessions import WebSession
from portal.cases.client_case import CaseEntry, CaseEvent, CaseFlag, ClientCase, PlanVersion
from portal.cases.models import Consent, Draft, Person, PersonAnswer, Submission
from portal.notify.models import OutboxMessage

__all__ = [
    "AuditEvent",
    "CaseEntry",
    "CaseEvent",
    "CaseFlag",
    "ClientCase",
    "Consent",
    "Draft",
    "Municipality",
    "OutboxMessage",
    "Person",
    "PersonAnswer",
    "PlanVersion",
    "RoutingRule",
    "StaffMember",
    "Submission",
    "Team",
    "WebSession",
]
