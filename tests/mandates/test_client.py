"""The real client against the development mandate service, over HTTP, step by step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
import requests

from portal.mandates import MandateError, Principal, ValtuudetClient

from .conftest import API_KEY, CLIENT_ID, OAUTH_SECRET
from .flow import (
    AADA,
    CALLBACK,
    EERO,
    HELENA,
    ISSUE,
    MINNA,
    OUTI,
    PERTTI,
    REIJO,
    VAINO,
    choose,
    free_port,
    open_session,
    raw_authorization,
)

if TYPE_CHECKING:
    from tests.conftest import MandateService


def test_the_whole_flow_for_a_valid_mandate(valtuudet: ValtuudetClient):
    registration = valtuudet.register(HELENA)
    assert registration.session_id and registration.user_id

    code = choose(valtuudet.authorize_url(registration, CALLBACK, "fi"), PERTTI)
    token = valtuudet.exchange_code(code, CALLBACK)

    assert valtuudet.principals(registration.session_id, token) == [
        Principal(person_id=PERTTI, name="Pertti Testi Päämies")
    ]
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is True

    valtuudet.unregister(registration.session_id)
    # The session is over: its token no longer opens anything.
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False
    with pytest.raises(MandateError) as error:
        valtuudet.principals(registration.session_id, token)
    assert error.value.reason == "refused"


@pytest.mark.parametrize(
    ("principal", "reason"),
    [(OUTI, "expired"), (REIJO, "revoked"), (VAINO, "issue_not_covered")],
    ids=["expired", "revoked", "another-matter"],
)
def test_a_mandate_that_does_not_hold_is_disallowed(valtuudet, principal, reason):
    registration, token = open_session(valtuudet, principal)
    # The delegate did choose this person: the service names them ...
    assert [p.person_id for p in valtuudet.principals(registration.session_id, token)] == [
        principal
    ]
    # ... but acting for them is not allowed, for the reason the record gives.
    assert valtuudet.is_allowed(registration.session_id, token, principal, ISSUE) is False
    status, body = raw_authorization(valtuudet, registration, token, principal)
    assert status == 200
    assert body["result"] == "DISALLOWED" and reason in body["reasons"]


def test_a_minor_is_allowed_by_the_service_the_portal_decides_on_age(valtuudet):
    registration, token = open_session(valtuudet, MINNA)
    assert valtuudet.is_allowed(registration.session_id, token, MINNA, ISSUE) is True


def test_no_mandate_for_that_principal(valtuudet, service: MandateService):
    registration, token = open_session(valtuudet, PERTTI)
    # Someone the delegate did not choose (and has no mandate from).
    assert valtuudet.is_allowed(registration.session_id, token, AADA, ISSUE) is False
    # The chosen principal's mandate moves to another delegate: none left for this one.
    service.set(PERTTI, delegate=AADA)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False
    assert raw_authorization(valtuudet, registration, token, PERTTI)[1]["reasons"] == ["no_mandate"]


def test_another_issue_is_disallowed(valtuudet):
    registration, token = open_session(valtuudet, PERTTI)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, "muu-asia") is False


def test_a_mandate_revoked_mid_session_is_disallowed_at_the_next_check(
    valtuudet, service: MandateService
):
    registration, token = open_session(valtuudet, PERTTI)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is True
    service.revoke(PERTTI)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False


def test_a_mandate_that_expired_mid_session_is_disallowed(valtuudet, service: MandateService):
    registration, token = open_session(valtuudet, PERTTI)
    yesterday = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    service.set(PERTTI, valid_until=yesterday)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False


def test_a_service_error_is_disallowed(valtuudet):
    registration, token = open_session(valtuudet, EERO)
    assert raw_authorization(valtuudet, registration, token, EERO)[0] == 500
    assert valtuudet.is_allowed(registration.session_id, token, EERO, ISSUE) is False


@pytest.mark.parametrize(
    "simulate",
    ["empty", "garbage", "other_principal", "odd_result", "error"],
)
def test_an_odd_answer_is_disallowed(valtuudet, service: MandateService, simulate):
    registration, token = open_session(valtuudet, PERTTI)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is True
    service.set(PERTTI, simulate=simulate)
    assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False


def test_an_empty_body_really_is_empty(valtuudet, service: MandateService):
    """The `empty` case above tests what it says: 200 and nothing in it."""
    registration, token = open_session(valtuudet, PERTTI)
    service.set(PERTTI, simulate="empty")
    assert raw_authorization(valtuudet, registration, token, PERTTI) == (200, None)


def test_a_timeout_is_disallowed(service: MandateService):
    impatient = ValtuudetClient(service.url, CLIENT_ID, API_KEY, OAUTH_SECRET, timeout=0.5)
    registration, token = open_session(impatient, PERTTI)
    service.set(PERTTI, simulate="slow")
    assert impatient.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False


def test_a_wrong_api_key_fails_registration(service: MandateService):
    client = ValtuudetClient(service.url, CLIENT_ID, "wrong-key", OAUTH_SECRET)
    with pytest.raises(MandateError) as error:
        client.register(HELENA)
    assert (error.value.reason, error.value.status) == ("refused", 401)


def test_an_unknown_client_id_fails_registration(service: MandateService):
    client = ValtuudetClient(service.url, "someone-else", API_KEY, OAUTH_SECRET)
    with pytest.raises(MandateError) as error:
        client.register(HELENA)
    assert error.value.status == 401


def test_a_clock_far_off_fails_registration(service: MandateService):
    """The timestamp in the checksum header must be within five minutes of the service's."""
    late = ValtuudetClient(
        service.url,
        CLIENT_ID,
        API_KEY,
        OAUTH_SECRET,
        clock=lambda: datetime.now(UTC) - timedelta(minutes=6),
    )
    with pytest.raises(MandateError) as error:
        late.register(HELENA)
    assert error.value.status == 401
    slightly_late = ValtuudetClient(
        service.url,
        CLIENT_ID,
        API_KEY,
        OAUTH_SECRET,
        clock=lambda: datetime.now(UTC) - timedelta(minutes=4),
    )
    assert slightly_late.register(HELENA).session_id


def test_a_wrong_oauth_secret_fails_the_exchange(service: MandateService, valtuudet):
    registration = valtuudet.register(HELENA)
    code = choose(valtuudet.authorize_url(registration, CALLBACK, "fi"), PERTTI)
    wrong = ValtuudetClient(service.url, CLIENT_ID, API_KEY, "wrong-secret")
    with pytest.raises(MandateError) as error:
        wrong.exchange_code(code, CALLBACK)
    assert (error.value.reason, error.value.status) == ("refused", 401)


def test_a_code_works_once(valtuudet):
    registration = valtuudet.register(HELENA)
    code = choose(valtuudet.authorize_url(registration, CALLBACK, "fi"), PERTTI)
    assert valtuudet.exchange_code(code, CALLBACK)
    with pytest.raises(MandateError) as error:
        valtuudet.exchange_code(code, CALLBACK)
    assert (error.value.reason, error.value.status) == ("refused", 400)


def test_a_code_is_bound_to_its_redirect_uri(valtuudet):
    registration = valtuudet.register(HELENA)
    code = choose(valtuudet.authorize_url(registration, CALLBACK, "fi"), PERTTI)
    with pytest.raises(MandateError):
        valtuudet.exchange_code(code, "http://127.0.0.1:5000/muualle")
    # One chance only: after the wrong try, the right redirect URI does not revive it.
    with pytest.raises(MandateError):
        valtuudet.exchange_code(code, CALLBACK)


def test_a_code_of_an_ended_session_is_refused(valtuudet):
    registration = valtuudet.register(HELENA)
    code = choose(valtuudet.authorize_url(registration, CALLBACK, "fi"), PERTTI)
    valtuudet.unregister(registration.session_id)
    with pytest.raises(MandateError):
        valtuudet.exchange_code(code, CALLBACK)


def test_a_token_of_another_session_is_refused(valtuudet):
    mine, my_token = open_session(valtuudet, PERTTI)
    theirs, _ = open_session(valtuudet, PERTTI)
    with pytest.raises(MandateError) as error:
        valtuudet.principals(theirs.session_id, my_token)
    assert (error.value.reason, error.value.status) == ("refused", 403)
    assert valtuudet.is_allowed(theirs.session_id, my_token, PERTTI, ISSUE) is False
    # Still good for its own session.
    assert valtuudet.is_allowed(mine.session_id, my_token, PERTTI, ISSUE) is True


def test_a_made_up_token_is_refused(valtuudet):
    registration, _ = open_session(valtuudet, PERTTI)
    with pytest.raises(MandateError) as error:
        valtuudet.principals(registration.session_id, "keksitty")
    assert error.value.status == 401
    assert valtuudet.is_allowed(registration.session_id, "keksitty", PERTTI, ISSUE) is False


def test_an_unreachable_service():
    nowhere = ValtuudetClient(
        f"http://127.0.0.1:{free_port()}", CLIENT_ID, API_KEY, OAUTH_SECRET, timeout=2
    )
    with pytest.raises(MandateError) as error:
        nowhere.register(HELENA)
    assert error.value.reason == "unreachable" and error.value.status is None
    # The message names the step, never the URL with the identity code in it.
    assert HELENA not in str(error.value) and error.value.__cause__ is None
    assert error.value.__suppress_context__
    with pytest.raises(MandateError) as error:
        nowhere.exchange_code("koodi", CALLBACK)
    assert error.value.reason == "unreachable"
    with pytest.raises(MandateError):
        nowhere.principals("istunto", "token")
    assert nowhere.is_allowed("istunto", "token", PERTTI, ISSUE) is False
    nowhere.unregister("istunto")  # best effort: does not raise


def test_is_allowed_never_logs_an_identity_code(valtuudet, service, caplog):
    registration, token = open_session(valtuudet, PERTTI)
    service.set(PERTTI, simulate="error")
    with caplog.at_level("DEBUG", logger="portal.mandates"):
        assert valtuudet.is_allowed(registration.session_id, token, PERTTI, ISSUE) is False
    assert caplog.records, "a refused check is logged"
    assert PERTTI not in caplog.text and HELENA not in caplog.text


def test_the_authorize_url(valtuudet):
    registration = valtuudet.register(HELENA)
    url = valtuudet.authorize_url(registration, CALLBACK, "sv")
    assert url.startswith(valtuudet.base_url + "/oauth/authorize?")
    query = requests.utils.urlparse(url).query
    assert "client_id=tyokykyportti" in query and "response_type=code" in query
    assert f"user={registration.user_id}" in query and "lang=sv" in query
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fvaltuudet%2Fpaluu" in query
    # The service's pages speak fi, sv and en; anything else asks for Finnish.
    assert "lang=fi" in valtuudet.authorize_url(registration, CALLBACK, "selko")
