"""Settings from the environment.

One variable, PORTAL_ENV, picks the profile. Only `development` and `test` get defaults for
secrets; production refuses to start and names the missing setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Suomi.fi levels of assurance that are enough for health data (eIDAS substantial and high).
SUOMIFI_LOA_SUBSTANTIAL = "http://ftn.ficora.fi/2017/loa2"
SUOMIFI_LOA_HIGH = "http://ftn.ficora.fi/2017/loa3"

DEV_IDP_URL = "http://127.0.0.1:9400"
DEV_MANDATES_URL = "http://127.0.0.1:9500"


class ConfigError(RuntimeError):
    """Raised at start-up when a required setting is missing or unsafe."""


@dataclass(frozen=True)
class Setting:
    name: str
    doc: str
    dev_default: str | None = None
    default: str | None = None
    secret: bool = False


# Each setting documents itself; docs/configuration.md is written from this list.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        "Signs CSRF tokens (sessions are stored server-side).",
        "dev-only-not-secret",
        secret=True,
    ),
    Setting(
        "DATABASE_URL",
        "SQLAlchemy URL of the database.",
        f"sqlite:///{ROOT / 'instance' / 'portal.sqlite3'}",
    ),
    Setting("CITIZEN_OIDC_ISSUER", "Issuer URL of Suomi.fi e-identification (OIDC).", DEV_IDP_URL),
    Setting("CITIZEN_OIDC_CLIENT_ID", "Client id registered with Suomi.fi.", "tyokykyportti"),
    Setting("CITIZEN_OIDC_CLIENT_SECRET", "Client secret for Suomi.fi.", "dev-secret", secret=True),
    Setting(
        "CITIZEN_CLAIM_HETU",
        "Claim carrying the personal identity code.",
        default="urn:oid:1.2.246.21",
    ),
    Setting(
        "CITIZEN_CLAIM_GIVEN_NAME",
        "Claim carrying the given names.",
        default="urn:oid:1.2.246.575.1.14",
    ),
    Setting(
        "CITIZEN_CLAIM_FAMILY_NAME", "Claim carrying the family name.", default="urn:oid:2.5.4.4"
    ),
    Setting(
        "CITIZEN_CLAIM_MUNICIPALITY",
        "Claim carrying the home municipality code (VTJ).",
        default="urn:oid:1.2.246.517.2002.2.18",
    ),
    Setting("CITIZEN_CLAIM_LOA", "Claim carrying the level of assurance.", default="acr"),
    Setting(
        "CITIZEN_ACCEPTED_LOA",
        "Space-separated accepted levels of assurance.",
        default=f"{SUOMIFI_LOA_SUBSTANTIAL} {SUOMIFI_LOA_HIGH}",
    ),
    Setting(
        "STAFF_OIDC_ISSUER", "Issuer URL of the county's staff identity provider.", DEV_IDP_URL
    ),
    Setting(
        "STAFF_OIDC_CLIENT_ID", "Client id at the staff identity provider.", "tyokykyportti-staff"
    ),
    Setting(
        "STAFF_OIDC_CLIENT_SECRET",
        "Client secret at the staff identity provider.",
        "dev-staff-secret",
        secret=True,
    ),
    Setting("STAFF_CLAIM_ROLES", "Claim listing the staff member's roles.", default="roles"),
    Setting("STAFF_CLAIM_NAME", "Claim carrying the staff member's display name.", default="name"),
    Setting(
        "OIDC_INSECURE_TRANSPORT",
        "Allow OIDC over plain http (the local development provider only).",
        "1",
        default="0",
    ),
    Setting("SESSION_MINUTES", "Idle minutes before a login session expires.", default="30"),
    Setting(
        "CONTACT_WORKING_DAYS",
        "Contact promise (working days) given to teams created by `flask seed-demo`; each team "
        "keeps its own in the database.",
        default="3",
    ),
    Setting(
        "STAFF_CLAIM_AMR",
        "Claim listing the staff login's authentication methods (OIDC amr).",
        default="amr",
    ),
    Setting(
        "STAFF_REQUIRED_AMR",
        "Space-separated amr values of which a staff login must carry one (multi-factor); "
        "empty turns the check off, which production refuses.",
        default="mfa",
    ),
    Setting(
        "PUBLIC_URL",
        "The portal's address as people reach it; links in e-mails start with it.",
        "http://localhost:5000",
    ),
    Setting("SMTP_HOST", "Mail server for notifications.", "127.0.0.1"),
    Setting("SMTP_PORT", "Port of the mail server.", default="25"),
    Setting("SMTP_STARTTLS", "1: upgrade the SMTP connection with STARTTLS.", "0", default="1"),
    Setting("SMTP_USERNAME", "SMTP login (empty: none).", default=""),
    Setting("SMTP_PASSWORD", "SMTP password.", default="", secret=True),
    Setting(
        "MAIL_FROM",
        "Sender address of notifications.",
        "tyokykyportti@example.invalid",
    ),
    Setting(
        "AUDIT_SHOW_STAFF_NAMES",
        "1: the citizen's access log names the staff member; 0: organisation and role only "
        "(the county's policy).",
        default="0",
    ),
    Setting(
        "MANDATES_URL",
        "Base URL of the Suomi.fi-valtuudet web API (person-to-person mandates); development: "
        "`python -m portal.mandates.devservice`.",
        DEV_MANDATES_URL,
    ),
    Setting(
        "MANDATES_CLIENT_ID",
        "Client id registered with Suomi.fi-valtuudet.",
        "tyokykyportti",
    ),
    Setting(
        "MANDATES_API_KEY",
        "API key of Suomi.fi-valtuudet: signs the checksum header of every API call.",
        "dev-api-key",
        secret=True,
    ),
    Setting(
        "MANDATES_OAUTH_SECRET",
        "OAuth client secret of Suomi.fi-valtuudet (exchanging the code for a token).",
        "dev-oauth-secret",
        secret=True,
    ),
    Setting(
        "MANDATES_ISSUE",
        "The matter (issue code) a mandate must cover for acting on someone's behalf.",
        default="tyokyvyn-tuki",
    ),
    Setting(
        "MANDATES_RECHECK_SECONDS",
        "How old (seconds) an ALLOWED answer may be before the next request asks the mandate "
        "service again; sending a form always asks.",
        default="300",
    ),
)


@dataclass
class Config:
    env: str
    values: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def flask_settings(self) -> dict[str, Any]:
        from datetime import timedelta

        production = self.env == "production"
        return {
            "PORTAL_ENV": self.env,
            "SECRET_KEY": self["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": self["DATABASE_URL"],
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(self["SESSION_MINUTES"])),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": production,
            "WTF_CSRF_TIME_LIMIT": None,  # the session lifetime bounds the token instead
            "BABEL_DEFAULT_LOCALE": "fi",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Helsinki",
            "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
            "PORTAL": self.values,
        }


def load_config(environ: dict[str, str] | None = None) -> Config:
    """Read settings; refuse a production start with a missing secret or issuer."""
    environ = dict(os.environ if environ is None else environ)
    env = environ.get("PORTAL_ENV", "production")
    if env not in ("production", "development", "test"):
        raise ConfigError(f"PORTAL_ENV must be production, development or test, not {env!r}")
    values: dict[str, str] = {}
    missing: list[str] = []
    for s in SETTINGS:
        value = environ.get(s.name)
        if value is None and env != "production":
            value = s.dev_default
        if value is None:
            value = s.default
        if value is None:
            missing.append(s.name)
        else:
            values[s.name] = value
    if missing:
        raise ConfigError(
            "Cannot start in production: set the environment variable(s) "
            + ", ".join(missing)
            + " (see docs/configuration.md)."
        )
    if env == "production":
        if values["OIDC_INSECURE_TRANSPORT"] == "1":
            raise ConfigError("OIDC_INSECURE_TRANSPORT=1 is for local development only.")
        if len(values["SECRET_KEY"]) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long in production.")
        if not values["MANDATES_URL"].startswith("https://"):
            # The API key's checksum and the OAuth secret travel to it: never over plain HTTP.
            raise ConfigError("MANDATES_URL must be an https:// address in production.")
        if not values["STAFF_REQUIRED_AMR"].split():
            raise ConfigError(
                "STAFF_REQUIRED_AMR must name the multi-factor methods (e.g. mfa) in production."
            )
    return Config(env=env, values=values)
