"""The citizen's door: home and task list, one page at a time, check answers, send, receipt.

Views stay thin: the engine decides the path and validates, portal.cases stores.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.audit.log import record
from portal.auth import acting
from portal.auth.access import (
    citizen_optional,
    citizen_required,
    current_actor,
    current_person,
    may_use,
    own_or_404,
)
from portal.cases import authorship, drafts
from portal.cases.models import Submission
from portal.cases.sending import DraftIncomplete, send, submission_for_draft
from portal.db import db
from portal.intake import filling
from portal.intake.presenting import answer_rows, error_summary, page_blocks
from portal.questionnaires import forms, registry
from portal.questionnaires.definition import Questionnaire
from portal.questionnaires.path import Path

blueprint = Blueprint("intake", __name__)
blueprint.add_app_template_global(error_summary)

CHECK = "tarkista"  # ?palaa=tarkista: a "Muuta" link returns to the check page after saving
UNSAVED = "unsaved_page"  # session key: a page's typed input that did not pass its checks


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    questionnaire = registry.get(questionnaire_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def _lookup(questionnaire: Questionnaire) -> tuple[drafts.Draft | None, bool]:
    """(the draft this request may use, whether a draft exists that it may not use): a
    delegate sees only a draft they started, not the person's own."""
    draft = drafts.find(current_person(), questionnaire)
    if draft is not None and not may_use(draft):
        return None, True
    return draft, False


def _draft(questionnaire: Questionnaire) -> drafts.Draft | None:
    return _lookup(questionnaire)[0]


@blueprint.get("/")
@citizen_optional
def home() -> str:
    person = current_person()
    if person is None:
        return render_template("intake/landing.html")
    now_acting = acting.current()
    tasks = []
    sent = [
        s
        for s in db.session.scalars(
            select(Submission)
            .where(Submission.person_id == person.id)
            .order_by(Submission.submitted_at.desc())
        )
        if may_use(s)
    ]
    for questionnaire in registry.all_questionnaires().values():
        if now_acting is not None and not questionnaire.on_behalf:
            continue
        draft = drafts.find(person, questionnaire)
        was_sent = any(s.questionnaire_id == questionnaire.id for s in sent)
        if draft is not None and not may_use(draft):
            status = "someone_else"
        else:
            status = "in_progress" if draft else "sent" if was_sent else "not_started"
        tasks.append({"questionnaire": questionnaire, "status": status})
    return render_template(
        "intake/home.html",
        tasks=tasks,
        sent=sent,
        questionnaires=registry.all_questionnaires(),
        to_confirm=[] if now_acting else authorship.awaiting_confirmation(person),
    )


@blueprint.get("/lomake/<questionnaire_id>")
@citizen_required
def start(questionnaire_id: str) -> str:
    questionnaire = _questionnaire(questionnaire_id)
    draft, someone_else = _lookup(questionnaire)
    return render_template(
        "intake/start.html", questionnaire=questionnaire, draft=draft, someone_else=someone_else
    )


@blueprint.post("/lomake/<questionnaire_id>")
@citizen_required
def begin(questionnaire_id: str) -> Response:
    questionnaire = _questionnaire(questionnaire_id)
    draft, someone_else = _lookup(questionnaire)
    if someone_else:
        # The person has this form in progress themselves: theirs to see, not the delegate's.
        return redirect(url_for(".start", questionnaire_id=questionnaire.id))
    if draft is None:
        delegate = current_actor() if acting.current() else None
        draft = drafts.find_or_start(current_person(), questionnaire, delegate=delegate)
        _audit_delegate("draft.started", draft.person_id, questionnaire=questionnaire.id)
    db.session.commit()
    return _resume(questionnaire, draft)


@blueprint.get("/lomake/<questionnaire_id>/jatka")
@citizen_required
def resume(questionnaire_id: str) -> Response:
    questionnaire = _questionnaire(questionnaire_id)
    draft = _draft(questionnaire)
    if draft is None:
        return redirect(url_for(".start", questionnaire_id=questionnaire.id))
    return _resume(questionnaire, draft)


def _resume(questionnaire: Questionnaire, draft: drafts.Draft) -> Response:
    page_id = drafts.resume_page(draft, questionnaire)
    if page_id is None:
        return redirect(url_for(".check", questionnaire_id=questionnaire.id))
    return redirect(url_for(".page", questionnaire_id=questionnaire.id, page_id=page_id))


@blueprint.route("/lomake/<questionnaire_id>/sivu/<page_id>", methods=["GET", "POST"])
@citizen_required
def page(questionnaire_id: str, page_id: str) -> Response | str:
    questionnaire = _questionnaire(questionnaire_id)
    person = current_person()
    draft = _draft(questionnaire)
    if draft is None:
        return redirect(url_for(".start", questionnaire_id=questionnaire.id))
    path = Path.for_answers(questionnaire, draft.answers)
    if page_id not in path:
        # Not on this person's path (skipped by an answer, or unknown): back to where they were.
        return _resume(questionnaire, draft)
    page_def = questionnaire.page(page_id)
    returning = request.args.get("palaa") == CHECK

    # Unanswered "who filled this in" questions offered from who is filling in now.
    shown = {**filling.prefill(questionnaire, page_def, draft.answers), **draft.answers}
    unsaved_key = f"{questionnaire.id}/{page_id}"
    if request.method == "POST":
        form = forms.build(page_def, draft.answers, formdata=request.form)
        action = request.form.get("action", "continue")
        page_answers = forms.validate(page_def, form, draft.answers)
        if page_answers is None:
            # Kept until it is saved, so a language switch or a reload loses nothing typed.
            session[UNSAVED] = {"page": unsaved_key, "form": _typed(request.form)}
            if action == "later":
                # Keep what is valid, so leaving never loses work; the page stays incomplete.
                drafts.save_page(
                    draft,
                    questionnaire,
                    page_id,
                    forms.valid_answers(page_def, form, draft.answers),
                    complete=False,
                    **_authorship(draft),
                )
                flash(_("Vastauksesi on tallennettu. Voit jatkaa myöhemmin."))
                return redirect(url_for(".home"))
        else:
            session.pop(UNSAVED, None)
            drafts.save_page(draft, questionnaire, page_id, page_answers, **_authorship(draft))
            if action == "later":
                flash(_("Vastauksesi on tallennettu. Voit jatkaa myöhemmin."))
                return redirect(url_for(".home"))
            if action.startswith("add:") or action.startswith("remove:"):
                if action.startswith("remove:"):
                    _remove_row(draft, questionnaire, page_id, action)
                return redirect(
                    url_for(
                        ".page",
                        questionnaire_id=questionnaire.id,
                        page_id=page_id,
                        palaa=CHECK if returning else None,
                    )
                    + "#"
                    + action.split(":")[1]
                )
            if returning:
                # The check page shows the whole, and sends on to any page a change revealed.
                return _resume(questionnaire, draft)
            following = Path.for_answers(questionnaire, draft.answers).next_after(page_id)
            if following is None:
                return _resume(questionnaire, draft)
            return redirect(
                url_for(".page", questionnaire_id=questionnaire.id, page_id=following.id)
            )

    else:
        unsaved = session.get(UNSAVED) or {}
        if unsaved.get("page") == unsaved_key:
            # Typed but not yet valid: shown again as typed, with its errors.
            form = forms.build(page_def, draft.answers, formdata=MultiDict(unsaved["form"]))
            forms.check(page_def, form, draft.answers)
        else:
            form = forms.build(page_def, shown)

    previous = path.previous_before(page_id)
    back = (
        url_for(".check", questionnaire_id=questionnaire.id)
        if returning
        else url_for(".page", questionnaire_id=questionnaire.id, page_id=previous.id)
        if previous
        else url_for(".start", questionnaire_id=questionnaire.id)
    )
    return render_template(
        "intake/page.html",
        questionnaire=questionnaire,
        page=page_def,
        form=form,
        blocks=page_blocks(page_def, form, shown, person),
        position=path.index(page_id) + 1,
        total=len(path.pages),
        section=questionnaire.section(page_def.section_id),
        # Ask once: earlier answers to shared questions, waiting here to be confirmed.
        prefilled=page_id not in draft.completed_pages
        and any(q.shared and q.id in draft.answers for q in page_def.questions),
        back=back,
        returning=returning,
    ), (400 if request.method == "POST" else 200)


def _authorship(draft: drafts.Draft) -> dict:
    """Who gives these answers, and who sits beside them; a delegate's save is audited (it is
    a write to another person's data), before the commit in save_page."""
    _audit_delegate("draft.saved", draft.person_id, questionnaire=draft.questionnaire_id)
    return {"author": current_actor(), "helper": acting.helper()}


def _audit_delegate(action: str, person_id: uuid.UUID, **detail: object) -> None:
    """What a delegate does with the principal's data goes to the audit log, and so to the
    principal's "Kuka on käsitellyt tietojani"."""
    if acting.current() is not None:
        record("delegate", str(current_actor().id), action, person_id=person_id, **detail)


def _typed(formdata: MultiDict) -> list[tuple[str, str]]:
    return [(k, v) for k, v in formdata.items(multi=True) if k not in ("csrf_token", "action")]


def _remove_row(
    draft: drafts.Draft, questionnaire: Questionnaire, page_id: str, action: str
) -> None:
    _, question_id, index = action.split(":")
    rows = list(draft.answers.get(question_id) or [])
    if index.isdigit() and int(index) < len(rows):
        del rows[int(index)]
        drafts.save_page(
            draft, questionnaire, page_id, {question_id: rows or None}, **_authorship(draft)
        )


@blueprint.get("/lomake/<questionnaire_id>/tarkista")
@citizen_required
def check(questionnaire_id: str) -> Response | str:
    questionnaire = _questionnaire(questionnaire_id)
    draft = _draft(questionnaire)
    if draft is None:
        return redirect(url_for(".start", questionnaire_id=questionnaire.id))
    if drafts.resume_page(draft, questionnaire) is not None:
        return _resume(questionnaire, draft)
    return render_template(
        "intake/check.html",
        questionnaire=questionnaire,
        draft=draft,
        sections=answer_rows(
            questionnaire,
            draft.answers,
            person=current_person(),
            editable=True,
            authorship=None if acting.current() else authorship.of(draft),
        ),
    )


@blueprint.post("/lomake/<questionnaire_id>/laheta")
@citizen_required
def submit(questionnaire_id: str) -> Response:
    questionnaire = _questionnaire(questionnaire_id)
    person = current_person()
    form = forms.PageForm()
    if not form.validate_on_submit():
        flash(_("Lähetys ei onnistunut, koska sivu oli ollut auki liian kauan. Lähetä uudelleen."))
        return redirect(url_for(".check", questionnaire_id=questionnaire.id))
    try:
        draft_id = uuid.UUID(request.form.get("draft_id", ""))
    except ValueError:
        abort(400)
    draft = _draft(questionnaire)
    if draft is None or draft.id != draft_id:
        # Already sent from another tab or by a double click: show that one receipt.
        earlier = submission_for_draft(person, draft_id)
        if earlier is None or not may_use(earlier):
            return redirect(url_for(".start", questionnaire_id=questionnaire.id))
        return redirect(url_for(".receipt", submission_id=earlier.id))
    try:
        # For a delegate, citizen_required has just asked the mandate service again.
        submission = send(
            draft, questionnaire, person, sent_by=current_actor() if acting.current() else None
        )
    except DraftIncomplete:
        return _resume(questionnaire, draft)
    return redirect(url_for(".receipt", submission_id=submission.id))


@blueprint.get("/lahetykset/<uuid:submission_id>")
@citizen_required
def receipt(submission_id: uuid.UUID) -> str:
    submission = own_or_404(Submission, submission_id)
    _audit_delegate("submission.viewed", submission.person_id, submission_id=submission.id)
    db.session.commit()
    return render_template(
        "intake/receipt.html",
        submission=submission,
        questionnaire=registry.get(submission.questionnaire_id),
    )


@blueprint.get("/lahetykset/<uuid:submission_id>/vastaukset")
@citizen_required
def answers(submission_id: uuid.UUID) -> str:
    submission = own_or_404(Submission, submission_id)
    _audit_delegate("submission.viewed", submission.person_id, submission_id=submission.id)
    db.session.commit()
    questionnaire = registry.get(submission.questionnaire_id)
    return render_template(
        "intake/answers.html",
        submission=submission,
        questionnaire=questionnaire,
        sections=answer_rows(
            questionnaire,
            submission.answers,
            person=current_person(),
            authorship=None if acting.current() else authorship.of(submission),
        ),
    )
