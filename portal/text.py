"""Free text written by staff, shown as HTML: escaped, line breaks kept, addresses made links.

Messages to the client and notes are plain text. bleach's linkify turns web addresses and
e-mail addresses into links on already-escaped text, so nothing a writer types can become
markup; links get rel="nofollow noopener" because their targets are not ours.
"""

from __future__ import annotations

from bleach.linkifier import DEFAULT_CALLBACKS, TLDS, Linker, build_email_re, build_url_re
from markupsafe import Markup, escape

# Longest first, so `.in` does not cut `.invalid` (the reserved test domain) short.
_TLDS = sorted({*TLDS, "invalid", "test"}, key=len, reverse=True)


def _no_opener(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    attrs[(None, "class")] = "govuk-link"
    return attrs


_LINKER = Linker(
    callbacks=[*DEFAULT_CALLBACKS, _no_opener],
    url_re=build_url_re(tlds=_TLDS),
    email_re=build_email_re(tlds=_TLDS),
    parse_email=True,
)


def text_to_html(value: str | None) -> Markup:
    """Plain text → safe HTML paragraph content with <br> for line breaks and linked URLs."""
    if not value:
        return Markup("")
    escaped = str(escape(value.strip()))
    linked = _LINKER.linkify(escaped)
    return Markup(linked.replace("\r\n", "\n").replace("\n", "<br>\n"))  # noqa: S704
