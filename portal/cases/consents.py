"""Consents for information exchange: given in the saate, withdrawn from the person's own page.

One `Consent` row per party, like one Kela Y100 form per party: who may exchange information
with us, for what, whether health data is included, and for how long. A row is never deleted;
it ends when it is withdrawn (`withdrawn_at`), superseded by a newer consent for the same party
(also `withdrawn_at`, equal to the newer consent's `given_at`) or when `valid_until` has passed.
See docs/consents.md.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from portal.audit.log import record
from portal.cases.deadlines import HELSINKI, helsinki_date
from portal.cases.models import Consent, Submission
from portal.db import db, new_id

NOBODY = "ei_kenenkaan"  # the saate's exclusive "not to anyone": no consent at all
OTHER = "muu"  # the one party the person names themselves (consent_muu_name)

# Answer values of the saate's consent questions -> plain Finnish names, in display order.
PARTIES: dict[str, Any] = {
    "kela": _l("Kela"),
    "te": _l("TE-palvelut"),
    "tyollisyys": _l("Kunnan työllisyyspalvelut"),
    "terveys": _l("Terveyspalvelut"),
    "sosiaali": _l("Sosiaalipalvelut"),
    "tyoterveys": _l("Työterveyshuolto"),
    OTHER: _l("Muu taho"),
}

PURPOSES: dict[str, Any] = {
    "arviointi": _l("Työkyvyn ja palvelutarpeen arviointi"),
    "kuntoutus": _l("Kuntoutuksen suunnittelu"),
    "etuudet": _l("Etuuksien käsittely"),
    "palvelut": _l("Palvelujen yhteensovittaminen"),
}


@dataclass(frozen=True)
class Duration:
    label: Any
    months: int | None  # None: until the plan (suunnitelma) ends; no end date


DURATIONS: dict[str, Duration] = {
    "6_kk": Duration(_l("6 kuukautta"), 6),
    "1_v": Duration(_l("1 vuosi"), 12),
    "2_v": Duration(_l("2 vuotta"), 24),
    "suunnitelma": Duration(_l("Suunnitelman loppuun asti"), None),
}

# A party's answer is missing or not one of the values above (it should not be: the engine
# validates answers against the definition). Then the narrowest reading applies.
FALLBACK_DURATION = "6_kk"

PURPOSE_SEPARATOR = ","


def add_months(day: date, months: int) -> date:
    """The same day number `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(duration: str | None, given_on: date) -> date | None:
    """The last day the consent is in force (inclusive); None until the plan ends."""
    months = DURATIONS.get(duration or "", DURATIONS[FALLBACK_DURATION]).months
    return None if months is None else add_months(given_on, months)


def purpose_values(consent: Consent) -> list[str]:
    return [v for v in (consent.purpose or "").split(PURPOSE_SEPARATOR) if v]


def party_label(consent: Consent) -> Any:
    """What the person calls the party: the name they typed for `muu`, otherwise ours.

    Our names are lazy texts, translated when a page renders them (or str() in a request).
    """
    if consent.party == OTHER and consent.party_name:
        return consent.party_name
    if consent.party in PARTIES:
        return PARTIES[consent.party]
    return consent.party_name or consent.party


def purpose_labels(consent: Consent) -> list[Any]:
    return [PURPOSES.get(v, v) for v in purpose_values(consent)]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything this module stores is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _display_name(name: Any) -> str:
    return " ".join(str(name or "").split())[:200]  # Consent.party_name is 200 characters


def _normalised_name(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _same_party(consent: Consent, party: str, name: str | None) -> bool:
    """`muu` parties are told apart by the name the person typed; the others by value."""
    if consent.party != party:
        return False
    return party != OTHER or _normalised_name(consent.party_name) == _normalised_name(name)


def chosen_parties(answers: Mapping[str, Any]) -> list[str]:
    """The parties consented to, in PARTIES order; none at all if `ei_kenenkaan` is chosen."""
    chosen = set(_as_list(answers.get("consent_parties")))
    if NOBODY in chosen:
        return []
    parties = [p for p in PARTIES if p in chosen]
    if OTHER in parties and not _display_name(answers.get("consent_muu_name")):
        parties.remove(OTHER)  # consent to an unnamed party names no one
    return parties


def create_from_answers(
    person_id: uuid.UUID,
    submission_id: uuid.UUID | None,
    answers: Mapping[str, Any],
    given_at: datetime,
    *,
    given_by: uuid.UUID | None = None,
) -> list[Consent]:
    """One consent per party chosen in the saate answers, added to the current transaction.

    A new consent for a party supersedes the person's consent in force for that party: the
    earlier one ends at `given_at`. Consents for parties not chosen this time stay as they are.
    The caller commits (portal.cases.sending.send, in the same transaction as the submission).
    """
    given_at = _as_utc(given_at)
    given_on = helsinki_date(given_at)
    earlier = in_force_for(person_id, given_on)
    # A delegate's answers give consents too (their mandate covers the matter); it shows.
    kind, actor = ("delegate", str(given_by)) if given_by else ("citizen", str(person_id))
    created: list[Consent] = []
    for party in chosen_parties(answers):
        name = _display_name(answers.get("consent_muu_name")) if party == OTHER else None
        chosen_purposes = set(_as_list(answers.get(f"consent_{party}_purpose")))
        consent = Consent(
            id=new_id(),
            person_id=person_id,
            submission_id=submission_id,
            party=party,
            party_name=name,
            purpose=PURPOSE_SEPARATOR.join(p for p in PURPOSES if p in chosen_purposes) or None,
            includes_health=answers.get(f"consent_{party}_health") == "yes",
            valid_until=valid_until(answers.get(f"consent_{party}_until"), given_on),
            given_at=given_at,
            given_by_id=given_by,
        )
        for old in earlier:
            if _same_party(old, party, name) and withdraw(old, given_at):
                record(
                    kind,
                    actor,
                    "consent.superseded",
                    person_id=person_id,
                    submission_id=submission_id,
                    party=party,
                    consent_id=str(old.id),
                    superseded_by=str(consent.id),
                )
        db.session.add(consent)
        record(
            kind,
            actor,
            "consent.given",
            person_id=person_id,
            submission_id=submission_id,
            party=party,
            consent_id=str(consent.id),
        )
        created.append(consent)
    db.session.flush()
    return created


def withdraw(consent: Consent, when: datetime) -> bool:
    """End the consent at `when`; False if it had already ended by withdrawal.

    A conditional UPDATE, so two simultaneous withdrawals (a double click, two tabs, two
    processes) record one time and one audit event: only the first sees `withdrawn_at` empty.
    """
    when = _as_utc(when)
    result = db.session.execute(
        update(Consent)
        .where(Consent.id == consent.id, Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=when)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(consent)
    return result.rowcount == 1


def in_force_for(person_id: uuid.UUID, today: date) -> list[Consent]:
    """The person's consents in force on `today` (a Helsinki date), newest first."""
    return list(
        db.session.scalars(
            select(Consent)
            .where(
                Consent.person_id == person_id,
                Consent.withdrawn_at.is_(None),
                or_(Consent.valid_until.is_(None), Consent.valid_until >= today),
            )
            .order_by(Consent.given_at.desc())
        )
    )


# --- for pages: the citizen's own page and, later, the staff view of a person --------------


@dataclass(frozen=True)
class ConsentRow:
    """One consent as a page shows it."""

    consent: Consent
    reference: str | None  # the saate submission it was given with
    status: str  # "voimassa", "peruttu", "korvattu" or "paattynyt"
    party: Any  # party_label(): a lazy text or the name the person typed
    purposes: list[Any]
    ended_at: datetime | None  # withdrawn or superseded at
    ended_on: date | None  # expired: the last day it was in force

    @property
    def in_force(self) -> bool:
        return self.status == "voimassa"


@dataclass(frozen=True)
class ConsentSummary:
    in_force: list[ConsentRow]
    ended: list[ConsentRow]  # most recently ended first


def consents_summary(person_id: uuid.UUID, today: date) -> ConsentSummary:
    """All of the person's consents, split into those in force on `today` and ended ones.

    The caller decides who may see them: the citizen's own page passes the logged-in person,
    a staff page the person of a submission its team may read.
    """
    rows = db.session.execute(
        select(Consent, Submission.reference)
        .outerjoin(Submission, Consent.submission_id == Submission.id)
        .where(Consent.person_id == person_id)
        .order_by(Consent.given_at.desc())
    ).all()
    consents = [consent for consent, _ in rows]
    in_force: list[ConsentRow] = []
    ended: list[ConsentRow] = []
    for consent, reference in rows:
        status = _status(consent, consents, today)
        row = ConsentRow(
            consent=consent,
            reference=reference,
            status=status,
            party=party_label(consent),
            purposes=purpose_labels(consent),
            ended_at=consent.withdrawn_at,
            ended_on=consent.valid_until if status == "paattynyt" else None,
        )
        (in_force if status == "voimassa" else ended).append(row)
    ended.sort(key=_ended_sort_key, reverse=True)
    return ConsentSummary(in_force=in_force, ended=ended)


def _status(consent: Consent, consents: list[Consent], today: date) -> str:
    if consent.withdrawn_at is None:
        return "voimassa" if consent.in_force(today) else "paattynyt"
    ended = _as_utc(consent.withdrawn_at)
    superseded = any(
        other.id != consent.id
        and _same_party(other, consent.party, consent.party_name)
        and _as_utc(other.given_at) == ended
        for other in consents
    )
    return "korvattu" if superseded else "peruttu"


def _ended_sort_key(row: ConsentRow) -> datetime:
    if row.ended_at is not None:
        return _as_utc(row.ended_at)
    assert row.ended_on is not None
    return datetime.combine(row.ended_on, datetime.max.time(), HELSINKI).astimezone(UTC)
