"""Which alkupalvelu team receives a submission: routing rules are data in the database."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from portal.alkupalvelu.models import RoutingRule, Team
from portal.db import db


class NoCentralTeam(RuntimeError):
    """Configuration error: some submission matched no rule and no central team exists."""


def active_rules() -> Select[tuple[RoutingRule]]:
    return select(RoutingRule).where(RoutingRule.retired_at.is_(None))


def _specificity(rule: RoutingRule) -> tuple[bool, bool]:
    # Questionnaire and flag both named beats one named beats neither; questionnaire before flag.
    return (rule.questionnaire_id is None, rule.flag_id is None)


def route(
    municipality_code: str | None, questionnaire_id: str, flag_ids: Sequence[str] = ()
) -> tuple[Team, RoutingRule | None]:
    """The most specific active rule wins (municipality + questionnaire + flag, then fewer
    conditions); an unknown municipality goes to the central team, with no rule recorded."""
    if municipality_code:
        rules = db.session.scalars(
            active_rules().where(
                RoutingRule.municipality_code == municipality_code,
                (RoutingRule.questionnaire_id == questionnaire_id)
                | RoutingRule.questionnaire_id.is_(None),
                RoutingRule.flag_id.in_(list(flag_ids)) | RoutingRule.flag_id.is_(None),
            )
        ).all()
        if rules:
            rule = sorted(rules, key=lambda r: (_specificity(r), r.id))[0]
            return rule.team, rule
    central = db.session.scalars(select(Team).where(Team.is_central)).first()
    if central is None:
        raise NoCentralTeam("No central alkupalvelu team: add one (flask seed-demo shows how).")
    return central, None
