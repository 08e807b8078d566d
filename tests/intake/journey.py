"""A small driver for citizen journeys through the Flask test client.

`sample_value` (portal/questionnaires/samples.py) gives a valid answer for any question; the
demo data fills its demo cases with the same answers.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from portal.questionnaires.definition import Page, Questionnaire
from portal.questionnaires.samples import page_data
from tests.conftest import csrf_token


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
