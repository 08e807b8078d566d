"""Client of Suomi.fi-valtuudet (mandates), person-to-person (HPA) web API.

Someone logged in with Suomi.fi (the delegate) wants to act on behalf of another person (the
principal). The portal asks the mandate service whether the principal has given the delegate a
mandate for our matter (the issue code, MANDATES_ISSUE):

1. `register(delegate_hetu)`: opens a session at the service for the logged-in delegate
   → `Registration(session_id, user_id)`.
2. `authorize_url(...)`: the browser goes there; the delegate picks the principal at the
   service, which sends the browser back to `redirect_uri?code=...` (or `?error=access_denied`).
3. `exchange_code(code, redirect_uri)`: the code for an access token (HTTP Basic with the client
   id and OAuth secret). A code works once and only for the session it was issued in.
4. `principals(session_id, token)`: whom the delegate picked.
5. `is_allowed(session_id, token, principal_hetu, issue)`: does a mandate for the issue exist
   now? Asked again before anything is done on the principal's behalf.
6. `unregister(session_id)`: closes the session (best effort).

Every API call carries the checksum header (`checksum_header`): client id, timestamp and an
HMAC-SHA256 of the path and timestamp keyed with the API key.

**Default DISALLOWED.** `is_allowed` is True only for an explicit `"ALLOWED"` about the very
principal that was asked. An error status, a timeout, an unreachable service, an empty or
malformed body, any other result or another principal's answer is False: a mandate that cannot
be confirmed is treated as no mandate. The steps that must produce something (register, token,
principals) raise `MandateError` instead, whose `reason` the portal turns into a kind refusal.

Identity codes travel in URL paths (that is the API's shape), so they must stay out of logs:
nothing here logs a URL, and `MandateError` never carries one nor chains the `requests`
exception (whose text includes the URL). Keep the `urllib3` logger above DEBUG in production,
because at DEBUG it logs request lines.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import requests
from flask import Flask, current_app

log = logging.getLogger(__name__)

CHECKSUM_HEADER = "X-AsiointivaltuudetAuthorization"
DEFAULT_TIMEOUT = 5.0  # seconds; a page waits at most this long for each call
LANGUAGES = ("fi", "sv", "en")  # the languages the service's own pages speak


@dataclass(frozen=True)
class Registration:
    """A session opened at the mandate service for one delegate."""

    session_id: str
    user_id: str


@dataclass(frozen=True)
class Principal:
    """The person the delegate chose to act for; the identity code stays out of repr (logs)."""

    person_id: str = field(repr=False)
    name: str


class MandateError(Exception):
    """A step of the mandate flow failed. `reason`:

    - "unreachable": no answer (connection refused, timeout),
    - "refused": the service said no (our credentials, a used or unknown code, a token for
      another session, an unknown session; HTTP 4xx),
    - "bad_response": an error status (5xx) or a body that is not what the API promises.

    `status` is the HTTP status when there was one. The message names the step, never a URL
    or an identity code.
    """

    def __init__(self, reason: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


class Mandates(Protocol):
    """What the portal needs from a mandate service; `ValtuudetClient` speaks it over HTTP."""

    def register(self, delegate_hetu: str) -> Registration: ...

    def authorize_url(self, registration: Registration, redirect_uri: str, lang: str) -> str: ...

    def exchange_code(self, code: str, redirect_uri: str) -> str: ...

    def principals(self, session_id: str, token: str) -> list[Principal]: ...

    def is_allowed(self, session_id: str, token: str, principal_hetu: str, issue: str) -> bool: ...

    def unregister(self, session_id: str) -> None: ...


def checksum_header(client_id: str, api_key: str, path_with_query: str, now: datetime) -> str:
    """The value of X-AsiointivaltuudetAuthorization for one request.

    `<client_id> <timestamp> <base64(HMAC-SHA256(api_key, path_with_query + " " + timestamp))>`,
    the timestamp being `now` in UTC, to the second, ISO 8601 with offset
    (`2026-11-23T18:40:00+00:00`). `now` must be timezone-aware.
    """
    if now.tzinfo is None:
        raise ValueError("checksum_header needs a timezone-aware datetime")
    timestamp = now.astimezone(UTC).replace(microsecond=0).isoformat()
    return f"{client_id} {timestamp} {checksum(api_key, path_with_query, timestamp)}"


def checksum(api_key: str, path_with_query: str, timestamp: str) -> str:
    """base64(HMAC-SHA256(api_key, path_with_query + " " + timestamp)), over the timestamp
    exactly as written in the header (the development service checks it the same way)."""
    digest = hmac.new(api_key.encode(), f"{path_with_query} {timestamp}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def _segment(value: str) -> str:
    """One URL path segment: a value containing `/` or `?` cannot change the path."""
    return quote(value, safe="")


def _api_path(prefix: str, *segments: str, **query: str) -> str:
    """`prefix/seg/seg?requestId=…&…`: the service wants a request id on every API call."""
    path = "/".join([prefix, *map(_segment, segments)])
    return f"{path}?{urlencode({'requestId': _request_id(), **query})}"


class ValtuudetClient:
    """`Mandates` over HTTP with `requests`; one instance may serve many requests."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        api_key: str,
        oauth_secret: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._api_key = api_key
        self._oauth_secret = oauth_secret
        self.timeout = timeout
        self._clock = clock

    def __repr__(self) -> str:  # no secrets in logs or tracebacks
        return f"ValtuudetClient({self.base_url!r}, client_id={self.client_id!r})"

    # --- the steps ---------------------------------------------------------------------------

    def register(self, delegate_hetu: str) -> Registration:
        path = _api_path("/service/hpa/user/register", self.client_id, delegate_hetu)
        body = self._json("register", self._api_get("register", path))
        if not isinstance(body, dict):
            raise MandateError("bad_response", "register: the answer is not an object")
        session_id, user_id = body.get("sessionId"), body.get("userId")
        if not (
            isinstance(session_id, str) and session_id and isinstance(user_id, str) and user_id
        ):
            raise MandateError("bad_response", "register: sessionId or userId missing")
        return Registration(session_id=session_id, user_id=user_id)

    def authorize_url(self, registration: Registration, redirect_uri: str, lang: str) -> str:
        query = urlencode(
            {
                "client_id": self.client_id,
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "user": registration.user_id,
                "lang": lang if lang in LANGUAGES else "fi",
            }
        )
        return f"{self.base_url}/oauth/authorize?{query}"

    def exchange_code(self, code: str, redirect_uri: str) -> str:
        query = urlencode(
            {"code": code, "grant_type": "authorization_code", "redirect_uri": redirect_uri}
        )
        response = self._send(
            "token",
            "POST",
            f"/oauth/token?{query}",
            auth=(self.client_id, self._oauth_secret),
        )
        body = self._json("token", response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise MandateError("bad_response", "token: access_token missing")
        return token

    def principals(self, session_id: str, token: str) -> list[Principal]:
        path = _api_path("/service/hpa/api/delegate", session_id)
        body = self._json("delegate", self._api_get("delegate", path, token))
        if not isinstance(body, list):
            raise MandateError("bad_response", "delegate: the answer is not a list")
        result = []
        for item in body:
            person_id = item.get("personId") if isinstance(item, dict) else None
            name = item.get("name") if isinstance(item, dict) else None
            if not (isinstance(person_id, str) and person_id and isinstance(name, str)):
                raise MandateError("bad_response", "delegate: personId or name missing")
            result.append(Principal(person_id=person_id, name=name))
        return result

    def is_allowed(self, session_id: str, token: str, principal_hetu: str, issue: str) -> bool:
        path = _api_path("/service/hpa/api/authorization", session_id, principal_hetu, issue=issue)
        try:
            body = self._json("authorization", self._api_get("authorization", path, token))
        except MandateError as error:
            log.warning("Mandate check failed (%s): %s; treated as DISALLOWED", error.reason, error)
            return False
        if not isinstance(body, dict):
            log.warning("Mandate check: the answer is not an object; treated as DISALLOWED")
            return False
        if body.get("principalId") != principal_hetu:
            # An answer about someone else says nothing about this principal.
            log.warning("Mandate check: answer for another principal; treated as DISALLOWED")
            return False
        return body.get("result") == "ALLOWED"

    def unregister(self, session_id: str) -> None:
        path = _api_path("/service/hpa/user/unregister", session_id)
        try:
            self._api_get("unregister", path)
        except Exception as error:  # best effort: the session ends at the service anyway
            log.info("Unregistering a mandate session failed: %s", type(error).__name__)

    # --- HTTP --------------------------------------------------------------------------------

    def _api_get(
        self, step: str, path_with_query: str, token: str | None = None
    ) -> requests.Response:
        headers = {
            CHECKSUM_HEADER: checksum_header(
                self.client_id, self._api_key, path_with_query, self._clock()
            )
        }
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self._send(step, "GET", path_with_query, headers=headers)

    def _send(
        self, step: str, method: str, path_with_query: str, **kwargs: Any
    ) -> requests.Response:
        try:
            response = requests.request(
                method,
                self.base_url + path_with_query,
                timeout=self.timeout,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as error:
            # `from None`: the requests exception's text contains the URL, identity code and all.
            raise MandateError("unreachable", f"{step}: {type(error).__name__}") from None
        if response.status_code != 200:
            reason = "refused" if 400 <= response.status_code < 500 else "bad_response"
            raise MandateError(
                reason, f"{step}: HTTP {response.status_code}", status=response.status_code
            )
        return response

    @staticmethod
    def _json(step: str, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:  # includes an empty body
            raise MandateError("bad_response", f"{step}: the body is not JSON", 200) from None


def _request_id() -> str:
    """The service wants a request id on every call, for its own tracing."""
    return str(uuid.uuid4())


def from_app(app: Flask | None = None) -> Mandates:
    """The mandate client for the app: `app.extensions["mandates"]` when set (tests may put
    their own there), otherwise a `ValtuudetClient` from the MANDATES_* settings."""
    app = app or current_app
    override = app.extensions.get("mandates")
    if override is not None:
        return override
    settings = app.config["PORTAL"]
    return ValtuudetClient(
        settings["MANDATES_URL"],
        settings["MANDATES_CLIENT_ID"],
        settings["MANDATES_API_KEY"],
        settings["MANDATES_OAUTH_SECRET"],
    )
