"""Every staff page that shows client data leaves an audit record: walk the URL map, not a list.

A new staff GET route fails this test until it either records access (portal.audit.staff.
staff_access with the person's id) or is added to NO_CLIENT_DATA with the reason it shows no
client data. A new staff POST route fails until it is listed in POST_AUDIT (the action it
records) or POST_NO_CLIENT_DATA.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule

from portal.alkupalvelu.models import RoutingRule, StaffMember
from portal.audit.citizen_view import ACTIONS
from portal.audit.models import AuditEvent
from portal.cases.client_case import PlanVersion
from portal.db import db
from portal.questionnaires import registry
from tests.intake.test_journey import AADA, citizen, send, staff

# Staff GET pages that show no client data: {endpoint: why}.
NO_CLIENT_DATA = {
    "alkupalvelu.routing": "routing rules and team deadlines: municipalities and teams only",
    "alkupalvelu.routing_rule": "one routing rule and its versions: no person data",
    "alkupalvelu.figures": "team figures: counts and durations only (figures.py)",
    "auth.staff_login": "the staff login redirect",
    "auth.staff_callback": "the staff login callback (needs the provider's answer)",
}

# Searches that find the client, checked on top of each route's plain GET (query strings are
# not in the URL map).
QUERY_VARIANTS = {
    "alkupalvelu.inbox": ["q=Demola", f"q={AADA}"],
    "alkupalvelu.audit_log": [f"henkilotunnus={AADA}"],
}

# Staff POST endpoints and the audit action(s) each records with the client's person id.
POST_AUDIT = {
    "alkupalvelu.claim": ("case.claimed",),
    "alkupalvelu.release": ("case.released",),
    "alkupalvelu.reassign": ("case.reassigned",),
    "alkupalvelu.bulk_reassign": ("case.reassigned",),
    "alkupalvelu.change_status": ("case.status_changed",),
    "alkupalvelu.reroute": ("case.rerouted",),
    "alkupalvelu.add_entry": ("case.note_added", "case.message_sent", "case.contact_logged"),
    "alkupalvelu.save_saate": ("case.staff_saate_saved",),
    "alkupalvelu.confirm_segment": ("case.segment_confirmed",),
    "alkupalvelu.plan": ("plan.saved",),
}
# Staff POST endpoints that change no client data: {endpoint: why}.
POST_NO_CLIENT_DATA = {
    "alkupalvelu.routing_add": "routing rules: records routing.changed without person data",
    "alkupalvelu.routing_change": "routing rules: records routing.changed without person data",
    "alkupalvelu.routing_retire": "routing rules: records routing.changed without person data",
    "alkupalvelu.routing_contact_days": "a team's deadline: records routing.changed",
}


def _is_staff_route(rule: Rule) -> bool:
    # The blueprint, and anything else mounted under the staff door's prefix.
    return rule.endpoint.startswith("alkupalvelu.") or rule.rule.startswith("/henkilosto")


def staff_rules(app: Flask, method: str) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if _is_staff_route(r) and method in r.methods),
        key=lambda r: r.rule,
    )


def test_every_staff_post_is_known(app):
    known = POST_AUDIT.keys() | POST_NO_CLIENT_DATA.keys()
    posts = {r.endpoint for r in staff_rules(app, "POST")}
    unknown = sorted(posts - known)
    assert not unknown, (
        f"New staff POST route(s) {unknown}: add each to POST_AUDIT with the audit action it "
        "records (portal.audit.staff.staff_access), or to POST_NO_CLIENT_DATA with why it "
        "changes no client data."
    )
    assert not sorted(known - posts), "Listed POST routes that no longer exist: remove them"
    unnamed = sorted({a for actions in POST_AUDIT.values() for a in actions} - ACTIONS.keys())
    assert not unnamed, (
        f"Actions {unnamed} have no plain-Finnish label in portal/audit/citizen_view.py ACTIONS "
        "(the citizen's access log)"
    )


def test_every_staff_get_of_client_data_leaves_an_audit_record(app, demo):
    submission = send(citizen(app, AADA), registry.get("esitieto"))
    person_id, case_id = submission.person_id, submission.case_id
    assert case_id is not None
    lead_sub = "tuomas.tiiminvetaja"
    lead = db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == lead_sub)).one()
    db.session.add(
        PlanVersion(
            case_id=case_id,
            number=1,
            kind="laadittu",
            content={"goals": [{"goal": "Testitavoite"}], "notes": ""},
            follow_up_on=date(2030, 1, 1),
            created_by=lead.id,
        )
    )
    db.session.commit()
    rule = db.session.scalars(select(RoutingRule).where(RoutingRule.retired_at.is_(None))).first()
    values = {
        "case_id": case_id,
        "submission_id": submission.id,
        "person_id": person_id,
        "rule_id": rule.id,
        "number": 1,
    }
    client = staff(app, lead_sub)

    def person_events() -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.person_id == person_id, AuditEvent.actor_kind == "staff")
        )

    failures, checked = [], []
    for rule in staff_rules(app, "GET"):
        if rule.endpoint in NO_CLIENT_DATA and not rule.endpoint.startswith("alkupalvelu."):
            continue  # the login flow
        missing = sorted(set(rule.arguments) - values.keys())
        if missing:
            failures.append(f"{rule.rule}: no test value for URL parameter(s) {missing}")
            continue
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        checked.append(rule.endpoint)
        for query in ["", *QUERY_VARIANTS.get(rule.endpoint, ())]:
            full = f"{url}?{query}" if query else url
            before = person_events()
            try:
                response = client.get(full)
            except Exception as error:  # TESTING propagates view errors; report them all
                db.session.rollback()
                failures.append(f"{full} ({rule.endpoint}): raised {error!r}")
                continue
            if response.status_code != 200:
                failures.append(f"{full} ({rule.endpoint}): HTTP {response.status_code}")
            elif rule.endpoint not in NO_CLIENT_DATA and person_events() <= before:
                failures.append(
                    f"{full} ({rule.endpoint}) is not in NO_CLIENT_DATA but recorded no staff "
                    "audit event with the client's person id: call portal.audit.staff."
                    "staff_access, or add the endpoint to NO_CLIENT_DATA with why it shows no "
                    "client data"
                )
    assert {"alkupalvelu.inbox", "alkupalvelu.case"} <= set(checked)
    assert not failures, "\n".join(failures)
