"""Append-only record of who touched whose data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import JsonDoc, db, utcnow


class AuditEvent(db.Model):
    """Who (actor and role), when, whose data (person, case, submission), what (field group in
    `detail.what`) and why (`action`). The database refuses UPDATE and DELETE on this table
    (triggers in migration 0005 and in portal.audit.append_only for tests' fresh schemas)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_person_at", "person_id", "at"),
        # The lead's search by staff member or by action, newest first.
        Index("ix_audit_event_actor", "actor_id", "id"),
        Index("ix_audit_event_action", "action", "id"),
    )
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))  # citizen | staff | system
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    submission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
