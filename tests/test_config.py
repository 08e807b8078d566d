"""Production refuses to start on missing or unsafe settings, and says which."""

from __future__ import annotations

import pytest

from portal.config import SETTINGS, ConfigError, load_config

PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x" * 40,
    "DATABASE_URL": "postgresql+psycopg://portal@db/portal",
    "CITIZEN_OIDC_ISSUER": "https://tunnistus.suomi.fi",
    "CITIZEN_OIDC_CLIENT_ID": "portal",
    "CITIZEN_OIDC_CLIENT_SECRET": "s",
    "STAFF_OIDC_ISSUER": "https://idp.hyvinvointialue.example",
    "STAFF_OIDC_CLIENT_ID": "portal-staff",
    "STAFF_OIDC_CLIENT_SECRET": "s",
    "PUBLIC_URL": "https://tyokykyportti.hyvinvointialue.example",
    "SMTP_HOST": "smtp.hyvinvointialue.example",
    "MAIL_FROM": "tyokykyportti@hyvinvointialue.example",
    "MANDATES_URL": "https://asiointivaltuustarkastus.suomi.fi",
    "MANDATES_CLIENT_ID": "tyokykyportti",
    "MANDATES_API_KEY": "k",
    "MANDATES_OAUTH_SECRET": "o",
}


def test_a_complete_production_config_loads():
    config = load_config(PRODUCTION)
    assert config.env == "production"
    assert config["OIDC_INSECURE_TRANSPORT"] == "0"


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "CITIZEN_OIDC_ISSUER", "STAFF_OIDC_CLIENT_SECRET"]
)
def test_production_names_the_missing_setting(missing):
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load_config(environ)


def test_production_refuses_a_short_secret_and_plain_http_login():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({**PRODUCTION, "SECRET_KEY": "short"})
    with pytest.raises(ConfigError, match="OIDC_INSECURE_TRANSPORT"):
        load_config({**PRODUCTION, "OIDC_INSECURE_TRANSPORT": "1"})
    with pytest.raises(ConfigError, match="MANDATES_URL"):
        load_config({**PRODUCTION, "MANDATES_URL": "http://valtuudet.example"})


def test_missing_environment_means_production():
    with pytest.raises(ConfigError):
        load_config({})


def test_development_has_defaults_for_everything():
    config = load_config({"PORTAL_ENV": "development"})
    assert set(config.values) == {s.name for s in SETTINGS}


def test_configuration_docs_match_the_settings():
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run(
        [sys.executable, "scripts/config_docs.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_staff_login_without_multi_factor():
    with pytest.raises(ConfigError, match="STAFF_REQUIRED_AMR"):
        load_config(PRODUCTION | {"STAFF_REQUIRED_AMR": " "})
