"""More time before the session ends (WCAG 2.2.1): POST /istunto/jatka and the warning's markup."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from portal.auth.sessions import COOKIE_NAME, DatabaseSessionInterface, WebSession, _hash
from portal.db import db, utcnow
from portal.devidp.users import CITIZEN_SUBS
from tests.conftest import csrf_token, oidc_login

AADA = CITIZEN_SUBS["010280-952L"]
EXTEND = "/istunto/jatka"


def _key(client) -> str:
    return client.get_cookie(COOKIE_NAME).value


def _row(client) -> WebSession:
    db.session.expire_all()
    return db.session.get(WebSession, _hash(_key(client)))


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _set_times(client, refreshed_at, expires_at) -> None:
    db.session.execute(
        update(WebSession)
        .where(WebSession.key_hash == _hash(_key(client)))
        .values(refreshed_at=refreshed_at, expires_at=expires_at)
    )
    db.session.commit()


def _logged_in_with_token(client) -> str:
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    return csrf_token(client.get("/").get_data(as_text=True))


def test_extending_moves_the_stored_expiry_and_says_how_long(app, client):
    token = _logged_in_with_token(client)
    # A session refreshed just now that ends in five minutes: a page view alone would not move it.
    soon = utcnow() + timedelta(minutes=5)
    _set_times(client, utcnow(), soon)

    response = client.post(EXTEND, headers={"X-CSRFToken": token})

    assert response.status_code == 200
    assert response.is_json
    lifetime = app.permanent_session_lifetime.total_seconds()
    assert response.get_json() == {"expires_in": int(lifetime)}
    assert "no-store" in response.headers["Cache-Control"]
    expires_at = _aware(_row(client).expires_at)
    assert expires_at > soon
    assert abs((expires_at - utcnow()).total_seconds() - lifetime) < 30


def test_the_form_field_token_works_too(client):
    token = _logged_in_with_token(client)
    assert client.post(EXTEND, data={"csrf_token": token}).status_code == 200


def test_without_a_csrf_token_the_answer_is_400_and_nothing_moves(client):
    _logged_in_with_token(client)
    soon = utcnow() + timedelta(minutes=5)
    _set_times(client, utcnow(), soon)
    assert client.post(EXTEND).status_code == 400
    assert client.post(EXTEND, headers={"X-CSRFToken": "not-a-token"}).status_code == 400
    assert _aware(_row(client).expires_at) == soon


def test_a_session_without_a_login_gets_401_json(client):
    token = _logged_in_with_token(client)
    # Still a valid session with its CSRF token, but nobody logged in any more.
    serializer = DatabaseSessionInterface.serializer
    row = _row(client)
    data = serializer.loads(row.data)
    data.pop("person_id")
    db.session.execute(
        update(WebSession)
        .where(WebSession.key_hash == row.key_hash)
        .values(data=serializer.dumps(data))
    )
    db.session.commit()

    response = client.post(EXTEND, headers={"X-CSRFToken": token})

    assert response.status_code == 401
    assert response.get_json() == {"error": "login_required"}


def test_an_anonymous_visitor_cannot_extend_anything(client):
    client.get("/")
    # No session with a CSRF token: Flask-WTF refuses before the view (an expired session ends
    # up here too, and the page's script then reloads).
    assert client.post(EXTEND, headers={"X-CSRFToken": "x"}).status_code == 400


def test_get_is_not_allowed(client):
    _logged_in_with_token(client)
    assert client.get(EXTEND).status_code == 405


def test_staff_can_extend_too(client, demo):
    oidc_login(client, "/henkilosto/kirjaudu", "sanna.ohjaaja")
    token = csrf_token(client.get("/henkilosto/").get_data(as_text=True))
    assert client.post(EXTEND, headers={"X-CSRFToken": token}).status_code == 200


# --- the warning's markup (templates/components/session_timeout.html) ----------------------------


def _wrapper(html: str) -> str:
    match = re.search(r'<div class="portal-session-timeout"[^>]*>', html)
    assert match, "no session timeout component on the page"
    return match.group(0)


def _attr(tag: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', tag)
    assert match, f"{name} missing"
    return match.group(1)


def test_the_warning_is_only_on_logged_in_pages(client):
    assert "portal-session-timeout" not in client.get("/").get_data(as_text=True)
    assert 'role="alertdialog"' not in client.get("/saavutettavuus").get_data(as_text=True)


def test_the_warning_is_hidden_and_tells_the_script_what_it_needs(app, client):
    token = _logged_in_with_token(client)
    html = client.get("/saavutettavuus").get_data(as_text=True)
    wrapper = _wrapper(html)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert 0 < int(_attr(wrapper, "data-session-seconds")) <= lifetime
    warn = int(_attr(wrapper, "data-warn-seconds"))
    assert 20 <= warn <= min(120, lifetime)
    assert _attr(wrapper, "data-extend-url") == EXTEND
    # The same session's token; the signature carries the second it was made, so compare the
    # signed value (itsdangerous: value.timestamp.signature), not the whole string.
    assert _attr(wrapper, "data-csrf-token").split(".")[0] == token.split(".")[0]
    assert "{num}" in _attr(wrapper, "data-text-other")

    dialog = re.search(r'<div [^>]*role="alertdialog"[^>]*>', html).group(0)
    assert " hidden" in dialog and 'aria-modal="true"' in dialog
    labelled = _attr(dialog, "aria-labelledby")
    assert f'id="{labelled}"' in html
    for described in _attr(dialog, "aria-describedby").split():
        assert f'id="{described}"' in html
    assert "Istuntosi on päättymässä" in html
    assert "Istuntosi päättyy 2 minuutin kuluttua." in html
    assert re.search(r'<button type="button"[^>]*>Jatka istuntoa</button>', html)


def test_the_page_is_told_the_time_really_left(app, client):
    """A page soon after another does not move the stored expiry, so it counts from that."""
    _logged_in_with_token(client)
    lifetime = app.permanent_session_lifetime
    refreshed = utcnow() - timedelta(seconds=40)
    _set_times(client, refreshed, refreshed + lifetime)
    html = client.get("/").get_data(as_text=True)  # the home page does not touch the session
    left = int(_attr(_wrapper(html), "data-session-seconds"))
    assert lifetime.total_seconds() - 50 < left < lifetime.total_seconds() - 30
