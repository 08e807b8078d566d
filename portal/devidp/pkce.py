"""PKCE (RFC 7636) for the development provider, which does not check it itself.

oidc_provider_mock registers authlib's authorization-code grant without the CodeChallenge
extension, and its stored codes have no place for a challenge, so the extension cannot simply be
added. Instead this layer sits in front of the mock's two endpoints, using only Flask request
hooks and the protocol itself: the authorization endpoint must receive an S256 code_challenge,
the code it issues is remembered with that challenge, and the token endpoint refuses the code
unless the code_verifier matches. A client that forgets PKCE therefore fails in development just
as it would against a provider that requires it.
"""

from __future__ import annotations

import hmac
import threading
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oauth2.rfc7636.challenge import CODE_CHALLENGE_PATTERN, CODE_VERIFIER_PATTERN
from flask import Flask, jsonify, request
from werkzeug.wrappers import Response

# Flask endpoint names of the mock's views (blueprint "oidc-provider-mock").
AUTHORIZE_VIEW = "oidc-provider-mock.authorize"
TOKEN_VIEW = "oidc-provider-mock.issue_token"  # noqa: S105 (a view name, not a secret)


def require_pkce(app: Flask) -> None:
    """Make the mock's authorization-code flow require S256 PKCE."""
    missing = {AUTHORIZE_VIEW, TOKEN_VIEW} - set(app.view_functions)
    if missing:
        # A renamed endpoint would silently switch PKCE off; refuse to start instead.
        raise RuntimeError(f"oidc_provider_mock endpoints not found: {sorted(missing)}")

    challenges: dict[str, str] = {}  # authorization code → S256 code_challenge
    lock = threading.Lock()

    @app.before_request
    def _check_challenge() -> Response | None:
        if request.endpoint != AUTHORIZE_VIEW:
            return None
        challenge = request.args.get("code_challenge", "")
        method = request.args.get("code_challenge_method", "plain")
        if method != "S256" or not CODE_CHALLENGE_PATTERN.match(challenge):
            return Response(
                "invalid_request: this provider requires PKCE "
                "(code_challenge with code_challenge_method=S256)\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return None

    @app.after_request
    def _remember_challenge(response: Response) -> Response:
        issued = request.endpoint == AUTHORIZE_VIEW and request.method == "POST"
        if issued and response.location:
            code = parse_qs(urlsplit(response.location).query).get("code")
            if code:
                with lock:
                    challenges[code[0]] = request.args["code_challenge"]
        return response

    @app.before_request
    def _check_verifier() -> tuple[Response, int] | None:
        if request.endpoint != TOKEN_VIEW:
            return None
        if request.form.get("grant_type") != "authorization_code":
            return None
        with lock:
            # Popped at the first attempt: a code gets one chance, like the code itself.
            challenge = challenges.pop(request.form.get("code", ""), None)
        verifier = request.form.get("code_verifier", "")
        if challenge is None or not CODE_VERIFIER_PATTERN.match(verifier):
            return _invalid_grant("missing or malformed code_verifier")
        if not hmac.compare_digest(create_s256_code_challenge(verifier), challenge):
            return _invalid_grant("code_verifier does not match code_challenge")
        return None


def _invalid_grant(description: str) -> tuple[Response, int]:
    response = jsonify(error="invalid_grant", error_description=description)
    response.headers["Cache-Control"] = "no-store"
    return response, 400
