"""The people picker of the interaction form, in a real browser at laptop and phone sizes: an
officer picks three people as chips (typing, arrow, Enter), removes one, adds another, saves,
and finds the three names on the interaction page; no internal id is ever shown.

Screenshots are written under the test run's temporary directory (their folder is printed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm import organisations, people
from graph.database import run
from tests.browser.helpers import SIZES, click_through

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
OUJDA = "02.411.01.23"
UID = re.compile(r"\b[0-9a-f]{32}\b")


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    print(f"screenshots: {folder}")
    return folder


def _pick(driver: WebDriver, combobox, text: str, expected_name: str) -> None:
    """Type ``text`` in the picker, wait for the suggestion, choose it with arrow and Enter."""
    combobox.send_keys(text)
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: any(
            expected_name in o.text for o in d.find_elements(By.CSS_SELECTOR, "[role=option]")
        )
    )
    options = driver.find_elements(By.CSS_SELECTOR, "[role=option]")
    index = next(i for i, o in enumerate(options) if expected_name in o.text)
    for _ in range(index + 1):
        combobox.send_keys(Keys.ARROW_DOWN)
    combobox.send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: expected_name in _chips(d))


def _chips(driver: WebDriver) -> str:
    return " ".join(c.text for c in driver.find_elements(By.CSS_SELECTOR, ".record-picker-chip"))


def test_an_officer_picks_three_people_as_chips(
    sized, browser, live_server, log_in, officer_actor, screenshots
):
    size, resize = sized
    for first, last in (("Karim", "Oujdi"), ("Salma", "Berkani"), ("Youssef", "Tahiri"),
                        ("Nadia", "Mansouri")):  # fmt: skip
        people.create_person(officer_actor, {"first_name": first, "last_name": last,
                                             "commune": OUJDA})  # fmt: skip
    log_in()
    resize()
    browser.get(live_server + "/interactions/nouvelle")
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("Réunion")
    combobox = browser.find_elements(By.CSS_SELECTOR, "input[role=combobox]")[0]
    _pick(browser, combobox, "Oujd", "Karim")
    _pick(browser, combobox, "Berk", "Salma")
    _pick(browser, combobox, "Tahi", "Youssef")
    browser.save_screenshot(str(screenshots / f"{size}-1-three-chips.png"))
    # Backspace in the empty box removes the last chip; then another person is added.
    combobox.send_keys(Keys.BACKSPACE)
    WebDriverWait(browser, WAIT_SECONDS).until(lambda d: "Youssef" not in _chips(d))
    _pick(browser, combobox, "Mans", "Nadia")
    assert not UID.search(browser.find_element(By.TAG_NAME, "main").text)
    browser.find_element(By.NAME, "summary").send_keys("Réunion de coordination.")
    browser.save_screenshot(str(screenshots / f"{size}-2-form.png"))
    form = browser.find_element(By.CSS_SELECTOR, "main form.grid")
    save = form.find_element(By.XPATH, ".//button[normalize-space()='Enregistrer']")
    click_through(browser, save)

    errors = browser.find_elements(By.CSS_SELECTOR, "p.error, .flash-error")
    assert not errors, [e.text for e in errors]
    page = browser.find_element(By.TAG_NAME, "main").text
    for name in ("Karim", "Salma", "Nadia"):
        assert name in page
    assert "Youssef" not in page
    assert not UID.search(page)
    browser.save_screenshot(str(screenshots / f"{size}-3-saved.png"))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"the page is {width}px wide at {size} size"


def test_the_successor_picker_holds_one_person(
    sized, browser, live_server, log_in, officer_actor, screenshots
):
    size, resize = sized
    council = organisations.create_organisation(
        officer_actor, {"name": "Conseil communal d'Oujda", "kind": "commune_council",
                        "commune": OUJDA},
    )  # fmt: skip
    uids = {
        first: people.create_person(
            officer_actor, {"first_name": first, "last_name": last, "commune": OUJDA}
        )
        for first, last in (("Omar", "Hijazi"), ("Mohamed", "Azzaoui"), ("Salma", "Berkani"))
    }
    people.link_to_organisation(
        officer_actor, uids["Omar"], council, {"role": "Président", "since": "2021-09-20"}
    )
    log_in()
    resize()
    browser.get(live_server + f"/organisations/{council}")
    browser.find_element(By.XPATH, "//a[contains(@href, '/passation')]").click()
    combobox = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.find_element(By.ID, "successor-combobox")
    )
    _pick(browser, combobox, "Berk", "Salma")
    _pick(browser, combobox, "Azza", "Mohamed")  # a second choice replaces the first
    assert _chips(browser).count("×") == 1 and "Salma" not in _chips(browser)
    # As a date picker fills it (typing depends on the browser's locale).
    browser.execute_script(
        "arguments[0].value = '2026-09-15';", browser.find_element(By.NAME, "on")
    )
    browser.save_screenshot(str(screenshots / f"{size}-successor.png"))
    form = combobox.find_element(By.XPATH, "./ancestor::form")
    click_through(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Passation enregistrée" in browser.find_element(By.TAG_NAME, "main").text
    holder = run(
        "MATCH (p:Person)-[a:AFFILIATED_WITH]->(:Organisation {uid: $o}) WHERE a.until IS NULL "
        "RETURN p.uid AS uid",
        o=council,
    )
    assert holder == [{"uid": uids["Mohamed"]}]
