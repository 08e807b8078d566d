"""How much asking once saves: items on the paper forms versus questions a person is asked.

Each definition says which of its questions stands for each item of its paper form
(`paper_form.items`; without one, every question is an item). Filling the forms on paper, a
person answers every item of every form. In the portal a shared question is asked once, so the
paper items it stands for on several forms are answered once. Counting paper items on both
sides keeps the comparison fair: follow-ups, split fields and questions one form borrows from
another do not inflate the paper side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from portal.questionnaires.definition import Questionnaire


@dataclass(frozen=True)
class AskOnceReport:
    items_per_form: dict[str, int]
    questions_per_form: dict[str, int]
    shared_items: dict[str, tuple[str, ...]]
    distinct: int
    distinct_questions: int

    @property
    def total(self) -> int:
        return sum(self.items_per_form.values())

    @property
    def saving(self) -> float:
        return 1 - self.distinct / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        out = [
            f"{qid:<10} {self.items_per_form[qid]:>4} paper items"
            f"  ({self.questions_per_form[qid]} questions in the portal)"
            for qid in self.items_per_form
        ]
        out += [
            f"{'paper':<10} {self.total:>4} items on the paper forms together",
            f"{'portal':<10} {self.distinct:>4} of them asked when a person fills all forms"
            f" ({len(self.shared_items)} asked once for several forms)",
            f"{'saving':<10} {self.saving:>6.1%}",
            f"{'questions':<10} {self.distinct_questions:>4} distinct portal questions in all"
            " (with follow-ups, split fields and consent details)",
        ]
        return out


def _key(form: str, question_id: str, shared: bool) -> tuple[str, str]:
    return ("shared", question_id) if shared else (form, question_id)


def report(questionnaires: Mapping[str, Questionnaire]) -> AskOnceReport:
    items: dict[str, int] = {}
    questions: dict[str, int] = {}
    asked: set[tuple[str, str]] = set()
    every: set[tuple[str, str]] = set()
    forms_of: dict[str, list[str]] = {}
    for form, questionnaire in questionnaires.items():
        paper = questionnaire.paper_items or tuple(q.id for q in questionnaire.questions())
        items[form] = len(paper)
        questions[form] = len(list(questionnaire.questions()))
        for qid in paper:
            shared = questionnaire.question(qid).shared
            asked.add(_key(form, qid, shared))
            if shared:
                forms_of.setdefault(qid, []).append(form)
        every |= {_key(form, q.id, q.shared) for q in questionnaire.questions()}
    return AskOnceReport(
        items_per_form=items,
        questions_per_form=questions,
        shared_items={k: tuple(v) for k, v in forms_of.items() if len(v) > 1},
        distinct=len(asked),
        distinct_questions=len(every),
    )
