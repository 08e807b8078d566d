"""A live portal and Debian's Chromium for browser journeys.

The portal runs as its own process on a migrated SQLite file with the demo data, next to the
development identity provider (the session fixture `idp_url`). Chromium is /usr/bin/chromium,
driven by Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT, free_port, wait_for

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_url(
    idp_url: str, mandate_service: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    db_file = tmp_path_factory.mktemp("live") / "portal.sqlite3"
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DATABASE_URL": f"sqlite:///{db_file}",
        "CITIZEN_OIDC_ISSUER": idp_url,
        "STAFF_OIDC_ISSUER": idp_url,
        "MANDATES_URL": mandate_service.url,
    }
    flask = [sys.executable, "-m", "flask", "--app", "portal.wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = open(Path(db_file).with_suffix(".log"), "w")  # noqa: SIM115 (kept open for the server)
    proc = subprocess.Popen(
        [*flask, "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/healthz")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="fi-FI")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
