"""Human-friendly reference numbers: short, unambiguous to read aloud on the phone."""

from __future__ import annotations

import secrets

# Crockford-style alphabet without 0/O, 1/I/L and U, so a reference survives being dictated.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "TK") -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"
