"""Issue 6 in Chromium: a family member helps.

Helena logs in, acts for Pertti with a valid Suomi.fi mandate (picked at the development mandate
service, its own process), fills and sends the saate; Pertti later logs in, sees who answered
for him and confirms. Every bad mandate is refused with a page that says what to do instead,
and a mandate revoked in the middle ends the acting when the form is sent. The helper-beside
path records the helper's name. axe checks every page of the portal on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.pages import (
    ACTING_BANNER,
    act_for,
    begin_on_behalf,
    choose_filling,
    citizen_login,
    citizen_login_to_the_choice,
    fill_to_the_check_page,
    new_page,
    pick_principal,
    reference,
    send,
)

HELENA = "110573-957U"  # the delegate: every demo mandate is hers
PERTTI = "030482-9587"  # valid mandate
OUTI = "170961-959W"  # expired
REIJO = "091155-961V"  # revoked
VAINO = "120668-956Y"  # a mandate for another matter
EERO = "220388-962B"  # the mandate service answers with an error
MINNA = "050712A9631"  # a minor
AADA = "010280-952L"  # helped by someone sitting beside her

PERTTI_NAME = "Pertti Testi Päämies"
HELENA_NAME = "Helena Testi Auttaja"
SAATE = "Työkyvyn tuen saate"
NO_MANDATE = "Sinulla ei ole valtuutta asioida tämän henkilön puolesta"
MINOR = "Alaikäisen puolesta ei voi asioida tässä palvelussa"
CANCELLED = "Henkilön valinta keskeytyi"
LOST = "Valtuutus ei ole enää voimassa"
OWN_HOME = "Omat lomakkeet"
ERROR_FOCUSED = (
    "document.activeElement && document.activeElement.closest('.govuk-error-summary') !== null"
)


@pytest.fixture
def mandates(mandate_service: Any) -> Iterator[Any]:
    """The demo mandates before and after the test: browser tests have no `app` to reset them."""
    mandate_service.reset()
    yield mandate_service
    mandate_service.reset()


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def expect_acting_for_pertti(page: Page) -> None:
    banner = page.locator(ACTING_BANNER)
    expect(banner).to_contain_text(f"Asioit henkilön {PERTTI_NAME} puolesta")
    expect(banner.get_by_role("button", name="Palaa omiin asioihisi")).to_be_visible()


def test_a_delegate_sends_the_saate_and_the_principal_confirms(
    browser: Browser, live_url: str, mandates: Any
) -> None:
    with new_page(browser) as page:
        citizen_login_to_the_choice(page, live_url, HELENA)
        expect(heading(page)).to_have_text("Kenen asioita hoidat?")
        assert_accessible(page)

        # The error state: nothing chosen (the page pre-selects "for myself").
        page.locator("input[name='filling']").evaluate_all(
            "radios => radios.forEach(r => { r.checked = false; })"
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Jatka").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Valitse, kenen asioita hoidat nyt.")
        expect(page).to_have_title(re.compile(r"^Virhe: "))
        page.wait_for_function(ERROR_FOCUSED, timeout=5000)
        assert_accessible(page)

        page.get_by_label("Asioin toisen henkilön puolesta").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Jatka").click()
        pick_principal(page, PERTTI)

        expect(heading(page)).to_have_text(f"Lomakkeet: {PERTTI_NAME}")
        expect_acting_for_pertti(page)
        expect(page.locator("main")).not_to_contain_text(PERTTI)  # never an identity code
        assert_accessible(page)

        begin_on_behalf(page, live_url, "saate")
        expect_acting_for_pertti(page)
        assert_accessible(page)  # a question page with the banner
        fill_to_the_check_page(
            page, on_page=lambda p: expect(p.locator(ACTING_BANNER)).to_be_visible()
        )
        expect_acting_for_pertti(page)
        assert_accessible(page)
        receipt = send(page)
        sent = reference(page)
        expect_acting_for_pertti(page)
        assert_accessible(page)

        # Back to her own affairs: her own home, no banner.
        with page.expect_navigation():
            page.locator(ACTING_BANNER).get_by_role("button", name="Palaa omiin asioihisi").click()
        expect(heading(page)).to_have_text(OWN_HOME)
        expect(page.locator(ACTING_BANNER)).to_have_count(0)
        assert_accessible(page)

    submission_id = receipt.rsplit("/", 1)[1]
    with new_page(browser) as page:
        citizen_login(page, live_url, PERTTI)
        notice = page.locator(".govuk-notification-banner").filter(
            has_text="Joku on täyttänyt lomakkeen puolestasi"
        )
        expect(notice).to_be_visible()
        link = notice.locator(f"a[href$='/puolestasi/lahetys/{submission_id}']")
        expect(link).to_have_text(f"Tarkista: {SAATE}")
        assert_accessible(page)

        with page.expect_navigation():
            link.click()
        expect(heading(page)).to_have_text("Tarkista vastaukset, jotka annettiin puolestasi")
        main = page.locator("main")
        expect(main).to_contain_text(sent)
        expect(main).to_contain_text(f"{HELENA_NAME} täytti lomaketta puolestasi")
        expect(main.get_by_text(f"Vastauksen antoi {HELENA_NAME}").first).to_be_visible()
        assert_accessible(page)

        with page.expect_navigation():
            page.get_by_role("button", name="Vastaukset ovat oikein").click()
        expect(heading(page)).to_have_text(OWN_HOME)
        success = page.locator(".govuk-notification-banner--success")
        expect(success.first).to_contain_text(
            "Kiitos. Vahvistit vastaukset, jotka annettiin puolestasi."
        )
        # Said once: one banner, not the layout's and the home page's both.
        expect(
            page.locator(".govuk-notification-banner").filter(has_text="Vahvistit")
        ).to_have_count(1)
        expect(page.locator(f"a[href$='/puolestasi/lahetys/{submission_id}']")).to_have_count(0)
        assert_accessible(page)


def test_every_bad_mandate_is_refused(browser: Browser, live_url: str, mandates: Any) -> None:
    with new_page(browser) as page:
        citizen_login(page, live_url, HELENA)
        for principal in (OUTI, REIJO, VAINO, EERO):
            act_for(page, live_url, principal)
            expect(heading(page)).to_have_text(NO_MANDATE)
            expect(page.locator(ACTING_BANNER)).to_have_count(0)
            expect(page.locator("main")).not_to_contain_text(principal)
            expect(page.locator("main")).to_contain_text("suomi.fi/valtuudet")
            if principal == OUTI:
                assert_accessible(page)  # the others are the same page

        act_for(page, live_url, MINNA)
        expect(heading(page)).to_have_text(MINOR)
        expect(page.locator(ACTING_BANNER)).to_have_count(0)
        assert_accessible(page)

        act_for(page, live_url, None)
        expect(heading(page)).to_have_text(CANCELLED)
        expect(page.locator(ACTING_BANNER)).to_have_count(0)
        assert_accessible(page)

        # Refused, she still handles her own affairs.
        page.get_by_role("link", name=OWN_HOME).click()
        expect(heading(page)).to_have_text(OWN_HOME)


def test_a_mandate_revoked_mid_session_stops_the_sending(
    browser: Browser, live_url: str, mandates: Any
) -> None:
    with new_page(browser) as page:
        citizen_login(page, live_url, HELENA)
        act_for(page, live_url, PERTTI)
        expect(heading(page)).to_have_text(f"Lomakkeet: {PERTTI_NAME}")
        begin_on_behalf(page, live_url, "esitieto")
        fill_to_the_check_page(page)
        expect_acting_for_pertti(page)

        mandates.revoke(PERTTI)
        with page.expect_navigation():
            page.locator("main form[action$='/laheta'] button").click()
        expect(heading(page)).to_have_text(LOST)
        expect(page.locator("main")).to_contain_text(PERTTI_NAME)
        expect(page.locator(ACTING_BANNER)).to_have_count(0)
        assert_accessible(page)

        # Back in her own affairs: her own home.
        page.goto(live_url + "/")
        expect(heading(page)).to_have_text(OWN_HOME)
        expect(page.locator(ACTING_BANNER)).to_have_count(0)

    # Nothing was lost: Pertti finds the form in progress, with the answers to check.
    with new_page(browser) as page:
        citizen_login(page, live_url, PERTTI)
        task = page.locator(".govuk-task-list__item").filter(has_text="Esitiedot")
        expect(task).to_contain_text("Kesken")
        expect(page.locator("main a[href*='/puolestasi/luonnos/']").first).to_be_visible()


def test_a_helper_beside_is_named_on_every_page(browser: Browser, live_url: str) -> None:
    with new_page(browser) as page:
        citizen_login_to_the_choice(page, live_url, AADA)
        choose_filling(page, "beside")
        expect(heading(page)).to_have_text("Kuka auttaa sinua?")
        assert_accessible(page)

        with page.expect_navigation():
            page.get_by_role("button", name="Jatka").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary.locator("a[href='#name']")).to_be_visible()
        expect(summary.locator("a[href='#relation']")).to_be_visible()
        expect(page).to_have_title(re.compile(r"^Virhe: "))
        page.wait_for_function(ERROR_FOCUSED, timeout=5000)
        assert_accessible(page)

        page.get_by_label("Auttajan nimi").fill("Maija Virtanen")
        page.get_by_label("Aikuinen lapsi").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Jatka").click()
        expect(heading(page)).to_have_text(OWN_HOME)
        banner = page.locator(ACTING_BANNER)
        expect(banner).to_contain_text("Maija Virtanen auttaa sinua täyttämään")
        assert_accessible(page)

        page.goto(live_url + "/lomake/saate")
        expect(banner).to_contain_text("Maija Virtanen auttaa sinua täyttämään")

        # "Muuta": back to filling in alone; the banner goes.
        banner.get_by_role("link", name=re.compile("Muuta")).click()
        choose_filling(page, "self")
        expect(heading(page)).to_have_text(OWN_HOME)
        expect(page.locator(ACTING_BANNER)).to_have_count(0)
