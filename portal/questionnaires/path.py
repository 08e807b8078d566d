"""The route through a questionnaire, derived from definition + answers on every request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.questionnaires.conditions import evaluate
from portal.questionnaires.definition import Page, Question, Questionnaire


@dataclass(frozen=True)
class Path:
    """The pages a person is asked, in order, given what they have answered so far."""

    pages: tuple[Page, ...]

    @classmethod
    def for_answers(cls, questionnaire: Questionnaire, answers: Mapping[str, Any]) -> Path:
        return cls(tuple(p for p in questionnaire.pages if evaluate(p.show_if, answers)))

    def __contains__(self, page_id: object) -> bool:
        return any(p.id == page_id for p in self.pages)

    def index(self, page_id: str) -> int:
        return next(i for i, p in enumerate(self.pages) if p.id == page_id)

    def next_after(self, page_id: str) -> Page | None:
        i = self.index(page_id)
        return self.pages[i + 1] if i + 1 < len(self.pages) else None

    def previous_before(self, page_id: str) -> Page | None:
        i = self.index(page_id)
        return self.pages[i - 1] if i > 0 else None

    def first_incomplete(self, completed: list[str]) -> Page | None:
        return next((p for p in self.pages if p.id not in completed), None)

    def is_complete(self, completed: list[str]) -> bool:
        return self.first_incomplete(completed) is None


def visible_questions(page: Page, answers: Mapping[str, Any]) -> list[Question]:
    return [q for q in page.questions if evaluate(q.show_if, answers)]


def prune(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the answers to questions that are asked: skipped ones are not stored.

    Walks in definition order, so a question hidden by an earlier pruned answer goes too.
    """
    kept: dict[str, Any] = {}
    for page in questionnaire.pages:
        if not evaluate(page.show_if, kept):
            continue
        for q in page.questions:
            if q.id in answers and evaluate(q.show_if, kept):
                kept[q.id] = answers[q.id]
    return kept
