"""Questionnaire definitions: loaded from data files, checked for shape and meaning, indexed.

The engine knows nothing about HTTP or people: definitions in, typed objects out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).with_name("definition.schema.json")

SHARED_DIR = "shared"
GROUP_FIELD_TYPES = frozenset({"text", "long_text", "number", "year", "date"})
CHOICE_TYPES = frozenset({"single_choice", "multi_choice", "yes_no"})
YES_NO_OPTIONS = (("yes", "Kyllä"), ("no", "Ei"))


class DefinitionError(ValueError):
    """A definition file is broken; the message names the file and the path inside it."""

    def __init__(self, file: str, path: str, message: str) -> None:
        super().__init__(f"{file}: {path}: {message}")
        self.file, self.path, self.message = file, path, message


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    help: str | None = None
    exclusive: bool = False
    points: int | None = None
    asks_help: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    short: str | None = None
    help: str | None = None
    required: bool = False
    error_required: str | None = None
    options: tuple[Option, ...] = ()
    show_if: dict[str, Any] | None = None
    min: int | None = None
    max: int | None = None
    min_label: str | None = None
    max_label: str | None = None
    max_length: int | None = None
    unit: str | None = None
    autocomplete: str | None = None
    inputmode: str | None = None
    source: str | None = None
    item_label: str | None = None
    max_items: int = 10
    fields: tuple[Question, ...] = ()
    # One definition and one stored answer per person, whichever questionnaire asks it.
    shared: bool = False

    @property
    def label(self) -> str:
        """The short label where one is given, for summaries and check-answers."""
        return self.short or self.text

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    section_id: str
    questions: tuple[Question, ...]
    intro: str | None = None
    show_if: dict[str, Any] | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Band:
    max: float
    label: str


@dataclass(frozen=True)
class Score:
    id: str
    label: str
    method: str
    items: tuple[str, ...]
    description: str | None = None
    min_answered: int | None = None
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class FlagRule:
    when: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class Flag:
    id: str
    label: str
    rules: tuple[FlagRule, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    intro: tuple[str, ...]  # paragraphs
    sections: tuple[Section, ...]
    short_title: str | None = None
    next_steps: tuple[str, ...] = ()
    scores: tuple[Score, ...] = ()
    flags: tuple[Flag, ...] = ()
    results: dict[str, Any] | None = None
    # The paper form's items, one question id each (empty: every question is a paper item).
    paper_items: tuple[str, ...] = ()
    # May a delegate with a Suomi.fi mandate fill this in for the person?
    on_behalf: bool = False
    # The form's own "who filled this in" question, answered from the login when left open:
    # {"question": id, "beside": {"value", "names"}, "on_behalf": {"value", "names"}}.
    filled_in_by: dict[str, Any] | None = None
    source_file: str = ""
    _questions: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)
    _pages: dict[str, Page] = field(default_factory=dict, repr=False, compare=False)

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(p for s in self.sections for p in s.pages)

    def page(self, page_id: str) -> Page:
        return self._pages[page_id]

    def has_page(self, page_id: str) -> bool:
        return page_id in self._pages

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def questions(self) -> Iterator[Question]:
        yield from self._questions.values()

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


def paragraphs(text: str | list[str] | None) -> tuple[str, ...]:
    """A text field given as one paragraph or a list of them, as a tuple of paragraphs."""
    if text is None:
        return ()
    return (text,) if isinstance(text, str) else tuple(text)


def _question(raw: dict[str, Any]) -> Question:
    raw = dict(raw)
    options = raw.pop("options", None)
    if raw["type"] == "yes_no":
        options = [{"value": v, "label": label} for v, label in YES_NO_OPTIONS]
    fields = raw.pop("fields", ())
    return Question(
        **raw,
        options=tuple(Option(**o) for o in options or ()),
        fields=tuple(_question(f) for f in fields),
    )


def _condition_refs(condition: dict[str, Any]) -> Iterator[str]:
    for leaf in _condition_leaves(condition):
        yield leaf["answer"]


@cache
def _validator(library: bool = False) -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    if library:
        # A shared-question library: a list of questions, checked by the same definitions.
        schema = {
            "$schema": schema["$schema"],
            "$defs": schema["$defs"],
            "type": "object",
            "required": ["questions"],
            "additionalProperties": False,
            "properties": {"questions": {"type": "array", "items": {"$ref": "#/$defs/question"}}},
        }
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _check_shape(raw: Any, file: str, library: bool = False) -> None:
    errors = sorted(_validator(library).iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        path = "/".join(str(p) for p in best.absolute_path) or "(top)"
        raise DefinitionError(file, path, best.message)


Library = dict[str, dict[str, Any]]


def _resolve(raw_q: dict[str, Any], library: Library, file: str, where: str) -> dict[str, Any]:
    """A `use:` entry becomes the shared question, with the few overrides a page may set."""
    if "use" not in raw_q:
        return raw_q
    if raw_q["use"] not in library:
        raise DefinitionError(file, f"{where}/use", f"no shared question {raw_q['use']!r}")
    overrides = {k: v for k, v in raw_q.items() if k != "use"}
    resolved = {**library[raw_q["use"]], **overrides, "shared": True}
    if resolved.get("required") and "error_required" not in resolved:
        raise DefinitionError(file, where, "a required question needs error_required")
    return resolved


def parse(raw: Any, file: str = "<definition>", library: Library | None = None) -> Questionnaire:
    """Check a raw definition (shape, then meaning) and build the typed questionnaire."""
    _check_shape(raw, file)
    library = library or {}

    questions: dict[str, Question] = {}
    pages: dict[str, Page] = {}
    sections = []
    for si, s in enumerate(raw["sections"]):
        section_pages = []
        for pi, p in enumerate(s["pages"]):
            where = f"sections/{si}/pages/{pi}"
            if p["id"] in pages:
                raise DefinitionError(file, f"{where}/id", f"duplicate page id {p['id']!r}")
            if "show_if" in p:
                _check_refs(p["show_if"], questions, file, f"{where}/show_if")
                _check_condition_values(p["show_if"], questions, set(), file, where)
            page_questions = []
            for qi, q in enumerate(p["questions"]):
                qwhere = f"{where}/questions/{qi}"
                q = _resolve(q, library, file, qwhere)
                if q["id"] in questions:
                    raise DefinitionError(
                        file, f"{qwhere}/id", f"duplicate question id {q['id']!r}"
                    )
                if "show_if" in q:
                    # Only earlier answers may decide: the path must be computable going forward.
                    _check_refs(q["show_if"], questions, file, f"{qwhere}/show_if")
                    on_page = {x.id for x in page_questions}
                    _check_condition_values(q["show_if"], questions, on_page, file, qwhere)
                _check_limits(q, file, qwhere)
                question = _question(q)
                questions[question.id] = question
                page_questions.append(question)
            page = Page(
                id=p["id"],
                title=p["title"],
                section_id=s["id"],
                intro=p.get("intro"),
                show_if=p.get("show_if"),
                questions=tuple(page_questions),
            )
            pages[page.id] = page
            section_pages.append(page)
        sections.append(Section(id=s["id"], title=s["title"], pages=tuple(section_pages)))

    scores = tuple(
        _score(sc, questions, file, f"scores/{i}") for i, sc in enumerate(raw.get("scores", ()))
    )
    score_ids = {sc.id for sc in scores}
    flags = []
    for fi, f in enumerate(raw.get("flags", ())):
        for ri, rule in enumerate(f["rules"]):
            where = f"flags/{fi}/rules/{ri}/when"
            _check_rule_refs(rule["when"], questions, score_ids, file, where)
        flags.append(
            Flag(id=f["id"], label=f["label"], rules=tuple(FlagRule(**r) for r in f["rules"]))
        )
    results = raw.get("results")
    if results and "intro" in results:
        results = {**results, "intro": paragraphs(results["intro"])}
    for ref in (results or {}).get("scores", ()):
        if ref not in score_ids:
            raise DefinitionError(file, "results/scores", f"no score {ref!r}")
    paper_items = tuple((raw.get("paper_form") or {}).get("items", ()))
    for ref in paper_items:
        if ref not in questions:
            raise DefinitionError(file, "paper_form/items", f"no question {ref!r}")
    if len(set(paper_items)) != len(paper_items):
        raise DefinitionError(file, "paper_form/items", "a question stands for two paper items")

    return Questionnaire(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        intro=paragraphs(raw["intro"]),
        short_title=raw.get("short_title"),
        next_steps=paragraphs(raw.get("next_steps")),
        sections=tuple(sections),
        scores=scores,
        flags=tuple(flags),
        results=results,
        paper_items=paper_items,
        on_behalf=bool(raw.get("on_behalf", False)),
        filled_in_by=_filled_in_by(file, raw.get("filled_in_by"), questions),
        source_file=file,
        _questions=questions,
        _pages=pages,
    )


def _score(raw: dict[str, Any], questions: dict[str, Question], file: str, where: str) -> Score:
    for item in raw["items"]:
        if item not in questions:
            raise DefinitionError(file, f"{where}/items", f"no question {item!r}")
        q = questions[item]
        if raw["method"] == "sum" and (
            q.type not in ("single_choice", "yes_no") or any(o.points is None for o in q.options)
        ):
            raise DefinitionError(
                file, f"{where}/items", f"{item!r}: a sum adds the points of one chosen option"
            )
        if raw["method"] == "value" and q.type not in ("scale", "number", "year"):
            raise DefinitionError(file, f"{where}/items", f"{item!r} is not a number")
        if raw["method"] == "scaled_mean" and q.type != "scale":
            raise DefinitionError(file, f"{where}/items", f"{item!r} is not a scale question")
    bands = tuple(Band(**b) for b in raw.get("bands", ()))
    return Score(**{**raw, "items": tuple(raw["items"]), "bands": bands})


def _check_rule_refs(
    rule: dict[str, Any], questions: dict[str, Question], scores: set[str], file: str, where: str
) -> None:
    for key in ("all", "any"):
        for sub in rule.get(key, ()):
            _check_rule_refs(sub, questions, scores, file, where)
    if "not" in rule:
        _check_rule_refs(rule["not"], questions, scores, file, where)
    if "answer" in rule and rule["answer"] not in questions:
        raise DefinitionError(file, where, f"no question {rule['answer']!r}")
    if "score" in rule and rule["score"] not in scores:
        raise DefinitionError(file, where, f"no score {rule['score']!r}")


def _check_refs(
    condition: dict[str, Any], earlier: dict[str, Question], file: str, where: str
) -> None:
    for ref in _condition_refs(condition):
        if ref not in earlier:
            raise DefinitionError(
                file, where, f"condition refers to {ref!r}, which is not an earlier question"
            )


def _condition_leaves(condition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("all", "any"):
        for sub in condition.get(key, ()):
            yield from _condition_leaves(sub)
    if "not" in condition:
        yield from _condition_leaves(condition["not"])
    if "answer" in condition:
        yield condition


def _check_condition_values(
    condition: dict[str, Any],
    questions: dict[str, Question],
    on_page: set[str],
    file: str,
    where: str,
) -> None:
    """A condition compares with values its question can have, and one on the same page
    depends on a choice: a posted page re-reads only its choice answers (forms.visible_on_post)."""
    for leaf in _condition_leaves(condition):
        parent = questions[leaf["answer"]]
        if leaf["answer"] in on_page and parent.type not in (*CHOICE_TYPES, "scale"):
            raise DefinitionError(
                file, f"{where}/show_if", f"{parent.id!r} is on the same page but not a choice"
            )
        wanted = [leaf[k] for k in ("equals", "not_equals", "includes") if k in leaf]
        wanted += list(leaf.get("in", ()))
        offered = {o.value for o in parent.options}
        if parent.type == "scale" and not parent.options:
            offered = set(range(parent.min, parent.max + 1))
        if offered and not set(wanted) <= offered:
            raise DefinitionError(
                file,
                f"{where}/show_if",
                f"{parent.id!r} has no option {sorted(set(wanted) - offered)}",
            )


def _check_limits(q: dict[str, Any], file: str, where: str) -> None:
    if "min" in q and "max" in q and q["min"] > q["max"]:
        raise DefinitionError(file, f"{where}/min", "min is greater than max")
    if q["type"] == "scale" and "options" in q:
        expected = [str(i) for i in range(q["min"], q["max"] + 1)]
        if [o["value"] for o in q["options"]] != expected:
            raise DefinitionError(file, f"{where}/options", f"a scale's options are {expected}")
    values = [o["value"] for o in q.get("options", ())]
    if len(values) != len(set(values)):
        raise DefinitionError(file, f"{where}/options", "duplicate option value")
    for fi, f in enumerate(q.get("fields", ())):
        # A row is typed in; an empty row is no row. So: text-like fields, none required.
        if f["type"] not in GROUP_FIELD_TYPES:
            raise DefinitionError(
                file,
                f"{where}/fields/{fi}/type",
                f"a group field is one of {sorted(GROUP_FIELD_TYPES)}",
            )
        if f.get("required") or "show_if" in f:
            raise DefinitionError(
                file, f"{where}/fields/{fi}", "group fields cannot be required or conditional"
            )
        _check_limits(f, file, f"{where}/fields/{fi}")


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(str(path), "(file)", f"not valid YAML: {exc}") from None


def load_library(directory: Path) -> Library:
    """Shared questions (questionnaires/shared/*.yaml), by id."""
    library: Library = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
        raw = _read(path)
        _check_shape(raw, str(path), library=True)
        for i, q in enumerate(raw["questions"]):
            if q["id"] in library:
                raise DefinitionError(
                    str(path), f"questions/{i}/id", f"duplicate shared id {q['id']!r}"
                )
            library[q["id"]] = q
    return library


def load_file(path: Path, library: Library | None = None) -> Questionnaire:
    if library is None:
        library = load_library(path.parent / SHARED_DIR)
    return parse(_read(path), str(path), library)


def load_all(directory: Path) -> dict[str, Questionnaire]:
    """Load and check every definition in a folder; any broken file stops the start-up."""
    found: dict[str, Questionnaire] = {}
    library = load_library(directory / SHARED_DIR)
    for path in sorted(directory.glob("*.yaml")):
        questionnaire = load_file(path, library)
        if questionnaire.id in found:
            raise DefinitionError(
                str(path), "id", f"questionnaire id {questionnaire.id!r} is used twice"
            )
        found[questionnaire.id] = questionnaire
    return found


def _filled_in_by(
    file: str, raw: dict[str, Any] | None, questions: dict[str, Question]
) -> dict[str, Any] | None:
    """Check `filled_in_by`: its question is a choice with these values; names are text."""
    if not raw:
        return None
    choice = questions.get(raw["question"])
    if choice is None or not choice.options:
        raise DefinitionError(file, "filled_in_by/question", f"no choice {raw['question']!r}")
    for mode in ("beside", "on_behalf"):
        spec = raw[mode]
        if spec["value"] not in {o.value for o in choice.options}:
            raise DefinitionError(file, f"filled_in_by/{mode}", f"no option {spec['value']!r}")
        names = questions.get(spec["names"])
        if names is None or names.type != "text":
            raise DefinitionError(file, f"filled_in_by/{mode}", f"no text {spec['names']!r}")
    return raw
