"""Changing the routing rules: every change is a new version, never an edit in place.

A change retires the active row (retired_at, retired_by) and inserts its successor with
`replaces_id`, so a submission keeps pointing at the exact version that routed it and the
history reads who changed what, when and why. The partial unique index
`uq_routing_rule_active` is the final judge of "one active rule per municipality +
questionnaire + flag"; the checks here only turn it into a message a person can act on.

Every change is written to the audit log as "routing.changed" (no person data). Callers
commit; on RoutingError they roll back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.alkupalvelu.access import ADMIN
from portal.alkupalvelu.models import Municipality, RoutingRule, StaffMember, Team
from portal.alkupalvelu.routing import active_rules
from portal.audit.log import record
from portal.audit.staff import primary_role
from portal.db import db, utcnow
from portal.questionnaires import registry

ACTION = "routing.changed"
REASON_MAX = 1000
MIN_CONTACT_DAYS, MAX_CONTACT_DAYS = 1, 10


class RoutingError(ValueError):
    """A change that cannot be made; `message` is shown in the error summary, `field` says
    which form field it belongs to."""

    def __init__(
        self, message: Any, field: str | None = None, existing: RoutingRule | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        # For a duplicate: the active rule to change instead.
        self.existing = existing


DUPLICATE = _l(
    "Tälle kunnalle on jo voimassa oleva sääntö samalla lomakkeella ja huomiolla. "
    "Muuta olemassa olevaa sääntöä uuden lisäämisen sijaan."
)
ALREADY_CHANGED = _l(
    "Sääntöä on juuri muutettu tai se on poistettu. Tarkista voimassa olevat säännöt ja yritä "
    "uudelleen."
)


def flag_labels() -> dict[str, str]:
    """Every triage flag the questionnaire definitions can raise: id → label (untranslated)."""
    labels: dict[str, str] = {}
    for questionnaire in registry.all_questionnaires().values():
        for flag in questionnaire.flags:
            labels.setdefault(flag.id, flag.label)
    return labels


def _audit(staff: StaffMember, op: str, **detail: Any) -> None:
    record(
        "staff",
        str(staff.id),
        ACTION,
        actor_role=primary_role(staff),
        team_id=staff.team_id,
        op=op,
        **detail,
    )


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise RoutingError(_l("Kirjoita muutoksen syy."), "reason")
    if len(text) > REASON_MAX:
        raise RoutingError(
            _l("Syy voi olla enintään %(count)s merkkiä.", count=REASON_MAX), "reason"
        )
    return text


def _team(team_id: int | None) -> Team:
    team = db.session.get(Team, team_id) if team_id else None
    if team is None:
        raise RoutingError(_l("Valitse tiimi, joka saa lomakkeet."), "team_id")
    return team


def _active_duplicate(
    municipality_code: str, questionnaire_id: str | None, flag_id: str | None
) -> RoutingRule | None:
    return db.session.scalars(
        active_rules().where(
            RoutingRule.municipality_code == municipality_code,
            RoutingRule.questionnaire_id.is_(None)
            if questionnaire_id is None
            else RoutingRule.questionnaire_id == questionnaire_id,
            RoutingRule.flag_id.is_(None) if flag_id is None else RoutingRule.flag_id == flag_id,
        )
    ).first()


def _insert(rule: RoutingRule) -> None:
    """Insert now, so a lost race (the unique index) surfaces as the duplicate message; the
    failed transaction is rolled back here, as nothing in it can be committed any more."""
    db.session.add(rule)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise RoutingError(DUPLICATE) from None


def add_rule(
    staff: StaffMember,
    *,
    municipality_code: str | None,
    questionnaire_id: str | None,
    flag_id: str | None,
    team_id: int | None,
    reason: str | None,
) -> RoutingRule:
    """A new rule; refused when an active rule with the same conditions exists."""
    municipality = db.session.get(Municipality, municipality_code) if municipality_code else None
    if municipality is None:
        raise RoutingError(_l("Valitse kunta."), "municipality_code")
    questionnaire_id = questionnaire_id or None
    flag_id = flag_id or None
    if questionnaire_id is not None:
        questionnaire = registry.get(questionnaire_id)
        if questionnaire is None:
            raise RoutingError(_l("Valitse lomake listasta."), "questionnaire_id")
        if flag_id is not None and flag_id not in {f.id for f in questionnaire.flags}:
            raise RoutingError(
                _l("Valitsemasi lomake ei nosta tätä huomiota. Valitse toinen huomio tai lomake."),
                "flag_id",
            )
    if flag_id is not None and flag_id not in flag_labels():
        raise RoutingError(_l("Valitse huomio listasta."), "flag_id")
    team = _team(team_id)
    text = _reason(reason)
    existing = _active_duplicate(municipality.code, questionnaire_id, flag_id)
    if existing is not None:
        raise RoutingError(DUPLICATE, existing=existing)
    rule = RoutingRule(
        municipality_code=municipality.code,
        questionnaire_id=questionnaire_id,
        flag_id=flag_id,
        team_id=team.id,
        created_at=utcnow(),
        created_by=staff.id,
        reason=text,
    )
    _insert(rule)
    _audit(
        staff,
        "added",
        rule_id=rule.id,
        municipality=municipality.code,
        questionnaire=questionnaire_id,
        flag=flag_id,
        to_team=team.id,
        reason=text,
    )
    return rule


def _active_for_update(rule_id: int) -> RoutingRule:
    rule = db.session.scalars(
        select(RoutingRule)
        .where(RoutingRule.id == rule_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if rule is None or rule.retired_at is not None:
        raise RoutingError(ALREADY_CHANGED)
    return rule


def change_team(
    staff: StaffMember, rule_id: int, *, team_id: int | None, reason: str | None
) -> RoutingRule:
    """Retire the rule and add its successor sending to `team_id`; returns the new version."""
    old = _active_for_update(rule_id)
    team = _team(team_id)
    if team.id == old.team_id:
        raise RoutingError(_l("Sääntö ohjaa jo tälle tiimille. Valitse toinen tiimi."), "team_id")
    text = _reason(reason)
    now = utcnow()
    old.retired_at = now
    old.retired_by = staff.id
    # The old row must leave the active index before its successor enters it.
    db.session.flush()
    new = RoutingRule(
        municipality_code=old.municipality_code,
        questionnaire_id=old.questionnaire_id,
        flag_id=old.flag_id,
        team_id=team.id,
        created_at=now,
        created_by=staff.id,
        reason=text,
        replaces_id=old.id,
    )
    _insert(new)
    _audit(
        staff,
        "changed",
        rule_id=new.id,
        replaces_id=old.id,
        municipality=old.municipality_code,
        questionnaire=old.questionnaire_id,
        flag=old.flag_id,
        from_team=old.team_id,
        to_team=team.id,
        reason=text,
    )
    return new


def retire_rule(staff: StaffMember, rule_id: int, *, reason: str | None) -> RoutingRule:
    """Retire a rule without successor: its municipality falls back to a less specific rule,
    or to the central team."""
    rule = _active_for_update(rule_id)
    text = _reason(reason)
    rule.retired_at = utcnow()
    rule.retired_by = staff.id
    rule.retired_reason = text
    db.session.flush()
    _audit(
        staff,
        "retired",
        rule_id=rule.id,
        municipality=rule.municipality_code,
        questionnaire=rule.questionnaire_id,
        flag=rule.flag_id,
        from_team=rule.team_id,
        reason=text,
    )
    return rule


def editable_teams(staff: StaffMember) -> list[Team]:
    """Whose contact deadline this person may change: a lead their own team, an admin any."""
    if ADMIN in (staff.roles or ()):
        return list(db.session.scalars(select(Team).order_by(Team.name)))
    return [staff.team] if staff.team is not None else []


def set_contact_days(staff: StaffMember, team_id: int | None, days: int | None) -> Team:
    """The team's contact promise in working days; applies to submissions arriving later."""
    team = next((t for t in editable_teams(staff) if t.id == team_id), None)
    if team is None:
        raise RoutingError(_l("Valitse tiimi, jonka määräaikaa voit muuttaa."), "team_id")
    if days is None or not MIN_CONTACT_DAYS <= days <= MAX_CONTACT_DAYS:
        raise RoutingError(
            _l(
                "Määräajan pitää olla %(low)s–%(high)s arkipäivää.",
                low=MIN_CONTACT_DAYS,
                high=MAX_CONTACT_DAYS,
            ),
            "days",
        )
    before = team.contact_working_days
    if before != days:
        team.contact_working_days = days
        _audit(staff, "contact_days", team=team.id, before=before, after=days)
    return team


@dataclass(frozen=True)
class RetiredVersion:
    rule: RoutingRule
    successor: RoutingRule | None
    # Why it was retired: the successor's reason, or the reason given when it was removed.
    why: str | None


def history(limit: int = 200) -> list[RetiredVersion]:
    """Retired versions, most recently retired first, each with why it was retired."""
    retired = db.session.scalars(
        select(RoutingRule)
        .where(RoutingRule.retired_at.is_not(None))
        .order_by(RoutingRule.retired_at.desc(), RoutingRule.id.desc())
        .limit(limit)
    ).all()
    if not retired:
        return []
    ids = [r.id for r in retired]
    successors = {
        r.replaces_id: r
        for r in db.session.scalars(select(RoutingRule).where(RoutingRule.replaces_id.in_(ids)))
    }
    return [
        RetiredVersion(
            rule=r,
            successor=successors.get(r.id),
            why=successors[r.id].reason if r.id in successors else r.retired_reason,
        )
        for r in retired
    ]


def versions(rule: RoutingRule) -> list[RoutingRule]:
    """The rule's chain of versions, newest first (the rule itself included)."""
    chain = [rule]
    seen = {rule.id}
    current = rule
    while current.replaces_id is not None and current.replaces_id not in seen:
        current = db.session.get(RoutingRule, current.replaces_id)
        if current is None:
            break
        chain.append(current)
        seen.add(current.id)
    # Later versions too, when an old version is opened.
    current = rule
    while True:
        newer = db.session.scalars(
            select(RoutingRule).where(RoutingRule.replaces_id == current.id)
        ).first()
        if newer is None or newer.id in seen:
            break
        chain.insert(0, newer)
        seen.add(newer.id)
        current = newer
    return chain
