"""Who gave each answer, and what waits for the person's confirmation.

Drafts and submissions keep `authors` (question id → person id): the person themselves, or a
delegate who acted for them with a Suomi.fi mandate. An answer the person leaves unchanged
keeps its author; one they change becomes theirs. `helpers` are people who sat beside the
person (name and relation, as the person gave them). FHIR's QuestionnaireResponse keeps
`author` and `source` apart in the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from portal.cases.models import Draft, Person, Submission
from portal.db import db, utcnow


@dataclass(frozen=True)
class Authorship:
    subject_id: str
    authors: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)  # other authors: person id → name

    def by_other(self, question_id: str) -> str | None:
        """The name of whoever else gave this answer; None when it is the person's own."""
        author = self.authors.get(question_id)
        if author is None or author == self.subject_id:
            return None
        return self.names.get(author, "?")

    @property
    def others(self) -> list[str]:
        """Names of everyone but the person who gave answers, in a stable order."""
        ids = sorted({a for a in self.authors.values() if a != self.subject_id})
        return [self.names.get(a, "?") for a in ids]


def of(row: Draft | Submission) -> Authorship:
    authors = dict(row.authors or {})
    subject = str(row.person_id)
    other_ids = {uuid.UUID(a) for a in authors.values() if a != subject}
    names = {}
    if other_ids:
        names = {
            str(p.id): p.full_name
            for p in db.session.scalars(select(Person).where(Person.id.in_(other_ids)))
        }
    return Authorship(subject_id=subject, authors=authors, names=names)


def given_for(row: Draft | Submission) -> bool:
    """Did someone else give any of these answers?"""
    subject = str(row.person_id)
    return any(a != subject for a in (row.authors or {}).values())


def awaiting_confirmation(person: Person) -> list[Draft | Submission]:
    """The person's drafts and submissions with answers given on their behalf, not yet
    confirmed, and (for a submission) not replaced by a correction the person sent."""
    corrections = aliased(Submission)
    submissions = db.session.scalars(
        select(Submission)
        .where(
            Submission.person_id == person.id,
            Submission.delegate_id.is_not(None),
            Submission.confirmed_at.is_(None),
            ~exists().where(corrections.corrects_id == Submission.id),
        )
        .order_by(Submission.submitted_at.desc())
    ).all()
    drafts = db.session.scalars(
        select(Draft).where(
            Draft.person_id == person.id,
            Draft.delegate_id.is_not(None),
            Draft.confirmed_at.is_(None),
        )
    ).all()
    rows: Iterable[Draft | Submission] = [*drafts, *submissions]
    return [row for row in rows if given_for(row)]


def confirm(row: Draft | Submission, when: datetime | None = None) -> bool:
    """Mark the answers given on the person's behalf as confirmed; False if already were."""
    if row.confirmed_at is not None:
        return False
    row.confirmed_at = when or utcnow()
    return True


def correction_draft(submission: Submission, questionnaire: Any) -> Draft:
    """A new draft holding a sent submission's answers, for the person to change and send
    again; authorship carries over, so only what they change becomes theirs."""
    from portal.questionnaires.path import Path, prune

    identity = {q.id for q in questionnaire.questions() if q.type == "identity"}
    answers = prune(
        questionnaire, {k: v for k, v in submission.answers.items() if k not in identity}
    )
    path = Path.for_answers(questionnaire, answers)
    draft = Draft(
        person_id=submission.person_id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        answers=answers,
        completed_pages=[p.id for p in path.pages],
        authors={k: v for k, v in (submission.authors or {}).items() if k in answers},
        helpers=list(submission.helpers or []),
        corrects_id=submission.id,
    )
    db.session.add(draft)
    db.session.flush()
    return draft
