"""The MANDATES_* settings: production needs the mandate service's address and secrets."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.config import ConfigError, load_config
from portal.mandates import ValtuudetClient, from_app
from tests.test_config import PRODUCTION


def test_a_complete_production_config_loads_with_the_mandate_defaults():
    config = load_config(PRODUCTION)
    assert config["MANDATES_ISSUE"] == "tyokyvyn-tuki"
    assert config["MANDATES_RECHECK_SECONDS"] == "300"


@pytest.mark.parametrize(
    "missing", ["MANDATES_API_KEY", "MANDATES_OAUTH_SECRET", "MANDATES_URL", "MANDATES_CLIENT_ID"]
)
def test_production_refuses_to_start_without_the_mandate_service(missing):
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_config(environ)


def test_development_points_at_the_development_service():
    config = load_config({"PORTAL_ENV": "development"})
    assert config["MANDATES_URL"] == "http://127.0.0.1:9500"
    assert (config["MANDATES_API_KEY"], config["MANDATES_OAUTH_SECRET"]) == (
        "dev-api-key",
        "dev-oauth-secret",
    )


def test_from_app_builds_the_client_from_the_settings():
    app = Flask(__name__)
    app.config["PORTAL"] = load_config(PRODUCTION).values
    client = from_app(app)
    assert isinstance(client, ValtuudetClient)
    assert client.base_url == "https://asiointivaltuustarkastus.suomi.fi"
    assert client.client_id == "tyokykyportti"
    with app.app_context():
        assert from_app().base_url == client.base_url  # current_app


def test_from_app_prefers_a_client_set_on_the_app():
    app = Flask(__name__)
    app.config["PORTAL"] = load_config(PRODUCTION).values
    stand_in = ValtuudetClient("http://elsewhere", "x", "y", "z")
    app.extensions["mandates"] = stand_in
    assert from_app(app) is stand_in


def test_the_client_keeps_its_secrets_out_of_repr():
    client = ValtuudetClient("http://x", "tyokykyportti", "SALAINEN-AVAIN", "SALAINEN-OAUTH")
    assert "SALAINEN" not in repr(client)
