"""The inbox query: tabs, filters, search, sorting and keyset pagination over client cases.

Pure database reading — no HTTP — so bench/inbox.py times exactly what the view runs.
Tabs are disjoint: a case is in one of them at a time. Keyset pagination (`after` = the last
row's sort key) keeps page N as fast as page 1 at a million rows, unlike OFFSET.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, or_, select, tuple_
from sqlalchemy.orm import selectinload

from portal.alkupalvelu.models import StaffMember
from portal.cases.client_case import CaseFlag, ClientCase, Status
from portal.cases.deadlines import add_working_days, helsinki_date, working_days_between
from portal.cases.models import Person, Submission
from portal.db import db
from portal.hetu import InvalidHetu
from portal.hetu import validate as validate_hetu

TABS = ("unassigned", "mine", "team", "waiting", "closed")
SORTS = ("due", "newest", "oldest")
PAGE_SIZE = 50
NURSE_QUESTIONNAIRES = ("esitieto",)
REFERENCE = re.compile(r"^TK-[0-9A-Z]{4}-[0-9A-Z]{4}$")
ACTIVE = (Status.NEW, Status.IN_PROGRESS, Status.FORWARDED)


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    flag: str | None = None
    questionnaire: str | None = None
    municipality: str | None = None
    assignee: int | None = None
    overdue: bool = False
    query: str = ""

    @property
    def any(self) -> bool:
        return any(
            (self.status, self.flag, self.questionnaire, self.municipality, self.assignee)
        ) or bool(self.overdue or self.query)


@dataclass
class Row:
    case: ClientCase
    questionnaires: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    # The latest (visible) submission's reference: what the citizen quotes on the phone.
    reference: str | None = None
    # "overdue", "soon" or None: see due_state().
    due: str | None = None
    # Working days since the case opened (until it closed, for closed cases).
    waited: int = 0


def due_state(case: ClientCase, today: date) -> str | None:
    """Overdue: no first contact and the contact date has passed; soon: due today or next
    working day. Contacted or closed cases are not due."""
    if case.status == Status.CLOSED or case.first_contact_at is not None:
        return None
    if case.contact_due < today:
        return "overdue"
    if case.contact_due <= add_working_days(today, 1):
        return "soon"
    return None


def working_days_waited(case: ClientCase, today: date) -> int:
    end = helsinki_date(case.closed_at) if case.closed_at else today
    return working_days_between(helsinki_date(case.opened_at), min(end, today))


@dataclass
class Page:
    rows: list[Row]
    next_cursor: str | None
    tab: str
    sort: str
    searching: bool


def working_now(today: date) -> Any:
    """Cases someone should be working on today: active, or back from a timed hold."""
    return or_(
        ClientCase.status.in_(ACTIVE),
        and_(ClientCase.status == Status.WAITING, ClientCase.waiting_until <= today),
    )


def _tab_condition(tab: str, staff: StaffMember, today: date) -> Any:
    team = ClientCase.team_id == staff.team_id
    if tab == "unassigned":
        return and_(team, ClientCase.assignee_id.is_(None), working_now(today))
    if tab == "mine":
        return and_(team, ClientCase.assignee_id == staff.id, working_now(today))
    if tab == "team":
        return and_(
            team,
            ClientCase.assignee_id.is_not(None),
            ClientCase.assignee_id != staff.id,
            working_now(today),
        )
    if tab == "waiting":
        return and_(team, ClientCase.status == Status.WAITING, ClientCase.waiting_until > today)
    if tab == "closed":
        return and_(team, ClientCase.status == Status.CLOSED)
    raise ValueError(tab)


def _search_condition(query: str) -> Any:
    text = query.strip()
    if not text:
        return None
    upper = text.upper()
    try:
        # Test codes (900–999) too: production stores none, so they simply find nothing there.
        code = validate_hetu(upper, allow_test_codes=True)
    except InvalidHetu:
        code = None
    if code:
        person = select(Person.id).where(Person.hetu == code)
        return ClientCase.person_id.in_(person.scalar_subquery())
    if REFERENCE.match(upper):
        return exists().where(Submission.case_id == ClientCase.id, Submission.reference == upper)
    tokens = [t for t in re.split(r"[\s,]+", text.lower()) if t]
    if not tokens:
        return None
    # The family name starts with one of the words (an index on lower(family_name) serves it);
    # every word must appear somewhere in the name. One word needs only the prefix: adding the
    # implied "contains" test misleads PostgreSQL's estimate (bench/README.md).
    family = func.lower(Person.family_name)
    if len(tokens) == 1:
        names = select(Person.id).where(family.like(_prefix(tokens[0])))
    else:
        full = func.lower(Person.given_names + " " + Person.family_name)
        names = select(Person.id).where(
            or_(*(family.like(_prefix(t)) for t in tokens)),
            *(full.like("%" + _escape(t) + "%") for t in tokens),
        )
    return ClientCase.person_id.in_(names.scalar_subquery())


def _escape(text: str) -> str:
    return text.replace("\\", "").replace("%", "").replace("_", "")


def _prefix(text: str) -> str:
    return _escape(text) + "%"


def _filter_conditions(filters: Filters, today: date) -> list[Any]:
    conditions: list[Any] = []
    if filters.status:
        conditions.append(ClientCase.status == filters.status)
    if filters.flag:
        conditions.append(
            exists().where(CaseFlag.case_id == ClientCase.id, CaseFlag.flag_id == filters.flag)
        )
    if filters.questionnaire:
        conditions.append(_has_questionnaire(filters.questionnaire))
    if filters.municipality:
        conditions.append(ClientCase.municipality_code == filters.municipality)
    if filters.assignee:
        conditions.append(ClientCase.assignee_id == filters.assignee)
    if filters.overdue:
        conditions.append(
            and_(
                ClientCase.first_contact_at.is_(None),
                ClientCase.contact_due < today,
                ClientCase.status != Status.CLOSED,
            )
        )
    return conditions


def _has_questionnaire(questionnaire_id: str) -> Any:
    return exists().where(
        Submission.case_id == ClientCase.id, Submission.questionnaire_id == questionnaire_id
    )


def _nurse_condition() -> Any:
    """The cases a health-check nurse may see: those with a pre-questionnaire."""
    return or_(*(_has_questionnaire(q) for q in NURSE_QUESTIONNAIRES))


def only_nurse(staff: StaffMember) -> bool:
    """A health-check nurse without an instructor's role reads pre-questionnaires only."""
    roles = set(staff.roles or ())
    return "terveydenhoitaja" in roles and not roles & {"sosiaaliohjaaja", "tiiminvetaja"}


def _order(sort: str, tab: str, searching: bool) -> tuple[Any, bool]:
    """(sort column, descending): the one place that decides it, for the query and the cursor.

    The contact-date order belongs to the tabs: a search lists the newest first, and the closed
    tab the most recently closed first.
    """
    if searching and sort == "due":
        sort = "newest"
    elif tab == "closed" and sort == "due":
        return ClientCase.closed_at, True
    if sort == "newest":
        return ClientCase.opened_at, True
    if sort == "oldest":
        return ClientCase.opened_at, False
    return ClientCase.contact_due, False


def encode_cursor(value: date | datetime, case_id: uuid.UUID) -> str:
    raw = json.dumps([value.isoformat(), str(case_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, column: Any) -> tuple[Any, uuid.UUID] | None:
    """The last row's (sort value, id); a damaged cursor simply starts from the first page."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, case_id = json.loads(raw)
        parsed: Any = (
            date.fromisoformat(value)
            if column is ClientCase.contact_due
            else datetime.fromisoformat(value)
        )
        return parsed, uuid.UUID(case_id)
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def query(
    staff: StaffMember,
    tab: str,
    filters: Filters,
    *,
    sort: str = "due",
    after: str | None = None,
    today: date,
    page_size: int = PAGE_SIZE,
) -> Select[tuple[ClientCase]]:
    """The SELECT for one page (page_size + 1 rows: the extra one says a next page exists)."""
    searching = bool(filters.query.strip())
    if searching:
        # A search looks through all the team's cases, whatever the tab.
        condition = ClientCase.team_id == staff.team_id
        search = _search_condition(filters.query)
        where = [condition, search if search is not None else false()]
    else:
        where = [_tab_condition(tab, staff, today)]
    where += _filter_conditions(filters, today)
    if only_nurse(staff):
        where.append(_nurse_condition())
    column, descending = _order(sort, tab, searching)
    position = decode_cursor(after, column)
    if position is not None:
        key = tuple_(column, ClientCase.id)
        where.append(key < tuple_(*position) if descending else key > tuple_(*position))
    ordering = (
        (column.desc(), ClientCase.id.desc()) if descending else (column.asc(), ClientCase.id)
    )
    return (
        select(ClientCase)
        # selectinload, not a join: PostgreSQL under-estimates the open rows and would join
        # every candidate before the top-N sort (bench/README.md).
        .options(selectinload(ClientCase.person), selectinload(ClientCase.assignee))
        .where(*where)
        .order_by(*ordering)
        .limit(page_size + 1)
    )


def page(
    staff: StaffMember,
    tab: str,
    filters: Filters,
    *,
    sort: str = "due",
    after: str | None = None,
    today: date,
    page_size: int = PAGE_SIZE,
) -> Page:
    tab = tab if tab in TABS else "unassigned"
    sort = sort if sort in SORTS else "due"
    statement = query(staff, tab, filters, sort=sort, after=after, today=today, page_size=page_size)
    cases = list(db.session.scalars(statement).unique())
    more = len(cases) > page_size
    cases = cases[:page_size]
    searching = bool(filters.query.strip())
    column, _ = _order(sort, tab, searching)
    next_cursor = None
    if more and cases:
        last = cases[-1]
        next_cursor = encode_cursor(getattr(last, column.key), last.id)
    return Page(_rows(cases, only_nurse(staff), today), next_cursor, tab, sort, searching)


def _rows(cases: list[ClientCase], nurse: bool, today: date) -> list[Row]:
    """Questionnaires, references and flags of the page's cases in two small queries."""
    ids = [c.id for c in cases]
    questionnaires: dict[uuid.UUID, list[str]] = defaultdict(list)
    references: dict[uuid.UUID, str] = {}
    flags: dict[uuid.UUID, list[str]] = defaultdict(list)
    if ids:
        for case_id, questionnaire_id, reference in db.session.execute(
            select(Submission.case_id, Submission.questionnaire_id, Submission.reference)
            .where(Submission.case_id.in_(ids))
            .order_by(Submission.submitted_at)
        ):
            if nurse and questionnaire_id not in NURSE_QUESTIONNAIRES:
                continue
            references[case_id] = reference  # ordered by time: the last one wins
            if questionnaire_id not in questionnaires[case_id]:
                questionnaires[case_id].append(questionnaire_id)
        if not nurse:
            for case_id, flag_id in db.session.execute(
                select(CaseFlag.case_id, CaseFlag.flag_id).where(CaseFlag.case_id.in_(ids))
            ):
                flags[case_id].append(flag_id)
    return [
        Row(
            c,
            questionnaires[c.id],
            sorted(flags[c.id]),
            references.get(c.id),
            due_state(c, today),
            working_days_waited(c, today),
        )
        for c in cases
    ]


def tab_counts(staff: StaffMember, today: date) -> dict[str, int]:
    """How many cases each open tab holds (the closed tab is not counted: it only grows).

    One statement over the team's open cases, a FILTER per tab (bench/: 41 ms → 3 ms at 1 M).
    """
    tabs = TABS[:-1]
    columns = [func.count().filter(_tab_condition(tab, staff, today)).label(tab) for tab in tabs]
    where = [ClientCase.team_id == staff.team_id, ClientCase.status != Status.CLOSED]
    if only_nurse(staff):
        where.append(_nurse_condition())
    row = db.session.execute(select(*columns).select_from(ClientCase).where(*where)).one()
    return {tab: int(row._mapping[tab] or 0) for tab in tabs}
