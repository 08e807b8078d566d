"""The delegate's side of the HPA flow, driven with `requests` like a browser would."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from portal.mandates import Registration, ValtuudetClient, checksum_header
from tests.conftest import free_port, running_process

__all__ = ["free_port"]  # used by the client tests


# The portal's callback; never visited: the tests read the redirect's Location instead.
CALLBACK = "http://127.0.0.1:5000/valtuudet/paluu"
ISSUE = "tyokyvyn-tuki"

# portal.demo: the delegate and her principals, one per way a mandate works or fails.
HELENA = "110573-957U"  # the delegate
PERTTI = "030482-9587"  # valid
OUTI = "170961-959W"  # expired
REIJO = "091155-961V"  # revoked
VAINO = "120668-956Y"  # another matter
EERO = "220388-962B"  # the service answers with an error
MINNA = "050712A9631"  # a minor: the service allows, the portal refuses
AADA = "010280-952L"  # nobody's delegate, nobody's principal


class Page(HTMLParser):
    """Tags and attributes of a page, and its text, for structural checks."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def running_service(*args: str) -> AbstractContextManager[str]:
    """Another development mandate service process, for options the session's one lacks."""
    return running_process("portal.mandates.devservice", "/", *args)


def choose(authorize_url: str, principal: str) -> str:
    """Open the service's page, pick the principal, and return the code it sends back."""
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200, page.text[:500]
    assert principal in [r["value"] for r in Page(page.text).all("input", type="radio")]
    answer = requests.post(
        authorize_url, data={"principal": principal}, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302, answer.text[:500]
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return parse_qs(location.query)["code"][0]


def open_session(
    client: ValtuudetClient, principal: str, delegate: str = HELENA
) -> tuple[Registration, str]:
    """Register, choose the principal, exchange the code: (registration, access token)."""
    registration = client.register(delegate)
    code = choose(client.authorize_url(registration, CALLBACK, "fi"), principal)
    return registration, client.exchange_code(code, CALLBACK)


def raw_authorization(
    client: ValtuudetClient, registration: Registration, token: str, principal: str
) -> tuple[int, Any]:
    """The authorization answer as the service sends it (to see its reasons)."""
    path = (
        f"/service/hpa/api/authorization/{registration.session_id}/{principal}"
        f"?requestId=test&issue={ISSUE}"
    )
    response = requests.get(
        client.base_url + path,
        headers={
            "X-AsiointivaltuudetAuthorization": checksum_header(
                client.client_id, "dev-api-key", path, datetime.now(UTC)
            ),
            "Authorization": f"Bearer {token}",
        },
        timeout=5,
    )
    return response.status_code, response.json() if response.content else None
