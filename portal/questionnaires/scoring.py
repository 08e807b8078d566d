"""Scores and triage flags, computed from a definition's rules when a submission is sent.

Rules are data in the definition (`scores:` and `flags:`); this module only applies them.
Flags are for staff: they carry the rule that raised them and are never shown to the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.hetu import age_on
from portal.questionnaires.conditions import evaluate, is_answered
from portal.questionnaires.definition import Questionnaire, Score


@dataclass(frozen=True)
class ScoreResult:
    value: float | None
    band: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "band": self.band}


def sex_from_hetu(hetu: str | None) -> str:
    """Legal sex from the identity code: odd individual number male, even female."""
    if not hetu or not hetu[7:10].isdigit():
        return "unknown"
    return "male" if int(hetu[7:10]) % 2 else "female"


def age_from_hetu(hetu: str | None, on: date) -> int | None:
    return age_on(hetu, on) if hetu else None


def facts(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    hetu: str | None,
    on: date,
    *,
    on_behalf: bool = False,
) -> dict[str, Any]:
    """What rules may know about the person besides the answers (`on_behalf`: someone with a
    mandate gave some of them)."""
    asks_help = False
    for q in questionnaire.questions():
        chosen = answers.get(q.id)
        values = chosen if isinstance(chosen, list) else [chosen]
        if any(o.asks_help and o.value in values for o in q.options):
            asks_help = True
    return {
        "sex": sex_from_hetu(hetu),
        "age": age_from_hetu(hetu, on),
        "asks_help": asks_help,
        "on_behalf": on_behalf,
    }


def score(
    definition: Score, questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> ScoreResult:
    answered = [i for i in definition.items if is_answered(answers.get(i))]
    needed = definition.min_answered or len(definition.items)
    if len(answered) < needed:
        return ScoreResult(None)
    if definition.method == "sum":
        value: float = 0
        for item in answered:
            q = questionnaire.question(item)
            value += next(o.points or 0 for o in q.options if o.value == answers[item])
    elif definition.method == "scaled_mean":
        parts = []
        for item in answered:
            q = questionnaire.question(item)
            parts.append((answers[item] - q.min) / (q.max - q.min))
        value = round(100 * sum(parts) / len(parts))
    else:  # value: the single answer itself, e.g. the 0–10 work-ability score
        value = answers[answered[0]]
    band = next((b.label for b in definition.bands if value <= b.max), None)
    return ScoreResult(value, band)


def compute(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    hetu: str | None,
    on: date,
    *,
    on_behalf: bool = False,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(scores, flags) for sent answers. Each flag names the rule that raised it."""
    scores = {s.id: score(s, questionnaire, answers) for s in questionnaire.scores}
    values = {k: v.value for k, v in scores.items()}
    known = facts(questionnaire, answers, hetu, on, on_behalf=on_behalf)
    raised = []
    for flag in questionnaire.flags:
        for index, rule in enumerate(flag.rules):
            if evaluate(rule.when, answers, values, known):
                raised.append(
                    {"id": flag.id, "label": flag.label, "reason": rule.reason, "rule": index}
                )
                break
    return {k: v.as_dict() for k, v in scores.items()}, raised
