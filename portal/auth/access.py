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
from portal.cases.models import Person
from portal.db import db

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")

STAFF_ROLES = frozenset({"sosiaaliohjaaja", "tiiminvetaja", "terveydenhoitaja", "paakayttaja"})


def current_person() -> Person | None:
    raw = session.get("person_id")
    # Cached per request, keyed by the session's value so a reused context never mixes people.
    if g.get("person_key", ...) != raw:
        g.person = db.session.get(Person, uuid.UUID(raw)) if raw else None
        g.person_key = raw
    return g.person


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
    if found is None:
        abort(404)
    return found


def citizen_required(view: F) -> F:
    """The citizen's door: a verified Suomi.fi login, or off to log in (and back here after)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_person() is None:
            session["after_login"] = request.full_path if request.method == "GET" else None
            return redirect(url_for("auth.citizen_start"))
        session.permanent = True
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
        }
    staff = current_staff() if session.get("staff_id") else None
    person = current_person() if session.get("person_id") else None
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
    }
