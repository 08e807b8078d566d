"""OpenID Connect logins: Suomi.fi for citizens, the county's identity provider for staff.

authlib's Flask client does the protocol legwork (discovery, state, nonce, PKCE, the code
exchange); the ID token is verified here, in `verify_id_token`, so that every check is explicit
and testable on its own: RS256 signature from the provider's JWKS, issuer equal to the
configured one, audience exactly this client, nonce from this login attempt, expiry and
issue time with a small clock-skew leeway, and at_hash when present.

Failures raise `LoginError` whose `reason` is a fixed code: safe to log, never a claim value.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from authlib.oidc.core.util import create_half_hash
from flask import Flask, current_app, request, session
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from werkzeug.wrappers import Response

CITIZEN = "suomifi"
STAFF = "staff"
_SETTING_PREFIX = {CITIZEN: "CITIZEN", STAFF: "STAFF"}

SCOPE = "openid profile"
# Asymmetric signatures only: "none" and HS256 (signed with a shared secret) never pass.
ID_TOKEN_ALGORITHMS: tuple[str, ...] = ("RS256",)
# Servers keep time with NTP; a few seconds cover the skew without stretching a token's life.
CLOCK_SKEW_SECONDS = 10
HTTP_TIMEOUT_SECONDS = 10

_EXTENSION = "portal.auth.oidc"


class LoginError(Exception):
    """A refused login. `reason` is a short fixed code for logs and the error page."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class InvalidIdToken(LoginError):
    """The ID token failed verification (signature, issuer, audience, nonce, time)."""


@dataclass(frozen=True)
class VerifiedLogin:
    claims: dict[str, Any]
    id_token: str  # kept only as the id_token_hint for logout


def init_app(app: Flask) -> None:
    """Register both OAuth clients on this app (one registry per app: tests make many)."""
    settings = app.config["PORTAL"]
    oauth = OAuth(app)
    for name, prefix in _SETTING_PREFIX.items():
        issuer = settings[f"{prefix}_OIDC_ISSUER"].rstrip("/")
        oauth.register(
            name,
            client_id=settings[f"{prefix}_OIDC_CLIENT_ID"],
            client_secret=settings[f"{prefix}_OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": SCOPE,
                "code_challenge_method": "S256",
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
    app.extensions[_EXTENSION] = oauth


def configured_issuer(name: str) -> str:
    return current_app.config["PORTAL"][f"{_SETTING_PREFIX[name]}_OIDC_ISSUER"].rstrip("/")


def _client(name: str) -> FlaskOAuth2App:
    return current_app.extensions[_EXTENSION].create_client(name)


def _metadata(client: FlaskOAuth2App, name: str) -> dict[str, Any]:
    """Discovery, checked: the document must name the issuer we are configured to trust."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError):
        raise LoginError("provider_unreachable", 503) from None
    if metadata.get("issuer") != configured_issuer(name):
        raise LoginError("issuer_mismatch")
    return metadata


def start_login(name: str, redirect_uri: str, **params: str) -> Response:
    """Redirect to the provider; authlib keeps state, nonce and the PKCE verifier in the session."""
    client = _client(name)
    _metadata(client, name)
    return client.authorize_redirect(redirect_uri, **params)


def finish_login(name: str) -> VerifiedLogin:
    """Handle the provider's redirect back: state, code exchange, ID token verification."""
    client = _client(name)
    state = request.args.get("state", "")
    state_data = client.framework.get_state_data(session, state) if state else None
    if state:
        client.framework.clear_state_data(session, state)  # one use, whatever happens next
    error = request.args.get("error")
    if error:
        raise LoginError("cancelled" if error == "access_denied" else "provider_error")
    code = request.args.get("code")
    if not state_data or not code or not state_data.get("nonce"):
        raise LoginError("state_mismatch")

    _metadata(client, name)
    try:
        token = client.fetch_access_token(
            redirect_uri=state_data["redirect_uri"],
            code=code,
            code_verifier=state_data["code_verifier"],
        )
    except requests.RequestException:
        raise LoginError("provider_unreachable", 503) from None
    except (AuthlibBaseError, ValueError, KeyError):
        raise LoginError("token_refused") from None

    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise InvalidIdToken("no_id_token")
    checks: dict[str, Any] = {
        "issuer": configured_issuer(name),
        "client_id": client.client_id,
        "nonce": state_data["nonce"],
        "access_token": token.get("access_token"),
    }
    try:
        claims = verify_id_token(id_token, jwks=client.fetch_jwk_set(), **checks)
    except InvalidIdToken as exc:
        if exc.reason != "unknown_key":
            raise
        # The provider rotated its keys since we cached them: fetch once more, then decide.
        claims = verify_id_token(id_token, jwks=client.fetch_jwk_set(force=True), **checks)
    except requests.RequestException:
        raise LoginError("provider_unreachable", 503) from None
    return VerifiedLogin(claims=claims, id_token=id_token)


def verify_id_token(
    id_token: str,
    *,
    issuer: str,
    client_id: str,
    jwks: Mapping[str, Any],
    nonce: str,
    access_token: str | None = None,
    now: int | None = None,
    leeway: int = CLOCK_SKEW_SECONDS,
    algorithms: Sequence[str] = ID_TOKEN_ALGORITHMS,
) -> dict[str, Any]:
    """Return the ID token's claims if every check passes; raise InvalidIdToken otherwise.

    `now` (Unix seconds) and `leeway` exist for tests; the flow uses the clock and
    CLOCK_SKEW_SECONDS.
    """
    try:
        key_set = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise InvalidIdToken("bad_jwks") from None
    try:
        token = jwt.decode(id_token, key_set, algorithms=list(algorithms))
    except InvalidKeyIdError:
        raise InvalidIdToken("unknown_key") from None
    except BadSignatureError:
        raise InvalidIdToken("bad_signature") from None
    except (JoseError, ValueError, TypeError):
        raise InvalidIdToken("malformed_token") from None

    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=leeway,
        iss={"essential": True, "value": issuer},
        sub={"essential": True},
        aud={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise InvalidIdToken("expired") from None
    except MissingClaimError:
        raise InvalidIdToken("missing_claim") from None
    except InvalidClaimError as exc:
        reason = {
            "iss": "wrong_issuer",
            "nonce": "wrong_nonce",
            "aud": "wrong_audience",
            "iat": "issued_in_future",
            "nbf": "not_yet_valid",
        }.get(exc.claim, "invalid_claim")
        raise InvalidIdToken(reason) from None

    # Exactly this client: a token that also names other audiences is refused (OIDC Core 3.1.3.7).
    if claims["aud"] not in (client_id, [client_id]):
        raise InvalidIdToken("wrong_audience")
    if "azp" in claims and claims["azp"] != client_id:
        raise InvalidIdToken("wrong_audience")
    at_hash = claims.get("at_hash")
    if at_hash is not None and access_token:
        expected = create_half_hash(access_token, token.header["alg"])
        if expected is None or not hmac.compare_digest(expected.decode("ascii"), str(at_hash)):
            raise InvalidIdToken("wrong_at_hash")
    return dict(claims)


def require_accepted_loa(claims: Mapping[str, Any], settings: Mapping[str, str]) -> str:
    """Health data needs eIDAS substantial or high: refuse anything else Suomi.fi reports."""
    loa = claims.get(settings["CITIZEN_CLAIM_LOA"])
    if not isinstance(loa, str) or loa not in settings["CITIZEN_ACCEPTED_LOA"].split():
        raise LoginError("low_loa", 403)
    return loa


def logout_request(
    name: str, id_token: str | None, post_logout_redirect_uri: str
) -> tuple[str, dict[str, str]] | None:
    """The provider's end-session endpoint and the form fields for RP-initiated logout.

    Sent as a POST form, not a redirect: the ID token hint may carry personal claims, and a
    URL would leave it in the browser history and the provider's request log.
    """
    client = _client(name)
    try:
        metadata = _metadata(client, name)
    except LoginError:
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    # No state is kept for the return trip: the page we come back to shows nothing private.
    fields = {"post_logout_redirect_uri": post_logout_redirect_uri, "client_id": client.client_id}
    if id_token:
        fields["id_token_hint"] = id_token
    return endpoint, fields
