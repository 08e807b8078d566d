"""`flask seed-demo --with-cases`: demo citizens' forms go through the real engine and sending."""

from __future__ import annotations

from sqlalchemy import select

from portal.alkupalvelu.models import Team
from portal.cases.client_case import ClientCase, Status
from portal.cases.models import Submission
from portal.db import db
from portal.demo_cases import seed_demo_cases


def test_demo_cases_fill_the_queues_once(app, demo):
    assert seed_demo_cases() == 5
    on_behalf = db.session.scalars(
        select(Submission).where(Submission.delegate_id.is_not(None))
    ).one()  # Helena sent Pertti's esitieto with her mandate
    assert on_behalf.sent_by_id == on_behalf.delegate_id and on_behalf.confirmed_at is None
    cases = [
        c for c in db.session.scalars(select(ClientCase)) if c.person_id != on_behalf.person_id
    ]
    teams = {db.session.get(Team, c.team_id).slug: c for c in cases}
    assert set(teams) == {"jyvaskyla", "aanekoski", "keskitetty"}
    assert len(teams["jyvaskyla"].submissions) == 2  # Eino's saate and self-assessment: one case
    assert teams["aanekoski"].status == Status.WAITING and teams["aanekoski"].first_contact_at
    assert teams["keskitetty"].status == Status.NEW
    assert all(s.scores for s in db.session.scalars(select(Submission)))
    assert seed_demo_cases() == 0  # safe to run again
