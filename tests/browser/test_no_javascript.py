"""Every questionnaire works with JavaScript switched off: progressive enhancement for real.

Without JavaScript every follow-up question is shown (there is nothing to hide it), the page
still saves and continues, the answers are sent, and logging out needs one extra button press
where JavaScript would post the hand-over to the identity provider by itself.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.pages import (
    begin,
    citizen_login,
    current_page,
    fill_to_the_check_page,
    new_page,
    reference,
    send,
)

# Eino also sends a saate and self-assessments in test_citizen_journey; every questionnaire
# here is sent to the end, so no draft is left behind for that test to trip over.
EINO = "150375-9536"


def test_all_three_questionnaires_and_logout_without_javascript(
    browser: Browser, live_url: str
) -> None:
    with new_page(browser, java_script_enabled=False) as page:
        citizen_login(page, live_url, EINO)
        # The page's own inline script would mark the body; with scripts off it never runs.
        expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))

        for questionnaire_id in ("esitieto", "saate", "omaarvio"):
            begin(page, live_url, questionnaire_id)
            follow_ups_seen = []

            def note_follow_ups(p: Page, seen: list[str] = follow_ups_seen) -> None:
                _, page_def = current_page(p)
                blocks = p.locator(".portal-follow-up")
                if blocks.count():
                    # Nothing hides them without JavaScript.
                    expect(blocks.first).to_be_visible()
                    seen.append(page_def.id)

            fill_to_the_check_page(page, note_follow_ups)
            expect(page.get_by_role("heading", level=1)).to_contain_text("Tarkista vastaukset")
            send(page)
            expect(page.get_by_role("heading", level=1)).to_have_text("Lomake lähetetty")
            assert reference(page).startswith("TK-")
            if questionnaire_id != "omaarvio":
                assert follow_ups_seen, f"{questionnaire_id}: no page had follow-up questions"

        page.goto(live_url + "/")
        expect(page.get_by_text("Kesken")).to_have_count(0)  # nothing left as a draft

        # Logging out: without JavaScript the hand-over to the provider waits for a press.
        page.locator(".portal-header__logout-button").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Kirjaudu ulos myös tunnistuksesta"
        )
        page.get_by_role("button", name="Lopeta tunnistus").click()
        page.get_by_role("button", name="End session").click()  # the provider's own page
        expect(page.get_by_role("heading", level=1)).to_contain_text("kirjautunut ulos")
        page.goto(live_url + "/")
        expect(page.locator(".portal-header__logout-button")).to_have_count(0)
        page.goto(live_url + "/lomake/saate")  # the citizen's door is shut again
        expect(page).to_have_url(re.compile(r"/kirjaudu$"))
