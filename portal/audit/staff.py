"""The staff door writes every read and write of client data through this one function."""

from __future__ import annotations

import uuid
from typing import Any

from portal.alkupalvelu.models import StaffMember
from portal.audit.log import record
from portal.audit.models import AuditEvent


def primary_role(staff: StaffMember) -> str | None:
    """The role the access was made in: the most specific one the person holds."""
    for role in ("terveydenhoitaja", "tiiminvetaja", "sosiaaliohjaaja", "paakayttaja"):
        if role in (staff.roles or ()):
            return role
    return None


def staff_access(
    staff: StaffMember,
    action: str,
    *,
    person_id: uuid.UUID | None,
    case_id: uuid.UUID | None = None,
    submission_id: uuid.UUID | None = None,
    what: str,
    **detail: Any,
) -> AuditEvent:
    """Record that `staff` touched `person_id`'s data: `action` is why, `what` the field group."""
    return record(
        "staff",
        str(staff.id),
        action,
        person_id=person_id,
        case_id=case_id,
        submission_id=submission_id,
        actor_role=primary_role(staff),
        team_id=staff.team_id,
        what=what,
        **detail,
    )
