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
