"""Test set-up in one place: databases (SQLite, and PostgreSQL when configured), the running
development identity provider and mandate service, an app per test, and a real OIDC login helper.

Every database test runs once per database. With TEST_DATABASE_URL set (CI sets it), the
PostgreSQL run is mandatory: an unreachable server fails the tests instead of skipping them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from portal.app import create_app
from portal.audit.append_only import append_only_statements, drop_statements
from portal.db import db
from portal.demo import MANDATES as DEMO_MANDATES
from portal.mandates.devservice import write_store

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")

if os.environ.get("CI") and not PG_URL:
    # CI must exercise PostgreSQL, the production database: never quietly run SQLite only.
    raise pytest.UsageError("CI=true needs TEST_DATABASE_URL (see .ci/run)")

DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


@contextmanager
def running_process(module: str, ready_path: str, *args: str) -> Iterator[str]:
    """`python -m <module> --port <free port> <args>` as its own process, until it answers at
    `ready_path`; yields its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", module, "--port", str(port), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + ready_path)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def running_idp(*args: str) -> AbstractContextManager[str]:
    """A development identity provider process on a free port; yields its issuer URL."""
    return running_process("portal.devidp", "/.well-known/openid-configuration", *args)


@pytest.fixture(scope="session")
def idp_url() -> Iterator[str]:
    """The development Suomi.fi/staff identity provider, as its own process."""
    with running_idp() as url:
        yield url


class MandateService:
    """The running development mandate service (Suomi.fi-valtuudet HPA) and its store file.

    The service re-reads the store on every request, so `revoke`/`set` take effect at once, even
    in the middle of a mandate session. The `app` fixture puts the demo mandates back before each
    test; a test without `app` that changes the store calls `reset()` itself.
    """

    def __init__(self, url: str, store: Path) -> None:
        self.url = url
        self.store = store

    def records(self) -> list[dict[str, Any]]:
        return json.loads(self.store.read_text(encoding="utf-8"))

    def set(self, principal_hetu: str, **fields: Any) -> None:
        """Change the fields of every record whose principal this is."""
        records = self.records()
        hits = [r for r in records if r["principal"] == principal_hetu]
        if not hits:
            raise KeyError(f"no mandate record for principal {principal_hetu}")
        for record in hits:
            record.update(fields)
        write_store(self.store, records)

    def revoke(self, principal_hetu: str) -> None:
        self.set(principal_hetu, revoked=True)

    def reset(self) -> None:
        """The demo mandates (portal.demo.MANDATES) again."""
        write_store(self.store, DEMO_MANDATES)


@pytest.fixture(scope="session")
def mandate_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MandateService]:
    """The development mandate service as its own process, with a store file of its own."""
    store = tmp_path_factory.mktemp("mandates") / "mandates.json"
    write_store(store, DEMO_MANDATES)
    with running_process("portal.mandates.devservice", "/", "--store", str(store)) as url:
        yield MandateService(url, store)


def _database_url(kind: str, tmp_dir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    assert PG_URL
    return PG_URL


_migrated: dict[str, str] = {}


def _environ(database_url: str, idp: str, mandates: str) -> dict[str, str]:
    return {
        "PORTAL_ENV": "test",
        "DATABASE_URL": database_url,
        "CITIZEN_OIDC_ISSUER": idp,
        "STAFF_OIDC_ISSUER": idp,
        "MANDATES_URL": mandates,
    }


@pytest.fixture(params=DATABASES)
def app(
    request: pytest.FixtureRequest,
    idp_url: str,
    mandate_service: MandateService,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    """An app on a migrated, emptied database, with the demo mandates; once per database kind."""
    kind = request.param
    mandate_service.reset()
    if kind not in _migrated:
        url = _database_url(kind, tmp_path_factory.mktemp("db"))
        if kind == "postgresql":
            engine = sa.create_engine(url)
            with engine.begin() as conn:  # a server that is not there fails here, loudly
                conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
            engine.dispose()
        application = create_app(
            {"TESTING": True}, environ=_environ(url, idp_url, mandate_service.url)
        )
        with application.app_context():
            from flask_migrate import upgrade

            upgrade()
        _migrated[kind] = url
    application = create_app(
        {"TESTING": True}, environ=_environ(_migrated[kind], idp_url, mandate_service.url)
    )
    application.before_request(_fresh_request_globals)
    with application.app_context():
        _empty_tables()
        yield application
        db.session.remove()
        db.engine.dispose()


def _fresh_request_globals() -> None:
    """Requests made inside the test's app context share its `g`; in production every request
    has its own. Flask-WTF keeps the CSRF token (and a "validated" mark) in `g`, so without
    this a second test client would be handed the first one's token."""
    g.__dict__.clear()


def _empty_tables() -> None:
    """Between tests only: the audit log's append-only triggers are bypassed for the cleanup."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
    else:
        for statement in drop_statements(dialect):
            db.session.execute(sa.text(statement))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if dialect != "postgresql":
        for statement in append_only_statements(dialect):
            db.session.execute(sa.text(statement))
    db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def demo(app: Flask) -> None:
    """Teams, municipalities, routing rules and staff from portal.demo."""
    from portal.cli import seed_demo_data

    seed_demo_data()


# --- helpers ---------------------------------------------------------------------------------

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def oidc_login(client: FlaskClient, start_path: str, sub: str) -> FlaskClient:
    """Log in through the real provider: our redirect, the provider's form, our callback."""
    response = client.get(start_path)
    assert response.status_code == 302, response.data[:500]
    authorize_url = response.headers["Location"]
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    callback = urlsplit(answer.headers["Location"])
    result = client.get(f"{callback.path}?{callback.query}")
    assert result.status_code == 302, result.data[:1000]
    return client
