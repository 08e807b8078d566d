"""The staff inbox through the real app: tabs, filters, search, paging, audit, bulk reassign."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from portal.alkupalvelu import inbox
from portal.alkupalvelu.inbox import Filters
from portal.alkupalvelu.models import StaffMember
from portal.audit.models import AuditEvent
from portal.cases import workflow
from portal.cases.client_case import CaseEvent, CaseFlag, ClientCase, Status
from portal.cases.deadlines import helsinki_today
from portal.cases.models import Submission
from portal.db import db
from portal.questionnaires import registry
from tests.conftest import csrf_token
from tests.intake.test_journey import AADA, SIIRI, citizen, send, staff

EINO = "150375-9536"  # Jyväskylä, like Aada


def sent(client, questionnaire_id: str) -> Submission:
    return send(client, registry.get(questionnaire_id))


def member(sub: str) -> StaffMember:
    return db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()


def case_of(submission: Submission) -> ClientCase:
    db.session.expire_all()
    return db.session.get(ClientCase, submission.case_id)


def listed(case: ClientCase, sub: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "inbox.listed",
                AuditEvent.case_id == case.id,
                AuditEvent.actor_id == str(member(sub).id),
            )
        )
    )


def page_of(client, query: str = "") -> str:
    response = client.get(f"/henkilosto/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_tabs_filters_search_and_every_listed_row_is_audited(app, demo):
    aada = sent(citizen(app, AADA), "esitieto")
    eino = sent(citizen(app, EINO), "saate")
    aada_case, eino_case = case_of(aada), case_of(eino)
    sanna = staff(app, "sanna.ohjaaja")

    html = page_of(sanna)
    assert aada.reference in html and eino.reference in html
    current = html.split("govuk-tabs__list-item--selected")[1].split("</a>")[0]
    assert 'aria-current="page"' in current
    assert " ".join(re.sub(r"<[^>]+>", " ", current).split()).endswith("Jakamattomat (2 asiaa )")
    assert "Demola, Aada Testi" in html
    for case in (aada_case, eino_case):
        events = listed(case, "sanna.ohjaaja")
        assert len(events) == 1
        assert events[0].person_id == case.person_id
        assert events[0].actor_role == "sosiaaliohjaaja"
        assert events[0].detail["what"] == "name, age, forms, flags"

    # Filters: questionnaire, flag (when the two differ in one), overdue.
    html = page_of(sanna, "?questionnaire=saate")
    assert eino.reference in html and aada.reference not in html
    flags = {
        c.id: {
            f.flag_id for f in db.session.scalars(select(CaseFlag).where(CaseFlag.case_id == c.id))
        }
        for c in (aada_case, eino_case)
    }
    only_eino = flags[eino_case.id] - flags[aada_case.id]
    if only_eino:
        html = page_of(sanna, f"?flag={sorted(only_eino)[0]}")
        assert eino.reference in html and aada.reference not in html
    today = helsinki_today()
    aada_case.contact_due = today - timedelta(days=10)
    eino_case.contact_due = today
    db.session.commit()
    html = page_of(sanna)
    assert "Myöhässä" in html and "Erääntyy pian" in html
    html = page_of(sanna, "?overdue=1")
    assert aada.reference in html and eino.reference not in html
    assert "Myöhässä" in html and "Erääntyy pian" not in html
    assert "Tyhjennä suodattimet" in html

    # Search: reference, identity code, family name; a miss says what to try.
    html = page_of(sanna, f"?q={eino.reference.lower()}")
    assert eino.reference in html and aada.reference not in html
    html = page_of(sanna, f"?q={EINO}")
    assert eino.reference in html and aada.reference not in html
    found = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "inbox.searched")
    ).all()
    assert {e.case_id for e in found} == {eino_case.id}
    assert all(EINO not in str(e.detail) for e in found)
    html = page_of(sanna, "?q=demo")
    assert aada.reference in html and eino.reference not in html
    html = page_of(sanna, "?q=Olematon")
    assert "ei löytynyt asioita" in html and "henkilötunnuksella" in html

    # Claiming moves a case from Unassigned to Mine (and to the Team tab for others).
    result = workflow.claim(eino_case, member("sanna.ohjaaja"))
    db.session.commit()
    assert result.won
    html = page_of(sanna, "?tab=mine")
    assert eino.reference in html and aada.reference not in html
    # A timed hold whose day has come is back in the working tabs, and says so.
    eino_case = case_of(eino)
    eino_case.status, eino_case.waiting_until = "odottaa", today
    db.session.commit()
    html = page_of(sanna, "?tab=mine")
    assert eino.reference in html and "Odotus päättyi" in html
    html = page_of(sanna)
    assert aada.reference in html and eino.reference not in html
    lead = staff(app, "tuomas.tiiminvetaja")
    html = page_of(lead, "?tab=team")
    assert eino.reference in html and "Sanna Ohjaaja" in html and aada.reference not in html
    html = page_of(lead, "?tab=closed")
    assert "Päättyneitä asioita ei ole" in html


def test_keyset_pages_follow_each_other_without_gaps(app, demo, monkeypatch):
    first = sent(citizen(app, AADA), "esitieto")
    second = sent(citizen(app, EINO), "esitieto")
    lead = member("tuomas.tiiminvetaja")
    today = helsinki_today()
    for sort in ("due", "newest", "oldest"):
        one = inbox.page(lead, "unassigned", Filters(), sort=sort, today=today, page_size=1)
        assert len(one.rows) == 1 and one.next_cursor
        two = inbox.page(
            lead,
            "unassigned",
            Filters(),
            sort=sort,
            after=one.next_cursor,
            today=today,
            page_size=1,
        )
        assert len(two.rows) == 1 and two.next_cursor is None
        seen = {one.rows[0].case.id, two.rows[0].case.id}
        assert seen == {first.case_id, second.case_id}
    newest = inbox.page(lead, "unassigned", Filters(), sort="newest", today=today, page_size=1)
    assert newest.rows[0].reference == second.reference
    # A damaged cursor starts from the first page instead of failing.
    again = inbox.page(lead, "unassigned", Filters(), after="roskaa", today=today, page_size=1)
    assert len(again.rows) == 1

    # The page links keep the filters: one row a page, the newest first.
    monkeypatch.setattr(inbox, "PAGE_SIZE", 1)
    lead_client = staff(app, "tuomas.tiiminvetaja")
    html = page_of(lead_client, "?sort=newest&questionnaire=esitieto")
    assert second.reference in html and first.reference not in html
    assert "Ensimmäinen sivu" not in html
    assert "Seuraava sivu" in html
    link = re.search(r'href="(/henkilosto/[^"]*)" rel="next"', html)
    assert link, "no next page link"
    following = link.group(1).replace("&amp;", "&")
    assert "sort=newest" in following and "questionnaire=esitieto" in following
    html = page_of(lead_client, following.removeprefix("/henkilosto/"))
    assert first.reference in html and second.reference not in html
    assert "Ensimmäinen sivu" in html and "Seuraava sivu" not in html

    # A search pages too: its order (newest first) is the one its cursor follows.
    closed = db.session.get(ClientCase, first.case_id)
    workflow.set_status(closed, lead, Status.CLOSED, reason="Valmis", today=today)
    db.session.commit()
    later = sent(citizen(app, AADA), "esitieto")  # a new case for Aada
    found = Filters(query=AADA)
    one = inbox.page(lead, "unassigned", found, today=today, page_size=1)
    assert [r.case.id for r in one.rows] == [later.case_id] and one.next_cursor
    two = inbox.page(lead, "unassigned", found, after=one.next_cursor, today=today, page_size=1)
    assert [r.case.id for r in two.rows] == [first.case_id] and two.next_cursor is None


def test_other_teams_see_nothing_and_a_nurse_sees_pre_questionnaires_only(app, demo):
    aada_esitieto = sent(aada := citizen(app, AADA), "esitieto")
    aada_saate = sent(aada, "saate")
    eino = sent(citizen(app, EINO), "saate")
    siiri = sent(citizen(app, SIIRI), "esitieto")
    assert aada_esitieto.case_id == aada_saate.case_id  # one case, one row

    sanna = page_of(staff(app, "sanna.ohjaaja"))
    assert aada_saate.reference in sanna  # the latest submission's reference
    assert sanna.count("Demola, Aada Testi") == 1
    assert siiri.reference not in sanna

    other = page_of(staff(app, "aino.aanekoski"))
    for submission in (aada_saate, aada_esitieto, eino):
        assert submission.reference not in other
    assert siiri.reference in other
    assert not listed(case_of(eino), "aino.aanekoski")

    nurse = page_of(staff(app, "helmi.hoitaja"))
    assert aada_esitieto.reference in nurse and aada_saate.reference not in nurse
    assert eino.reference not in nurse
    assert "Huomiot" not in nurse and "portal-flag" not in nurse
    events = listed(case_of(aada_esitieto), "helmi.hoitaja")
    assert len(events) == 1 and events[0].detail["what"] == "name, age, forms"
    assert not listed(case_of(eino), "helmi.hoitaja")
    assert page_of(staff(app, "helmi.hoitaja"), "?q=Kokeilu").count("Kokeilu, Eino") == 0


def test_a_lead_moves_an_absent_colleagues_cases_in_bulk(app, demo):
    aada = sent(citizen(app, AADA), "esitieto")
    eino = sent(citizen(app, EINO), "esitieto")
    sanna_member, lead_member = member("sanna.ohjaaja"), member("tuomas.tiiminvetaja")
    for submission in (aada, eino):
        assert workflow.claim(case_of(submission), sanna_member).won
    db.session.commit()

    lead = staff(app, "tuomas.tiiminvetaja")
    html = page_of(lead, f"?tab=team&assignee={sanna_member.id}")
    assert f"Valitse {aada.reference}" in html and "Siirrä valitut" in html
    form = {
        "csrf_token": csrf_token(html),
        "back": f"tab=team&assignee={sanna_member.id}",
        "to": str(lead_member.id),
        "reason": "Vuosiloma",
    }
    missing = lead.post("/henkilosto/siirra", data=form)
    assert missing.status_code == 400
    assert "Valitse vähintään yksi asia" in missing.get_data(as_text=True)

    response = lead.post(
        "/henkilosto/siirra", data={**form, "asiat": [str(aada.case_id), str(eino.case_id)]}
    )
    assert response.status_code == 302
    assert "tab=team" in response.headers["Location"]
    after = lead.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 asiaa siirrettiin työntekijälle Tuomas Tiiminvetäjä" in after
    for submission in (aada, eino):
        case = case_of(submission)
        assert case.assignee_id == lead_member.id
        moved = db.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "reassigned")
        ).one()
        assert moved.reason == "Vuosiloma" and moved.staff_id == lead_member.id
        audit = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "case.reassigned", AuditEvent.case_id == case.id
            )
        ).one()
        assert audit.detail["what"] == "assignee"

    stranger = {**form, "asiat": [str(uuid.uuid4())]}
    assert lead.post("/henkilosto/siirra", data=stranger).status_code == 404

    sanna = staff(app, "sanna.ohjaaja")
    html = page_of(sanna)
    assert "Siirrä valitut" not in html and "Valitse " + aada.reference not in html
    refused = sanna.post(
        "/henkilosto/siirra",
        data={**form, "csrf_token": csrf_token(html), "asiat": [str(aada.case_id)]},
    )
    assert refused.status_code == 403
