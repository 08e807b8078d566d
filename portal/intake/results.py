"""The self-assessment's results page: the person's own scores by domain, with every earlier fill.

Scores are read from `Submission.scores`, computed when the answers were sent by the rules of
the version answered (portal.questionnaires.scoring); this page only arranges them. It is the
person's own view: encouraging words, never a diagnosis. Staff get no flags here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.access import citizen_required, current_person, own_or_404
from portal.cases.models import Person, Submission
from portal.db import db
from portal.questionnaires import registry
from portal.questionnaires.definition import Questionnaire

blueprint = Blueprint("results", __name__)

QUESTIONNAIRE_ID = "omaarvio"
WORK_ABILITY = "work_ability"  # the shared 0–10 item, shown beside the domain scores
CHART_EARLIER = 1  # earlier fills drawn in the chart (the previous); the table shows all
HIGHLIGHTS = 2  # strengths and areas for support: the highest and lowest one or two


@dataclass
class Fill:
    """One sent self-assessment as the page shows it."""

    submission: Submission
    label: str  # its date, with the time when two fills share a date

    @property
    def id(self) -> uuid.UUID:
        return self.submission.id

    def score(self, score_id: str) -> float | None:
        entry = (self.submission.scores or {}).get(score_id)
        return entry.get("value") if isinstance(entry, dict) else None

    def answer(self, question_id: str) -> Any:
        return (self.submission.answers or {}).get(question_id)


@dataclass
class Row:
    """One domain: this fill's score, the earlier fills' scores (newest first), the change."""

    id: str
    label: str
    value: float | None
    earlier: list[float | None] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        previous = self.earlier[0] if self.earlier else None
        if self.value is None or previous is None:
            return None
        return self.value - previous


def signed(change: float | None) -> str:
    """+25, −10 (a real minus sign), 0; an empty string when there is nothing to compare."""
    if change is None:
        return ""
    number = round(change)
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"\u2212{-number}"
    return "0"


def number(value: float | None) -> str:
    return "–" if value is None else str(round(value))


blueprint.add_app_template_filter(signed, "signed_change")
blueprint.add_app_template_filter(number, "score_number")


def fills_of(person: Person, questionnaire_id: str) -> list[Fill]:
    """The person's sent fills, oldest first (the staff case page uses it too)."""
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.person_id == person.id, Submission.questionnaire_id == questionnaire_id)
        .order_by(Submission.submitted_at, Submission.id)
    ).all()
    return [Fill(s, label) for s, label in zip(submissions, _labels(submissions), strict=True)]


def _labels(submissions: list[Submission]) -> list[str]:
    """Each fill's date; with the time (to the second if need be) where a date is shared."""
    labels = [format_date(s.submitted_at, "d.M.yyyy") for s in submissions]
    for pattern in ("d.M.yyyy 'klo' H.mm", "d.M.yyyy 'klo' H.mm.ss"):
        labels = [
            format_datetime(s.submitted_at, pattern) if labels.count(label) > 1 else label
            for s, label in zip(submissions, labels, strict=True)
        ]
    return labels


def _highlights(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(strengths, areas where support may help): the highest and the lowest one or two.

    Nothing is picked out when every domain has the same score: there is no high or low then.
    """
    scored = [r for r in rows if r.value is not None]
    if len(scored) < 2:
        return [], []
    top, bottom = max(r.value for r in scored), min(r.value for r in scored)
    if top == bottom:
        return [], []
    # Stable sorts: among equal scores the definition's order decides, both ways.
    strengths = [r for r in sorted(scored, key=lambda r: -r.value)[:HIGHLIGHTS] if r.value > bottom]
    support = [
        r
        for r in sorted(scored, key=lambda r: r.value)[:HIGHLIGHTS]
        if r.value < top and r not in strengths
    ]
    return strengths, support


def _work_ability(questionnaire: Questionnaire, fill: Fill, earlier: list[Fill]) -> dict | None:
    try:
        question = questionnaire.question(WORK_ABILITY)
    except KeyError:
        return None
    return {
        "question": question,
        "value": fill.answer(WORK_ABILITY),
        "earlier": [(f, f.answer(WORK_ABILITY)) for f in earlier],
    }


def domain_rows(
    questionnaire: Questionnaire, fills: list[Fill], current: Fill
) -> tuple[list[Fill], list[Row]]:
    """(earlier fills newest first, one row per result score) for `current` among `fills`."""
    index = next(i for i, f in enumerate(fills) if f.id == current.id)
    earlier = list(reversed(fills[:index]))
    definitions = {s.id: s for s in questionnaire.scores}
    rows = [
        Row(
            id=score_id,
            label=_(definitions[score_id].label) if score_id in definitions else score_id,
            value=current.score(score_id),
            earlier=[f.score(score_id) for f in earlier],
        )
        for score_id in (questionnaire.results or {}).get("scores", ())
    ]
    return earlier, rows


def _render(questionnaire: Questionnaire, fills: list[Fill], current: Fill) -> str:
    earlier, rows = domain_rows(questionnaire, fills, current)
    strengths, support = _highlights(rows)
    rises = [r for r in rows if r.change is not None and r.change > 0]
    return render_template(
        "intake/results.html",
        questionnaire=questionnaire,
        current=current,
        fills=fills,
        earlier=earlier,
        latest=fills[-1],
        rows=rows,
        chart_earlier=CHART_EARLIER,
        strengths=strengths,
        support=support,
        biggest_rise=max(rises, key=lambda r: r.change) if rises else None,
        work_ability=_work_ability(questionnaire, current, earlier),
    )


@blueprint.get("/oma-arvio/tulokset")
@citizen_required
def latest() -> str:
    """The latest self-assessment compared with every earlier one; a way to start if none."""
    questionnaire = registry.get(QUESTIONNAIRE_ID)
    if questionnaire is None:
        abort(404)
    fills = fills_of(current_person(), questionnaire.id)
    if not fills:
        return render_template("intake/results.html", questionnaire=questionnaire, current=None)
    return _render(questionnaire, fills, fills[-1])


@blueprint.get("/oma-arvio/tulokset/<uuid:submission_id>")
@citizen_required
def show(submission_id: uuid.UUID) -> str:
    """One fill, compared with the fills before it. Only the person's own (else 404)."""
    submission = own_or_404(Submission, submission_id)
    questionnaire = registry.get(submission.questionnaire_id)
    if questionnaire is None or not questionnaire.results:
        abort(404)
    fills = fills_of(current_person(), questionnaire.id)
    current = next(f for f in fills if f.id == submission.id)
    return _render(questionnaire, fills, current)
