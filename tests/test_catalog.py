"""The committed message template holds every text of the templates, code and definitions."""

from __future__ import annotations

import subprocess
import sys

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
    assert not missing, f"run `make translations`; new texts: {sorted(missing)[:10]}"


def test_questionnaire_texts_are_in_the_catalog():
    from portal.questionnaires.definition import load_file

    committed = _ids(ROOT / "translations" / "messages.pot")
    q = load_file(ROOT / "questionnaires" / "esitieto.yaml")
    texts = {q.title, q.intro} | {x.text for x in q.questions()}
    assert texts <= committed
