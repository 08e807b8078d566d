"""Kuka on käsitellyt tietojani: the citizen's view of the access log (asiakastietolaki
703/2023 § 11: the right to know who has handled or viewed one's data).

Shows the staff events recorded with the person's id, newest first: when, which organisation
(the staff member's team), in which role, what was done — and the staff member's name only
when the county's policy says so (AUDIT_SHOW_STAFF_NAMES=1). Looking at the log is itself
recorded, as a citizen event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.alkupalvelu.labels import ROLE
from portal.alkupalvelu.models import StaffMember, Team
from portal.audit.log import record
from portal.audit.models import AuditEvent
from portal.auth.access import citizen_required, current_person
from portal.db import db

blueprint = Blueprint("access_log", __name__)

PAGE_SIZE = 50

# What a staff action means to the person whose data it touched, in plain Finnish. The
# subject of the sentence is the organisation / staff member shown beside it.
ACTIONS = {
    "inbox.listed": _l("näki nimesi saapuneiden listassa"),
    "inbox.viewed": _l("näki nimesi saapuneiden listassa"),
    "inbox.searched": _l("löysi sinut saapuneiden haussa"),
    "case.viewed": _l("avasi asiasi tiedot"),
    "submission.viewed": _l("luki lähettämäsi lomakkeen"),
    "case.claimed": _l("otti asiasi hoitaakseen"),
    "case.released": _l("luopui asiasi hoitamisesta"),
    "case.reassigned": _l("siirsi asiasi toiselle työntekijälle"),
    "case.status_changed": _l("muutti asiasi tilaa"),
    "case.rerouted": _l("siirsi asiasi toiselle tiimille"),
    "case.note_added": _l("kirjoitti asiaasi muistiinpanon"),
    "case.message_sent": _l("lähetti sinulle viestin"),
    "case.contact_logged": _l("kirjasi yhteydenoton sinuun"),
    "case.staff_saate_saved": _l("kirjoitti saatteeseen työntekijän havainnot"),
    "case.segment_confirmed": _l("arvioi, millaista tukea tarvitset"),
    "plan.viewed": _l("luki suunnitelmasi"),
    "plan.saved": _l("kirjoitti tai päivitti suunnitelmaasi"),
    "audit.searched": _l("haki tietojasi käsittelylokista"),
    "audit.listed": _l("näki tunnuksesi käsittelylokin hakutuloksissa"),
}
# Actions not named above, by their first part.
ACTION_GROUPS = {
    "case": _l("käsitteli asiaasi"),
    "submission": _l("käsitteli lähettämääsi lomaketta"),
    "plan": _l("käsitteli suunnitelmaasi"),
    "note": _l("käsitteli asiasi muistiinpanoja"),
    "message": _l("käsitteli viestejäsi"),
    "contact": _l("käsitteli yhteydenottoja sinuun"),
    "consent": _l("käsitteli suostumuksiasi"),
    "inbox": _l("näki nimesi saapuneiden listassa"),
}
GENERIC = _l("käsitteli tietojasi")


def action_label(action: str) -> str:
    """The action in plain Finnish; unknown actions still say that data was handled."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    return str(ACTION_GROUPS.get(action.split(".", 1)[0], GENERIC))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Row:
    id: int
    at: datetime
    organisation: str | None
    role: str | None
    name: str | None
    what: str


def show_staff_names() -> bool:
    return current_app.config["PORTAL"].get("AUDIT_SHOW_STAFF_NAMES") == "1"


def _names(events: Iterable[AuditEvent]) -> dict[str, str]:
    ids = {int(e.actor_id) for e in events if e.actor_id.isdigit()}
    if not ids:
        return {}
    return {
        str(s.id): s.name
        for s in db.session.scalars(select(StaffMember).where(StaffMember.id.in_(ids)))
    }


def rows(events: list[AuditEvent], *, with_names: bool) -> list[Row]:
    teams = {t.id: t.name for t in db.session.scalars(select(Team))}
    names = _names(events) if with_names else {}
    return [
        Row(
            id=e.id,
            at=e.at,
            organisation=teams.get(e.team_id) if e.team_id is not None else None,
            role=str(ROLE[e.actor_role]) if e.actor_role in ROLE else None,
            name=names.get(e.actor_id) if with_names else None,
            what=_sentence(action_label(e.action)),
        )
        for e in events
    ]


def _before() -> int | None:
    raw = request.args.get("ennen", "")
    return int(raw) if raw.isdigit() else None


@blueprint.get("/omat-tiedot/kasittelyloki")
@citizen_required
def overview() -> str:
    person = current_person()
    before = _before()
    statement = select(AuditEvent).where(
        AuditEvent.person_id == person.id, AuditEvent.actor_kind == "staff"
    )
    if before is not None:
        statement = statement.where(AuditEvent.id < before)
    # One extra row tells whether an older page exists.
    events = db.session.scalars(statement.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1)).all()
    older = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    with_names = show_staff_names()
    record(
        "citizen",
        str(person.id),
        "access_log.viewed",
        person_id=person.id,
        what="access log",
        before=before,
    )
    db.session.commit()
    return render_template(
        "audit/access_log.html",
        rows=rows(events, with_names=with_names),
        with_names=with_names,
        older=events[-1].id if older and events else None,
        first_page=before is None,
    )
