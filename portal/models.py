"""Every model, imported in one place so Alembic and the app see the same metadata."""

from portal.alkupalvelu.models import Municipality, RoutingRule, StaffMember, Team
from portal.audit.models import AuditEvent
from portal.auth.sessions import WebSession
from portal.cases.models import Consent, Draft, Person, PersonAnswer, Submission

__all__ = [
    "AuditEvent",
    "Consent",
    "Draft",
    "Municipality",
    "Person",
    "PersonAnswer",
    "RoutingRule",
    "StaffMember",
    "Submission",
    "Team",
    "WebSession",
]
