"""The committed message template holds every text of the templates, code and definitions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT


def _ids(path):
    with open(path, "rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_messages_pot_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-wrap",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = _ids(ROOT / "translations" / "messages.pot")
    missing = _ids(fresh) - committed
    assert not missing, f"run `make translations`; new texts: {sorted(map(str, missing))[:10]}"


def test_questionnaire_texts_are_in_the_catalog():
    from portal.questionnaires.definition import load_file

    committed = _ids(ROOT / "translations" / "messages.pot")
    q = load_file(ROOT / "questionnaires" / "esitieto.yaml")
    texts = {q.title, *q.intro} | {x.text for x in q.questions()}
    assert texts <= committed


CATALOGS = [("sv", "messages"), ("en", "messages"), ("fi", "selko")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")


@pytest.mark.parametrize(("lang", "domain"), CATALOGS, ids=lambda x: x)
def test_every_text_has_its_translation_or_selko_version(lang, domain):
    template = {m.id: m for m in _read(ROOT / "translations" / "messages.pot") if m.id}
    catalog = {
        m.id: m
        for m in _read(ROOT / "translations" / lang / "LC_MESSAGES" / f"{domain}.po")
        if m.id
    }
    missing = [k for k in template if k not in catalog or not _complete(catalog[k].string)]
    assert not missing, f"{lang}/{domain}: {len(missing)} texts lack a version, e.g. {missing[:3]}"
    for key, message in catalog.items():
        if key in template:
            source = " ".join(key) if isinstance(key, tuple) else key
            target = (
                " ".join(message.string) if isinstance(message.string, tuple) else message.string
            )
            assert set(PLACEHOLDER.findall(source)) >= set(PLACEHOLDER.findall(target)), key


def _read(path):
    with open(path, "rb") as f:
        return list(read_po(f))


def _complete(string) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


READABILITY = ROOT.parent / "shared" / "tools" / "readability.py"
TARGETS = {  # words per sentence, p90, share of 13+ letter words (Selkokeskus guidance in numbers)
    "fi/LC_MESSAGES/selko.po": (8, 12, 6),
    "messages.pot": (12, 18, 12),
}


def test_the_finnish_registers_meet_their_readability_targets():
    if not READABILITY.exists():
        pytest.skip("../shared/tools/readability.py is not beside this checkout")
    result = subprocess.run(
        [sys.executable, str(READABILITY), str(ROOT / "translations"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {r["catalog"]: r for r in json.loads(result.stdout)}
    for catalog, (words, p90, long_pct) in TARGETS.items():
        row = rows[catalog]
        assert row["missing"] == 0, catalog
        assert row["words_per_sentence"] <= words, (catalog, row)
        assert row["p90_words_per_sentence"] <= p90, (catalog, row)
        assert row["long_word_pct"] <= long_pct, (catalog, row)
    assert all(r["missing"] == 0 for r in rows.values()), rows
