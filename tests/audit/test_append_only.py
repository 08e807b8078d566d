"""The audit log is append-only in the database: UPDATE and DELETE are refused by triggers."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.audit.log import record
from portal.audit.models import AuditEvent
from portal.db import db


def _event() -> AuditEvent:
    event = record("system", "test", "test.recorded", person_id=uuid.uuid4(), what="nothing")
    db.session.commit()
    return event


def _unchanged(event_id: int, action: str) -> None:
    db.session.rollback()
    db.session.expire_all()
    row = db.session.execute(
        text("SELECT action FROM audit_event WHERE id = :id"), {"id": event_id}
    ).one()
    assert row.action == action


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'changed' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
)
def test_update_and_delete_are_refused_by_the_database(app, statement):
    event_id = _event().id
    with pytest.raises(DBAPIError) as refused:
        db.session.execute(text(statement), {"id": event_id})
    assert "append-only" in str(refused.value)
    _unchanged(event_id, "test.recorded")


def test_the_orm_cannot_edit_or_delete_an_event_either(app):
    event = _event()
    event_id = event.id  # read now: after a failed flush the object cannot be refreshed
    event.action = "changed"
    with pytest.raises(DBAPIError):
        db.session.commit()
    _unchanged(event_id, "test.recorded")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.id == event_id)).one()
    db.session.delete(event)
    with pytest.raises(DBAPIError):
        db.session.commit()
    _unchanged(event_id, "test.recorded")


def test_truncate_is_refused_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE is refused above)")
    event_id = _event().id
    with pytest.raises(DBAPIError):
        db.session.execute(text("TRUNCATE audit_event"))
    _unchanged(event_id, "test.recorded")


def test_inserting_still_works(app):
    first, second = _event(), _event()
    assert second.id > first.id
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.id == first.id)) == (
        "test.recorded"
    )
