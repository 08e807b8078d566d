"""Consents: made from saate answers, superseded per party, seen and withdrawn by their owner."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.alkupalvelu.models import Team
from portal.audit.models import AuditEvent
from portal.cases import consents
from portal.cases.consents import (
    DURATIONS,
    PARTIES,
    PURPOSES,
    add_months,
    consents_summary,
    create_from_answers,
    in_force_for,
    withdraw,
)
from portal.cases.models import Consent, Person, Submission
from portal.db import db, utcnow
from portal.devidp.users import CITIZEN_SUBS
from portal.questionnaires import registry
from tests.conftest import csrf_token, oidc_login

AADA = "010280-952L"
SIIRI = "240590-954H"

# 22.30 UTC on 31 March is already 1 April in Helsinki (summer time, UTC+3).
GIVEN = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)


@pytest.fixture
def app_with_consents(app: Flask) -> Flask:
    """The app, with the consents blueprint even before portal/app.py registers it."""
    if "consents" not in app.blueprints:
        from portal.intake.consents import blueprint

        app.register_blueprint(blueprint)
    return app


def citizen(app: Flask, hetu: str):
    return oidc_login(app.test_client(), "/kirjaudu/suomifi", CITIZEN_SUBS[hetu])


def person(hetu: str = AADA) -> Person:
    found = db.session.scalars(select(Person).where(Person.hetu == hetu)).first()
    if found is None:
        found = Person(hetu=hetu, given_names="Testi", family_name="Henkilö")
        db.session.add(found)
        db.session.flush()
    return found


def saate(person_id: uuid.UUID, reference: str = "TK-TEST-0001") -> Submission:
    team = db.session.scalars(select(Team)).first()
    if team is None:
        team = Team(slug="testi", name="Testitiimi", is_central=True)
        db.session.add(team)
        db.session.flush()
    submission = Submission(
        reference=reference,
        person_id=person_id,
        draft_id=uuid.uuid4(),
        questionnaire_id="saate",
        questionnaire_version=1,
        answers={},
        team_id=team.id,
        contact_due=date(2026, 4, 6),
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def answers(**parties: dict[str, object]) -> dict[str, object]:
    """Saate answers: answers(kela={"until": "1_v", "health": "yes", "purpose": [...]})."""
    result: dict[str, object] = {"consent_parties": list(parties)}
    for party, given in parties.items():
        result[f"consent_{party}_purpose"] = given.get("purpose", ["arviointi"])
        result[f"consent_{party}_until"] = given.get("until", "1_v")
        result[f"consent_{party}_health"] = given.get("health", "no")
        if "name" in given:
            result["consent_muu_name"] = given["name"]
    return result


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- making consents from answers ------------------------------------------------------------


def test_durations_count_from_the_helsinki_date_of_giving(app):
    p = person()
    made = create_from_answers(
        p.id,
        None,
        answers(
            kela={"until": "6_kk"},
            te={"until": "1_v"},
            tyollisyys={"until": "2_v"},
            terveys={"until": "suunnitelma"},
        ),
        GIVEN,
    )
    db.session.commit()
    until = {c.party: c.valid_until for c in made}
    assert until == {
        "kela": date(2026, 10, 1),
        "te": date(2027, 4, 1),
        "tyollisyys": date(2028, 4, 1),
        "terveys": None,
    }
    assert all(c.in_force(date(2026, 10, 1)) for c in made)
    later = {c.party for c in in_force_for(p.id, date(2026, 10, 2))}
    assert later == {"te", "tyollisyys", "terveys"}


def test_months_that_lack_the_day_end_on_their_last_day():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_purposes_health_and_the_named_other_party_are_kept(app):
    p = person()
    submission = saate(p.id)
    made = create_from_answers(
        p.id,
        submission.id,
        answers(
            kela={"purpose": ["etuudet", "arviointi"], "health": "yes"},
            muu={"purpose": ["palvelut"], "name": "  Kuntoutussäätiö   ry "},
        ),
        GIVEN,
    )
    db.session.commit()
    kela, muu = made
    assert (kela.party, kela.purpose, kela.includes_health) == ("kela", "arviointi,etuudet", True)
    assert kela.party_name is None
    assert (muu.party, muu.party_name, muu.includes_health) == ("muu", "Kuntoutussäätiö ry", False)
    assert muu.submission_id == submission.id
    with app.test_request_context():
        assert [str(x) for x in consents.purpose_labels(kela)] == [
            "Työkyvyn ja palvelutarpeen arviointi",
            "Etuuksien käsittely",
        ]
        assert consents.party_label(muu) == "Kuntoutussäätiö ry"
        assert str(consents.party_label(kela)) == "Kela"
    assert [e.detail["party"] for e in events("consent.given")] == ["kela", "muu"]


def test_nobody_means_no_consents_and_an_unnamed_other_party_is_no_one(app):
    p = person()
    assert create_from_answers(p.id, None, {"consent_parties": ["ei_kenenkaan"]}, GIVEN) == []
    # An exclusive option should never come with others; if it does, the narrowest reading.
    mixed = answers(kela={}) | {"consent_parties": ["kela", "ei_kenenkaan"]}
    assert create_from_answers(p.id, None, mixed, GIVEN) == []
    assert create_from_answers(p.id, None, answers(muu={"name": "  "}), GIVEN) == []
    assert create_from_answers(p.id, None, {}, GIVEN) == []
    assert db.session.scalars(select(Consent)).all() == []


def test_missing_answers_take_the_narrowest_reading(app):
    p = person()
    (kela,) = create_from_answers(p.id, None, {"consent_parties": ["kela"]}, GIVEN)
    assert kela.valid_until == date(2026, 10, 1)  # 6 months
    assert kela.includes_health is False
    assert kela.purpose is None


def test_a_new_consent_for_a_party_supersedes_the_one_in_force(app):
    p = person()
    first = saate(p.id, "TK-TEST-0001")
    old_kela, old_te, old_muu = create_from_answers(
        p.id,
        first.id,
        answers(kela={"until": "2_v"}, te={"until": "2_v"}, muu={"name": "Säätiö A"}),
        GIVEN,
    )
    db.session.commit()

    later = GIVEN + timedelta(days=30)
    second = saate(p.id, "TK-TEST-0002")
    new_kela, new_muu = create_from_answers(
        p.id,
        second.id,
        answers(kela={"until": "6_kk", "health": "yes"}, muu={"name": "säätiö  a"}),
        later,
    )
    db.session.commit()

    assert old_kela.withdrawn_at is not None
    assert consents._as_utc(old_kela.withdrawn_at) == later
    assert consents._as_utc(old_muu.withdrawn_at) == later  # the same name, however typed
    assert old_te.withdrawn_at is None  # not chosen this time: stays as it was
    assert new_kela.in_force(date(2026, 5, 1)) and new_kela.includes_health

    superseded = events("consent.superseded")
    assert {e.detail["consent_id"] for e in superseded} == {str(old_kela.id), str(old_muu.id)}
    assert {e.detail["superseded_by"] for e in superseded} == {str(new_kela.id), str(new_muu.id)}

    summary = consents_summary(p.id, date(2026, 5, 1))
    assert {r.consent.id for r in summary.in_force} == {new_kela.id, new_muu.id, old_te.id}
    assert {(r.consent.id, r.status) for r in summary.ended} == {
        (old_kela.id, "korvattu"),
        (old_muu.id, "korvattu"),
    }
    assert {r.reference for r in summary.in_force} == {"TK-TEST-0001", "TK-TEST-0002"}


def test_a_differently_named_other_party_is_another_party(app):
    p = person()
    (a,) = create_from_answers(p.id, None, answers(muu={"name": "Säätiö A"}), GIVEN)
    (b,) = create_from_answers(
        p.id, None, answers(muu={"name": "Säätiö B"}), GIVEN + timedelta(days=1)
    )
    db.session.commit()
    assert a.withdrawn_at is None and b.withdrawn_at is None


def test_an_expired_consent_is_not_superseded_and_shows_as_ended(app):
    p = person()
    (old,) = create_from_answers(p.id, None, answers(kela={"until": "6_kk"}), GIVEN)
    db.session.commit()
    later = GIVEN + timedelta(days=400)
    (new,) = create_from_answers(p.id, None, answers(kela={}), later)
    db.session.commit()
    assert old.withdrawn_at is None  # it had already ended by itself
    summary = consents_summary(p.id, later.date())
    assert [r.consent.id for r in summary.in_force] == [new.id]
    (ended,) = summary.ended
    assert (ended.status, ended.ended_on, ended.ended_at) == ("paattynyt", date(2026, 10, 1), None)


def test_withdraw_records_the_first_time_only(app):
    p = person()
    (kela,) = create_from_answers(p.id, None, answers(kela={}), GIVEN)
    db.session.commit()
    when = GIVEN + timedelta(days=2)
    assert withdraw(kela, when) is True
    assert withdraw(kela, when + timedelta(hours=1)) is False
    db.session.commit()
    assert consents._as_utc(kela.withdrawn_at) == when
    assert in_force_for(p.id, date(2026, 4, 5)) == []
    (row,) = consents_summary(p.id, date(2026, 4, 5)).ended
    assert row.status == "peruttu"


def test_the_saate_offers_exactly_the_values_this_module_knows(app):
    saate_q = registry.get("saate")
    if saate_q is None:
        pytest.skip("questionnaires/saate.yaml does not exist yet")
    questions = {q.id: q for q in saate_q.questions()}
    parties = {o.value for o in questions["consent_parties"].options}
    assert parties == set(PARTIES) | {"ei_kenenkaan"}
    for party in PARTIES:
        purposes = {o.value for o in questions[f"consent_{party}_purpose"].options}
        durations = {o.value for o in questions[f"consent_{party}_until"].options}
        assert purposes == set(PURPOSES), party
        assert durations == set(DURATIONS), party
        assert f"consent_{party}_health" in questions
    assert "consent_muu_name" in questions


# --- the citizen's page ----------------------------------------------------------------------


def _aada_with_consents(app: Flask):
    client = citizen(app, AADA)
    p = person(AADA)
    submission = saate(p.id)
    kela, muu = create_from_answers(
        p.id,
        submission.id,
        answers(
            kela={"purpose": ["etuudet"], "health": "yes", "until": "suunnitelma"},
            muu={"name": "Kuntoutussäätiö", "until": "1_v"},
        ),
        utcnow(),
    )
    db.session.commit()
    return client, p, kela, muu


def test_own_consents_are_listed(app_with_consents):
    client, _p, kela, muu = _aada_with_consents(app_with_consents)
    html = client.get("/omat-tiedot/suostumukset").get_data(as_text=True)
    assert "Voimassa olevat suostumukset" in html
    assert "Kela" in html and "Kuntoutussäätiö" in html
    assert "Etuuksien käsittely" in html
    assert "Kyllä, myös terveystietoja" in html and "Ei terveystietoja" in html
    assert "Suunnitelman loppuun asti" in html
    assert "TK-TEST-0001" in html
    assert f"/omat-tiedot/suostumukset/{kela.id}/peru" in html
    assert f"/omat-tiedot/suostumukset/{muu.id}/peru" in html
    assert "Päättyneet suostumukset" not in html


def test_no_consents_says_so(app_with_consents):
    client = citizen(app_with_consents, AADA)
    html = client.get("/omat-tiedot/suostumukset").get_data(as_text=True)
    assert "Sinulla ei ole voimassa olevia suostumuksia." in html


def test_the_page_needs_a_login(app_with_consents):
    response = app_with_consents.test_client().get("/omat-tiedot/suostumukset")
    assert response.status_code == 302
    assert "/kirjaudu" in response.headers["Location"]


def test_withdrawing_asks_first_then_ends_the_consent_and_logs_it(app_with_consents):
    client, p, kela, muu = _aada_with_consents(app_with_consents)
    url = f"/omat-tiedot/suostumukset/{kela.id}/peru"

    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Haluatko varmasti perua suostumuksen?" in page
    assert "Emme enää vaihda tietojasi" in page and "jo vaihdettu, säilyvät" in page
    db.session.expire_all()
    assert db.session.get(Consent, kela.id).withdrawn_at is None  # asking changes nothing

    before = utcnow()
    response = client.post(url, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/omat-tiedot/suostumukset")

    db.session.expire_all()
    withdrawn = db.session.get(Consent, kela.id)
    assert before <= consents._as_utc(withdrawn.withdrawn_at) <= utcnow()
    assert db.session.get(Consent, muu.id).withdrawn_at is None
    (event,) = events("consent.withdrawn")
    assert (event.actor_kind, event.actor_id, event.person_id) == ("citizen", str(p.id), p.id)
    assert event.detail["party"] == "kela"
    assert event.detail["consent_id"] == str(kela.id)

    listing = client.get("/omat-tiedot/suostumukset").get_data(as_text=True)
    assert "Suostumus on peruttu: Kela." in listing
    ended = listing.split("Päättyneet suostumukset", 1)[1]
    assert "Kela" in ended and "Peruit suostumuksen" in ended
    assert f"/omat-tiedot/suostumukset/{kela.id}/peru" not in listing

    # Again (a second tab, the back button): no second time, no second event.
    again = client.post(url, data={"csrf_token": csrf_token(page)})
    assert again.status_code == 302
    assert len(events("consent.withdrawn")) == 1
    assert client.get(url).status_code == 302  # nothing to confirm any more


def test_withdrawing_needs_the_csrf_token(app_with_consents):
    client, _p, kela, _muu = _aada_with_consents(app_with_consents)
    response = client.post(f"/omat-tiedot/suostumukset/{kela.id}/peru")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Consent, kela.id).withdrawn_at is None


def test_another_persons_consent_is_not_found(app_with_consents):
    _client, _p, kela, _muu = _aada_with_consents(app_with_consents)
    other = citizen(app_with_consents, SIIRI)
    url = f"/omat-tiedot/suostumukset/{kela.id}/peru"
    page = other.get("/omat-tiedot/suostumukset").get_data(as_text=True)
    assert "Sinulla ei ole voimassa olevia suostumuksia." in page

    assert other.get(url).status_code == 404
    assert other.post(url, data={"csrf_token": csrf_token(page)}).status_code == 404
    assert other.get(f"/omat-tiedot/suostumukset/{uuid.uuid4()}/peru").status_code == 404
    db.session.expire_all()
    assert db.session.get(Consent, kela.id).withdrawn_at is None
    assert events("consent.withdrawn") == []
