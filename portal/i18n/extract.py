"""A pybabel extractor for questionnaire definitions, named in babel.cfg.

Every user-visible field of a definition becomes a msgid, with a translator comment that says
where it stands (questionnaire, path, kind of text), so definitions go through the same
`pybabel extract` as templates and code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import yaml

from portal.questionnaires.definition import YES_NO_OPTIONS

YES_NO_LABELS = tuple(label for _, label in YES_NO_OPTIONS)

TRANSLATABLE = frozenset(
    {
        "title",
        "short_title",
        "intro",
        "next_steps",
        "text",
        "short",
        "help",
        "error_required",
        "label",
        "min_label",
        "max_label",
        "unit",
        "item_label",
        "reason",
        "description",
    }
)


def _walk(node: yaml.Node, path: str) -> Iterator[tuple[int, str, str]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = f"{path}/{key.value}" if path else key.value
            if key.value in TRANSLATABLE and isinstance(value, yaml.ScalarNode) and value.value:
                yield value.start_mark.line + 1, value.value, here
            elif key.value in TRANSLATABLE and isinstance(value, yaml.SequenceNode):
                # A text given as a list of paragraphs: each paragraph is its own message.
                for i, item in enumerate(value.value):
                    if isinstance(item, yaml.ScalarNode) and item.value:
                        yield item.start_mark.line + 1, item.value, f"{here}/{i}"
            else:
                yield from _walk(value, here)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _walk(item, f"{path}/{i}")


def extract_definition(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    qid = next((v.value for k, v in root.value if k.value == "id"), "?")
    for line, message, path in _walk(root, ""):
        yield line, "gettext", message, [f"{qid}: {path}"]
    # yes_no questions get their options from the engine, not from the file.
    for label in YES_NO_LABELS:
        yield 1, "gettext", label, [f"{qid}: yes_no option"]
