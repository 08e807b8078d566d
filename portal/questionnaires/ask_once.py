"""How much asking once saves: questions on the forms together versus questions asked.

Each questionnaire mirrors its paper form item by item, so its questions are the form's items
(a follow-up such as "mikä?" counts, a repeating group counts once). A shared question counts
once however many forms carry it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from portal.questionnaires.definition import Questionnaire


@dataclass(frozen=True)
class AskOnceReport:
    items_per_form: dict[str, int]
    shared_by: dict[str, tuple[str, ...]]
    distinct: int

    @property
    def total(self) -> int:
        return sum(self.items_per_form.values())

    @property
    def saving(self) -> float:
        return 1 - self.distinct / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        out = [f"{qid:<12} {count:>4} items" for qid, count in self.items_per_form.items()]
        out += [
            f"{'together':<12} {self.total:>4} items on the forms",
            f"{'asked':<12} {self.distinct:>4} distinct questions when a person fills all of them",
            f"{'shared':<12} {len(self.shared_by):>4} questions asked once for several forms",
            f"{'saving':<12} {self.saving:>6.1%}",
        ]
        return out


def report(questionnaires: Mapping[str, Questionnaire]) -> AskOnceReport:
    distinct: set[tuple[str, str]] = set()
    shared_by: dict[str, list[str]] = {}
    items: dict[str, int] = {}
    for qid, questionnaire in questionnaires.items():
        questions = list(questionnaire.questions())
        items[qid] = len(questions)
        for q in questions:
            distinct.add(("shared", q.id) if q.shared else (qid, q.id))
            if q.shared:
                shared_by.setdefault(q.id, []).append(qid)
    return AskOnceReport(
        items_per_form=items,
        shared_by={k: tuple(v) for k, v in shared_by.items() if len(v) > 1},
        distinct=len(distinct),
    )
