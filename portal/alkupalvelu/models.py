"""Teams, the municipalities they serve, routing rules and the staff who work the queues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import JsonDoc, db, utcnow


class Team(db.Model):
    """An alkupalvelu team: the low-threshold intake of a work-ability team."""

    __tablename__ = "team"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    # The team that receives submissions no rule matches.
    is_central: Mapped[bool] = mapped_column(Boolean, default=False)
    # The team's contact promise: working days from arrival (Finnish public holidays excluded).
    contact_working_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")


class Municipality(db.Model):
    __tablename__ = "municipality"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class RoutingRule(db.Model):
    """Municipality (optionally a questionnaire and/or a flag) → team. Rules are data.

    Rules are never edited in place: a change retires the old row and adds a new one, so each
    submission keeps pointing at the exact rule that routed it and the history shows who changed
    what and when.
    """

    __tablename__ = "routing_rule"
    __table_args__ = (
        Index(
            "uq_routing_rule_active",
            "municipality_code",
            func.coalesce(text("questionnaire_id"), ""),
            func.coalesce(text("flag_id"), ""),
            unique=True,
            postgresql_where=text("retired_at IS NULL"),
            sqlite_where=text("retired_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    questionnaire_id: Mapped[str | None] = mapped_column(String(64))
    flag_id: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # Why a rule was removed without a successor (a successor carries its own `reason`).
    retired_reason: Mapped[str | None] = mapped_column(Text)
    # The rule this one replaced, so a rule's versions read as a chain.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rule.id"))

    team: Mapped[Team] = relationship()
    municipality: Mapped[Municipality] = relationship()
    author = relationship("StaffMember", foreign_keys=[created_by])
    retirer = relationship("StaffMember", foreign_keys=[retired_by])


class StaffMember(db.Model):
    """A staff member known by the subject of the organisation's identity provider."""

    __tablename__ = "staff_member"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    oidc_sub: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    roles: Mapped[list[Any]] = mapped_column(JsonDoc, default=list)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    team: Mapped[Team | None] = relationship()
