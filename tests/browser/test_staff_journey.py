"""Issue 5's journey in Chromium: a citizen sends a self-assessment; an instructor finds the case
in the team's queue, claims it, logs a call, writes to the client, forwards the case and makes
the plan; the citizen then sees the timeline, the message, the plan and who handled their data.
axe checks every page on the way."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.pages import (
    begin,
    citizen_login,
    fill_to_the_check_page,
    new_page,
    reference,
    send,
    staff_login,
)

EINO = "150375-9536"  # Jyväskylä: the jyvaskyla team's queue
INSTRUCTOR = "sanna.ohjaaja"
TEAM = "Jyväskylän seudun alkupalvelu"
MESSAGE = "Hei Eino, soitan sinulle torstaina kello 10."
GOAL = "Kuntouttavaan työtoimintaan kolmena päivänä viikossa"


def confirmed(page: Page) -> None:
    """The action went through: a success banner, and the page still passes axe."""
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)


def test_instructor_works_a_case_from_arrival_to_plan(browser: Browser, live_url: str) -> None:
    with new_page(browser) as page:
        citizen_login(page, live_url, EINO)
        begin(page, live_url, "omaarvio")
        fill_to_the_check_page(page)
        send(page)
        sent = reference(page)

    with new_page(browser) as page:
        staff_login(page, live_url, INSTRUCTOR)
        assert_accessible(page)
        page.get_by_role("link", name=sent).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Kokeilu")
        assert_accessible(page)

        page.get_by_role("button", name="Otan kopin").click()
        confirmed(page)

        page.check("input[name='yhteydenotto-channel'][value='phone']")
        page.get_by_role("button", name="Kirjaa yhteydenotto").click()
        confirmed(page)

        page.fill("[name='viesti-body']", MESSAGE)
        page.get_by_role("button", name="Lähetä viesti asiakkaalle").click()
        confirmed(page)

        page.check("input[name='tila-status'][value='ohjattu']")
        page.check("input[name='tila-destination'][value='tyokykytiimi']")
        page.fill("[name='tila-reason']", "Tarvitsee monialaisen arvion.")
        page.get_by_role("button", name="Tallenna tila").click()
        confirmed(page)

        page.get_by_role("link", name="Suunnitelma").first.click()
        assert_accessible(page)
        page.fill("[name='goals-0-goal']", GOAL)
        page.fill("[name='goals-0-actions']", "Tutustumiskäynti työtoimintaan.")
        page.fill("[name='goals-0-coordinator']", "Sanna Ohjaaja")
        page.fill("[name='goals-0-schedule']", "Joulukuu")
        page.fill("[name='contact-name']", "Sanna Ohjaaja")
        page.fill("[name='contact-phone']", "040 123 4567")
        follow_up = date.today() + timedelta(days=60)
        page.fill("[name='follow_up-day']", str(follow_up.day))
        page.fill("[name='follow_up-month']", str(follow_up.month))
        page.fill("[name='follow_up-year']", str(follow_up.year))
        page.get_by_role("button", name="Tallenna suunnitelma").click()
        confirmed(page)

    with new_page(browser) as page:
        citizen_login(page, live_url, EINO)
        page.goto(live_url + "/oma-asia")
        main = page.locator("main")
        expect(main).to_contain_text(MESSAGE)
        expect(main).to_contain_text(GOAL)
        expect(main).to_contain_text("Työkyvyn tuen tiimi")
        expect(main).not_to_contain_text("Tarvitsee monialaisen arvion")  # staff's reason
        assert_accessible(page)

        page.goto(live_url + "/omat-tiedot/kasittelyloki")
        expect(page.locator("main")).to_contain_text(TEAM)
        expect(page.locator("main")).not_to_contain_text("Sanna Ohjaaja")  # county policy: no names
        assert_accessible(page)
