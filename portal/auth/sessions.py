"""Login sessions kept in the database; the cookie holds only a random key to them.

Why not Flask's signed cookie: its contents are readable by anyone holding the cookie (the ID
token there may carry personal claims), and a signed cookie cannot be revoked at logout. Here
logout deletes the row, expiry is checked on the server, and the key changes whenever the
logged-in identity changes (no session fixation). Only a hash of the key is stored, so a copy
of the table does not let anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import Connection, DateTime, String, Text, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import CallbackDict

from portal.db import db, utcnow

COOKIE_NAME = "tyokykyportti_session"
# Writing the expiry on every request would turn each page view into a database write.
REFRESH_AFTER = timedelta(minutes=1)
_IDENTITY_KEYS = ("person_id", "staff_id")


class WebSession(db.Model):
    __tablename__ = "web_session"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):  # type: ignore[misc]
    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        key: str | None = None,
        refreshed_at: datetime | None = None,
    ) -> None:
        def on_update(_: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.key = key
        self.refreshed_at = refreshed_at
        self.loaded_identity = tuple((initial or {}).get(k) for k in _IDENTITY_KEYS)
        self.modified = False

    @property
    def identity(self) -> tuple[Any, ...]:
        return tuple(self.get(k) for k in _IDENTITY_KEYS)


class DatabaseSessionInterface(SessionInterface):
    serializer = TaggedJSONSerializer()

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        key = request.cookies.get(COOKIE_NAME)
        if not key:
            return ServerSession()
        row = db.session.execute(
            select(WebSession.data, WebSession.expires_at, WebSession.refreshed_at).where(
                WebSession.key_hash == _hash(key)
            )
        ).first()
        if row is None or _aware(row.expires_at) <= utcnow():
            return ServerSession()  # unknown or expired: a fresh, empty session
        return ServerSession(
            self.serializer.loads(row.data), key=key, refreshed_at=_aware(row.refreshed_at)
        )

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        response.vary.add("Cookie")
        now = utcnow()
        lifetime = app.permanent_session_lifetime
        cookie = {
            "httponly": True,
            "secure": app.config["SESSION_COOKIE_SECURE"],
            "samesite": "Lax",
            "path": "/",
        }
        with db.engine.begin() as conn:
            if not session:
                if session.key:
                    _forget(conn, session.key)
                    response.delete_cookie(COOKIE_NAME, path="/")
                return
            rotate = session.key is not None and session.identity != session.loaded_identity
            if session.key is None or rotate:
                if rotate:
                    _forget(conn, session.key)
                session.key = secrets.token_urlsafe(32)
                conn.execute(
                    insert(WebSession).values(
                        key_hash=_hash(session.key),
                        data=self.serializer.dumps(dict(session)),
                        expires_at=now + lifetime,
                        refreshed_at=now,
                    )
                )
                response.set_cookie(COOKIE_NAME, session.key, **cookie)
                return
            stale = session.refreshed_at is None or now - session.refreshed_at > REFRESH_AFTER
            if session.modified or stale:
                conn.execute(
                    update(WebSession)
                    .where(WebSession.key_hash == _hash(session.key))
                    .values(
                        data=self.serializer.dumps(dict(session)),
                        expires_at=now + lifetime,
                        refreshed_at=now,
                    )
                )


def _forget(conn: Connection, key: str) -> None:
    conn.execute(delete(WebSession).where(WebSession.key_hash == _hash(key)))


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def prune_expired() -> int:
    """Delete expired sessions; returns how many went."""
    with db.engine.begin() as conn:
        return conn.execute(delete(WebSession).where(WebSession.expires_at <= utcnow())).rowcount


def init_app(app: Flask) -> None:
    app.session_interface = DatabaseSessionInterface()
