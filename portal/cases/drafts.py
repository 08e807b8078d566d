"""Drafts: a person's answers in progress, saved page by page.

Shared questions are asked once: a new draft starts with the person's earlier answers to them
(shown prefilled, to be confirmed or changed), and each confirmed page keeps the latest answers
as the person's own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.cases.models import Draft, Person, PersonAnswer
from portal.db import db
from portal.questionnaires.definition import Questionnaire
from portal.questionnaires.path import Path, prune


def find(person: Person, questionnaire: Questionnaire) -> Draft | None:
    return db.session.scalars(
        select(Draft).where(
            Draft.person_id == person.id, Draft.questionnaire_id == questionnaire.id
        )
    ).first()


def find_or_start(person: Person, questionnaire: Questionnaire) -> Draft:
    draft = find(person, questionnaire)
    if draft is None:
        draft = Draft(
            person_id=person.id,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            answers=prune(questionnaire, shared_answers(person, questionnaire)),
            completed_pages=[],
        )
        db.session.add(draft)
        db.session.flush()
    return draft


def shared_answers(person: Person, questionnaire: Questionnaire) -> dict[str, Any]:
    """The person's stored answers to the shared questions this questionnaire asks."""
    ids = [q.id for q in questionnaire.questions() if q.shared]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(PersonAnswer).where(
            PersonAnswer.person_id == person.id, PersonAnswer.question_id.in_(ids)
        )
    )
    return {row.question_id: row.value for row in rows}


def save_page(
    draft: Draft,
    questionnaire: Questionnaire,
    page_id: str,
    page_answers: dict[str, Any],
    *,
    complete: bool = True,
) -> None:
    """Store this page's answers (None removes one) and drop answers that became hidden."""
    answers = dict(draft.answers)
    for key, value in page_answers.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    draft.answers = prune(questionnaire, answers)
    path = Path.for_answers(questionnaire, draft.answers)
    completed = [p for p in draft.completed_pages if p in path and p != page_id]
    if complete:
        completed.append(page_id)
        _remember_shared(draft, questionnaire, page_id)
    draft.completed_pages = completed
    draft.current_page = page_id
    draft.questionnaire_version = questionnaire.version
    db.session.commit()


def _remember_shared(draft: Draft, questionnaire: Questionnaire, page_id: str) -> None:
    """Keep the latest answer to each shared question of a confirmed page as the person's."""
    shared = [q.id for q in questionnaire.page(page_id).questions if q.shared]
    if not shared:
        return
    stored = {
        row.question_id: row
        for row in db.session.scalars(
            select(PersonAnswer).where(
                PersonAnswer.person_id == draft.person_id, PersonAnswer.question_id.in_(shared)
            )
        )
    }
    for question_id in shared:
        value, row = draft.answers.get(question_id), stored.get(question_id)
        if value is None and row is not None:
            db.session.delete(row)
        elif value is not None and row is None:
            db.session.add(
                PersonAnswer(person_id=draft.person_id, question_id=question_id, value=value)
            )
        elif value is not None and row.value != value:
            row.value = value


def resume_page(draft: Draft, questionnaire: Questionnaire) -> str | None:
    """Where the person left: the first page not yet completed (None: ready to check)."""
    page = Path.for_answers(questionnaire, draft.answers).first_incomplete(draft.completed_pages)
    return page.id if page else None
