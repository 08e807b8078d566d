"""Friendly error pages in plain Finnish.

`register_error_handlers(app)` is called from create_app. A page that does not exist and a
page that belongs to someone else both answer with the same 404 page, so an error never
tells whether something exists.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("portal.errors")

# Status code -> template. Everything else falls back to Werkzeug's own page.
ERROR_TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    500: "errors/500.html",
}

# Last resort when even the error template fails (e.g. a broken base template).
FALLBACK_500 = (
    '<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">'
    "<title>Palvelussa on häiriö – Työkykyportti</title></head><body>"
    "<h1>Palvelussa on häiriö</h1>"
    "<p>Yritä hetken kuluttua uudelleen.</p>"
    '<p><a href="/">Siirry etusivulle</a></p></body></html>'
)


def _render(code: int) -> tuple[str, int]:
    return render_template(ERROR_TEMPLATES[code]), code


def register_error_handlers(app: Flask) -> None:
    """Serve templates/errors/<code>.html for 400, 403, 404 and 500."""

    def handle_http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code if error.code in ERROR_TEMPLATES else 500
        return _render(code)

    for code in (400, 403, 404):
        # Subclasses are covered too: Flask-WTF's CSRFError is a 400.
        app.register_error_handler(code, handle_http_error)

    @app.errorhandler(InternalServerError)
    def handle_server_error(error: InternalServerError) -> tuple[str, int]:
        # A failed request may leave the database session in a broken transaction.
        try:
            from portal.db import db

            db.session.rollback()
        except Exception:  # the error page must render regardless
            log.exception("rollback after an internal error failed")
        try:
            return _render(500)
        except Exception:
            log.exception("the 500 error page could not be rendered")
            return FALLBACK_500, 500
