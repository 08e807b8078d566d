"""Language (fi, sv, en) and register (plain Finnish or selkokieli), in one place.

Babel carries only a language in a locale name (`Locale.parse('fi_FI_SELKO')` drops the variant),
so the register is its own dimension: a second gettext domain, `selko`, whose msgids are the
plain-Finnish source texts and whose msgstrs are their easy-to-read rewrites.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel import support
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale, refresh

from portal.cases.models import Person
from portal.db import db

LANGUAGES = ("fi", "sv", "en")
# Each language named in itself, as a language menu should (with lang= on the link).
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
REGISTERS = ("plain", "selko")
_SWITCHES = (("kieli", LANGUAGES, "lang"), ("selkokieli", ("0", "1"), "register"))


def current_language() -> str:
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "fi"


def current_register() -> str:
    register = session.get("register")
    return register if register in REGISTERS else "plain"


class RegisterDomain(Domain):
    """The default domain, but in selkokieli it reads the `selko` catalog first."""

    def get_translations(self) -> support.NullTranslations:
        # Asked once per text: the answer is kept for the rest of the request (a page with a
        # long table calls gettext hundreds of times; bench/inbox.py measures it).
        if has_request_context() and "portal_translations" in g:
            return g.portal_translations
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
        if has_request_context():
            g.portal_translations = self.cache[key]
        return self.cache[key]


def init_app(app: Flask) -> None:
    babel = Babel()
    babel.init_app(app, locale_selector=current_language)
    domain = RegisterDomain()

    @app.before_request
    def _use_register_domain() -> None:
        refresh()  # locale is chosen per request; never carried over from a reused context
        g.pop("portal_translations", None)
        domain.as_default()
        # A query parameter switches language or register on any page, without JavaScript.
        changed = False
        for param, allowed, key in _SWITCHES:
            value = request.args.get(param)
            if value in allowed:
                session[key] = value if key == "lang" else ("selko" if value == "1" else "plain")
                changed = True
        if changed:
            remember_for_person()

    # Templates ask our domain directly: Flask-Babel's own callables look the domain up through
    # its context on every text, which on a 50-row staff table was a tenth of the page's time.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.context_processor
    def _i18n_context() -> dict[str, Any]:
        return {
            "current_language": current_language(),
            "current_register": current_register(),
            "language_names": LANGUAGE_NAMES,
            "switch_url": switch_url,
        }


def switch_url(**params: str) -> str:
    """This page again with a language or register switch; its other query arguments kept."""
    args = {k: v for k, v in request.args.items() if k not in {p for p, _, _ in _SWITCHES}}
    args.update(params)
    return request.path + ("?" + urlencode(args) if args else "")


def remember_for_person() -> None:
    """Store the choice on the logged-in person, so it follows them to the next login."""
    from portal.auth.access import current_actor  # the door knows who is in

    person = current_actor() if session.get("person_id") else None
    if person is not None:
        person.preferred_language = current_language()
        person.preferred_register = current_register()
        db.session.commit()


def restore_at_login(person: Person) -> None:
    """At login: a choice made just before it wins and is stored; otherwise the stored one."""
    if "lang" in session or "register" in session:
        person.preferred_language = current_language()
        person.preferred_register = current_register()
    else:
        if person.preferred_language in LANGUAGES:
            session["lang"] = person.preferred_language
        if person.preferred_register in REGISTERS:
            session["register"] = person.preferred_register
