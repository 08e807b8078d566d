"""The people the development identity provider knows: portal.demo's citizens and staff.

Claims are named like the portal's configuration defaults, so the login code reads the
development provider exactly as it reads Suomi.fi and the county's staff provider.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from oidc_provider_mock import User

from portal import demo
from portal.config import SUOMIFI_LOA_HIGH

INSTRUCTOR = "sosiaaliohjaaja"

# Claim names: the defaults of CITIZEN_CLAIM_* in portal.config (Suomi.fi's attribute OIDs).
CLAIM_HETU = "urn:oid:1.2.246.21"
CLAIM_GIVEN_NAMES = "urn:oid:1.2.246.575.1.14"
CLAIM_FAMILY_NAME = "urn:oid:2.5.4.4"
CLAIM_MUNICIPALITY = "urn:oid:1.2.246.517.2002.2.18"

SUOMIFI_LOA_LOW = "http://ftn.ficora.fi/2017/loa1"

# A citizen identified too weakly for health data (e.g. a username and password): refused.
LOW_LOA_SUB = "demo-matala-taso"
LOW_LOA_HETU = "050585-9605"  # individual number 960: a test code

# A staff account whose roles give no access to the portal: refused at the staff door.
NO_ROLE_STAFF_SUB = "vieras.kayttaja"
# A staff member who logged in with a password only (amr pwd): refused, multi-factor required.
SINGLE_FACTOR_STAFF_SUB = "salasana.ohjaaja"


def citizen_sub(given_names: str, family_name: str) -> str:
    """`demo-aada-demola`: first given name and family name, lower-case ASCII."""
    words = [given_names.split()[0], family_name]
    ascii_words = [
        unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().lower() for w in words
    ]
    return "demo-" + "-".join("".join(c if c.isalnum() else "-" for c in w) for w in ascii_words)


def _citizen(person: dict[str, str], sub: str, loa: str) -> User:
    return User(
        sub=sub,
        claims={
            CLAIM_HETU: person["hetu"],
            CLAIM_GIVEN_NAMES: person["given_names"],
            CLAIM_FAMILY_NAME: person["family_name"],
            CLAIM_MUNICIPALITY: person["municipality"],
            "name": f"{person['given_names']} {person['family_name']}",
            "acr": loa,
        },
    )


def _staff(spec: dict[str, Any], amr: tuple[str, ...] = ("pwd", "otp", "mfa")) -> User:
    return User(
        sub=spec["sub"],
        claims={
            "name": spec["name"],
            "roles": list(spec["roles"]),
            "acr": "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
            "amr": list(amr),
        },
    )


#: hetu → subject, for tests and the developer choosing whom to log in as.
CITIZEN_SUBS: dict[str, str] = {
    p["hetu"]: citizen_sub(p["given_names"], p["family_name"]) for p in demo.CITIZENS
}
#: Staff subjects, as stored in StaffMember.oidc_sub by `flask seed-demo`.
STAFF_SUBS: tuple[str, ...] = tuple(s["sub"] for s in demo.STAFF)


def demo_users() -> list[User]:
    """Every predefined user; the provider shows them as one-click buttons."""
    users = [_citizen(p, CITIZEN_SUBS[p["hetu"]], SUOMIFI_LOA_HIGH) for p in demo.CITIZENS]
    users.append(
        _citizen(
            {
                "hetu": LOW_LOA_HETU,
                "given_names": "Matala Testi",
                "family_name": "Taso",
                "municipality": "179",
            },
            LOW_LOA_SUB,
            SUOMIFI_LOA_LOW,
        )
    )
    users.extend(_staff(s) for s in demo.STAFF)
    users.append(_staff({"sub": NO_ROLE_STAFF_SUB, "name": "Vieras Käyttäjä", "roles": ["lukija"]}))
    users.append(
        _staff(
            {"sub": SINGLE_FACTOR_STAFF_SUB, "name": "Salasana Ohjaaja", "roles": [INSTRUCTOR]},
            amr=("pwd",),
        )
    )
    return users


def demo_subjects() -> dict[str, tuple[str, ...]]:
    """Subjects by kind, for a quick look (`python -m portal.devidp --list`)."""
    return {
        "citizens": tuple(CITIZEN_SUBS.values()),
        "low_loa_citizens": (LOW_LOA_SUB,),
        "staff": STAFF_SUBS,
        "staff_without_role": (NO_ROLE_STAFF_SUB,),
        "staff_password_only": (SINGLE_FACTOR_STAFF_SUB,),
    }
