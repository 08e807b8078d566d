"""The development mandate service itself: its pages, its refusals, its store, its log."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portal import demo
from portal.mandates import MandateError, ValtuudetClient, checksum_header
from portal.mandates.devservice import create_service

from .conftest import API_KEY, CLIENT_ID, OAUTH_SECRET
from .flow import AADA, CALLBACK, HELENA, ISSUE, PERTTI, Page, open_session, running_service

if TYPE_CHECKING:
    from tests.conftest import MandateService


def test_the_choice_page_is_plain_accessible_finnish(valtuudet: ValtuudetClient):
    registration = valtuudet.register(HELENA)
    page = requests.get(valtuudet.authorize_url(registration, CALLBACK, "fi"), timeout=5)
    assert page.status_code == 200
    html = Page(page.text)
    assert html.all("html", lang="fi")
    assert len(html.all("main")) == 1 and len(html.all("h1")) == 1
    assert html.all("fieldset") and html.all("legend")
    radios = html.all("input", type="radio", name="principal")
    # Every record of the delegate, the failing ones too, each with a label and its note.
    assert [r["value"] for r in radios] == [
        m["principal"] for m in demo.MANDATES if m["delegate"] == HELENA
    ]
    labelled = {label["for"] for label in html.all("label")}
    assert all(r["id"] in labelled for r in radios)
    for mandate in demo.MANDATES:
        assert mandate["note"] in html.plain
    assert html.all("button", type="submit")
    cancel = [a["href"] for a in html.all("a") if "error=access_denied" in a.get("href", "")]
    assert cancel == [CALLBACK + "?error=access_denied"]


def test_sending_the_form_without_a_choice_asks_again(valtuudet):
    registration = valtuudet.register(HELENA)
    url = valtuudet.authorize_url(registration, CALLBACK, "fi")
    answer = requests.post(url, data={}, allow_redirects=False, timeout=5)
    assert answer.status_code == 400
    assert Page(answer.text).all("div", role="alert")
    answer = requests.post(url, data={"principal": AADA}, allow_redirects=False, timeout=5)
    assert answer.status_code == 400, "only the delegate's own principals can be chosen"


def test_a_delegate_without_mandates_sees_a_message_and_cancel_only(valtuudet):
    registration = valtuudet.register(AADA)
    page = requests.get(valtuudet.authorize_url(registration, CALLBACK, "fi"), timeout=5)
    html = Page(page.text)
    assert page.status_code == 200
    assert not html.all("input", type="radio") and not html.all("form")
    assert "Kukaan ei ole antanut sinulle valtuutta" in html.plain
    assert [a["href"] for a in html.all("a")] == [CALLBACK + "?error=access_denied"]


def test_the_redirect_keeps_a_query_the_callback_already_has(valtuudet):
    registration = valtuudet.register(HELENA)
    callback = CALLBACK + "?kieli=sv"
    url = valtuudet.authorize_url(registration, callback, "fi")
    answer = requests.post(url, data={"principal": PERTTI}, allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["kieli"] == ["sv"] and query["code"]
    assert valtuudet.exchange_code(query["code"][0], callback)


@pytest.mark.parametrize(
    "change",
    [
        {"client_id": "someone-else"},
        {"response_type": "token"},
        {"redirect_uri": "javascript:alert(1)"},
        {"user": "tuntematon"},
    ],
    ids=["client", "response-type", "redirect-uri", "user"],
)
def test_a_bad_authorize_request_gets_an_error_page(valtuudet, change):
    registration = valtuudet.register(HELENA)
    url = urlsplit(valtuudet.authorize_url(registration, CALLBACK, "fi"))
    query = {k: v[0] for k, v in parse_qs(url.query).items()} | change
    page = requests.get(f"{valtuudet.base_url}{url.path}", params=query, timeout=5)
    assert page.status_code == 400
    html = Page(page.text)
    assert html.all("html", lang="fi") and html.all("main") and not html.all("form")


def _signed_get(service_url: str, path: str, **headers: str) -> requests.Response:
    header = checksum_header(CLIENT_ID, API_KEY, path, datetime.now(UTC))
    return requests.get(
        service_url + path,
        headers={"X-AsiointivaltuudetAuthorization": header, **headers},
        timeout=5,
    )


def test_api_calls_need_the_checksum_header_and_a_request_id(service: MandateService):
    path = f"/service/hpa/user/register/{CLIENT_ID}/{HELENA}?requestId=1"
    assert requests.get(service.url + path, timeout=5).status_code == 401
    assert _signed_get(service.url, path).status_code == 200
    # Signed for another path (here: without the request id) does not pass.
    unsigned_path = f"/service/hpa/user/register/{CLIENT_ID}/{HELENA}"
    header = checksum_header(CLIENT_ID, API_KEY, unsigned_path, datetime.now(UTC))
    answer = requests.get(
        service.url + path, headers={"X-AsiointivaltuudetAuthorization": header}, timeout=5
    )
    assert answer.status_code == 401
    assert _signed_get(service.url, unsigned_path).status_code == 400  # requestId missing
    # The client id in the path must be the signer's.
    other = f"/service/hpa/user/register/someone-else/{HELENA}?requestId=1"
    assert _signed_get(service.url, other).status_code == 401


def test_the_token_endpoint_needs_basic_auth(service: MandateService):
    answer = requests.post(
        f"{service.url}/oauth/token",
        params={"code": "x", "grant_type": "authorization_code", "redirect_uri": CALLBACK},
        timeout=5,
    )
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Basic")
    answer = requests.post(
        f"{service.url}/oauth/token",
        params={"code": "x", "grant_type": "client_credentials", "redirect_uri": CALLBACK},
        auth=(CLIENT_ID, OAUTH_SECRET),
        timeout=5,
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_the_authorization_call_needs_an_issue(valtuudet, service):
    registration, token = open_session(valtuudet, PERTTI)
    path = f"/service/hpa/api/authorization/{registration.session_id}/{PERTTI}?requestId=1"
    answer = _signed_get(service.url, path, Authorization=f"Bearer {token}")
    assert answer.status_code == 400
    answer = _signed_get(service.url, path + f"&issue={ISSUE}", Authorization=f"Bearer {token}")
    assert answer.json() == {"principalId": PERTTI, "result": "ALLOWED", "reasons": []}


def test_tokens_expire_after_the_configured_lifetime():
    with running_service("--token-seconds", "1") as url:
        client = ValtuudetClient(url, CLIENT_ID, API_KEY, OAUTH_SECRET)
        registration, token = open_session(client, PERTTI)
        assert client.is_allowed(registration.session_id, token, PERTTI, ISSUE) is True
        time.sleep(1.2)
        assert client.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False
        with pytest.raises(MandateError) as error:
            client.principals(registration.session_id, token)
        assert error.value.status == 401


def test_a_missing_store_file_is_created_with_the_demo_mandates(tmp_path):
    store = tmp_path / "uusi.json"
    with running_service("--store", str(store)) as url:
        assert json.loads(store.read_text(encoding="utf-8")) == [
            json.loads(json.dumps(m)) for m in demo.MANDATES
        ]
        assert "Pertti Testi Päämies" in requests.get(url + "/", timeout=5).text


def test_without_a_store_the_demo_mandates_are_served():
    service = create_service()
    page = service.test_client().get("/")
    assert page.status_code == 200
    text = Page(page.get_data(as_text=True)).plain
    for mandate in demo.MANDATES:
        assert mandate["principal_name"] in text and mandate["note"] in text


def test_the_log_shows_routes_not_identity_codes(caplog):
    service = create_service()
    path = f"/service/hpa/user/register/{CLIENT_ID}/{HELENA}?requestId=1"
    header = checksum_header(CLIENT_ID, API_KEY, path, datetime.now(UTC))
    with caplog.at_level("INFO", logger="portal.mandates.devservice"):
        answer = service.test_client().get(
            path, headers={"X-AsiointivaltuudetAuthorization": header}
        )
    assert answer.status_code == 200
    assert "/service/hpa/user/register/<path_client_id>/<delegate> 200" in caplog.text
    assert HELENA not in caplog.text
