"""The client case: everything one person sent to one team, worked as one row in the queue.

A case groups the person's submissions (saate, self-assessment, esitieto) while it is open;
its events are the status history both the instructor and the citizen see (the citizen a
plainer version), its entries are internal notes, messages to the client and the contact log.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import JsonDoc, db, new_id, utcnow


class Status(StrEnum):
    NEW = "uusi"
    IN_PROGRESS = "tyon_alla"
    WAITING = "odottaa"
    FORWARDED = "ohjattu"
    CLOSED = "paattynyt"


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.FORWARDED)

# Labels are marked for translation where they are shown (portal/alkupalvelu/labels.py).
STATUS_ORDER = tuple(Status)

# Where a case can be forwarded (ohjattu eteenpäin); `muu` names the service in free text.
DESTINATIONS = ("tyokykytiimi", "terveystarkastus", "typ", "sosiaalipalvelut", "kela", "muu")

# Asiakkuussegmentit of the work-ability model (seeds: omatoimi-, yhteisö-, verkosto- and
# yhteistyöasiakkuus), from the least to the most support needed.
SEGMENTS = ("omatoimi", "yhteiso", "verkosto", "yhteistyo")

# Contact log channels and the kinds of entries on a case.
CONTACT_CHANNELS = ("phone", "meeting", "message", "other")
ENTRY_KINDS = ("note", "message", "contact")


class ClientCase(db.Model):
    __tablename__ = "client_case"
    __table_args__ = (
        # The inbox tabs read these in index order (see portal/alkupalvelu/inbox.py, bench/).
        Index("ix_client_case_queue", "team_id", "status", "contact_due", "id"),
        Index("ix_client_case_assignee", "assignee_id", "status", "contact_due", "id"),
        # Open cases only (7 % of a mature table): the working tabs and their counts.
        Index(
            "ix_client_case_open_due",
            "team_id",
            "contact_due",
            "id",
            postgresql_where=text("status <> 'paattynyt'"),
            sqlite_where=text("status <> 'paattynyt'"),
        ),
        Index(
            "ix_client_case_open_assignee",
            "team_id",
            "assignee_id",
            "contact_due",
            "id",
            postgresql_include=["status", "waiting_until"],
            postgresql_where=text("status <> 'paattynyt'"),
            sqlite_where=text("status <> 'paattynyt'"),
        ),
        Index("ix_client_case_closed", "team_id", "status", "closed_at", "id"),
        Index("ix_client_case_opened", "team_id", "opened_at", "id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    municipality_code: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default=Status.NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_submission_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    contact_due: Mapped[date] = mapped_column(db.Date)
    first_contact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Odottaa asiakasta until this date; after it the case is back in the working tabs.
    waiting_until: Mapped[date | None] = mapped_column(db.Date)
    destination: Mapped[str | None] = mapped_column(String(32))
    destination_detail: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    segment: Mapped[str | None] = mapped_column(String(16))
    segment_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    segment_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The instructor's part of the saate: havainnot ja johtopäätökset, koonti verkostosta,
    # tiedot saatteelle koonnut — with who saved it and when.
    staff_saate: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)

    person = relationship("Person")
    team = relationship("Team")
    assignee = relationship("StaffMember", foreign_keys=[assignee_id])
    submissions = relationship(
        "Submission", back_populates="case", order_by="Submission.submitted_at"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    flag_rows: Mapped[list[CaseFlag]] = relationship(cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    def hold_ended(self, today: date) -> bool:
        """A timed hold whose date has come: the case is back in the working tabs."""
        return (
            self.status == Status.WAITING
            and self.waiting_until is not None
            and self.waiting_until <= today
        )


class CaseFlag(db.Model):
    """The flags of the case's submissions, one row each, so the inbox can filter by flag."""

    __tablename__ = "case_flag"
    __table_args__ = (Index("ix_case_flag_flag", "flag_id", "case_id"),)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("client_case.id"), primary_key=True)
    flag_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class CaseEvent(db.Model):
    """One step in the case's history: received, claimed, status changes, forwarding, plan."""

    __tablename__ = "case_event"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("client_case.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    kind: Mapped[str] = mapped_column(String(32))
    status_from: Mapped[str | None] = mapped_column(String(16))
    status_to: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)

    case: Mapped[ClientCase] = relationship(back_populates="events")
    staff = relationship("StaffMember")


class CaseEntry(db.Model):
    """A note (staff only), a message to the client, or a contact log entry."""

    __tablename__ = "case_entry"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("client_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author = relationship("StaffMember")


class PlanVersion(db.Model):
    """One version of the suunnitelma (LIITE 3, second part); never edited, only followed up.

    `content`: goals [{goal, actions, coordinator, schedule}], asiakasvastaava {name, title,
    phone, email}, notes. `kind`: laadittu (first), seuranta (follow-up), paivitys (update).
    """

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("case_id", "number"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("client_case.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    content: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    follow_up_on: Mapped[date | None] = mapped_column(db.Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))

    author = relationship("StaffMember")
