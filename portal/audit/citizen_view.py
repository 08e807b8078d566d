"""Kuka on käsitellyt tietojani: the citizen's view of the access log (asiakastietolaki
703/2023 § 11: the right to know who has handled or viewed one's data).

Shows the staff events recorded with the person's id, newest first: when, which organisation
(the staff member's team), in which role, what was done — and the staff member's name only
when the county's policy says so (AUDIT_SHOW_STAFF_NAMES=1). Beside them, what a delegate did
on the person's behalf with a Suomi.fi mandate, always with the delegate's name: the person
gave that mandate, and the staff-name policy is about staff only. Looking at the log is itself
recorded, as a citizen event.
"""

from __future__ import annotations

import uuid
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
from portal.cases.models import Person
from portal.db import db

blueprint = Blueprint("access_log", __name__)

PAGE_SIZE = 50
# Whose events the person sees: staff, and delegates who acted on their behalf (their own
# doings, as "citizen" events, are not listed).
SHOWN_ACTORS = ("staff", "delegate")

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

# What a delegate (actor_kind "delegate") did on the person's behalf; the subject of the
# sentence is the delegate. Kept apart from ACTIONS: the same code means something else here
# (a delegate's "submission.viewed" is the form they sent, not staff reading it).
DELEGATE_ACTIONS = {
    "mandate.acting_started": _l("alkoi asioida puolestasi Suomi.fi-valtuuden avulla"),
    "mandate.acting_ended": _l("lopetti asioinnin puolestasi"),
    "mandate.lost": _l(
        "yritti jatkaa asiointia puolestasi, mutta valtuutus ei ollut enää voimassa"
    ),
    "mandate.refused": _l("yritti asioida puolestasi, mutta voimassa olevaa valtuutta ei ollut"),
    "draft.started": _l("aloitti lomakkeen puolestasi"),
    "draft.saved": _l("tallensi vastauksia lomakkeeseen puolestasi"),
    "submission.sent": _l("lähetti lomakkeen puolestasi"),
    "submission.viewed": _l("katsoi lomaketta, jonka lähetti puolestasi"),
    "consent.given": _l("antoi puolestasi suostumuksen tietojen vaihtoon"),
    "consent.superseded": _l("korvasi puolestasi aiemman suostumuksen uudella"),
}
DELEGATE_GENERIC = _l("asioi puolestasi Suomi.fi-valtuuden avulla")
DELEGATE_ROLE = _l("Valtuutettu")


def action_label(action: str) -> str:
    """The action in plain Finnish; unknown actions still say that data was handled."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    return str(ACTION_GROUPS.get(action.split(".", 1)[0], GENERIC))


def delegate_action_label(action: str) -> str:
    """A delegate's action in plain Finnish."""
    return str(DELEGATE_ACTIONS.get(action, DELEGATE_GENERIC))


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
    delegate: bool = False


def show_staff_names() -> bool:
    return current_app.config["PORTAL"].get("AUDIT_SHOW_STAFF_NAMES") == "1"


def _names(events: Iterable[AuditEvent]) -> dict[str, str]:
    ids = {int(e.actor_id) for e in events if e.actor_kind == "staff" and e.actor_id.isdigit()}
    if not ids:
        return {}
    return {
        str(s.id): s.name
        for s in db.session.scalars(select(StaffMember).where(StaffMember.id.in_(ids)))
    }


def delegate_id(event: AuditEvent) -> uuid.UUID | None:
    """The Person id of the delegate who acted (actor_id of a "delegate" event), else None."""
    if event.actor_kind != "delegate":
        return None
    try:
        return uuid.UUID(event.actor_id)
    except ValueError:
        return None


def delegate_names(events: Iterable[AuditEvent]) -> dict[str, str]:
    """The delegates' full names by their Person id (actor_id of a "delegate" event)."""
    ids = {i for i in map(delegate_id, events) if i is not None}
    if not ids:
        return {}
    return {
        str(p.id): p.full_name for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))
    }


def _row(
    e: AuditEvent, teams: dict[int, str], staff: dict[str, str], delegates: dict[str, str]
) -> Row:
    if e.actor_kind == "delegate":
        return Row(
            id=e.id,
            at=e.at,
            organisation=None,
            role=str(DELEGATE_ROLE),
            name=delegates.get(e.actor_id),
            what=_sentence(delegate_action_label(e.action)),
            delegate=True,
        )
    return Row(
        id=e.id,
        at=e.at,
        organisation=teams.get(e.team_id) if e.team_id is not None else None,
        role=str(ROLE[e.actor_role]) if e.actor_role in ROLE else None,
        name=staff.get(e.actor_id),
        what=_sentence(action_label(e.action)),
    )


def rows(events: list[AuditEvent], *, with_names: bool) -> list[Row]:
    """Staff events, with names only by policy, and delegates' events, always named."""
    teams = {t.id: t.name for t in db.session.scalars(select(Team))}
    staff = _names(events) if with_names else {}
    delegates = delegate_names(events)
    return [_row(e, teams, staff, delegates) for e in events]


def _before() -> int | None:
    raw = request.args.get("ennen", "")
    return int(raw) if raw.isdigit() else None


@blueprint.get("/omat-tiedot/kasittelyloki")
@citizen_required
def overview() -> str:
    person = current_person()
    before = _before()
    statement = select(AuditEvent).where(
        AuditEvent.person_id == person.id, AuditEvent.actor_kind.in_(SHOWN_ACTORS)
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
    shown = rows(events, with_names=with_names)
    return render_template(
        "audit/access_log.html",
        rows=shown,
        with_names=with_names,
        # Delegates are named whatever the staff-name policy says.
        name_column=with_names or any(r.delegate for r in shown),
        older=events[-1].id if older and events else None,
        first_page=before is None,
    )
