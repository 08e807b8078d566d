"""The person checks answers someone gave on their behalf: confirms them, or changes them.

A draft a delegate started is the person's own: they can confirm it here, or change answers
on its pages before sending. A sent submission is never edited: the person confirms it, or
starts a correction (a new draft with the same answers) and sends that; staff see both.
Only the person themselves comes here: a delegate is refused at the door (portal.auth.access).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.audit.log import record
from portal.auth.access import citizen_required, current_person, own_or_404
from portal.cases import authorship, drafts
from portal.cases.models import Draft, Submission
from portal.cases.workflow import record_event
from portal.db import db
from portal.intake.presenting import answer_rows
from portal.questionnaires import registry

blueprint = Blueprint("confirming", __name__)

KINDS = {"luonnos": Draft, "lahetys": Submission}


def _row(kind: str, row_id: uuid.UUID) -> Draft | Submission:
    if kind not in KINDS:
        abort(404)
    return own_or_404(KINDS[kind], row_id)


@blueprint.get("/puolestasi/<kind>/<uuid:row_id>")
@citizen_required
def review(kind: str, row_id: uuid.UUID) -> str:
    row = _row(kind, row_id)
    questionnaire = registry.get(row.questionnaire_id)
    if questionnaire is None:
        abort(404)
    who = authorship.of(row)
    return render_template(
        "intake/confirm.html",
        kind=kind,
        row=row,
        questionnaire=questionnaire,
        others=who.others,
        sections=answer_rows(questionnaire, row.answers, person=current_person(), authorship=who),
    )


@blueprint.post("/puolestasi/<kind>/<uuid:row_id>/vahvista")
@citizen_required
def confirm(kind: str, row_id: uuid.UUID) -> Response:
    row = _row(kind, row_id)
    person = current_person()
    if authorship.confirm(row):
        record(
            "citizen",
            str(person.id),
            "answers.confirmed",
            person_id=person.id,
            submission_id=row.id if kind == "lahetys" else None,
            questionnaire=row.questionnaire_id,
        )
        if kind == "lahetys" and row.case is not None:
            # Staff see it in the case history, beside the authorship on the form.
            record_event(row.case, None, "answers_confirmed", detail={"reference": row.reference})
        db.session.commit()
    flash(_("Kiitos. Vahvistit vastaukset, jotka annettiin puolestasi."), "success")
    return redirect(url_for("intake.home"))


@blueprint.post("/puolestasi/lahetys/<uuid:row_id>/korjaa")
@citizen_required
def correct(row_id: uuid.UUID) -> Response:
    """Start a correction of a sent form: its answers in a new draft, to change and send."""
    submission = own_or_404(Submission, row_id)
    questionnaire = registry.get(submission.questionnaire_id)
    if questionnaire is None:
        abort(404)
    person = current_person()
    existing = drafts.find(person, questionnaire)
    if existing is not None:
        if existing.corrects_id == submission.id:
            return redirect(url_for("intake.check", questionnaire_id=questionnaire.id))
        flash(
            _(
                "Sinulla on tämä lomake jo kesken. Korjaa vastauksia siinä ja lähetä se. "
                "Se tulee työntekijälle aiemman lomakkeen lisäksi."
            )
        )
        return redirect(url_for("intake.start", questionnaire_id=questionnaire.id))
    authorship.correction_draft(submission, questionnaire)
    record(
        "citizen",
        str(person.id),
        "answers.correction_started",
        person_id=person.id,
        submission_id=submission.id,
    )
    db.session.commit()
    return redirect(url_for("intake.check", questionnaire_id=questionnaire.id))
