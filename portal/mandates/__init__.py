"""Suomi.fi-valtuudet (mandates): may a delegate act on behalf of a principal in our matter?

`portal.mandates.client` is the one interface the portal uses (see its docstring for the flow);
`portal.mandates.devservice` is the development stand-in for the real service. docs/mandates.md
describes both.
"""

from portal.mandates.client import (
    MandateError,
    Mandates,
    Principal,
    Registration,
    ValtuudetClient,
    checksum_header,
    from_app,
)

__all__ = [
    "MandateError",
    "Mandates",
    "Principal",
    "Registration",
    "ValtuudetClient",
    "checksum_header",
    "from_app",
]
