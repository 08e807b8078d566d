"""Staff see who gave a client's answers: a delegate's answers by name, on whose behalf, who
sent the form, whether the client has confirmed it, who helped, and corrections either way.

The delegate-filled submission is built with the engine the browser drives (drafts saved page
by page with the delegate as author, sent with `sent_by`), as portal/demo_cases.py does; the
mandate flow itself is tested elsewhere. Staff and the client use the real pages.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.cases import authorship
from portal.cases.client_case import CaseEvent
from portal.cases.deadlines import helsinki_date
from portal.cases.models import Person, Submission
from portal.cases.sending import send
from portal.db import db
from portal.demo_cases import demo_person as person
from portal.demo_cases import fill_and_send
from portal.questionnaires import registry
from tests.conftest import csrf_token
from tests.intake.test_journey import AADA, citizen, staff

HELENA = "110573-957U"  # the delegate (portal/demo.py MANDATES)
PERTTI = "030482-9587"  # the principal, Jyväskylä
HELENA_NAME = "Helena Testi Auttaja"


def fill(
    app: Flask,
    subject: Person,
    questionnaire_id: str,
    *,
    delegate: Person | None = None,
    helper: dict[str, str] | None = None,
) -> Submission:
    """Fill every page with the sample answers (by `delegate` when given) and send."""
    with app.test_request_context("/"):  # forms and e-mail links want a request
        submission = fill_and_send(subject, questionnaire_id, delegate, helper=helper)
        db.session.commit()
    return submission


def delegate_sent(app: Flask, questionnaire_id: str = "esitieto") -> Submission:
    """Helena fills Pertti's form and sends it on his behalf."""
    helena, pertti = person(HELENA), person(PERTTI)
    return fill(app, pertti, questionnaire_id, delegate=helena)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def block(html: str, submission: Submission) -> str:
    """One submission's part of the case page."""
    return html.split(f'id="lomake-{submission.reference}"')[1].split("</section>")[0]


def test_staff_see_the_delegates_answers_and_that_the_client_has_not_confirmed(app, demo):
    submission = delegate_sent(app)
    assert submission.delegate_id is not None and authorship.given_for(submission)
    case_path = f"/henkilosto/asiat/{submission.case_id}"
    sanna = staff(app, "sanna.ohjaaja")

    for path in (case_path, f"/henkilosto/lahetykset/{submission.id}"):
        html = page(sanna, path)
        assert f"Vastauksen antoi {HELENA_NAME}" in html
        assert f"Täytetty toisen puolesta: {HELENA_NAME} (Suomi.fi-valtuutus)" in html
        assert f"Lähettäjä: {HELENA_NAME}" in html
        # A warning with its icon's text, not colour alone.
        assert "govuk-warning-text" in html
        assert "Asiakas ei ole vielä vahvistanut vastauksia" in html
        assert "Asiakas vahvisti vastaukset" not in html
    # The summary stands above the answers.
    html = page(sanna, case_path)
    assert html.index("Täytetty toisen puolesta") < html.index("Vastauksen antoi")
    # "Kuka täytti lomakkeet" no longer says the client filled it with their own login.
    who_section = html.split('id="taytto-otsikko"')[1].split("</section>")[0]
    assert "Täytetty toisen puolesta" in who_section
    assert "omilla tunnuksillaan" not in who_section

    # The nurse reads the esitieto: authorship is a fact about it, not a triage flag.
    nurse = page(staff(app, "helmi.hoitaja"), case_path)
    assert f"Vastauksen antoi {HELENA_NAME}" in nurse
    assert "Täytetty toisen puolesta" in nurse
    assert "Asiakas ei ole vielä vahvistanut vastauksia" in nurse


def test_the_clients_confirmation_shows_on_the_form_and_in_the_history(app, demo):
    submission = delegate_sent(app)
    pertti = citizen(app, PERTTI)
    review = page(pertti, f"/puolestasi/lahetys/{submission.id}")
    confirmed = pertti.post(
        f"/puolestasi/lahetys/{submission.id}/vahvista",
        data={"csrf_token": csrf_token(review)},
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.confirmed_at is not None
    day = helsinki_date(submission.confirmed_at)
    event = db.session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == submission.case_id, CaseEvent.kind == "answers_confirmed"
        )
    ).one()
    assert event.staff_id is None

    html = page(staff(app, "sanna.ohjaaja"), f"/henkilosto/asiat/{submission.case_id}")
    assert f"Asiakas vahvisti vastaukset {day.day}.{day.month}.{day.year}" in html
    assert "Asiakas ei ole vielä vahvistanut vastauksia" not in html
    # Still shown who gave the answers: confirming does not make them the client's own.
    assert f"Vastauksen antoi {HELENA_NAME}" in html
    history = html.split('id="historia-otsikko"')[1].split("</table>")[0]
    row = history.split("Asiakas vahvisti puolestaan annetut vastaukset")[1].split("</tr>")[0]
    assert submission.reference in row
    assert ">Asiakas<" in row and "Järjestelmä" not in row


def test_helpers_beside_and_a_correction_either_way(app, demo):
    submission = delegate_sent(app, "saate")
    pertti = person(PERTTI)
    questionnaire = registry.get("saate")
    with app.test_request_context("/"):
        draft = authorship.correction_draft(submission, questionnaire)
        correction = send(draft, questionnaire, pertti)
        db.session.commit()
    assert correction.corrects_id == submission.id and correction.case_id == submission.case_id

    html = page(staff(app, "sanna.ohjaaja"), f"/henkilosto/asiat/{submission.case_id}")
    first, second = block(html, submission), block(html, correction)
    assert f"Asiakas on korjannut tämän lomakkeen: {correction.reference}" in first
    assert f"Korjaa lomaketta {submission.reference}" in second
    # The delegate sent the first one, the client the correction.
    assert f"Lähettäjä: {HELENA_NAME}" in first and "Lähettäjä" not in second

    aada = person(AADA)
    helped = fill(app, aada, "omaarvio", helper={"name": "Maija Apu", "relation": "puoliso"})
    own = page(staff(app, "sanna.ohjaaja"), f"/henkilosto/lahetykset/{helped.id}")
    assert "Täyttämisessä auttoi: Maija Apu (Puoliso tai kumppani)" in own
    # Her own answers: no one else's name on them, nothing to confirm.
    assert "Vastauksen antoi" not in own and "Täytetty toisen puolesta" not in own
    assert "vahvistanut vastauksia" not in own and "Lähettäjä" not in own
