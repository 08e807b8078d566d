"""Sending: a complete draft becomes one immutable, routed submission — exactly one."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.alkupalvelu.routing import route
from portal.audit.log import record
from portal.cases.consents import create_from_answers
from portal.cases.deadlines import helsinki_date
from portal.cases.grouping import attach
from portal.cases.models import Draft, Person, Submission
from portal.cases.reference import new_reference
from portal.db import db, utcnow
from portal.notify.messages import notify_team_new_case
from portal.questionnaires import scoring
from portal.questionnaires.definition import Questionnaire
from portal.questionnaires.path import Path, prune

CONSENT_QUESTION = "consent_parties"


class DraftIncomplete(ValueError):
    """Some page on the person's path has not been answered yet."""


def identity_answers(questionnaire: Questionnaire, person: Person) -> dict[str, str]:
    """Answers of `identity` questions, from the verified login, as they were when sent."""
    values = {
        "family_name": person.family_name,
        "given_names": person.given_names,
        "hetu": person.hetu,
    }
    return {
        q.id: values[q.source]
        for q in questionnaire.questions()
        if q.type == "identity" and q.source
    }


def submission_for_draft(person: Person, draft_id: uuid.UUID) -> Submission | None:
    return db.session.scalars(
        select(Submission).where(Submission.draft_id == draft_id, Submission.person_id == person.id)
    ).first()


def send(
    draft: Draft, questionnaire: Questionnaire, person: Person, *, sent_by: Person | None = None
) -> Submission:
    """Freeze the answers with the questionnaire version and route them to a team.

    A second send of the same draft (double click, back button, second tab) returns the first
    submission: the unique draft_id makes the database the judge, even between processes.
    `sent_by` is a delegate sending on the person's behalf (checked by the caller).
    """
    sender = sent_by or person
    existing = submission_for_draft(person, draft.id)
    if existing is not None:
        return existing
    path = Path.for_answers(questionnaire, draft.answers)
    if not path.is_complete(draft.completed_pages):
        raise DraftIncomplete(questionnaire.id)

    answers = prune(questionnaire, draft.answers) | identity_answers(questionnaire, person)
    authors = {k: v for k, v in (draft.authors or {}).items() if k in answers}
    now = utcnow()
    today = helsinki_date(now)
    on_behalf = any(author != str(person.id) for author in authors.values())
    scores, flags = scoring.compute(questionnaire, answers, person.hetu, today, on_behalf=on_behalf)
    corrected = db.session.get(Submission, draft.corrects_id) if draft.corrects_id else None
    if corrected is not None:
        # A correction follows the form it corrects, to the same team and so the same case.
        team, rule = corrected.team, corrected.routing_rule
    else:
        team, rule = route(person.municipality_code, questionnaire.id, [f["id"] for f in flags])
    submission = Submission(
        reference=new_reference(),
        person_id=person.id,
        draft_id=draft.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        answers=answers,
        submitted_at=now,
        municipality_code=person.municipality_code,
        team_id=team.id,
        routing_rule_id=rule.id if rule else None,
        contact_due=today,  # replaced by the case's deadline in attach()
        scores=scores,
        flags=flags,
        delegate_id=draft.delegate_id,
        authors=authors,
        helpers=list(draft.helpers or []),
        sent_by_id=sender.id,
        # The person sending answers given for them, from the check page that shows who gave
        # each one, confirms them.
        confirmed_at=draft.confirmed_at or (now if sender is person and on_behalf else None),
        corrects_id=draft.corrects_id,
    )
    draft_id = draft.id
    db.session.add(submission)
    db.session.delete(draft)
    try:
        db.session.flush()
        case = attach(submission, team, now, today)
        notify_team_new_case(team, case)
        record(
            "citizen" if sender is person else "delegate",
            str(sender.id),
            "submission.sent",
            person_id=person.id,
            submission_id=submission.id,
            case_id=case.id,
            questionnaire=questionnaire.id,
            team=team.slug,
        )
        if CONSENT_QUESTION in answers:
            # Consents given in these answers become records, in the same transaction.
            create_from_answers(
                person.id,
                submission.id,
                answers,
                now,
                given_by=sender.id if sender is not person else None,
            )
        db.session.commit()
    except (IntegrityError, StaleDataError):
        # Another request sent this draft first (its submission or its draft deletion won).
        db.session.rollback()
        winner = submission_for_draft(person, draft_id)
        if winner is None:
            raise
        return winner
    return submission
