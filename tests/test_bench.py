"""Smoke test of the benchmark tools in bench/: the generator fills the test database with a
tiny load, and the inbox benchmark runs once over it and prints its table. No timings are
asserted (the figures at 1,000,000 submissions are in bench/README.md)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask
from sqlalchemy import func, select
from stdnum.fi import hetu as stdnum_hetu

from portal.cases.client_case import CaseEvent, ClientCase
from portal.cases.models import Person, Submission
from portal.db import db

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generator_and_inbox_benchmark_run(app: Flask, capsys: pytest.CaptureFixture[str]):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    generate, inbox = load("generate"), load("inbox")

    assert generate.main(["--database-url", url, "--submissions", "200", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"submission\s+200 rows", out), out

    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 200
    cases = db.session.scalar(select(func.count()).select_from(ClientCase))
    assert 100 <= cases < 200  # ~1.5 submissions a case
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) >= 200
    for hetu in db.session.scalars(select(Person.hetu)):
        stdnum_hetu.validate(hetu, allow_temporary=True)
        assert 900 <= int(hetu[7:10]) <= 999  # test identity codes only
    references = list(db.session.scalars(select(Submission.reference)))
    assert len(set(references)) == 200
    assert all(re.fullmatch(r"TK-[0-9A-Z]{4}-[0-9A-Z]{4}", r) for r in references)
    db.session.remove()

    inbox.main(["--database-url", url, "--repeat", "1", "--warmup", "0"])
    out = capsys.readouterr().out
    for label in ("unassigned: page 1", "closed: page 2", "search: identity code", "tab_counts"):
        assert f"| {label}" in out, out
    assert "PASS" in out or "FAIL" in out


def test_mandate_benchmark_runs(mandate_service, capsys: pytest.CaptureFixture[str]):
    mandate_service.reset()
    assert load("mandates").main(["--url", mandate_service.url, "--repeat", "2"]) == 0
    out = capsys.readouterr().out
    for step in ("register", "token", "principals", "authorization", "start of acting"):
        assert re.search(rf"^{step}\s+\d+\.\d\d", out, re.M), out
