"""What a delegate did on someone's behalf, in both audit views: the person's own "Kuka on
käsitellyt tietojani" names the delegate (whatever the staff-name policy), and the lead's
audit search says the row was a delegate acting for the client."""

from __future__ import annotations

from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.audit.log import record
from portal.audit.models import AuditEvent
from portal.audit.staff import staff_access
from portal.db import db
from tests.alkupalvelu.test_authorship_staff import (
    HELENA,
    HELENA_NAME,
    PERTTI,
    delegate_sent,
    person,
)
from tests.intake.test_journey import AADA, citizen, staff

PAGE = "/omat-tiedot/kasittelyloki"
SEARCH = "/henkilosto/loki"

# Every delegate action and how the person reads it (the delegate's name beside it).
SENTENCES = {
    "mandate.acting_started": "Alkoi asioida puolestasi Suomi.fi-valtuuden avulla",
    "mandate.acting_ended": "Lopetti asioinnin puolestasi",
    "mandate.lost": "Yritti jatkaa asiointia puolestasi, mutta valtuutus ei ollut enää voimassa",
    "mandate.refused": "Yritti asioida puolestasi, mutta voimassa olevaa valtuutta ei ollut",
    "draft.started": "Aloitti lomakkeen puolestasi",
    "draft.saved": "Tallensi vastauksia lomakkeeseen puolestasi",
    "submission.sent": "Lähetti lomakkeen puolestasi",
    "submission.viewed": "Katsoi lomaketta, jonka lähetti puolestasi",
    "consent.given": "Antoi puolestasi suostumuksen tietojen vaihtoon",
}
# Recorded by sending the form itself (its answers give one consent).
BY_SENDING = ("submission.sent", "consent.given")


def _acted_for_pertti(app) -> None:
    """Helena's whole visit for Pertti, in the log; sending the form records BY_SENDING."""
    submission = delegate_sent(app)
    helena, pertti = person(HELENA), person(PERTTI)
    for action in SENTENCES:
        if action not in BY_SENDING:
            record(
                "delegate",
                str(helena.id),
                action,
                person_id=pertti.id,
                submission_id=submission.id if action == "submission.viewed" else None,
            )
    # Helena's own affairs (her own person id): not Pertti's to see.
    record("citizen", str(helena.id), "login", person_id=helena.id)
    db.session.commit()


def test_the_person_sees_the_delegate_by_name_even_without_staff_names(app, demo):
    assert app.config["PORTAL"].get("AUDIT_SHOW_STAFF_NAMES") != "1"
    _acted_for_pertti(app)
    sanna = staff(app, "sanna.ohjaaja")
    submission_id = db.session.scalars(
        select(AuditEvent.submission_id).where(AuditEvent.action == "submission.sent")
    ).one()
    assert sanna.get(f"/henkilosto/lahetykset/{submission_id}").status_code == 200

    html = citizen(app, PERTTI).get(PAGE).get_data(as_text=True)
    for sentence in SENTENCES.values():
        assert sentence in html, sentence
    assert html.count(HELENA_NAME) >= len(SENTENCES)
    assert html.count(">Valtuutettu<") == len(SENTENCES)
    assert '<th scope="col" class="govuk-table__header">Nimi</th>' in html
    # Staff stay unnamed by the default policy; their reading reads as before.
    assert "Sanna Ohjaaja" not in html
    assert "Luki lähettämäsi lomakkeen" in html
    assert html.count("Luki lähettämäsi lomakkeen") == 1  # the delegate's viewing reads otherwise
    assert "Sosiaaliohjaaja" in html

    # Helena's own log holds none of what she did for Pertti, nor does anyone else's.
    for hetu in (HELENA, AADA):
        other = citizen(app, hetu).get(PAGE).get_data(as_text=True)
        for sentence in SENTENCES.values():
            assert sentence not in other, (hetu, sentence)
        assert ">Valtuutettu<" not in other
    assert HELENA_NAME not in citizen(app, AADA).get(PAGE).get_data(as_text=True)

    # With staff names on, both are named.
    app.config["PORTAL"]["AUDIT_SHOW_STAFF_NAMES"] = "1"
    named = citizen(app, PERTTI).get(PAGE).get_data(as_text=True)
    assert "Sanna Ohjaaja" in named and HELENA_NAME in named


def test_delegate_and_staff_events_page_together_newest_first(app, demo):
    helena, pertti = person(HELENA), person(PERTTI)
    nurse = db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == "helmi.hoitaja")
    ).one()
    for n in range(30):
        staff_access(nurse, "case.viewed", person_id=pertti.id, what=f"test {n}")
        record("delegate", str(helena.id), "draft.saved", person_id=pertti.id)
    db.session.commit()

    pertti_client = citizen(app, PERTTI)
    first = pertti_client.get(PAGE).get_data(as_text=True)
    assert first.count("Avasi asiasi tiedot") == 25
    assert first.count("Tallensi vastauksia lomakkeeseen puolestasi") == 25
    # Newest first: the last delegate event came after the last staff event.
    assert first.index("Tallensi vastauksia") < first.index("Avasi asiasi tiedot")
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = pertti_client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("Avasi asiasi tiedot") == 5
    assert second.count("Tallensi vastauksia lomakkeeseen puolestasi") == 5
    assert 'rel="next"' not in second


def test_the_lead_sees_delegate_rows_for_what_they_are(app, demo):
    _acted_for_pertti(app)
    lead = staff(app, "tuomas.tiiminvetaja")
    html = lead.get(SEARCH, query_string={"henkilotunnus": PERTTI}).get_data(as_text=True)
    assert "Valtuutettu asiakkaan puolesta" in html and HELENA_NAME in html
    assert "Valtuutettu lähetti lomakkeen asiakkaan puolesta<br>" in html
    assert "Asiakas lähetti lomakkeen<br>" not in html  # it was not the client
    assert "Valtuutettu alkoi asioida asiakkaan puolesta<br>" in html
    assert html.count("Valtuutettu asiakkaan puolesta") == len(SENTENCES)
    # Helena's own events (login) are hers, not in Pertti's results.
    assert "Kirjautuminen<br>" not in html

    # The lead saw Helena named: her own log says her doings were looked at.
    helena = person(HELENA)
    listed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "audit.listed", AuditEvent.person_id == helena.id
        )
    ).all()
    assert len(listed) == 1

    by_action = lead.get(SEARCH, query_string={"toiminto": "mandate.acting_started"})
    assert by_action.status_code == 200
    assert HELENA_NAME in by_action.get_data(as_text=True)
