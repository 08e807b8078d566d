"""Finnish personal identity codes (henkilötunnus): checked by python-stdnum, never shown whole."""

from __future__ import annotations

from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.fi import hetu as stdnum_hetu

_CENTURY = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}


class InvalidHetu(ValueError):
    pass


def validate(code: str, *, allow_test_codes: bool) -> str:
    """Return the compact code, or raise InvalidHetu.

    Individual numbers 900–999 are reserved for test identities; they are only accepted where
    the configuration says so (development, test, Suomi.fi's test environment).
    """
    try:
        return stdnum_hetu.validate(code, allow_temporary=allow_test_codes)
    except ValidationError as exc:
        raise InvalidHetu(str(exc)) from None


def is_test_code(code: str) -> bool:
    return 900 <= int(code[7:10]) <= 999


def birth_date(code: str) -> date:
    return date(_CENTURY[code[6]] + int(code[4:6]), int(code[2:4]), int(code[0:2]))


def age_on(code: str, day: date) -> int:
    """Age in whole years on `day`, from the birth date in the code."""
    born = birth_date(code)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def mask(code: str) -> str:
    """The birth date part only: enough for a person to recognise their own record."""
    return code[:7] + "****"
