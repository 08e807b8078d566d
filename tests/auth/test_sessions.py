"""Login sessions live in the database: the cookie is only a key, and logout really ends it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from portal.auth.sessions import COOKIE_NAME, WebSession, _hash, prune_expired
from portal.db import db, utcnow
from portal.devidp.users import CITIZEN_SUBS
from tests.conftest import csrf_token, oidc_login

AADA = CITIZEN_SUBS["010280-952L"]


def _cookie(client):
    cookie = client.get_cookie(COOKIE_NAME)
    return cookie.value if cookie else None


def _rows() -> int:
    return db.session.scalar(select(func.count()).select_from(WebSession))


def test_the_cookie_is_only_a_key_to_a_stored_session(client):
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    key = _cookie(client)
    assert key and "." not in key  # not a signed payload
    row = db.session.get(WebSession, _hash(key))
    assert row is not None and "person_id" in row.data
    assert "010280" not in key


def test_login_rotates_the_key(client):
    client.get("/lomake/esitieto")  # an anonymous session remembering where to return
    before = _cookie(client)
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    after = _cookie(client)
    assert before and after and before != after
    assert db.session.get(WebSession, _hash(before)) is None


def test_logout_deletes_the_stored_session(client):
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    key = _cookie(client)
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/kirjaudu-ulos", data={"csrf_token": token})
    row = db.session.get(WebSession, _hash(key))
    assert row is None or "person_id" not in row.data
    # Replaying the old cookie does not bring the login back.
    client.set_cookie(COOKIE_NAME, key)
    assert client.get("/lomake/esitieto").status_code == 302


def test_an_expired_session_is_not_honoured_and_can_be_pruned(client):
    oidc_login(client, "/kirjaudu/suomifi", AADA)
    key = _cookie(client)
    db.session.execute(
        update(WebSession)
        .where(WebSession.key_hash == _hash(key))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    assert client.get("/lomake/esitieto").status_code == 302  # to the login
    assert prune_expired() >= 1
    assert db.session.get(WebSession, _hash(key)) is None


def test_a_made_up_cookie_gives_an_empty_session(client):
    client.set_cookie(COOKIE_NAME, "guess")
    assert client.get("/lomake/esitieto").status_code == 302
    assert _rows() == 0 or db.session.get(WebSession, _hash("guess")) is None
