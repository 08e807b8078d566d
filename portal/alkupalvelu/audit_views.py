"""The audit log search for team leads and administrators (lokivalvonta).

Search by a person's identity code (exact), staff member, action and date range; newest first
with keyset pagination on the event id. The search itself is recorded ("audit.searched", with
the person searched for), and so is every other person whose masked identity code the results
show ("audit.listed"), so people see in their own access log that their events were looked at.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from portal.alkupalvelu.access import requires
from portal.alkupalvelu.blueprint import blueprint
from portal.alkupalvelu.labels import ROLE
from portal.alkupalvelu.models import StaffMember, Team
from portal.audit.citizen_view import ACTIONS, delegate_id, delegate_names
from portal.audit.models import AuditEvent
from portal.audit.staff import staff_access
from portal.auth.access import current_staff
from portal.cases.deadlines import HELSINKI
from portal.cases.models import Person
from portal.db import db
from portal.hetu import InvalidHetu, mask, validate

PAGE_SIZE = 50

# Actions a lead may pick from, as the log reader names them; the log may hold others,
# found by leaving the choice empty.
STAFF_ACTIONS = {
    "inbox.listed": _l("Saapuneiden lista (nimi näkyi)"),
    "inbox.searched": _l("Haku saapuneista (nimi näkyi)"),
    "case.viewed": _l("Asiakkaan asia avattu"),
    "submission.viewed": _l("Lomake avattu"),
    "case.claimed": _l("Asia otettu hoitoon"),
    "case.released": _l("Asiasta luovuttu"),
    "case.reassigned": _l("Asia siirretty työntekijälle"),
    "case.status_changed": _l("Tila muutettu"),
    "case.rerouted": _l("Asia siirretty tiimille"),
    "case.note_added": _l("Muistiinpano kirjoitettu"),
    "case.message_sent": _l("Viesti lähetetty asiakkaalle"),
    "case.contact_logged": _l("Yhteydenotto kirjattu"),
    "case.staff_saate_saved": _l("Työntekijän osa saatteesta tallennettu"),
    "case.segment_confirmed": _l("Asiakkuus vahvistettu"),
    "plan.viewed": _l("Suunnitelma avattu"),
    "plan.saved": _l("Suunnitelma tallennettu"),
    "audit.searched": _l("Lokihaku"),
    "audit.listed": _l("Näkyi lokihaun tuloksissa"),
    "routing.changed": _l("Reititystä tai määräaikaa muutettu"),
    "submission.sent": _l("Asiakas lähetti lomakkeen"),
    "consent.given": _l("Asiakas antoi suostumuksen"),
    "consent.withdrawn": _l("Asiakas perui suostumuksen"),
    "access_log.viewed": _l("Asiakas katsoi käsittelylokiaan"),
    "answers.confirmed": _l("Asiakas vahvisti puolestaan annetut vastaukset"),
    "answers.correction_started": _l("Asiakas alkoi korjata puolestaan lähetettyä lomaketta"),
    "mandate.acting_started": _l("Valtuutettu alkoi asioida asiakkaan puolesta"),
    "mandate.acting_ended": _l("Valtuutettu lopetti asioinnin asiakkaan puolesta"),
    "mandate.lost": _l("Valtuutus ei ollut enää voimassa kesken asioinnin"),
    "mandate.refused": _l("Asiointi toisen puolesta estetty: ei voimassa olevaa valtuutta"),
    "draft.started": _l("Lomake aloitettu asiakkaan puolesta"),
    "draft.saved": _l("Vastauksia tallennettu asiakkaan puolesta"),
    "login": _l("Kirjautuminen"),
    "logout": _l("Uloskirjautuminen"),
}
# The same code done by a delegate reads differently (not the client, not staff).
DELEGATE_ACTIONS = {
    "submission.sent": _l("Valtuutettu lähetti lomakkeen asiakkaan puolesta"),
    "submission.viewed": _l("Valtuutettu katsoi lähettämäänsä lomaketta"),
    "consent.given": _l("Valtuutettu antoi suostumuksen asiakkaan puolesta"),
    "consent.superseded": _l("Valtuutettu korvasi suostumuksen uudella asiakkaan puolesta"),
}
SEARCHABLE_ACTIONS = tuple(dict.fromkeys([*STAFF_ACTIONS, *ACTIONS]))
DELEGATE = _l("Valtuutettu asiakkaan puolesta")


def staff_action_label(action: str, actor_kind: str = "staff") -> str:
    if actor_kind == "delegate" and action in DELEGATE_ACTIONS:
        return str(DELEGATE_ACTIONS[action])
    return str(STAFF_ACTIONS[action]) if action in STAFF_ACTIONS else action


@dataclass
class Search:
    hetu: str = ""
    staff_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    before: int | None = None
    person: Person | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)

    def criteria(self) -> dict[str, Any]:
        """What was searched, for the audit event (the identity code masked)."""
        return {
            "hetu": mask(self.hetu) if self.hetu else None,
            "staff": self.staff_id,
            "action": self.action or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "before": self.before,
        }

    def page_args(self, before: int) -> dict[str, str]:
        args = {k: v for k, v in self.raw.items() if v}
        args["ennen"] = str(before)
        return args


def _parse_date(raw: str) -> date | None:
    raw = raw.strip()
    for parse in (
        lambda s: datetime.strptime(s, "%d.%m.%Y").date(),
        date.fromisoformat,
    ):
        try:
            return parse(raw)
        except ValueError:
            continue
    raise ValueError(raw)


def parse_search(args: Any) -> Search:
    raw = {
        name: (args.get(name) or "").strip()
        for name in ("henkilotunnus", "tyontekija", "toiminto", "alkaen", "asti")
    }
    search = Search(raw=raw)
    if raw["henkilotunnus"]:
        try:
            search.hetu = validate(
                raw["henkilotunnus"].upper(),
                allow_test_codes=current_app.config["PORTAL_ENV"] != "production",
            )
        except InvalidHetu:
            search.errors.append(
                {
                    "text": str(_l("Tarkista henkilötunnus. Kirjoita se muodossa 010190-900P.")),
                    "href": "#henkilotunnus",
                }
            )
        else:
            search.person = db.session.scalars(
                select(Person).where(Person.hetu == search.hetu)
            ).first()
    if raw["tyontekija"].isdigit():
        search.staff_id = int(raw["tyontekija"])
    if raw["toiminto"] in SEARCHABLE_ACTIONS:
        search.action = raw["toiminto"]
    for name, attr in (("alkaen", "date_from"), ("asti", "date_to")):
        if raw[name]:
            try:
                setattr(search, attr, _parse_date(raw[name]))
            except ValueError:
                search.errors.append(
                    {
                        "text": str(_l("Kirjoita päivämäärä muodossa 1.3.2026.")),
                        "href": "#" + name,
                    }
                )
    if search.date_from and search.date_to and search.date_from > search.date_to:
        search.errors.append(
            {
                "text": str(_l("Alkupäivän pitää olla ennen loppupäivää tai sama päivä.")),
                "href": "#alkaen",
            }
        )
    before = request.args.get("ennen", "")
    search.before = int(before) if before.isdigit() else None
    return search


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=HELSINKI)


def _statement(search: Search) -> Select[tuple[AuditEvent]]:
    statement = select(AuditEvent)
    if search.hetu:
        # An identity code nobody has used matches nothing (not everything).
        person_id = search.person.id if search.person else uuid.UUID(int=0)
        statement = statement.where(AuditEvent.person_id == person_id)
    if search.staff_id is not None:
        statement = statement.where(
            AuditEvent.actor_kind == "staff", AuditEvent.actor_id == str(search.staff_id)
        )
    if search.action:
        statement = statement.where(AuditEvent.action == search.action)
    if search.date_from:
        statement = statement.where(AuditEvent.at >= _local_midnight(search.date_from))
    if search.date_to:
        statement = statement.where(
            AuditEvent.at < _local_midnight(search.date_to + timedelta(days=1))
        )
    if search.before is not None:
        statement = statement.where(AuditEvent.id < search.before)
    return statement.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1)


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    staff_name: str | None
    role: str | None
    team: str | None
    action: str
    action_label: str
    masked_hetu: str | None


def _rows(events: list[AuditEvent]) -> list[Row]:
    staff_ids = {
        int(e.actor_id) for e in events if e.actor_kind == "staff" and e.actor_id.isdigit()
    }
    names: dict[str, str] = {}
    if staff_ids:
        found = db.session.scalars(select(StaffMember).where(StaffMember.id.in_(staff_ids)))
        names = {str(s.id): s.name for s in found}
    person_ids = {e.person_id for e in events if e.person_id is not None}
    hetus: dict[uuid.UUID, str] = {}
    if person_ids:
        people = db.session.scalars(select(Person).where(Person.id.in_(person_ids)))
        hetus = {p.id: p.masked_hetu for p in people}
    # Staff may see who acted on a client's behalf: the delegate's name, from their Person row.
    delegates = delegate_names(events)
    teams = {t.id: t.name for t in db.session.scalars(select(Team))}
    rows = []
    for e in events:
        role = str(ROLE[e.actor_role]) if e.actor_role in ROLE else None
        if e.actor_kind == "staff":
            who = names.get(e.actor_id, e.actor_id)
        elif e.actor_kind == "delegate":
            who = delegates.get(e.actor_id, str(_l("Tuntematon")))
            role = str(DELEGATE)
        elif e.actor_kind == "citizen":
            who = str(_l("Asiakas itse"))
        else:
            who = str(_l("Järjestelmä"))
        rows.append(
            Row(
                event=e,
                staff_name=who,
                role=role,
                team=teams.get(e.team_id) if e.team_id is not None else None,
                action=e.action,
                action_label=staff_action_label(e.action, e.actor_kind),
                masked_hetu=hetus.get(e.person_id) if e.person_id else None,
            )
        )
    return rows


def _record_search(staff: StaffMember, search: Search, shown: list[AuditEvent]) -> None:
    """The search itself ("audit.searched", with the person searched for, if any), and one
    "audit.listed" per other person whose masked identity code the results show, or who is
    named in them as a delegate."""
    criteria = search.criteria()
    searched_for = search.person.id if search.person is not None else None
    staff_access(staff, "audit.searched", person_id=searched_for, what="audit log", search=criteria)
    listed: list[uuid.UUID] = []
    for e in shown:
        for person_id in (e.person_id, delegate_id(e)):
            if person_id is not None and person_id != searched_for and person_id not in listed:
                listed.append(person_id)
    for person_id in listed:
        staff_access(staff, "audit.listed", person_id=person_id, what="audit log results")


@blueprint.get("/loki")
@requires("audit")
def audit_log() -> tuple[str, int]:
    staff = current_staff()
    search = parse_search(request.args)
    events: list[AuditEvent] = []
    older = None
    if not search.errors:
        events = list(db.session.scalars(_statement(search)))
        if len(events) > PAGE_SIZE:
            events = events[:PAGE_SIZE]
            older = events[-1].id
    _record_search(staff, search, events)
    db.session.commit()
    return (
        render_template(
            "alkupalvelu/audit_log.html",
            search=search,
            rows=_rows(events),
            older=older,
            staff_members=db.session.scalars(select(StaffMember).order_by(StaffMember.name)).all(),
            actions=[(code, staff_action_label(code)) for code in SEARCHABLE_ACTIONS],
            searched=any(search.raw.values()),
        ),
        400 if search.errors else 200,
    )
