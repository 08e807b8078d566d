"""What staff do to a case: claim, release, reassign, change status, forward, hold, re-route.

Each change writes a CaseEvent (the history both doors show) in the same transaction, and
tells the citizen by e-mail when the change is one they see. Callers commit. Who may do what
is decided at the staff door (portal/alkupalvelu/access.py), not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from portal.alkupalvelu.models import StaffMember, Team
from portal.cases.client_case import (
    CONTACT_CHANNELS,
    DESTINATIONS,
    SEGMENTS,
    CaseEntry,
    CaseEvent,
    ClientCase,
    Status,
)
from portal.db import db, utcnow
from portal.notify.messages import notify_citizen_case_changed, notify_team_new_case

# Status changes the citizen sees on their timeline (and is e-mailed about).
CITIZEN_VISIBLE = frozenset(
    {"claimed", "contacted", "forwarded", "plan", "closed", "waiting", "message"}
)


class WorkflowError(ValueError):
    """A change the case's state does not allow; the message says what to do instead."""


@dataclass(frozen=True)
class ClaimResult:
    won: bool
    holder: StaffMember | None


def record_event(
    case: ClientCase, staff: StaffMember | None, kind: str, **values: object
) -> CaseEvent:
    event = CaseEvent(case_id=case.id, staff_id=staff.id if staff else None, kind=kind, **values)
    db.session.add(event)
    if kind in CITIZEN_VISIBLE:
        notify_citizen_case_changed(case)
    return event


def claim(case: ClientCase, staff: StaffMember) -> ClaimResult:
    """ "Otan kopin": one conditional UPDATE, so of two simultaneous claims exactly one wins."""
    now = utcnow()
    won = db.session.execute(
        update(ClientCase)
        .where(
            ClientCase.id == case.id,
            ClientCase.assignee_id.is_(None),
            ClientCase.status != Status.CLOSED,
        )
        .values(assignee_id=staff.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(case)
    if won != 1:
        return ClaimResult(False, case.assignee)
    record_event(case, staff, "claimed", detail={"assignee": staff.id})
    if case.status == Status.NEW:
        _set_status(case, staff, Status.IN_PROGRESS, None, now)
    return ClaimResult(True, staff)


def release(case: ClientCase, staff: StaffMember, reason: str | None = None) -> None:
    if case.assignee_id is None:
        raise WorkflowError(_l("Asia ei ole kenenkään työn alla."))
    previous = case.assignee_id
    case.assignee_id = None
    record_event(case, staff, "released", reason=reason, detail={"previous": previous})


def reassign(case: ClientCase, staff: StaffMember, to: StaffMember, reason: str | None) -> None:
    """Lead's action: give the case to a colleague of the same team."""
    if to.team_id != case.team_id:
        raise WorkflowError(_l("Valitse työntekijä, joka kuuluu asian tiimiin."))
    previous = case.assignee_id
    case.assignee_id = to.id
    record_event(
        case, staff, "reassigned", reason=reason, detail={"previous": previous, "to": to.id}
    )
    if case.status == Status.NEW:
        _set_status(case, staff, Status.IN_PROGRESS, None, utcnow())


def _set_status(
    case: ClientCase, staff: StaffMember | None, to: Status, reason: str | None, now: datetime
) -> CaseEvent:
    before = case.status
    case.status = to
    if to != Status.WAITING:
        case.waiting_until = None
    if to == Status.CLOSED:
        case.closed_at = now
    elif before == Status.CLOSED:
        case.closed_at = None
    kind = {
        Status.CLOSED: "closed",
        Status.WAITING: "waiting",
        Status.FORWARDED: "forwarded",
    }.get(to, "status")
    if before == Status.CLOSED and to != Status.CLOSED:
        kind = "reopened"
    return record_event(
        case,
        staff,
        kind,
        status_from=before,
        status_to=to,
        reason=reason,
        detail={"destination": case.destination, "destination_detail": case.destination_detail}
        if to == Status.FORWARDED
        else {"until": case.waiting_until.isoformat()}
        if to == Status.WAITING and case.waiting_until
        else {},
    )


def set_status(
    case: ClientCase,
    staff: StaffMember,
    to: Status,
    *,
    reason: str | None = None,
    until: date | None = None,
    destination: str | None = None,
    destination_detail: str | None = None,
    today: date,
) -> CaseEvent:
    """Move along Uusi → Työn alla → Odottaa asiakasta → Ohjattu eteenpäin → Päättynyt.

    Waiting needs a date in the future; forwarding names a destination; closing and re-opening
    need a reason. Any open status may follow any other: real cases do not go in a straight line.
    """
    if to == case.status and to not in (Status.WAITING, Status.FORWARDED):
        raise WorkflowError(_l("Asia on jo tässä tilassa. Valitse toinen tila."))
    if to == Status.NEW:
        raise WorkflowError(_l("Asiaa ei voi palauttaa uudeksi. Vapauta se jonoon."))
    if to == Status.WAITING:
        if until is None or until <= today:
            raise WorkflowError(
                _l("Anna päivä, johon asti asia odottaa asiakasta. Päivä on tulevaisuudessa.")
            )
        case.waiting_until = until
    if to == Status.FORWARDED:
        if destination not in DESTINATIONS:
            raise WorkflowError(_l("Valitse, mihin asiakas ohjataan."))
        if destination == "muu" and not (destination_detail or "").strip():
            raise WorkflowError(_l("Kirjoita palvelun nimi, kun valitset muun palvelun."))
        case.destination = destination
        case.destination_detail = (destination_detail or "").strip() or None
    if (to == Status.CLOSED or case.status == Status.CLOSED) and not (reason or "").strip():
        raise WorkflowError(_l("Kirjoita syy: se jää asian historiaan."))
    return _set_status(case, staff, to, (reason or "").strip() or None, utcnow())


def reroute(case: ClientCase, staff: StaffMember, team: Team, reason: str) -> None:
    """Send the case to another team's queue, unassigned, with the reason in its history."""
    if not reason.strip():
        raise WorkflowError(_l("Kirjoita syy siirrolle toiseen tiimiin."))
    if team.id == case.team_id:
        raise WorkflowError(_l("Valitse jokin toinen tiimi."))
    previous = case.team_id
    case.team_id = team.id
    case.assignee_id = None
    if case.status != Status.CLOSED:
        case.status = Status.NEW
    record_event(
        case, staff, "rerouted", reason=reason.strip(), detail={"from": previous, "to": team.id}
    )
    notify_team_new_case(team, case)


def add_entry(
    case: ClientCase, staff: StaffMember, kind: str, body: str, channel: str | None = None
) -> CaseEntry:
    """A note (staff only), a message to the client, or a contact log entry."""
    body = body.strip()
    if kind == "contact":
        if channel not in CONTACT_CHANNELS:
            raise WorkflowError(_l("Valitse, miten yhteyttä otettiin."))
    elif not body:
        raise WorkflowError(_l("Kirjoita teksti ennen tallentamista."))
    entry = CaseEntry(case_id=case.id, kind=kind, channel=channel, body=body, author_id=staff.id)
    db.session.add(entry)
    if kind == "contact":
        first = case.first_contact_at is None
        if first:
            case.first_contact_at = utcnow()
        record_event(case, staff, "contacted" if first else "contact", detail={"channel": channel})
    elif kind == "message":
        record_event(case, staff, "message")
    return entry


def confirm_segment(case: ClientCase, staff: StaffMember, segment: str, suggested: str) -> None:
    if segment not in SEGMENTS:
        raise WorkflowError(_l("Valitse asiakkuus."))
    case.segment = segment
    case.segment_confirmed_by = staff.id
    case.segment_confirmed_at = utcnow()
    record_event(case, staff, "segment", detail={"segment": segment, "suggested": suggested})


def save_staff_saate(case: ClientCase, staff: StaffMember, values: dict[str, str]) -> None:
    """The instructor's part of the saate; the previous text stays in the event history."""
    previous = dict(case.staff_saate or {})
    case.staff_saate = {
        **{k: (v or "").strip() for k, v in values.items()},
        "saved_by": staff.id,
        "saved_at": utcnow().isoformat(),
    }
    record_event(case, staff, "staff_saate", detail={"previous": previous})
