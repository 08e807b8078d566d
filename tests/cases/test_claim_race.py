""" "Otan kopin" at the same moment: of two instructors exactly one wins, the other learns who."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember, Team
from portal.cases import workflow
from portal.cases.client_case import CaseEvent, ClientCase
from portal.cases.models import Person
from portal.db import db

ROUNDS = 5


def _ids() -> tuple[int, int, int]:
    team = db.session.scalars(select(Team).where(Team.slug == "jyvaskyla")).one()
    sanna, tuomas = (
        db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one().id
        for sub in ("sanna.ohjaaja", "tuomas.tiiminvetaja")
    )
    return team.id, sanna, tuomas


def _new_case(team_id: int) -> ClientCase:
    person = db.session.scalars(select(Person).where(Person.hetu == "010280-952L")).first()
    if person is None:
        person = Person(
            hetu="010280-952L",
            given_names="Aada Testi",
            family_name="Demola",
            municipality_code="179",
        )
        db.session.add(person)
        db.session.flush()
    case = ClientCase(
        person_id=person.id, team_id=team_id, municipality_code="179", contact_due=date.today()
    )
    db.session.add(case)
    db.session.commit()
    return case


def test_two_instructors_claiming_at_the_same_moment_one_wins(app, demo):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("racing transactions need a server database; this runs on PostgreSQL")
    team_id, sanna_id, tuomas_id = _ids()

    for _ in range(ROUNDS):
        case_id = _new_case(team_id).id
        barrier = threading.Barrier(2)
        results: list[object] = []

        def claim(staff_id: int, case_id=case_id, barrier=barrier, results=results) -> None:
            # Each thread has its own app context, so its own Session and connection.
            with app.app_context():
                try:
                    staff = db.session.get(StaffMember, staff_id)
                    case = db.session.get(ClientCase, case_id)
                    barrier.wait()
                    result = workflow.claim(case, staff)
                    db.session.commit()
                    results.append(
                        (staff_id, result.won, result.holder.id if result.holder else None)
                    )
                except Exception as exc:  # reported below, not swallowed
                    results.append(exc)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=claim, args=(s,)) for s in (sanna_id, tuomas_id)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)

        assert len(results) == 2 and not any(isinstance(r, Exception) for r in results), results
        winners = [r for r in results if r[1]]
        losers = [r for r in results if not r[1]]
        assert len(winners) == 1 and len(losers) == 1, results
        winner_id = winners[0][0]
        assert winners[0][2] == winner_id
        assert losers[0][2] == winner_id  # the loser is told who has the case

        db.session.expire_all()
        case = db.session.get(ClientCase, case_id)
        assert case.assignee_id == winner_id and case.status == "tyon_alla"
        claims = db.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == "claimed")
        ).all()
        assert [e.staff_id for e in claims] == [winner_id]
