"""Delivering the outbox over SMTP: right after the request that wrote a message, and again
from `flask send-outbox` (cron or a scheduler) for whatever could not be sent then.

A message is written to `outbox_message` in the transaction of the change that caused it
(portal/notify/messages.py). When the request is over, the messages it queued are sent in a
fresh, short transaction of their own: the user's transaction is long committed, and a mail
server that is down costs a logged warning, never the user's request. A row that failed stays
pending with `attempts` and `last_error`; the command tries it again. Bodies and addresses are
never logged.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db import db, utcnow
from portal.notify.models import OutboxMessage

log = logging.getLogger(__name__)

# flask.g key: ids of the messages this request queued.
_QUEUED = "outbox_queued_ids"
# Seconds to wait for the mail server: the user's request at most AFTER_REQUEST_TIMEOUT for a
# dead one (the command tries again), the command SMTP_TIMEOUT.
AFTER_REQUEST_TIMEOUT = 5
SMTP_TIMEOUT = 30
# After this many failed attempts a message is left for a person to look at (docs).
MAX_ATTEMPTS = 10


class Unreachable(Exception):
    """The mail server could not be reached or refused the session: stop the batch."""


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


def deliver_after_request(message: OutboxMessage) -> None:
    """Remember a queued message so the end of this request delivers it (if it was committed)."""
    if has_app_context():
        g.setdefault(_QUEUED, []).append(message.id)


def init_app(app: Flask) -> None:
    """Deliver each request's committed messages when the request ends."""
    if "portal.notify" in app.extensions:
        return
    app.extensions["portal.notify"] = True

    @app.teardown_request
    def _deliver_queued(exc: BaseException | None) -> None:
        ids = g.pop(_QUEUED, None)
        if not ids:
            return
        try:
            # Rows of a transaction that was rolled back do not exist, and rows of one that is
            # still open are invisible here: only committed messages are sent.
            deliver(ids, timeout=AFTER_REQUEST_TIMEOUT)
        except Exception as error:
            log.warning("Outbox delivery after the request failed: %s", type(error).__name__)


class _Mailer:
    """One SMTP connection, opened at the first message and reused for the batch."""

    def __init__(self, settings: dict[str, str], timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s["SMTP_HOST"], int(s["SMTP_PORT"]), timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise Unreachable(exc) from exc
        try:
            if s["SMTP_STARTTLS"] == "1":
                smtp.starttls(context=ssl.create_default_context())
            if s["SMTP_USERNAME"]:
                smtp.login(s["SMTP_USERNAME"], s["SMTP_PASSWORD"])
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise Unreachable(exc) from exc
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(message)
        except BaseException:
            self.close()  # the session's state is unknown: start clean for the next message
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def build(row: OutboxMessage, sender: str) -> EmailMessage:
    """The e-mail for one outbox row: plain text, marked as automatic (RFC 3834)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow())
    # Stable across retries, so a receiving server can drop a duplicate.
    message["Message-ID"] = f"<{row.id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body, cte="quoted-printable")
    return message


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ if isinstance(exc, Unreachable) and exc.__cause__ else exc
    return f"{type(cause).__name__}: {cause}"[:1000]


def _log_failure(row: OutboxMessage, exc: BaseException) -> None:
    cause = exc.__cause__ if isinstance(exc, Unreachable) and exc.__cause__ else exc
    code = getattr(cause, "smtp_code", None)
    log.warning(
        "E-mail %s (%s) not delivered, attempt %d: %s%s",
        row.id,
        row.kind,
        row.attempts,
        type(cause).__name__,
        f" {code}" if code else "",
    )


def deliver(
    ids: Iterable[uuid.UUID] | None = None,
    *,
    limit: int | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    timeout: float = SMTP_TIMEOUT,
) -> DeliveryReport:
    """Send pending messages (the given ones, or all), oldest first, each in its own transaction.

    The row is locked while it is sent (FOR UPDATE SKIP LOCKED on PostgreSQL), so the command
    and a request's own delivery never send the same message twice.
    """
    settings = current_app.config["PORTAL"]
    report = DeliveryReport()
    query = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    if limit is not None:
        query = query.limit(limit)
    mailer = _Mailer(settings, timeout)
    with Session(db.engine) as session:
        candidates = list(session.scalars(query))
        session.rollback()  # end the read; each message gets its own transaction below
        try:
            for message_id in candidates:
                with session.begin():
                    row = session.scalars(
                        select(OutboxMessage)
                        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
                        .with_for_update(skip_locked=True)
                    ).first()
                    if row is None:
                        continue  # sent meanwhile, or being sent by another process
                    row.attempts += 1
                    try:
                        mailer.send(build(row, settings["MAIL_FROM"]))
                    except (Unreachable, OSError, smtplib.SMTPException, ValueError) as exc:
                        # ValueError: an address or subject the e-mail library refuses.
                        row.last_error = _describe(exc)
                        report.failed += 1
                        _log_failure(row, exc)
                        if isinstance(exc, Unreachable):
                            break  # the rest would fail the same way; they wait for the next run
                    else:
                        row.sent_at = utcnow()
                        row.last_error = None
                        report.sent += 1
        finally:
            mailer.close()
    return report


def pending_counts(max_attempts: int = MAX_ATTEMPTS) -> tuple[int, int]:
    """(still to be tried, given up after max_attempts) — both unsent."""
    waiting = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
    )
    given_up = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= max_attempts)
    )
    return int(waiting or 0), int(given_up or 0)
