"""The staff door's access rules, in one place: which case, which submission, which action.

- Every staff member sees only cases in their own team's queue (404 otherwise, so ids leak
  nothing).
- A health-check nurse (terveydenhoitaja) without an instructor's role reads only the
  pre-questionnaires (esitieto) of the team's cases, and changes nothing.
- Social instructors work cases; team leads also reassign, edit routing rules, see team
  figures and search the audit log; administrators edit routing rules and search the log but
  read no client data unless they also hold an instructor's role.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.alkupalvelu.inbox import NURSE_QUESTIONNAIRES, only_nurse
from portal.alkupalvelu.models import StaffMember
from portal.auth.access import current_staff, staff_required
from portal.cases.client_case import ClientCase
from portal.cases.models import Submission
from portal.db import db

F = TypeVar("F", bound=Callable[..., Any])

INSTRUCTOR, LEAD, NURSE, ADMIN = (
    "sosiaaliohjaaja",
    "tiiminvetaja",
    "terveydenhoitaja",
    "paakayttaja",
)

# What each role may do. "read" = open the team's cases; "work" = change them.
PERMISSIONS: dict[str, frozenset[str]] = {
    INSTRUCTOR: frozenset({"read", "work"}),
    LEAD: frozenset({"read", "work", "reassign", "routing", "figures", "audit"}),
    NURSE: frozenset({"read"}),
    ADMIN: frozenset({"routing", "audit"}),
}


def can(staff: StaffMember, permission: str) -> bool:
    return any(permission in PERMISSIONS.get(role, ()) for role in staff.roles or ())


def requires(permission: str) -> Callable[[F], F]:
    """Staff login, then the permission; 403 tells the person their role does not allow it."""

    def decorate(view: F) -> F:
        @wraps(view)
        @staff_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not can(current_staff(), permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def team_case_or_404(case_id: uuid.UUID, *, for_update: bool = False) -> ClientCase:
    """A case in the staff member's own team's queue that their role lets them open."""
    staff = current_staff()
    statement = select(ClientCase).where(
        ClientCase.id == case_id, ClientCase.team_id == staff.team_id
    )
    if for_update:
        statement = statement.with_for_update()
    case = db.session.scalars(statement).first()
    if case is None or not visible_submissions(staff, case):
        abort(404)
    return case


def visible_submissions(staff: StaffMember, case: ClientCase) -> list[Submission]:
    """The case's submissions this staff member may read (a nurse: pre-questionnaires only)."""
    submissions = list(case.submissions)
    if only_nurse(staff):
        return [s for s in submissions if s.questionnaire_id in NURSE_QUESTIONNAIRES]
    return submissions


def team_submission_or_404(submission_id: uuid.UUID) -> Submission:
    staff = current_staff()
    submission = db.session.scalars(
        select(Submission).where(Submission.id == submission_id, Submission.case_id.is_not(None))
    ).first()
    if submission is None or submission.case.team_id != staff.team_id:
        abort(404)
    if submission not in visible_submissions(staff, submission.case):
        abort(404)
    return submission


def team_colleagues(staff: StaffMember) -> list[StaffMember]:
    """Who a case can be given to: the team's members who work cases."""
    members = db.session.scalars(
        select(StaffMember).where(StaffMember.team_id == staff.team_id).order_by(StaffMember.name)
    ).all()
    return [m for m in members if can(m, "work")]


# The staff door's rooms: (endpoint, label, permission needed).
ROOMS = (
    ("alkupalvelu.inbox", _l("Saapuneet"), "read"),
    ("alkupalvelu.figures", _l("Tiimin luvut"), "figures"),
    ("alkupalvelu.routing", _l("Reititys"), "routing"),
    ("alkupalvelu.audit_log", _l("Käsittelyloki"), "audit"),
)


def navigation(staff: StaffMember, endpoint: str | None) -> list[dict[str, Any]]:
    """Links to the rooms this staff member may enter, the current one marked."""
    return [
        {"href": url_for(name), "text": label, "current": endpoint == name}
        for name, label, permission in ROOMS
        if can(staff, permission) and name in current_app.view_functions
    ]
