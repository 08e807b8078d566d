"""The segment suggestion: a points tally over the answers, with every reason said."""

from __future__ import annotations

import pytest

from portal.cases.segmentation import suggest


@pytest.fixture(autouse=True)
def request_context(app):
    """Lazy texts are translated in a request's locale."""
    with app.test_request_context():
        yield


def run(answers=None, scores=None, flags=()) -> tuple[str, list[str]]:
    segment, reasons = suggest(answers or {}, scores or {}, flags)
    return segment, [str(r) for r in reasons]


def test_nothing_worrying_is_self_service_and_says_so(app):
    segment, reasons = run({"saate": {"work_ability": 9}}, {"work_ability": {"value": 9}})
    assert segment == "omatoimi"
    assert any("hyvä: 9/10" in r for r in reasons)
    assert reasons[-1] == "Pisteitä yhteensä 0."


def test_no_answers_at_all_is_self_service_with_a_reason(app):
    segment, reasons = run()
    assert segment == "omatoimi"
    assert "Vastauksista ei löytynyt" in reasons[0]


@pytest.mark.parametrize(
    ("value", "segment", "points"),
    [
        (8, "omatoimi", 0),
        (7, "omatoimi", 1),
        (6, "omatoimi", 1),
        (5, "yhteiso", 2),
        (3, "yhteiso", 3),
    ],
)
def test_work_ability_bands(app, value, segment, points):
    got, reasons = run(scores={"work_ability": {"value": value, "band": None}})
    assert got == segment
    assert reasons[-1] == f"Pisteitä yhteensä {points}."


def test_work_ability_is_read_from_the_answers_when_there_is_no_score(app):
    segment, reasons = run({"esitieto": {"work_ability": 2}})
    assert segment == "yhteiso"
    assert any("hyvin heikko: 2/10" in r for r in reasons)


def test_threshold_boundaries(app):
    # 4 points: still community; 5: network; 7: network; 8: cooperation.
    assert run(flags=["mood", "no_income"])[0] == "yhteiso"
    assert run(flags=["mood", "no_income", "asks_help"])[0] == "verkosto"
    assert run(scores={"work_ability": 5}, flags=["mood", "audit_c", "asks_help"])[0] == "verkosto"
    assert run(scores={"work_ability": 4}, flags=["mood", "audit_c", "no_income"])[0] == "yhteistyo"


def test_flags_may_be_the_stored_dicts(app):
    segment, reasons = run(flags=[{"id": "audit_c", "reason": "x"}, {"id": "contact_by_phone"}])
    assert segment == "yhteiso"
    assert any("AUDIT-C" in r for r in reasons)


def test_many_ongoing_services_point_to_coordination(app):
    network = [{"network_name": f"Palvelu {i}"} for i in range(3)]
    one = run({"saate": {"service_network": network[:1]}})
    three = run({"saate": {"service_network": [*network, {"network_name": ""}]}})
    assert one[1][-1] == "Pisteitä yhteensä 1."
    assert "1 palvelu tai yhteyshenkilö (+1)" in one[1][0]
    assert three[1][-1] == "Pisteitä yhteensä 2." and "3 palvelua" in three[1][0]


def test_self_assessment_domains(app):
    low_three = {"hyvinvointi": 39, "mieli": 10, "arki": 20, "keho": 90}
    assert run(scores=low_three)[1][-1] == "Pisteitä yhteensä 2."
    assert run(scores={"mieli": {"value": 39.9}, "arki": {"value": 40}})[1][-1] == (
        "Pisteitä yhteensä 1."
    )
    high = {d: {"value": 70} for d in ("hyvinvointi", "osallisuus", "mieli")}
    segment, reasons = run(scores=high)
    assert segment == "omatoimi" and any("voimavarat" in r for r in reasons)


def test_health_answers_add_up_to_intensive_cooperation(app):
    answers = {
        "saate": {"drugs": "yes", "illnesses_affecting": "yes", "sick_leave_long": "yes"},
        "esitieto": {"drugs": "no"},  # the saate is read first
    }
    segment, reasons = run(answers, {"work_ability": 3}, ["mood"])
    # 3 + 2 + 2 + 1 + 1 = 9
    assert segment == "yhteistyo"
    assert reasons[-1] == "Pisteitä yhteensä 9."
