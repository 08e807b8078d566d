"""The citizen's own case page: the timeline in plain words, messages, the plan — and nothing
staff keep to themselves (notes, reasons, names, flags)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.audit.models import AuditEvent
from portal.cases import plans, workflow
from portal.cases.client_case import CaseEntry, ClientCase, Status
from portal.db import db
from portal.questionnaires import registry
from tests.intake.test_journey import AADA, citizen, send

EINO = "150375-9536"
NOTE = "Sisäinen muistiinpano: ei asiakkaalle"
REASON = "Syy jonka vain henkilöstö näkee"
MESSAGE = "Hei, soitan sinulle torstaina."
GOAL = "Kuntouttavaan työtoimintaan kolmena päivänä viikossa"


def a_case(app):
    client = citizen(app, AADA)
    send(client, registry.get("esitieto"))
    return client, db.session.scalars(select(ClientCase)).one()


def sanna() -> StaffMember:
    return db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == "sanna.ohjaaja")
    ).one()


def save_plan(case: ClientCase) -> None:
    plans.save_version(
        case,
        sanna(),
        {
            "goals": [
                {
                    "goal": GOAL,
                    "actions": "Tutustumiskäynti",
                    "coordinator": "TYP",
                    "schedule": "Maaliskuu",
                }
            ],
            "asiakasvastaava": {
                "name": "Maija Vastaava",
                "title": "Sosiaaliohjaaja",
                "phone": "040 123 4567",
                "email": "maija.vastaava@example.invalid",
            },
            "notes": "",
        },
        date.today() + timedelta(days=30),
        "laadittu",
    )


def test_timeline_messages_and_plan_without_staff_only_details(app, demo):
    client, case = a_case(app)
    html = client.get("/oma-asia").get_data(as_text=True)
    assert "Lomake vastaanotettu" in html
    assert "Jyväskylän seudun alkupalvelu" in html
    assert "Sinuun otetaan yhteyttä viimeistään" in html
    assert case.contact_due.strftime("%-d.%-m.%Y") in html

    staff = sanna()
    assert workflow.claim(case, staff).won
    workflow.add_entry(case, staff, "contact", "Puhelu, sovittiin tapaaminen", channel="phone")
    workflow.add_entry(case, staff, "note", NOTE)
    workflow.add_entry(case, staff, "message", MESSAGE)
    workflow.set_status(
        case, staff, Status.FORWARDED, reason=REASON, destination="typ", today=date.today()
    )
    save_plan(case)
    db.session.commit()

    response = client.get("/oma-asia")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for step in (
        "Asiasi on käsittelyssä",
        "Sinuun on otettu yhteyttä",
        "Sinut on ohjattu palveluun: TYP",
        "Suunnitelma tehty",
    ):
        assert step in html
    assert "Sinuun otetaan yhteyttä viimeistään" not in html  # contacted now
    assert MESSAGE in html
    assert GOAL in html and "Maija Vastaava" in html and "040 123 4567" in html
    for hidden in (NOTE, REASON, "Puhelu, sovittiin", "Sanna Ohjaaja", "Ohjaaja"):
        assert hidden not in html
    message = db.session.scalars(select(CaseEntry).where(CaseEntry.kind == "message")).one()
    assert message.read_at is not None
    note = db.session.scalars(select(CaseEntry).where(CaseEntry.kind == "note")).one()
    assert note.read_at is None
    assert db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "my_case.viewed", AuditEvent.person_id == case.person_id
        )
    ).first()

    # A second version: the timeline says it was updated, the first is one link away.
    plans.save_version(case, staff, {"goals": [{"goal": "Toinen"}]}, None, "paivitys")
    db.session.commit()
    html = client.get("/oma-asia").get_data(as_text=True)
    assert "Suunnitelmaa päivitetty" in html
    link = f"/oma-asia/{case.id}/suunnitelma/1"
    assert link in html
    first = client.get(link)
    assert first.status_code == 200 and GOAL in first.get_data(as_text=True)


def test_staff_names_are_shown_only_when_the_county_allows(app, demo):
    client, case = a_case(app)
    workflow.claim(case, sanna())
    workflow.add_entry(case, sanna(), "message", MESSAGE)
    db.session.commit()
    assert "Sanna Ohjaaja" not in client.get("/oma-asia").get_data(as_text=True)
    app.config["PORTAL"]["AUDIT_SHOW_STAFF_NAMES"] = "1"
    try:
        assert "Sanna Ohjaaja" in client.get("/oma-asia").get_data(as_text=True)
    finally:
        app.config["PORTAL"]["AUDIT_SHOW_STAFF_NAMES"] = "0"


def test_another_persons_plan_is_not_found(app, demo):
    _, case = a_case(app)
    save_plan(case)
    db.session.commit()
    path = f"/oma-asia/{case.id}/suunnitelma/1"
    eino = citizen(app, EINO)
    assert eino.get(path).status_code == 404
    assert "Maija Vastaava" not in eino.get("/oma-asia").get_data(as_text=True)
    owner = citizen(app, AADA)
    assert owner.get(path).status_code == 200
    assert owner.get(f"/oma-asia/{case.id}/suunnitelma/2").status_code == 404
