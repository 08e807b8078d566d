"""More time before the login session ends (WCAG 2.2.1 Timing Adjustable).

Sessions end after SESSION_MINUTES without a request (portal.auth.sessions). A logged-in page
carries templates/components/session_timeout.html: a warning that static/js/session-timeout.js
shows shortly before the end, with a button that POSTs here. Without JavaScript there is no
warning, and nothing is lost: every questionnaire page saves its answers when sent.

The context processor tells the page how many seconds the session really has left. It is not
always the full lifetime: the stored expiry moves only when the session changes or is more than
REFRESH_AFTER old, so a page loaded soon after another keeps the earlier expiry.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, has_request_context, jsonify, session
from werkzeug.wrappers import Response

from portal.auth.access import current_person, current_staff
from portal.auth.sessions import REFRESH_AFTER
from portal.db import utcnow

blueprint = Blueprint("keepalive", __name__)

# The warning comes this long before the end; shorter when the whole session is short, but never
# under the 20 seconds WCAG 2.2.1 asks for.
WARN_SECONDS = 120
MIN_WARN_SECONDS = 20


def lifetime_seconds() -> int:
    return int(current_app.permanent_session_lifetime.total_seconds())


def warn_seconds() -> int:
    return max(MIN_WARN_SECONDS, min(WARN_SECONDS, lifetime_seconds() // 2))


def seconds_left() -> int:
    """Seconds until the stored session expires, as it will be once this response is sent."""
    lifetime = lifetime_seconds()
    refreshed_at = getattr(session, "refreshed_at", None)
    if refreshed_at is None or session.modified or utcnow() - refreshed_at > REFRESH_AFTER:
        return lifetime  # this response writes a new expiry (see DatabaseSessionInterface)
    left = lifetime - (utcnow() - refreshed_at).total_seconds()
    return max(0, int(left))


def _logged_in() -> bool:
    return bool(
        (session.get("person_id") and current_person() is not None)
        or (session.get("staff_id") and current_staff() is not None)
    )


@blueprint.app_context_processor
def _session_timeout_context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    return {
        "session_timeout": {
            "seconds_left": seconds_left,  # called by the template, only on logged-in pages
            "warn_seconds": warn_seconds,
        }
    }


@blueprint.post("/istunto/jatka")
def extend() -> tuple[Response, int]:
    """Move the session's expiry to a full lifetime from now. CSRF-checked like every POST."""
    if not _logged_in():
        response = jsonify(error="login_required")
        response.headers["Cache-Control"] = "no-store"
        return response, 401
    session.permanent = True
    session.modified = True  # save_session writes expires_at = now + lifetime
    response = jsonify(expires_in=lifetime_seconds())
    response.headers["Cache-Control"] = "no-store"
    return response, 200
