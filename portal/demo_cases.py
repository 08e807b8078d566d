"""Demo cases for `make run` (`flask seed-demo --with-cases`): a queue to look at on first start.

Each demo citizen fills questionnaires with the sample answers through the same engine a browser
drives — page forms, checks, drafts saved page by page — and sends them, so the cases are routed,
scored and flagged exactly as real ones. Some are then worked a little (claimed, contacted,
waiting) so every inbox tab has something in it. Never in production (the command refuses).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal import demo
from portal.alkupalvelu.models import StaffMember
from portal.cases import drafts, workflow
from portal.cases.client_case import ClientCase, Status
from portal.cases.deadlines import helsinki_today
from portal.cases.models import Person, Submission
from portal.cases.sending import send
from portal.db import db
from portal.questionnaires import forms, registry
from portal.questionnaires.path import Path
from portal.questionnaires.samples import page_data

# (hetu, questionnaires sent); Aada is left without, to try the citizen's door from the start.
SENT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("150375-9536", ("saate", "omaarvio")),  # Eino, Jyväskylä
    ("240590-954H", ("omaarvio",)),  # Siiri, Äänekoski
    ("120668-956Y", ("esitieto",)),  # Väinö, Helsinki → the central team
)
# (delegate, principal, questionnaire): Helena sent Pertti's esitieto with her mandate; Pertti
# has yet to confirm it, and staff see who gave each answer.
ON_BEHALF: tuple[tuple[str, str, str], ...] = (("110573-957U", "030482-9587", "esitieto"),)


def demo_person(hetu: str) -> Person:
    """The demo citizen's person row, made as a first login would make it."""
    spec = next(c for c in demo.CITIZENS if c["hetu"] == hetu)
    person = db.session.scalars(select(Person).where(Person.hetu == hetu)).first()
    if person is None:
        person = Person(
            hetu=hetu,
            given_names=spec["given_names"],
            family_name=spec["family_name"],
            municipality_code=spec["municipality"],
        )
        db.session.add(person)
        db.session.flush()
    return person


def fill_and_send(
    person: Person,
    questionnaire_id: str,
    delegate: Person | None = None,
    *,
    helper: dict[str, str] | None = None,
) -> Submission:
    """Every page with the sample answers, by the person or a delegate (who then sends it);
    needs a request context (forms, e-mail links)."""
    questionnaire = registry.get(questionnaire_id)
    draft = drafts.find_or_start(person, questionnaire, delegate=delegate)
    for _ in range(len(questionnaire.pages) + 1):
        page = Path.for_answers(questionnaire, draft.answers).first_incomplete(
            draft.completed_pages
        )
        if page is None:
            break
        form = forms.build(page, draft.answers, formdata=MultiDict(page_data(page)))
        answers = forms.check(page, form, draft.answers)
        if answers is None:
            raise RuntimeError(f"demo answers do not pass {questionnaire_id}/{page.id}")
        drafts.save_page(draft, questionnaire, page.id, answers, author=delegate, helper=helper)
    return send(draft, questionnaire, person, sent_by=delegate)


def seed_demo_cases() -> int:
    """Send the demo citizens' forms once; returns how many were sent (0 when already there)."""
    sent = 0
    with current_app.test_request_context("/"):  # forms and e-mail links want a request
        for hetu, questionnaire_ids in SENT:
            person = demo_person(hetu)
            if db.session.scalars(
                select(Submission).where(Submission.person_id == person.id)
            ).first():
                continue
            for questionnaire_id in questionnaire_ids:
                fill_and_send(person, questionnaire_id)
                sent += 1
        for delegate_hetu, principal_hetu, questionnaire_id in ON_BEHALF:
            principal = demo_person(principal_hetu)
            if db.session.scalars(
                select(Submission).where(Submission.person_id == principal.id)
            ).first():
                continue
            fill_and_send(principal, questionnaire_id, delegate=demo_person(delegate_hetu))
            sent += 1
        _work_a_little()
        db.session.commit()  # before the request ends: its e-mails go out when it does
    return sent


def _work_a_little() -> None:
    """Siiri's case is claimed and waiting for her; Eino's stays unassigned and new."""
    aino = db.session.scalars(
        select(StaffMember).where(StaffMember.oidc_sub == "aino.aanekoski")
    ).first()
    siiri = db.session.scalars(select(Person).where(Person.hetu == "240590-954H")).first()
    if aino is None or siiri is None:
        return
    case = db.session.scalars(
        select(ClientCase).where(ClientCase.person_id == siiri.id, ClientCase.assignee_id.is_(None))
    ).first()
    if case is None:
        return
    workflow.claim(case, aino)
    workflow.add_entry(case, aino, "contact", "Soitettu, sovittu tapaaminen.", channel="phone")
    today = helsinki_today()
    workflow.set_status(
        case,
        aino,
        Status.WAITING,
        until=today + timedelta(days=14),
        reason="Asiakas toimittaa lääkärinlausunnon.",
        today=today,
    )
