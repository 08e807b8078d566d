"""Teams, the municipalities they serve, routing rules and the staff who work the queues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
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


class Municipality(db.Model):
    __tablename__ = "municipality"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class RoutingRule(db.Model):
    """Municipality (optionally one questionnaire) → team. Rules are data, not code."""

    __tablename__ = "routing_rule"
    __table_args__ = (UniqueConstraint("municipality_code", "questionnaire_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"))
    questionnaire_id: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    team: Mapped[Team] = relationship()


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
