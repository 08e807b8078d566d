"""The foundation's journey in Chromium: a citizen fills the pre-questionnaire, leaves in the
middle, comes back, sends; a staff member of the right team finds it. axe checks every page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.devidp.users import CITIZEN_SUBS
from portal.questionnaires.definition import load_all
from tests.browser.axe import assert_accessible
from tests.browser.pages import answer, choose_for_myself
from tests.conftest import ROOT

QUESTIONNAIRES = load_all(ROOT / "questionnaires")
ESITIETO = QUESTIONNAIRES["esitieto"]
AADA = "010280-952L"


def provider_login(page: Page, sub: str) -> None:
    """On the development provider's page, pick the demo user."""
    page.locator(f"button[name='sub'][value='{sub}']").click()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.get_by_role("button", name="End session").click()  # the provider's own page
    expect(page.get_by_role("heading", level=1)).to_contain_text("kirjautunut ulos")
    assert_accessible(page)


def fill_current_page(page: Page) -> None:
    match = re.search(r"/lomake/([a-z0-9_]+)/sivu/([a-z0-9_]+)", page.url)
    questionnaire = QUESTIONNAIRES[match.group(1)]
    assert_accessible(page)
    for q in questionnaire.page(match.group(2)).questions:
        field = page.locator(f"[name='{q.id}'], [name^='{q.id}-0-']").first
        if q.type != "identity" and field.is_visible():
            answer(page, q)
    page.get_by_role("button", name="Tallenna ja jatka").click()


def fill_to_the_check_page(page: Page) -> None:
    for _ in range(200):
        if "/tarkista" in page.url:
            return
        fill_current_page(page)
    raise AssertionError("the questionnaire did not end")


def send_from_home(page: Page, title: str) -> str:
    """From the task list: start, answer every page, check, send. Returns the reference."""
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name=re.compile("Aloita|Jatka")).click()
    fill_to_the_check_page(page)
    assert_accessible(page)
    page.get_by_role("button", name="Lähetä").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lomake lähetetty")
    assert_accessible(page)
    return page.locator(".govuk-panel__body strong").inner_text()


def test_fill_leave_resume_send_and_find_in_the_inbox(page: Page, live_url: str) -> None:
    page.goto(live_url)
    assert_accessible(page)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Suomi.fi")).first.click()
    provider_login(page, CITIZEN_SUBS[AADA])
    expect(page.get_by_role("heading", level=1)).to_have_text("Kenen asioita hoidat?")
    assert_accessible(page)
    choose_for_myself(page)
    assert_accessible(page)

    page.get_by_role("link", name=ESITIETO.title).click()
    assert_accessible(page)
    page.get_by_role("button", name="Aloita").click()

    # An error first: the summary links to the field and the page says how to fix it.
    phone_page = next(p for p in ESITIETO.pages if any(q.id == "phone" for q in p.questions))
    for _ in range(ESITIETO.pages.index(phone_page)):
        fill_current_page(page)
    page.get_by_role("button", name="Tallenna ja jatka").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert_accessible(page)
    fill_current_page(page)
    fill_current_page(page)
    done_before_leaving = re.search(r"/sivu/([a-z0-9_]+)", page.url).group(1)

    logout(page)
    page.goto(live_url + "/kirjaudu")
    page.get_by_role("button", name=re.compile("Suomi.fi")).first.click()
    provider_login(page, CITIZEN_SUBS[AADA])
    choose_for_myself(page)
    expect(page.get_by_text("Kesken")).to_be_visible()
    page.get_by_role("link", name=ESITIETO.title).click()
    page.get_by_role("button", name="Jatka siitä, mihin jäit").click()
    assert page.url.endswith(f"/sivu/{done_before_leaving}")

    fill_to_the_check_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tarkista vastaukset")
    assert_accessible(page)
    page.get_by_role("button", name="Lähetä").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lomake lähetetty")
    assert_accessible(page)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"TK-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    page.get_by_role("link", name="Katso ja tulosta vastauksesi").click()
    assert_accessible(page)
    logout(page)

    page.goto(live_url + "/henkilosto/kirjaudu")
    provider_login(page, "sanna.ohjaaja")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saapuneet")
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demola")
    assert_accessible(page)


def test_saate_and_self_assessment_end_to_end_with_results(page: Page, live_url: str) -> None:
    page.goto(live_url + "/kirjaudu")
    page.get_by_role("button", name=re.compile("Suomi.fi")).first.click()
    provider_login(page, CITIZEN_SUBS["150375-9536"])
    choose_for_myself(page)
    send_from_home(page, QUESTIONNAIRES["saate"].title)
    page.goto(live_url + "/")
    page.get_by_role("link", name="Suostumukset tietojen vaihtoon").click()
    assert_accessible(page)

    for _ in range(2):  # twice, so the results show a change
        page.goto(live_url + "/")
        send_from_home(page, QUESTIONNAIRES["omaarvio"].title)
    page.get_by_role("link", name="Katso tuloksesi").click()
    expect(page.locator("svg[role='img']")).to_be_visible()
    assert_accessible(page)
