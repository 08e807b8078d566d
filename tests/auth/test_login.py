"""Login through the running development provider, and ID token verification on its own.

The flow tests drive the real protocol: our redirect, the provider's form, our callback. The
token tests take real tokens from the provider and break them one way at a time, checking
first that the untouched token passes, so that each refusal is the check under test.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.audit.models import AuditEvent
from portal.auth.oidc import CLOCK_SKEW_SECONDS, InvalidIdToken, verify_id_token
from portal.cases.models import Person
from portal.db import db
from portal.devidp.users import (
    CITIZEN_SUBS,
    LOW_LOA_HETU,
    LOW_LOA_SUB,
    NO_ROLE_STAFF_SUB,
    SINGLE_FACTOR_STAFF_SUB,
    STAFF_SUBS,
)
from tests.conftest import csrf_token, oidc_login, running_idp

ROOT = Path(__file__).resolve().parents[2]
AADA_HETU = "010280-952L"
AADA = CITIZEN_SUBS[AADA_HETU]
REDIRECT_URI = "http://localhost/kirjaudu/paluu"
CLIENT_ID = "tyokykyportti"  # the test profile's CITIZEN_OIDC_CLIENT_ID default


# --- helpers ---------------------------------------------------------------------------------


def _authorize_url(client: FlaskClient, start_path: str) -> str:
    response = client.get(start_path)
    assert response.status_code == 302, response.data[:500]
    return response.headers["Location"]


def _provider_answer(authorize_url: str, sub: str) -> str:
    """The provider's form, submitted: returns our callback path with its query."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def _login(
    client: FlaskClient, start_path: str, sub: str, edit: Callable[[str], str] | None = None
) -> Any:
    """Like conftest.oidc_login, but returns our callback's response (and may edit the request)."""
    url = _authorize_url(client, start_path)
    if edit:
        url = edit(url)
    return client.get(_provider_answer(url, sub))


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    query[name] = [value]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def _authorize(issuer: str, sub: str, *, client_id: str, nonce: str, challenge: str) -> str:
    """An authorization code from the provider's form, as a browser would fetch it."""
    query = {
        "response_type": "code",
        "client_id": client_id,
        "scope": "openid profile",
        "redirect_uri": REDIRECT_URI,
        "state": "s",
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    answer = requests.post(
        f"{issuer}/oauth2/authorize?{urlencode(query)}",
        data={"sub": sub},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def _tokens(
    issuer: str, sub: str, *, client_id: str = CLIENT_ID, nonce: str = "n-0123456789"
) -> dict:
    """A token response straight from the provider, as another client would get it."""
    verifier = secrets.token_urlsafe(48)
    challenge = create_s256_code_challenge(verifier)
    code = _authorize(issuer, sub, client_id=client_id, nonce=nonce, challenge=challenge)
    token = requests.post(
        f"{issuer}/oauth2/token",
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": "dev-secret",
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.text[:300]
    return token.json()


def _jwks(issuer: str) -> dict:
    return requests.get(f"{issuer}/jwks", timeout=10).json()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _payload(id_token: str) -> dict:
    return json.loads(_unb64(id_token.split(".")[1]))


def _reason(excinfo: pytest.ExceptionInfo[InvalidIdToken]) -> str:
    return excinfo.value.reason


@pytest.fixture(scope="module")
def short_lived_idp_url() -> Iterator[str]:
    """A second provider whose tokens live one second (and which has keys of its own)."""
    with running_idp("--token-max-age", "1") as url:
        yield url


@pytest.fixture(autouse=True)
def _portal_logs_on() -> None:
    """Log assertions must not pass vacuously. Alembic's fileConfig() in migrations/env.py
    disables every logger that existed when the test database was migrated in-process;
    switch ours back on so "the hetu is not in the log" is checked against a live logger."""
    for name in ("portal", "portal.auth.views"):
        logging.getLogger(name).disabled = False


# --- citizen login ---------------------------------------------------------------------------


def test_citizen_login_creates_person_and_session(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    authorize_url = _authorize_url(client, "/kirjaudu/suomifi")
    query = parse_qs(urlsplit(authorize_url).query)
    # PKCE, nonce and state go out with every request; the language goes along too.
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0]
    assert query["ui_locales"] == ["fi"]
    assert query["client_id"] == [CLIENT_ID]

    response = client.get(_provider_answer(authorize_url, AADA))
    assert response.status_code == 302
    with app.test_request_context():
        # Right after login: for oneself, with a helper beside, or for someone else?
        assert response.headers["Location"] == url_for("filling.choose")

    person = db.session.scalars(select(Person)).one()
    assert (person.hetu, person.given_names, person.family_name, person.municipality_code) == (
        AADA_HETU,
        "Aada Testi",
        "Demola",
        "179",
    )
    assert person.last_login_at is not None
    with client.session_transaction() as session:
        assert session["person_id"] == str(person.id)
        assert session["id_token"]
        assert "staff_id" not in session
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).one()
    assert (event.actor_kind, event.actor_id) == ("citizen", str(person.id))
    # The identity code went nowhere near a URL of ours or a log line.
    assert AADA_HETU not in authorize_url + response.headers["Location"]
    assert AADA_HETU not in caplog.text


def test_second_login_updates_the_same_person(app: Flask, client: FlaskClient) -> None:
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    person = db.session.scalars(select(Person)).one()
    person.family_name, person.municipality_code = "Vanha", "091"
    db.session.commit()

    oidc_login(app.test_client(), "/kirjaudu/suomifi", AADA)
    db.session.expire_all()
    person = db.session.scalars(select(Person)).one()
    assert (person.family_name, person.municipality_code) == ("Demola", "179")


def test_login_returns_to_the_page_asked_for_but_only_on_this_site(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["after_login"] = "/kysely/tht?sivu=2"
    response = _login(client, "/kirjaudu/suomifi", AADA)
    assert response.headers["Location"] == "/kuka-tayttaa"
    assert _choose_self(client).headers["Location"] == "/kysely/tht?sivu=2"

    for hostile in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        with client.session_transaction() as session:
            session["after_login"] = hostile
        _login(client, "/kirjaudu/suomifi", AADA)
        assert _choose_self(client).headers["Location"] == "/", hostile


def _choose_self(client: FlaskClient):
    html = client.get("/kuka-tayttaa").get_data(as_text=True)
    return client.post("/kuka-tayttaa", data={"csrf_token": csrf_token(html), "filling": "self"})


def test_login_replaces_the_previous_session(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["staff_id"] = 12345  # e.g. planted before login (session fixation)
        session["lang"] = "fi"
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    with client.session_transaction() as session:
        assert "staff_id" not in session
        assert session["lang"] == "fi"  # a preference, not an identity


def test_low_level_of_assurance_is_refused(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = _login(client, "/kirjaudu/suomifi", LOW_LOA_SUB)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Käytä pankkitunnuksia, mobiilivarmennetta tai varmennekorttia" in page
    assert LOW_LOA_HETU not in page and LOW_LOA_HETU not in caplog.text
    assert "low_loa" in caplog.text
    assert db.session.scalars(select(Person)).first() is None
    with client.session_transaction() as session:
        assert "person_id" not in session


def test_wrong_nonce_is_refused(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    # The provider is asked for a token with a nonce other than the one this login stored.
    response = _login(
        client,
        "/kirjaudu/suomifi",
        AADA,
        edit=lambda url: _with_param(url, "nonce", "vieras-nonce"),
    )
    assert response.status_code == 400
    assert "Kirjaudu uudelleen" in response.get_data(as_text=True)
    assert "wrong_nonce" in caplog.text
    assert db.session.scalars(select(Person)).first() is None


def test_code_issued_to_another_client_is_refused(client: FlaskClient) -> None:
    response = _login(
        client,
        "/kirjaudu/suomifi",
        AADA,
        edit=lambda url: _with_param(url, "client_id", "muu-palvelu"),
    )
    assert response.status_code == 400
    assert db.session.scalars(select(Person)).first() is None


def test_callback_without_this_browsers_state_is_refused(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Login CSRF: a callback URL begun in someone else's browser.
    callback = _provider_answer(_authorize_url(app.test_client(), "/kirjaudu/suomifi"), AADA)
    response = client.get(callback)
    assert response.status_code == 400
    assert "state_mismatch" in caplog.text
    with client.session_transaction() as session:
        assert "person_id" not in session


def test_provider_error_and_cancel_show_a_page(client: FlaskClient) -> None:
    response = client.get("/kirjaudu/paluu?error=access_denied&state=x")
    assert response.status_code == 400
    assert "Kirjautuminen keskeytyi" in response.get_data(as_text=True)
    response = client.get("/kirjaudu/paluu?error=server_error&state=x")
    assert response.status_code == 400
    assert "Kirjaudu uudelleen" in response.get_data(as_text=True)


def test_start_page_explains_and_links_to_suomifi(client: FlaskClient) -> None:
    response = client.get("/kirjaudu")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Kirjaudu sisään" in page
    assert 'href="/kirjaudu/suomifi"' in page


# --- staff login -----------------------------------------------------------------------------


def test_staff_login_with_role(app: Flask, client: FlaskClient, demo: None) -> None:
    response = _login(client, "/henkilosto/kirjaudu", STAFF_SUBS[0])
    assert response.status_code == 302
    with app.test_request_context():
        assert response.headers["Location"] == url_for("alkupalvelu.inbox")
    staff = db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == STAFF_SUBS[0])
    ).one()
    assert staff.last_login_at is not None
    with client.session_transaction() as session:
        assert session["staff_id"] == staff.id
        assert "person_id" not in session


def test_unknown_staff_member_is_created_without_a_team(client: FlaskClient, idp_url: str) -> None:
    sub = f"uusi.{secrets.token_hex(4)}"
    put = requests.put(
        f"{idp_url}/users/{sub}",
        timeout=10,
        json={
            "name": "Uusi Työntekijä",
            "roles": ["sosiaaliohjaaja", "siivooja"],
            "amr": ["pwd", "mfa"],
        },
    )
    assert put.status_code == 204
    assert _login(client, "/henkilosto/kirjaudu", sub).status_code == 302
    staff = db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()
    assert (staff.name, staff.team_id) == ("Uusi Työntekijä", None)
    assert staff.roles == ["sosiaaliohjaaja"]  # only roles the portal knows


@pytest.mark.parametrize("sub", [AADA, NO_ROLE_STAFF_SUB])
def test_staff_door_refuses_without_a_staff_role(client: FlaskClient, sub: str) -> None:
    response = _login(client, "/henkilosto/kirjaudu", sub)
    assert response.status_code == 403
    assert "käyttöoikeutta" in response.get_data(as_text=True)
    assert db.session.scalars(select(StaffMember)).first() is None
    with client.session_transaction() as session:
        assert "staff_id" not in session


def test_staff_door_requires_multi_factor_login(client: FlaskClient, demo: None) -> None:
    response = _login(client, "/henkilosto/kirjaudu", SINGLE_FACTOR_STAFF_SUB)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "kaksivaiheisella tunnistautumisella" in page
    assert "staff_mfa_required" in page
    with client.session_transaction() as session:
        assert "staff_id" not in session


# --- logout ----------------------------------------------------------------------------------


def test_logout_clears_session_and_ends_provider_session(client: FlaskClient, idp_url: str) -> None:
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    with client.session_transaction() as session:
        id_token = session["id_token"]
    token = csrf_token(client.get("/kirjaudu").get_data(as_text=True))

    assert client.post("/kirjaudu-ulos").status_code == 400  # no CSRF token, no logout
    with client.session_transaction() as session:
        assert "person_id" in session

    response = client.post("/kirjaudu-ulos", data={"csrf_token": token})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # A POST form to the provider: the ID token hint never goes into a URL.
    assert f'method="post" action="{idp_url}/oauth2/end_session"' in html
    assert f'name="id_token_hint" value="{id_token}"' in html
    assert id_token not in response.headers.get("Location", "")
    query = {
        "post_logout_redirect_uri": [
            html.split('name="post_logout_redirect_uri" value="')[1].split('"')[0]
        ]
    }
    assert query["post_logout_redirect_uri"] == ["http://localhost/uloskirjautunut"]
    with client.session_transaction() as session:
        assert "person_id" not in session and "id_token" not in session
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "logout")).one()

    # The provider sends the browser back to our page.
    confirm = requests.post(
        f"{idp_url}/oauth2/end_session/confirm",
        allow_redirects=False,
        data={"redirect_uri": query["post_logout_redirect_uri"][0]},
        timeout=10,
    )
    assert urlsplit(confirm.headers["Location"]).path == "/uloskirjautunut"
    page = client.get("/uloskirjautunut")
    assert page.status_code == 200
    assert "Olet kirjautunut ulos" in page.get_data(as_text=True)
    # Logged out means logged out: the start page offers login again.
    assert 'href="/kirjaudu/suomifi"' in client.get("/kirjaudu").get_data(as_text=True)


def test_staff_logout(client: FlaskClient, idp_url: str, demo: None) -> None:
    oidc_login(client, "/henkilosto/kirjaudu", STAFF_SUBS[0])
    token = csrf_token(client.get("/kirjaudu").get_data(as_text=True))  # header's logout form
    response = client.post("/kirjaudu-ulos", data={"csrf_token": token})
    assert f'action="{idp_url}/oauth2/end_session"' in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "staff_id" not in session


# --- verify_id_token -------------------------------------------------------------------------


def _check(id_token: str, issuer: str, jwks: dict, **overrides: Any) -> dict:
    kwargs: dict[str, Any] = {
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "jwks": jwks,
        "nonce": "n-0123456789",
    }
    kwargs.update(overrides)
    return verify_id_token(id_token, **kwargs)


def test_untouched_token_passes(idp_url: str) -> None:
    tokens = _tokens(idp_url, AADA)
    claims = _check(
        tokens["id_token"], idp_url, _jwks(idp_url), access_token=tokens["access_token"]
    )
    assert claims["sub"] == AADA and claims["urn:oid:1.2.246.21"] == AADA_HETU


def test_tampered_payload_is_refused(idp_url: str) -> None:
    header, payload, signature = _tokens(idp_url, AADA)["id_token"].split(".")
    claims = json.loads(_unb64(payload))
    claims["urn:oid:1.2.246.21"] = "150375-9536"  # someone else's identity code
    forged = ".".join([header, _b64(json.dumps(claims).encode()), signature])
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(forged, idp_url, _jwks(idp_url))
    assert _reason(excinfo) == "bad_signature"


def test_tampered_signature_is_refused(idp_url: str) -> None:
    header, payload, signature = _tokens(idp_url, AADA)["id_token"].split(".")
    raw = bytearray(_unb64(signature))
    raw[len(raw) // 2] ^= 0x01
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(".".join([header, payload, _b64(bytes(raw))]), idp_url, _jwks(idp_url))
    assert _reason(excinfo) == "bad_signature"


def test_unsigned_token_is_refused(idp_url: str) -> None:
    _, payload, _ = _tokens(idp_url, AADA)["id_token"].split(".")
    unsigned = ".".join([_b64(b'{"alg":"none","typ":"JWT"}'), payload, ""])
    with pytest.raises(InvalidIdToken):
        _check(unsigned, idp_url, _jwks(idp_url))


def test_token_signed_by_another_provider_is_refused(
    idp_url: str, short_lived_idp_url: str
) -> None:
    other = _tokens(short_lived_idp_url, AADA)["id_token"]
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(other, short_lived_idp_url, _jwks(idp_url))  # our provider's keys
    assert _reason(excinfo) == "bad_signature"


def test_wrong_audience_is_refused(idp_url: str) -> None:
    id_token = _tokens(idp_url, AADA, client_id="muu-palvelu")["id_token"]
    assert _check(id_token, idp_url, _jwks(idp_url), client_id="muu-palvelu")  # valid for them
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(id_token, idp_url, _jwks(idp_url))
    assert _reason(excinfo) == "wrong_audience"


def test_wrong_issuer_is_refused(idp_url: str) -> None:
    id_token = _tokens(idp_url, AADA)["id_token"]
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(id_token, "https://tunnistus.example", _jwks(idp_url))
    assert _reason(excinfo) == "wrong_issuer"


def test_wrong_nonce_is_refused_by_verification(idp_url: str) -> None:
    id_token = _tokens(idp_url, AADA)["id_token"]
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(id_token, idp_url, _jwks(idp_url), nonce="toinen-nonce")
    assert _reason(excinfo) == "wrong_nonce"


def test_wrong_access_token_hash_is_refused(idp_url: str) -> None:
    id_token = _tokens(idp_url, AADA)["id_token"]
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(id_token, idp_url, _jwks(idp_url), access_token="joku-muu-token")
    assert _reason(excinfo) == "wrong_at_hash"


def test_expiry_allows_only_the_clock_skew_leeway(idp_url: str) -> None:
    assert 0 < CLOCK_SKEW_SECONDS <= 60  # clock skew, not a longer life for stolen tokens
    id_token = _tokens(idp_url, AADA)["id_token"]
    exp = _payload(id_token)["exp"]
    jwks = _jwks(idp_url)
    assert _check(id_token, idp_url, jwks, now=exp + CLOCK_SKEW_SECONDS - 1)
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(id_token, idp_url, jwks, now=exp + CLOCK_SKEW_SECONDS)
    assert _reason(excinfo) == "expired"
    with pytest.raises(InvalidIdToken) as excinfo:  # and not from the future either
        _check(id_token, idp_url, jwks, now=_payload(id_token)["iat"] - CLOCK_SKEW_SECONDS - 1)
    assert _reason(excinfo) == "issued_in_future"


def test_token_expires_in_real_time(short_lived_idp_url: str) -> None:
    """Tokens from a provider started with --token-max-age 1, checked past exp with leeway 0."""
    id_token = _tokens(short_lived_idp_url, AADA)["id_token"]
    claims = _payload(id_token)
    assert claims["exp"] - claims["iat"] == 1
    jwks = _jwks(short_lived_idp_url)
    while time.time() < claims["exp"] + 1:
        time.sleep(0.2)
    with pytest.raises(InvalidIdToken) as excinfo:
        _check(id_token, short_lived_idp_url, jwks, leeway=0)
    assert _reason(excinfo) == "expired"


# --- the development provider's PKCE ---------------------------------------------------------


@pytest.mark.parametrize("verifier", [None, "x" * 43])
def test_dev_provider_requires_the_pkce_verifier(idp_url: str, verifier: str | None) -> None:
    challenge = create_s256_code_challenge(secrets.token_urlsafe(48))
    code = _authorize(idp_url, AADA, client_id=CLIENT_ID, nonce="n", challenge=challenge)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": CLIENT_ID,
        "client_secret": "x",
        "redirect_uri": REDIRECT_URI,
    }
    if verifier:
        data["code_verifier"] = verifier
    token = requests.post(f"{idp_url}/oauth2/token", data=data, timeout=10)
    assert token.status_code == 400
    assert token.json()["error"] == "invalid_grant"


def test_dev_provider_requires_a_pkce_challenge(idp_url: str) -> None:
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "scope": "openid",
        "redirect_uri": "http://localhost/cb",
        "state": "s",
        "nonce": "n",
    }
    answer = requests.get(f"{idp_url}/oauth2/authorize?{urlencode(query)}", timeout=10)
    assert answer.status_code == 400
    assert "PKCE" in answer.text
