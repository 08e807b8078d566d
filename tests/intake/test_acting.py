"""Acting on someone's behalf with a Suomi.fi mandate, helping beside, and per-answer authorship.

Everything goes through the real parts: the delegate logs in through the development
identity provider, picks the principal at the development mandate service (its own process,
over HTTP), and the portal's mandate client asks that service. Refusals: no mandate, expired,
revoked, another matter, a service error, a minor, oneself, revoked mid-session — each refused
with nothing leaked and nothing of the principal's lost.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.cases.models import Consent, Draft, Person, Submission
from portal.db import db
from portal.questionnaires import registry
from tests.conftest import csrf_token
from tests.intake.journey import begin, fill_all, fill_page
from tests.intake.test_journey import AADA, citizen, send

HELENA = "110573-957U"  # the delegate
PERTTI = "030482-9587"  # valid mandate
OUTI = "170961-959W"  # expired
REIJO = "091155-961V"  # revoked
VAINO = "120668-956Y"  # a mandate for another matter
EERO = "220388-962B"  # the service answers with an error
MINNA = "050712A9631"  # a minor


def choose_principal(client: FlaskClient, principal: str | None) -> tuple[int, str]:
    """Start acting, pick `principal` at the mandate service (None: cancel), come back."""
    start = client.get("/kuka-tayttaa/puolesta")
    assert start.status_code == 302, start.get_data(as_text=True)[:500]
    authorize = start.headers["Location"]
    page = requests.get(authorize, timeout=10)
    assert page.status_code == 200
    if principal is None:
        cancel = re.search(r'href="([^"]*error=access_denied[^"]*)"', page.text).group(1)
        back = urlsplit(cancel.replace("&amp;", "&"))
    else:
        chosen = requests.post(
            authorize, data={"principal": principal}, allow_redirects=False, timeout=10
        )
        assert chosen.status_code == 302, chosen.text[:300]
        back = urlsplit(chosen.headers["Location"])
    result = client.get(f"{back.path}?{back.query}")
    return result.status_code, result.get_data(as_text=True)


def helena_for(app: Flask, principal: str) -> FlaskClient:
    client = citizen(app, HELENA)
    status, body = choose_principal(client, principal)
    assert status == 302, body[:800]
    return client


def test_login_asks_who_is_filling_in(app, demo):
    client = citizen(app, AADA)
    html = client.get("/kuka-tayttaa").get_data(as_text=True)
    assert "Kenen asioita hoidat?" in html
    assert "Täytätkö lomaketta itsellesi, autatko läheistäsi" in html
    response = client.post("/kuka-tayttaa", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 400
    assert "Valitse, kenen asioita hoidat nyt." in response.get_data(as_text=True)
    response = client.post(
        "/kuka-tayttaa", data={"csrf_token": csrf_token(html), "filling": "self"}
    )
    assert response.headers["Location"] == "/"


def test_a_delegate_fills_and_sends_the_saate_and_the_principal_confirms(app, demo):
    client = helena_for(app, PERTTI)
    home = client.get("/").get_data(as_text=True)
    assert "Asioit henkilön Pertti Testi Päämies puolesta" in home
    begin(client, registry.get("saate"))
    page = client.get("/lomake/saate/sivu/tayttaminen").get_data(as_text=True)
    assert 'value="Helena Testi Auttaja"' in page
    assert "030482" not in home  # never the identity code
    assert "Oman arvion tulokset" not in home  # the principal's own pages are not offered

    q = registry.get("saate")
    submission = send(client, q)
    pertti = db.session.scalars(select(Person).where(Person.hetu == PERTTI)).one()
    helena = db.session.scalars(select(Person).where(Person.hetu == HELENA)).one()
    assert submission.person_id == pertti.id
    assert submission.delegate_id == helena.id and submission.sent_by_id == helena.id
    assert set(submission.authors.values()) == {str(helena.id)}
    assert submission.confirmed_at is None
    assert "filled_by_other" in {f["id"] for f in submission.flags}
    # Consents in the saate were given by her mandate, and say so.
    consents = db.session.scalars(select(Consent).where(Consent.person_id == pertti.id)).all()
    assert consents and {c.given_by_id for c in consents} == {helena.id}
    # Nothing of it went to Helena's own record.
    assert (
        db.session.scalars(select(Submission).where(Submission.person_id == helena.id)).all() == []
    )

    actions = {
        (e.actor_kind, e.action)
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.person_id == pertti.id))
    }
    assert {
        ("delegate", "mandate.acting_started"),
        ("delegate", "draft.started"),
        ("delegate", "draft.saved"),
        ("delegate", "submission.sent"),
    } <= actions

    # Pertti logs in himself: he sees what was filled for him, marked, and confirms it.
    own = citizen(app, PERTTI)
    home = own.get("/").get_data(as_text=True)
    assert "Joku on täyttänyt lomakkeen puolestasi" in home
    review_url = f"/puolestasi/lahetys/{submission.id}"
    assert review_url in home
    review = own.get(review_url).get_data(as_text=True)
    assert "Vastauksen antoi Helena Testi Auttaja" in review
    response = own.post(review_url + "/vahvista", data={"csrf_token": csrf_token(review)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).confirmed_at is not None
    assert "Joku on täyttänyt lomakkeen puolestasi" not in own.get("/").get_data(as_text=True)
    consents_page = own.get("/omat-tiedot/suostumukset").get_data(as_text=True)
    assert "Helena Testi Auttaja antoi suostumuksen puolestasi" in consents_page


def test_the_principal_can_change_a_sent_form_with_a_correction(app, demo):
    client = helena_for(app, PERTTI)
    first = send(client, registry.get("esitieto"))
    own = citizen(app, PERTTI)
    review = own.get(f"/puolestasi/lahetys/{first.id}").get_data(as_text=True)
    response = own.post(
        f"/puolestasi/lahetys/{first.id}/korjaa", data={"csrf_token": csrf_token(review)}
    )
    assert response.headers["Location"] == "/lomake/esitieto/tarkista"
    check = own.get("/lomake/esitieto/tarkista").get_data(as_text=True)
    assert "Vastauksen antoi Helena Testi Auttaja" in check
    draft_id = check.split('name="draft_id" value="')[1].split('"')[0]
    own.post(
        "/lomake/esitieto/laheta", data={"csrf_token": csrf_token(check), "draft_id": draft_id}
    )
    correction = db.session.scalars(
        select(Submission).where(Submission.corrects_id == first.id)
    ).one()
    assert correction.sent_by_id == correction.person_id
    assert correction.confirmed_at is not None  # sent by the person from the check page
    assert correction.case_id == first.case_id
    assert "Joku on täyttänyt lomakkeen puolestasi" not in own.get("/").get_data(as_text=True)


def test_an_answer_the_principal_changes_becomes_theirs(app, demo):
    q = registry.get("saate")
    client = helena_for(app, PERTTI)
    location = begin(client, q)
    for page in q.pages[:3]:
        location = fill_page(client, location, page).headers["Location"]
    helena = db.session.scalars(select(Person).where(Person.hetu == HELENA)).one()
    draft = db.session.scalars(select(Draft)).one()
    assert draft.delegate_id == helena.id
    assert draft.authors and set(draft.authors.values()) == {str(helena.id)}

    own = citizen(app, PERTTI)
    home = own.get("/").get_data(as_text=True)
    assert f"/puolestasi/luonnos/{draft.id}" in home
    # He goes on with the draft himself: the pages he saves are his answers.
    check = fill_all(own, q, own.get(f"/lomake/{q.id}/jatka").headers["Location"])
    db.session.expire_all()
    draft = db.session.get(Draft, draft.id)
    pertti_id = str(draft.person_id)
    assert pertti_id in set(draft.authors.values())
    assert str(helena.id) in set(draft.authors.values())  # unchanged answers keep their author
    assert own.get(check).status_code == 200


@pytest.mark.parametrize(
    ("principal", "heading"),
    [
        (OUTI, "Sinulla ei ole valtuutta asioida tämän henkilön puolesta"),
        (REIJO, "Sinulla ei ole valtuutta asioida tämän henkilön puolesta"),
        (VAINO, "Sinulla ei ole valtuutta asioida tämän henkilön puolesta"),
        (EERO, "Sinulla ei ole valtuutta asioida tämän henkilön puolesta"),
        (MINNA, "Alaikäisen puolesta ei voi asioida tässä palvelussa"),
    ],
    ids=["expired", "revoked", "other-matter", "service-error", "minor"],
)
def test_bad_mandates_are_refused_kindly(app, demo, principal, heading):
    client = citizen(app, HELENA)
    status, body = choose_principal(client, principal)
    assert status == 403
    assert heading in body
    assert "Asioit henkilön" not in body
    assert principal not in body
    # Still in her own affairs: her own pages work, no one else's.
    home = client.get("/").get_data(as_text=True)
    assert "Omat lomakkeet" in home and "Asioit henkilön" not in home
    assert client.get("/oma-asia").status_code == 200


def test_cancelling_at_the_mandate_service_is_not_an_error(app, demo):
    client = citizen(app, HELENA)
    status, body = choose_principal(client, None)
    assert status == 403
    assert "Henkilön valinta keskeytyi" in body


def test_the_service_unreachable_refuses(app, demo):
    app.config["PORTAL"] = {**app.config["PORTAL"], "MANDATES_URL": "http://127.0.0.1:9"}
    client = citizen(app, HELENA)
    response = client.get("/kuka-tayttaa/puolesta")
    assert response.status_code == 403
    assert "Valtuuksia ei voitu tarkistaa juuri nyt" in response.get_data(as_text=True)


def test_a_delegate_sees_only_what_they_started(app, demo):
    # Pertti has sent a self-assessment and started an esitieto himself.
    own = citizen(app, PERTTI)
    own_submission = send(own, registry.get("omaarvio"))
    begin(own, registry.get("esitieto"))
    own_draft = db.session.scalars(select(Draft)).one()
    aada_submission = send(citizen(app, AADA), registry.get("esitieto"))

    client = helena_for(app, PERTTI)
    home = client.get("/").get_data(as_text=True)
    assert own_submission.reference not in home
    assert "Hänellä itsellään kesken" in home
    # Not his draft, not his sent forms, not his results, case, plan, consents or access log.
    assert client.get("/lomake/esitieto/tarkista").headers["Location"] == "/lomake/esitieto"
    start = client.get("/lomake/esitieto").get_data(as_text=True)
    assert "on itse aloittanut tämän lomakkeen" in start
    response = client.post("/lomake/esitieto", data={"csrf_token": csrf_token(start)})
    assert response.headers["Location"] == "/lomake/esitieto"
    assert client.get(f"/lahetykset/{own_submission.id}").status_code == 404
    assert client.get(f"/lahetykset/{own_submission.id}/vastaukset").status_code == 404
    assert client.get(f"/lahetykset/{aada_submission.id}").status_code == 404
    for path in (
        "/oma-asia",
        "/omat-tiedot/kasittelyloki",
        "/omat-tiedot/suostumukset",
        "/tulokset/omaarvio",
        f"/puolestasi/luonnos/{own_draft.id}",
    ):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert (
            "Pertti"
            not in response.get_data(as_text=True)
            .split("</header>")[-1]
            .split("Asioit henkilön")[0]
        ), path
    # The self-assessment is the person's own view: not filled on someone's behalf.
    response = client.get("/lomake/omaarvio")
    assert response.status_code == 403
    assert "Tätä lomaketta ei voi täyttää toisen puolesta" in response.get_data(as_text=True)
    # Pertti's draft is untouched.
    db.session.expire_all()
    assert db.session.get(Draft, own_draft.id).delegate_id is None


def test_revocation_mid_session_refuses_the_send_and_keeps_the_answers(app, demo, mandate_service):
    q = registry.get("saate")
    client = helena_for(app, PERTTI)
    check = fill_all(client, q, begin(client, q))
    html = client.get(check).get_data(as_text=True)
    draft_id = html.split('name="draft_id" value="')[1].split('"')[0]
    mandate_service.revoke(PERTTI)

    response = client.post(
        f"/lomake/{q.id}/laheta", data={"csrf_token": csrf_token(html), "draft_id": draft_id}
    )
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Valtuutus ei ole enää voimassa" in body
    assert "Mitään ei kadonnut" in body
    assert db.session.scalars(select(Submission)).all() == []
    draft = db.session.scalars(select(Draft)).one()
    assert draft.answers and draft.delegate_id is not None
    # Back in her own affairs; the draft is Pertti's to see and send.
    assert "Asioit henkilön" not in client.get("/").get_data(as_text=True)
    own = citizen(app, PERTTI)
    assert own.get(check).status_code == 200
    pertti = db.session.scalars(select(Person).where(Person.hetu == PERTTI)).one()
    assert db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.person_id == pertti.id, AuditEvent.action == "mandate.lost"
        )
    ).one()


def test_a_stale_mandate_answer_is_asked_again_before_a_page_is_shown(app, demo, mandate_service):
    app.config["PORTAL"] = {**app.config["PORTAL"], "MANDATES_RECHECK_SECONDS": "0"}
    client = helena_for(app, PERTTI)
    assert client.get("/").status_code == 200
    mandate_service.set(PERTTI, valid_until="2020-01-01")
    response = client.get("/")
    assert response.status_code == 403
    assert "Valtuutus ei ole enää voimassa" in response.get_data(as_text=True)


def test_acting_for_oneself_is_refused(app, demo, mandate_service):
    records = mandate_service.records()
    records.append({**records[0], "principal": HELENA, "principal_name": "Helena Testi Auttaja"})
    from portal.mandates.devservice import write_store

    write_store(mandate_service.store, records)
    client = citizen(app, HELENA)
    status, body = choose_principal(client, HELENA)
    assert status == 403
    assert "Valitsit itsesi" in body


def test_switching_back_to_own_affairs(app, demo):
    client = helena_for(app, PERTTI)
    html = client.get("/").get_data(as_text=True)
    response = client.post("/kuka-tayttaa/omat-asiat", data={"csrf_token": csrf_token(html)})
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Asioit henkilön" not in home and "Omat lomakkeet" in home
    assert client.get("/oma-asia").status_code == 200


def test_a_helper_beside_is_recorded_with_the_answers(app, demo):
    client = citizen(app, AADA)
    html = client.get("/kuka-tayttaa/vieressa").get_data(as_text=True)
    response = client.post(
        "/kuka-tayttaa/vieressa", data={"csrf_token": csrf_token(html), "name": ""}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kirjoita auttajan nimi" in body and "Valitse, kuka auttaja on sinulle." in body
    client.post(
        "/kuka-tayttaa/vieressa",
        data={"csrf_token": csrf_token(html), "name": "Maija Testi", "relation": "sisarus"},
    )
    assert "Maija Testi auttaa sinua täyttämään" in client.get("/").get_data(as_text=True)
    # The saate's own "who filled this in" is offered from it (filled_in_by in saate.yaml).
    begin(client, registry.get("saate"))
    page = client.get("/lomake/saate/sivu/tayttaminen").get_data(as_text=True)
    assert re.search(r'value="together"\s+checked', page) or re.search(
        r'checked[^>]*value="together"', page
    )
    assert 'value="Maija Testi (Sisarus)"' in page
    submission = send(client, registry.get("saate"))
    assert submission.helpers == [{"name": "Maija Testi", "relation": "sisarus"}]
    assert set(submission.authors.values()) == {str(submission.person_id)}
    assert submission.delegate_id is None


def test_every_other_citizen_page_is_closed_to_a_delegate(app, demo):
    """Walks the URL map: each citizen-door GET page not on DELEGATE_ENDPOINTS refuses a delegate,
    so a page added later is closed to delegates until someone decides otherwise."""
    import uuid

    from portal.auth.access import DELEGATE_ENDPOINTS

    client = helena_for(app, PERTTI)
    checked = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "citizen_door", False) or rule.endpoint in DELEGATE_ENDPOINTS:
            continue
        if "GET" not in rule.methods:
            continue
        values = {
            name: uuid.uuid4() if "id" in name else ("omaarvio" if "questionnaire" in name else "1")
            for name in rule.arguments
        }
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        response = client.get(url)
        assert response.status_code == 403, (rule.endpoint, response.status_code)
        assert "Asioit henkilön Pertti Testi Päämies puolesta" in response.get_data(as_text=True)
        checked.append(rule.endpoint)
    assert {"my_case.overview", "access_log.overview", "consents.index"} <= set(checked)
