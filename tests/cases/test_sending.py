"""Sending: one draft becomes exactly one submission, even when two requests race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.cases.drafts import find_or_start
from portal.cases.models import Draft, Person, Submission
from portal.cases.sending import DraftIncomplete, send
from portal.db import db
from portal.questionnaires import registry
from portal.questionnaires.path import Path


def _person() -> Person:
    person = Person(
        hetu="010280-952L", given_names="Aada Testi", family_name="Demola", municipality_code="179"
    )
    db.session.add(person)
    db.session.commit()
    return person


def _complete_draft(person: Person) -> Draft:
    q = registry.get("esitieto")
    draft = find_or_start(person, q)
    draft.answers = {"phone": "040 123 4567"}
    draft.completed_pages = [p.id for p in Path.for_answers(q, draft.answers).pages]
    db.session.commit()
    return draft


def test_an_incomplete_draft_cannot_be_sent(app, demo):
    person = _person()
    draft = find_or_start(person, registry.get("esitieto"))
    db.session.commit()
    with pytest.raises(DraftIncomplete):
        send(draft, registry.get("esitieto"), person)


def test_sending_twice_returns_the_first_submission(app, demo):
    person = _person()
    draft = _complete_draft(person)
    draft_id = draft.id
    first = send(draft, registry.get("esitieto"), person)
    again = send(
        Draft(
            id=draft_id,
            person_id=person.id,
            questionnaire_id="esitieto",
            questionnaire_version=1,
            answers={},
            completed_pages=[],
        ),
        registry.get("esitieto"),
        person,
    )
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


def test_two_requests_sending_at_the_same_moment_make_one_submission(app, demo):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("racing transactions need a server database; this runs on PostgreSQL")
    person_id = _person().id
    draft_id = _complete_draft(db.session.get(Person, person_id)).id
    barrier = threading.Barrier(2)
    results: list[object] = []

    def request() -> None:
        with app.app_context():
            person = db.session.get(Person, person_id)
            draft = db.session.get(Draft, draft_id)
            barrier.wait()
            try:
                results.append(send(draft, registry.get("esitieto"), person).id)
            except Exception as exc:  # reported below, not swallowed
                results.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 2 and not any(isinstance(r, Exception) for r in results), results
    assert results[0] == results[1]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
