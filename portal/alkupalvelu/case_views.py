"""Working a client case: the case page, one submission's page and every change to the case.

Views stay thin: the rules are in portal/cases/workflow.py (WorkflowError says what to do),
who may do what in portal/alkupalvelu/access.py. Every read and write is audited. A change
that fails re-renders the case page with an error summary (400); a change that succeeds
redirects back to the case page with a success banner (post/redirect/get).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TextAreaField

from portal.alkupalvelu import labels
from portal.alkupalvelu.access import (
    can,
    requires,
    team_case_or_404,
    team_colleagues,
    team_submission_or_404,
    visible_submissions,
)
from portal.alkupalvelu.blueprint import blueprint
from portal.alkupalvelu.inbox import only_nurse
from portal.alkupalvelu.models import Municipality, StaffMember, Team
from portal.audit.staff import staff_access
from portal.auth.access import current_staff
from portal.cases import authorship, workflow
from portal.cases.client_case import CaseEntry, ClientCase, Status
from portal.cases.consents import consents_summary
from portal.cases.deadlines import helsinki_date, helsinki_today
from portal.cases.models import Submission
from portal.cases.segmentation import suggest
from portal.db import db
from portal.intake.filling import helper_label
from portal.intake.presenting import answer_rows
from portal.intake.results import CHART_EARLIER, domain_rows, fills_of
from portal.questionnaires import registry

# The case history's events as people read them (CaseEvent.kind).
EVENT = {
    "received": _l("Lomake saapui"),
    "claimed": _l("Otettu työn alle"),
    "released": _l("Vapautettu jonoon"),
    "reassigned": _l("Siirretty työntekijälle"),
    "status": _l("Tila muuttui"),
    "waiting": _l("Odottaa asiakasta"),
    "forwarded": _l("Ohjattu eteenpäin"),
    "closed": _l("Päättynyt"),
    "reopened": _l("Avattu uudelleen"),
    "rerouted": _l("Siirretty toiseen tiimiin"),
    "contacted": _l("Ensimmäinen yhteydenotto"),
    "contact": _l("Yhteydenotto"),
    "message": _l("Viesti asiakkaalle"),
    "segment": _l("Asiakkuus vahvistettu"),
    "staff_saate": _l("Saatteen työntekijän osa tallennettu"),
    "plan": _l("Suunnitelma"),
    "answers_confirmed": _l("Asiakas vahvisti puolestaan annetut vastaukset"),
}
# Events without a staff member that the client caused (the rest are the system's).
CLIENT_EVENTS = frozenset({"answers_confirmed"})

# The statuses a staff member can move a case to (Uusi only comes from releasing/re-routing).
STATUS_CHOICES = (Status.IN_PROGRESS, Status.WAITING, Status.FORWARDED, Status.CLOSED)
ENTRY_PREFIX = {"note": "muistiinpano", "message": "viesti", "contact": "yhteydenotto"}
SELF_ASSESSMENT = "omaarvio"
SAATE = "saate"


# --- forms: CSRF and the posted values; the rules are in the workflow -----------------------


class ActionForm(FlaskForm):
    """Claim and release: a button, a CSRF token and for release an optional reason."""

    reason = TextAreaField()


class ReassignForm(FlaskForm):
    to = StringField()
    reason = TextAreaField()


class StatusForm(FlaskForm):
    status = StringField()
    # Named as GOV.UK's date input names its boxes: <prefix>-until-day and so on.
    until_day = StringField(name="until-day")
    until_month = StringField(name="until-month")
    until_year = StringField(name="until-year")
    destination = StringField()
    destination_detail = StringField()
    reason = TextAreaField()


class RerouteForm(FlaskForm):
    team = StringField()
    reason = TextAreaField()


class EntryForm(FlaskForm):
    kind = HiddenField()
    body = TextAreaField()
    channel = StringField()


class SaateForm(FlaskForm):
    observations = TextAreaField()
    network_summary = TextAreaField()
    compiled_by = TextAreaField()


class SegmentForm(FlaskForm):
    segment = StringField()
    suggested = HiddenField()


def _forms() -> dict[str, FlaskForm]:
    """Every form of the case page, each with its own prefix so field ids stay unique."""
    forms: dict[str, FlaskForm] = {
        "claim": ActionForm(prefix="ota"),
        "release": ActionForm(prefix="vapauta"),
        "reassign": ReassignForm(prefix="siirra"),
        "status": StatusForm(prefix="tila"),
        "reroute": RerouteForm(prefix="tiimi"),
        "saate": SaateForm(prefix="saate"),
        "segment": SegmentForm(prefix="asiakkuus"),
    }
    for kind, prefix in ENTRY_PREFIX.items():
        forms[kind] = EntryForm(prefix=prefix)
    return forms


# --- what the case page shows ---------------------------------------------------------------


@dataclass
class WhoFilled:
    """Who gave and sent a submission's answers, above the answers: a fact for every reader of
    the form (the nurse too), not a triage flag. Texts are ready to print."""

    lines: list[str] = field(default_factory=list)
    # Set when someone else gave answers: exactly one of the two.
    confirmed: str | None = None
    unconfirmed: str | None = None


@dataclass
class Shown:
    """One submission as the case page and the submission page show it."""

    submission: Submission
    questionnaire: Any
    sections: list[dict[str, Any]]
    filled_by: str | None = None
    results: dict[str, Any] | None = None
    who: WhoFilled | None = None


@dataclass
class CaseView:
    case: ClientCase
    shown: list[Shown]
    nurse: bool
    municipality: str | None
    overdue: bool
    flags: list[dict[str, Any]] = field(default_factory=list)
    consents: list[Any] = field(default_factory=list)
    segment: str | None = None
    segment_reasons: list[Any] = field(default_factory=list)
    entries: dict[str, list[CaseEntry]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    colleagues: list[StaffMember] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    saate_defaults: dict[str, str] = field(default_factory=dict)


def _filled_by(questionnaire: Any, answers: dict[str, Any]) -> str | None:
    """Who filled the form, in words, where the form asks it (the saate does)."""
    value = answers.get("filled_by")
    if not value or questionnaire is None:
        return None
    try:
        text = _(questionnaire.question("filled_by").option_label(value))
    except KeyError:
        return None
    names = answers.get("filled_by_together_names") or answers.get("filled_by_names")
    return f"{text}: {names}" if names else text


def _self_assessment(case: ClientCase, submission: Submission, questionnaire: Any) -> dict | None:
    """The results chart and history of a self-assessment, as the citizen's results page has it.

    Only fills that reached this team are compared: other teams' submissions are not ours to
    read.
    """
    if questionnaire is None or not questionnaire.results:
        return None
    fills = [
        f
        for f in fills_of(case.person, questionnaire.id)
        if f.submission.case is not None and f.submission.case.team_id == case.team_id
    ]
    current = next((f for f in fills if f.id == submission.id), None)
    if current is None:
        return None
    earlier, rows = domain_rows(questionnaire, fills, current)
    return {"current": current, "earlier": earlier, "rows": rows, "chart_earlier": CHART_EARLIER}


def _who_filled(submission: Submission, who: authorship.Authorship) -> WhoFilled:
    """On whose behalf, who sent, confirmed or not, who helped, corrections either way."""
    shown = WhoFilled()
    others = who.others
    if not others and submission.delegate is not None:
        # A delegate started it, though the person has since given every answer themselves.
        others = [submission.delegate.full_name]
    if others:
        shown.lines.append(
            _(
                "Täytetty toisen puolesta: %(names)s (Suomi.fi-valtuutus)",
                names=", ".join(others),
            )
        )
    if submission.sent_by is not None and submission.sent_by_id != submission.person_id:
        shown.lines.append(_("Lähettäjä: %(name)s", name=submission.sent_by.full_name))
    helpers = [helper_label(h) for h in submission.helpers or []]
    if helpers:
        shown.lines.append(_("Täyttämisessä auttoi: %(names)s", names=", ".join(helpers)))
    if submission.corrects_id is not None:
        corrected = db.session.get(Submission, submission.corrects_id)
        if corrected is not None:
            shown.lines.append(_("Korjaa lomaketta %(reference)s", reference=corrected.reference))
    corrections = db.session.scalars(
        select(Submission.reference)
        .where(Submission.corrects_id == submission.id)
        .order_by(Submission.submitted_at)
    ).all()
    if corrections:
        shown.lines.append(
            _(
                "Asiakas on korjannut tämän lomakkeen: %(references)s",
                references=", ".join(corrections),
            )
        )
    if others:
        if submission.confirmed_at is not None:
            day = helsinki_date(submission.confirmed_at)
            shown.confirmed = _(
                "Asiakas vahvisti vastaukset %(date)s", date=f"{day.day}.{day.month}.{day.year}"
            )
        else:
            shown.unconfirmed = _("Asiakas ei ole vielä vahvistanut vastauksia.")
    return shown


def _shown(case: ClientCase, submission: Submission) -> Shown:
    questionnaire = registry.get(submission.questionnaire_id)
    who = authorship.of(submission)
    return Shown(
        submission=submission,
        questionnaire=questionnaire,
        sections=answer_rows(questionnaire, submission.answers, show_hetu=True, authorship=who)
        if questionnaire
        else [],
        who=_who_filled(submission, who),
        filled_by=_filled_by(questionnaire, submission.answers or {}),
        results=_self_assessment(case, submission, questionnaire)
        if submission.questionnaire_id == SELF_ASSESSMENT
        else None,
    )


def _network_summary(answers: dict[str, Any]) -> str:
    """The saate's "Keiden kanssa asioit nyt?" rows as lines for the instructor to edit."""
    lines = []
    for item in answers.get("service_network") or []:
        parts = [
            (item.get(key) or "").strip()
            for key in ("network_name", "network_service", "network_contact")
        ]
        if any(parts):
            lines.append(", ".join(p for p in parts if p))
    return "\n".join(lines)


def _events(case: ClientCase) -> list[dict[str, Any]]:
    team_ids = {
        (e.detail or {}).get(k) for e in case.events if e.kind == "rerouted" for k in ("from", "to")
    }
    staff_ids = {
        (e.detail or {}).get(k)
        for e in case.events
        for k in ("to", "previous")
        if e.kind == "reassigned"
    }
    teams = {
        t.id: t.name for t in db.session.scalars(select(Team).where(Team.id.in_(team_ids - {None})))
    }
    people = {
        s.id: s.name
        for s in db.session.scalars(
            select(StaffMember).where(StaffMember.id.in_(staff_ids - {None}))
        )
    }
    rows = []
    for event in reversed(case.events):
        detail = event.detail or {}
        words: list[Any] = []
        if event.kind == "received" and detail.get("questionnaire"):
            questionnaire = registry.get(detail["questionnaire"])
            words.append(
                _(questionnaire.short_title or questionnaire.title)
                if questionnaire
                else detail["questionnaire"]
            )
            if detail.get("reference"):
                words.append(detail["reference"])
        if event.status_to:
            words.append(
                _("Tila: %(status)s", status=labels.STATUS.get(event.status_to, event.status_to))
            )
        if event.kind == "waiting" and detail.get("until"):
            until = date.fromisoformat(detail["until"])
            words.append(_("Odottaa %(date)s asti", date=f"{until.day}.{until.month}.{until.year}"))
        if event.kind == "forwarded" and detail.get("destination"):
            words.append(
                _(
                    "Ohjattu: %(destination)s",
                    destination=detail.get("destination_detail")
                    or labels.DESTINATION.get(detail["destination"], detail["destination"]),
                )
            )
        if event.kind == "rerouted":
            words.append(
                f"{teams.get(detail.get('from'), '–')} → {teams.get(detail.get('to'), '–')}"
            )
        if event.kind == "reassigned":
            words.append(_("Työntekijälle %(name)s", name=people.get(detail.get("to"), "–")))
        if event.kind in ("contacted", "contact") and detail.get("channel"):
            words.append(labels.CHANNEL.get(detail["channel"], detail["channel"]))
        if event.kind == "segment" and detail.get("segment"):
            words.append(labels.SEGMENT.get(detail["segment"], detail["segment"]))
        if event.kind == "answers_confirmed" and detail.get("reference"):
            words.append(detail["reference"])
        rows.append(
            {
                "event": event,
                "label": EVENT.get(event.kind, event.kind),
                "detail": "; ".join(str(w) for w in words),
                "who": event.staff.name
                if event.staff
                else _("Asiakas")
                if event.kind in CLIENT_EVENTS
                else _("Järjestelmä"),
            }
        )
    return rows


def _latest(submissions: list[Submission]) -> dict[str, Submission]:
    """The latest submission of each questionnaire (submissions are oldest first)."""
    latest: dict[str, Submission] = {}
    for s in submissions:
        latest[s.questionnaire_id] = s
    return latest


def _view(case: ClientCase, staff: StaffMember, today: date) -> CaseView:
    submissions = visible_submissions(staff, case)
    nurse = only_nurse(staff)
    municipality = (
        db.session.get(Municipality, case.municipality_code) if case.municipality_code else None
    )
    view = CaseView(
        case=case,
        shown=[_shown(case, s) for s in submissions],
        nurse=nurse,
        municipality=municipality.name if municipality else case.municipality_code,
        overdue=case.is_open and case.first_contact_at is None and case.contact_due < today,
    )
    if nurse:
        return view
    seen: set[str] = set()
    for s in submissions:
        for flag in s.flags or []:
            if flag.get("id") not in seen:
                seen.add(flag.get("id"))
                view.flags.append(flag)
    latest = _latest(submissions)
    scores: dict[str, Any] = {}
    for s in latest.values():
        scores.update(s.scores or {})
    view.segment, view.segment_reasons = suggest(
        {q: s.answers or {} for q, s in latest.items()}, scores, view.flags
    )
    view.consents = consents_summary(case.person_id, today).in_force
    entries = db.session.scalars(
        select(CaseEntry).where(CaseEntry.case_id == case.id).order_by(CaseEntry.at.desc())
    ).all()
    view.entries = {kind: [e for e in entries if e.kind == kind] for kind in ENTRY_PREFIX}
    view.events = _events(case)
    view.colleagues = team_colleagues(staff)
    view.teams = list(
        db.session.scalars(select(Team).where(Team.id != case.team_id).order_by(Team.name))
    )
    saate = latest.get(SAATE)
    view.saate_defaults = {
        "observations": "",
        "network_summary": _network_summary(saate.answers or {}) if saate else "",
        "compiled_by": f"{staff.name}, {staff.team.name}" if staff.team else staff.name,
    }
    return view


def _render(
    case_id: uuid.UUID,
    *,
    errors: dict[str, Any] | None = None,
    forms: dict[str, FlaskForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The case page; after a failed change with the error summary and the posted values."""
    staff = current_staff()
    case = team_case_or_404(case_id)
    today = helsinki_today()
    view = _view(case, staff, today)
    staff_access(
        staff,
        "case.viewed",
        person_id=case.person_id,
        case_id=case.id,
        what="case" if view.nurse else "case, notes, messages, contact log, consents, history",
    )
    for shown in view.shown:
        staff_access(
            staff,
            "submission.viewed",
            person_id=case.person_id,
            case_id=case.id,
            submission_id=shown.submission.id,
            what=f"answers:{shown.submission.questionnaire_id}",
        )
    db.session.commit()
    errors = errors or {}
    html = render_template(
        "alkupalvelu/case.html",
        view=view,
        case=case,
        staff=staff,
        today=today,
        forms=forms or _forms(),
        errors=errors,
        error_list=[
            # A date input's link goes to its first box, the day.
            {
                "text": str(message),
                "href": "#" + anchor + ("-day" if anchor == "tila-until" else ""),
            }
            for anchor, message in errors.items()
        ],
        can_work=can(staff, "work"),
        can_reassign=can(staff, "reassign"),
        labels=labels,
        status_choices=STATUS_CHOICES,
        event_labels=EVENT,
    )
    return html, status


def _done(case: ClientCase, message: Any) -> Response:
    flash(message, "success")
    return redirect(url_for("alkupalvelu.case", case_id=case.id))


def _failed(case_id: uuid.UUID, anchor: str, message: Any, forms: dict[str, FlaskForm]) -> Any:
    """Undo the half-made change, then show the page again with what went wrong."""
    db.session.rollback()
    return _render(case_id, errors={anchor: message}, forms=forms, status=400)


def _posted(key: str, form: FlaskForm) -> dict[str, FlaskForm]:
    if not form.validate_on_submit():  # only the CSRF token is checked here
        abort(400)
    forms = _forms()
    forms[key] = form
    return forms


def _audit(staff: StaffMember, case: ClientCase, action: str, what: str, **detail: Any) -> None:
    staff_access(staff, action, person_id=case.person_id, case_id=case.id, what=what, **detail)


# --- reading ---------------------------------------------------------------------------------


@blueprint.get("/asiat/<uuid:case_id>")
@requires("read")
def case(case_id: uuid.UUID) -> Any:
    return _render(case_id)


@blueprint.get("/lahetykset/<uuid:submission_id>")
@requires("read")
def submission(submission_id: uuid.UUID) -> str:
    staff = current_staff()
    sub = team_submission_or_404(submission_id)
    shown = _shown(sub.case, sub)
    staff_access(
        staff,
        "submission.viewed",
        person_id=sub.person_id,
        case_id=sub.case_id,
        submission_id=sub.id,
        what=f"answers:{sub.questionnaire_id}",
    )
    db.session.commit()
    return render_template(
        "alkupalvelu/submission.html",
        submission=sub,
        shown=shown,
        questionnaire=shown.questionnaire,
        nurse=only_nurse(staff),
        today=helsinki_today(),
    )


# --- changes ---------------------------------------------------------------------------------


@blueprint.post("/asiat/<uuid:case_id>/ota")
@requires("work")
def claim(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    forms = _posted("claim", ActionForm(prefix="ota"))
    case = team_case_or_404(case_id, for_update=True)
    result = workflow.claim(case, staff)
    if not result.won:
        if result.holder is not None and result.holder.id == staff.id:
            message = _l("Asia on jo sinun työn alla.")
        elif result.holder is not None:
            message = _l("%(name)s otti asian juuri työn alle.", name=result.holder.name)
        else:
            message = _l("Päättynyttä asiaa ei voi ottaa työn alle. Avaa asia ensin uudelleen.")
        db.session.rollback()
        return _render(case_id, errors={"ota": message}, forms=forms, status=409)
    _audit(staff, case, "case.claimed", "assignee")
    db.session.commit()
    return _done(case, _l("Asia on nyt sinun työn alla."))


@blueprint.post("/asiat/<uuid:case_id>/vapauta")
@requires("work")
def release(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    form = ActionForm(prefix="vapauta")
    forms = _posted("release", form)
    case = team_case_or_404(case_id, for_update=True)
    try:
        workflow.release(case, staff, (form.reason.data or "").strip() or None)
    except workflow.WorkflowError as error:
        return _failed(case_id, "vapauta", error.args[0], forms)
    _audit(staff, case, "case.released", "assignee")
    db.session.commit()
    return _done(case, _l("Asia on vapautettu jonoon."))


@blueprint.post("/asiat/<uuid:case_id>/siirra-tyontekijalle")
@requires("reassign")
def reassign(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    form = ReassignForm(prefix="siirra")
    forms = _posted("reassign", form)
    case = team_case_or_404(case_id, for_update=True)
    colleagues = {str(m.id): m for m in team_colleagues(staff)}
    to = colleagues.get(form.to.data or "")
    reason = (form.reason.data or "").strip()
    if to is None:
        return _failed(
            case_id, "siirra-to", _l("Valitse työntekijä, jolle asia siirretään."), forms
        )
    if not reason:
        return _failed(case_id, "siirra-reason", _l("Kirjoita syy siirrolle."), forms)
    try:
        workflow.reassign(case, staff, to, reason)
    except workflow.WorkflowError as error:
        return _failed(case_id, "siirra-to", error.args[0], forms)
    _audit(staff, case, "case.reassigned", "assignee", to=to.id)
    db.session.commit()
    return _done(case, _l("Asia on siirretty työntekijälle %(name)s.", name=to.name))


def _until(form: StatusForm) -> tuple[date | None, bool]:
    """(date, ok): no date at all is (None, True); a date that does not exist is (None, False)."""
    parts = [(f.data or "").strip() for f in (form.until_day, form.until_month, form.until_year)]
    if not any(parts):
        return None, True
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day), year >= 1000
    except ValueError:
        return None, False


@blueprint.post("/asiat/<uuid:case_id>/tila")
@requires("work")
def change_status(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    form = StatusForm(prefix="tila")
    forms = _posted("status", form)
    case = team_case_or_404(case_id, for_update=True)
    to = form.status.data
    if to not in STATUS_CHOICES:
        return _failed(case_id, "tila-status", _l("Valitse asian uusi tila."), forms)
    until, date_ok = _until(form)
    if to == Status.WAITING and not date_ok:
        return _failed(
            case_id,
            "tila-until",
            _l("Päivämäärän pitää olla oikea päivä, esimerkiksi 27 3 2027."),
            forms,
        )
    today = helsinki_today()
    try:
        workflow.set_status(
            case,
            staff,
            Status(to),
            reason=form.reason.data,
            until=until if to == Status.WAITING else None,
            destination=form.destination.data or None if to == Status.FORWARDED else None,
            destination_detail=form.destination_detail.data if to == Status.FORWARDED else None,
            today=today,
        )
    except workflow.WorkflowError as error:
        return _failed(case_id, _status_anchor(form, to, until, today), error.args[0], forms)
    _audit(staff, case, "case.status_changed", "status", status=to)
    db.session.commit()
    return _done(case, _l("Asian tila on nyt: %(status)s.", status=labels.STATUS.get(to, to)))


def _status_anchor(form: StatusForm, to: str, until: date | None, today: date) -> str:
    """The field the workflow's complaint is about, for the error summary's link."""
    if to == Status.WAITING and (until is None or until <= today):
        return "tila-until"
    if to == Status.FORWARDED:
        if form.destination.data not in labels.DESTINATION:
            return "tila-destination"
        if form.destination.data == "muu" and not (form.destination_detail.data or "").strip():
            return "tila-destination_detail"
    return "tila-reason"


@blueprint.post("/asiat/<uuid:case_id>/siirra-tiimiin")
@requires("work")
def reroute(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    form = RerouteForm(prefix="tiimi")
    forms = _posted("reroute", form)
    case = team_case_or_404(case_id, for_update=True)
    team = None
    if (form.team.data or "").isdigit():
        team = db.session.get(Team, int(form.team.data))
    if team is None:
        return _failed(case_id, "tiimi-team", _l("Valitse tiimi, jolle asia siirretään."), forms)
    try:
        workflow.reroute(case, staff, team, form.reason.data or "")
    except workflow.WorkflowError as error:
        anchor = "tiimi-team" if team.id == case.team_id else "tiimi-reason"
        return _failed(case_id, anchor, error.args[0], forms)
    _audit(staff, case, "case.rerouted", "team", to_team=team.id)
    db.session.commit()
    # The case has left this team's queue: back to the inbox, not to a page we can't open.
    flash(_l("Asia on siirretty tiimille %(team)s.", team=team.name), "success")
    return redirect(url_for("alkupalvelu.inbox"))


@blueprint.post("/asiat/<uuid:case_id>/merkinta")
@requires("work")
def add_entry(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    kind = request.form.get("kind", "")
    if kind not in ENTRY_PREFIX:
        abort(400)
    form = EntryForm(prefix=ENTRY_PREFIX[kind])
    forms = _posted(kind, form)
    case = team_case_or_404(case_id, for_update=True)
    channel = form.channel.data or None if kind == "contact" else None
    try:
        workflow.add_entry(case, staff, kind, form.body.data or "", channel)
    except workflow.WorkflowError as error:
        field_name = "channel" if kind == "contact" else "body"
        return _failed(case_id, f"{ENTRY_PREFIX[kind]}-{field_name}", error.args[0], forms)
    action, what, message = {
        "note": ("case.note_added", "notes", _l("Muistiinpano on tallennettu.")),
        "message": ("case.message_sent", "messages", _l("Viesti on lähetetty asiakkaalle.")),
        "contact": ("case.contact_logged", "contact log", _l("Yhteydenotto on kirjattu.")),
    }[kind]
    _audit(staff, case, action, what)
    db.session.commit()
    return _done(case, message)


@blueprint.post("/asiat/<uuid:case_id>/saate")
@requires("work")
def save_saate(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    form = SaateForm(prefix="saate")
    _posted("saate", form)
    case = team_case_or_404(case_id, for_update=True)
    workflow.save_staff_saate(
        case,
        staff,
        {
            "observations": form.observations.data or "",
            "network_summary": form.network_summary.data or "",
            "compiled_by": form.compiled_by.data or "",
        },
    )
    _audit(staff, case, "case.staff_saate_saved", "staff saate")
    db.session.commit()
    return _done(case, _l("Saatteen työntekijän osa on tallennettu."))


@blueprint.post("/asiat/<uuid:case_id>/asiakkuus")
@requires("work")
def confirm_segment(case_id: uuid.UUID) -> Any:
    staff = current_staff()
    form = SegmentForm(prefix="asiakkuus")
    forms = _posted("segment", form)
    case = team_case_or_404(case_id, for_update=True)
    try:
        workflow.confirm_segment(case, staff, form.segment.data or "", form.suggested.data or "")
    except workflow.WorkflowError as error:
        return _failed(case_id, "asiakkuus-segment", error.args[0], forms)
    _audit(staff, case, "case.segment_confirmed", "segment", segment=case.segment)
    db.session.commit()
    return _done(
        case, _l("Asiakkuus on vahvistettu: %(segment)s.", segment=labels.SEGMENT[case.segment])
    )
