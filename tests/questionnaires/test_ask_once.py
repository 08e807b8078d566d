"""Asking once: the report's arithmetic, and prefilling shared answers from what was asked."""

from __future__ import annotations

from portal.questionnaires.ask_once import report
from portal.questionnaires.definition import parse

LIBRARY = {
    "phone": {"id": "phone", "type": "text", "text": "Puhelinnumero"},
    "mood": {"id": "mood", "type": "yes_no", "text": "Onko mieliala ollut matala?"},
}


def _form(qid: str, *questions: dict) -> dict:
    return {
        "id": qid,
        "version": 1,
        "title": qid,
        "intro": "x",
        "sections": [
            {
                "id": "s",
                "title": "S",
                "pages": [{"id": "p", "title": "P", "questions": list(questions)}],
            }
        ],
    }


def test_shared_questions_count_once_and_the_saving_follows():
    a = parse(
        _form("a", {"use": "phone"}, {"use": "mood"}, {"id": "x", "type": "text", "text": "X"}),
        library=LIBRARY,
    )
    b = parse(
        _form("b", {"use": "phone"}, {"id": "x", "type": "text", "text": "X"}), library=LIBRARY
    )
    result = report({"a": a, "b": b})
    assert result.items_per_form == {"a": 3, "b": 2}
    assert result.total == 5
    assert result.distinct == 4  # phone once, mood, a's x, b's x (same id, different forms)
    assert result.shared_items == {"phone": ("a", "b")}
    assert round(result.saving, 2) == 0.2


def test_only_paper_items_count_on_the_paper_side():
    form = _form("a", {"use": "phone"}, {"use": "mood"}, {"id": "x", "type": "text", "text": "X"})
    form["paper_form"] = {"source": "A", "items": ["phone", "x"]}  # mood is borrowed
    a = parse(form, library=LIBRARY)
    b = parse(_form("b", {"use": "phone"}, {"use": "mood"}), library=LIBRARY)
    result = report({"a": a, "b": b})
    assert result.items_per_form == {"a": 2, "b": 2}
    assert result.distinct == 3  # phone once, a's x, mood (b's paper item)
    assert result.distinct_questions == 3
    assert result.questions_per_form == {"a": 3, "b": 2}


def test_a_shared_question_keeps_its_overrides():
    q = parse(
        _form("a", {"use": "phone", "required": True, "error_required": "Kirjoita numero."}),
        library=LIBRARY,
    )
    phone = q.question("phone")
    assert phone.shared and phone.required and phone.error_required == "Kirjoita numero."
