"""The staff door writes every read and write of client data through this one function."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert

from portal.alkupalvelu.models import StaffMember
from portal.audit.log import record
from portal.audit.models import AuditEvent
from portal.db import db, utcnow


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


def staff_list_access(
    staff: StaffMember,
    action: str,
    shown: list[tuple[uuid.UUID, uuid.UUID | None]],
    *,
    what: str,
) -> None:
    """A list view showed these people's data: one event per (person, case) shown.

    One multi-row INSERT in the request's transaction rather than an ORM object per row: the
    inbox writes 50 of these on every page (bench/inbox.py).
    """
    if not shown:
        return
    role, now = primary_role(staff), utcnow()
    db.session.execute(
        insert(AuditEvent),
        [
            {
                "at": now,
                "actor_kind": "staff",
                "actor_id": str(staff.id),
                "actor_role": role,
                "team_id": staff.team_id,
                "action": action,
                "person_id": person_id,
                "case_id": case_id,
                "submission_id": None,
                "detail": {"what": what},
            }
            for person_id, case_id in shown
        ],
    )
