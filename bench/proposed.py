"""bench/inbox.py with the changes proposed in bench/README.md patched in, to reproduce the
"with the proposed changes" figures. Temporary: delete it once the changes are applied.

    .venv/bin/python bench/proposed.py --database-url URL [inbox.py options]

Patches (in this process only): selectinload instead of joinedload in inbox.query(), a
one-word name search by family-name prefix only, tab_counts() as one FILTER-aggregate
statement, and the inbox view rendering before its commit. On PostgreSQL it also creates the
proposed indexes for the run and drops them afterwards (the database is left as migrated).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from portal.alkupalvelu import inbox
from portal.alkupalvelu.models import StaffMember
from portal.cases.client_case import ClientCase, Status
from portal.cases.models import Person
from portal.db import db

INDEXES = {
    "ix_client_case_open_due": "ON client_case (team_id, contact_due, id)"
    " WHERE status <> 'paattynyt'",
    "ix_client_case_open_assignee": "ON client_case (team_id, assignee_id, contact_due, id)"
    " INCLUDE (status, waiting_until) WHERE status <> 'paattynyt'",
    "ix_submission_case_questionnaire": "ON submission (case_id, questionnaire_id)",
}


def _load_bench() -> Any:
    path = Path(__file__).resolve().parent / "inbox.py"
    spec = importlib.util.spec_from_file_location("bench_inbox", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def search_condition(original: Any) -> Any:
    def condition(query: str) -> Any:
        text = query.strip()
        tokens = [t for t in re.split(r"[\s,]+", text.lower()) if t]
        is_name = not any(c.isdigit() for c in text) and not inbox.REFERENCE.match(text.upper())
        if is_name and len(tokens) == 1:
            names = select(Person.id).where(
                func.lower(Person.family_name).like(inbox._prefix(tokens[0]))
            )
            return ClientCase.person_id.in_(names.scalar_subquery())
        return original(query)

    return condition


def tab_counts(staff: StaffMember, today: date) -> dict[str, int]:
    working = inbox.working_now(today)
    assigned = ClientCase.assignee_id.is_not(None)
    columns = [
        func.count().filter(and_(ClientCase.assignee_id.is_(None), working)).label("unassigned"),
        func.count().filter(and_(ClientCase.assignee_id == staff.id, working)).label("mine"),
        func.count()
        .filter(and_(assigned, ClientCase.assignee_id != staff.id, working))
        .label("team"),
        func.count()
        .filter(and_(ClientCase.status == Status.WAITING, ClientCase.waiting_until > today))
        .label("waiting"),
    ]
    where = [ClientCase.team_id == staff.team_id, ClientCase.status != Status.CLOSED]
    if inbox.only_nurse(staff):
        where.append(or_(*(inbox._has_questionnaire(q) for q in inbox.NURSE_QUESTIONNAIRES)))
    return dict(db.session.execute(select(*columns).where(*where)).one()._mapping)


def patch() -> None:
    inbox.joinedload = selectinload  # type: ignore[attr-defined]  (query() looks it up here)
    inbox._search_condition = search_condition(inbox._search_condition)
    inbox.tab_counts = tab_counts
    from portal.alkupalvelu import views

    render = views._render_inbox

    def render_then_commit(*args: Any, **kwargs: Any) -> Any:
        # Same effect as rendering before the commit: no reload of every expired row.
        session = db.session()
        session.expire_on_commit = False
        try:
            return render(*args, **kwargs)
        finally:
            session.expire_on_commit = True

    views._render_inbox = render_then_commit


def _indexes(url: str, create: bool) -> None:
    engine = sa.create_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            return
        with engine.begin() as conn:
            for name, definition in INDEXES.items():
                conn.exec_driver_sql(
                    f"CREATE INDEX IF NOT EXISTS {name} {definition}"
                    if create
                    else f"DROP INDEX IF EXISTS {name}"
                )
            if create:
                conn.exec_driver_sql("ANALYZE client_case, submission")
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    url = args[args.index("--database-url") + 1]
    bench = _load_bench()
    patch()
    _indexes(url, create=True)
    try:
        return bench.main(args)
    finally:
        _indexes(url, create=False)


if __name__ == "__main__":
    sys.exit(main())
