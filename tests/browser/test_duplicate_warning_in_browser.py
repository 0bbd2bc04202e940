"""An officer re-enters an association's president under a spelling variant, gets the duplicate
warning, opens the existing record or creates anyway, then finds the president by phone number
typed as "06 61 …" — in a real browser at laptop (1280×800) and phone (390×844) sizes.

Screenshots are written under the test run's temporary directory (their folder is printed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from crm import organisations, people
from tests.browser.helpers import click_through

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
OUJDA = "02.411.01.23"
ASSOCIATION = "Association Al Amal pour le développement local"
WARNING = "Fiches semblables déjà enregistrées"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    print(f"screenshots: {folder}")
    return folder


@pytest.fixture
def association(officer_actor) -> str:
    return organisations.create_organisation(
        officer_actor, {"name": ASSOCIATION, "kind": "osc", "commune": OUJDA}
    )


def _wait(driver: WebDriver) -> WebDriverWait:
    return WebDriverWait(driver, WAIT_SECONDS)


def _fill_person(driver: WebDriver, base: str, **typed: str) -> None:
    driver.get(base + "/personnes/nouvelle")
    form = driver.find_element(By.ID, "person-form")
    for name, value in {"commune": OUJDA, **typed}.items():
        form.find_element(By.NAME, name).send_keys(value)


def _click(driver: WebDriver, element) -> None:
    """Click ``element`` (scrolled into view) and wait for the next page."""
    click_through(driver, element)


def _save(driver: WebDriver) -> None:
    form = driver.find_element(By.ID, "person-form")
    _click(driver, form.find_element(By.CSS_SELECTOR, ".actions button[type=submit]"))


def _flash(driver: WebDriver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))


def _fits(driver: WebDriver) -> None:
    width, viewport = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth];"
    )
    assert width <= viewport, f"page {width}px wide in a {viewport}px viewport"


def test_a_spelling_variant_of_the_president_is_warned_then_found_by_phone(
    browser, live_server, log_in, officer_actor, association, sized, screenshots
):
    size, resize = sized
    log_in()
    resize()

    # The association's president, entered through the form.
    _fill_person(browser, live_server, first_name="Mohamed", last_name="El Alami",
                 phones="0661234567")  # fmt: skip
    _save(browser)
    assert "Personne enregistrée." in _flash(browser)
    president_url = browser.current_url
    president = president_url.rstrip("/").split("/")[-1]
    people.link_to_organisation(officer_actor, president, association, {"role": "Président"})

    # Re-entered with another spelling: the warning, before anything is written.
    _fill_person(browser, live_server, first_name="Mohammed", last_name="Alami")
    _save(browser)
    warning = browser.find_element(By.CSS_SELECTOR, ".duplicates-warning")
    assert WARNING in warning.text
    assert "Mohamed EL ALAMI" in warning.text and "Oujda" in warning.text
    assert ASSOCIATION in warning.text and "même nom (translittération)" in warning.text
    form = browser.find_element(By.ID, "person-form")
    assert form.find_element(By.NAME, "first_name").get_attribute("value") == "Mohammed"
    _fits(browser)
    browser.save_screenshot(str(screenshots / f"{size}-1-duplicate-warning.png"))

    # "Ouvrir": the existing record.
    _click(browser, warning.find_element(By.LINK_TEXT, "Ouvrir"))
    assert browser.current_url == president_url
    assert "Mohamed EL ALAMI" in browser.find_element(By.TAG_NAME, "h1").text

    # Again, and "Créer quand même": a second record, as typed.
    _fill_person(browser, live_server, first_name="Mohammed", last_name="Alami")
    _save(browser)
    warning = browser.find_element(By.CSS_SELECTOR, ".duplicates-warning")
    anyway = warning.find_element(By.XPATH, ".//button[normalize-space()='Créer quand même']")
    _click(browser, anyway)
    assert "Personne enregistrée." in _flash(browser)
    assert browser.current_url != president_url
    assert "ALAMI" in browser.find_element(By.TAG_NAME, "h1").text.upper()

    # Found by phone number, typed with spaces.
    browser.get(live_server + "/personnes/")
    search = browser.find_element(By.CSS_SELECTOR, "form.search")
    search.find_element(By.NAME, "q").send_keys("06 61 23 45 67")
    _click(browser, search.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    links = {
        a.get_attribute("href").rstrip("/").split("/")[-1]
        for a in browser.find_elements(By.CSS_SELECTOR, "main a[href*='/personnes/']")
        if len(a.get_attribute("href").rstrip("/").split("/")[-1]) == 32
    }
    assert links == {president}
    assert "1 personne" in browser.find_element(By.CSS_SELECTOR, "p.count").text
    _fits(browser)
    browser.save_screenshot(str(screenshots / f"{size}-2-found-by-phone.png"))
