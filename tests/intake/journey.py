"""A small driver for citizen journeys through the Flask test client."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from portal.questionnaires.definition import Page, Question, Questionnaire
from tests.conftest import csrf_token


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


def begin(client: FlaskClient, questionnaire: Questionnaire) -> str:
    """Start the questionnaire; returns the first page's path."""
    start = client.get(f"/lomake/{questionnaire.id}")
    assert start.status_code == 200
    response = client.post(
        f"/lomake/{questionnaire.id}", data={"csrf_token": csrf_token(start.get_data(as_text=True))}
    )
    assert response.status_code == 302
    return response.headers["Location"]


def fill_page(
    client: FlaskClient,
    path: str,
    page: Page,
    action: str = "continue",
    data: list[tuple[str, str]] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Any:
    html = client.get(path).get_data(as_text=True)
    payload = (page_data(page, overrides) if data is None else data) + [
        ("csrf_token", csrf_token(html)),
        ("action", action),
    ]
    return client.post(path, data=MultiDict(payload))


def fill_all(
    client: FlaskClient,
    questionnaire: Questionnaire,
    first: str,
    overrides: dict[str, Any] | None = None,
) -> str:
    """Answer every page on the path; returns the check page's path."""
    location = first
    for _ in range(200):
        if location.endswith("/tarkista"):
            return location
        page_id = location.rsplit("/", 1)[-1].split("?")[0]
        response = fill_page(client, location, questionnaire.page(page_id), overrides=overrides)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        location = response.headers["Location"]
    raise AssertionError("the questionnaire did not end")
