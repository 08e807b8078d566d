"""The plan (suunnitelma) of a case: every version, and a form that saves a new one.

Old versions are never edited: the form starts from the latest version's text and saving makes
version max + 1 (portal/cases/plans.py). The case row is locked for the save, so two
instructors saving at once get consecutive numbers. A nurse reading pre-questionnaires only
does not see plans (404, as for any case not theirs to open).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.alkupalvelu.access import can, requires, team_case_or_404
from portal.alkupalvelu.blueprint import blueprint
from portal.alkupalvelu.inbox import only_nurse
from portal.audit.staff import staff_access
from portal.auth.access import current_staff
from portal.cases import plans
from portal.cases.client_case import ClientCase, PlanVersion
from portal.cases.deadlines import helsinki_today
from portal.cases.workflow import WorkflowError
from portal.db import db

# Where the page's back link goes: the case page when the staff door has one.
CASE_ENDPOINT = "alkupalvelu.case"


def _case(case_id: uuid.UUID, *, for_update: bool = False) -> ClientCase:
    if only_nurse(current_staff()):
        abort(404)
    return team_case_or_404(case_id, for_update=for_update)


def _back(case: ClientCase) -> dict[str, str]:
    if CASE_ENDPOINT in current_app.view_functions:
        return {"href": url_for(CASE_ENDPOINT, case_id=case.id), "text": _("Takaisin asiaan")}
    return {"href": url_for("alkupalvelu.inbox"), "text": _("Saapuneet")}


def _values_from(plan: PlanVersion | None) -> dict[str, Any]:
    """The form's starting values: the latest version's text, or empty fieldsets."""
    content = plan.content if plan else {}
    goals = list(content.get("goals") or [])
    goals += [{}] * (plans.MAX_GOALS - len(goals))
    return {
        "goals": goals[: plans.MAX_GOALS],
        "contact": dict(content.get("asiakasvastaava") or {}),
        "notes": content.get("notes") or "",
        "follow_up": ("", "", ""),
        "kind": "",
    }


def _values_posted() -> dict[str, Any]:
    form = request.form
    return {
        "goals": [
            {name: form.get(f"goals-{i}-{name}", "") for name in plans.GOAL_FIELDS}
            for i in range(plans.MAX_GOALS)
        ],
        "contact": {name: form.get(f"contact-{name}", "") for name in plans.CONTACT_FIELDS},
        "notes": form.get("notes", ""),
        "follow_up": (
            form.get("follow_up-day", ""),
            form.get("follow_up-month", ""),
            form.get("follow_up-year", ""),
        ),
        "kind": form.get("kind", ""),
    }


def _render(
    case: ClientCase, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> tuple[str, int]:
    all_versions = plans.versions(case)
    return (
        render_template(
            "alkupalvelu/plan.html",
            case=case,
            versions=all_versions,
            current=all_versions[0] if all_versions else None,
            values=values,
            errors=errors,
            kinds=plans.KIND_LABEL,
            later_kinds=plans.LATER_KINDS,
            max_goals=plans.MAX_GOALS,
            may_work=can(current_staff(), "work") and case.is_open,
            back=_back(case),
        ),
        status,
    )


@blueprint.route("/asiat/<uuid:case_id>/suunnitelma", methods=["GET", "POST"])
@requires("read")
def plan(case_id: uuid.UUID) -> Response | tuple[str, int]:
    """GET: the versions and the form (read); POST: save a new version (work)."""
    if request.method == "POST":
        if not can(current_staff(), "work"):
            abort(403)
        return _save(case_id)
    staff = current_staff()
    case = _case(case_id)
    staff_access(
        staff, "plan.viewed", person_id=case.person_id, case_id=case.id, what="suunnitelma"
    )
    db.session.commit()
    return _render(case, _values_from(plans.latest(case)), {})


def _save(case_id: uuid.UUID) -> Response | tuple[str, int]:
    staff = current_staff()
    # Locked until commit: the version number is max + 1 of what no one else is writing.
    case = _case(case_id, for_update=True)
    values = _values_posted()
    first = plans.latest(case) is None
    draft = plans.clean(
        values["goals"],
        values["contact"],
        values["notes"],
        values["follow_up"],
        values["kind"],
        first=first,
        today=helsinki_today(),
    )
    errors = dict(draft.errors)
    saved = None
    if not errors:
        try:
            saved = plans.save_version(case, staff, draft.content, draft.follow_up_on, draft.kind)
        except WorkflowError as error:
            errors["form"] = str(error)
    if saved is None:
        db.session.rollback()
        case = _case(case_id)
        # The page shows the plan's versions again: that read is logged like any other.
        staff_access(
            staff, "plan.viewed", person_id=case.person_id, case_id=case.id, what="suunnitelma"
        )
        db.session.commit()
        return _render(case, values, errors, 400)
    staff_access(
        staff,
        "plan.saved",
        person_id=case.person_id,
        case_id=case.id,
        what="suunnitelma",
        number=saved.number,
        kind=saved.kind,
    )
    db.session.commit()
    flash(
        _(
            "Suunnitelma tallennettu: versio %(number)s (%(kind)s). Asiakas näkee sen omalla "
            "sivullaan.",
            number=saved.number,
            kind=plans.KIND_LABEL[saved.kind],
        ),
        "success",
    )
    return redirect(url_for("alkupalvelu.plan", case_id=case.id))
