"""A person's drafts and their sent, immutable submissions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import JsonDoc, db, new_id, utcnow
from portal.hetu import age_on, mask


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
    # The language and register chosen last time, restored at the next login.
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    preferred_register: Mapped[str | None] = mapped_column(String(8))

    @property
    def masked_hetu(self) -> str:
        return mask(self.hetu)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def age_on(self, day: date) -> int:
        return age_on(self.hetu, day)


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
    # Who filled in: see Authorship. A correction draft names the submission it corrects.
    delegate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    authors: Mapped[dict[str, str]] = mapped_column(JsonDoc, default=dict)
    helpers: Mapped[list[dict[str, str]]] = mapped_column(JsonDoc, default=list)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    delegate: Mapped[Person | None] = relationship(foreign_keys=[delegate_id])


class Submission(db.Model):
    """What was sent: the answers frozen with the questionnaire version they answered."""

    __tablename__ = "submission"
    # A case's forms, and "has this case an esitieto?", read from the index alone.
    __table_args__ = (Index("ix_submission_case_questionnaire", "case_id", "questionnaire_id"),)
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
    # Computed when sent, by the rules of the definition version answered; staff-only flags.
    scores: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    flags: Mapped[list[Any]] = mapped_column(JsonDoc, default=list)
    # The client case this submission belongs to (one open case per person and team).
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("client_case.id"))
    # Authorship, kept apart from the subject as FHIR's QuestionnaireResponse keeps `author`
    # and `source` apart: the delegate who started it on the person's behalf (a Suomi.fi
    # mandate), who gave each answer (question id → person id), who sat beside the person
    # (name, relation), who pressed send, and when the person confirmed answers given for them.
    delegate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    authors: Mapped[dict[str, str]] = mapped_column(JsonDoc, default=dict)
    helpers: Mapped[list[dict[str, str]]] = mapped_column(JsonDoc, default=list)
    sent_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A correction the person sent of answers given on their behalf replaces this one.
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    delegate: Mapped[Person | None] = relationship(foreign_keys=[delegate_id])
    sent_by: Mapped[Person | None] = relationship(foreign_keys=[sent_by_id])
    team = relationship("Team")
    case = relationship("ClientCase", back_populates="submissions")
    routing_rule = relationship("RoutingRule")


class PersonAnswer(db.Model):
    """A shared question's one stored answer per person: asked once, offered again prefilled.

    Submissions keep their own frozen copy; this is the latest answer the person gave.
    """

    __tablename__ = "person_answer"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JsonDoc)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Consent(db.Model):
    """Consent for information exchange with one party, modelled on Kela's Y100 form.

    Given with the saate; withdrawn later from the person's own page (the time is kept).
    """

    __tablename__ = "consent"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))
    party: Mapped[str] = mapped_column(String(32))
    party_name: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(db.Text)
    includes_health: Mapped[bool] = mapped_column(db.Boolean, default=False)
    valid_until: Mapped[date | None] = mapped_column(db.Date)
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A delegate who gave it on the person's behalf with a Suomi.fi mandate (None: the person).
    given_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))

    given_by: Mapped[Person | None] = relationship(foreign_keys=[given_by_id])

    def in_force(self, today: date) -> bool:
        return self.withdrawn_at is None and (self.valid_until is None or self.valid_until >= today)
