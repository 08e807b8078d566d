"""Who is this request? The one place each door decides who may come in.

The session cookie only points at a person or staff member; everything else is read from the
database on each request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, has_request_context, redirect, request, session, url_for
from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.auth import acting
from portal.cases.models import Person
from portal.db import db

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")

STAFF_ROLES = frozenset({"sosiaaliohjaaja", "tiiminvetaja", "terveydenhoitaja", "paakayttaja"})


def current_actor() -> Person | None:
    """The person logged in (themselves, or a delegate acting for someone)."""
    raw = session.get("person_id")
    # Cached per request, keyed by the session's value so a reused context never mixes people.
    if g.get("actor_key", ...) != raw:
        g.actor = db.session.get(Person, uuid.UUID(raw)) if raw else None
        g.actor_key = raw
    return g.actor


def current_person() -> Person | None:
    """Whose data this request handles: the logged-in person, or the principal they act for."""
    now_acting = acting.current() if session.get("person_id") else None
    if now_acting is None:
        return current_actor()
    if g.get("subject_key", ...) != now_acting.principal_id:
        g.subject = db.session.get(Person, now_acting.principal_id)
        g.subject_key = now_acting.principal_id
    return g.subject


def may_use(row: Any) -> bool:
    """A delegate may use only the drafts and submissions they started for the principal; the
    person themselves may use all of their own."""
    if acting.current() is None:
        return True
    actor = current_actor()
    return actor is not None and getattr(row, "delegate_id", None) == actor.id


def current_staff() -> StaffMember | None:
    raw = session.get("staff_id")
    if g.get("staff_key", ...) != raw:
        g.staff = db.session.get(StaffMember, int(raw)) if raw else None
        g.staff_key = raw
    return g.staff


def own_or_404(model: type[M], object_id: uuid.UUID) -> M:
    """The citizen door's one ownership rule: a row of the person's own, or 404.

    404 rather than 403, so that someone trying ids learns nothing about other people's data.
    """
    person = current_person()
    found = db.session.scalars(
        select(model).where(model.id == object_id, model.person_id == person.id)
    ).first()
    if found is None or not may_use(found):
        abort(404)
    return found


# Where a delegate may go while acting for someone: the forms they fill, and what they sent.
# Everything else behind the citizen door (the person's case, plan, results, consents, access
# log) is the person's own: refused, by default, for any view added later too.
DELEGATE_ENDPOINTS = frozenset(
    {
        "intake.home",
        "intake.start",
        "intake.begin",
        "intake.resume",
        "intake.page",
        "intake.check",
        "intake.submit",
        "intake.receipt",
        "intake.answers",
    }
)
# Sending always asks the mandate service again, however fresh the last answer.
_RECHECK_ALWAYS = frozenset({"intake.submit"})


def citizen_required(view: F) -> F:
    """The citizen's door: a verified Suomi.fi login, or off to log in (and back here after).

    A delegate acting for someone passes only to DELEGATE_ENDPOINTS, only for questionnaires
    that may be filled on someone's behalf, and only while the mandate is in force.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_actor() is None:
            session["after_login"] = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.citizen_start"))
        refusal = _delegate_refusal(kwargs.get("questionnaire_id"))
        if refusal is not None:
            return refusal
        session.permanent = True
        return view(*args, **kwargs)

    wrapper.citizen_door = True  # type: ignore[attr-defined]  (tests walk the URL map by it)
    return wrapper  # type: ignore[return-value]


def citizen_optional(view: F) -> F:
    """A page for anyone (the front page); a delegate acting for someone still passes the
    same checks as at the citizen door."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        refusal = _delegate_refusal(kwargs.get("questionnaire_id"))
        if refusal is not None:
            return refusal
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def actor_required(view: F) -> F:
    """Logged in as a citizen, whoever's affairs they handle (choosing whom to act for)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_actor() is None:
            session["after_login"] = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.citizen_start"))
        session.permanent = True
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _delegate_refusal(questionnaire_id: str | None) -> Any:
    """None when this request may go on; a refusal page when a delegate may not."""
    if current_actor() is None or acting.current() is None:
        return None
    from portal.intake import filling  # the pages that explain a refusal
    from portal.questionnaires import registry

    if request.endpoint not in DELEGATE_ENDPOINTS:
        return filling.not_while_acting()
    if not acting.still_allowed(force=request.endpoint in _RECHECK_ALWAYS):
        return filling.mandate_lost()
    if questionnaire_id is not None:
        questionnaire = registry.get(questionnaire_id)
        if questionnaire is not None and not questionnaire.on_behalf:
            return filling.not_on_behalf(questionnaire)
    return None


def staff_required(view: F) -> F:
    """The staff door: a staff login with a role and a team; the team decides what is seen."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        staff = current_staff()
        if staff is None:
            return redirect(url_for("auth.staff_login"))
        if staff.team_id is None or not STAFF_ROLES.intersection(staff.roles or ()):
            abort(403)
        session.permanent = True
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def template_context() -> dict[str, Any]:
    """Who is logged in, for the page header."""
    if not has_request_context():  # e.g. an e-mail rendered by a command
        return {
            "logged_in": False,
            "current_user_name": None,
            "staff_area": False,
            "staff_nav": [],
            "acting_for": None,
            "helper_beside": None,
        }
    staff = current_staff() if session.get("staff_id") else None
    person = current_actor() if session.get("person_id") else None
    who = staff.name if staff else person.full_name if person else None
    staff_area = request.blueprint == "alkupalvelu"
    nav: list[dict[str, Any]] = []
    if staff_area and staff is not None:
        from portal.alkupalvelu.access import navigation  # the staff door knows its own rooms

        nav = navigation(staff, request.endpoint)
    return {
        "logged_in": who is not None,
        "current_user_name": who,
        "staff_area": staff_area,
        "staff_nav": nav,
        # Labelled on every page: "Asioit henkilön N.N. puolesta" (never an identity code).
        "citizen_logged_in": person is not None and staff is None,
        "acting_for": acting.current() if person is not None else None,
        "helper_beside": acting.helper() if person is not None else None,
    }
