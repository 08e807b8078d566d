"""A valid sample answer for any question: demo cases (`flask seed-demo --with-cases`) and tests
fill questionnaires with these. Form-field values, as a browser would post them."""

from __future__ import annotations

from typing import Any

from portal.questionnaires.definition import Page, Question


def sample_value(q: Question) -> Any:
    """A valid answer of the right type for any question."""
    if q.type in ("single_choice", "yes_no"):
        return q.options[0].value
    if q.type == "multi_choice":
        return [next(o.value for o in q.options if not o.exclusive)]
    if q.type in ("scale", "number"):
        return str(q.min if q.min is not None else 1)
    if q.type == "year":
        return "2020"
    if q.type == "date":
        return "1.1.2020"
    if q.autocomplete == "email":
        return "testi@example.invalid"
    if q.autocomplete == "tel":
        return "040 123 4567"
    if q.autocomplete == "postal-code":
        return "40100"
    return "Testivastaus"


def page_data(page: Page, overrides: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """Answers for every question of a page: samples, or the given override by question id."""
    overrides = overrides or {}
    data: list[tuple[str, str]] = []
    for q in page.questions:
        if q.type == "identity":
            continue
        if q.type == "group":
            data += [(f"{q.id}-0-{f.id}", str(sample_value(f))) for f in q.fields]
            continue
        value = overrides.get(q.id, sample_value(q))
        data += [(q.id, v) for v in value] if isinstance(value, list) else [(q.id, value)]
    return data
