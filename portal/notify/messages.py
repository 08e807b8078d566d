"""What the portal e-mails, and to whom: never a name, an answer or a health detail — a link.

Messages are written to the outbox in the transaction of the change that caused them, so a
rolled-back change sends nothing and a committed one is never forgotten (portal/notify/delivery).

The citizen's e-mail is in their own language and register (Person.preferred_language,
preferred_register), read from the catalogs directly: the request's locale and register belong
to whoever is logged in (a staff member, usually), and a command has no request at all.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from babel import support
from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.alkupalvelu.models import Team
from portal.cases.client_case import ClientCase
from portal.cases.models import Person, PersonAnswer
from portal.db import db, new_id
from portal.notify import delivery
from portal.notify.models import OutboxMessage

# The shared question whose answer is the person's e-mail address (questionnaires/shared).
EMAIL_QUESTION = "email"
LANGUAGES = ("fi", "sv", "en")
# Team e-mails are in Finnish, the working language of the teams.
TEAM_LANGUAGE = "fi"
# Good enough to refuse typos and header tricks; the mail server judges the rest.
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


def portal_link(endpoint: str) -> str:
    """An absolute link from PUBLIC_URL, inside or outside a request (commands, jobs)."""
    base = urlsplit(current_app.config["PORTAL"]["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, force_external=True)


@lru_cache(maxsize=32)
def _catalog(directories: tuple[str, ...], language: str, register: str) -> support.Translations:
    translations = support.Translations()
    for directory in directories:
        translations.merge(support.Translations.load(directory, [language], "messages"))
        if language == "fi" and register == "selko":
            translations.merge(support.Translations.load(directory, [language], "selko"))
    return translations


def mail_translations(language: str | None, register: str | None = None) -> support.Translations:
    """The catalog for one recipient: fi (plain or selko), sv or en; Finnish when unknown."""
    language = language if language in LANGUAGES else "fi"
    directories = current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    return _catalog(tuple(directories), language, register or "plain")


# session.info key: the messages queued in the session's current transaction, by (to, kind).
_THIS_TRANSACTION = "outbox_this_transaction"


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_over(session: Session, *args: object) -> None:
    session.info.pop(_THIS_TRANSACTION, None)


def _queue(to_address: str | None, kind: str, subject: str, body: str) -> OutboxMessage | None:
    if not to_address or not _ADDRESS.fullmatch(to_address):
        return None
    queued = db.session.info.setdefault(_THIS_TRANSACTION, {})
    if (to_address, kind) in queued:
        # One change often writes several events (claim + status): one e-mail is enough.
        return queued[(to_address, kind)]
    message = OutboxMessage(
        id=new_id(), to_address=to_address, kind=kind, subject=subject, body=body
    )
    db.session.add(message)
    queued[(to_address, kind)] = message
    delivery.deliver_after_request(message)
    return message


def notify_team_new_case(team: Team, case: ClientCase) -> OutboxMessage | None:
    """A new case (or a new form in an open case) arrived in the team's queue."""
    t = mail_translations(TEAM_LANGUAGE)
    link = portal_link("alkupalvelu.inbox")
    body = "\n\n".join(
        [
            # Translators: an e-mail to a staff team; each text is a paragraph of plain text.
            t.gettext("Tiimin alkupalvelun jonoon on tullut lomake."),
            # Translators: %(link)s is the address of the team's queue.
            t.gettext("Avaa jono kirjautumalla: %(link)s") % {"link": link},
            t.gettext("Viestissä ei ole asiakkaan tietoja."),
            t.gettext("Tämä viesti on lähetetty automaattisesti. Siihen ei voi vastata."),
        ]
    )
    return _queue(
        team.email,
        "team.new_case",
        t.gettext("Työkykyportti: uusi lomake jonossa"),
        body + "\n",
    )


def citizen_address(person_id: object) -> str | None:
    answer = db.session.scalars(
        select(PersonAnswer).where(
            PersonAnswer.person_id == person_id, PersonAnswer.question_id == EMAIL_QUESTION
        )
    ).first()
    value = answer.value if answer else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def notify_citizen_case_changed(case: ClientCase) -> OutboxMessage | None:
    """Something changed in the person's case (status, message, plan): a link, nothing more."""
    address = citizen_address(case.person_id)
    if address is None:
        return None
    person = db.session.get(Person, case.person_id)
    t = mail_translations(
        person.preferred_language if person else None,
        person.preferred_register if person else None,
    )
    link = portal_link("my_case.overview")
    body = "\n\n".join(
        [
            # Translators: an e-mail to the citizen; each text is a paragraph of plain text.
            t.gettext("Hei!"),
            t.gettext("Asiaasi Työkykyportissa on päivitetty."),
            # Translators: %(link)s is the address of the citizen's case page.
            t.gettext("Näet tiedot kirjautumalla: %(link)s") % {"link": link},
            t.gettext("Viestissä ei ole henkilötietojasi."),
            t.gettext("Tämä viesti on lähetetty automaattisesti. Siihen ei voi vastata."),
        ]
    )
    return _queue(
        address,
        "citizen.case_changed",
        t.gettext("Työkykyportti: asiaasi on päivitetty"),
        body + "\n",
    )
