"""The citizen's own case: status timeline, messages from staff, the plan and its versions.

Only the person's own cases (ClientCase.person_id), and of them only what is meant for the
person: the timeline is built from the case's events in plain words, never from the reasons,
notes, flags, segments or scores staff work with. Staff names are shown only when the county's
policy says so (AUDIT_SHOW_STAFF_NAMES); otherwise the team speaks.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, current_app, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.alkupalvelu import labels
from portal.audit.log import record
from portal.auth.access import citizen_required, current_person, own_or_404
from portal.cases import plans
from portal.cases.client_case import CaseEntry, CaseEvent, ClientCase, PlanVersion
from portal.db import db, utcnow
from portal.questionnaires import registry

blueprint = Blueprint("my_case", __name__)


@dataclass
class Step:
    """One step of the timeline as the person reads it."""

    title: str
    at: datetime
    text: str | None = None


@dataclass
class Message:
    entry: CaseEntry
    sender: str
    new: bool


@dataclass
class CaseView:
    case: ClientCase
    steps: list[Step]
    messages: list[Message]
    plan: PlanVersion | None
    earlier_plans: list[PlanVersion] = field(default_factory=list)
    expected_contact: date | None = None


def show_staff_names() -> bool:
    return current_app.config["PORTAL"].get("AUDIT_SHOW_STAFF_NAMES") == "1"


def _form_name(questionnaire_id: str | None) -> str:
    questionnaire = registry.get(questionnaire_id) if questionnaire_id else None
    if questionnaire is None:
        return _("lomake")
    return _(questionnaire.short_title or questionnaire.title)


def _destination(detail: dict[str, Any]) -> str:
    destination = detail.get("destination")
    if destination == "muu" and detail.get("destination_detail"):
        return str(detail["destination_detail"])
    label = labels.DESTINATION.get(destination or "")
    return str(label) if label else _("toinen palvelu")


def timeline(events: list[CaseEvent], names: bool) -> list[Step]:
    """The steps the person sees, oldest first; reasons typed by staff are never used.

    received → being handled → contacted → forwarded → plan → closed, and a hold while the
    team waits for the person. Staff-only events (notes, flags, segment, saate) are skipped.
    """
    steps: list[Step] = []
    claimed = contacted = False
    for event in events:
        detail = event.detail or {}
        if event.kind == "received":
            steps.append(
                Step(
                    _(
                        "Lomake vastaanotettu: %(form)s",
                        form=_form_name(detail.get("questionnaire")),
                    ),
                    event.at,
                )
            )
        elif event.kind in ("claimed", "reassigned") and not claimed:
            claimed = True
            handler = event.staff.name if names and event.staff else None
            steps.append(
                Step(
                    _("Asiasi on käsittelyssä"),
                    event.at,
                    _("Käsittelijä: %(name)s", name=handler) if handler else None,
                )
            )
        elif event.kind == "contacted" and not contacted:
            contacted = True
            steps.append(Step(_("Sinuun on otettu yhteyttä"), event.at))
        elif event.kind == "forwarded":
            steps.append(
                Step(
                    _("Sinut on ohjattu palveluun: %(service)s", service=_destination(detail)),
                    event.at,
                )
            )
        elif event.kind == "waiting" and detail.get("until"):
            until = date.fromisoformat(detail["until"])
            steps.append(
                Step(
                    _(
                        "Odotamme sinulta yhteydenottoa %(date)s asti",
                        date=format_date(until, "d.M."),
                    ),
                    event.at,
                )
            )
        elif event.kind == "plan":
            first = detail.get("number") == 1
            steps.append(
                Step(_("Suunnitelma tehty") if first else _("Suunnitelmaa päivitetty"), event.at)
            )
        elif event.kind == "message":
            steps.append(Step(_("Sait viestin"), event.at))
        elif event.kind == "closed":
            steps.append(Step(_("Asia on päättynyt"), event.at))
        elif event.kind == "reopened":
            steps.append(Step(_("Asia on avattu uudelleen"), event.at))
    return steps


def _messages(case: ClientCase, names: bool, now: datetime) -> list[Message]:
    """Messages to the person, newest first; showing them marks them read."""
    entries = db.session.scalars(
        select(CaseEntry)
        .where(CaseEntry.case_id == case.id, CaseEntry.kind == "message")
        .order_by(CaseEntry.at.desc())
    ).all()
    messages = []
    for entry in entries:
        sender = entry.author.name if names and entry.author else case.team.name
        messages.append(Message(entry, sender, new=entry.read_at is None))
        if entry.read_at is None:
            entry.read_at = now
    return messages


def _case_view(case: ClientCase, names: bool, now: datetime) -> CaseView:
    versions = plans.versions(case)
    return CaseView(
        case=case,
        steps=timeline(list(case.events), names),
        messages=_messages(case, names, now),
        plan=versions[0] if versions else None,
        earlier_plans=versions[1:],
        expected_contact=case.contact_due
        if case.is_open and case.first_contact_at is None
        else None,
    )


@blueprint.get("/oma-asia")
@citizen_required
def overview() -> str:
    """Every case of the person, newest first."""
    person = current_person()
    cases = db.session.scalars(
        select(ClientCase)
        .options(selectinload(ClientCase.events), selectinload(ClientCase.team))
        .where(ClientCase.person_id == person.id)
        .order_by(ClientCase.opened_at.desc(), ClientCase.id)
    ).all()
    names = show_staff_names()
    now = utcnow()
    views = [_case_view(case, names, now) for case in cases]
    record("citizen", str(person.id), "my_case.viewed", person_id=person.id, cases=len(cases))
    db.session.commit()
    return render_template("intake/my_case.html", views=views, kinds=plans.KIND_LABEL)


@blueprint.get("/oma-asia/<uuid:case_id>/suunnitelma/<int:number>")
@citizen_required
def plan_version(case_id: uuid.UUID, number: int) -> str:
    """One version of the plan of the person's own case; anything else is a 404."""
    person = current_person()
    case = own_or_404(ClientCase, case_id)
    version = plans.version(case, number)
    if version is None:
        abort(404)
    latest = plans.latest(case)
    record(
        "citizen",
        str(person.id),
        "my_case.plan_viewed",
        person_id=person.id,
        case_id=case.id,
        number=number,
    )
    db.session.commit()
    return render_template(
        "intake/my_case_plan.html",
        case=case,
        version=version,
        is_latest=latest is not None and latest.number == version.number,
        kinds=plans.KIND_LABEL,
    )
