"""Fill a database with a realistic alkupalvelu load for the inbox benchmark (bench/inbox.py).

    .venv/bin/python bench/generate.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/tyokykyportti_bench \\
        --submissions 1000000 --reset

~20 teams (portal.demo's three and generated ones, each with routing rules), 15–40 staff per
team, persons with TEST identity codes only (individual numbers 900–999), ~1.5 submissions per
client case, cases over four years, ~93 % closed, the rest spread over the open statuses, flags
on ~30 % of cases and a short event history per case. Deterministic for a given --seed and
--today.

PostgreSQL is loaded with COPY in one transaction: foreign-key triggers off and secondary
indexes dropped during the load, then rebuilt exactly as the migrations defined them, then
VACUUM ANALYZE. SQLite (the smoke test only) gets plain batched INSERTs.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import partial
from typing import Any

import sqlalchemy as sa
from stdnum.fi import hetu as stdnum_hetu

from portal import demo
from portal.cases.client_case import DESTINATIONS, SEGMENTS
from portal.cases.deadlines import add_working_days
from portal.cases.reference import ALPHABET

HORIZON_DAYS = 4 * 365 + 1
CLOSED_SHARE = 0.93
# uuid4: version nibble 4, variant bits 10 (as uuid.UUID(int=..., version=4) sets them).
UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
UUID_SET = (4 << 76) | (0x8000 << 48)
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# Small lists of common Finnish names; every generated identity code is a test code anyway.
FAMILY_NAMES = (  # noqa: SIM905
    "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen "
    "Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen "
    "Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen "
    "Leinonen Hiltunen Miettinen Pitkänen Aaltonen Manninen Väisänen Anttila Lindholm Laaksonen "
    "Hirvonen Hakala Räsänen Koivisto Kettunen Ojala Nurmi Kallio Laakso Eskelinen"
).split()
GIVEN_NAMES = (  # noqa: SIM905
    "Aada Aino Anna Eeva Elina Emilia Helmi Iida Johanna Kaisa Laura Linnea Maria Minna Olivia "
    "Pia Riikka Sanna Siiri Tiina Aleksi Antti Eino Elias Hannu Jari Juha Juho Kalle Lauri "
    "Matti Mikko Niko Onni Pekka Sami Timo Tuomas Veeti Väinö"
).split()

QUESTIONNAIRES = {"saate": 1, "omaarvio": 1, "esitieto": 2}
FLAGS = {  # id: (weight, label as the definitions word it)
    "mood": (30, "Mieliala voi olla masentunut"),
    "work_ability_poor": (25, "Oma arvio työkyvystä on heikko"),
    "contact_by_phone": (20, "Toivoo yhteydenottoa puhelimella"),
    "no_income": (12, "Ei tuloja"),
    "audit_c": (8, "Alkoholin käyttö voi olla riskikäyttöä"),
    "asks_help": (5, "Pyytää apua"),
}
# Open cases by status (the 7 % that are not closed): share, how many days back they opened.
OPEN_STATUSES = {
    "uusi": (0.30, 0, 15),
    "tyon_alla": (0.40, 0, 60),
    "odottaa": (0.15, 5, 90),
    "ohjattu": (0.15, 3, 60),
}

# Teams beyond the demo's: (slug, name, [(municipality code, name)], weight ~ population).
GENERATED_TEAMS: tuple[tuple[str, str, list[tuple[str, str]], int], ...] = (
    ("espoo", "Espoon alkupalvelu", [("049", "Espoo")], 8),
    ("vantaa", "Vantaan alkupalvelu", [("092", "Vantaa")], 7),
    (
        "tampere",
        "Tampereen seudun alkupalvelu",
        [("837", "Tampere"), ("211", "Kangasala"), ("604", "Pirkkala")],
        9,
    ),
    (
        "turku",
        "Turun seudun alkupalvelu",
        [("853", "Turku"), ("202", "Kaarina"), ("680", "Raisio")],
        8,
    ),
    ("oulu", "Oulun seudun alkupalvelu", [("564", "Oulu"), ("425", "Liminka")], 7),
    ("lahti", "Lahden alkupalvelu", [("398", "Lahti")], 4),
    ("kuopio", "Kuopion seudun alkupalvelu", [("297", "Kuopio"), ("749", "Siilinjärvi")], 5),
    ("pori", "Porin alkupalvelu", [("609", "Pori")], 3),
    ("joensuu", "Joensuun alkupalvelu", [("167", "Joensuu")], 3),
    ("lappeenranta", "Lappeenrannan alkupalvelu", [("405", "Lappeenranta")], 3),
    ("hameenlinna", "Hämeenlinnan alkupalvelu", [("109", "Hämeenlinna")], 3),
    ("vaasa", "Vaasan alkupalvelu", [("905", "Vaasa")], 3),
    ("seinajoki", "Seinäjoen alkupalvelu", [("743", "Seinäjoki")], 3),
    ("rovaniemi", "Rovaniemen alkupalvelu", [("698", "Rovaniemi")], 2),
    ("mikkeli", "Mikkelin alkupalvelu", [("491", "Mikkeli")], 2),
    ("kouvola", "Kouvolan alkupalvelu", [("286", "Kouvola")], 3),
    ("kotka", "Kotkan alkupalvelu", [("285", "Kotka")], 2),
)
DEMO_WEIGHTS = {"jyvaskyla": 12, "aanekoski": 3, "keskitetty": 5}
# Municipalities without a rule: their people reach the central team.
UNROUTED = (("078", "Hanko"), ("235", "Kauniainen"))

# Tables the generator fills, parents first; --reset empties them (and what hangs off them).
TABLES = (
    "municipality",
    "team",
    "staff_member",
    "routing_rule",
    "person",
    "client_case",
    "submission",
    "case_flag",
    "case_event",
)
RESET_ALSO = ("case_entry", "plan_version", "consent", "draft", "person_answer", "outbox_message")
BIG_TABLES = ("person", "client_case", "submission", "case_flag", "case_event")


# --- the world: teams, municipalities, rules, staff -------------------------------------------


@dataclass
class TeamSpec:
    id: int
    slug: str
    name: str
    weight: int
    municipalities: list[str]
    central: bool = False
    instructors: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)


@dataclass
class World:
    teams: list[TeamSpec]
    municipalities: list[tuple[str, str]]
    # municipality code → (team, routing rule id or None)
    routes: dict[str, tuple[TeamSpec, int | None]]
    rows: dict[str, list[tuple[Any, ...]]]


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("äöå", "aoa"))


def build_world(rng: random.Random, now: datetime) -> World:
    teams: list[TeamSpec] = []
    names: dict[str, str] = dict(demo.MUNICIPALITIES)
    for spec in demo.TEAMS:
        teams.append(
            TeamSpec(
                len(teams) + 1,
                spec["slug"],
                spec["name"],
                DEMO_WEIGHTS.get(spec["slug"], 3),
                list(spec["municipalities"]),
                central=spec.get("central", False),
            )
        )
    for slug, name, municipalities, weight in GENERATED_TEAMS:
        names.update(municipalities)
        teams.append(TeamSpec(len(teams) + 1, slug, name, weight, [c for c, _ in municipalities]))
    central = next(t for t in teams if t.central)
    names.update(UNROUTED)
    routed = {code for t in teams for code in t.municipalities}
    central.municipalities = [code for code in names if code not in routed]

    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    rows["municipality"] = sorted(names.items())
    routes: dict[str, tuple[TeamSpec, int | None]] = {}
    for team in teams:
        rows["team"].append(
            (
                team.id,
                team.slug,
                team.name,
                f"alkupalvelu.{team.slug}@example.invalid",
                team.central,
                3,
            )
        )
        for code in team.municipalities:
            if code in routed:
                rule_id = len(rows["routing_rule"]) + 1
                rows["routing_rule"].append(
                    (
                        rule_id,
                        code,
                        None,
                        None,
                        team.id,
                        now - timedelta(days=HORIZON_DAYS + 30),
                        None,
                        "Benchmark data (bench/generate.py)",
                        None,
                        None,
                        None,
                    )
                )
                routes[code] = (team, rule_id)
            else:
                routes[code] = (team, None)

    by_slug = {t.slug: t for t in teams}
    staff_id = 0

    def add_staff(team: TeamSpec, sub: str, name: str, roles: list[str]) -> None:
        nonlocal staff_id
        staff_id += 1
        rows["staff_member"].append((staff_id, sub, name, None, team.id, to_json(roles), None))
        team.staff.append(staff_id)
        if "sosiaaliohjaaja" in roles:
            team.instructors.append(staff_id)

    for spec in demo.STAFF:
        add_staff(by_slug[spec["team"]], spec["sub"], spec["name"], list(spec["roles"]))
    for team in teams:
        size = min(40, 15 + 2 * team.weight + rng.randint(0, 5))
        while len(team.staff) < size:
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            n = len(team.staff)
            roles = (
                ["sosiaaliohjaaja", "tiiminvetaja"]
                if n < 2
                else ["terveydenhoitaja"]
                if n < 4
                else ["sosiaaliohjaaja"]
            )
            add_staff(
                team,
                f"bench.{team.slug}.{_ascii(given)}.{_ascii(family)}.{n}",
                f"{given} {family}",
                roles,
            )
    return World(teams, rows["municipality"], routes, rows)


# --- people and their cases -------------------------------------------------------------------


class Ids:
    """Deterministic uuid4s, unique identity codes and unique references."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.hetus: set[int] = set()
        self.references: set[str] = set()
        self.first_birthday = date(1961, 1, 1)
        self.birthdays = (date(2006, 12, 31) - self.first_birthday).days + 1

    def uuid(self) -> str:
        """A version 4 UUID as 32 hex digits (what COPY reads fastest)."""
        n = self.rng.getrandbits(128) & UUID_CLEAR | UUID_SET
        return f"{n:032x}"

    def hetu(self) -> str:
        # 100 test individual numbers × ~46 years of birthdays: ~1.7 M distinct codes.
        while True:
            n = self.rng.randrange(self.birthdays * 100)
            if n not in self.hetus:
                self.hetus.add(n)
                break
        born = self.first_birthday + timedelta(days=n // 100)
        individual = 900 + n % 100
        digits = f"{born:%d%m%y}{individual:03d}"
        sign = "-" if born.year < 2000 else "A"
        code = f"{born:%d%m%y}{sign}{individual:03d}{HETU_CHECK[int(digits) % 31]}"
        if len(self.hetus) == 1:  # the check character computed here agrees with stdnum
            stdnum_hetu.validate(code, allow_temporary=True)
        return code

    def reference(self) -> str:
        while True:
            body = "".join(self.rng.choices(ALPHABET, k=8))
            ref = f"TK-{body[:4]}-{body[4:]}"
            if ref not in self.references:
                self.references.add(ref)
                return ref


# JSON columns are written as text: serialised once, here.
to_json = partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
EMPTY = "{}"


def dashed(hex32: str) -> str:
    """The canonical 8-4-4-4-12 form of a UUID (as the app writes it into JSON details)."""
    h = hex32
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _answers(rng: random.Random, questionnaire: str) -> str:
    """A small stand-in for the answers (JSON text): enough to look real, not the whole form."""
    r = rng.random
    if questionnaire == "omaarvio":
        v = [1 + int(r() * 5) for _ in range(6)]
        return (
            f'{{"hyvinvointi":{v[0]},"osallisuus":{v[1]},"mieli":{v[2]},"arki":{v[3]},'
            f'"taidot":{v[4]},"keho":{v[5]}}}'
        )
    contact = ("phone", "email", "message")[int(r() * 3)]
    return f'{{"work_ability":{int(r() * 11)},"contact_preference":"{contact}","filled_by":"self"}}'


class Generator:
    def __init__(
        self, world: World, rng: random.Random, now: datetime, *, python_events: bool = True
    ) -> None:
        self.python_events = python_events
        self.world = world
        self.rng = rng
        self.ids = Ids(rng)
        self.now = now
        self.today = now.date()
        self.start = now - timedelta(days=HORIZON_DAYS)
        self.due: dict[date, date] = {}
        codes, weights = [], []
        for team in world.teams:
            for code in team.municipalities:
                codes.append(code)
                weights.append(team.weight / len(team.municipalities))
        self.codes, self.code_weights = codes, weights
        self.flag_ids = list(FLAGS)
        self.flag_weights = [w for w, _ in FLAGS.values()]
        self.submissions = 0
        self._quota = 0
        self.cases = 0
        self.open_cases = 0
        self.status_count: dict[str, int] = {}

    def contact_due(self, day: date) -> date:
        if day not in self.due:
            self.due[day] = add_working_days(day, 3)
        return self.due[day]

    def moment(self, days_back_from: float, days_back_to: float) -> datetime:
        """A random moment between the two day offsets back from now (from > to)."""
        seconds = self.rng.uniform(days_back_to * 86400, days_back_from * 86400)
        return self.now - timedelta(seconds=seconds)

    def person(self, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        rng = self.rng
        code = rng.choices(self.codes, self.code_weights)[0]
        team, rule_id = self.world.routes[code]
        person_id = self.ids.uuid()
        family = rng.choice(FAMILY_NAMES)
        given = f"{rng.choice(GIVEN_NAMES)} {rng.choice(GIVEN_NAMES)}"
        n_cases = _weighted(rng, ((1, 0.78), (2, 0.17), (3, 0.05)))
        # The latest case is open with this chance; earlier ones are always closed.
        open_last = rng.random() < (1 - CLOSED_SHARE) * 1.27
        status = None
        if open_last:
            status = _weighted(rng, [(s, share) for s, (share, _, _) in OPEN_STATUSES.items()])
            _, near, far = OPEN_STATUSES[status]
            last_open = self.moment(far, near)
        else:
            last_open = self.now - timedelta(days=2)
        closed_times = sorted(
            self.moment(HORIZON_DAYS, (self.now - last_open).days + 2)
            for _ in range(n_cases - (1 if open_last else 0))
        )
        rows["person"].append(
            (
                person_id,
                self.ids.hetu(),
                given,
                family,
                code,
                closed_times[0] if closed_times else last_open,
                None,
                None,
                None,
            )
        )
        boundaries = [*closed_times[1:], last_open if open_last else self.now][: len(closed_times)]
        for opened, until in zip(closed_times, boundaries, strict=True):
            if self.submissions < self._quota:  # stop exactly at --submissions
                self.case(rows, person_id, team, rule_id, code, opened, "paattynyt", until)
        if open_last and self.submissions < self._quota:
            assert status is not None
            self.case(rows, person_id, team, rule_id, code, last_open, status, self.now)

    def case(
        self,
        rows: dict[str, list[tuple[Any, ...]]],
        person_id: str,
        team: TeamSpec,
        rule_id: int | None,
        code: str,
        opened: datetime,
        status: str,
        limit: datetime,
    ) -> None:
        rng = self.rng
        case_id = self.ids.uuid()
        self.cases += 1
        self.status_count[status] = self.status_count.get(status, 0) + 1
        due = self.contact_due(opened.date())
        closed = status == "paattynyt"
        end = limit
        closed_at = None
        if closed:
            span = min(rng.expovariate(1 / 21) + 0.5, max(0.1, (limit - opened).days - 0.05))
            closed_at = min(opened + timedelta(days=span), limit - timedelta(hours=1))
            closed_at = max(closed_at, opened + timedelta(minutes=30))
            end = closed_at
        else:
            self.open_cases += 1

        assignee = None
        if status != "uusi" and not (status != "paattynyt" and rng.random() < 0.04):
            assignee = rng.choice(team.instructors)
        if status == "tyon_alla" and assignee is None:
            pass  # released back to the queue: in Unassigned, still "työn alla"
        claimed_at = opened + (end - opened) * rng.uniform(0.02, 0.3) if assignee else None
        contacted = (
            claimed_at is not None
            and (status != "tyon_alla" or rng.random() < 0.8)
            and (not closed or rng.random() < 0.95)
        )
        first_contact_at = (
            claimed_at + (end - claimed_at) * rng.uniform(0.05, 0.5)
            if contacted and claimed_at
            else None
        )
        waiting_until = (
            self.today + timedelta(days=rng.randint(-7, 30)) if status == "odottaa" else None
        )
        destination = None
        if status == "ohjattu" or (closed and rng.random() < 0.6):
            destination = rng.choice(DESTINATIONS)
        detail = "Omahoito-ohjelma" if destination == "muu" else None
        segment = None
        segment_at = None
        if assignee and ((closed and rng.random() < 0.6) or rng.random() < 0.3):
            segment = rng.choice(SEGMENTS)
            segment_at = opened + (end - opened) * 0.5

        # Submissions: the first opens the case, the rest arrive while it is open.
        count = _weighted(rng, ((1, 0.6), (2, 0.3), (3, 0.1)))
        if self.submissions + count > self._quota:
            count = self._quota - self.submissions
        questionnaires = rng.sample(list(QUESTIONNAIRES), max(1, count))
        later = sorted(opened + (end - opened) * rng.uniform(0, 0.5) for _ in range(count - 1))
        times = [opened, *later]
        flags = (
            sorted(set(rng.choices(self.flag_ids, self.flag_weights, k=rng.randint(1, 2))))
            if rng.random() < 0.3
            else []
        )
        rows["client_case"].append(
            (
                case_id,
                person_id,
                team.id,
                code,
                status,
                assignee,
                opened,
                times[-1],
                due,
                first_contact_at,
                waiting_until,
                destination,
                detail,
                closed_at,
                segment,
                assignee if segment else None,
                segment_at,
                EMPTY,
            )
        )
        for flag in flags:
            rows["case_flag"].append((case_id, flag))
        for n, (questionnaire, at) in enumerate(zip(questionnaires, times, strict=False)):
            submission_id = self.ids.uuid()
            reference = self.ids.reference()
            flag_docs = (
                to_json(
                    [
                        {"id": f, "label": FLAGS[f][1], "reason": "Benchmark data", "rule": 0}
                        for f in flags
                    ]
                )
                if n == 0 and flags
                else "[]"
            )
            rows["submission"].append(
                (
                    submission_id,
                    reference,
                    person_id,
                    self.ids.uuid(),
                    questionnaire,
                    QUESTIONNAIRES[questionnaire],
                    _answers(rng, questionnaire),
                    at,
                    code,
                    team.id,
                    rule_id,
                    due,
                    EMPTY,
                    flag_docs,
                    case_id,
                )
            )
            if self.python_events:
                rows["case_event"].append(
                    (
                        case_id,
                        at,
                        None,
                        "received",
                        None,
                        "uusi",
                        None,
                        to_json(
                            {
                                "submission_id": dashed(submission_id),
                                "questionnaire": questionnaire,
                                "reference": reference,
                            }
                        ),
                    )
                )
        self.submissions += len(times)
        if self.python_events:
            self.events(
                rows["case_event"],
                case_id,
                opened,
                end,
                closed_at,
                status,
                assignee,
                claimed_at,
                destination,
                detail,
                waiting_until,
            )

    def events(
        self,
        events: list[tuple[Any, ...]],
        case_id: str,
        opened: datetime,
        end: datetime,
        closed_at: datetime | None,
        status: str,
        assignee: int | None,
        claimed_at: datetime | None,
        destination: str | None,
        detail: str | None,
        waiting_until: date | None,
    ) -> None:
        """The case's history after arrival (SQLite; PostgreSQL derives it: EVENTS_SQL)."""
        closed = closed_at is not None
        if claimed_at:
            events.append(
                (
                    case_id,
                    claimed_at,
                    assignee,
                    "claimed",
                    None,
                    None,
                    None,
                    to_json({"assignee": assignee}),
                )
            )
        if destination:
            at = closed_at - (closed_at - opened) * 0.1 if closed_at else end
            events.append(
                (
                    case_id,
                    min(at, self.now),
                    assignee,
                    "forwarded",
                    "tyon_alla",
                    "ohjattu",
                    None,
                    to_json({"destination": destination, "destination_detail": detail}),
                )
            )
        if status == "odottaa":
            assert waiting_until
            events.append(
                (
                    case_id,
                    end - (end - opened) * 0.2,
                    assignee,
                    "waiting",
                    "tyon_alla",
                    "odottaa",
                    None,
                    to_json({"until": waiting_until.isoformat()}),
                )
            )
        if closed:
            events.append(
                (
                    case_id,
                    closed_at,
                    assignee,
                    "closed",
                    "ohjattu" if destination else "tyon_alla",
                    "paattynyt",
                    None,
                    EMPTY,
                )
            )

    def run(
        self, quota: int, batch_persons: int, flush: Callable[[dict[str, list[Any]]], None]
    ) -> None:
        self._quota = quota
        rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in BIG_TABLES}
        persons = 0
        while self.submissions < quota:
            self.person(rows)
            persons += 1
            if persons % batch_persons == 0:
                flush(rows)
                rows = {t: [] for t in BIG_TABLES}
        flush(rows)


# --- column lists (order of the tuples above) --------------------------------------------------

COLUMNS = {
    "municipality": ("code", "name"),
    "team": ("id", "slug", "name", "email", "is_central", "contact_working_days"),
    "staff_member": ("id", "oidc_sub", "name", "email", "team_id", "roles", "last_login_at"),
    "routing_rule": (
        "id",
        "municipality_code",
        "questionnaire_id",
        "flag_id",
        "team_id",
        "created_at",
        "created_by",
        "reason",
        "retired_at",
        "retired_by",
        "replaces_id",
    ),
    "person": (
        "id",
        "hetu",
        "given_names",
        "family_name",
        "municipality_code",
        "created_at",
        "last_login_at",
        "preferred_language",
        "preferred_register",
    ),
    "client_case": (
        "id",
        "person_id",
        "team_id",
        "municipality_code",
        "status",
        "assignee_id",
        "opened_at",
        "last_submission_at",
        "contact_due",
        "first_contact_at",
        "waiting_until",
        "destination",
        "destination_detail",
        "closed_at",
        "segment",
        "segment_confirmed_by",
        "segment_confirmed_at",
        "staff_saate",
    ),
    "submission": (
        "id",
        "reference",
        "person_id",
        "draft_id",
        "questionnaire_id",
        "questionnaire_version",
        "answers",
        "submitted_at",
        "municipality_code",
        "team_id",
        "routing_rule_id",
        "contact_due",
        "scores",
        "flags",
        "case_id",
    ),
    "case_flag": ("case_id", "flag_id"),
    "case_event": (
        "case_id",
        "at",
        "staff_id",
        "kind",
        "status_from",
        "status_to",
        "reason",
        "detail",
    ),
}
NULL = "\\N"

# The same history Generator.events() writes on SQLite: received per submission, claimed,
# forwarded, waiting and closed, at plausible moments within the case's life.
_EVENT = "INSERT INTO case_event (case_id, at, staff_id, kind, status_from, status_to, detail) "
EVENTS_SQL = (
    _EVENT
    + """
    SELECT case_id, submitted_at, NULL, 'received', NULL, 'uusi',
           jsonb_build_object('submission_id', id::text, 'questionnaire', questionnaire_id,
                              'reference', reference)
    FROM submission ORDER BY submitted_at""",
    _EVENT
    + """
    SELECT id, opened_at + (coalesce(first_contact_at, closed_at, %(now)s) - opened_at) * 0.5,
           assignee_id, 'claimed', NULL, NULL, jsonb_build_object('assignee', assignee_id)
    FROM client_case WHERE assignee_id IS NOT NULL""",
    _EVENT
    + """
    SELECT id, coalesce(closed_at - (closed_at - opened_at) * 0.1, %(now)s), assignee_id,
           'forwarded', 'tyon_alla', 'ohjattu',
           jsonb_build_object('destination', destination, 'destination_detail',
                              destination_detail)
    FROM client_case WHERE destination IS NOT NULL""",
    _EVENT
    + """
    SELECT id, %(now)s - (%(now)s - opened_at) * 0.2, assignee_id, 'waiting', 'tyon_alla',
           'odottaa', jsonb_build_object('until', waiting_until)
    FROM client_case WHERE status = 'odottaa'""",
    _EVENT
    + """
    SELECT id, closed_at, assignee_id, 'closed',
           CASE WHEN destination IS NULL THEN 'tyon_alla' ELSE 'ohjattu' END, 'paattynyt', '{}'
    FROM client_case WHERE status = 'paattynyt'""",
)


# --- writing ----------------------------------------------------------------------------------


class Sink:
    """Where rows go: PostgreSQL COPY (fast) or SQLAlchemy inserts (SQLite, tiny sizes)."""

    def __init__(self, engine: sa.Engine, echo: Callable[[str], None]) -> None:
        self.engine = engine
        self.echo = echo
        self.postgres = engine.dialect.name == "postgresql"
        self.rows_written: dict[str, int] = {}

    def __enter__(self) -> Sink:
        self.raw = self.engine.raw_connection()
        if self.postgres:
            self.pg = self.raw.driver_connection
        else:
            from portal import models  # noqa: F401  (every table on the app's metadata)
            from portal.db import db

            self.conn = self.engine.connect()
            # The app's own column types (Uuid, JSON) convert the values as the app would.
            self.tables = db.metadata.tables
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.postgres:
            self.conn.close()
        self.raw.close()

    def count(self, table: str) -> int:
        if self.postgres:
            return self.pg.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return self.conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    def reset(self) -> None:
        if self.postgres:
            self.pg.execute(f"TRUNCATE {', '.join(TABLES + RESET_ALSO)} CASCADE")
        else:
            for table in reversed(RESET_ALSO + TABLES):
                self.conn.execute(sa.text(f"DELETE FROM {table}"))

    def write(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        columns = COLUMNS[table]
        self.rows_written[table] = self.rows_written.get(table, 0) + len(rows)
        if not rows:
            return
        if self.postgres:
            # COPY text format: values are str/int/date/datetime/None and contain no tab,
            # newline or backslash (names, codes, compact JSON without escapes).
            data = "".join(
                "\t".join(NULL if v is None else str(v) for v in row) + "\n" for row in rows
            )
            with (
                self.pg.cursor() as cur,
                cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                copy.write(data)
        else:
            target = self.tables[table]
            convert = [
                uuid.UUID
                if isinstance(target.c[c].type, sa.Uuid)
                else json.loads
                if isinstance(target.c[c].type, sa.JSON)
                else None
                for c in columns
            ]
            self.conn.execute(
                target.insert(),
                [
                    {
                        c: (f(v) if f and v is not None else v)
                        for c, f, v in zip(columns, convert, row, strict=True)
                    }
                    for row in rows
                ],
            )

    # PostgreSQL load tuning, all inside the one transaction.

    def begin_load(self) -> list[tuple[str, str]]:
        if not self.postgres:
            return []
        cur = self.pg.cursor()
        cur.execute("SET maintenance_work_mem = '512MB'")
        superuser = cur.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
        if superuser:
            # Foreign-key triggers off for the load: the generator writes consistent rows.
            cur.execute("SET LOCAL session_replication_role = replica")
        # Secondary indexes are rebuilt after the load (much faster than row-by-row upkeep);
        # indexes behind primary keys and unique constraints stay.
        indexes = cur.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            JOIN pg_class c ON c.relname = i.indexname
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
            ORDER BY i.indexname
            """,
            (list(BIG_TABLES),),
        ).fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        return indexes

    def derive_events(self, now: datetime) -> None:
        """PostgreSQL: the case histories in SQL, from the loaded cases (fast, no Python)."""
        if self.postgres:
            with self.pg.cursor() as cur:
                for statement in EVENTS_SQL:
                    cur.execute(statement, {"now": now})
            self.rows_written["case_event"] = self.count("case_event")

    def end_load(self, indexes: list[tuple[str, str]]) -> None:
        if not self.postgres:
            self.conn.commit()
            return
        cur = self.pg.cursor()
        for _, definition in indexes:
            cur.execute(definition)
        for table in ("team", "staff_member", "routing_rule"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        self.pg.commit()

    def analyze(self) -> None:
        if self.postgres:
            self.pg.autocommit = True
            # VACUUM sets the visibility map too, as autovacuum would have in production.
            self.pg.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
            self.pg.autocommit = False
        else:
            self.conn.execute(sa.text("ANALYZE"))
            self.conn.commit()


# --- main --------------------------------------------------------------------------------------


def generate(
    database_url: str,
    submissions: int,
    *,
    seed: int = 1,
    today: date | None = None,
    reset: bool = False,
    batch_persons: int = 20000,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Generate and load; returns what was written and how long each step took."""
    rng = random.Random(seed)
    day = today or datetime.now(UTC).date()
    now = datetime.combine(day, clock(10, 0), UTC)
    engine = sa.create_engine(database_url)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        with Sink(engine, echo) as sink:
            if reset:
                sink.reset()
            elif sink.count("person") or sink.count("team"):
                raise SystemExit(
                    "The database already has people or teams: use --reset to empty the "
                    "generated tables first (never on a database you care about)."
                )
            indexes = sink.begin_load()
            world = build_world(rng, now)
            for table in TABLES[:4]:
                sink.write(table, world.rows[table])
            generator = Generator(world, rng, now, python_events=not sink.postgres)
            spent = {"generate": 0.0, "write": 0.0}
            mark = time.perf_counter()

            def flush(rows: dict[str, list[Any]]) -> None:
                nonlocal mark
                t0 = time.perf_counter()
                spent["generate"] += t0 - mark
                for table in BIG_TABLES:
                    sink.write(table, rows[table])
                mark = time.perf_counter()
                spent["write"] += mark - t0
                if sink.postgres:
                    echo(
                        f"  {generator.submissions:>9,} submissions "
                        f"{generator.cases:>9,} cases  ({mark - started:6.1f} s)"
                    )

            generator.run(submissions, batch_persons, flush)
            timings["generate rows (Python)"] = spent["generate"]
            timings["COPY / INSERT"] = spent["write"]
            t0 = time.perf_counter()
            sink.derive_events(now)
            timings["case events (INSERT … SELECT)"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            sink.end_load(indexes)
            timings["rebuild indexes + commit"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            sink.analyze()
            timings["VACUUM ANALYZE"] = time.perf_counter() - t0
            written = dict(sink.rows_written)
    finally:
        engine.dispose()
    timings["total"] = time.perf_counter() - started
    stats = {
        "rows": written,
        "timings": timings,
        "status": dict(sorted(generator.status_count.items())),
        "open_share": generator.open_cases / max(1, generator.cases),
        "today": day,
    }
    _report(stats, echo)
    return stats


def _report(stats: dict[str, Any], echo: Callable[[str], None]) -> None:
    echo(f"Generated for today = {stats['today']}:")
    for table, n in stats["rows"].items():
        echo(f"  {table:<16} {n:>10,} rows")
    echo("  cases by status: " + ", ".join(f"{s} {n:,}" for s, n in stats["status"].items()))
    echo(f"  open cases: {stats['open_share']:.1%}")
    for step, seconds in stats["timings"].items():
        echo(f"  {step:<26} {seconds:8.1f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL")
    parser.add_argument("--submissions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, help="reference day (default today)")
    parser.add_argument(
        "--reset", action="store_true", help="empty the generated tables first (destructive)"
    )
    args = parser.parse_args(argv)
    generate(
        args.database_url, args.submissions, seed=args.seed, today=args.today, reset=args.reset
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
