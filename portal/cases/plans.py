"""The suunnitelma (LIITE 3, second part): versions written with the client, never edited.

A plan is a chain of versions per case: the first is *laadittu* (made), every later one a
*seuranta* (follow-up) or *päivitys* (update) chosen by the instructor. Saving writes a new
`PlanVersion` numbered max + 1, a `plan` CaseEvent (the citizen's timeline) and an e-mail that
only says something changed. The caller locks the case row first (team_case_or_404 with
for_update=True), so two saves of one case cannot take the same number; the unique key
(case_id, number) is the last guard.

`content` follows the paper form: goals [{goal, actions, coordinator, schedule}] (osatavoite,
toimenpide, koordinointivastuu, aikataulu), asiakasvastaava {name, title, phone, email} and
notes (huomioitavaa).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.alkupalvelu.models import StaffMember
from portal.cases.client_case import ClientCase, PlanVersion
from portal.cases.workflow import WorkflowError, record_event
from portal.db import db

FIRST, FOLLOW_UP, UPDATE = "laadittu", "seuranta", "paivitys"
KINDS = (FIRST, FOLLOW_UP, UPDATE)
LATER_KINDS = (FOLLOW_UP, UPDATE)
KIND_LABEL = {
    FIRST: _l("Laadittu"),
    FOLLOW_UP: _l("Seuranta"),
    UPDATE: _l("Päivitys"),
}

MAX_GOALS = 5  # fieldsets on the form; the paper form has four
GOAL_FIELDS = ("goal", "actions", "coordinator", "schedule")
CONTACT_FIELDS = ("name", "title", "phone", "email")
MAX_TEXT = 2000
MAX_LINE = 200

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9]{5,15}$")
PHONE_SEPARATORS = re.compile(r"[\s\-()]")


@dataclass
class Draft:
    """What the instructor typed, cleaned, with an error message per field id that failed."""

    content: dict[str, Any]
    follow_up_on: date | None
    kind: str
    errors: dict[str, str] = field(default_factory=dict)


def versions(case: ClientCase) -> list[PlanVersion]:
    """Every version of the case's plan, the newest first."""
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(PlanVersion.case_id == case.id)
            .order_by(PlanVersion.number.desc())
        ).all()
    )


def latest(case: ClientCase) -> PlanVersion | None:
    return db.session.scalars(
        select(PlanVersion)
        .where(PlanVersion.case_id == case.id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).first()


def version(case: ClientCase, number: int) -> PlanVersion | None:
    return db.session.scalars(
        select(PlanVersion).where(PlanVersion.case_id == case.id, PlanVersion.number == number)
    ).first()


def _text(value: object, limit: int) -> str:
    return str(value or "").strip()[:limit]


def clean(
    raw_goals: list[dict[str, Any]],
    contact: dict[str, Any],
    notes: str,
    follow_up: tuple[str, str, str],
    kind: str,
    *,
    first: bool,
    today: date,
) -> Draft:
    """Check the form's values; each error says what to do. Empty goal fieldsets are ignored.

    Field ids in `errors` match the form's: goals-<i>-goal, contact-email, contact-phone,
    contact-name, follow_up, kind, goals.
    """
    # Errors in the order of the form, so the error summary reads top-down.
    errors: dict[str, str] = {}
    if first:
        kind = FIRST
    elif kind not in LATER_KINDS:
        errors["kind"] = str(_l("Valitse, onko tämä seuranta vai päivitys."))
    goals: list[dict[str, str]] = []
    for index, raw in enumerate(raw_goals[:MAX_GOALS]):
        goal = {
            name: _text(raw.get(name), MAX_LINE if name == "schedule" else MAX_TEXT)
            for name in GOAL_FIELDS
        }
        if not any(goal.values()):
            continue
        if not goal["goal"]:
            errors[f"goals-{index}-goal"] = str(
                _l("Kirjoita osatavoite tai tyhjennä tämän osatavoitteen muut kentät.")
            )
        goals.append(goal)
    if not goals:
        errors["goals-0-goal"] = str(_l("Kirjoita vähintään yksi osatavoite."))

    person = {
        name: _text(contact.get(name), MAX_LINE if name != "email" else 320)
        for name in CONTACT_FIELDS
    }
    if not person["name"]:
        errors["contact-name"] = str(_l("Kirjoita asiakasvastaavan nimi."))
    phone = PHONE_SEPARATORS.sub("", person["phone"])
    if person["phone"] and not PHONE.match(phone):
        errors["contact-phone"] = str(
            _l("Anna puhelinnumero numeroina, esimerkiksi 040 123 4567 tai +358 40 123 4567.")
        )
    if person["email"] and not EMAIL.match(person["email"]):
        errors["contact-email"] = str(_l("Anna sähköpostiosoite muodossa nimi@esimerkki.fi."))
    if not person["phone"] and not person["email"] and "contact-phone" not in errors:
        errors["contact-phone"] = str(
            _l("Anna asiakasvastaavan puhelinnumero tai sähköpostiosoite, tai molemmat.")
        )

    follow_up_on = parse_date(*follow_up)
    if not any(part.strip() for part in follow_up):
        errors["follow_up"] = str(_l("Anna seurantapäivä."))
    elif follow_up_on is None:
        errors["follow_up"] = str(
            _l("Anna seurantapäivä oikeassa muodossa: päivä, kuukausi ja vuosi numeroina.")
        )
    elif follow_up_on <= today:
        errors["follow_up"] = str(_l("Seurantapäivän on oltava tulevaisuudessa."))

    content = {"goals": goals, "asiakasvastaava": person, "notes": _text(notes, MAX_TEXT)}
    return Draft(content=content, follow_up_on=follow_up_on, kind=kind, errors=errors)


def parse_date(day: str, month: str, year: str) -> date | None:
    """A GOV.UK date input's three fields as a date; None when they do not make one."""
    try:
        number_day, number_month, number_year = (int(str(p).strip()) for p in (day, month, year))
    except ValueError:
        return None
    if number_year < 1000:
        return None
    try:
        return date(number_year, number_month, number_day)
    except ValueError:
        return None


def save_version(
    case: ClientCase,
    staff: StaffMember,
    content: dict[str, Any],
    follow_up_on: date | None,
    kind: str,
) -> PlanVersion:
    """A new version of the plan (numbered max + 1), its timeline event and the e-mail.

    The caller has locked the case row, so the number cannot be taken meanwhile. Old versions
    are never touched. Callers commit.
    """
    if not case.is_open:
        raise WorkflowError(
            _l("Asia on päättynyt. Avaa asia uudelleen ennen suunnitelman tallentamista.")
        )
    previous = db.session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.case_id == case.id)
    )
    number = (previous or 0) + 1
    if number == 1:
        kind = FIRST
    elif kind not in LATER_KINDS:
        raise WorkflowError(_l("Valitse, onko tämä seuranta vai päivitys."))
    plan = PlanVersion(
        case_id=case.id,
        number=number,
        kind=kind,
        content=content,
        follow_up_on=follow_up_on,
        created_by=staff.id,
    )
    db.session.add(plan)
    # The timeline's "plan" step; the event function also queues the citizen's e-mail.
    record_event(case, staff, "plan", detail={"number": number, "kind": kind})
    db.session.flush()
    return plan
