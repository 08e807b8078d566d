"""The lead's team figures: right counts, only for leads, no client data on the page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.alkupalvelu.figures import team_figures
from portal.alkupalvelu.models import StaffMember
from portal.audit.models import AuditEvent
from portal.cases import workflow
from portal.cases.client_case import ClientCase
from portal.db import db
from portal.questionnaires import registry
from tests.intake.test_journey import citizen, send, staff

AADA, EINO = "010280-952L", "150375-9536"


def _staff(sub: str) -> StaffMember:
    return db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()


def test_lead_sees_counts_without_client_data(app, demo):
    omaarvio = registry.get("omaarvio")
    aada = send(citizen(app, AADA), omaarvio)
    send(citizen(app, EINO), omaarvio)
    case = db.session.get(ClientCase, aada.case_id)
    sanna = _staff("sanna.ohjaaja")
    assert workflow.claim(case, sanna).won
    workflow.add_entry(case, sanna, "contact", "", channel="phone")
    other = db.session.scalars(select(ClientCase).where(ClientCase.id != case.id)).one()
    other.contact_due = date.today() - timedelta(days=1)  # overdue, not contacted
    db.session.commit()
    figures = team_figures(case.team, date.today())
    assert (figures.unassigned, figures.overdue) == (1, 1)
    assert figures.by_status["tyon_alla"] == 1 and figures.by_status["uusi"] == 1
    assert (figures.contacted_in_time, figures.waiting_for_contact_late) == (1, 1)
    assert figures.median_days_to_contact == 0
    assert figures.open_by_assignee == [("Sanna Ohjaaja", 1)]
    events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))

    page = staff(app, "tuomas.tiiminvetaja").get("/henkilosto/luvut")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tiimin luvut" in html
    assert "Sanna Ohjaaja" in html  # open cases per instructor
    for private in ("Demola", "Kokeilu", "010280", "150375", aada.reference):
        assert private not in html
    # Counts, not people: reading figures is no access to a client's data.
    new_events = db.session.scalars(select(AuditEvent).offset(events)).all()
    assert all(e.person_id is None for e in new_events)


def test_figures_are_for_leads_only(app, demo):
    assert staff(app, "sanna.ohjaaja").get("/henkilosto/luvut").status_code == 403
