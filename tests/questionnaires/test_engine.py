"""The questionnaire engine, without a browser or a database: load, show_if, validate, path."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from portal.questionnaires import forms
from portal.questionnaires.conditions import evaluate
from portal.questionnaires.definition import DefinitionError, load_all, load_file
from portal.questionnaires.path import Path as RoutePath
from portal.questionnaires.path import prune

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def small():
    return load_file(FIXTURES / "small.yaml")


@pytest.fixture
def ctx():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    from flask_babel import Babel

    Babel(app)
    with app.test_request_context(method="POST"):
        yield


def test_every_shipped_definition_loads():
    found = load_all(REAL)
    assert "esitieto" in found
    assert all(q.pages for q in found.values())


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "invalid").glob("*.yaml")), ids=lambda p: p.stem
)
def test_broken_definitions_are_refused_with_file_and_place(path):
    with pytest.raises(DefinitionError) as info:
        load_file(path)
    assert str(path) in str(info.value)
    assert "sections/0/pages/" in info.value.path or info.value.path.startswith("sections")


def test_yes_no_gets_its_options(small):
    q = small.question("has_children")
    assert [o.value for o in q.options] == ["yes", "no"]


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"answer": "a", "equals": "yes"}, {"a": "yes"}, True),
        ({"answer": "a", "equals": "yes"}, {}, False),
        ({"answer": "a", "not_equals": "yes"}, {"a": "no"}, True),
        ({"answer": "a", "not_equals": "yes"}, {}, False),
        ({"answer": "a", "in": ["x", "y"]}, {"a": "y"}, True),
        ({"answer": "a", "includes": "x"}, {"a": ["x", "z"]}, True),
        ({"answer": "a", "includes": "x"}, {"a": "x"}, False),
        ({"answer": "a", "greater_than": 3}, {"a": 4}, True),
        ({"answer": "a", "less_than": 3}, {"a": 4}, False),
        ({"answer": "a", "answered": True}, {"a": ""}, False),
        (
            {"all": [{"answer": "a", "equals": 1}, {"answer": "b", "equals": 2}]},
            {"a": 1, "b": 2},
            True,
        ),
        (
            {"any": [{"answer": "a", "equals": 1}, {"answer": "b", "equals": 2}]},
            {"a": 0, "b": 2},
            True,
        ),
        ({"not": {"answer": "a", "equals": 1}}, {"a": 1}, False),
    ],
)
def test_conditions(condition, answers, expected):
    assert evaluate(condition, answers) is expected


def test_path_skips_pages_whose_condition_is_false(small):
    without = RoutePath.for_answers(small, {"has_children": "no"})
    with_children = RoutePath.for_answers(small, {"has_children": "yes"})
    assert "lasten_tiedot" not in without
    assert "lasten_tiedot" in with_children
    assert with_children.next_after("lapset").id == "lasten_tiedot"
    assert without.next_after("lapset").id == "kunto"


def test_skipped_answers_are_not_stored(small):
    answers = {
        "has_children": "no",
        "children_count": 2,
        "children_ages": "3 ja 5",
        "illnesses": ["asthma"],
        "illness_other": "migreeni",
    }
    kept = prune(small, answers)
    assert "children_count" not in kept
    assert "children_ages" not in kept
    assert "illness_other" not in kept
    assert kept["illnesses"] == ["asthma"]


def _post(small, page_id, data, answers=None):
    page = small.page(page_id)
    form = forms.build(page, answers or {}, formdata=MultiDict(data))
    return form, forms.validate(page, form, answers or {})


def test_required_answer_missing_gives_the_definitions_message(small, ctx):
    form, result = _post(small, "tunnistus", {})
    assert result is None
    assert form.phone.errors == ["Kirjoita puhelinnumerosi."]


def test_hidden_follow_up_is_neither_required_nor_stored(small, ctx):
    _, result = _post(small, "lapset", {"has_children": "no", "children_count": "abc"})
    assert result == {"has_children": "no", "children_count": None}


def test_visible_follow_up_is_validated(small, ctx):
    form, result = _post(small, "lapset", {"has_children": "yes", "children_count": "40"})
    assert result is None
    assert "1–20" in form.children_count.errors[0]
    _, ok = _post(small, "lapset", {"has_children": "yes", "children_count": " 2 "})
    assert ok == {"has_children": "yes", "children_count": 2}


def test_scale_date_multi_and_group_are_typed(small, ctx):
    _, result = _post(
        small,
        "kunto",
        [
            ("work_ability", "7"),
            ("illnesses", "asthma"),
            ("illnesses", "other"),
            ("illness_other", "migreeni"),
            ("last_visit", "5.3.2024"),
            ("medicines-0-name", "Burana"),
            ("medicines-0-dose", "400 mg"),
            ("medicines-1-name", ""),
            ("medicines-1-dose", ""),
        ],
    )
    assert result == {
        "work_ability": 7,
        "illnesses": ["asthma", "other"],
        "illness_other": "migreeni",
        "last_visit": "2024-03-05",
        "medicines": [{"name": "Burana", "dose": "400 mg"}],
    }


def test_bad_date_and_exclusive_option_say_how_to_fix(small, ctx):
    form, result = _post(
        small,
        "kunto",
        [("last_visit", "31.2.2024"), ("illnesses", "asthma"), ("illnesses", "dont_know")],
    )
    assert result is None
    assert "pp.kk.vvvv" in form.last_visit.errors[0]
    assert "En tiedä" in form.illnesses.errors[0]


def test_text_over_limit_is_refused(small, ctx):
    form, result = _post(small, "tunnistus", {"phone": "1" * 21})
    assert result is None
    assert "enintään 20" in form.phone.errors[0]


def test_stored_answers_fill_the_form_again(small, ctx):
    page = small.page("kunto")
    form = forms.build(
        page, {"work_ability": 3, "last_visit": "2024-03-05", "medicines": [{"name": "Burana"}]}
    )
    assert form.work_ability.data == "3"
    assert form.last_visit.data == "5.3.2024"
    assert [e.form.data["name"] for e in form.medicines.entries] == ["Burana", None]
