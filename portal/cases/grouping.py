"""Every submission joins its person's open case at the routed team, or opens a new one.

So the saate, the self-assessment and the esitieto of one person are one row in the queue,
with one contact deadline, however many forms arrive while the case is open.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from portal.alkupalvelu.models import Team
from portal.cases.client_case import CaseEvent, CaseFlag, ClientCase, Status
from portal.cases.deadlines import add_working_days
from portal.cases.models import Submission
from portal.db import db


def open_case_for(person_id: object, team_id: int) -> ClientCase | None:
    """The person's open case at the team, locked for the rest of the transaction."""
    return db.session.scalars(
        select(ClientCase)
        .where(
            ClientCase.person_id == person_id,
            ClientCase.team_id == team_id,
            ClientCase.status != Status.CLOSED,
        )
        .order_by(ClientCase.opened_at.desc())
        .with_for_update()
    ).first()


def attach(submission: Submission, team: Team, now: datetime, today: date) -> ClientCase:
    """Put the submission in its case; a new case gets the team's contact deadline."""
    case = open_case_for(submission.person_id, team.id)
    if case is None:
        case = ClientCase(
            person_id=submission.person_id,
            team_id=team.id,
            municipality_code=submission.municipality_code,
            status=Status.NEW,
            opened_at=now,
            contact_due=add_working_days(today, team.contact_working_days),
            staff_saate={},
        )
        db.session.add(case)
        db.session.flush()
    case.last_submission_at = now
    submission.case_id = case.id
    # The citizen's receipt promises the case's deadline: a later form does not push it back.
    submission.contact_due = case.contact_due
    known = {row.flag_id for row in case.flag_rows}
    for flag in submission.flags or ():
        if flag["id"] not in known:
            case.flag_rows.append(CaseFlag(flag_id=flag["id"]))
            known.add(flag["id"])
    case.events.append(
        CaseEvent(
            at=now,
            kind="received",
            status_to=case.status,
            detail={
                "submission_id": str(submission.id),
                "questionnaire": submission.questionnaire_id,
                "reference": submission.reference,
            },
        )
    )
    return case
