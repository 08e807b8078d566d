"""The lead's audit log search: by identity code, staff member, action and dates; recorded."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.audit.models import AuditEvent
from portal.audit.staff import staff_access
from portal.db import db
from portal.questionnaires import registry
from tests.intake.test_journey import AADA, citizen, send, staff

PAGE = "/henkilosto/loki"


def _member(sub: str) -> StaffMember:
    return db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()


def test_lead_finds_who_read_a_persons_data_and_the_search_is_recorded(app, demo):
    submission = send(citizen(app, AADA), registry.get("esitieto"))
    opened = staff(app, "sanna.ohjaaja").get(f"/henkilosto/lahetykset/{submission.id}")
    assert opened.status_code == 200
    lead = staff(app, "tuomas.tiiminvetaja")

    found = lead.get(PAGE, query_string={"henkilotunnus": AADA.lower()})
    html = found.get_data(as_text=True)
    assert found.status_code == 200
    assert "Sanna Ohjaaja" in html and "010280-****" in html
    assert AADA not in html.replace(f'value="{AADA.lower()}"', "")  # only masked in results
    searched = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "audit.searched")
    ).all()
    assert [e.person_id for e in searched] == [submission.person_id]
    assert searched[0].actor_role == "tiiminvetaja"
    assert searched[0].detail["search"]["hetu"] == "010280-****"  # never the whole code

    sanna = _member("sanna.ohjaaja")
    by_staff = lead.get(PAGE, query_string={"tyontekija": sanna.id}).get_data(as_text=True)
    assert "Sanna Ohjaaja" in by_staff and "Asiakas itse" not in by_staff
    by_action = lead.get(PAGE, query_string={"toiminto": "submission.sent"}).get_data(as_text=True)
    assert "Asiakas lähetti lomakkeen<br>" in by_action and "Lomake avattu<br>" not in by_action
    tomorrow = (date.today() + timedelta(days=2)).strftime("%-d.%-m.%Y")
    later = lead.get(PAGE, query_string={"alkaen": tomorrow}).get_data(as_text=True)
    assert "Hakuehdoilla ei löytynyt lokitapahtumia" in later

    wrong = lead.get(PAGE, query_string={"henkilotunnus": "010280-123X", "alkaen": "eilen"})
    assert wrong.status_code == 400
    text = wrong.get_data(as_text=True)
    assert 'href="#henkilotunnus"' in text and 'href="#alkaen"' in text


def test_keyset_pages_and_who_may_search(app, demo):
    nurse = _member("helmi.hoitaja")
    for n in range(60):
        staff_access(nurse, "case.viewed", person_id=None, what=f"test {n}")
    db.session.commit()
    admin = staff(app, "paavo.paakayttaja")
    first = admin.get(PAGE, query_string={"toiminto": "case.viewed"}).get_data(as_text=True)
    assert first.count("Asiakkaan asia avattu<br>") == 50
    link = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "toiminto=case.viewed" in link and "ennen=" in link
    second = admin.get(link).get_data(as_text=True)
    assert second.count("Asiakkaan asia avattu<br>") == 10
    for sub in ("sanna.ohjaaja", "helmi.hoitaja"):
        assert staff(app, sub).get(PAGE).status_code == 403
