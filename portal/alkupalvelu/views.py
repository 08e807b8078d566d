"""The staff door: the team's alkupalvelu inbox and a submission's answers.

The one access rule of this door: a staff member sees submissions routed to their own team.
Every opening of a client's answers is written to the audit log.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.alkupalvelu.blueprint import blueprint
from portal.audit.log import record
from portal.auth.access import current_staff, staff_required
from portal.cases.models import Submission
from portal.db import db
from portal.intake.presenting import answer_rows
from portal.questionnaires import registry

PAGE_SIZE = 50


def _team_submission(submission_id: uuid.UUID) -> Submission:
    staff = current_staff()
    submission = db.session.scalars(
        select(Submission)
        .options(joinedload(Submission.person))
        .where(Submission.id == submission_id, Submission.team_id == staff.team_id)
    ).first()
    if submission is None:
        abort(404)
    return submission


@blueprint.get("/")
@staff_required
def inbox() -> str:
    staff = current_staff()
    submissions = db.session.scalars(
        select(Submission)
        .options(joinedload(Submission.person))
        .where(Submission.team_id == staff.team_id)
        .order_by(Submission.submitted_at.desc())
        .limit(PAGE_SIZE)
    ).all()
    record("staff", str(staff.id), "inbox.viewed", team=staff.team.slug, rows=len(submissions))
    db.session.commit()
    return render_template(
        "alkupalvelu/inbox.html",
        submissions=submissions,
        staff=staff,
        today=date.today(),
        questionnaires=registry.all_questionnaires(),
    )


@blueprint.get("/lahetykset/<uuid:submission_id>")
@staff_required
def submission(submission_id: uuid.UUID) -> str:
    staff = current_staff()
    sub = _team_submission(submission_id)
    questionnaire = registry.get(sub.questionnaire_id)
    record(
        "staff", str(staff.id), "submission.viewed", person_id=sub.person_id, submission_id=sub.id
    )
    db.session.commit()
    return render_template(
        "alkupalvelu/submission.html",
        submission=sub,
        questionnaire=questionnaire,
        sections=answer_rows(questionnaire, sub.answers, show_hetu=True),
        today=date.today(),
    )
