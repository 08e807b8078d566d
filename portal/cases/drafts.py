"""Drafts: a person's answers in progress, saved page by page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.cases.models import Draft, Person
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
            answers={},
            completed_pages=[],
        )
        db.session.add(draft)
        db.session.flush()
    return draft


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
    draft.completed_pages = completed
    draft.current_page = page_id
    draft.questionnaire_version = questionnaire.version
    db.session.commit()


def resume_page(draft: Draft, questionnaire: Questionnaire) -> str | None:
    """Where the person left: the first page not yet completed (None: ready to check)."""
    page = Path.for_answers(questionnaire, draft.answers).first_incomplete(draft.completed_pages)
    return page.id if page else None
