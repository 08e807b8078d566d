"""One function writes the audit log, so every access is recorded the same way."""

from __future__ import annotations

import uuid
from typing import Any

from portal.audit.models import AuditEvent
from portal.db import db


def record(
    actor_kind: str,
    actor_id: str,
    action: str,
    *,
    person_id: uuid.UUID | None = None,
    submission_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    actor_role: str | None = None,
    team_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an event to the current transaction; it commits with the access it describes.

    `action` says why (the action taken), `detail["what"]` which field group was touched.
    """
    event = AuditEvent(
        actor_kind=actor_kind,
        actor_id=str(actor_id),
        actor_role=actor_role,
        team_id=team_id,
        action=action,
        person_id=person_id,
        case_id=case_id,
        submission_id=submission_id,
        detail=detail,
    )
    db.session.add(event)
    return event
