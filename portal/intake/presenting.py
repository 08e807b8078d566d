"""Shapes what templates see: question blocks for a page, answer rows for check/summary pages.

Shared by both doors (staff render the same answers), so it lives apart from the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from portal.cases.authorship import Authorship
from portal.cases.models import Person
from portal.hetu import mask
from portal.questionnaires.conditions import evaluate
from portal.questionnaires.definition import CHOICE_TYPES, Page, Question, Questionnaire
from portal.questionnaires.forms import PageForm
from portal.questionnaires.path import Path, visible_questions


@dataclass
class Block:
    """One question as a page shows it, with follow-ups nested under the option that opens them."""

    question: Question
    form_field: Any = None
    error: str | None = None
    value: Any = None
    children: dict[str, list[Block]] = field(default_factory=dict)


def _nest_under(q: Question, page_ids: set[str]) -> tuple[str, str] | None:
    """(parent id, option) when q simply follows one option of a choice on the same page."""
    cond = q.show_if or {}
    if cond.get("answer") in page_ids:
        value = cond.get("equals", cond.get("includes"))
        if isinstance(value, str):
            return cond["answer"], value
    return None


def _refs_page(condition: Mapping[str, Any] | None, page_ids: set[str]) -> bool:
    if not condition:
        return False
    if "answer" in condition:
        return condition["answer"] in page_ids
    subs = list(condition.get("all", ())) + list(condition.get("any", ()))
    if "not" in condition:
        subs.append(condition["not"])
    return any(_refs_page(c, page_ids) for c in subs)


def page_blocks(
    page: Page, form: PageForm, answers: Mapping[str, Any], person: Person
) -> list[Block]:
    """Top-level blocks of a page. A follow-up that depends on this page's own answers is always
    sent (without JavaScript it is simply shown; with it, it is revealed under its option)."""
    ids = {q.id for q in page.questions}
    blocks: dict[str, Block] = {}
    top: list[Block] = []
    for q in page.questions:
        if not (evaluate(q.show_if, answers) or _refs_page(q.show_if, ids)):
            continue
        if q.type == "identity":
            value = {
                "family_name": person.family_name,
                "given_names": person.given_names,
                "hetu": person.masked_hetu,
            }[q.source]
            block = Block(question=q, value=value)
        else:
            f = form[q.id]
            block = Block(question=q, form_field=f, error=_first_error(f), value=f.data)
        blocks[q.id] = block
        parent = _nest_under(q, ids)
        if parent and parent[0] in blocks and blocks[parent[0]].question.type in CHOICE_TYPES:
            blocks[parent[0]].children.setdefault(parent[1], []).append(block)
        else:
            top.append(block)
    return top


def _first_error(f: Any) -> str | None:
    errors = f.errors
    if isinstance(errors, dict):  # a FormField row
        errors = [e for v in errors.values() for e in v]
    flat: list[str] = []
    for e in errors or ():
        if isinstance(e, dict):
            flat.extend(x for v in e.values() for x in v)
        elif isinstance(e, list):
            flat.extend(e)
        else:
            flat.append(e)
    return flat[0] if flat else None


def error_summary(blocks: list[Block]) -> list[dict[str, str]]:
    """Each error once, linked to its field, in page order (GOV.UK error summary)."""
    out = []

    def walk(items: list[Block]) -> None:
        for b in items:
            if b.error:
                out.append({"text": b.error, "href": "#" + error_anchor(b)})
            for children in b.children.values():
                walk(children)

    walk(blocks)
    return out


def error_anchor(block: Block) -> str:
    q = block.question
    if q.type == "group":
        for i, row in enumerate(block.form_field.entries):
            for f in q.fields:
                if row.form[f.id].errors:
                    return f"{q.id}-{i}-{f.id}"
    return q.id


# --- answers as readable rows -------------------------------------------------------------------


def format_answer(q: Question, value: Any) -> str:
    if value is None or value == [] or value == "":
        return _("Ei vastausta")
    if q.type == "identity":
        return mask(value) if q.source == "hetu" else str(value)
    if q.type in ("single_choice", "yes_no"):
        return _(q.option_label(value))
    if q.type == "multi_choice":
        return "\n".join(_(q.option_label(v)) for v in value)
    if q.type == "scale":
        return f"{value} / {q.max}"
    if q.type in ("number", "year"):
        return f"{value} {_(q.unit)}" if q.unit else str(value)
    if q.type == "date":
        y, m, d = value.split("-")
        return f"{int(d)}.{int(m)}.{y}"
    if q.type == "group":
        lines = []
        for i, item in enumerate(value, start=1):
            parts = [
                f"{_(f.label)}: {format_answer(f, item.get(f.id))}"
                for f in q.fields
                if item.get(f.id) is not None
            ]
            lines.append(f"{_(q.item_label)} {i}. " + "; ".join(parts))
        return "\n".join(lines)
    return str(value)


def answer_rows(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    person: Person | None = None,
    editable: bool = False,
    show_hetu: bool = False,
    authorship: Authorship | None = None,
) -> list[dict[str, Any]]:
    """Sections of {label, value, href, author} rows for every question on the person's path;
    `author` names whoever else gave the answer (a delegate), when authorship is shown."""
    values = dict(answers)
    if person is not None:
        for q in questionnaire.questions():
            if q.type == "identity" and q.id not in values:
                values[q.id] = {
                    "family_name": person.family_name,
                    "given_names": person.given_names,
                    "hetu": person.hetu,
                }[q.source]
    path = Path.for_answers(questionnaire, values)
    sections: list[dict[str, Any]] = []
    for page in path.pages:
        rows = []
        for q in visible_questions(page, values):
            text = (
                values.get(q.id)
                if show_hetu and q.source == "hetu"
                else format_answer(q, values.get(q.id))
            )
            row: dict[str, Any] = {"label": _(q.label), "value": text, "id": q.id}
            if authorship is not None:
                row["author"] = authorship.by_other(q.id)
            if editable and q.type != "identity":
                row["href"] = (
                    url_for(
                        "intake.page",
                        questionnaire_id=questionnaire.id,
                        page_id=page.id,
                        palaa="tarkista",
                    )
                    + "#"
                    + q.id
                )
            rows.append(row)
        if not sections or sections[-1]["id"] != page.section_id:
            sections.append(
                {
                    "id": page.section_id,
                    "title": _(questionnaire.section(page.section_id).title),
                    "rows": [],
                }
            )
        sections[-1]["rows"].extend(rows)
    return sections
