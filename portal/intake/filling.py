"""Who is filling in: asked right after login and changeable on any page.

For myself; helping beside (the person is logged in, the helper's name and relation are kept
with the answers); or on behalf of another person with a Suomi.fi mandate (HPA): the delegate
picks the principal at Suomi.fi-valtuudet, and the portal asks the authorization API whether
the delegate may act for that principal in this matter. Anything but an explicit ALLOWED is a
refusal, with a page that says what to do instead. Guardianship of a minor is out of scope:
the service is for working-age adults.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.audit.log import record
from portal.auth import acting
from portal.auth.access import actor_required, current_actor
from portal.cases.deadlines import helsinki_today
from portal.cases.models import Person
from portal.db import db
from portal.hetu import InvalidHetu, age_on, validate
from portal.i18n import current_language
from portal.mandates.client import MandateError, Principal, Registration, from_app
from portal.questionnaires.definition import Questionnaire

blueprint = Blueprint("filling", __name__)

CHOICES = ("self", "beside", "on_behalf")
AFTER = "after_choice"  # session key: where to go once the choice is made
NAME_MAX = 100
ADULT_AGE = 18
RELATIONS = ("puoliso", "vanhempi", "lapsi", "sisarus", "muu_laheinen", "ystava", "tyontekija")


def relation_label(value: str) -> str:
    labels = {
        "puoliso": _("Puoliso tai kumppani"),
        "vanhempi": _("Vanhempi"),
        "lapsi": _("Aikuinen lapsi"),
        "sisarus": _("Sisarus"),
        "muu_laheinen": _("Muu läheinen"),
        "ystava": _("Ystävä"),
        "tyontekija": _("Työntekijä tai tukihenkilö"),
    }
    return labels.get(value, value)


def helper_label(helper: dict[str, str]) -> str:
    """ "Maija Virtanen (Sisarus)": a helper beside the person, as forms and staff show them."""
    return f"{helper.get('name', '')} ({relation_label(helper.get('relation', ''))})"


def _after() -> str:
    target = session.pop(AFTER, None)
    return target if isinstance(target, str) and target.startswith("/") else url_for("intake.home")


@blueprint.get("/kuka-tayttaa")
@actor_required
def choose() -> str:
    now = acting.current()
    current = "on_behalf" if now else "beside" if acting.helper() else None
    return render_template("filling/choose.html", current=current, errors={})


@blueprint.post("/kuka-tayttaa")
@actor_required
def chosen() -> Response | tuple[str, int]:
    choice = request.form.get("filling")
    if choice not in CHOICES:
        errors = {"filling": _("Valitse, kenen asioita hoidat nyt.")}
        return render_template("filling/choose.html", current=None, errors=errors), 400
    if choice == "beside":
        return redirect(url_for(".beside"))
    if choice == "on_behalf":
        return redirect(url_for(".on_behalf"))
    _back_to_own_affairs()
    db.session.commit()
    return redirect(_after())


@blueprint.route("/kuka-tayttaa/vieressa", methods=["GET", "POST"])
@actor_required
def beside() -> Response | str | tuple[str, int]:
    values = dict(acting.helper() or {})
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            "name": " ".join(request.form.get("name", "").split()),
            "relation": request.form.get("relation", ""),
        }
        if not values["name"]:
            errors["name"] = _("Kirjoita auttajan nimi, esimerkiksi Maija Virtanen.")
        elif len(values["name"]) > NAME_MAX:
            errors["name"] = _("Kirjoita nimi lyhyemmin: enintään %(max)s merkkiä.", max=NAME_MAX)
        if values["relation"] not in RELATIONS:
            errors["relation"] = _("Valitse, kuka auttaja on sinulle.")
        if not errors:
            _back_to_own_affairs()
            acting.set_helper(values["name"], values["relation"])
            flash(_("Selvä. Kirjaamme, että %(name)s auttaa sinua.", name=values["name"]))
            return redirect(_after())
    return render_template(
        "filling/beside.html",
        values=values,
        errors=errors,
        relations=[(r, relation_label(r)) for r in RELATIONS],
    ), (400 if errors else 200)


@blueprint.get("/kuka-tayttaa/puolesta")
@actor_required
def on_behalf() -> Response | tuple[str, int]:
    """Register a mandate session for the delegate and send them to pick the principal."""
    actor = current_actor()
    acting.end()
    service = from_app()
    try:
        registration = service.register(actor.hetu)
    except MandateError:
        return refused("unavailable")
    session[acting.PENDING] = {
        "session_id": registration.session_id,
        "user_id": registration.user_id,
    }
    return redirect(
        service.authorize_url(registration, _callback_url(), current_language() or "fi")
    )


@blueprint.get("/kuka-tayttaa/puolesta/paluu")
@actor_required
def on_behalf_callback() -> Response | tuple[str, int]:
    pending = session.pop(acting.PENDING, None)
    if not pending:
        # A stale or forged return: start again rather than guess whose session this was.
        flash(_("Valitse uudelleen, kenen puolesta asioit."))
        return redirect(url_for(".choose"))
    registration = Registration(session_id=pending["session_id"], user_id=pending["user_id"])
    service = from_app()
    if request.args.get("error") or not request.args.get("code"):
        service.unregister(registration.session_id)
        return refused("cancelled")
    try:
        token = service.exchange_code(request.args["code"], _callback_url())
        principals = service.principals(registration.session_id, token)
    except MandateError:
        service.unregister(registration.session_id)
        return refused("unavailable")
    actor = current_actor()
    reason, principal = _check(actor, principals)
    if reason is None:
        issue = current_app.config["PORTAL"]["MANDATES_ISSUE"]
        if not service.is_allowed(registration.session_id, token, principal.person_id, issue):
            reason = "no_mandate"
    if reason is not None:
        service.unregister(registration.session_id)
        return refused(reason, principal=principal)
    person = _principal_person(principal)
    acting.begin(person, registration.session_id, token)
    record("delegate", str(actor.id), "mandate.acting_started", person_id=person.id)
    db.session.commit()
    flash(_("Asioit nyt henkilön %(name)s puolesta.", name=person.full_name))
    return redirect(_after())


@blueprint.post("/kuka-tayttaa/omat-asiat")
@actor_required
def own_affairs() -> Response:
    was = acting.current()
    _back_to_own_affairs()
    db.session.commit()
    if was is not None:
        flash(_("Asioit nyt omissa asioissasi."))
    return redirect(url_for("intake.home"))


def prefill(questionnaire: Questionnaire, page: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """The form's own "who filled this in" answers, from who is filling in now: offered on its
    page while unanswered, for the person to keep or change (`filled_in_by` in the definition)."""
    spec = questionnaire.filled_in_by
    if not spec or spec["question"] in answers:
        return {}
    if spec["question"] not in {q.id for q in page.questions}:
        return {}
    helper = acting.helper()
    if acting.current() is not None:
        mode, names = "on_behalf", current_actor().full_name
    elif helper:
        mode, names = "beside", helper_label(helper)
    else:
        return {}
    return {spec["question"]: spec[mode]["value"], spec[mode]["names"]: names}


# --- refusals: each says what happened and what to do instead ----------------------------------


def refused(reason: str, *, principal: Principal | None = None) -> tuple[str, int]:
    actor = current_actor()
    known = _known_person(principal.person_id) if principal else None
    record(
        "delegate",
        str(actor.id),
        "mandate.refused",
        reason=reason,
        # The principal sees the attempt in their access log only if the portal knows them.
        **({"person_id": known.id} if known else {}),
    )
    db.session.commit()
    return render_template("filling/refused.html", reason=reason), 403


def not_while_acting() -> tuple[str, int]:
    """A page that is the principal's own (their case, plan, results, consents, access log)."""
    return render_template("filling/refused.html", reason="not_while_acting"), 403


def not_on_behalf(questionnaire: Questionnaire) -> tuple[str, int]:
    return render_template(
        "filling/refused.html", reason="not_on_behalf", questionnaire=questionnaire
    ), 403


def mandate_lost() -> tuple[str, int]:
    """The mandate is no longer in force: back to own affairs; the draft stays as it was."""
    was = acting.end()
    actor = current_actor()
    if was is not None:
        record("delegate", str(actor.id), "mandate.lost", person_id=was.principal_id)
    db.session.commit()
    return render_template(
        "filling/refused.html", reason="lost", principal_name=was.principal_name if was else ""
    ), 403


# --- helpers -------------------------------------------------------------------------------------


def _callback_url() -> str:
    return url_for("filling.on_behalf_callback", _external=True)


def _back_to_own_affairs() -> None:
    was = acting.end()
    acting.clear_helper()
    if was is not None:
        record(
            "delegate", str(current_actor().id), "mandate.acting_ended", person_id=was.principal_id
        )


def _check(actor: Person, principals: list[Principal]) -> tuple[str | None, Any]:
    if len(principals) != 1:
        return "no_principal", None
    principal = principals[0]
    if principal.person_id.upper() == actor.hetu.upper():
        return "self", principal
    try:
        hetu = validate(
            principal.person_id, allow_test_codes=current_app.config["PORTAL_ENV"] != "production"
        )
    except InvalidHetu:
        return "no_mandate", principal
    if age_on(hetu, helsinki_today()) < ADULT_AGE:
        return "minor", principal
    return None, principal


def _known_person(hetu: str) -> Person | None:
    return db.session.scalars(select(Person).where(Person.hetu == hetu.upper())).first()


def _principal_person(principal: Principal) -> Person:
    """The principal's record; one who never logged in is added with the mandate's name.

    Suomi.fi-valtuudet gives a name but no home municipality: until the person logs in once,
    their forms go to the central team (the routing fallback).
    """
    person = _known_person(principal.person_id)
    if person is None:
        given, _sep, family = principal.name.strip().rpartition(" ")
        person = Person(
            hetu=principal.person_id.upper(),
            given_names=given or family,
            family_name=family if given else "",
        )
        db.session.add(person)
        db.session.flush()
    return person
