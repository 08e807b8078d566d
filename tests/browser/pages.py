"""Shared steps for the accessibility, keyboard and no-JavaScript journeys.

Everything here is language-independent where it can be: buttons are found by their `name` and
`value` (the page's "save and continue" is `action=continue`), not by their text, so the same
steps work in fi, selkokieli, sv and en.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, Page, expect

from portal.devidp.users import CITIZEN_SUBS
from portal.questionnaires.definition import Question, Questionnaire, load_all
from portal.questionnaires.samples import sample_value
from tests.conftest import ROOT

QUESTIONNAIRES = load_all(ROOT / "questionnaires")

# Query strings that switch a session to each variant; the last one puts a person back to the
# default, so the preference stored on the person does not follow them into other tests.
VARIANTS: dict[str, str] = {
    "fi": "?kieli=fi&selkokieli=0",
    "fi-selko": "?kieli=fi&selkokieli=1",
    "sv": "?kieli=sv&selkokieli=0",
    "en": "?kieli=en&selkokieli=0",
}
DEFAULT_VARIANT = VARIANTS["fi"]
VARIANT_LANG = {"fi": "fi", "fi-selko": "fi", "sv": "sv", "en": "en"}

PAGE_URL = re.compile(r"/lomake/([a-z0-9_]+)/sivu/([a-z0-9_]+)")

# The visible "save and continue" of a question page (an invisible twin sits first in the form
# so that Enter in a text field continues; it is aria-hidden and out of the tab order).
CONTINUE = ".govuk-button-group button[name='action'][value='continue']"


@contextmanager
def new_page(browser: Browser, **context_options: Any) -> Iterator[Page]:
    """A page in a browser context of its own: its own cookies, so its own session."""
    context = browser.new_context(locale="fi-FI", **context_options)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


def citizen_login(page: Page, live_url: str, hetu: str) -> None:
    """Log in at the development provider as a demo citizen, in plain Finnish.

    Choosing the language just before logging in wins over (and overwrites) whatever an earlier
    test left stored on the person.
    """
    page.goto(live_url + "/kirjaudu" + DEFAULT_VARIANT)
    page.locator("main a.govuk-button--start, main .govuk-button--start").first.click()
    page.locator(f"button[name='sub'][value='{CITIZEN_SUBS[hetu]}']").click()
    choose_for_myself(page)


def choose_for_myself(page: Page) -> None:
    """Right after login the portal asks whose affairs are handled: one's own."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Kenen asioita hoidat?")
    page.get_by_label("Täytän lomaketta itselleni").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Jatka").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat lomakkeet")


def staff_login(page: Page, live_url: str, sub: str) -> None:
    page.goto(live_url + "/henkilosto/kirjaudu")
    page.locator(f"button[name='sub'][value='{sub}']").click()
    page.wait_for_url(re.compile(r"/henkilosto/$"))


def current_page(page: Page) -> tuple[Questionnaire, Any]:
    match = PAGE_URL.search(page.url)
    assert match, f"not a question page: {page.url}"
    questionnaire = QUESTIONNAIRES[match.group(1)]
    return questionnaire, questionnaire.page(match.group(2))


def question_for_field(questionnaire: Questionnaire, name: str) -> Question:
    """The question (or group field) behind a form field's name, e.g. `work_history-0-employer`."""
    if "-" in name:
        group_id, _, field_id = name.split("-", 2)
        group = questionnaire.question(group_id)
        return next(f for f in group.fields if f.id == field_id)
    return questionnaire.question(name)


def answer(page: Page, q: Question) -> None:
    """The sample answer (portal.questionnaires.samples) put in with Playwright's helpers."""
    if q.type == "group":
        for f in q.fields:
            page.fill(f"[name='{q.id}-0-{f.id}']", str(sample_value(f)))
        return
    value = sample_value(q)
    if q.type in ("single_choice", "yes_no", "scale", "multi_choice"):
        for v in value if isinstance(value, list) else [value]:
            page.check(f"input[name='{q.id}'][value='{v}']")
    else:
        page.fill(f"[name='{q.id}']", value)


def fill_current_page(page: Page) -> None:
    """Answer every shown question with its sample answer and continue.

    With JavaScript a follow-up is shown once its option is chosen (the questions come in
    definition order, parents first); without JavaScript every follow-up is shown and answered,
    and the server drops the answers whose condition is false.
    """
    _, page_def = current_page(page)
    for q in page_def.questions:
        if q.type == "identity":
            continue
        field = page.locator(f"[name='{q.id}'], [name^='{q.id}-0-']").first
        if field.is_visible():
            answer(page, q)
    with page.expect_navigation():
        page.locator(CONTINUE).click()


def begin(page: Page, live_url: str, questionnaire_id: str) -> None:
    """From the start page: start, or continue a draft."""
    page.goto(f"{live_url}/lomake/{questionnaire_id}")
    with page.expect_navigation():
        page.locator("main form button[type='submit'], main form button:not([type])").first.click()


def fill_to_the_check_page(page: Page, on_page: Any = None) -> None:
    """Answer page after page until the check page; `on_page(page)` first on each, if given."""
    for _ in range(200):
        if page.url.split("?")[0].endswith("/tarkista"):
            return
        if on_page is not None:
            on_page(page)
        fill_current_page(page)
    raise AssertionError("the questionnaire did not end")


def send(page: Page) -> str:
    """On the check page: send. Returns the receipt's URL; the page shows the receipt."""
    with page.expect_navigation():
        page.locator("main form[action$='/laheta'] button").click()
    expect(page.locator(".govuk-panel__title")).to_be_visible()
    assert re.search(r"/lahetykset/[0-9a-f-]{36}$", page.url), page.url
    return page.url


def reference(page: Page) -> str:
    return page.locator(".govuk-panel__body strong").inner_text()


# --- who is filling in (issue 6) -----------------------------------------------------------------
# By radio and button values, not texts, so the steps work in every language variant. The
# development mandate service's own page is in Finnish only.

ACTING_BANNER = ".portal-acting"


def citizen_login_to_the_choice(page: Page, live_url: str, hetu: str) -> None:
    """Log in as a demo citizen, in plain Finnish, and stop at "whose affairs do you handle?"."""
    page.goto(live_url + "/kirjaudu" + DEFAULT_VARIANT)
    page.locator("main a.govuk-button--start, main .govuk-button--start").first.click()
    page.locator(f"button[name='sub'][value='{CITIZEN_SUBS[hetu]}']").click()
    page.wait_for_url(re.compile(r"/kuka-tayttaa$"))


def choose_filling(page: Page, value: str) -> None:
    """On the choice page: pick `self`, `beside` or `on_behalf` and continue."""
    page.check(f"input[name='filling'][value='{value}']")
    with page.expect_navigation():
        page.locator("main form[action$='/kuka-tayttaa'] button").click()


def pick_principal(page: Page, principal_hetu: str | None) -> None:
    """At the development mandate service: pick the principal (None: cancel) and go back."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Valitse, kenen puolesta asioit")
    with page.expect_navigation():
        if principal_hetu is None:
            page.get_by_role("link", name="Peruuta ja palaa palveluun").click()
        else:
            page.check(f"input[name='principal'][value='{principal_hetu}']")
            page.locator("main form button[type='submit']").click()


def act_for(page: Page, live_url: str, principal_hetu: str | None) -> None:
    """From anywhere while logged in: act on someone's behalf, picking them (None: cancel).

    The page then shows the principal's forms, or the page that explains the refusal.
    """
    page.goto(live_url + "/kuka-tayttaa")
    choose_filling(page, "on_behalf")
    pick_principal(page, principal_hetu)


def begin_on_behalf(page: Page, live_url: str, questionnaire_id: str) -> None:
    """`begin` for a page with the acting banner, whose form ("back to your own affairs") comes
    first in <main>: the start page's own form is pressed, start or continue."""
    start = f"/lomake/{questionnaire_id}"
    page.goto(live_url + start)
    with page.expect_navigation():
        page.locator(
            f"main form[action$='{start}'] button, main form[action$='{start}/jatka'] button"
        ).first.click()
