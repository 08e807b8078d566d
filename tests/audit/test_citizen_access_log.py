"""Kuka on käsitellyt tietojani: the citizen sees who (organisation, role) handled their data."""

from __future__ import annotations

from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.audit.models import AuditEvent
from portal.audit.staff import staff_access
from portal.cases.models import Person
from portal.db import db
from portal.questionnaires import registry
from tests.intake.test_journey import AADA, citizen, send, staff

PAGE = "/omat-tiedot/kasittelyloki"
EINO = "150375-9536"  # Jyväskylä, like Aada


def test_citizen_sees_team_and_role_and_the_name_only_by_policy(app, demo):
    aada = citizen(app, AADA)
    submission = send(aada, registry.get("esitieto"))
    sanna = staff(app, "sanna.ohjaaja")
    assert sanna.get(f"/henkilosto/lahetykset/{submission.id}").status_code == 200

    html = aada.get(PAGE).get_data(as_text=True)
    assert "Kuka on käsitellyt tietojani" in html
    assert "Jyväskylän seudun alkupalvelu" in html
    assert "Sosiaaliohjaaja" in html
    assert "Luki lähettämäsi lomakkeen" in html or "Avasi asiasi tiedot" in html
    assert "Sanna Ohjaaja" not in html  # the default policy: no staff names
    assert "703/2023" in html and "tietosuojavastaava" in html
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "access_log.viewed")
    ).all()
    assert len(viewed) == 1 and viewed[0].actor_kind == "citizen"
    assert viewed[0].person_id == submission.person_id

    app.config["PORTAL"]["AUDIT_SHOW_STAFF_NAMES"] = "1"
    assert "Sanna Ohjaaja" in aada.get(PAGE).get_data(as_text=True)

    # Another person sees none of it.
    other = citizen(app, EINO).get(PAGE).get_data(as_text=True)
    assert "Sanna Ohjaaja" not in other and "Sosiaaliohjaaja" not in other
    assert "Kukaan henkilöstöstä ei ole vielä käsitellyt tietojasi" in other

    # The consents page links here.
    assert f'href="{PAGE}"' in aada.get("/omat-tiedot/suostumukset").get_data(as_text=True)


def test_the_log_pages_newest_first_and_needs_a_login(app, demo, client):
    assert client.get(PAGE).status_code == 302
    aada = citizen(app, AADA)
    person = db.session.scalars(select(Person).where(Person.hetu == AADA)).one()
    nurse = db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == "helmi.hoitaja")
    ).one()
    for n in range(55):
        staff_access(nurse, "case.viewed", person_id=person.id, what=f"test {n}")
    staff_access(nurse, "something.new", person_id=person.id, what="unknown action")
    db.session.commit()

    first = aada.get(PAGE).get_data(as_text=True)
    assert first.count("Avasi asiasi tiedot") == 49
    assert first.index("Käsitteli tietojasi") < first.index("Avasi asiasi tiedot")  # newest first
    assert "Terveydenhoitaja" in first
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "ennen=" in older
    second = aada.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("Avasi asiasi tiedot") == 6
    assert 'rel="next"' not in second
