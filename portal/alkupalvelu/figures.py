"""Team figures for the lead: how the queue is doing, without any client's data.

Counts and durations only — no names, no answers — so reading them is not an access to client
data and needs no audit record (the audit completeness test lists this room as such).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from portal.alkupalvelu.inbox import working_now
from portal.alkupalvelu.models import StaffMember, Team
from portal.cases.client_case import ClientCase, Status
from portal.cases.deadlines import HELSINKI, helsinki_date, working_days_between
from portal.db import db

WINDOW_DAYS = 90


@dataclass
class TeamFigures:
    by_status: dict[str, int]
    unassigned: int
    overdue: int
    arrived_30: int
    closed_30: int
    contacted_in_time: int
    contacted_late: int
    waiting_for_contact_late: int
    median_days_to_contact: float | None
    open_by_assignee: list[tuple[str, int]]
    forwarded_to: dict[str, int]
    window_days: int = WINDOW_DAYS

    @property
    def in_time_share(self) -> float | None:
        judged = self.contacted_in_time + self.contacted_late + self.waiting_for_contact_late
        return self.contacted_in_time / judged if judged else None


def team_figures(team: Team, today: date) -> TeamFigures:
    in_team = ClientCase.team_id == team.id
    by_status = dict(
        db.session.execute(
            select(ClientCase.status, func.count())
            .where(in_team, ClientCase.status != Status.CLOSED)
            .group_by(ClientCase.status)
        ).all()
    )
    unassigned = db.session.scalar(
        select(func.count()).where(in_team, ClientCase.assignee_id.is_(None), working_now(today))
    )
    overdue = db.session.scalar(
        select(func.count()).where(
            in_team,
            ClientCase.status != Status.CLOSED,
            ClientCase.first_contact_at.is_(None),
            ClientCase.contact_due < today,
        )
    )
    since_30 = datetime.combine(today - timedelta(days=30), datetime.min.time(), HELSINKI)
    arrived_30 = db.session.scalar(
        select(func.count()).where(in_team, ClientCase.opened_at >= since_30)
    )
    closed_30 = db.session.scalar(
        select(func.count()).where(in_team, ClientCase.closed_at >= since_30)
    )
    since_window = datetime.combine(
        today - timedelta(days=WINDOW_DAYS), datetime.min.time(), HELSINKI
    )
    recent = db.session.execute(
        select(ClientCase.opened_at, ClientCase.first_contact_at, ClientCase.contact_due).where(
            in_team, ClientCase.opened_at >= since_window
        )
    ).all()
    in_time = late = waiting_late = 0
    durations: list[int] = []
    for opened_at, contacted_at, due in recent:
        if contacted_at is None:
            waiting_late += due < today
            continue
        contacted_on = helsinki_date(contacted_at)
        durations.append(working_days_between(helsinki_date(opened_at), contacted_on))
        if contacted_on <= due:
            in_time += 1
        else:
            late += 1
    by_assignee = db.session.execute(
        select(StaffMember.name, func.count())
        .join(ClientCase, ClientCase.assignee_id == StaffMember.id)
        .where(in_team, working_now(today))
        .group_by(StaffMember.name)
        .order_by(func.count().desc(), StaffMember.name)
    ).all()
    forwarded = dict(
        db.session.execute(
            select(ClientCase.destination, func.count())
            .where(
                in_team,
                ClientCase.destination.is_not(None),
                and_(ClientCase.opened_at >= since_window),
            )
            .group_by(ClientCase.destination)
        ).all()
    )
    return TeamFigures(
        by_status={s: by_status.get(s, 0) for s in Status if s != Status.CLOSED},
        unassigned=unassigned or 0,
        overdue=overdue or 0,
        arrived_30=arrived_30 or 0,
        closed_30=closed_30 or 0,
        contacted_in_time=in_time,
        contacted_late=late,
        waiting_for_contact_late=waiting_late,
        median_days_to_contact=statistics.median(durations) if durations else None,
        open_by_assignee=[(name, count) for name, count in by_assignee],
        forwarded_to=forwarded,
    )
