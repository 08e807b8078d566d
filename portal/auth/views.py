"""Login and logout: citizens through Suomi.fi, staff through the county's identity provider.

A successful login replaces the whole session (no pre-login value survives except the language
choice), stores only a database id, and is written to the audit log. A refused login shows a
page that says what to do next; the log gets a reason code and nothing else.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import i18n
from portal.alkupalvelu.access import navigation
from portal.alkupalvelu.models import StaffMember
from portal.audit.log import record
from portal.auth import oidc
from portal.auth.access import current_person
from portal.auth.claims import CitizenIdentity, StaffIdentity, citizen_identity, staff_identity
from portal.cases.models import Person
from portal.db import db, utcnow
from portal.i18n import current_language
from portal.intake.filling import AFTER as AFTER_CHOICE

blueprint = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)

# Session keys that are preferences, not identity: they survive a login.
_KEPT_ACROSS_LOGIN = ("lang", "register")


@blueprint.record_once
def _init_oidc(state: BlueprintSetupState) -> None:
    oidc.init_app(state.app)


# --- citizens --------------------------------------------------------------------------------


@blueprint.get("/kirjaudu")
def citizen_start() -> str:
    return render_template("auth/start.html", person=current_person())


@blueprint.get("/kirjaudu/suomifi")
def citizen_login() -> Response | tuple[str, int]:
    settings = current_app.config["PORTAL"]
    try:
        return oidc.start_login(
            oidc.CITIZEN,
            url_for("auth.citizen_callback", _external=True),
            ui_locales=current_language(),
            # Ask Suomi.fi for the levels we accept; the answer is still checked on return.
            acr_values=settings["CITIZEN_ACCEPTED_LOA"],
        )
    except oidc.LoginError as exc:
        return _refused(exc, "citizen")


@blueprint.get("/kirjaudu/paluu")
def citizen_callback() -> Response | tuple[str, int]:
    settings = current_app.config["PORTAL"]
    try:
        login = oidc.finish_login(oidc.CITIZEN)
        oidc.require_accepted_loa(login.claims, settings)
        identity = citizen_identity(
            login.claims,
            settings,
            allow_test_codes=current_app.config["PORTAL_ENV"] != "production",
        )
    except oidc.LoginError as exc:
        return _refused(exc, "citizen")

    person = _upsert_person(identity)
    after_login = _safe_local_path(session.get("after_login"))
    _new_session(oidc.CITIZEN, login.id_token)
    session["person_id"] = str(person.id)
    i18n.restore_at_login(person)
    record("citizen", person.id, "login", person_id=person.id, loa=identity.loa)
    db.session.commit()
    # Right after login: for oneself, with a helper beside, or for someone else?
    if after_login:
        session[AFTER_CHOICE] = after_login
    return redirect(url_for("filling.choose"))


def _upsert_person(identity: CitizenIdentity) -> Person:
    """The person by identity code; names and municipality follow the population register."""
    person = db.session.scalars(select(Person).where(Person.hetu == identity.hetu)).first()
    if person is None:
        person = Person(hetu=identity.hetu)
        db.session.add(person)
    person.given_names = identity.given_names
    person.family_name = identity.family_name
    person.municipality_code = identity.municipality_code
    person.last_login_at = utcnow()
    db.session.flush()
    return person


# --- staff -----------------------------------------------------------------------------------


@blueprint.get("/henkilosto/kirjaudu")
def staff_login() -> Response | tuple[str, int]:
    try:
        return oidc.start_login(
            oidc.STAFF,
            url_for("auth.staff_callback", _external=True),
            ui_locales=current_language(),
        )
    except oidc.LoginError as exc:
        return _refused(exc, "staff")


@blueprint.get("/henkilosto/kirjaudu/paluu")
def staff_callback() -> Response | tuple[str, int]:
    settings = current_app.config["PORTAL"]
    try:
        login = oidc.finish_login(oidc.STAFF)
        identity = staff_identity(login.claims, settings)
    except oidc.LoginError as exc:
        return _refused(exc, "staff")

    staff = _upsert_staff(identity)
    _new_session(oidc.STAFF, login.id_token)
    session["staff_id"] = staff.id
    record("staff", staff.id, "login", roles=list(identity.roles))
    db.session.commit()
    # The first room the staff member's roles open: the inbox, or routing for an administrator.
    rooms = navigation(staff, None) if staff.team_id else []
    return redirect(rooms[0]["href"] if rooms else url_for("alkupalvelu.inbox"))


def _upsert_staff(identity: StaffIdentity) -> StaffMember:
    """Known by subject; a newcomer gets no team, so sees no queue until an admin assigns one."""
    staff = db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == identity.sub)
    ).first()
    if staff is None:
        staff = StaffMember(oidc_sub=identity.sub, team_id=None)
        db.session.add(staff)
    staff.name = identity.name or staff.name or identity.sub
    staff.roles = list(identity.roles)
    staff.last_login_at = utcnow()
    db.session.flush()
    return staff


# --- logout ----------------------------------------------------------------------------------


@blueprint.post("/kirjaudu-ulos")
def logout() -> Response:
    """Forget the local session first, then ask the provider to end its single sign-on."""
    provider = session.get("login_provider")
    id_token = session.get("id_token")
    person_id, staff_id = session.get("person_id"), session.get("staff_id")
    _new_session(None, None)
    if person_id:
        record("citizen", person_id, "logout", person_id=uuid.UUID(person_id))
    elif staff_id:
        record("staff", staff_id, "logout")
    db.session.commit()
    logged_out = url_for("auth.logged_out", _external=True)
    target = (
        oidc.logout_request(provider, id_token, logged_out)
        if provider in (oidc.CITIZEN, oidc.STAFF)
        else None
    )
    if target is None:
        return redirect(logged_out)
    endpoint, fields = target
    # A form the browser posts on by itself (with JavaScript) or with one click (without).
    return render_template("auth/provider_logout.html", endpoint=endpoint, fields=fields)


@blueprint.get("/uloskirjautunut")
def logged_out() -> str:
    return render_template("auth/logged_out.html")


# --- helpers ---------------------------------------------------------------------------------


def _new_session(provider: str | None, id_token: str | None) -> None:
    """A fresh session: nothing from before the login (or logout) carries identity over."""
    kept = {key: session[key] for key in _KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    if provider:
        session["login_provider"] = provider
        session["id_token"] = id_token
        session.permanent = True


def _safe_local_path(target: Any) -> str | None:
    """Only a path on this site: no scheme, no host, no `//evil.example` or backslash tricks."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.rstrip("?")  # request.full_path ends in "?" when there is no query


def _refused(error: oidc.LoginError, door: str) -> tuple[str, int]:
    logger.warning("%s login refused: %s", door, error.reason)
    retry_url = url_for("auth.citizen_login" if door == "citizen" else "auth.staff_login")
    return (
        render_template("auth/error.html", reason=error.reason, door=door, retry_url=retry_url),
        error.status,
    )
