"""The health-check pre-questionnaire (esitietolomake) covers every item of the paper LIITE 1.

Many items are shared questions (questionnaires/shared/questions.yaml) that the saate asks too;
where the saate asks more, the shared question carries both (e.g. AUDIT-C for alcohol).

Pure tests: the definition file is loaded and checked, no app and no database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.questionnaires.definition import CHOICE_TYPES, Question, Questionnaire, load_file

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "questionnaires" / "esitieto.yaml"

# One question id per item of the paper form, in the paper's order.
PAPER_ITEMS = list(load_file(DEFINITION).paper_items)  # see paper_form in the YAML

# Paper items asked in the same question as an earlier item (not in the order check).
ALSO_COVERED_BY = {
    "Työhistoriasi pääpiirteittäin": "work_history",
    "Keskeytynyt koulutus (peruskoulu, ammatillinen, lukio)": "secondary_interrupted_detail",
}

# Asked here because the saate asks them too (shared); not on paper LIITE 1.
SHARED_ADDITIONS = {
    "contact_preference",
    "living_situation",
    "children",
    "learning_difficulties",
    "illnesses_affecting",
    "mood_low",
    "mood_interest",
    "audit_c_binge",
    "health_check_done",
    "sick_leave_long",
    "consent_parties",
}

# The paper's checklists, option by option.
PAPER_OPTIONS = {
    "marital_status": {"unmarried", "cohabiting", "married", "divorced", "widowed"},
    "basic_education": {"completed", "interrupted"},
    "secondary_education": {"vocational", "upper_secondary", "interrupted"},
    "other_studies": {"higher", "courses", "interrupted"},
    "military_service": {"completed", "not_completed", "deferred", "exempted", "not_applicable"},
    "unemployment_duration": {"under_6_months", "months_6_12", "over_1_year", "over_5_years"},
    "income": {
        "unemployment_allowance",
        "labour_market_subsidy",
        "housing_allowance",
        "social_assistance",
        "sickness_allowance",  # sairauspäiväraha/kuntoutustuki: two options now
        "rehabilitation_allowance",
        "no_income",
        "other",
    },
    "tobacco": {"no", "quit", "snus", "smoke"},
    "drugs": {"no", "yes", "tried", "quit"},
    "medicine_misuse": {"no", "yes", "tried", "quit"},
    "health_rating": {"very_good", "good", "fair", "poor", "very_poor"},
    "work_ability_in_two_years": {"fairly_sure", "not_sure", "unlikely"},
    "vaccinations_valid": {"yes", "no", "dont_know"},
    "diseases": {
        "injury",
        "musculoskeletal",
        "cardiovascular",
        "respiratory",
        "mental_health",
        "epilepsy",
        "migraine",
        "dizziness",
        "attention_memory",
        "digestive",
        "senses",
        "genital",
        "allergy",
        "diabetes",
        "occupational",
        "operations",
        "other",
    },
    "family_history": {
        "allergy_asthma",
        "diabetes",
        "hypertension",
        "stroke",
        "heart_disease",
        "cancer",
        "dont_know",
        "other",
    },
}


@pytest.fixture(scope="module")
def esitieto() -> Questionnaire:
    return load_file(DEFINITION)


def _values(q: Question) -> set[str]:
    return {o.value for o in q.options}


def test_definition_validates(esitieto: Questionnaire) -> None:
    assert esitieto.id == "esitieto"
    assert esitieto.version == 2  # 2: shared questions replaced some of version 1's ids
    assert esitieto.short_title and esitieto.next_steps
    assert "luottamuksellisia" in " ".join(esitieto.intro)
    assert "tulostaa" in " ".join(esitieto.intro)
    assert "tallentuvat" in " ".join(esitieto.intro)


def test_every_paper_item_is_asked(esitieto: Questionnaire) -> None:
    ids = {q.id for q in esitieto.questions()}
    assert len(PAPER_ITEMS) == len(set(PAPER_ITEMS))
    missing = [i for i in PAPER_ITEMS if i not in ids]
    assert not missing, f"paper items missing from the definition: {missing}"


def test_items_covered_elsewhere_and_shared_additions_are_asked(esitieto: Questionnaire) -> None:
    ids = {q.id for q in esitieto.questions()}
    assert set(ALSO_COVERED_BY.values()) <= ids
    assert ids >= SHARED_ADDITIONS
    for qid in SHARED_ADDITIONS | set(ALSO_COVERED_BY.values()):
        assert esitieto.question(qid).shared, qid


def test_alcohol_is_asked_as_audit_c_with_points(esitieto: Questionnaire) -> None:
    # LIITE 1 "how many drinks at a time, how often" is covered by the saate's AUDIT-C items.
    for qid in ("audit_c_frequency", "audit_c_quantity", "audit_c_binge"):
        q = esitieto.question(qid)
        assert q.shared and q.type == "single_choice"
        assert [o.points for o in q.options] == [0, 1, 2, 3, 4], qid
    never = esitieto.question("audit_c_frequency").options[0]
    assert never.value == "never"  # the paper's "en käytä"


def test_signature_is_not_a_question(esitieto: Questionnaire) -> None:
    for q in esitieto.questions():
        assert "allekirjoitus" not in q.text.lower()
        assert "päiväys" not in q.text.lower()


@pytest.mark.parametrize(("question_id", "expected"), sorted(PAPER_OPTIONS.items()))
def test_checklists_have_every_paper_option(
    esitieto: Questionnaire, question_id: str, expected: set[str]
) -> None:
    q = esitieto.question(question_id)
    assert q.type in CHOICE_TYPES
    assert expected <= _values(q)


def test_disease_checklist_has_the_seventeen_paper_items(esitieto: Questionnaire) -> None:
    diseases = esitieto.question("diseases")
    paper = [o for o in diseases.options if o.value != "none"]
    assert len(paper) == 17
    assert diseases.type == "multi_choice"


def test_exclusive_options(esitieto: Questionnaire) -> None:
    family = esitieto.question("family_history")
    assert family.type == "multi_choice"
    assert {o.value for o in family.options if o.exclusive} >= {"dont_know"}
    income = esitieto.question("income")
    assert income.type == "multi_choice"
    assert {o.value for o in income.options if o.exclusive} == {"no_income"}
    assert {o.value for o in income.options if o.asks_help} == {"need_help"}
    for qid in ("secondary_education", "other_studies"):
        assert {o.value for o in esitieto.question(qid).options if o.exclusive} == {"none"}
    # "other" can always be combined with the rest.
    for qid in ("income", "diseases", "family_history", "employment_services"):
        other = next(o for o in esitieto.question(qid).options if o.value == "other")
        assert not other.exclusive


def test_identity_comes_from_login(esitieto: Questionnaire) -> None:
    for qid, source in (
        ("family_name", "family_name"),
        ("given_names", "given_names"),
        ("hetu", "hetu"),
    ):
        q = esitieto.question(qid)
        assert q.type == "identity"
        assert q.source == source
    assert {q.source for q in esitieto.questions() if q.type == "identity"} == {
        "family_name",
        "given_names",
        "hetu",
    }


def test_contact_details_help_autofill(esitieto: Questionnaire) -> None:
    expected = {
        "street_address": "street-address",
        "postal_code": "postal-code",
        "email": "email",
        "phone": "tel",
    }
    for qid, token in expected.items():
        assert esitieto.question(qid).autocomplete == token
    assert esitieto.question("phone").inputmode == "tel"
    assert esitieto.question("email").inputmode == "email"


def test_only_a_few_answers_are_required(esitieto: Questionnaire) -> None:
    required = [q for q in esitieto.questions() if q.required]
    assert [q.id for q in required] == ["phone"]
    for q in required:
        assert q.error_required


def test_work_ability_scale_is_zero_to_ten(esitieto: Questionnaire) -> None:
    q = esitieto.question("work_ability")
    assert q.type == "scale"
    assert (q.min, q.max) == (0, 10)
    assert q.min_label and "työkyvytön" in q.min_label.lower()
    assert q.max_label and "parhaimmillaan" in q.max_label.lower()


def test_exercise_is_a_number_per_week_with_zero_allowed(esitieto: Questionnaire) -> None:
    q = esitieto.question("exercise_per_week")
    assert q.type == "number"
    assert q.min == 0
    assert q.unit == "kertaa viikossa"
    assert q.help and "kirjoita 0" in q.help


def test_alcohol_help_explains_one_drink_as_on_paper(esitieto: Questionnaire) -> None:
    q = esitieto.question("audit_c_quantity")
    assert q.help
    help_text = " ".join(q.help.split())
    assert (
        "pullo keskiolutta/siideriä, 12 cl viiniä, 8 cl väkevää viiniä tai 4 cl viinaa" in help_text
    )


def test_medicines_and_work_history_are_repeating_groups(esitieto: Questionnaire) -> None:
    medicines = esitieto.question("medicines")
    assert medicines.type == "group"
    assert [f.id for f in medicines.fields] == ["medicine_name", "medicine_dose", "medicine_reason"]
    assert medicines.item_label
    work = esitieto.question("work_history")
    assert work.type == "group"
    assert [f.id for f in work.fields] == [
        "work_job_title",
        "work_employer",
        "work_year_from",
        "work_year_to",
        "work_end_reason",  # the saate asks why a job ended or was interrupted
    ]
    assert [f.type for f in work.fields] == ["text", "text", "year", "year", "text"]
    assert work.item_label
    for group in (medicines, work):
        assert group.max_items > 1
        assert not any(f.required for f in group.fields)  # the empty new row must not fail
