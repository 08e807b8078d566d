"""Every questionnaire from its start page to the receipt with the keyboard alone (WCAG 2.1.1).

Logging in uses the mouse (the identity provider is not ours); from the start page on, only
page.keyboard: Tab and Shift+Tab to move, Space to choose, typing into text fields, Enter to
press a button. Where focus is, is read from document.activeElement, never set by the test.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from portal.questionnaires.definition import Questionnaire
from portal.questionnaires.samples import sample_value
from tests.browser.pages import (
    PAGE_URL,
    QUESTIONNAIRES,
    citizen_login,
    new_page,
    question_for_field,
)

# Nobody else logs in as Väinö (municipality Helsinki, routed to the central team).
VAINO = "120668-956Y"

MAX_TAB_STOPS = 400  # a question page has far fewer; the check page has one "Muuta" per answer

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const name = el.getAttribute("name") || "";
  const group = name ? document.querySelectorAll(`input[name="${CSS.escape(name)}"]`) : [];
  return {
    tag: el.tagName.toLowerCase(),
    type: (el.getAttribute("type") || "").toLowerCase(),
    name: name,
    value: el.value || "",
    checked: !!el.checked,
    groupChecked: Array.from(group).some((i) => i.checked),
    exclusive: el.dataset ? el.dataset.behaviour === "exclusive" : false,
    inMainForm: !!el.closest("main form"),
    formAction: (el.closest("form") || {}).action || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60),
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUSED)


def press_enter_and_wait(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tab_to(page: Page, wanted: Any, key: str = "Tab") -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until `wanted(focused)`; returns what has focus."""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press(key)
        info = focused(page)
        if info is not None and wanted(info):
            return info
    raise AssertionError(f"{key} never reached the wanted element on {page.url}")


def answer_page_by_keyboard(page: Page, questionnaire: Questionnaire) -> int:
    """Tab through the form in order, answer what is empty, then Enter on "Tallenna ja jatka".

    A radio group is one tab stop: Tab lands on its first radio when none is chosen, and Space
    chooses it. In a checkbox group each box is a stop: Space on the first one that is not the
    exclusive "none" choice. Text fields get the sample answer typed in. Answers already there
    (shared answers carried over from an earlier questionnaire) are kept as they are. Follow-up
    questions appear once their option is chosen and come next in the tab order. On a scale
    the arrow keys move the choice on two steps, as a keyboard user would. Returns how many
    answers were given.
    """
    url = page.url
    handled: set[str] = set()
    answered = 0
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is None or not info["inMainForm"]:
            continue
        if info["tag"] == "button":
            if info["name"] == "action" and info["value"] == "continue":
                press_enter_and_wait(page)
                assert page.url != url, f"no new page after {url}: answers refused?"
                errors = page.locator(".govuk-error-summary")
                assert errors.count() == 0, errors.inner_text()
                return answered
            continue  # "Tallenna ja lisää uusi", "Poista …", "Jatka myöhemmin"
        name = info["name"]
        if info["type"] == "radio":
            if name not in handled and not info["groupChecked"]:
                page.keyboard.press("Space")
                if question_for_field(questionnaire, name).type == "scale":
                    page.keyboard.press("ArrowRight")
                    page.keyboard.press("ArrowRight")
                now = focused(page)
                assert now["checked"] and now["name"] == name, now
                answered += 1
            handled.add(name)
        elif info["type"] == "checkbox":
            if name in handled or info["groupChecked"]:
                handled.add(name)
            elif not info["exclusive"]:
                page.keyboard.press("Space")
                answered += 1
                handled.add(name)
        elif info["tag"] in ("input", "textarea") and not info["value"]:
            page.keyboard.type(str(sample_value(question_for_field(questionnaire, name))))
            answered += 1
    raise AssertionError(f"Tab never reached 'Tallenna ja jatka' on {url}")


def complete_by_keyboard(page: Page, live_url: str, questionnaire_id: str) -> str:
    """Start page → every question page → check page → receipt. Returns the reference."""
    questionnaire = QUESTIONNAIRES[questionnaire_id]
    page.goto(f"{live_url}/lomake/{questionnaire_id}")
    # The start page's one button: "Aloita" (or "Jatka siitä, mihin jäit").
    tab_to(page, lambda f: f["tag"] == "button" and f["inMainForm"])
    press_enter_and_wait(page)

    pages_answered = answers_given = 0
    for _ in range(len(questionnaire.pages) + 1):
        if not PAGE_URL.search(page.url):
            break
        expect(page.locator("#progress")).to_contain_text(re.compile(r"Sivu \d+ / \d+"))
        answers_given += answer_page_by_keyboard(page, questionnaire)
        pages_answered += 1
    assert page.url.endswith(f"/lomake/{questionnaire_id}/tarkista"), page.url
    # (Fewer answers than pages is fine: the saate has the esitieto's shared answers already.)
    assert pages_answered > 1 and answers_given > 0, (pages_answered, answers_given)
    if questionnaire_id == "esitieto":  # typed answers arrived: the phone, a free text
        expect(page.locator("main")).to_contain_text("040 123 4567")
        expect(page.locator("main")).to_contain_text("Testivastaus")

    # The check page lists every answer with a "Muuta" link; "Lähetä" is the last thing in
    # <main>, so go backwards from the end of the page with Shift+Tab.
    tab_to(
        page, lambda f: f["tag"] == "button" and f["formAction"].endswith("/laheta"), "Shift+Tab"
    )
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lomake lähetetty")
    return page.locator(".govuk-panel__body strong").inner_text()


def test_every_questionnaire_by_keyboard_alone(browser: Browser, live_url: str) -> None:
    with new_page(browser) as page:
        citizen_login(page, live_url, VAINO)
        references = [
            complete_by_keyboard(page, live_url, q) for q in ("esitieto", "saate", "omaarvio")
        ]
        assert all(re.fullmatch(r"TK-[2-9A-Z]{4}-[2-9A-Z]{4}", r) for r in references)
        assert len(set(references)) == 3
