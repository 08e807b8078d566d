"""Ask once across questionnaires: what a person answered in one is offered in the next,
and each submission keeps the answers as they were when it was sent."""

from __future__ import annotations

from sqlalchemy import select

from portal.cases.models import Draft, PersonAnswer, Submission
from portal.db import db
from portal.questionnaires import registry
from tests.intake.journey import begin, fill_page
from tests.intake.test_journey import AADA, citizen, send


def test_shared_answers_from_the_saate_are_prefilled_in_the_esitieto(app, demo):
    saate, esitieto = registry.get("saate"), registry.get("esitieto")
    shared = {q.id for q in saate.questions() if q.shared} & {
        q.id for q in esitieto.questions() if q.shared
    }
    assert shared, "the saate and the esitieto share no questions"
    client = citizen(app, AADA)
    sent = send(client, saate)
    stored = {
        row.question_id: row.value
        for row in db.session.scalars(
            select(PersonAnswer).where(PersonAnswer.person_id == sent.person_id)
        )
    }
    assert shared & set(stored)

    first = begin(client, esitieto)
    page_with_shared = next(p for p in esitieto.pages if any(q.id in stored for q in p.questions))
    html = client.get(f"/lomake/esitieto/sivu/{page_with_shared.id}").get_data(as_text=True)
    assert 'id="prefilled"' in html
    assert first  # the draft exists and starts from the earlier answers
    draft_answers = (
        db.session.scalars(select(Draft).where(Draft.questionnaire_id == "esitieto")).one().answers
    )
    for qid in shared & set(stored):
        assert draft_answers.get(qid) == stored[qid]


def test_a_changed_shared_answer_does_not_rewrite_an_earlier_submission(app, demo):
    saate, esitieto = registry.get("saate"), registry.get("esitieto")
    client = citizen(app, AADA)
    sent = send(client, saate)
    text_q = next(
        q
        for q in esitieto.questions()
        if q.shared and q.type == "text" and q.id in sent.answers and not q.show_if
    )
    page = next(p for p in esitieto.pages if text_q in p.questions)
    begin(client, esitieto)
    from tests.intake.journey import page_data

    data = [(k, "Muutettu vastaus" if k == text_q.id else v) for k, v in page_data(page)]
    fill_page(client, f"/lomake/esitieto/sivu/{page.id}", page, data=data)
    row = db.session.get(PersonAnswer, (sent.person_id, text_q.id))
    assert row.value == "Muutettu vastaus"
    db.session.expire_all()
    assert db.session.get(Submission, sent.id).answers[text_q.id] != "Muutettu vastaus"


def test_flags_are_stored_with_the_submission_and_shown_to_staff_only(app, demo):
    from tests.intake.test_journey import staff

    saate = registry.get("saate")
    client = citizen(app, AADA)
    sent = send(client, saate, overrides={"work_ability": "3"})
    assert sent.scores["work_ability"] == {"value": 3, "band": "heikko"}
    poor = next(f for f in sent.flags if f["id"] == "work_ability_poor")
    own = staff(app, "sanna.ohjaaja")
    inbox = own.get("/henkilosto/").get_data(as_text=True)
    assert poor["label"] in inbox
    detail = own.get(f"/henkilosto/lahetykset/{sent.id}").get_data(as_text=True)
    assert poor["reason"] in detail
    for page in (f"/lahetykset/{sent.id}", f"/lahetykset/{sent.id}/vastaukset"):
        assert poor["reason"] not in client.get(page).get_data(as_text=True)
