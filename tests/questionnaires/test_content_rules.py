"""House rules every shipped questionnaire keeps (content style; the loader checks meaning)."""

from __future__ import annotations

import pytest

from portal.questionnaires.definition import Questionnaire, load_all
from tests.conftest import ROOT

SHIPPED = load_all(ROOT / "questionnaires")


@pytest.fixture(params=sorted(SHIPPED), ids=str)
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    return SHIPPED[request.param]


def test_pages_are_short(questionnaire: Questionnaire) -> None:
    for page in questionnaire.pages:
        assert 1 <= len(page.questions) <= 6, page.id


def test_long_questions_have_a_short_label(questionnaire: Questionnaire) -> None:
    for q in questionnaire.questions():
        if q.type != "identity" and len(q.text.split()) > 5:
            assert q.short, f"{q.id} needs a short label for the check-answers page"


def test_follow_ups_come_right_after_their_parent(questionnaire: Questionnaire) -> None:
    for page in questionnaire.pages:
        ids = [q.id for q in page.questions]
        for i, q in enumerate(page.questions):
            parent = (q.show_if or {}).get("answer")
            if parent is None or parent not in ids:
                continue  # depends on an earlier page
            between = page.questions[ids.index(parent) + 1 : i]
            assert all(b.show_if and b.show_if.get("answer") == parent for b in between), q.id


def test_paper_items_are_asked_in_the_papers_order(questionnaire: Questionnaire) -> None:
    order = [q.id for q in questionnaire.questions()]
    positions = [order.index(i) for i in questionnaire.paper_items]
    assert positions == sorted(positions)
