"""E-mail notifications through a real SMTP server (the development sink, as a process).

The team is mailed when a form arrives, the citizen when staff change something they see —
each mail a link and plain instructions, never a name, an identity code, an answer or a note.
"""

from __future__ import annotations

import email
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from sqlalchemy import select

from portal.alkupalvelu.models import StaffMember
from portal.cases import workflow
from portal.cases.client_case import ClientCase
from portal.cases.models import Person, Submission
from portal.db import db
from portal.notify import delivery
from portal.notify.messages import mail_translations
from portal.notify.models import OutboxMessage
from portal.questionnaires import registry
from tests.conftest import ROOT, free_port
from tests.intake.test_journey import AADA, citizen, send

PUBLIC_URL = "https://portti.example.invalid"
CITIZEN_EMAIL = "aada.demola@example.invalid"
TEAM_EMAIL = "alkupalvelu.jyvaskyla@example.invalid"  # portal/demo.py, Jyväskylä
TEAM_SUBJECT = "Työkykyportti: uusi lomake jonossa"
CITIZEN_SUBJECT = "Työkykyportti: asiaasi on päivitetty"
SWEDISH_SUBJECT = "Arbetsförmågeporten: ditt ärende har uppdaterats"
STAFF_MESSAGE = "Selkäkipu ja uupumus: soitan huomenna terveystarkastuksesta."


@dataclass
class Sink:
    port: int
    directory: Path

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=default_policy)
            for path in sorted(self.directory.glob("*.eml"))
        ]

    def raw(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.directory.glob("*.eml")))

    def clear(self) -> None:
        for path in self.directory.glob("*.eml"):
            path.unlink()


@pytest.fixture(scope="module")
def smtp_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sink]:
    """`python -m portal.notify.sink` as its own process on a free port."""
    port, directory = free_port(), tmp_path_factory.mktemp("mail")
    proc = subprocess.Popen(
        [sys.executable, "-m", "portal.notify.sink", "--port", str(port), "--dir", str(directory)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the SMTP sink did not start") from None
                time.sleep(0.1)
        yield Sink(port, directory)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def sink(smtp_sink: Sink) -> Sink:
    smtp_sink.clear()
    return smtp_sink


@pytest.fixture
def mail_app(app: Flask, demo: None, sink: Sink) -> Flask:
    """The test app, delivering to the sink."""
    delivery.init_app(app)  # idempotent; portal/app.py does it too once wired
    app.config["PORTAL"].update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(sink.port),
        SMTP_STARTTLS="0",
        SMTP_USERNAME="",
        PUBLIC_URL=PUBLIC_URL,
    )
    return app


def personal_texts(submission: Submission) -> list[str]:
    """Everything about the person that must never be in an e-mail."""
    person = db.session.get(Person, submission.person_id)
    texts = [
        person.hetu,
        person.masked_hetu,
        person.given_names,
        person.family_name,
        CITIZEN_EMAIL,
        submission.reference,
    ]

    def walk(value: object) -> None:
        if isinstance(value, str) and len(value) >= 5:
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(submission.answers)
    assert "Testivastaus" in texts  # the sample free-text answer (tests/intake/journey.py)
    return texts


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_team_gets_a_link_and_nothing_personal(mail_app, sink):
    submission = send(citizen(mail_app, AADA), registry.get("esitieto"), {"email": CITIZEN_EMAIL})

    [mail] = sink.messages()
    assert mail["To"] == TEAM_EMAIL
    assert mail["X-Sink-Rcpt-To"] == TEAM_EMAIL
    assert mail["Subject"] == TEAM_SUBJECT
    assert mail["Auto-Submitted"] == "auto-generated"
    body = body_of(mail)
    assert f"{PUBLIC_URL}/henkilosto/" in body
    assert "ei voi vastata" in body
    raw = sink.raw()
    for text in personal_texts(submission):
        assert text not in body, text
        assert text not in raw, text
    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None


def _compile(directory: Path, language: str, domain: str, texts: dict[str, str]) -> None:
    catalog = Catalog(locale=language, domain=domain)
    for msgid, msgstr in texts.items():
        catalog.add(msgid, msgstr)
    target = directory / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / f"{domain}.mo", "wb") as out:
        write_mo(out, catalog)


def test_the_citizen_is_told_once_per_change_in_their_language(mail_app, sink, tmp_path):
    submission = send(citizen(mail_app, AADA), registry.get("esitieto"), {"email": CITIZEN_EMAIL})
    person = db.session.get(Person, submission.person_id)
    person.preferred_language = "sv"
    db.session.commit()
    # A Swedish catalog as `make catalogs` would compile it (the real one is the lead's).
    _compile(tmp_path, "sv", "messages", {CITIZEN_SUBJECT: SWEDISH_SUBJECT})
    mail_app.config["BABEL_TRANSLATION_DIRECTORIES"] += f";{tmp_path}"
    case_id = db.session.scalars(
        select(ClientCase.id).where(ClientCase.person_id == person.id)
    ).one()
    sanna = db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == "sanna.ohjaaja")
    ).one()
    sink.clear()

    # A change that is rolled back mails nobody.
    with mail_app.test_request_context("/henkilosto/"):
        workflow.add_entry(db.session.get(ClientCase, case_id), sanna, "message", STAFF_MESSAGE)
        db.session.rollback()
    assert sink.messages() == []
    assert db.session.scalars(select(OutboxMessage)).all() != []  # the team's, from sending
    assert all(m.kind == "team.new_case" for m in db.session.scalars(select(OutboxMessage)))

    # Claim and a message in one request: several events, one e-mail, after the commit.
    with mail_app.test_request_context("/henkilosto/"):
        case = db.session.get(ClientCase, case_id)
        assert workflow.claim(case, sanna).won
        workflow.add_entry(case, sanna, "message", STAFF_MESSAGE)
        db.session.commit()

    [mail] = sink.messages()
    assert mail["To"] == CITIZEN_EMAIL
    assert mail["Subject"] == SWEDISH_SUBJECT
    body = body_of(mail)
    assert f"{PUBLIC_URL}/oma-asia" in body
    assert STAFF_MESSAGE not in body and STAFF_MESSAGE not in sink.raw()
    assert CITIZEN_EMAIL not in body  # the recipient: in the headers only
    raw = sink.raw()
    for text in personal_texts(submission):
        if text != CITIZEN_EMAIL:
            assert text not in body, text
            assert text not in raw, text


def test_a_mail_server_that_is_down_loses_nothing(mail_app, sink, caplog):
    mail_app.config["PORTAL"]["SMTP_PORT"] = str(free_port())  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="portal.notify"):
        submission = send(citizen(mail_app, AADA), registry.get("esitieto"))  # still succeeds
    assert submission.team.email == TEAM_EMAIL
    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.sent_at is None and row.attempts == 1
    assert "ConnectionRefused" in row.last_error
    assert "not delivered" in caplog.text
    assert TEAM_EMAIL not in caplog.text and "jono" not in caplog.text
    assert sink.messages() == []

    mail_app.config["PORTAL"]["SMTP_PORT"] = str(sink.port)
    result = mail_app.test_cli_runner().invoke(args=["send-outbox"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 e-mails, 0 failed; 0 pending." in result.output
    db.session.expire_all()
    row = db.session.get(OutboxMessage, row.id)
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None
    [mail] = sink.messages()
    assert mail["To"] == TEAM_EMAIL and mail["Subject"] == TEAM_SUBJECT
    assert mail["Message-ID"] == f"<{row.id}@example.invalid>"

    again = mail_app.test_cli_runner().invoke(args=["send-outbox"])
    assert "Sent 0 e-mails" in again.output
    assert len(sink.messages()) == 1


def test_the_mail_language_follows_the_person(app, tmp_path):
    _compile(tmp_path, "fi", "selko", {CITIZEN_SUBJECT: "Työkykyportti: asiasi on muuttunut"})
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path)
    assert mail_translations("fi", "selko").gettext(CITIZEN_SUBJECT) == (
        "Työkykyportti: asiasi on muuttunut"
    )
    assert mail_translations("fi", "plain").gettext(CITIZEN_SUBJECT) == CITIZEN_SUBJECT
    assert mail_translations("xx", None).gettext(CITIZEN_SUBJECT) == CITIZEN_SUBJECT
