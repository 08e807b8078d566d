"""Working a case through the real app: claim, release, status, re-route, notes, saate, segment.

Cases are made by citizens sending forms through the real flow (tests/intake/test_journey.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember, Team
from portal.audit.models import AuditEvent
from portal.cases.client_case import CaseEntry, ClientCase
from portal.cases.models import Submission
from portal.db import db
from portal.questionnaires import registry
from tests.conftest import csrf_token
from tests.intake.test_journey import AADA, citizen, send, staff


def member(sub: str) -> StaffMember:
    return db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()


def fresh(case_id) -> ClientCase:
    db.session.expire_all()
    return db.session.get(ClientCase, case_id)


def case_page(client, case_id) -> str:
    response = client.get(f"/henkilosto/asiat/{case_id}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client, case_id, action: str, prefix: str, data=None, **extra):
    """POST one of the case page's forms; its fields carry the form's prefix."""
    token = csrf_token(client.get("/henkilosto/").get_data(as_text=True))
    payload = {f"{prefix}-csrf_token": token, **extra}
    payload.update({f"{prefix}-{k}": v for k, v in (data or {}).items()})
    return client.post(f"/henkilosto/asiat/{case_id}/{action}", data=payload)


def actions(staff_sub: str, case_id) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.case_id == case_id,
                AuditEvent.actor_id == str(member(staff_sub).id),
            )
        )
    )


def saate_case(app) -> tuple[Submission, object]:
    submission = send(citizen(app, AADA), registry.get("saate"))
    return submission, submission.case_id


def test_claim_release_and_the_second_instructor_sees_who_has_it(app, demo):
    submission, case_id = saate_case(app)
    sanna, tuomas = staff(app, "sanna.ohjaaja"), staff(app, "tuomas.tiiminvetaja")

    html = case_page(sanna, case_id)
    assert "Aada Testi Demola" in html and "Otan kopin" in html
    assert submission.reference in html and "Uusi" in html
    assert "Huomiot" in html  # the flags with their rules

    response = post(sanna, case_id, "ota", "ota")
    assert response.status_code == 302 and response.headers["Location"].endswith(str(case_id))
    assert "Asia on nyt sinun työn alla." in case_page(sanna, case_id)
    case = fresh(case_id)
    assert case.assignee_id == member("sanna.ohjaaja").id and case.status == "tyon_alla"

    lost = post(tuomas, case_id, "ota", "ota")
    assert lost.status_code == 409
    assert "Sanna Ohjaaja otti asian juuri työn alle." in lost.get_data(as_text=True)
    assert fresh(case_id).assignee_id == member("sanna.ohjaaja").id

    response = post(sanna, case_id, "vapauta", "vapauta", {"reason": "Lomalle"})
    assert response.status_code == 302
    case = fresh(case_id)
    assert case.assignee_id is None
    assert [e.kind for e in case.events][-1] == "released"
    again = post(sanna, case_id, "vapauta", "vapauta")
    assert again.status_code == 400 and "Asia ei ole kenenkään työn alla." in again.get_data(
        as_text=True
    )

    done = actions("sanna.ohjaaja", case_id)
    for action in ("case.viewed", "submission.viewed", "case.claimed", "case.released"):
        assert action in done
    assert "case.viewed" in actions("tuomas.tiiminvetaja", case_id)


def test_status_changes_with_their_rules(app, demo):
    _, case_id = saate_case(app)
    sanna = staff(app, "sanna.ohjaaja")
    post(sanna, case_id, "ota", "ota")

    past = date.today() - timedelta(days=1)
    refused = post(
        sanna,
        case_id,
        "tila",
        "tila",
        {
            "status": "odottaa",
            "until-day": past.day,
            "until-month": past.month,
            "until-year": past.year,
        },
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "govuk-error-summary" in html and 'href="#tila-until-day"' in html
    assert "Päivä on tulevaisuudessa." in html
    assert fresh(case_id).status == "tyon_alla"

    nonsense = post(sanna, case_id, "tila", "tila", {"status": "odottaa", "until-day": "31"})
    assert nonsense.status_code == 400 and "oikea päivä" in nonsense.get_data(as_text=True)

    later = date.today() + timedelta(days=14)
    response = post(
        sanna,
        case_id,
        "tila",
        "tila",
        {
            "status": "odottaa",
            "until-day": later.day,
            "until-month": later.month,
            "until-year": later.year,
        },
    )
    assert response.status_code == 302
    case = fresh(case_id)
    assert case.status == "odottaa" and case.waiting_until == later

    no_destination = post(sanna, case_id, "tila", "tila", {"status": "ohjattu"})
    assert no_destination.status_code == 400
    assert "Valitse, mihin asiakas ohjataan." in no_destination.get_data(as_text=True)
    no_name = post(sanna, case_id, "tila", "tila", {"status": "ohjattu", "destination": "muu"})
    assert no_name.status_code == 400 and 'href="#tila-destination_detail"' in no_name.get_data(
        as_text=True
    )
    forwarded = post(sanna, case_id, "tila", "tila", {"status": "ohjattu", "destination": "kela"})
    assert forwarded.status_code == 302
    assert fresh(case_id).destination == "kela"

    no_reason = post(sanna, case_id, "tila", "tila", {"status": "paattynyt"})
    assert no_reason.status_code == 400
    assert "Kirjoita syy" in no_reason.get_data(as_text=True)
    closed = post(
        sanna, case_id, "tila", "tila", {"status": "paattynyt", "reason": "Ohjattu Kelaan"}
    )
    assert closed.status_code == 302
    case = fresh(case_id)
    assert case.status == "paattynyt" and case.closed_at is not None
    html = case_page(sanna, case_id)
    assert "Ohjattu Kelaan" in html and "Asian historia" in html
    assert actions("sanna.ohjaaja", case_id).count("case.status_changed") == 3

    # A closed, unassigned case offers re-opening, not claiming.
    assert post(sanna, case_id, "vapauta", "vapauta").status_code == 302
    html = case_page(sanna, case_id)
    assert "Asia on päättynyt." in html and "Otan kopin" not in html


def test_lead_reassigns_and_re_routing_moves_the_case_to_another_team(app, demo):
    _, case_id = saate_case(app)
    sanna, tuomas = staff(app, "sanna.ohjaaja"), staff(app, "tuomas.tiiminvetaja")
    aino = staff(app, "aino.aanekoski")

    # Another team's staff cannot see or touch the case.
    assert aino.get(f"/henkilosto/asiat/{case_id}").status_code == 404
    assert post(aino, case_id, "ota", "ota").status_code == 404

    sanna_id = str(member("sanna.ohjaaja").id)
    assert "Siirrä työntekijälle" in case_page(tuomas, case_id)
    assert "Siirrä työntekijälle" not in case_page(sanna, case_id)
    refused = post(
        sanna, case_id, "siirra-tyontekijalle", "siirra", {"to": sanna_id, "reason": "x"}
    )
    assert refused.status_code == 403
    no_reason = post(tuomas, case_id, "siirra-tyontekijalle", "siirra", {"to": sanna_id})
    assert no_reason.status_code == 400
    response = post(
        tuomas, case_id, "siirra-tyontekijalle", "siirra", {"to": sanna_id, "reason": "Sairausloma"}
    )
    assert response.status_code == 302
    assert fresh(case_id).assignee_id == member("sanna.ohjaaja").id
    assert "case.reassigned" in actions("tuomas.tiiminvetaja", case_id)

    aanekoski = db.session.scalars(select(Team).where(Team.slug == "aanekoski")).one()
    no_reason = post(sanna, case_id, "siirra-tiimiin", "tiimi", {"team": str(aanekoski.id)})
    assert no_reason.status_code == 400
    assert "Kirjoita syy siirrolle toiseen tiimiin." in no_reason.get_data(as_text=True)
    moved = post(
        sanna, case_id, "siirra-tiimiin", "tiimi", {"team": str(aanekoski.id), "reason": "Muutti"}
    )
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/henkilosto/")
    case = fresh(case_id)
    assert case.team_id == aanekoski.id and case.assignee_id is None and case.status == "uusi"
    assert "case.rerouted" in actions("sanna.ohjaaja", case_id)

    assert sanna.get(f"/henkilosto/asiat/{case_id}").status_code == 404
    html = case_page(aino, case_id)
    assert "Muutti" in html and "Siirretty toiseen tiimiin" in html


def test_notes_messages_contact_log_saate_and_segment(app, demo):
    _, case_id = saate_case(app)
    sanna = staff(app, "sanna.ohjaaja")
    html = case_page(sanna, case_id)
    # The saate's network answers prefill the summary; the compiler is the staff member.
    assert "Testivastaus, Testivastaus" in html
    assert "Sanna Ohjaaja, Jyväskylän seudun alkupalvelu" in html
    assert "Miksi tämä ehdotus" in html

    empty = post(sanna, case_id, "merkinta", "muistiinpano", {"body": " "}, kind="note")
    assert empty.status_code == 400 and 'href="#muistiinpano-body"' in empty.get_data(as_text=True)
    assert (
        post(
            sanna, case_id, "merkinta", "muistiinpano", {"body": "Soita ma"}, kind="note"
        ).status_code
        == 302
    )
    assert (
        post(
            sanna,
            case_id,
            "merkinta",
            "viesti",
            {"body": "Hei, soitan maanantaina."},
            kind="message",
        ).status_code
        == 302
    )
    no_channel = post(sanna, case_id, "merkinta", "yhteydenotto", {"body": "x"}, kind="contact")
    assert no_channel.status_code == 400
    assert "Valitse, miten yhteyttä otettiin." in no_channel.get_data(as_text=True)
    assert fresh(case_id).first_contact_at is None
    contact = post(sanna, case_id, "merkinta", "yhteydenotto", {"channel": "phone"}, kind="contact")
    assert contact.status_code == 302
    assert fresh(case_id).first_contact_at is not None

    entries = {
        e.kind: e for e in db.session.scalars(select(CaseEntry).where(CaseEntry.case_id == case_id))
    }
    assert entries["note"].body == "Soita ma"
    assert entries["message"].body == "Hei, soitan maanantaina."
    assert entries["contact"].channel == "phone"

    saved = post(
        sanna,
        case_id,
        "saate",
        "saate",
        {"observations": "Motivoitunut", "network_summary": "TE-palvelut", "compiled_by": "Sanna"},
    )
    assert saved.status_code == 302
    assert fresh(case_id).staff_saate["observations"] == "Motivoitunut"

    bad = post(sanna, case_id, "asiakkuus", "asiakkuus", {"segment": "kaikki", "suggested": "x"})
    assert bad.status_code == 400
    assert (
        post(
            sanna,
            case_id,
            "asiakkuus",
            "asiakkuus",
            {"segment": "verkosto", "suggested": "yhteiso"},
        ).status_code
        == 302
    )
    case = fresh(case_id)
    assert case.segment == "verkosto" and case.segment_confirmed_by == member("sanna.ohjaaja").id

    html = case_page(sanna, case_id)
    for text in (
        "Soita ma",
        "Hei, soitan maanantaina.",
        "Puhelu",
        "Motivoitunut",
        "Verkostoasiakkuus",
    ):
        assert text in html
    done = actions("sanna.ohjaaja", case_id)
    for action in (
        "case.note_added",
        "case.message_sent",
        "case.contact_logged",
        "case.staff_saate_saved",
        "case.segment_confirmed",
    ):
        assert action in done


def test_nurse_reads_only_the_pre_questionnaire_and_changes_nothing(app, demo):
    aada = citizen(app, AADA)
    esitieto = send(aada, registry.get("esitieto"))
    saate = send(aada, registry.get("saate"))
    omaarvio = send(aada, registry.get("omaarvio"))
    assert esitieto.case_id == saate.case_id == omaarvio.case_id
    case_id = esitieto.case_id

    helmi = staff(app, "helmi.hoitaja")
    html = case_page(helmi, case_id)
    assert esitieto.reference in html
    assert saate.reference not in html and omaarvio.reference not in html
    assert (
        "Otan kopin" not in html and "Huomiot" not in html and "Sisäinen muistiinpano" not in html
    )
    assert post(helmi, case_id, "ota", "ota").status_code == 403
    assert (
        post(helmi, case_id, "merkinta", "muistiinpano", {"body": "x"}, kind="note").status_code
        == 403
    )
    assert helmi.get(f"/henkilosto/lahetykset/{saate.id}").status_code == 404
    esitieto_page = helmi.get(f"/henkilosto/lahetykset/{esitieto.id}")
    assert (
        esitieto_page.status_code == 200
        and f"/henkilosto/asiat/{case_id}" in esitieto_page.get_data(as_text=True)
    )
    viewed = actions("helmi.hoitaja", case_id)
    assert "case.viewed" in viewed and viewed.count("submission.viewed") == 2

    # An instructor sees all three, the self-assessment with its chart.
    sanna = staff(app, "sanna.ohjaaja")
    html = case_page(sanna, case_id)
    assert all(s.reference in html for s in (esitieto, saate, omaarvio))
    assert 'id="kuvio-' + omaarvio.reference + '"' in html
    assert re.search(r"Lomakkeen täyttäjä: Täytin itse", html)
    sub = sanna.get(f"/henkilosto/lahetykset/{omaarvio.id}")
    assert sub.status_code == 200 and "Oman arvion tulokset osa-alueittain" in sub.get_data(
        as_text=True
    )
    assert actions("sanna.ohjaaja", case_id).count("submission.viewed") == 4
