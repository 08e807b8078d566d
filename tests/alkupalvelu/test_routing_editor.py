"""The routing rule editor: leads and admins change rules as new versions, with history."""

from __future__ import annotations

from sqlalchemy import select

from portal.alkupalvelu.models import RoutingRule, StaffMember, Team
from portal.alkupalvelu.routing import route
from portal.audit.models import AuditEvent
from portal.db import db
from portal.questionnaires import registry
from tests.conftest import csrf_token
from tests.intake.test_journey import AADA, citizen, send, staff

PAGE = "/henkilosto/reititys"


def _team(slug: str) -> Team:
    return db.session.scalars(select(Team).where(Team.slug == slug)).one()


def _staff(sub: str) -> StaffMember:
    return db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()


def _token(app, client) -> str:
    """A valid CSRF token for a client whose pages have no form (e.g. a 403 page)."""
    from itsdangerous import URLSafeTimedSerializer

    with client.session_transaction() as session:
        session["csrf_token"] = "0" * 40
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps("0" * 40)


def _post(client, path: str, data: dict, page: str = PAGE):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_lead_adds_and_changes_a_rule_and_submissions_keep_their_version(app, demo):
    lead = staff(app, "tuomas.tiiminvetaja")
    page = lead.get(PAGE)
    assert page.status_code == 200
    assert "Jyväskylä (179)" in page.get_data(as_text=True)
    aanekoski = _team("aanekoski")

    added = _post(
        lead,
        PAGE,
        {
            "municipality_code": "179",
            "questionnaire_id": "esitieto",
            "flag_id": "",
            "team_id": str(aanekoski.id),
            "reason": "Terveystarkastukset keskitetään Äänekoskelle",
        },
    )
    assert added.status_code == 302, added.get_data(as_text=True)[:2000]
    rule = db.session.scalars(
        select(RoutingRule).where(
            RoutingRule.questionnaire_id == "esitieto", RoutingRule.retired_at.is_(None)
        )
    ).one()
    tuomas = _staff("tuomas.tiiminvetaja")
    assert (rule.municipality_code, rule.team_id, rule.created_by) == (
        "179",
        aanekoski.id,
        tuomas.id,
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "routing.changed")
    ).one()
    assert event.person_id is None and event.actor_role == "tiiminvetaja"
    assert event.detail["rule_id"] == rule.id

    # A submission now routes by the new, more specific rule and records it.
    submission = send(citizen(app, AADA), registry.get("esitieto"))
    assert submission.team_id == aanekoski.id
    assert submission.routing_rule_id == rule.id

    # Changing the rule: the old version is retired (who, when), the new one replaces it.
    jyvaskyla = _team("jyvaskyla")
    rule_page = f"{PAGE}/{rule.id}"
    changed = _post(
        lead,
        f"{rule_page}/tiimi",
        {"team_id": str(jyvaskyla.id), "reason": "Kokeilu päättyi"},
        page=rule_page,
    )
    assert changed.status_code == 302, changed.get_data(as_text=True)[:2000]
    db.session.expire_all()
    old = db.session.get(RoutingRule, rule.id)
    assert old.retired_at is not None and old.retired_by == tuomas.id
    new = db.session.scalars(select(RoutingRule).where(RoutingRule.replaces_id == old.id)).one()
    assert new.retired_at is None and new.team_id == jyvaskyla.id
    assert new.reason == "Kokeilu päättyi" and new.created_by == tuomas.id
    db.session.refresh(submission)
    assert submission.routing_rule_id == old.id  # the old submission keeps the old version
    team, by = route("179", "esitieto")
    assert (team.id, by.id) == (jyvaskyla.id, new.id)

    # The old version can no longer be changed (a second tab, a colleague first).
    stale = _post(lead, f"{PAGE}/{old.id}/tiimi", {"team_id": str(aanekoski.id), "reason": "x"})
    assert stale.status_code == 400
    assert "Sääntöä on juuri muutettu" in stale.get_data(as_text=True)
    old_page = lead.get(f"{PAGE}/{old.id}").get_data(as_text=True)
    assert "Tämä versio ei ole enää voimassa" in old_page and f"{PAGE}/{new.id}" in old_page

    history = lead.get(PAGE).get_data(as_text=True)
    assert "Muutoshistoria" in history and "Kokeilu päättyi" in history
    assert "Tuomas Tiiminvetäjä" in history

    # Retiring: the reason is kept (in the audit log) and shown in the history.
    retired = _post(
        lead,
        f"{PAGE}/{new.id}/poista",
        {"reason": "Erillissääntöä ei enää tarvita"},
        page=f"{PAGE}/{new.id}",
    )
    assert retired.status_code == 302
    db.session.expire_all()
    assert db.session.get(RoutingRule, new.id).retired_at is not None
    assert "Erillissääntöä ei enää tarvita" in lead.get(PAGE).get_data(as_text=True)
    assert route("179", "esitieto")[0].id == jyvaskyla.id  # back to the municipality rule
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "routing.changed"))
        .all()[-1]
        .detail["op"]
        == "retired"
    )


def test_duplicate_and_missing_reason_are_refused_with_a_message(app, demo):
    lead = staff(app, "tuomas.tiiminvetaja")
    before = len(db.session.scalars(select(RoutingRule)).all())
    duplicate = _post(
        lead,
        PAGE,
        {"municipality_code": "179", "team_id": str(_team("aanekoski").id), "reason": "Testi"},
    )
    html = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 400
    assert "govuk-error-summary" in html
    assert "Muuta olemassa olevaa sääntöä" in html
    no_reason = _post(
        lead,
        PAGE,
        {
            "municipality_code": "410",
            "questionnaire_id": "saate",
            "team_id": str(_team("aanekoski").id),
        },
    )
    assert no_reason.status_code == 400
    assert 'href="#add-reason"' in no_reason.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.scalars(select(RoutingRule)).all()) == before


def test_instructor_and_nurse_get_403(app, demo):
    for sub in ("sanna.ohjaaja", "helmi.hoitaja"):
        client = staff(app, sub)
        assert client.get(PAGE).status_code == 403
        rule = db.session.scalars(select(RoutingRule)).first()
        assert client.get(f"{PAGE}/{rule.id}").status_code == 403
        # A POST with a valid token is refused too.
        refused = client.post(
            PAGE,
            data={"csrf_token": _token(app, client), "municipality_code": "410", "reason": "x"},
        )
        assert refused.status_code == 403
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "routing.changed")
    ).all()


def test_admin_edits_rules_and_any_teams_deadline_a_lead_only_their_own(app, demo):
    admin = staff(app, "paavo.paakayttaja")
    assert admin.get(PAGE).status_code == 200
    rule = db.session.scalars(
        select(RoutingRule).where(RoutingRule.municipality_code == "500")
    ).one()
    changed = _post(
        admin,
        f"{PAGE}/{rule.id}/tiimi",
        {"team_id": str(_team("aanekoski").id), "reason": "Muuramen asiakkaat Äänekoskelle"},
        page=f"{PAGE}/{rule.id}",
    )
    assert changed.status_code == 302
    by_admin = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "routing.changed")
    ).one()
    assert by_admin.actor_role == "paakayttaja" and by_admin.detail["op"] == "changed"
    jyvaskyla = _team("jyvaskyla")
    set_days = _post(admin, f"{PAGE}/maaraaika", {"team_id": str(jyvaskyla.id), "days": "5"})
    assert set_days.status_code == 302
    db.session.expire_all()
    assert _team("jyvaskyla").contact_working_days == 5
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "routing.changed")
    ).all()[-1]
    assert event.detail == {"op": "contact_days", "team": jyvaskyla.id, "before": 3, "after": 5}

    lead = staff(app, "tuomas.tiiminvetaja")
    other = _post(lead, f"{PAGE}/maaraaika", {"team_id": str(_team("aanekoski").id), "days": "1"})
    assert other.status_code == 400
    too_many = _post(lead, f"{PAGE}/maaraaika", {"team_id": str(jyvaskyla.id), "days": "11"})
    assert too_many.status_code == 400
    assert "1–10 arkipäivää" in too_many.get_data(as_text=True)
    db.session.expire_all()
    assert _team("aanekoski").contact_working_days == 3
    assert _team("jyvaskyla").contact_working_days == 5
