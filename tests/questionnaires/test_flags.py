"""Scores and triage flags of the saate and the esitieto, pinned at every cut-off.

Pure tests: the definitions are loaded from their files and scored with
portal.questionnaires.scoring.compute; no app and no database. The person's sex and age come
from test identity codes (individual numbers 900–999: odd male, even female).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from stdnum.fi.hetu import _calc_checksum

from portal.hetu import validate
from portal.questionnaires.definition import Questionnaire, load_file
from portal.questionnaires.scoring import compute

ROOT = Path(__file__).resolve().parents[2]
ON = date(2026, 3, 15)

AUDIT_ITEMS = ("audit_c_frequency", "audit_c_quantity", "audit_c_binge")


def hetu(born: date, individual: int) -> str:
    """A valid test identity code; `individual` 900–999, odd for a man, even for a woman."""
    assert 900 <= individual <= 999
    century = {1800: "+", 1900: "-", 2000: "A"}[born.year // 100 * 100]
    digits = f"{born:%d%m%y}{individual:03d}"
    code = f"{born:%d%m%y}{century}{individual:03d}{_calc_checksum(digits)}"
    return validate(code, allow_test_codes=True)


def born_aged(age: int, birthday_today: bool = True) -> date:
    """Birth date of someone who is `age` on ON: the birthday is today, or tomorrow."""
    birthday = ON.replace(year=ON.year - age)
    return birthday if birthday_today else ON.replace(year=ON.year - age - 1) + timedelta(days=1)


MAN_64 = hetu(born_aged(64), 901)
WOMAN_64 = hetu(born_aged(64), 902)
MAN_ALMOST_65 = hetu(born_aged(64, birthday_today=False), 903)  # turns 65 tomorrow
WOMAN_ALMOST_65 = hetu(born_aged(64, birthday_today=False), 904)
MAN_65 = hetu(born_aged(65), 905)  # turns 65 today
WOMAN_65 = hetu(born_aged(65), 906)
MAN_80 = hetu(born_aged(80), 907)
WOMAN_30 = hetu(born_aged(30), 908)


@pytest.fixture(scope="module", params=["saate", "esitieto"])
def q(request: pytest.FixtureRequest) -> Questionnaire:
    return load_file(ROOT / "questionnaires" / f"{request.param}.yaml")


@pytest.fixture(scope="module")
def saate() -> Questionnaire:
    return load_file(ROOT / "questionnaires" / "saate.yaml")


def audit_answers(q: Questionnaire, total: int) -> dict[str, str]:
    """Answers to the three AUDIT-C items whose points add up to `total` (0–12)."""
    answers = {}
    for item in AUDIT_ITEMS:
        points = min(total, 4)
        total -= points
        answers[item] = next(o.value for o in q.question(item).options if o.points == points)
    assert total == 0
    return answers


def flags(q: Questionnaire, answers: dict[str, Any], person: str | None = WOMAN_30) -> dict:
    _, raised = compute(q, answers, person, ON)
    return {f["id"]: f for f in raised}


def scores(q: Questionnaire, answers: dict[str, Any]) -> dict:
    return compute(q, answers, WOMAN_30, ON)[0]


# --- the test identities themselves ------------------------------------------------------------


def test_test_identities_have_the_intended_sex_and_age() -> None:
    from portal.questionnaires.scoring import age_from_hetu, sex_from_hetu

    assert [sex_from_hetu(h) for h in (MAN_64, WOMAN_64)] == ["male", "female"]
    assert age_from_hetu(MAN_64, ON) == 64
    assert age_from_hetu(MAN_ALMOST_65, ON) == 64
    assert age_from_hetu(MAN_ALMOST_65, ON + timedelta(days=1)) == 65
    assert age_from_hetu(WOMAN_65, ON) == 65
    assert age_from_hetu(MAN_80, ON) == 80
    assert sex_from_hetu(None) == "unknown"


# --- AUDIT-C ------------------------------------------------------------------------------


def test_audit_c_items_carry_points_zero_to_four(q: Questionnaire) -> None:
    for item in AUDIT_ITEMS:
        assert [o.points for o in q.question(item).options] == [0, 1, 2, 3, 4], item


@pytest.mark.parametrize("total", range(13))
def test_audit_c_is_the_sum_of_the_points(q: Questionnaire, total: int) -> None:
    assert scores(q, audit_answers(q, total))["audit_c"]["value"] == total


def test_audit_c_sum_of_mixed_answers(q: Questionnaire) -> None:
    answers = {
        "audit_c_frequency": "times_2_3_week",  # 3
        "audit_c_quantity": "drinks_3_4",  # 1
        "audit_c_binge": "less_than_monthly",  # 1
    }
    assert scores(q, answers)["audit_c"]["value"] == 5


def test_audit_c_needs_all_three_items(q: Questionnaire) -> None:
    answers = audit_answers(q, 12)
    del answers["audit_c_binge"]
    assert scores(q, answers)["audit_c"]["value"] is None
    assert "audit_c" not in flags(q, answers)


@pytest.mark.parametrize(
    ("person", "below", "at", "reason"),
    [
        (MAN_64, 5, 6, "AUDIT-C 6 tai yli (mies, alle 65 v)"),
        (MAN_ALMOST_65, 5, 6, "AUDIT-C 6 tai yli (mies, alle 65 v)"),
        (WOMAN_64, 4, 5, "AUDIT-C 5 tai yli (nainen, alle 65 v)"),
        (WOMAN_ALMOST_65, 4, 5, "AUDIT-C 5 tai yli (nainen, alle 65 v)"),
        (WOMAN_30, 4, 5, "AUDIT-C 5 tai yli (nainen, alle 65 v)"),
        (MAN_65, 3, 4, "AUDIT-C 4 tai yli (65 v tai yli)"),
        (WOMAN_65, 3, 4, "AUDIT-C 4 tai yli (65 v tai yli)"),
        (MAN_80, 3, 4, "AUDIT-C 4 tai yli (65 v tai yli)"),
        (None, 4, 5, "AUDIT-C 5 tai yli (sukupuoli ei tiedossa, käytetty alempaa rajaa)"),
    ],
)
def test_audit_c_cut_offs(
    q: Questionnaire, person: str | None, below: int, at: int, reason: str
) -> None:
    assert "audit_c" not in flags(q, audit_answers(q, below), person)
    raised = flags(q, audit_answers(q, at), person)["audit_c"]
    assert raised["reason"] == reason
    assert raised["label"]
    # Higher scores raise it by the same rule.
    assert flags(q, audit_answers(q, 12), person)["audit_c"]["reason"] == reason


def test_a_man_of_65_is_flagged_at_4_by_the_age_rule_not_at_6(q: Questionnaire) -> None:
    assert flags(q, audit_answers(q, 6), MAN_65)["audit_c"]["reason"] == (
        "AUDIT-C 4 tai yli (65 v tai yli)"
    )
    assert "audit_c" not in flags(q, audit_answers(q, 5), MAN_64)


def test_unknown_sex_reason_says_the_lower_cut_off_was_used(q: Questionnaire) -> None:
    reason = flags(q, audit_answers(q, 5), None)["audit_c"]["reason"]
    assert "sukupuoli ei tiedossa" in reason and "alempaa rajaa" in reason


# --- work ability -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band", "poor"),
    [
        (0, "heikko", True),
        (5, "heikko", True),
        (6, "kohtalainen", False),
        (7, "kohtalainen", False),
        (8, "hyvä", False),
        (10, "hyvä", False),
    ],
)
def test_work_ability_bands_and_flag(q: Questionnaire, value: int, band: str, poor: bool) -> None:
    answers = {"work_ability": value}
    assert scores(q, answers)["work_ability"] == {"value": value, "band": band}
    assert ("work_ability_poor" in flags(q, answers)) is poor


def test_no_work_ability_answer_no_score_no_flag(q: Questionnaire) -> None:
    assert scores(q, {})["work_ability"] == {"value": None, "band": None}
    assert flags(q, {}) == {}


# --- mood, income, contact, help -----------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "interest", "raised"),
    [("no", "no", False), ("yes", "no", True), ("no", "yes", True), ("yes", "yes", True)],
)
def test_mood_flag_on_either_yes(q: Questionnaire, low: str, interest: str, raised: bool) -> None:
    result = flags(q, {"mood_low": low, "mood_interest": interest})
    assert ("mood" in result) is raised
    if raised:
        assert result["mood"]["reason"]


def test_mood_flag_reason_names_the_question(q: Questionnaire) -> None:
    assert "alakuloa" in flags(q, {"mood_low": "yes"})["mood"]["reason"]
    assert "mielenkiinnon" in flags(q, {"mood_interest": "yes"})["mood"]["reason"]
    assert "molempiin" in flags(q, {"mood_low": "yes", "mood_interest": "yes"})["mood"]["reason"]


def test_no_income_flag(q: Questionnaire) -> None:
    assert "no_income" in flags(q, {"income": ["no_income"]})
    assert "no_income" not in flags(q, {"income": ["labour_market_subsidy"]})
    assert "no_income" not in flags(q, {})


def test_contact_by_phone_flag(q: Questionnaire) -> None:
    assert "contact_by_phone" in flags(q, {"contact_preference": "phone"})
    for other in ("email", "letter", "any"):
        assert "contact_by_phone" not in flags(q, {"contact_preference": other})


def test_asks_help_flag(q: Questionnaire) -> None:
    assert "asks_help" in flags(q, {"income": ["housing_allowance", "need_help"]})
    assert "asks_help" in flags(q, {"employment_services": ["need_help"]})
    assert "asks_help" not in flags(q, {"income": ["housing_allowance"]})
    assert "asks_help" not in flags(q, {})


def test_saate_asks_help_also_from_money_matters(saate: Questionnaire) -> None:
    for value in ("benefits", "debts", "dont_know"):
        assert "asks_help" in flags(saate, {"money_help": [value]})
    assert "asks_help" not in flags(saate, {"money_help": ["no"]})


@pytest.mark.parametrize(
    ("filled_by", "raised"), [("self", False), ("together", True), ("other", True)]
)
def test_saate_filled_by_other_flag(saate: Questionnaire, filled_by: str, raised: bool) -> None:
    result = flags(saate, {"filled_by": filled_by})
    assert ("filled_by_other" in result) is raised
    assert "filled_by_other" not in flags(saate, {})


def test_answers_given_by_a_delegate_raise_filled_by_other(q: Questionnaire) -> None:
    # `q` is each questionnaire that asks the shared items (saate and esitieto).
    _, raised = compute(q, {"filled_by": "self"}, WOMAN_30, ON, on_behalf=True)
    flag = next(f for f in raised if f["id"] == "filled_by_other")
    assert flag["reason"] == "Valtuutettu antoi vastauksia hänen puolestaan"
    _, raised = compute(q, {"filled_by": "self"}, WOMAN_30, ON, on_behalf=False)
    assert "filled_by_other" not in {f["id"] for f in raised}


def test_flags_carry_the_rule_that_raised_them(q: Questionnaire) -> None:
    answers = {**audit_answers(q, 12), "work_ability": 2, "mood_low": "yes"}
    for flag in flags(q, answers, MAN_64).values():
        assert flag["label"] and flag["reason"]
        assert isinstance(flag["rule"], int)


def _leaves(rule: dict[str, Any]) -> list[dict[str, Any]]:
    if "all" in rule or "any" in rule:
        return [leaf for sub in rule.get("all", rule.get("any")) for leaf in _leaves(sub)]
    if "not" in rule:
        return _leaves(rule["not"])
    return [rule]


def test_every_flag_and_score_refers_to_questions_that_exist(q: Questionnaire) -> None:
    ids = {x.id for x in q.questions()}
    for s in q.scores:
        assert set(s.items) <= ids, s.id
    for f in q.flags:
        for rule in f.rules:
            for leaf in _leaves(rule.when):
                if "answer" in leaf:
                    assert leaf["answer"] in ids, f.id
                    wanted = leaf.get("equals", leaf.get("includes"))
                    if isinstance(wanted, str):
                        assert wanted in {o.value for o in q.question(leaf["answer"]).options}
                if "score" in leaf:
                    assert leaf["score"] in {s.id for s in q.scores}, f.id
    assert {s.id for s in q.scores} == {"audit_c", "work_ability"}
    expected = {
        "audit_c",
        "mood",
        "work_ability_poor",
        "no_income",
        "contact_by_phone",
        "asks_help",
        # The saate asks who filled it; both raise it when a delegate gave answers.
        "filled_by_other",
    }
    assert {f.id for f in q.flags} == expected
