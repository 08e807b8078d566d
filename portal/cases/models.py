"""A person's drafts and their sent, immutable submissions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import JsonDoc, db, new_id, utcnow
from portal.hetu import birth_date, mask


class Person(db.Model):
    """A citizen, known from verified Suomi.fi claims only."""

    __tablename__ = "person"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    hetu: Mapped[str] = mapped_column(String(11), unique=True)
    given_names: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    municipality_code: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def masked_hetu(self) -> str:
        return mask(self.hetu)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = birth_date(self.hetu)
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Draft(db.Model):
    """Answers in progress: saved on every page, one draft per person and questionnaire."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("person_id", "questionnaire_id"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    completed_pages: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    current_page: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    person: Mapped[Person] = relationship()


class Submission(db.Model):
    """What was sent: the answers frozen with the questionnaire version they answered."""

    __tablename__ = "submission"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    # Unique: a draft can become at most one submission, whatever the browser does.
    draft_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    municipality_code: Mapped[str | None] = mapped_column(String(3))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    routing_rule_id: Mapped[int | None] = mapped_column(ForeignKey("routing_rule.id"))
    contact_due: Mapped[date] = mapped_column(db.Date)

    person: Mapped[Person] = relationship()
    team = relationship("Team")
