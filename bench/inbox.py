"""Time the staff inbox exactly as the view runs it, on a database filled by bench/generate.py.

    .venv/bin/python bench/inbox.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/tyokykyportti_bench

For one instructor of the biggest team (the one with the most open cases of their own), every
tab's first page and second page (through the keyset cursor), searches by reference, identity
code and name, and filtered lists: portal.alkupalvelu.inbox.page() — the main SELECT plus the
two small follow-up queries the table needs — timed over --repeat runs after two warm-ups, and
the main statement's own execution time from EXPLAIN (ANALYZE, BUFFERS) with the very SQL and
parameters page() sent. Also tab_counts(). The budget (issue 5): ≤ 100 ms server time.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, request
from sqlalchemy import event, func, select

from portal.alkupalvelu import inbox
from portal.alkupalvelu.inbox import Filters
from portal.alkupalvelu.models import StaffMember, Team
from portal.app import create_app
from portal.cases.client_case import CaseFlag, ClientCase, Status
from portal.cases.models import Person, Submission
from portal.db import db

BUDGET_MS = 100.0
NO_FILTERS = Filters()
BIG_TABLES = {"client_case", "submission", "person", "case_flag", "case_event"}


@dataclass
class Result:
    label: str
    rows: int
    statements: int
    page_ms: list[float]
    cpu_ms: list[float]
    sql_ms: list[float] = field(default_factory=list)
    seq_scans: list[str] = field(default_factory=list)
    plan: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.page_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.page_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def passed(self) -> bool:
        return self.p95 <= BUDGET_MS


@dataclass
class Case:
    """One thing to time: a label and a function returning (rows shown, next cursor)."""

    label: str
    run: Callable[[], tuple[int, str | None]]
    explain: bool = True


@contextmanager
def captured() -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with parameters) sent while the block runs."""
    statements: list[tuple[str, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _seq_scans(node: dict[str, Any]) -> Iterator[str]:
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
        yield node["Relation Name"]
    for child in node.get("Plans", ()):
        yield from _seq_scans(child)


def explain(statements: list[tuple[str, Any]], repeat: int) -> tuple[list[float], list[str], str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the statements: execution + planning ms per repeat (summed
    over the statements), sequential scans of big tables, and the text plans."""
    totals: list[float] = []
    seq: list[str] = []
    texts: list[str] = []
    connection = db.session.connection()
    for n in range(repeat):
        total = 0.0
        for statement, parameters in statements:
            plan = connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
            ).scalar_one()[0]
            total += plan["Execution Time"] + plan["Planning Time"]
            if n == 0:
                seq += list(_seq_scans(plan["Plan"]))
                text = connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                ).scalars()
                texts.append("\n".join(text))
        totals.append(total)
    db.session.rollback()
    return totals, sorted(set(seq)), "\n\n".join(texts)


def measure(case: Case, repeat: int, warmup: int, postgres: bool) -> Result:
    for _ in range(warmup):
        db.session.close()
        case.run()
    db.session.close()
    with captured() as statements:
        rows, _ = case.run()
    timings, cpu = [], []
    for _ in range(repeat):
        db.session.close()  # a fresh session and identity map, as each request has
        started, started_cpu = time.perf_counter(), time.process_time()
        case.run()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    db.session.close()
    result = Result(case.label, rows, len(statements), timings, cpu)
    if postgres and case.explain:
        # The inbox's own statements: the page SELECT (or the counts), not the follow-ups.
        main = [(s, p) for s, p in statements if "FROM client_case" in s]
        result.sql_ms, result.seq_scans, result.plan = explain(main, min(repeat, 10))
    return result


# --- choosing whom and what to time ------------------------------------------------------------


def _detached(staff: StaffMember) -> StaffMember:
    """The staff member with attributes loaded, outside any session (page() only reads them)."""
    _ = (staff.id, staff.team_id, staff.roles, staff.name)
    db.session.expunge(staff)
    return staff


def choose_staff(sub: str | None, today: date) -> tuple[StaffMember, StaffMember | None]:
    """(instructor, the same team's nurse if any): by default the biggest team's busiest
    instructor, so Mine is as long as it gets."""
    if sub:
        staff = db.session.scalars(select(StaffMember).where(StaffMember.oidc_sub == sub)).one()
    else:
        team_id = db.session.scalars(
            select(ClientCase.team_id)
            .where(ClientCase.status != Status.CLOSED)
            .group_by(ClientCase.team_id)
            .order_by(func.count().desc(), ClientCase.team_id)
            .limit(1)
        ).one()
        busiest = db.session.scalars(
            select(ClientCase.assignee_id)
            .where(
                ClientCase.team_id == team_id,
                ClientCase.status != Status.CLOSED,
                ClientCase.assignee_id.is_not(None),
            )
            .group_by(ClientCase.assignee_id)
            .order_by(func.count().desc(), ClientCase.assignee_id)
            .limit(1)
        ).first()
        candidates = select(StaffMember).where(StaffMember.team_id == team_id)
        staff = (
            db.session.get(StaffMember, busiest)
            if busiest
            else db.session.scalars(candidates.order_by(StaffMember.id)).first()
        )
    assert staff is not None
    nurse = next(
        (
            s
            for s in db.session.scalars(
                select(StaffMember)
                .where(StaffMember.team_id == staff.team_id)
                .order_by(StaffMember.id)
            )
            if inbox.only_nurse(s)
        ),
        None,
    )
    staff = _detached(staff)
    return staff, _detached(nurse) if nurse else None


@dataclass
class Samples:
    reference: str
    other_reference: str | None
    hetu: str
    prefix: str
    full_name: str
    municipality: str | None


def samples(staff: StaffMember) -> Samples:
    """Search terms that hit the team's data (taken before timing; not timed)."""
    team = staff.team_id
    case_id, person_id = db.session.execute(
        select(ClientCase.id, ClientCase.person_id)
        .where(ClientCase.team_id == team, ClientCase.status == Status.CLOSED)
        .order_by(ClientCase.closed_at)
        .limit(1)
    ).one()
    reference = db.session.scalars(
        select(Submission.reference).where(Submission.case_id == case_id).limit(1)
    ).one()
    other = db.session.scalars(
        select(Submission.reference).where(Submission.team_id != team).limit(1)
    ).first()
    person = db.session.get(Person, person_id)
    assert person is not None
    municipality = db.session.scalars(
        select(ClientCase.municipality_code).where(ClientCase.team_id == team).limit(1)
    ).first()
    return Samples(
        reference=reference,
        other_reference=other,
        hetu=person.hetu,
        prefix=person.family_name[:4].lower(),
        full_name=f"{person.given_names.split()[0]} {person.family_name}",
        municipality=municipality,
    )


def cases(
    staff: StaffMember, nurse: StaffMember | None, today: date, sample: Samples
) -> list[Case]:
    def page(
        who: StaffMember, tab: str, filters: Filters = NO_FILTERS, sort: str = "due"
    ) -> Callable[[str | None], tuple[int, str | None]]:
        def run(after: str | None = None) -> tuple[int, str | None]:
            result = inbox.page(who, tab, filters, sort=sort, after=after, today=today)
            return len(result.rows), result.next_cursor

        return run

    def second(first: Callable[[str | None], tuple[int, str | None]]) -> Callable[[], Any]:
        db.session.close()
        _, cursor = first(None)
        db.session.close()
        return lambda: first(cursor)

    out: list[Case] = []
    for tab in inbox.TABS:
        first = page(staff, tab)
        out.append(Case(f"{tab}: page 1", first))
        out.append(Case(f"{tab}: page 2 (cursor)", second(first)))
    out += [
        Case("team: newest first", page(staff, "team", sort="newest")),
        Case("closed: oldest first", page(staff, "closed", sort="oldest")),
        Case("search: reference", page(staff, "unassigned", Filters(query=sample.reference))),
        Case("search: identity code", page(staff, "unassigned", Filters(query=sample.hetu))),
        Case(
            f"search: family-name prefix '{sample.prefix}'",
            page(staff, "unassigned", Filters(query=sample.prefix)),
        ),
        Case(
            f"search: '{sample.full_name}'",
            page(staff, "unassigned", Filters(query=sample.full_name)),
        ),
        Case("search: name, no hit", page(staff, "unassigned", Filters(query="Zyxwvutsson"))),
    ]
    if sample.other_reference:
        out.append(
            Case(
                "search: other team's reference",
                page(staff, "unassigned", Filters(query=sample.other_reference)),
            )
        )
    out += [
        Case("unassigned: overdue", page(staff, "unassigned", Filters(overdue=True))),
        Case("team: overdue", page(staff, "team", Filters(overdue=True))),
        Case("unassigned: flag mood", page(staff, "unassigned", Filters(flag="mood"))),
        Case("closed: flag mood", page(staff, "closed", Filters(flag="mood"))),
        Case("closed: flag asks_help (rare)", page(staff, "closed", Filters(flag="asks_help"))),
        Case(
            "team: questionnaire esitieto", page(staff, "team", Filters(questionnaire="esitieto"))
        ),
        Case(
            "closed: questionnaire esitieto",
            page(staff, "closed", Filters(questionnaire="esitieto")),
        ),
        Case("team: status ohjattu", page(staff, "team", Filters(status=Status.FORWARDED))),
        Case(
            "closed: municipality",
            page(staff, "closed", Filters(municipality=sample.municipality)),
        ),
        Case(
            "closed: flag + questionnaire",
            page(staff, "closed", Filters(flag="mood", questionnaire="esitieto")),
        ),
    ]
    if nurse is not None:
        out.append(Case("nurse: unassigned", page(nurse, "unassigned")))
        out.append(Case("nurse: closed", page(nurse, "closed")))

    def counts(who: StaffMember) -> Callable[[], tuple[int, str | None]]:
        return lambda: (sum(inbox.tab_counts(who, today).values()), None)

    out.append(Case("tab_counts (4 counts)", counts(staff)))
    if nurse is not None:
        out.append(Case("tab_counts, nurse", counts(nurse)))
    return out


def request_cases(app: Flask, staff: StaffMember, sample: Samples) -> list[Case]:
    """The whole inbox view minus login: page(), tab_counts(), one audit row per person
    shown, the commit and the template — what the server does for GET /henkilosto/."""
    try:
        from portal.alkupalvelu.views import _render_inbox
    except ImportError:  # the view moved: the query figures above still stand
        return []

    def view(args: dict[str, str]) -> Callable[[], tuple[int, str | None]]:
        def run() -> tuple[int, str | None]:
            with app.test_request_context("/henkilosto/", query_string=args):
                who = db.session.get(StaffMember, staff.id)
                assert who is not None
                html, _ = _render_inbox(who, request.args)
            return max(0, html.count("<tr") - 1), None

        return run

    labelled = [(f"view: {tab} tab", {"tab": tab}) for tab in inbox.TABS] + [
        ("view: search by name", {"q": sample.prefix}),
        ("view: search by identity code", {"q": sample.hetu}),
    ]
    return [Case(label, view(args), explain=False) for label, args in labelled]


# --- report -----------------------------------------------------------------------------------


def _environment(staff: StaffMember, today: date, postgres: bool) -> list[str]:
    lines = [f"today = {today}, run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"]
    totals = {
        name: db.session.scalar(select(func.count()).select_from(table))
        for name, table in (
            ("submissions", Submission),
            ("client cases", ClientCase),
            ("persons", Person),
            ("case flags", CaseFlag),
        )
    }
    lines.append(", ".join(f"{n:,} {name}" for name, n in totals.items()))
    team = db.session.get(Team, staff.team_id)
    in_team = db.session.scalar(
        select(func.count()).select_from(ClientCase).where(ClientCase.team_id == staff.team_id)
    )
    open_in_team = db.session.scalar(
        select(func.count())
        .select_from(ClientCase)
        .where(ClientCase.team_id == staff.team_id, ClientCase.status != Status.CLOSED)
    )
    lines.append(
        f"staff: {staff.oidc_sub} ({', '.join(staff.roles)}) of team "
        f"{team.slug if team else staff.team_id}: {in_team:,} cases, {open_in_team:,} open"
    )
    if postgres:
        version = db.session.scalar(sa.text("SHOW server_version"))
        settings = ", ".join(
            f"{name}={db.session.scalar(sa.text(f'SHOW {name}'))}"
            for name in ("shared_buffers", "work_mem", "random_page_cost", "jit")
        )
        lines.append(f"PostgreSQL {version}: {settings}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines.append(f"machine: {os.cpu_count()} CPUs, load average {load}")
    db.session.rollback()
    return lines


def table(results: Sequence[Result], postgres: bool) -> list[str]:
    lines = [
        "| query | rows | SQL | page() median ms | p95 | max | of which Python CPU | "
        "main SQL (EXPLAIN ANALYZE) median ms | seq scan | ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        sql = f"{statistics.median(r.sql_ms):.1f}" if r.sql_ms else ("–" if not postgres else "")
        lines.append(
            f"| {r.label} | {r.rows} | {r.statements} | {r.median:.1f} | {r.p95:.1f} | "
            f"{max(r.page_ms):.1f} | {statistics.median(r.cpu_ms):.1f} | {sql} | "
            f"{', '.join(r.seq_scans) or '–'} | "
            f"{'PASS' if r.passed else 'FAIL'} |"
        )
    return lines


def run(
    database_url: str,
    *,
    repeat: int = 20,
    warmup: int = 2,
    staff_sub: str | None = None,
    today: date | None = None,
    plans: bool = False,
    only: str | None = None,
    views: bool = True,
    echo: Callable[[str], None] = print,
) -> list[Result]:
    environ = {"PORTAL_ENV": "development", "DATABASE_URL": database_url}
    app = create_app({}, environ=environ)
    day = today or datetime.now(UTC).date()
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        staff, nurse = choose_staff(staff_sub, day)
        for line in _environment(staff, day, postgres):
            echo(line)
        sample = samples(staff)
        db.session.close()
        results = []
        timed = cases(staff, nurse, day, sample)
        if views:
            timed += request_cases(app, staff, sample)
        for case in timed:
            if only and only not in case.label:
                continue
            results.append(measure(case, repeat, warmup, postgres))
        db.session.remove()
        db.engine.dispose()
    echo(f"{repeat} timed runs each after {warmup} warm-ups; budget {BUDGET_MS:.0f} ms (p95).")
    for line in table(results, postgres):
        echo(line)
    failed = [r.label for r in results if not r.passed]
    echo("ALL PASS" if not failed else f"FAIL: {', '.join(failed)}")
    if plans:
        for r in results:
            echo(f"\n=== {r.label} ===\n{r.plan}")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--staff", help="oidc_sub of the staff member (default: busiest)")
    parser.add_argument("--today", type=date.fromisoformat, help="reference day (default today)")
    parser.add_argument("--plans", action="store_true", help="print every EXPLAIN ANALYZE plan")
    parser.add_argument("--only", help="time only the queries whose label contains this")
    parser.add_argument(
        "--no-views",
        action="store_true",
        help="skip the whole-view timings (they write audit rows, as the real view does)",
    )
    args = parser.parse_args(argv)
    results = run(
        args.database_url,
        repeat=args.repeat,
        warmup=args.warmup,
        staff_sub=args.staff,
        today=args.today,
        plans=args.plans,
        only=args.only,
        views=not args.no_views,
    )
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
