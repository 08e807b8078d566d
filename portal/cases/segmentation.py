"""A suggested asiakkuussegmentti (client segment) from the answers, with the reasons shown.

The work-ability model of the seeds groups clients by how much support they need and how
many services have to work together:

- omatoimi (self-service): manages with guidance to digital and self-service options;
- yhteisö (community): needs light support, peer or community activities;
- verkosto (network): needs several services coordinated around them;
- yhteistyö (cooperation): needs intensive multiprofessional cooperation, own resources are few.

The suggestion is a plain points tally so that the instructor can read why it came out as it
did; the instructor always confirms or changes it. Pure: no database, no request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln

# Points at or above each threshold move the suggestion one segment up.
THRESHOLDS = (("yhteistyo", 8), ("verkosto", 5), ("yhteiso", 2))
LOW_DOMAIN = 40  # a self-assessment domain (0–100) below this is an area needing support
HIGH_AVERAGE = 70  # every domain on average at least this: own resources look good
MANY_SERVICES = 3  # this many ongoing services or contacts need coordinating

# Flags that each point to a need for support, with their weight.
FLAG_POINTS = {"mood": 2, "audit_c": 2, "no_income": 2, "asks_help": 1}
FLAG_REASONS = {
    "mood": _l("Mielialakysymysten vastaukset viittaavat masentuneeseen mielialaan (+2)."),
    "audit_c": _l("AUDIT-C viittaa alkoholin riskikäyttöön (+2)."),
    "no_income": _l("Asiakkaalla ei ole tuloja (+2)."),
    "asks_help": _l("Asiakas pyytää apua lomakkeella (+1)."),
}
SELF_ASSESSMENT_DOMAINS = ("hyvinvointi", "osallisuus", "mieli", "arki", "taidot", "keho")


def _value(score: Any) -> float | None:
    """A score as stored ({"value": …, "band": …}) or a bare number."""
    if isinstance(score, Mapping):
        score = score.get("value")
    return float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None


def _first(answers_by_questionnaire: Mapping[str, Mapping[str, Any]], question_id: str) -> Any:
    """The answer from the first questionnaire that has it (saate, then esitieto, then others)."""
    order = ["saate", "esitieto", *sorted(answers_by_questionnaire)]
    for questionnaire_id in order:
        answers = answers_by_questionnaire.get(questionnaire_id) or {}
        if answers.get(question_id) not in (None, "", []):
            return answers[question_id]
    return None


def _flag_ids(flags: Iterable[Any]) -> set[str]:
    return {f.get("id") if isinstance(f, Mapping) else str(f) for f in flags}


def _work_ability(
    answers_by_questionnaire: Mapping[str, Mapping[str, Any]], scores: Mapping[str, Any]
) -> float | None:
    value = _value(scores.get("work_ability"))
    if value is None:
        answer = _first(answers_by_questionnaire, "work_ability")
        try:
            value = float(answer) if answer is not None else None
        except (TypeError, ValueError):
            value = None
    return value


def suggest(
    answers_by_questionnaire: Mapping[str, Mapping[str, Any]],
    scores: Mapping[str, Any],
    flags: Iterable[Any],
) -> tuple[str, list[Any]]:
    """(segment, reasons) for the answers of a case.

    answers_by_questionnaire: questionnaire id -> its latest answers. scores: score id -> the
    stored score (or a number), from every questionnaire of the case (their ids do not clash in
    meaning). flags: flag ids or the stored flag dicts. Reasons are lazy texts, most weighty
    first as they are found; each says how many points it gave.
    """
    points = 0
    reasons: list[Any] = []

    work_ability = _work_ability(answers_by_questionnaire, scores)
    if work_ability is not None:
        shown = round(work_ability)
        if work_ability <= 3:
            points += 3
            reasons.append(
                _l("Oma arvio työkyvystä on hyvin heikko: %(value)s/10 (+3).", value=shown)
            )
        elif work_ability <= 5:
            points += 2
            reasons.append(_l("Oma arvio työkyvystä on heikko: %(value)s/10 (+2).", value=shown))
        elif work_ability <= 7:
            points += 1
            reasons.append(
                _l("Oma arvio työkyvystä on kohtalainen: %(value)s/10 (+1).", value=shown)
            )
        else:
            reasons.append(_l("Oma arvio työkyvystä on hyvä: %(value)s/10.", value=shown))

    raised = _flag_ids(flags)
    for flag_id, weight in FLAG_POINTS.items():
        if flag_id in raised:
            points += weight
            reasons.append(FLAG_REASONS[flag_id])

    if _first(answers_by_questionnaire, "drugs") == "yes":
        points += 2
        reasons.append(_l("Asiakas kertoo käyttävänsä huumeita (+2)."))
    if _first(answers_by_questionnaire, "illnesses_affecting") == "yes":
        points += 1
        reasons.append(_l("Sairaudet vaikuttavat arkeen tai työkykyyn (+1)."))
    if _first(answers_by_questionnaire, "sick_leave_long") == "yes":
        points += 1
        reasons.append(_l("Pitkiä tai toistuvia sairauslomia (+1)."))

    network = _first(answers_by_questionnaire, "service_network") or []
    services = len([item for item in network if isinstance(item, Mapping) and any(item.values())])
    if services >= MANY_SERVICES:
        points += 2
        reasons.append(
            _l(
                "Asiakkaalla on %(count)s palvelua tai yhteyshenkilöä sovitettavana yhteen (+2).",
                count=services,
            )
        )
    elif services:
        points += 1
        reasons.append(
            _ln(
                "Asiakkaalla on %(num)s palvelu tai yhteyshenkilö (+1).",
                "Asiakkaalla on %(num)s palvelua tai yhteyshenkilöä (+1).",
                services,
            )
        )

    domains = [_value(scores.get(d)) for d in SELF_ASSESSMENT_DOMAINS]
    known = [v for v in domains if v is not None]
    low = [v for v in known if v < LOW_DOMAIN]
    if len(low) >= 3:
        points += 2
        reasons.append(
            _l(
                "Oman arvion osa-alueista %(count)s on alle %(limit)s/100 (+2).",
                count=len(low),
                limit=LOW_DOMAIN,
            )
        )
    elif low:
        points += 1
        reasons.append(
            _l(
                "Oman arvion osa-alueista %(count)s on alle %(limit)s/100 (+1).",
                count=len(low),
                limit=LOW_DOMAIN,
            )
        )
    elif known and sum(known) / len(known) >= HIGH_AVERAGE:
        reasons.append(
            _l("Oman arvion osa-alueet ovat keskimäärin hyvät: omat voimavarat tukevat.")
        )

    if not reasons:
        reasons.append(_l("Vastauksista ei löytynyt tuen tarvetta osoittavia tietoja."))
    segment = next((name for name, least in THRESHOLDS if points >= least), "omatoimi")
    reasons.append(_l("Pisteitä yhteensä %(points)s.", points=points))
    return segment, reasons
