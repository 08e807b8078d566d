"""show_if: a condition is data, an operator over an earlier answer or over other conditions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def evaluate(
    condition: Mapping[str, Any] | None,
    answers: Mapping[str, Any],
    scores: Mapping[str, Any] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> bool:
    """True when the condition holds; no condition always holds.

    An operand is an answer (`answer:`), or, in triage rules, a computed score (`score:`) or a
    fact about the person (`fact:` sex, age, asks_help).
    """
    if condition is None:
        return True
    if "all" in condition:
        return all(evaluate(c, answers, scores, facts) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, answers, scores, facts) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], answers, scores, facts)
    if "score" in condition:
        value = (scores or {}).get(condition["score"])
    elif "fact" in condition:
        value = (facts or {}).get(condition["fact"])
    else:
        value = answers.get(condition["answer"])
    if "answered" in condition:
        return is_answered(value) == condition["answered"]
    if "equals" in condition:
        return value == condition["equals"]
    if "not_equals" in condition:
        return is_answered(value) and value != condition["not_equals"]
    if "in" in condition:
        return value in condition["in"]
    if "includes" in condition:
        return isinstance(value, list) and condition["includes"] in value
    if "greater_than" in condition:
        return isinstance(value, int | float) and value > condition["greater_than"]
    if "less_than" in condition:
        return isinstance(value, int | float) and value < condition["less_than"]
    if "at_least" in condition:
        return isinstance(value, int | float) and value >= condition["at_least"]
    if "at_most" in condition:
        return isinstance(value, int | float) and value <= condition["at_most"]
    raise ValueError(f"unknown condition {dict(condition)!r}")
