"""Verified claims, reduced to the few facts the portal keeps.

Claim names come from settings (CITIZEN_CLAIM_*, STAFF_CLAIM_*), so a provider that names its
attributes differently needs configuration, not code. Nothing here logs or shows a claim value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.auth.access import STAFF_ROLES
from portal.auth.oidc import LoginError
from portal.hetu import InvalidHetu, validate

_MUNICIPALITY_CODE = re.compile(r"^\d{3}$")
_NAME_MAX = 200  # Person and StaffMember name columns


@dataclass(frozen=True)
class CitizenIdentity:
    hetu: str = field(repr=False)  # never in a repr, a traceback or a log line
    given_names: str
    family_name: str
    municipality_code: str | None
    loa: str | None


@dataclass(frozen=True)
class StaffIdentity:
    sub: str
    name: str
    roles: tuple[str, ...]


def _text(value: Any) -> str:
    return value.strip()[:_NAME_MAX] if isinstance(value, str) else ""


def citizen_identity(
    claims: Mapping[str, Any], settings: Mapping[str, str], *, allow_test_codes: bool
) -> CitizenIdentity:
    """The citizen from Suomi.fi's claims; refuses a missing or invalid identity code."""
    raw_hetu = claims.get(settings["CITIZEN_CLAIM_HETU"])
    if not isinstance(raw_hetu, str) or not raw_hetu.strip():
        # e.g. an eIDAS login from abroad: no Finnish identity code, no case file to attach to.
        raise LoginError("missing_hetu", 403)
    try:
        hetu = validate(raw_hetu.strip(), allow_test_codes=allow_test_codes)
    except InvalidHetu:
        raise LoginError("invalid_hetu", 403) from None
    municipality = claims.get(settings["CITIZEN_CLAIM_MUNICIPALITY"])
    loa = claims.get(settings["CITIZEN_CLAIM_LOA"])
    return CitizenIdentity(
        hetu=hetu,
        given_names=_text(claims.get(settings["CITIZEN_CLAIM_GIVEN_NAME"])),
        family_name=_text(claims.get(settings["CITIZEN_CLAIM_FAMILY_NAME"])),
        # Home municipality decides the team; an unusable value is treated as unknown.
        municipality_code=(
            municipality
            if isinstance(municipality, str) and _MUNICIPALITY_CODE.match(municipality)
            else None
        ),
        loa=loa if isinstance(loa, str) else None,
    )


def staff_identity(claims: Mapping[str, Any], settings: Mapping[str, str]) -> StaffIdentity:
    """The staff member; refuses anyone without at least one of the portal's staff roles."""
    sub = claims.get("sub")
    raw_roles = claims.get(settings["STAFF_CLAIM_ROLES"])
    if isinstance(raw_roles, str):  # some providers send roles space-separated
        raw_roles = raw_roles.split()
    if not isinstance(raw_roles, list):
        raw_roles = []
    # Only roles the portal knows are kept: access checks never see anything else.
    roles = tuple(sorted({r for r in raw_roles if isinstance(r, str)} & STAFF_ROLES))
    if not isinstance(sub, str) or not sub or not roles:
        raise LoginError("no_staff_role", 403)
    required = set(settings["STAFF_REQUIRED_AMR"].split())
    methods = claims.get(settings["STAFF_CLAIM_AMR"])
    methods = [methods] if isinstance(methods, str) else methods
    if required and not (isinstance(methods, list) and required.intersection(methods)):
        # Client data is health data: a password alone is not enough (multi-factor required).
        raise LoginError("staff_mfa_required", 403)
    return StaffIdentity(sub=sub, name=_text(claims.get(settings["STAFF_CLAIM_NAME"])), roles=roles)
