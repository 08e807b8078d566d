"""Language (fi, later sv and en) and register (plain Finnish or selkokieli), in one place.

Babel carries only a language in a locale name (`Locale.parse('fi_FI_SELKO')` drops the variant),
so the register is its own dimension: a second gettext domain, `selko`, whose msgids are the
plain-Finnish source texts and whose msgstrs are their easy-to-read rewrites.
"""

from __future__ import annotations

from typing import Any

from babel import support
from flask import Flask, request, session
from flask_babel import Babel, Domain, get_locale

LANGUAGES = ("fi",)  # sv and en arrive with their catalogs
REGISTERS = ("plain", "selko")


def current_language() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "fi"


def current_register() -> str:
    register = session.get("register")
    return register if register in REGISTERS else "plain"


class RegisterDomain(Domain):
    """The default domain, but in selkokieli it reads the `selko` catalog first."""

    def get_translations(self) -> support.NullTranslations:
        locale = get_locale()
        register = current_register() if str(locale) == "fi" else "plain"
        key = (str(locale), register)
        if key not in self.cache:
            translations = support.Translations()
            for dirname in self.translation_directories:
                translations.merge(support.Translations.load(dirname, [locale], "messages"))
                if register == "selko":
                    translations.merge(support.Translations.load(dirname, [locale], "selko"))
            self.cache[key] = translations
        return self.cache[key]


def init_app(app: Flask) -> None:
    babel = Babel()
    babel.init_app(app, locale_selector=current_language)
    domain = RegisterDomain()

    @app.before_request
    def _use_register_domain() -> None:
        domain.as_default()
        # A query parameter switches language or register on any page, without JavaScript.
        for param, allowed, key in (
            ("kieli", LANGUAGES, "lang"),
            ("selkokieli", ("0", "1"), "register"),
        ):
            value = request.args.get(param)
            if value in allowed:
                session[key] = value if key == "lang" else ("selko" if value == "1" else "plain")

    @app.context_processor
    def _i18n_context() -> dict[str, Any]:
        return {"current_language": current_language(), "current_register": current_register()}
