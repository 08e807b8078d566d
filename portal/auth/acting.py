"""Who is filling in: the person themselves, with a helper beside them, or a delegate acting
on their behalf with a Suomi.fi mandate.

The session keeps the logged-in person (`person_id`, the actor) apart from the person whose
data the request handles (the subject). Acting for someone adds the principal and the
mandate check to the session; nothing else about the login changes, and ending it (or losing
the mandate) returns the person to their own affairs. The mandate service's answer is only
trusted for MANDATES_RECHECK_SECONDS, and sending always asks again (portal.auth.access).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from flask import current_app, session

from portal.cases.models import Person
from portal.db import db
from portal.mandates.client import from_app

ACTING = "acting"  # session key: the principal and the mandate session
PENDING = "mandate_pending"  # session key: a registration waiting for the OAuth callback
HELPER = "helper"  # session key: someone beside the person, {"name", "relation"}


@dataclass(frozen=True)
class Acting:
    principal_id: uuid.UUID
    principal_name: str
    session_id: str = field(repr=False)
    token: str = field(repr=False)
    checked_at: float


def current() -> Acting | None:
    raw = session.get(ACTING)
    if not raw:
        return None
    return Acting(
        principal_id=uuid.UUID(raw["principal_id"]),
        principal_name=raw["principal_name"],
        session_id=raw["session_id"],
        token=raw["token"],
        checked_at=float(raw["checked_at"]),
    )


def begin(principal: Person, session_id: str, token: str) -> None:
    """Act for `principal` from now on (the mandate was just found ALLOWED)."""
    session.pop(HELPER, None)
    session[ACTING] = {
        "principal_id": str(principal.id),
        "principal_name": principal.full_name,
        "session_id": session_id,
        "token": token,
        "checked_at": time.time(),
    }


def end() -> Acting | None:
    """Back to one's own affairs; the mandate session is closed at the service (best effort)."""
    acting = current()
    session.pop(ACTING, None)
    if acting is not None:
        from_app().unregister(acting.session_id)
    return acting


def still_allowed(*, force: bool = False) -> bool:
    """Is the mandate in force? Asks the service when the last answer is too old (or `force`).

    Anything but an explicit ALLOWED for this principal and matter is a no.
    """
    acting = current()
    if acting is None:
        return False
    settings = current_app.config["PORTAL"]
    if not force and time.time() - acting.checked_at < int(settings["MANDATES_RECHECK_SECONDS"]):
        return True
    principal = db.session.get(Person, acting.principal_id)
    if principal is None:
        return False
    allowed = from_app().is_allowed(
        acting.session_id, acting.token, principal.hetu, settings["MANDATES_ISSUE"]
    )
    if allowed:
        session[ACTING] = {**session[ACTING], "checked_at": time.time()}
    return allowed


def helper() -> dict[str, str] | None:
    """The person sitting beside the logged-in person, when they said so."""
    value = session.get(HELPER)
    return dict(value) if value else None


def set_helper(name: str, relation: str) -> None:
    session[HELPER] = {"name": name, "relation": relation}


def clear_helper() -> None:
    session.pop(HELPER, None)
