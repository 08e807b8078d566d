"""What the portal e-mails, and to whom: never a name, an answer or a health detail — a link.

Messages are written to the outbox in the transaction of the change that caused them, so a
rolled-back change sends nothing and a committed one is never forgotten (portal/notify/delivery).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from portal.alkupalvelu.models import Team
from portal.cases.client_case import ClientCase
from portal.cases.models import PersonAnswer
from portal.db import db
from portal.notify.models import OutboxMessage

# The shared question whose answer is the person's e-mail address (questionnaires/shared).
EMAIL_QUESTION = "email"


def portal_link(endpoint: str) -> str:
    """An absolute link from PUBLIC_URL, inside or outside a request (commands, jobs)."""
    base = urlsplit(current_app.config["PORTAL"]["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, force_external=True)


def _queue(to_address: str | None, kind: str, subject: str, body: str) -> OutboxMessage | None:
    if not to_address:
        return None
    message = OutboxMessage(to_address=to_address, kind=kind, subject=subject, body=body)
    db.session.add(message)
    return message


def notify_team_new_case(team: Team, case: ClientCase) -> OutboxMessage | None:
    """A new case (or a new form in an open case) arrived in the team's queue."""
    link = portal_link("alkupalvelu.inbox")
    return _queue(
        team.email,
        "team.new_case",
        "Työkykyportti: uusi lomake jonossa",
        "Tiimin alkupalvelun jonoon on saapunut lomake.\n\n"
        f"Avaa jono kirjautumalla: {link}\n\n"
        "Viestissä ei ole asiakkaan tietoja.",
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
    link = portal_link("my_case.overview")
    return _queue(
        citizen_address(case.person_id),
        "citizen.case_changed",
        "Työkykyportti: asiaasi on päivitetty",
        "Hei,\n\nasiaasi Työkykyportissa on päivitetty.\n"
        f"Näet tiedot kirjautumalla: {link}\n\n"
        "Tähän viestiin ei voi vastata. Viestissä ei ole henkilötietojasi.",
    )
