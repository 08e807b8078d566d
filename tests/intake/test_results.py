"""The self-assessment's results page, through the real app: log in, fill and send omaarvio
twice, then read the scores of both fills, the change, strengths and areas for support."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.cases.models import Submission
from portal.db import db
from portal.devidp.users import CITIZEN_SUBS
from portal.intake.results import Row, _highlights, signed
from portal.questionnaires import registry
from portal.questionnaires.definition import Questionnaire
from tests.conftest import csrf_token, oidc_login
from tests.intake.journey import begin, fill_all, fill_page

AADA = "010280-952L"
SIIRI = "240590-954H"
DOMAINS = ["hyvinvointi", "osallisuus", "mieli", "arki", "taidot", "keho"]
LABELS = {
    "hyvinvointi": "Hyvinvointi",
    "osallisuus": "Osallisuus",
    "mieli": "Mieli",
    "arki": "Arki",
    "taidot": "Taidot",
    "keho": "Keho",
}
# The second fill: the answers to each domain's six items, in order (1–5, 5 the good end).
SECOND = {
    "hyvinvointi": [5, 5, 5, 5, 5, 5],
    "osallisuus": [4, 4, 4, 4, 4, 4],
    "mieli": [1, 2, 2, 1, 1, 1],
    "arki": [3, 3, 3, 3, 3, 3],
    "taidot": [5, 4, 5, 4, 5, 4],
    "keho": [2, 3, 2, 3, 2, 3],
}
SECOND_WORK_ABILITY = 7


def citizen(app: Flask, hetu: str) -> FlaskClient:
    return oidc_login(app.test_client(), "/kirjaudu/suomifi", CITIZEN_SUBS[hetu])


def expected_score(answers: list[int], low: int = 1, high: int = 5) -> int:
    """The documented formula: (answer − min) / (max − min), averaged, × 100, rounded."""
    return round(100 * sum((a - low) / (high - low) for a in answers) / len(answers))


def items(q: Questionnaire, score_id: str) -> tuple[str, ...]:
    return next(s.items for s in q.scores if s.id == score_id)


def send_checked(client: FlaskClient, q: Questionnaire, check: str) -> Submission:
    html = client.get(check).get_data(as_text=True)
    draft_id = html.split('name="draft_id" value="')[1].split('"')[0]
    response = client.post(
        f"/lomake/{q.id}/laheta", data={"csrf_token": csrf_token(html), "draft_id": draft_id}
    )
    assert response.status_code == 302
    return db.session.scalars(
        select(Submission).where(Submission.draft_id == uuid.UUID(draft_id))
    ).one()


def send_sample(client: FlaskClient, q: Questionnaire) -> Submission:
    """Every answer the first option: "1" on the 1–5 items, 0 on the 0–10 work ability."""
    return send_checked(client, q, fill_all(client, q, begin(client, q)))


def send_second(client: FlaskClient, q: Questionnaire) -> Submission:
    """Every page filled with SECOND's answers."""
    chosen = {"work_ability": SECOND_WORK_ABILITY}
    for score_id, values in SECOND.items():
        chosen.update(zip(items(q, score_id), values, strict=True))
    location = begin(client, q)
    for _ in range(50):
        if location.endswith("/tarkista"):
            return send_checked(client, q, location)
        page = q.page(location.rsplit("/", 1)[-1].split("?")[0])
        data = [(x.id, str(chosen[x.id])) for x in page.questions]
        response = fill_page(client, location, page, data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        location = response.headers["Location"]
    raise AssertionError("the questionnaire did not end")


class Tables(HTMLParser):
    """Cell texts of every table, by table id: {id: [[cell, …], …]} (header row first)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def section(html: str, element_id: str) -> str:
    """The text of the list with this id."""
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</ul>", start)]


def test_results_show_both_fills_scores_change_and_highlights(app, demo):
    q = registry.get("omaarvio")
    assert q.results["scores"] == DOMAINS
    client = citizen(app, AADA)
    first = send_sample(client, q)
    second = send_second(client, q)

    # Scores are computed when sent (portal.questionnaires.scoring) and stored on the submission.
    expected_first = {d: 0 for d in DOMAINS}
    expected_second = {d: expected_score(SECOND[d]) for d in DOMAINS}
    assert {d: first.scores[d]["value"] for d in DOMAINS} == expected_first
    assert {d: second.scores[d]["value"] for d in DOMAINS} == expected_second
    assert expected_second == {
        "hyvinvointi": 100,
        "osallisuus": 75,
        "mieli": 8,
        "arki": 50,
        "taidot": 88,
        "keho": 38,
    }

    # The receipt links to the results of that fill.
    receipt = client.get(f"/lahetykset/{second.id}").get_data(as_text=True)
    assert f'href="/oma-arvio/tulokset/{second.id}"' in receipt

    response = client.get("/oma-arvio/tulokset")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    table = Tables(html).tables["tulokset-taulukko"]
    head, body = table[0], table[1:]
    assert head[0] == "Osa-alue"
    assert head[1].startswith("Tämä kerta")
    assert head[2] == "Muutos edellisestä"
    assert len(head) == 4  # domain, this time, change, the one earlier fill
    assert [r[0] for r in body] == [LABELS[d] for d in DOMAINS]
    for domain, cells in zip(DOMAINS, body, strict=True):
        now, before = expected_second[domain], expected_first[domain]
        assert cells[1:] == [str(now), f"+{now - before}", str(before)], domain

    # The chart: an image with a name and a text description holding the same figures.
    assert 'role="img"' in html
    assert 'aria-labelledby="tulokset-kuvio-title tulokset-kuvio-desc"' in html
    desc = html.split('id="tulokset-kuvio-desc">')[1].split("</desc>")[0]
    for domain in DOMAINS:
        assert f"{LABELS[domain]}: {expected_second[domain]}, " in desc

    # Plain words: the highest two are strengths, the lowest two may need support.
    strengths, support = section(html, "vahvuudet"), section(html, "tuki")
    assert "Hyvinvointi: 100 / 100" in strengths
    assert "Taidot: 88 / 100" in strengths
    assert "Mieli: 8 / 100" in support
    assert "Keho: 38 / 100" in support
    assert "Osallisuus" not in strengths + support
    assert "Tämä ei ole diagnoosi." in html
    assert "arviosi nousi eniten osa-alueella Hyvinvointi (+100)" in html

    # The 0–10 work ability: this time and the earlier time.
    assert "Arvioit työkykysi nyt luvulla 7 / 10." in html
    work = Tables(html).tables["table1"]
    assert [r[1] for r in work[1:]] == ["7", "0"]

    assert 'href="/lomake/omaarvio"' in html
    assert "Täytä arvio uudelleen" in html
    assert f'href="/oma-arvio/tulokset/{first.id}"' in html

    # The first fill on its own page: its figures, nothing earlier to compare with.
    response = client.get(f"/oma-arvio/tulokset/{first.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    table = Tables(html).tables["tulokset-taulukko"]
    assert len(table[0]) == 2
    assert [r[1] for r in table[1:]] == ["0"] * 6
    assert "Tämä on aiempi arviosi." in html
    # All domains equal: nothing is picked out as high or low.
    assert 'id="vahvuudet"' not in html and 'id="tuki"' not in html
    assert "Arviosi oli kaikilla osa-alueilla yhtä suuri." in html


def test_only_the_person_sees_their_results(app, demo):
    q = registry.get("omaarvio")
    aada = citizen(app, AADA)
    sent = send_sample(aada, q)
    assert aada.get(f"/oma-arvio/tulokset/{sent.id}").status_code == 200

    siiri = citizen(app, SIIRI)
    assert siiri.get(f"/oma-arvio/tulokset/{sent.id}").status_code == 404
    assert siiri.get(f"/oma-arvio/tulokset/{uuid.uuid4()}").status_code == 404
    # Her own latest-results page knows nothing of Aada's fill.
    html = siiri.get("/oma-arvio/tulokset").get_data(as_text=True)
    assert "Et ole vielä täyttänyt omaa arviota" in html
    assert str(sent.id) not in html


def test_no_fills_gives_a_friendly_page_with_a_way_to_start(app, demo):
    client = citizen(app, AADA)
    response = client.get("/oma-arvio/tulokset")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Et ole vielä täyttänyt omaa arviota" in html
    assert 'href="/lomake/omaarvio"' in html
    assert "tulokset-taulukko" not in html


def test_results_need_a_login(app):
    response = app.test_client().get("/oma-arvio/tulokset")
    assert response.status_code == 302
    assert "/kirjaudu" in response.headers["Location"]


def test_a_questionnaire_without_results_has_no_results_page(app, demo):
    q = registry.get("esitieto")
    assert not q.results
    client = citizen(app, AADA)
    sent = send_sample(client, q)
    assert client.get(f"/oma-arvio/tulokset/{sent.id}").status_code == 404
    receipt = client.get(f"/lahetykset/{sent.id}").get_data(as_text=True)
    assert "/oma-arvio/tulokset" not in receipt


def test_every_item_is_a_required_one_to_five_scale_with_the_same_worded_points():
    from pathlib import Path

    from portal.questionnaires.definition import load_all
    from tests.conftest import ROOT

    q = load_all(Path(ROOT / "questionnaires"))["omaarvio"]
    assert [s.id for s in q.scores] == DOMAINS
    assert [s.label for s in q.scores] == [LABELS[d] for d in DOMAINS]
    assert [s.id for s in q.sections] == DOMAINS
    scored = [i for s in q.scores for i in s.items]
    assert len(scored) == len(set(scored))
    points = None
    for score in q.scores:
        assert score.method == "scaled_mean"
        assert 4 <= len(score.items) <= 8
        for item in score.items:
            question = q.question(item)
            assert (question.type, question.min, question.max) == ("scale", 1, 5)
            assert question.required and question.error_required
            labels = [(o.value, o.label) for o in question.options]
            assert [v for v, _ in labels] == ["1", "2", "3", "4", "5"]
            assert points in (None, labels)
            points = labels
    assert q.question("work_ability").shared
    # A page per domain, at most six questions on a page.
    assert all(len(p.questions) <= 6 for p in q.pages)


def test_signed_change_and_highlights():
    assert [signed(10), signed(-3), signed(0), signed(None)] == ["+10", "\u22123", "0", ""]
    rows = [Row(d, d, v) for d, v in zip("abcdef", [50, 80, 80, 20, 50, 10], strict=True)]
    strengths, support = _highlights(rows)
    assert [r.id for r in strengths] == ["b", "c"]  # ties keep the definition's order
    assert [r.id for r in support] == ["f", "d"]  # the lowest first
    assert _highlights([Row(d, d, 40) for d in "abc"]) == ([], [])
    low_ties = [Row(d, d, v) for d, v in zip("abcd", [90, 10, 10, 10], strict=True)]
    strengths, support = _highlights(low_ties)
    assert [r.id for r in strengths] == ["a"] and [r.id for r in support] == ["b", "c"]
    one_low = [Row("a", "a", 90), Row("b", "b", 90), Row("c", "c", 90), Row("d", "d", 30)]
    strengths, support = _highlights(one_low)
    assert [r.id for r in strengths] == ["a", "b"] and [r.id for r in support] == ["d"]
    assert _highlights([Row("a", "a", None), Row("b", "b", 50)]) == ([], [])
