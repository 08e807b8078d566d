"""WTForms forms built from a page of a definition: one field builder per answer type.

Everything about an answer type lives here: its field, how the stored answer fills the field,
and how a valid field becomes a stored answer. Error texts tell the person what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import TextArea

from portal.questionnaires.conditions import evaluate, is_answered
from portal.questionnaires.definition import Page, Question

_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


class PageForm(FlaskForm):
    """Base for every generated page form (CSRF comes from FlaskForm)."""

    class Meta:
        # Strip surrounding whitespace from every text input.
        def bind_field(self, form: Form, unbound_field: Any, options: dict[str, Any]) -> Field:
            filters = unbound_field.kwargs.get("filters", ())
            if unbound_field.field_class in (StringField,):
                filters = (*filters, _strip)
            return unbound_field.bind(form=form, filters=filters, **options)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _required(q: Question) -> list[Any]:
    if q.required:
        return [InputRequired(message=q.error_required)]
    return [Optional()]


class _IntegerText:
    """A whole number typed as text, with a message that says how to write it."""

    def __init__(self, q: Question, kind: str) -> None:
        self.q, self.kind = q, kind

    def __call__(self, form: Form, field: Field) -> None:
        raw = (field.data or "").replace(" ", "")
        if not raw:
            return
        if not re.fullmatch(r"-?\d+", raw):
            if self.kind == "year":
                raise StopValidation(
                    str(_l("Kirjoita vuosi neljällä numerolla, esimerkiksi 2023."))
                )
            raise StopValidation(str(_l("Kirjoita vastaus numeroina, esimerkiksi 3.")))
        value = int(raw)
        low, high = self.q.min, self.q.max
        if self.kind == "year":
            low = low if low is not None else 1900
            high = high if high is not None else date.today().year
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(
                str(_l("Kirjoita luku väliltä %(low)s–%(high)s.", low=low, high=high))
                if low is not None and high is not None
                else str(_l("Tarkista luku."))
            )


def _check_date(form: Form, field: Field) -> None:
    raw = field.data or ""
    if not raw:
        return
    match = _DATE.match(raw)
    try:
        if not match:
            raise ValueError
        date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise StopValidation(
            str(_l("Kirjoita päivämäärä muodossa pp.kk.vvvv, esimerkiksi 15.3.2024."))
        ) from None


def _check_exclusive(q: Question) -> Callable[[Form, Field], None]:
    exclusive = {o.value for o in q.options if o.exclusive}

    def check(form: Form, field: Field) -> None:
        chosen = set(field.data or ())
        if len(chosen) > 1 and chosen & exclusive:
            raise ValidationError(
                str(
                    _l(
                        "Valitse joko ”%(option)s” tai muut vaihtoehdot, ei molempia.",
                        option=q.option_label(next(iter(chosen & exclusive))),
                    )
                )
            )

    return check


def _length(q: Question) -> list[Any]:
    limit = q.max_length or (2000 if q.type == "long_text" else 200)
    return [
        Length(
            max=limit,
            message=str(
                _l("Vastauksessa voi olla enintään %(max)s merkkiä. Lyhennä vastausta.", max=limit)
            ),
        )
    ]


def _choices(q: Question) -> list[SelectChoice]:
    if q.type == "scale" and not q.options:
        return [SelectChoice(str(i), str(i)) for i in range(q.min, q.max + 1)]
    return [SelectChoice(o.value, o.label) for o in q.options]


def _field(q: Question) -> Any:
    """An unbound field for one question."""
    label = q.text
    if q.type in ("single_choice", "yes_no"):
        return RadioField(label, choices=_choices(q), validators=_required(q))
    if q.type == "scale":
        return RadioField(label, choices=_choices(q), validators=_required(q))
    if q.type == "multi_choice":
        return SelectMultipleField(
            label, choices=_choices(q), validators=[*_required(q), _check_exclusive(q)]
        )
    if q.type in ("number", "year"):
        return StringField(label, validators=[*_required(q), _IntegerText(q, q.type)])
    if q.type == "date":
        return StringField(label, validators=[*_required(q), _check_date])
    if q.type == "long_text":
        return StringField(label, widget=TextArea(), validators=[*_required(q), *_length(q)])
    if q.type == "text":
        return StringField(label, validators=[*_required(q), *_length(q)])
    if q.type == "group":
        item_form = type(f"Item_{q.id}", (Form,), {f.id: _field(f) for f in q.fields})
        return FieldList(FormField(item_form), min_entries=0, max_entries=q.max_items)
    raise ValueError(f"no field for type {q.type!r}")


def form_class(page: Page) -> type[PageForm]:
    fields = {q.id: _field(q) for q in page.questions if q.type != "identity"}
    return type(f"Page_{page.id}", (PageForm,), fields)


# --- answers <-> fields ---------------------------------------------------------------------


def to_form_data(q: Question, value: Any) -> Any:
    """A stored answer as the data a field displays."""
    if value is None:
        return None
    if q.type in ("number", "year", "scale"):
        return str(value)
    if q.type == "date":
        y, m, d = (int(x) for x in value.split("-"))
        return f"{d}.{m}.{y}"
    if q.type == "group":
        return [{f.id: to_form_data(f, item.get(f.id)) for f in q.fields} for item in value]
    return value


def from_field(q: Question, data: Any) -> Any:
    """A validated field's data as the answer stored (None for no answer)."""
    if q.type in ("number", "year", "scale"):
        raw = (data or "").replace(" ", "")
        return int(raw) if raw else None
    if q.type == "date":
        match = _DATE.match(data or "")
        return f"{int(match[3]):04d}-{int(match[2]):02d}-{int(match[1]):02d}" if match else None
    if q.type == "multi_choice":
        return list(data or []) or None
    if q.type == "group":
        items = []
        for item in data or []:
            clean = {f.id: from_field(f, item.get(f.id)) for f in q.fields}
            clean = {k: v for k, v in clean.items() if is_answered(v)}
            if clean:  # an emptied row is a removed row
                items.append(clean)
        return items or None
    return data if is_answered(data) else None


def build(page: Page, answers: Mapping[str, Any], formdata: Any = None) -> PageForm:
    """The page's form, filled from stored answers, or from the posted data when given."""
    data: dict[str, Any] = {}
    for q in page.questions:
        if q.type == "identity":
            continue
        value = to_form_data(q, answers.get(q.id))
        if q.type == "group":
            rows = list(value or [])
            if len(rows) < q.max_items:
                rows.append({})  # one empty row to type a new item into
            value = rows
        if value is not None:
            data[q.id] = value
    return form_class(page)(formdata=formdata, data=data)


def visible_on_post(page: Page, form: PageForm, answers: Mapping[str, Any]) -> list[Question]:
    """Questions shown for the answers as posted: earlier pages' answers plus this page's."""
    merged = dict(answers)
    for q in page.questions:
        if q.type in ("single_choice", "yes_no", "multi_choice", "scale"):
            merged[q.id] = from_field(q, form[q.id].data)
    return [q for q in page.questions if evaluate(q.show_if, merged)]


def validate(page: Page, form: PageForm, answers: Mapping[str, Any]) -> dict[str, Any] | None:
    """Check the CSRF token, then the visible questions; this page's answers, or None."""
    csrf = getattr(form, "csrf_token", None)
    if csrf is not None and not csrf.validate(form):
        form.form_errors.append(str(_l("Lomakkeen istunto vanheni. Lähetä sivu uudelleen.")))
        return None
    return check(page, form, answers)


def check(page: Page, form: PageForm, answers: Mapping[str, Any]) -> dict[str, Any] | None:
    """Validate the visible questions only; return this page's answers, or None on errors."""
    visible = visible_on_post(page, form, answers)
    valid = True
    for q in visible:
        if q.type == "identity":
            continue
        if not form[q.id].validate(form):
            valid = False
    if not valid:
        return None
    result: dict[str, Any] = {q.id: None for q in page.questions if q.type != "identity"}
    for q in visible:
        if q.type != "identity":
            result[q.id] = from_field(q, form[q.id].data)
    return result


def valid_answers(page: Page, form: PageForm, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers on a page that pass their checks, leaving out the ones with errors.

    Used by "Jatka myöhemmin": what the person typed correctly is kept even if the page is not
    finished yet.
    """
    kept: dict[str, Any] = {}
    for q in visible_on_post(page, form, answers):
        if q.type != "identity" and form[q.id].validate(form):
            value = from_field(q, form[q.id].data)
            if value is not None:
                kept[q.id] = value
    return kept
