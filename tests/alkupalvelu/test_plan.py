"""The plan (suunnitelma) at the staff door: versions kept, errors that say what to do, access."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.client_case import CaseEvent, ClientCase, PlanVersion
from portal.db import db
from portal.notify.models import OutboxMessage
from portal.questionnaires import registry
from tests.conftest import csrf_token
from tests.intake.test_journey import AADA, citizen, send, staff

GOAL = "Kuntouttavaan työtoimintaan kolmena päivänä viikossa"


def plan_form(path_html: str, **changes: str) -> dict[str, str]:
    follow = date.today() + timedelta(days=60)
    data = {
        "csrf_token": csrf_token(path_html),
        "goals-0-goal": GOAL,
        "goals-0-actions": "Tutustumiskäynti työtoimintaan",
        "goals-0-coordinator": "Sosiaaliohjaaja",
        "goals-0-schedule": "Maaliskuu",
        "contact-name": "Maija Vastaava",
        "contact-title": "Sosiaaliohjaaja",
        "contact-phone": "040 123 4567",
        "contact-email": "maija.vastaava@example.invalid",
        "notes": "Aamut ovat vaikeita.",
        "follow_up-day": str(follow.day),
        "follow_up-month": str(follow.month),
        "follow_up-year": str(follow.year),
    }
    data.update(changes)
    return data


def a_case(app) -> ClientCase:
    send(citizen(app, AADA), registry.get("esitieto"))
    return db.session.scalars(select(ClientCase)).one()


def test_first_plan_then_a_follow_up_keeps_version_one(app, demo):
    case = a_case(app)
    sanna = staff(app, "sanna.ohjaaja")
    path = f"/henkilosto/asiat/{case.id}/suunnitelma"
    page = sanna.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Laadi suunnitelma" in html
    outbox_before = len(db.session.scalars(select(OutboxMessage)).all())

    saved = sanna.post(path, data=plan_form(html))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    first = db.session.scalars(select(PlanVersion)).one()
    assert (first.number, first.kind) == (1, "laadittu")
    assert first.content["goals"][0]["goal"] == GOAL
    assert first.content["asiakasvastaava"]["email"] == "maija.vastaava@example.invalid"

    # The citizen gave an e-mail in the form: they get a link, and nothing else.
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "citizen.case_changed")
    ).all()
    assert len(db.session.scalars(select(OutboxMessage)).all()) == outbox_before + 1
    assert [m.to_address for m in mails] == ["testi@example.invalid"]
    body = mails[0].body + mails[0].subject
    for secret in ("Aada", "Demola", AADA, GOAL, "Maija", "Aamut"):
        assert secret not in body
    assert "/oma-asia" in body

    # The second version starts from the first; a follow-up must say which kind it is.
    html = sanna.get(path).get_data(as_text=True)
    assert f'value="{GOAL}"' in html or GOAL in html
    assert "Tallenna uusi versio" in html
    unkind = sanna.post(path, data=plan_form(html))
    assert unkind.status_code == 400
    assert "Valitse, onko tämä seuranta vai päivitys." in unkind.get_data(as_text=True)
    again = sanna.post(
        path, data=plan_form(html, kind="seuranta", **{"goals-0-goal": "Uusi tavoite"})
    )
    assert again.status_code == 302
    versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()
    assert [(v.number, v.kind) for v in versions] == [(1, "laadittu"), (2, "seuranta")]
    assert versions[0].content["goals"][0]["goal"] == GOAL
    assert versions[1].content["goals"][0]["goal"] == "Uusi tavoite"

    html = sanna.get(path).get_data(as_text=True)
    assert "Aiemmat versiot" in html and "Näytä versio 1" in html
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == "plan")).all()
    assert [e.detail for e in events] == [
        {"number": 1, "kind": "laadittu"},
        {"number": 2, "kind": "seuranta"},
    ]
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id, AuditEvent.actor_kind == "staff")
    ).all()
    assert {a.action for a in audit} >= {"plan.viewed", "plan.saved"}
    assert all(a.detail.get("what") == "suunnitelma" for a in audit)
    assert all(a.person_id == case.person_id for a in audit)


def test_errors_say_what_to_do_and_nothing_is_saved(app, demo):
    case = a_case(app)
    sanna = staff(app, "sanna.ohjaaja")
    path = f"/henkilosto/asiat/{case.id}/suunnitelma"
    html = sanna.get(path).get_data(as_text=True)
    past = date.today() - timedelta(days=1)
    response = sanna.post(
        path,
        data=plan_form(
            html,
            **{
                "contact-email": "ei-osoite",
                "contact-phone": "soita minulle",
                "follow_up-day": str(past.day),
                "follow_up-month": str(past.month),
                "follow_up-year": str(past.year),
                "goals-1-actions": "Toimenpide ilman tavoitetta",
            },
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Anna sähköpostiosoite muodossa nimi@esimerkki.fi." in page
    assert "Anna puhelinnumero numeroina" in page
    assert "Seurantapäivän on oltava tulevaisuudessa." in page
    assert "Kirjoita osatavoite tai tyhjennä tämän osatavoitteen muut kentät." in page
    assert 'href="#contact-email"' in page and 'href="#follow_up-day"' in page
    assert 'value="ei-osoite"' in page  # what was typed is kept
    assert db.session.scalars(select(PlanVersion)).first() is None


def test_another_team_and_the_nurse_do_not_get_the_plan(app, demo):
    case = a_case(app)
    path = f"/henkilosto/asiat/{case.id}/suunnitelma"
    aino = staff(app, "aino.aanekoski")
    refused = aino.get(path)
    assert refused.status_code == 404
    # Each with their own session's CSRF token (the error page's logout form carries one).
    assert aino.post(path, data=plan_form(refused.get_data(as_text=True))).status_code == 404
    nurse = staff(app, "helmi.hoitaja")
    refused = nurse.get(path)
    assert refused.status_code == 404
    assert nurse.post(path, data=plan_form(refused.get_data(as_text=True))).status_code == 403
    assert db.session.scalars(select(PlanVersion)).first() is None
