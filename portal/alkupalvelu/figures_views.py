"""The lead's team figures page."""

from __future__ import annotations

from flask import render_template

from portal.alkupalvelu.access import requires
from portal.alkupalvelu.blueprint import blueprint
from portal.alkupalvelu.figures import team_figures
from portal.alkupalvelu.labels import DESTINATION, STATUS
from portal.auth.access import current_staff
from portal.cases.deadlines import helsinki_today


@blueprint.get("/luvut")
@requires("figures")
def figures() -> str:
    staff = current_staff()
    today = helsinki_today()
    return render_template(
        "alkupalvelu/figures.html",
        staff=staff,
        figures=team_figures(staff.team, today),
        status_labels=STATUS,
        destination_labels=DESTINATION,
        today=today,
    )
