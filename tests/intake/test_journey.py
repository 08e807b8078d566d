"""Citizen journeys through the real app: log in through the dev provider, fill, resume, send."""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from portal.audit.models import AuditEvent
from portal.cases.models import Draft, Submission
from portal.db import db
from portal.devidp.users import CITIZEN_SUBS, STAFF_SUBS
from portal.questionnaires import registry
from tests.conftest import csrf_token, oidc_login
from tests.intake.journey import begin, fill_all, fill_page

AADA = "010280-952L"  # Jyväskylä → Jyväskylän seudun alkupalvelu
SIIRI = "240590-954H"  # Äänekoski
VAINO = "120668-956Y"  # Helsinki: no rule → central team


def citizen(app: Flask, hetu: str):
    return oidc_login(app.test_client(), "/kirjaudu/suomifi", CITIZEN_SUBS[hetu])


def staff(app: Flask, sub: str):
    assert sub in STAFF_SUBS
    return oidc_login(app.test_client(), "/henkilosto/kirjaudu", sub)


def send(client, questionnaire, overrides=None) -> Submission:
    check = fill_all(client, questionnaire, begin(client, questionnaire), overrides)
    html = client.get(check).get_data(as_text=True)
    draft_id = html.split('name="draft_id" value="')[1].split('"')[0]
    response = client.post(
        f"/lomake/{questionnaire.id}/laheta",
        data={"csrf_token": csrf_token(html), "draft_id": draft_id},
    )
    assert response.status_code == 302
    return db.session.scalars(
        select(Submission).where(Submission.draft_id == uuid.UUID(draft_id))
    ).one()


def test_answers_are_kept_over_logout_and_resume_where_left(app, demo):
    q = registry.get("esitieto")
    client = citizen(app, AADA)
    first = begin(client, q)
    second = fill_page(client, first, q.pages[0]).headers["Location"]
    assert second.endswith(f"/sivu/{q.pages[1].id}")

    again = citizen(app, AADA)  # a new browser: nothing but the login
    response = again.get(f"/lomake/{q.id}/jatka")
    assert response.headers["Location"].endswith(f"/sivu/{q.pages[1].id}")
    draft = db.session.scalars(select(Draft)).one()
    assert draft.completed_pages == [q.pages[0].id]


def test_errors_are_summarised_linked_and_answers_kept(app, demo):
    q = registry.get("esitieto")
    required_page = next(p for p in q.pages if any(x.required for x in p.questions))
    client = citizen(app, AADA)
    begin(client, q)
    path = f"/lomake/{q.id}/sivu/{required_page.id}"
    # Pages before it must be done first; walk there.
    for page in q.pages[: q.pages.index(required_page)]:
        fill_page(client, f"/lomake/{q.id}/sivu/{page.id}", page)
    typed = [
        ("csrf_token", csrf_token(client.get(path).get_data(as_text=True))),
        ("action", "continue"),
    ]
    kept_q = next((x for x in required_page.questions if x.type == "text" and not x.required), None)
    if kept_q:
        typed.append((kept_q.id, "säilyy"))
    response = client.post(path, data=MultiDict(typed))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    missing = next(x for x in required_page.questions if x.required)
    assert f'href="#{missing.id}"' in html
    assert missing.error_required in html
    if kept_q:
        assert 'value="säilyy"' in html


def test_send_creates_exactly_one_routed_submission(app, demo):
    q = registry.get("esitieto")
    client = citizen(app, AADA)
    check = fill_all(client, q, begin(client, q))
    html = client.get(check).get_data(as_text=True)
    assert "Tarkista vastaukset" in html
    draft_id = html.split('name="draft_id" value="')[1].split('"')[0]
    token = csrf_token(html)
    first = client.post(f"/lomake/{q.id}/laheta", data={"csrf_token": token, "draft_id": draft_id})
    second = client.post(f"/lomake/{q.id}/laheta", data={"csrf_token": token, "draft_id": draft_id})
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
    submission = db.session.scalars(select(Submission)).one()
    assert submission.team.slug == "jyvaskyla"
    assert submission.routing_rule_id is not None
    assert submission.questionnaire_version == q.version
    assert submission.answers["family_name"] == "Demola"
    receipt = client.get(first.headers["Location"]).get_data(as_text=True)
    assert submission.reference in receipt
    assert submission.contact_due.strftime("%-d.%-m.%Y") in receipt
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_unknown_municipality_goes_to_the_central_team(app, demo):
    submission = send(citizen(app, VAINO), registry.get("esitieto"))
    assert submission.team.slug == "keskitetty"
    assert submission.routing_rule_id is None


def test_change_link_returns_to_the_check_page(app, demo):
    q = registry.get("esitieto")
    client = citizen(app, AADA)
    check = fill_all(client, q, begin(client, q))
    html = client.get(check).get_data(as_text=True)
    page = q.pages[1]
    change = f"/lomake/{q.id}/sivu/{page.id}?palaa=tarkista"
    assert change.replace("?", "?") in html.replace("&amp;", "&")
    response = fill_page(client, change, page)
    assert response.headers["Location"].endswith("/tarkista")


def test_a_citizen_cannot_open_another_citizens_submission(app, demo):
    submission = send(citizen(app, AADA), registry.get("esitieto"))
    other = citizen(app, SIIRI)
    assert other.get(f"/lahetykset/{submission.id}").status_code == 404
    assert other.get(f"/lahetykset/{submission.id}/vastaukset").status_code == 404
    # and the other person's own draft is separate: a fresh start, not Aada's answers
    assert other.get("/lomake/esitieto/jatka").headers["Location"].endswith("/lomake/esitieto")


def test_staff_see_their_own_teams_inbox_only_and_access_is_logged(app, demo):
    submission = send(citizen(app, AADA), registry.get("esitieto"))
    own = staff(app, "sanna.ohjaaja")
    inbox = own.get("/henkilosto/").get_data(as_text=True)
    assert submission.reference in inbox
    detail = own.get(f"/henkilosto/lahetykset/{submission.id}")
    assert detail.status_code == 200
    assert "Demola" in detail.get_data(as_text=True)
    logged = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "submission.viewed", AuditEvent.submission_id == submission.id
        )
    ).all()
    assert len(logged) == 1 and logged[0].actor_kind == "staff"

    other_team = staff(app, "aino.aanekoski")
    assert submission.reference not in other_team.get("/henkilosto/").get_data(as_text=True)
    assert other_team.get(f"/henkilosto/lahetykset/{submission.id}").status_code == 404


def test_citizen_pages_need_a_login(client):
    response = client.get("/lomake/esitieto")
    assert response.status_code == 302
    assert "/kirjaudu" in response.headers["Location"]


def test_staff_pages_need_a_staff_login(app, demo):
    client = citizen(app, AADA)
    assert client.get("/henkilosto/").status_code == 302  # to the staff login, not the inbox


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
