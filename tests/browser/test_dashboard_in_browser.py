"""Issue 11, "Done when" for the dashboard and the geographic view, in real headless Chromium at
laptop and phone sizes: the manager sees every region's communes, the Oriental officer only
theirs; an organisation named like an HTML tag shows as text; a commune of the map opens its
page; the pages fit the window. Screenshots go to ``<basetemp>/dashboard-screenshots``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec

from crm import clock, events, organisations, partnerships, pilots, users
from tests.browser.helpers import wait
from tests.browser.test_phone_width import full_page_screenshot, too_wide

pytestmark = pytest.mark.browser

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"
XSS = "<img src=x onerror=alert(1)>"
MANAGER = {"email": "direction.dash@example.org", "password": "correct horse battery staple",
           "name": "Karim Tazi"}  # fmt: skip


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "dashboard-screenshots"
    folder.mkdir(exist_ok=True)
    print(f"screenshots: {folder}")
    return folder


@pytest.fixture
def network(officer: dict) -> dict:
    """Oujda (pilot): its council partnering with INDH, an association named like an HTML tag
    at an event with the council and at another with a second association; Casablanca: a
    council and an association."""
    users.create_user(MANAGER["email"], MANAGER["name"], MANAGER["password"], "manager")
    manager = users.load_session(
        users.authenticate(MANAGER["email"], MANAGER["password"]).session_token
    )
    today = clock.today()

    def org(name, commune, kind="osc", shared=False):
        return organisations.create_organisation(
            manager, {"name": name, "kind": kind, "commune": commune, "shared": shared}
        )

    council = org("Conseil communal d'Oujda", OUJDA, "commune_council")
    xss = org(XSS, OUJDA)
    indh = org("INDH", "", "national_agency", shared=True)
    casa = org("Conseil communal de Casablanca", CASABLANCA, "commune_council")
    org("Association Anfa", CASABLANCA)
    partnerships.create_partnership(
        manager,
        {"organisation": council, "partner": indh, "kind": "convention", "title": "Convention",
         "since": (today - timedelta(days=90)).isoformat(), "status": "active"},
    )  # fmt: skip
    events.create_event(
        manager,
        {"title": "Forum", "kind": "forum", "commune": OUJDA, "organisers": [council, xss],
         "start_date": (today - timedelta(days=20)).isoformat()},
    )  # fmt: skip
    # A second association met only the first: the first becomes a key actor (listed by name).
    events.create_event(
        manager,
        {"title": "Atelier", "kind": "workshop", "commune": OUJDA,
         "organisers": [xss, org("Association Ennour", OUJDA)],
         "start_date": (today - timedelta(days=10)).isoformat()},
    )  # fmt: skip
    pilots.set_pilot(manager, OUJDA, True, today - timedelta(days=365), today)
    return {"xss": xss, "casa": casa}


def sign_in(driver: WebDriver, base: str, account: dict) -> None:
    driver.get(base + "/connexion")
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "email").send_keys(account["email"])
    form.find_element(By.NAME, "password").send_keys(account["password"])
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver).until(ec.presence_of_element_located((By.ID, "main-menu")))


def sign_out(driver: WebDriver) -> None:
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.delete_all_cookies()


def fits(driver: WebDriver) -> bool:
    """Whether the page fits the window (else fail naming what sticks out)."""
    problem = too_wide(driver)
    assert problem is None, problem
    return True


def map_codes(driver: WebDriver) -> set[str]:
    """The communes drawn on the map (their HCP codes)."""
    return {a.get_dom_attribute("data-code")
            for a in driver.find_elements(By.CSS_SELECTOR, "svg a[data-code]")}  # fmt: skip


def figures_text(driver: WebDriver) -> str:
    """The text of the page past the scope form (whose region list names every region)."""
    return driver.execute_script(
        "const form = document.querySelector('main form.search'); let text = '';"
        "for (let n = form.nextElementSibling; n; n = n.nextElementSibling) "
        "text += ' ' + n.textContent;"
        "return text;"
    )


def test_the_dashboard_and_the_map_as_manager_then_oriental_officer(
    browser, live_server, officer, network, sized, screenshots
):
    size, resize = sized
    sign_in(browser, live_server, MANAGER)
    resize()
    browser.get(live_server + "/reseau/tableau-de-bord")
    wait(browser).until(ec.presence_of_element_located((By.ID, "communes-title")))
    full_page_screenshot(browser, screenshots / f"{size}-manager-dashboard.png")
    assert fits(browser)
    text = figures_text(browser)
    assert "Casablanca" in text and "Oujda" in text
    # The association's name is text: no image element was made of it, its link says it.
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    assert browser.find_elements(By.LINK_TEXT, XSS)
    # The severity chart's bars are links to the communes' gaps.
    bars = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg a")
    assert bars and all("/reseau/lacunes" in (b.get_dom_attribute("href") or "") for b in bars[:2])

    browser.get(live_server + "/reseau/geographie")
    oujda = wait(browser).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, f"svg a[data-code='{OUJDA}'] circle"))
    )
    full_page_screenshot(browser, screenshots / f"{size}-manager-map.png")
    assert fits(browser)
    codes = map_codes(browser)
    assert {OUJDA, CASABLANCA} <= codes
    # The map scales to the window: the drawing is no wider than the page.
    width = browser.execute_script("return document.querySelector('figure.map svg')"
                                   ".getBoundingClientRect().width;")  # fmt: skip
    assert 0 < width <= browser.execute_script("return window.innerWidth;")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", oujda)
    browser.execute_script(
        "arguments[0].closest('a').dispatchEvent(new MouseEvent('click', {bubbles: true}));",
        oujda,
    )
    wait(browser).until(ec.url_contains(f"/territoires/commune/{OUJDA}"))

    sign_out(browser)
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    sign_in(browser, live_server, officer)
    resize()
    browser.get(live_server + "/reseau/tableau-de-bord")
    wait(browser).until(ec.presence_of_element_located((By.ID, "communes-title")))
    full_page_screenshot(browser, screenshots / f"{size}-officer-dashboard.png")
    assert fits(browser)
    text = figures_text(browser)
    assert "Oujda" in text and "Casablanca" not in text and "Anfa" not in text
    browser.get(live_server + "/reseau/geographie")
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg a[data-code]")))
    codes = map_codes(browser)
    assert codes and all(code.startswith("02.") for code in codes)
    assert "Casablanca" not in figures_text(browser)
    full_page_screenshot(browser, screenshots / f"{size}-officer-map.png")
