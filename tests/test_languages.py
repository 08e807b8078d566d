"""Language and register switch: every page in fi, sv, en and selkokieli, remembered per person."""

from __future__ import annotations

from portal.cases.models import Person
from portal.db import db
from tests.intake.test_journey import AADA, citizen


def test_the_switch_changes_language_and_lang_attribute(client):
    fi = client.get("/").get_data(as_text=True)
    assert '<html lang="fi"' in fi and "Kirjaudu sisään" in fi
    sv = client.get("/?kieli=sv").get_data(as_text=True)
    assert '<html lang="sv"' in sv and "Kirjaudu sisään" not in sv
    en = client.get("/").get_data(as_text=True)  # the choice stays for the next page
    assert '<html lang="sv"' in en
    assert '<html lang="en"' in client.get("/?kieli=en").get_data(as_text=True)


def test_selkokieli_is_a_register_of_finnish(client):
    plain = client.get("/?kieli=fi&selkokieli=0").get_data(as_text=True)
    selko = client.get("/?selkokieli=1").get_data(as_text=True)
    assert '<html lang="fi"' in selko
    assert plain != selko
    assert "Yleiskieli" in selko and "Selkokieli" in plain


def test_the_switch_keeps_the_pages_other_arguments(app, demo):
    from portal.questionnaires import registry
    from tests.intake.journey import begin

    client = citizen(app, AADA)
    begin(client, registry.get("esitieto"))
    html = client.get("/lomake/esitieto/sivu/yhteystiedot?palaa=tarkista").get_data(as_text=True)
    assert "palaa=tarkista&amp;selkokieli=1" in html or "palaa=tarkista&selkokieli=1" in html


def test_the_choice_is_remembered_for_the_person(app, demo):
    client = citizen(app, AADA)
    client.get("/?selkokieli=1")
    person = db.session.scalars(db.select(Person)).one()
    assert person.preferred_register == "selko"
    again = citizen(app, AADA)  # a new browser
    assert "Yleiskieli" in again.get("/").get_data(as_text=True)


def test_typed_input_that_failed_its_checks_survives_a_language_switch(app, demo):
    from werkzeug.datastructures import MultiDict

    from portal.questionnaires import registry
    from tests.conftest import csrf_token
    from tests.intake.journey import begin

    esitieto = registry.get("esitieto")
    client = citizen(app, AADA)
    begin(client, esitieto)
    page = next(p for p in esitieto.pages if any(q.id == "phone" for q in p.questions))
    path = f"/lomake/esitieto/sivu/{page.id}"
    token = csrf_token(client.get(path).get_data(as_text=True))
    # phone is required and left empty; the e-mail typed must not be lost
    typed = MultiDict(
        [("csrf_token", token), ("action", "continue"), ("email", "aada@example.invalid")]
    )
    assert client.post(path, data=typed).status_code == 400
    switched = client.get(path + "?selkokieli=1").get_data(as_text=True)
    assert 'value="aada@example.invalid"' in switched
    assert "govuk-error-summary" in switched
