"""The citizen's consents: see them, and withdraw one (a confirmation page, then a POST).

Only the person's own consents: `own_or_404` is the one lookup, and anything else is a 404,
the same as for an id that does not exist.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.audit.log import record
from portal.auth.access import citizen_required, current_person, own_or_404
from portal.cases.consents import consents_summary, party_label, withdraw
from portal.cases.deadlines import helsinki_today
from portal.cases.models import Consent
from portal.db import db, utcnow

blueprint = Blueprint("consents", __name__)


@blueprint.get("/omat-tiedot/suostumukset")
@citizen_required
def index() -> str:
    summary = consents_summary(current_person().id, helsinki_today())
    return render_template("intake/consents.html", summary=summary)


@blueprint.get("/omat-tiedot/suostumukset/<uuid:consent_id>/peru")
@citizen_required
def confirm_withdraw(consent_id: uuid.UUID) -> Response | str:
    consent = own_or_404(Consent, consent_id)
    if not consent.in_force(helsinki_today()):
        flash(_("Suostumus on jo päättynyt."), "info")
        return redirect(url_for(".index"))
    return render_template(
        "intake/consent_withdraw.html", consent=consent, party=party_label(consent)
    )


@blueprint.post("/omat-tiedot/suostumukset/<uuid:consent_id>/peru")
@citizen_required
def withdraw_consent(consent_id: uuid.UUID) -> Response:
    # The CSRF token is checked for every POST by CSRFProtect (portal/app.py).
    person = current_person()
    consent = own_or_404(Consent, consent_id)
    party = party_label(consent)
    if not consent.in_force(helsinki_today()) or not withdraw(consent, utcnow()):
        # Already withdrawn (a second tab or a double click) or expired: nothing to record.
        db.session.rollback()
        flash(_("Suostumus on jo päättynyt."), "info")
        return redirect(url_for(".index"))
    record(
        "citizen",
        str(person.id),
        "consent.withdrawn",
        person_id=person.id,
        submission_id=consent.submission_id,
        party=consent.party,
        consent_id=str(consent.id),
    )
    db.session.commit()
    flash(
        _(
            "Suostumus on peruttu: %(party)s. Emme enää vaihda tietojasi tämän tahon kanssa.",
            party=party,
        ),
        "success",
    )
    return redirect(url_for(".index"))
