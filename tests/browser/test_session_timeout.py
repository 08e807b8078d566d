"""The warning before the session ends, in Chromium (WCAG 2.2.1 Timing Adjustable).

Playwright's clock moves the page's time forward, so the 30-minute session of the shared live
portal is enough: the page believes minutes have passed, the server knows they have not, and
extending answers 200.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.devidp.users import CITIZEN_SUBS
from tests.browser.axe import assert_accessible
from tests.browser.pages import choose_for_myself

AADA = CITIZEN_SUBS["010280-952L"]
DIALOG_NAME = "Istuntosi on päättymässä"


def _log_in(page: Page, live_url: str) -> None:
    page.goto(live_url + "/kirjaudu")
    page.get_by_role("button", name=re.compile("Suomi.fi")).first.click()
    page.locator(f"button[name='sub'][value='{AADA}']").click()
    choose_for_myself(page)
    # The script starts its count when it runs: move the clock only after that.
    page.wait_for_load_state("load")


def _seconds_until_warning(page: Page) -> int:
    wrapper = page.locator(".portal-session-timeout")
    left = int(wrapper.get_attribute("data-session-seconds"))
    warn = int(wrapper.get_attribute("data-warn-seconds"))
    assert 20 <= warn < left
    return left - warn


def _is_extend(response) -> bool:
    return response.url.endswith("/istunto/jatka") and response.request.method == "POST"


def test_the_warning_comes_before_the_end_and_extending_keeps_the_person_in(
    page: Page, live_url: str
) -> None:
    page.clock.install()
    _log_in(page, live_url)
    dialog = page.get_by_role("alertdialog", name=DIALOG_NAME)
    extend = dialog.get_by_role("button", name="Jatka istuntoa")
    log_out = dialog.get_by_role("button", name="Kirjaudu ulos")
    expect(dialog).to_be_hidden()

    # Where the person was: focus comes back here after the dialog.
    origin = page.get_by_role("link", name="Saavutettavuusseloste")
    origin.focus()

    page.clock.fast_forward((_seconds_until_warning(page) - 10) * 1000)
    page.clock.run_for(2000)
    expect(dialog).to_be_hidden()  # not yet

    page.clock.fast_forward(15_000)
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(extend).to_be_focused()
    expect(dialog).to_contain_text(re.compile(r"Istuntosi päättyy (\d+|alle) minuutin kuluttua"))
    expect(dialog).to_contain_text("tallentuvat")
    expect(dialog.get_by_text("ei onnistunut")).to_be_hidden()
    assert_accessible(page)

    # Tab and Shift+Tab stay inside the dialog.
    page.keyboard.press("Tab")
    expect(log_out).to_be_focused()
    page.keyboard.press("Tab")
    expect(extend).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(log_out).to_be_focused()

    with page.expect_response(_is_extend) as answer:
        extend.click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("x-csrftoken")
    assert answer.value.json()["expires_in"] > 0
    expect(dialog).to_be_hidden()
    expect(origin).to_be_focused()

    # The count starts again: no warning soon after, a new one near the new end.
    page.clock.run_for(5000)
    expect(dialog).to_be_hidden()
    lifetime = answer.value.json()["expires_in"]
    warn = int(page.locator(".portal-session-timeout").get_attribute("data-warn-seconds"))
    page.clock.fast_forward((lifetime - warn + 5) * 1000)
    expect(dialog).to_be_visible()
    expect(extend).to_be_focused()

    # Escape is the safe choice: it extends too.
    with page.expect_response(_is_extend) as answer:
        page.keyboard.press("Escape")
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()


def test_a_failed_extension_says_so_and_keeps_the_dialog_open(page: Page, live_url: str) -> None:
    page.clock.install()
    _log_in(page, live_url)
    page.clock.fast_forward((_seconds_until_warning(page) + 5) * 1000)
    dialog = page.get_by_role("alertdialog", name=DIALOG_NAME)
    expect(dialog).to_be_visible()
    page.route("**/istunto/jatka", lambda route: route.abort())  # e.g. the network is down
    dialog.get_by_role("button", name="Jatka istuntoa").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Istunnon jatkaminen ei onnistunut")
    expect(dialog).to_be_visible()
    assert_accessible(page)

    page.unroute("**/istunto/jatka")
    with page.expect_response(_is_extend) as answer:
        dialog.get_by_role("button", name="Jatka istuntoa").click()
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()


def test_the_dialog_fits_a_narrow_zoomed_screen(page: Page, live_url: str) -> None:
    page.clock.install()
    _log_in(page, live_url)
    # 1280 x 1024 at 400 % zoom is 320 x 256 CSS pixels.
    page.set_viewport_size({"width": 320, "height": 256})
    page.clock.fast_forward((_seconds_until_warning(page) + 5) * 1000)
    dialog = page.get_by_role("alertdialog", name=DIALOG_NAME)
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert box["y"] >= 0 and box["y"] + box["height"] <= 256
    # Everything in it can be reached: the dialog scrolls, not the page behind it.
    log_out = dialog.get_by_role("button", name="Kirjaudu ulos")
    log_out.scroll_into_view_if_needed()
    expect(log_out).to_be_in_viewport()
    no_sideways_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_sideways_scroll
    assert_accessible(page)


def test_when_time_runs_out_the_page_is_loaded_again(page: Page, live_url: str) -> None:
    page.clock.install()
    _log_in(page, live_url)
    left = int(page.locator(".portal-session-timeout").get_attribute("data-session-seconds"))
    with page.expect_navigation():
        page.clock.fast_forward((left + 5) * 1000)
    # Here the server's session is still alive (only the page's clock moved), so the same
    # page comes back; after a real expiry the server would ask to log in first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat lomakkeet")
