"""Development stand-in for Suomi.fi-valtuudet (HPA): never for production.

    python -m portal.mandates.devservice [--port 9500] [--store FILE] [--token-seconds 600]

It speaks the web API shape the real service speaks (docs/mandates.md): the checksum header on
every API call, HTTP Basic on the token endpoint, single-use codes bound to their session and
redirect URI, access tokens bound to their session. The mandates are a JSON list of records shaped
like `portal.demo.MANDATES`; with `--store FILE` they are read from the file on every request, so
a test (or a developer with an editor) can revoke a mandate while a session is open. A missing
store file is created with the demo mandates; without `--store` the demo mandates are served
from memory.

Unlike the real service, the page where the delegate picks the principal lists *all* the
delegate's records, expired, revoked and other-matter ones too, each labelled with its note, so
that the portal's refusals can be tried. A record may carry `"simulate"` to make the
authorization answer misbehave: `error` (HTTP 500), `empty` (200, empty body), `garbage` (200,
not JSON), `other_principal` (ALLOWED, but about someone else), `odd_result` (`"allowed"` in
lower case) or `slow` (answers after SLOW_SECONDS).

Anyone can act for anyone here; the credentials are the development defaults of the MANDATES_*
settings. Request lines are logged with the route's pattern, not the path, so identity codes stay
out of the log.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os
import secrets
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, redirect, render_template_string, request
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import demo
from portal.cases.deadlines import helsinki_today
from portal.config import SETTINGS
from portal.mandates.client import CHECKSUM_HEADER, checksum

log = logging.getLogger("portal.mandates.devservice")

DEFAULT_PORT = 9500
DEFAULT_TOKEN_SECONDS = 600
CODE_SECONDS = 300  # an authorization code not exchanged by then is void
CLOCK_SKEW = timedelta(minutes=5)  # how far a checksum timestamp may be from our clock
SLOW_SECONDS = 3.0  # the delay of `"simulate": "slow"`


def _dev_default(name: str) -> str:
    """The development default of a MANDATES_* setting: the service and the portal agree."""
    value = next(s.dev_default for s in SETTINGS if s.name == name)
    assert value is not None
    return value


# --- the store -------------------------------------------------------------------------------


def write_store(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    """Write mandate records to a store file in one step (readers never see half a file)."""
    text = json.dumps([dict(r) for r in records], ensure_ascii=False, indent=2) + "\n"
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(partial, path)


class Store:
    """The mandate records: the file re-read on every call, or portal.demo.MANDATES."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None and not path.exists():
            write_store(path, demo.MANDATES)

    def records(self) -> list[dict[str, Any]]:
        if self.path is None:
            return [dict(r) for r in demo.MANDATES]
        data = json.loads(self.path.read_text(encoding="utf-8"))
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError(f"{self.path}: expected a JSON list of mandate records")
        return data

    def of_delegate(self, delegate: str) -> list[dict[str, Any]]:
        return [r for r in self.records() if r.get("delegate") == delegate]


def refusal_reasons(record: Mapping[str, Any], issue: str, today: date) -> list[str]:
    """Why this record does not allow acting in `issue` today; empty: it does."""
    reasons = []
    if issue not in record.get("issues", []):
        reasons.append("issue_not_covered")
    if today < date.fromisoformat(record["valid_from"]):
        reasons.append("not_yet_valid")
    if today > date.fromisoformat(record["valid_until"]):
        reasons.append("expired")
    if record.get("revoked"):
        reasons.append("revoked")
    return reasons


# --- in-memory state ---------------------------------------------------------------------------


@dataclass
class _Session:
    delegate: str
    user_id: str
    principal: str | None = None
    principal_name: str | None = None


@dataclass(frozen=True)
class _Grant:
    """An authorization code's or an access token's binding."""

    session_id: str
    expires: float  # time.monotonic()
    redirect_uri: str = ""


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sessions: dict[str, _Session] = {}
        self.users: dict[str, str] = {}  # userId → sessionId
        self.codes: dict[str, _Grant] = {}
        self.tokens: dict[str, _Grant] = {}

    def drop_session(self, session_id: str) -> bool:
        with self.lock:
            session = self.sessions.pop(session_id, None)
            if session is None:
                return False
            self.users.pop(session.user_id, None)
            for grants in (self.codes, self.tokens):
                for key in [k for k, g in grants.items() if g.session_id == session_id]:
                    del grants[key]
            return True


# --- pages -------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; line-height: 1.5; }
header { background: #003479; color: #fff; padding: 0.75rem 1.5rem; }
main { max-width: 44rem; padding: 1rem 1.5rem 3rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
legend { font-weight: bold; font-size: 1.15rem; margin-bottom: 0.5rem; }
.choice { margin: 0.5rem 0; display: flex; gap: 0.5rem; align-items: flex-start; }
.choice input { width: 1.4rem; height: 1.4rem; margin-top: 0.15rem; }
.note { color: #444; }
button, .button { font: inherit; padding: 0.5rem 1.2rem; border: 2px solid #003479;
  border-radius: 4px; background: #003479; color: #fff; text-decoration: none; cursor: pointer; }
.secondary { background: #fff; color: #003479; }
.actions { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.error { border-left: 5px solid #b10e1e; padding: 0.5rem 1rem; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 0.3rem 0.6rem;
  border-bottom: 1px solid #ccc; vertical-align: top; }
"""

_LAYOUT_START = """<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – Suomi.fi-valtuudet (kehityspalvelu)</title>
<style>{{ style }}</style>
</head>
<body>
<header><p>Suomi.fi-valtuudet – kehityspalvelu, vain testitietoja</p></header>
<main>
"""
_LAYOUT_END = """
</main>
</body>
</html>
"""

AUTHORIZE_PAGE = (
    _LAYOUT_START
    + """
<h1>Valitse, kenen puolesta asioit</h1>
{% if error %}
<div class="error" role="alert"><p>{{ error }}</p></div>
{% endif %}
{% if records %}
<p>Nämä henkilöt ovat antaneet sinulle valtuuksia. Kehityspalvelu näyttää myös vanhentuneet,
perutut ja muuta asiaa koskevat valtuudet, jotta niiden käsittelyä voi kokeilla.</p>
<form method="post" action="{{ action }}">
<fieldset>
<legend>Henkilö, jonka puolesta asioit</legend>
{% for r in records %}
<div class="choice">
<input type="radio" name="principal" id="principal-{{ loop.index }}" value="{{ r.principal }}"
 required>
<label for="principal-{{ loop.index }}">{{ r.principal_name }}, {{ r.principal }}
<span class="note">({{ r.note or "ei huomautusta" }})</span></label>
</div>
{% endfor %}
</fieldset>
<div class="actions">
<button type="submit">Jatka</button>
<a class="button secondary" href="{{ cancel }}">Peruuta ja palaa palveluun</a>
</div>
</form>
{% else %}
<p>Kukaan ei ole antanut sinulle valtuutta asioida puolestaan.</p>
<p><a class="button secondary" href="{{ cancel }}">Peruuta ja palaa palveluun</a></p>
{% endif %}
"""
    + _LAYOUT_END
)

ERROR_PAGE = (
    _LAYOUT_START
    + """
<h1>Valtuuksien valinta ei onnistu</h1>
<p>{{ message }}</p>
"""
    + _LAYOUT_END
)

INDEX_PAGE = (
    _LAYOUT_START
    + """
<h1>Kehityspalvelun valtuudet</h1>
<p>Henkilöltä henkilölle -valtuudet (HPA), joita tämä palvelu tuntee{% if store %}
 (tiedosto <code>{{ store }}</code>, luetaan jokaisella pyynnöllä){% else %}
 (portal/demo.py, muistissa){% endif %}. Kirjaudu portaaliin valtuutettuna ja valitse
 valtuuttaja valtuuspalvelun sivulla.</p>
<table>
<caption class="note">Valtuutettu → valtuuttaja</caption>
<thead><tr><th scope="col">Valtuutettu</th><th scope="col">Valtuuttaja</th>
<th scope="col">Asiat</th><th scope="col">Voimassa</th><th scope="col">Huomio</th></tr></thead>
<tbody>
{% for r in records %}
<tr><td>{{ names.get(r.delegate, "") }} {{ r.delegate }}</td>
<td>{{ r.principal_name }} {{ r.principal }}</td>
<td>{{ r.issues | join(", ") }}</td>
<td>{{ r.valid_from }} – {{ r.valid_until }}{% if r.revoked %}, peruttu{% endif %}</td>
<td>{{ r.note }}{% if r.simulate %} (simulate: {{ r.simulate }}){% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
"""
    + _LAYOUT_END
)


def _with_query(uri: str, **params: str) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


# --- the service -------------------------------------------------------------------------------


def create_service(
    store_path: Path | None = None,
    *,
    token_seconds: int = DEFAULT_TOKEN_SECONDS,
    client_id: str | None = None,
    api_key: str | None = None,
    oauth_secret: str | None = None,
    today: Callable[[], date] = helsinki_today,
) -> Flask:
    """The development mandate service as a WSGI app."""
    client_id = client_id or _dev_default("MANDATES_CLIENT_ID")
    api_key = api_key or _dev_default("MANDATES_API_KEY")
    oauth_secret = oauth_secret or _dev_default("MANDATES_OAUTH_SECRET")
    store = Store(store_path)
    state = _State()
    app = Flask(__name__)

    def render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
        return render_template_string(template, style=_STYLE, **context), status

    def api_error(status: int, error: str, description: str) -> Response:
        response = jsonify(error=error, error_description=description)
        response.status_code = status
        response.headers["Cache-Control"] = "no-store"
        return response

    def checksum_problem() -> Response | None:
        """None when the checksum header is valid; the 401 answer otherwise."""
        parts = request.headers.get(CHECKSUM_HEADER, "").split(" ")
        if len(parts) != 3:
            return api_error(401, "unauthorized", f"{CHECKSUM_HEADER} missing or malformed")
        header_client, timestamp, sent_checksum = parts
        if not hmac.compare_digest(header_client.encode(), client_id.encode()):
            return api_error(401, "unauthorized", "unknown client id")
        try:
            sent_at = datetime.fromisoformat(timestamp)
        except ValueError:
            return api_error(401, "unauthorized", "timestamp is not ISO 8601")
        if sent_at.tzinfo is None or abs(datetime.now(UTC) - sent_at) > CLOCK_SKEW:
            return api_error(401, "unauthorized", "timestamp without offset or too far off")
        # The path and query exactly as sent: RAW_URI from werkzeug's server, else rebuilt.
        raw = request.environ.get("RAW_URI") or request.full_path.rstrip("?")
        expected = checksum(api_key, raw, timestamp)
        if not hmac.compare_digest(expected.encode(), sent_checksum.encode()):
            return api_error(401, "unauthorized", "checksum does not match")
        if not request.args.get("requestId"):
            return api_error(400, "bad_request", "requestId missing")
        return None

    def bearer_session(session_id: str) -> tuple[_Session | None, Response | None]:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None, api_error(401, "invalid_token", "bearer token missing")
        with state.lock:
            grant = state.tokens.get(token)
            if grant is None or grant.expires <= time.monotonic():
                return None, api_error(401, "invalid_token", "unknown or expired token")
            if grant.session_id != session_id:
                return None, api_error(403, "forbidden", "the token is for another session")
            session = state.sessions.get(session_id)
        if session is None:
            return None, api_error(401, "invalid_token", "the session has ended")
        return session, None

    @app.after_request
    def _log(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "(no route)"
        log.info("%s %s %s", request.method, route, response.status_code)
        return response

    @app.get("/")
    def index() -> tuple[str, int]:
        names = {c["hetu"]: f"{c['given_names']} {c['family_name']}" for c in demo.CITIZENS}
        return render(
            INDEX_PAGE,
            title="Valtuudet",
            records=store.records(),
            names=names,
            store=store.path,
        )

    @app.get("/service/hpa/user/register/<path_client_id>/<delegate>")
    def register(path_client_id: str, delegate: str) -> Response:
        if problem := checksum_problem():
            return problem
        if path_client_id != client_id:
            return api_error(401, "unauthorized", "the client id in the path is not ours")
        session_id, user_id = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
        with state.lock:
            state.sessions[session_id] = _Session(delegate=delegate, user_id=user_id)
            state.users[user_id] = session_id
        return jsonify(sessionId=session_id, userId=user_id)

    @app.route("/oauth/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        args = request.args
        redirect_uri = args.get("redirect_uri", "")
        with state.lock:
            session_id = state.users.get(args.get("user", ""))
            session = state.sessions.get(session_id) if session_id else None
        problem = None
        if args.get("client_id") != client_id:
            problem = "Palvelun tunnus (client_id) on tuntematon."
        elif args.get("response_type") != "code":
            problem = "response_type-parametrin pitää olla code."
        elif not redirect_uri.startswith(("http://", "https://")):
            problem = "Paluuosoite (redirect_uri) puuttuu tai ei ole http(s)-osoite."
        elif session is None or session_id is None:
            problem = "Asiointi-istunto on päättynyt tai tuntematon. Aloita palvelussa alusta."
        if problem or session is None or session_id is None:
            return render(ERROR_PAGE, 400, title="Virhe", message=problem)

        records = store.of_delegate(session.delegate)
        error = None
        if request.method == "POST":
            chosen = request.form.get("principal", "")
            record = next((r for r in records if r["principal"] == chosen), None)
            if record is not None:
                code = secrets.token_urlsafe(24)
                with state.lock:
                    session.principal = record["principal"]
                    session.principal_name = record["principal_name"]
                    state.codes[code] = _Grant(
                        session_id, time.monotonic() + CODE_SECONDS, redirect_uri
                    )
                return redirect(_with_query(redirect_uri, code=code), 302)
            error = "Valitse henkilö, jonka puolesta asioit."
        return render(
            AUTHORIZE_PAGE,
            400 if error else 200,
            title="Valitse, kenen puolesta asioit",
            records=records,
            error=error,
            action=request.full_path,
            cancel=_with_query(redirect_uri, error="access_denied"),
        )

    @app.post("/oauth/token")
    def token() -> Response:
        auth = request.authorization
        if (
            auth is None
            or auth.type != "basic"
            or not hmac.compare_digest((auth.username or "").encode(), client_id.encode())
            or not hmac.compare_digest((auth.password or "").encode(), oauth_secret.encode())
        ):
            response = api_error(401, "invalid_client", "client authentication failed")
            response.headers["WWW-Authenticate"] = 'Basic realm="valtuudet"'
            return response
        if request.values.get("grant_type") != "authorization_code":
            return api_error(400, "unsupported_grant_type", "only authorization_code")
        with state.lock:
            # Popped at the first attempt, right or wrong: a code gets one chance.
            grant = state.codes.pop(request.values.get("code", ""), None)
            if grant is None or grant.expires <= time.monotonic():
                return api_error(400, "invalid_grant", "unknown, used or expired code")
            if request.values.get("redirect_uri") != grant.redirect_uri:
                return api_error(400, "invalid_grant", "redirect_uri does not match")
            if grant.session_id not in state.sessions:
                return api_error(400, "invalid_grant", "the session has ended")
            access_token = secrets.token_urlsafe(32)
            state.tokens[access_token] = _Grant(grant.session_id, time.monotonic() + token_seconds)
        response = jsonify(
            access_token=access_token,
            token_type="bearer",  # noqa: S106 (the token type, not a secret)
            expires_in=token_seconds,
            scope="read",
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/service/hpa/api/delegate/<session_id>")
    def delegate(session_id: str) -> Response:
        if problem := checksum_problem():
            return problem
        session, problem = bearer_session(session_id)
        if problem or session is None:
            return problem or api_error(401, "invalid_token", "no session")
        if session.principal is None:
            return jsonify([])
        return jsonify([{"name": session.principal_name, "personId": session.principal}])

    @app.get("/service/hpa/api/authorization/<session_id>/<principal>")
    def authorization(session_id: str, principal: str) -> Response:
        if problem := checksum_problem():
            return problem
        session, problem = bearer_session(session_id)
        if problem or session is None:
            return problem or api_error(401, "invalid_token", "no session")
        issue = request.args.get("issue", "")
        if not issue:
            return api_error(400, "bad_request", "issue missing")

        def answer(result: str, reasons: list[str], principal_id: str = principal) -> Response:
            return jsonify(principalId=principal_id, result=result, reasons=reasons)

        if principal != session.principal:
            return answer("DISALLOWED", ["not_selected"])
        matching = [
            r
            for r in store.records()
            if r.get("delegate") == session.delegate and r.get("principal") == principal
        ]
        simulate = next((r["simulate"] for r in matching if r.get("simulate")), None)
        if simulate == "error":
            return api_error(500, "internal_error", "simulated failure")
        if simulate == "empty":
            return Response(b"", status=200, content_type="application/json")
        if simulate == "garbage":
            return Response("<html><p>Huoltokatko</p></html>", 200, content_type="text/html")
        if simulate == "other_principal":
            return answer("ALLOWED", [], principal_id=session.delegate)
        if simulate == "odd_result":
            return answer("allowed", [])
        if simulate == "slow":
            time.sleep(SLOW_SECONDS)
        elif simulate is not None:
            return api_error(500, "internal_error", f"unknown simulate value {simulate!r}")

        reasons: list[str] = []
        for record in matching:
            why = refusal_reasons(record, issue, today())
            if not why:
                return answer("ALLOWED", [])
            reasons.extend(why)
        return answer("DISALLOWED", reasons or ["no_mandate"])

    @app.get("/service/hpa/user/unregister/<session_id>")
    def unregister(session_id: str) -> Response:
        if problem := checksum_problem():
            return problem
        if not state.drop_session(session_id):
            return api_error(404, "not_found", "unknown session")
        return jsonify({})

    return app


# --- command line ------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """werkzeug's request line has the path, identity codes and all; the app logs the route."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portal.mandates.devservice",
        description="Development Suomi.fi-valtuudet (HPA) service (never for production).",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--store",
        type=Path,
        metavar="FILE",
        help="JSON file of mandate records, re-read on every request; created with the demo "
        "mandates when missing (default: the demo mandates in memory)",
    )
    parser.add_argument(
        "--token-seconds",
        type=int,
        default=DEFAULT_TOKEN_SECONDS,
        metavar="SECONDS",
        help="lifetime of access tokens (default: %(default)s)",
    )
    parser.add_argument("--client-id", default=_dev_default("MANDATES_CLIENT_ID"))
    parser.add_argument("--api-key", default=_dev_default("MANDATES_API_KEY"))
    parser.add_argument("--oauth-secret", default=_dev_default("MANDATES_OAUTH_SECRET"))
    args = parser.parse_args(argv)
    if args.token_seconds < 1:
        parser.error("--token-seconds must be at least 1")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_service(
        args.store,
        token_seconds=args.token_seconds,
        client_id=args.client_id,
        api_key=args.api_key,
        oauth_secret=args.oauth_secret,
    )
    # Binds now, or fails now (port in use).
    server = make_server(args.host, args.port, app, threaded=True, request_handler=_QuietHandler)

    def _stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    source = args.store or "portal/demo.py (in memory)"
    print(
        f"Development mandate service at http://{args.host}:{server.server_port}"
        f" (mandates: {source}; tokens live {args.token_seconds} s)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        print("Development mandate service stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
