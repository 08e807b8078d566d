"""Fixtures of the mandate tests: the session's development mandate service with the demo
mandates put back around every test, and the real client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from portal.mandates import ValtuudetClient

if TYPE_CHECKING:  # runs under `.venv/bin/pytest` too, where `tests` is not importable
    from tests.conftest import MandateService

CLIENT_ID = "tyokykyportti"
API_KEY = "dev-api-key"
OAUTH_SECRET = "dev-oauth-secret"


@pytest.fixture
def service(mandate_service: MandateService) -> Iterator[MandateService]:
    """The running service; tests here may revoke or change mandates freely."""
    mandate_service.reset()
    yield mandate_service
    mandate_service.reset()


@pytest.fixture
def valtuudet(service: MandateService) -> ValtuudetClient:
    """The client as the portal builds it in development and tests."""
    return ValtuudetClient(service.url, CLIENT_ID, API_KEY, OAUTH_SECRET)
