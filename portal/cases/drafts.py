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


def find_or_start(
    person: Person, questionnaire: Questionnaire, *, delegate: Person | None = None
) -> Draft:
    """The person's draft, or a new one. A delegate's new draft starts empty: the person's
    earlier answers are theirs, not the delegate's to see."""
    draft = find(person, questionnaire)
    if draft is None:
        draft = Draft(
            person_id=person.id,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            answers=(
                {} if delegate else prune(questionnaire, shared_answers(person, questionnaire))
            ),
            completed_pages=[],
            delegate_id=delegate.id if delegate else None,
            authors={},
            helpers=[],
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
    author: Person | None = None,
    helper: dict[str, str] | None = None,
) -> None:
    """Store this page's answers (None removes one) and drop answers that became hidden.

    `author` (default: the person) is recorded for each answer it gave or changed; an
    unchanged answer keeps its author. `helper` is someone sitting beside the person.
    """
    author_id = str(author.id if author else draft.person_id)
    answers, authors = dict(draft.answers), dict(draft.authors or {})
    for key, value in page_answers.items():
        if value is None:
            answers.pop(key, None)
        else:
            if answers.get(key) != value or key not in authors:
                authors[key] = author_id
            answers[key] = value
    draft.answers = prune(questionnaire, answers)
    draft.authors = {k: v for k, v in authors.items() if k in draft.answers}
    if helper and helper not in (draft.helpers or []):
        draft.helpers = [*(draft.helpers or []), helper]
    path = Path.for_answers(questionnaire, draft.answers)
    completed = [p for p in draft.completed_pages if p in path and p != page_id]
    if complete:
        completed.append(page_id)
        if author_id == str(draft.person_id):
            # Only the person's own answers are kept as theirs to offer again (ask once).
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
