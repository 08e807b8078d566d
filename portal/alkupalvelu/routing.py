"""Which alkupalvelu team receives a submission: routing rules are data in the database."""

from __future__ import annotations

from sqlalchemy import select

from portal.alkupalvelu.models import RoutingRule, Team
from portal.db import db


class NoCentralTeam(RuntimeError):
    """Configuration error: some submission matched no rule and no central team exists."""


def route(municipality_code: str | None, questionnaire_id: str) -> tuple[Team, RoutingRule | None]:
    """The most specific rule wins (municipality + questionnaire, then municipality);
    an unknown municipality goes to the central team, with no rule recorded."""
    if municipality_code:
        rules = db.session.scalars(
            select(RoutingRule).where(
                RoutingRule.municipality_code == municipality_code,
                (RoutingRule.questionnaire_id == questionnaire_id)
                | RoutingRule.questionnaire_id.is_(None),
            )
        ).all()
        if rules:
            rule = sorted(rules, key=lambda r: r.questionnaire_id is None)[0]
            return rule.team, rule
    central = db.session.scalars(select(Team).where(Team.is_central)).first()
    if central is None:
        raise NoCentralTeam("No central alkupalvelu team: add one (flask seed-demo shows how).")
    return central, None
