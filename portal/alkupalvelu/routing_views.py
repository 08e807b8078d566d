"""The routing rule editor (team leads and administrators): rules, their history, deadlines.

No client data is shown here; every change goes through portal.alkupalvelu.routing_rules,
which versions the rules and writes "routing.changed" to the audit log.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField

from portal.alkupalvelu import routing_rules
from portal.alkupalvelu.access import requires
from portal.alkupalvelu.blueprint import blueprint
from portal.alkupalvelu.models import Municipality, RoutingRule, Team
from portal.alkupalvelu.routing import active_rules
from portal.alkupalvelu.routing_rules import RoutingError
from portal.auth.access import current_staff
from portal.db import db
from portal.questionnaires import registry

# Field ids on the page, so the error summary links to the right control.
ADD_IDS = {
    "municipality_code": "add-municipality",
    "questionnaire_id": "add-questionnaire",
    "flag_id": "add-flag",
    "team_id": "add-team",
    "reason": "add-reason",
}
CHANGE_IDS = {"team_id": "change-team", "reason": "change-reason"}
RETIRE_IDS = {"reason": "retire-reason"}
DAYS_IDS = {"team_id": "days-team", "days": "days-days"}


# The forms carry the CSRF token and the raw values; routing_rules checks the values and says
# what to do in Finnish, so validate() fails only on a missing or wrong token.
class AddRuleForm(FlaskForm):
    municipality_code = StringField()
    questionnaire_id = StringField()
    flag_id = StringField()
    team_id = StringField()
    reason = TextAreaField()


class ChangeTeamForm(FlaskForm):
    team_id = StringField()
    reason = TextAreaField()


class RetireForm(FlaskForm):
    reason = TextAreaField()


class ContactDaysForm(FlaskForm):
    team_id = StringField()
    days = StringField()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _errors(error: RoutingError | None, ids: dict[str, str], fallback: str) -> dict[str, Any]:
    """The error summary list and the inline message per field."""
    if error is None:
        return {"summary": [], "fields": {}, "existing": None}
    target = ids.get(error.field or "", fallback)
    return {
        "summary": [{"text": error.message, "href": "#" + target}],
        "fields": {error.field or "form": error.message},
        "existing": error.existing,
    }


def _choices() -> dict[str, Any]:
    questionnaires = registry.all_questionnaires()
    return {
        "municipalities": db.session.scalars(
            select(Municipality).order_by(Municipality.name)
        ).all(),
        "questionnaires": questionnaires,
        "flags": routing_rules.flag_labels(),
        "teams": db.session.scalars(select(Team).order_by(Team.name)).all(),
    }


def _render_index(
    *,
    add_error: RoutingError | None = None,
    days_error: RoutingError | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    staff = current_staff()
    rules = db.session.scalars(
        active_rules()
        .options(
            joinedload(RoutingRule.municipality),
            joinedload(RoutingRule.team),
            joinedload(RoutingRule.author),
        )
        .order_by(RoutingRule.municipality_code, RoutingRule.questionnaire_id, RoutingRule.flag_id)
    ).all()
    central = db.session.scalars(select(Team).where(Team.is_central)).first()
    return (
        render_template(
            "alkupalvelu/routing.html",
            rules=sorted(
                rules,
                key=lambda r: (r.municipality.name, r.questionnaire_id or "", r.flag_id or ""),
            ),
            history=routing_rules.history(),
            central=central,
            editable_teams=routing_rules.editable_teams(staff),
            add_errors=_errors(add_error, ADD_IDS, "add-error"),
            days_errors=_errors(days_error, DAYS_IDS, "days-error"),
            values=values or {},
            staff=staff,
            **_choices(),
        ),
        status,
    )


@blueprint.get("/reititys")
@requires("routing")
def routing() -> tuple[str, int]:
    return _render_index()


@blueprint.post("/reititys")
@requires("routing")
def routing_add() -> Response | tuple[str, int]:
    form = AddRuleForm()
    if not form.validate():  # the CSRF token
        abort(400)
    values = {
        "municipality_code": form.municipality_code.data or "",
        "questionnaire_id": form.questionnaire_id.data or "",
        "flag_id": form.flag_id.data or "",
        "team_id": _int(form.team_id.data),
        "reason": form.reason.data or "",
    }
    try:
        rule = routing_rules.add_rule(current_staff(), **values)
    except RoutingError as error:
        db.session.rollback()
        return _render_index(add_error=error, values=values, status=400)
    db.session.commit()
    flash(
        _(
            "Sääntö lisätty: %(municipality)s → %(team)s.",
            municipality=rule.municipality.name,
            team=rule.team.name,
        ),
        "success",
    )
    return redirect(url_for(".routing"))


@blueprint.post("/reititys/maaraaika")
@requires("routing")
def routing_contact_days() -> Response | tuple[str, int]:
    form = ContactDaysForm()
    if not form.validate():
        abort(400)
    staff = current_staff()
    team_id = _int(form.team_id.data) or staff.team_id
    days = _int(form.days.data)
    try:
        team = routing_rules.set_contact_days(staff, team_id, days)
    except RoutingError as error:
        db.session.rollback()
        return _render_index(
            days_error=error,
            values={"days": form.days.data or "", "days_team": team_id},
            status=400,
        )
    db.session.commit()
    flash(
        _(
            "Tiimin %(team)s yhteydenoton määräaika on nyt %(days)s arkipäivää.",
            team=team.name,
            days=team.contact_working_days,
        ),
        "success",
    )
    return redirect(url_for(".routing"))


def _rule_or_404(rule_id: int) -> RoutingRule:
    rule = db.session.get(RoutingRule, rule_id)
    if rule is None:
        abort(404)
    return rule


def _render_rule(
    rule: RoutingRule,
    *,
    change_error: RoutingError | None = None,
    retire_error: RoutingError | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    versions = routing_rules.versions(rule)
    return (
        render_template(
            "alkupalvelu/routing_rule.html",
            rule=rule,
            current=versions[0] if versions[0].retired_at is None else None,
            versions=versions,
            change_errors=_errors(change_error, CHANGE_IDS, "change-error"),
            retire_errors=_errors(retire_error, RETIRE_IDS, "retire-error"),
            values=values or {},
            **_choices(),
        ),
        status,
    )


@blueprint.get("/reititys/<int:rule_id>")
@requires("routing")
def routing_rule(rule_id: int) -> tuple[str, int]:
    return _render_rule(_rule_or_404(rule_id))


@blueprint.post("/reititys/<int:rule_id>/tiimi")
@requires("routing")
def routing_change(rule_id: int) -> Response | tuple[str, int]:
    form = ChangeTeamForm()
    if not form.validate():
        abort(400)
    _rule_or_404(rule_id)
    values = {
        "team_id": _int(form.team_id.data),
        "reason": form.reason.data or "",
    }
    try:
        new = routing_rules.change_team(current_staff(), rule_id, **values)
    except RoutingError as error:
        db.session.rollback()
        return _render_rule(_rule_or_404(rule_id), change_error=error, values=values, status=400)
    db.session.commit()
    flash(
        _(
            "Sääntö muutettu: %(municipality)s → %(team)s. Edellinen versio on tallessa "
            "muutoshistoriassa.",
            municipality=new.municipality.name,
            team=new.team.name,
        ),
        "success",
    )
    return redirect(url_for(".routing"))


@blueprint.post("/reititys/<int:rule_id>/poista")
@requires("routing")
def routing_retire(rule_id: int) -> Response | tuple[str, int]:
    form = RetireForm()
    if not form.validate():
        abort(400)
    _rule_or_404(rule_id)
    reason = form.reason.data or ""
    try:
        rule = routing_rules.retire_rule(current_staff(), rule_id, reason=reason)
    except RoutingError as error:
        db.session.rollback()
        return _render_rule(
            _rule_or_404(rule_id), retire_error=error, values={"retire_reason": reason}, status=400
        )
    db.session.commit()
    flash(
        _(
            "Sääntö poistettu käytöstä: %(municipality)s. Kunnan lomakkeet ohjautuvat nyt muiden "
            "sääntöjen mukaan.",
            municipality=rule.municipality.name,
        ),
        "success",
    )
    return redirect(url_for(".routing"))
