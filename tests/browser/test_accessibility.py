"""WCAG 2.1 AA in a real browser: every page, in fi, selkokieli, sv and en.

On each page: axe-core (WCAG 2.0/2.1 A and AA rules), `<html lang>` matches the language, focus
is visible on each element Tab reaches, and at 320 CSS px nothing scrolls sideways (1.4.10
Reflow). Question pages also show their progress as text, a failed page moves focus to its
error summary, and the self-assessment chart is an image with a name.

The submissions the pages need are made once, in plain Finnish, by one citizen (the module
fixture); each test then visits the same addresses in each variant, switching the language of
its own session with ?kieli= and ?selkokieli= once per variant. Problems are collected over all
pages and reported together, so one run lists everything that needs fixing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.pages import (
    ACTING_BANNER,
    CONTINUE,
    DEFAULT_VARIANT,
    VARIANT_LANG,
    VARIANTS,
    act_for,
    begin,
    begin_on_behalf,
    citizen_login,
    citizen_login_to_the_choice,
    fill_current_page,
    fill_to_the_check_page,
    new_page,
    reference,
    send,
    staff_login,
)

# Siiri (municipality Äänekoski) is nobody else's: her drafts stay put. Her submissions go to
# the Äänekoski team, so its social worker looks at them.
SIIRI = "240590-954H"
STAFF = "aino.aanekoski"
LEAD = "tuomas.tiiminvetaja"
# Helena acts for Pertti with a Suomi.fi mandate; her mandate from Outi has expired
# (portal.demo.MANDATES).
HELENA = "110573-957U"
PERTTI = "030482-9587"
OUTI = "170961-959W"

NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 800}
TAB_STOPS_FIRST_VARIANT = 40  # in plain Finnish, this many tab stops are checked on every page
TAB_STOPS_OTHER_VARIANTS = 8  # in the other variants, the header and the start of the page

PROGRESS = {
    "fi": r"Sivu \d+ / \d+",
    "fi-selko": r"Sivu \d+ / \d+",
    "sv": r"Sida \d+ av \d+",
    "en": r"Page \d+ of \d+",
}

# What the focused element shows. A transparent outline is GOV.UK's forced-colours fallback and
# shows nothing by itself; the visible indicator is then a box-shadow (and background). Radios
# and checkboxes are styled through their label's ::before.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const shows = (cs) => {
    const colour = cs.outlineColor.replace(/\\s/g, "");
    const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0
      && colour !== "transparent" && !/^rgba\\(\\d+,\\d+,\\d+,0\\)$/.test(colour);
    return outline || (cs.boxShadow && cs.boxShadow !== "none");
  };
  let ok = shows(getComputedStyle(el));
  if (!ok && el.labels) {
    for (const label of el.labels) {
      ok = ok || shows(getComputedStyle(label, "::before"))
        || shows(getComputedStyle(label, "::after"));
    }
  }
  const cs = getComputedStyle(el);
  return {
    ok: ok,
    what: el.outerHTML.slice(0, 160),
    style: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; `
      + `box-shadow: ${cs.boxShadow}`,
  };
}"""

# What sticks out past the right edge when the page is wider than the viewport.
WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > document.documentElement.clientWidth + 1) {
      const what = [el.tagName.toLowerCase(), ...el.classList].join(".");
      out.push(`${what} right=${Math.round(r.right)}`);
    }
  }
  return out.slice(0, 6);
}"""

ERROR_FOCUSED = (
    "document.activeElement && document.activeElement.closest('.govuk-error-summary') !== null"
)


@dataclass
class Findings:
    """Problems over many pages, reported together at the end."""

    items: list[str] = field(default_factory=list)
    pages: int = 0

    def add(self, where: str, what: str) -> None:
        self.items.append(f"[{where}] {what}")

    def assert_none(self) -> None:
        assert not self.items, f"{len(self.items)} problem(s) on {self.pages} pages:\n\n" + (
            "\n\n".join(self.items)
        )


def check_page(page: Page, variant: str, name: str, findings: Findings) -> None:
    """axe, the language, visible focus along the tab order, and reflow at 320 px."""
    where = f"{variant} {name} {page.url}"
    findings.pages += 1
    lang = page.evaluate("document.documentElement.lang")
    if lang != VARIANT_LANG[variant]:
        findings.add(where, f'<html lang="{lang}">, expected "{VARIANT_LANG[variant]}"')
    try:
        assert_accessible(page)
    except AssertionError as exc:
        findings.add(where, str(exc))

    stops = TAB_STOPS_FIRST_VARIANT if variant == "fi" else TAB_STOPS_OTHER_VARIANTS
    for _ in range(stops):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        if focus is None:  # past the last element
            break
        if not focus["ok"]:
            findings.add(where, f"no visible focus on {focus['what']} ({focus['style']})")

    page.set_viewport_size(NARROW)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            findings.add(
                where, f"scrolls sideways at 320 px: scrollWidth {width}; {page.evaluate(WIDEST)}"
            )
    finally:
        page.set_viewport_size(WIDE)


def visit(page: Page, url: str, variant: str, name: str, findings: Findings) -> None:
    page.goto(url)
    check_page(page, variant, name, findings)


def switch(page: Page, url: str, variant: str) -> None:
    page.goto(url + VARIANTS[variant])
    expect(page.locator("html")).to_have_attribute("lang", VARIANT_LANG[variant])


@dataclass
class Made:
    """What the module fixture made, by address."""

    saate_receipt: str
    saate_reference: str
    withdraw: str
    esitieto_page: str
    saate_page: str
    omaarvio_page: str


@pytest.fixture(scope="module")
def made(browser: Browser, live_url: str) -> Iterator[Made]:
    """Siiri's submissions and drafts, in plain Finnish.

    Sent: a saate (the generic filler gives consent to Kela, the first party) and two
    self-assessments, so the results page compares. Left as drafts: a second saate at its
    work-history page (a repeating group), the esitieto at its contact page (the phone is
    required: the error state), and a third self-assessment complete, at its check page.
    """
    with new_page(browser, viewport=WIDE) as page:
        citizen_login(page, live_url, SIIRI)
        begin(page, live_url, "saate")
        fill_to_the_check_page(page)
        saate_receipt = send(page)
        saate_reference = reference(page)
        for _ in range(2):
            begin(page, live_url, "omaarvio")
            fill_to_the_check_page(page)
            send(page)

        page.goto(live_url + "/omat-tiedot/suostumukset")
        withdraw = page.locator("main a[href$='/peru']").first.get_attribute("href")

        begin(page, live_url, "saate")
        while not page.url.endswith("/sivu/tyohistoria"):
            fill_current_page(page)
        saate_page = page.url
        begin(page, live_url, "esitieto")
        fill_current_page(page)  # the identity page
        esitieto_page = page.url
        assert esitieto_page.endswith("/sivu/yhteystiedot")
        begin(page, live_url, "omaarvio")
        fill_to_the_check_page(page)
        yield Made(
            saate_receipt=saate_receipt,
            saate_reference=saate_reference,
            withdraw=live_url + withdraw,
            esitieto_page=esitieto_page,
            saate_page=saate_page,
            omaarvio_page=live_url + "/lomake/omaarvio/sivu/hyvinvointi",
        )


def test_public_pages_in_every_variant(browser: Browser, live_url: str) -> None:
    findings = Findings()
    with new_page(browser, viewport=WIDE) as page:
        for variant in VARIANTS:
            switch(page, live_url + "/", variant)
            check_page(page, variant, "landing", findings)
            for name, path in (
                ("login", "/kirjaudu"),
                ("accessibility statement", "/saavutettavuus"),
                ("privacy notice", "/tietosuoja"),
                ("logged out", "/uloskirjautunut"),
            ):
                visit(page, live_url + path, variant, name, findings)
            response = page.goto(live_url + "/ei-tallaista-sivua")
            assert response is not None and response.status == 404
            check_page(page, variant, "404", findings)
    findings.assert_none()


def test_citizen_pages_in_every_variant(browser: Browser, live_url: str, made: Made) -> None:
    findings = Findings()
    with new_page(browser, viewport=WIDE) as page:
        citizen_login(page, live_url, SIIRI)
        try:
            for variant in VARIANTS:
                switch(page, live_url + "/", variant)
                check_page(page, variant, "home", findings)
                visit(page, live_url + "/kirjaudu", variant, "already logged in", findings)
                for q in ("esitieto", "saate", "omaarvio"):
                    visit(page, f"{live_url}/lomake/{q}", variant, f"{q} start", findings)

                for name, url in (
                    ("esitieto question", made.esitieto_page),
                    ("saate question (group)", made.saate_page),
                    ("omaarvio question (scales)", made.omaarvio_page),
                ):
                    page.goto(url)
                    # The progress is text, in the page's language.
                    expect(page.locator("#progress")).to_contain_text(re.compile(PROGRESS[variant]))
                    check_page(page, variant, name, findings)

                # The error state: the required phone number left empty.
                page.goto(made.esitieto_page)
                page.fill("[name='phone']", "")
                with page.expect_navigation():
                    page.locator(CONTINUE).click()
                summary = page.locator(".govuk-error-summary")
                expect(summary).to_be_visible()
                expect(summary.locator("a[href='#phone']")).to_be_visible()
                expect(page).to_have_title(re.compile(r"^\S+: "))  # "Virhe: …" in any language
                # GOV.UK Frontend moves focus to the summary, so a screen reader reads it out.
                page.wait_for_function(ERROR_FOCUSED, timeout=5000)
                check_page(page, variant, "esitieto question with an error", findings)

                visit(
                    page, f"{live_url}/lomake/omaarvio/tarkista", variant, "check answers", findings
                )
                visit(page, made.saate_receipt, variant, "receipt", findings)
                visit(page, made.saate_receipt + "/vastaukset", variant, "print view", findings)

                page.goto(live_url + "/oma-arvio/tulokset")
                chart = page.locator("svg[role='img']")
                expect(chart.first).to_be_visible()
                for i in range(chart.count()):
                    expect(chart.nth(i)).to_have_role("img")
                    expect(chart.nth(i)).to_have_accessible_name(re.compile(r"\w"))
                    labelled_by = chart.nth(i).get_attribute("aria-labelledby") or ""
                    has_title = chart.nth(i).locator("title").count() > 0
                    assert labelled_by or has_title, "the chart has no name of its own"
                check_page(page, variant, "self-assessment results", findings)

                visit(page, live_url + "/omat-tiedot/suostumukset", variant, "consents", findings)
                visit(page, live_url + "/oma-asia", variant, "my case", findings)
                log = live_url + "/omat-tiedot/kasittelyloki"
                visit(page, log, variant, "access log", findings)
                visit(page, made.withdraw, variant, "withdraw a consent", findings)
        finally:
            page.goto(live_url + "/" + DEFAULT_VARIANT)  # Siiri's stored choice back to fi
    findings.assert_none()


def test_staff_pages_in_every_variant(browser: Browser, live_url: str, made: Made) -> None:
    findings = Findings()
    with new_page(browser, viewport=WIDE) as page:
        staff_login(page, live_url, STAFF)
        inbox = live_url + "/henkilosto/"
        case = submission = None
        for variant in VARIANTS:
            switch(page, inbox, variant)
            check_page(page, variant, "staff inbox", findings)
            if case is None:
                case = live_url + page.locator(
                    "main table a[href*='/henkilosto/asiat/']"
                ).first.get_attribute("href")
                page.goto(case)
                submission = live_url + page.locator(
                    "main a[href*='/henkilosto/lahetykset/']"
                ).first.get_attribute("href")
            visit(page, case, variant, "staff case", findings)
            visit(page, submission, variant, "staff submission", findings)
            visit(page, case + "/suunnitelma", variant, "staff plan", findings)
            # The error state of a case action: waiting without a date.
            page.goto(case)
            page.check("input[name='tila-status'][value='odottaa']")
            with page.expect_navigation():
                page.locator("main form[action$='/tila'] button").click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            check_page(page, variant, "staff case with an error", findings)
        page.goto(inbox + DEFAULT_VARIANT)
    with new_page(browser, viewport=WIDE) as page:
        staff_login(page, live_url, LEAD)
        for variant in VARIANTS:
            switch(page, live_url + "/henkilosto/luvut", variant)
            check_page(page, variant, "team figures", findings)
            visit(page, live_url + "/henkilosto/reititys", variant, "routing rules", findings)
            visit(page, live_url + "/henkilosto/loki", variant, "audit log search", findings)
        page.goto(live_url + "/henkilosto/" + DEFAULT_VARIANT)
    findings.assert_none()


def test_who_is_filling_in_pages_in_every_variant(
    browser: Browser, live_url: str, mandate_service: Any
) -> None:
    """Issue 6: whose affairs (and its error state), the helper beside (and its error state),
    a refused mandate, the principal's forms with the acting banner, and the principal's check
    of answers given on his behalf. New texts may still be in Finnish in sv and en."""
    mandate_service.reset()
    findings = Findings()
    with new_page(browser, viewport=WIDE) as page:
        citizen_login_to_the_choice(page, live_url, HELENA)
        # Answers for Pertti to check: a draft of the pre-questionnaire, two pages in.
        act_for(page, live_url, PERTTI)
        begin_on_behalf(page, live_url, "esitieto")
        fill_current_page(page)
        fill_current_page(page)
        try:
            for variant in VARIANTS:
                switch(page, live_url + "/kuka-tayttaa", variant)
                check_page(page, variant, "whose affairs", findings)
                # The error state: nothing chosen (the page pre-selects one).
                page.locator("input[name='filling']").evaluate_all(
                    "radios => radios.forEach(r => { r.checked = false; })"
                )
                with page.expect_navigation():
                    page.locator("main form[action$='/kuka-tayttaa'] button").click()
                expect(page.locator(".govuk-error-summary a[href='#filling']")).to_be_visible()
                page.wait_for_function(ERROR_FOCUSED, timeout=5000)
                check_page(page, variant, "whose affairs with an error", findings)

                visit(page, live_url + "/kuka-tayttaa/vieressa", variant, "helper beside", findings)
                with page.expect_navigation():
                    page.locator("main form[action$='/kuka-tayttaa/vieressa'] button").click()
                expect(page.locator(".govuk-error-summary a[href='#name']")).to_be_visible()
                page.wait_for_function(ERROR_FOCUSED, timeout=5000)
                check_page(page, variant, "helper beside with an error", findings)

                act_for(page, live_url, OUTI)
                check_page(page, variant, "mandate refused", findings)

                act_for(page, live_url, PERTTI)
                expect(page.locator(ACTING_BANNER)).to_be_visible()
                check_page(page, variant, "forms of the principal", findings)
                with page.expect_navigation():
                    page.locator(f"{ACTING_BANNER} form button").click()
        finally:
            page.goto(live_url + "/" + DEFAULT_VARIANT)  # Helena's stored choice back to fi

    with new_page(browser, viewport=WIDE) as page:
        citizen_login(page, live_url, PERTTI)
        review = live_url + page.locator(
            "main a[href*='/puolestasi/luonnos/']"
        ).first.get_attribute("href")
        try:
            for variant in VARIANTS:
                switch(page, review, variant)
                check_page(page, variant, "answers given on his behalf", findings)
        finally:
            page.goto(live_url + "/" + DEFAULT_VARIANT)
    findings.assert_none()


def test_logout_pages_in_every_variant(browser: Browser, live_url: str) -> None:
    """The hand-over to the provider and the logged-out page, reached by really logging out.

    JavaScript posts the hand-over on by itself; here its script is a no-op, so the page stays
    long enough to be checked, as it does for everyone without JavaScript.
    """
    findings = Findings()
    with new_page(browser, viewport=WIDE) as page:
        page.route(
            re.compile(r"/static/js/auto-submit\.js"),
            lambda route: route.fulfill(
                body="export function initAutoSubmit() {}", content_type="text/javascript"
            ),
        )
        for variant in VARIANTS:
            citizen_login(page, live_url, SIIRI)
            switch(page, live_url + "/", variant)
            with page.expect_navigation():
                page.locator(".portal-header__logout-button").click()
            hand_over = page.locator("main form[data-auto-submit] button")
            expect(hand_over).to_be_visible()
            check_page(page, variant, "logout hand-over", findings)
            hand_over.click()
            page.get_by_role("button", name="End session").click()  # the provider's own page
            page.wait_for_url(re.compile(r"/uloskirjautunut"))
            check_page(page, variant, "logged out (after logging out)", findings)
        citizen_login(page, live_url, SIIRI)  # stores plain Finnish as Siiri's choice again
    findings.assert_none()


def test_focus_is_visible_after_tab(browser: Browser, live_url: str) -> None:
    """The first Tab on a page lands on the skip link, and it shows."""
    with new_page(browser, viewport=WIDE) as page:
        page.goto(live_url + "/" + DEFAULT_VARIANT)
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        assert focus is not None and "govuk-skip-link" in focus["what"], focus
        assert focus["ok"], focus
        expect(page.locator(".govuk-skip-link")).to_be_in_viewport()
