"""An officer plans an interaction for next week and finds it on their home page, in a real
browser at laptop (1280×800) and phone (390×844) sizes.

Screenshots of the form, the planned interaction and the home page are written under the
test run's temporary directory (their folder is printed).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm import clock, people
from tests.browser.helpers import SIZES, click_through

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
OUJDA = "02.411.01.23"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    print(f"screenshots: {folder}")
    return folder


def _set_value(driver: WebDriver, name: str, value: str) -> None:
    """Fill a date input the way a date picker does (typing depends on the browser locale)."""
    field = driver.find_element(By.NAME, name)
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        field,
        value,
    )


def _submit(driver: WebDriver, label: str) -> None:
    form = driver.find_element(By.CSS_SELECTOR, "main form.grid")
    click_through(driver, form.find_element(By.XPATH, f".//button[normalize-space()='{label}']"))


def test_an_officer_plans_an_interaction_and_sees_it_on_their_home_page(
    sized, browser, live_server, log_in, officer_actor, screenshots
):
    size, resize = sized
    people.create_person(
        officer_actor, {"first_name": "Karim", "last_name": "Oujdi", "commune": OUJDA}
    )
    next_week = clock.today() + timedelta(days=7)
    log_in()
    resize()

    browser.get(live_server + "/")
    browser.find_element(By.LINK_TEXT, "Planifier une interaction").click()
    WebDriverWait(browser, WAIT_SECONDS).until(ec.url_contains("/interactions/nouvelle"))
    assert Select(browser.find_element(By.NAME, "status")).first_selected_option.text.startswith(
        "Prévue"
    )
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("Réunion")
    _set_value(browser, "date", next_week.isoformat())
    _set_value(browser, "start_time", "10:00")
    browser.find_element(By.NAME, "commune").send_keys(OUJDA)
    browser.find_element(By.NAME, "venue").send_keys("Maison des jeunes")
    picker = browser.find_elements(By.CSS_SELECTOR, "input[role=combobox]")[0]
    picker.send_keys("Oujdi")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: any("Karim" in o.text for o in d.find_elements(By.CSS_SELECTOR, "[role=option]"))
    )
    picker.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    browser.find_element(By.NAME, "summary").send_keys("Atelier budget participatif.")
    browser.save_screenshot(str(screenshots / f"{size}-1-plan-form.png"))
    _submit(browser, "Enregistrer")

    errors = browser.find_elements(By.CSS_SELECTOR, "p.error, .flash-error")
    assert not errors, [e.text for e in errors]
    title = browser.find_element(By.TAG_NAME, "h1").text
    assert f"Réunion du {next_week:%d/%m/%Y} à 10:00" in title and "prévue" in title
    browser.save_screenshot(str(screenshots / f"{size}-2-planned.png"))

    browser.get(live_server + "/")
    planned = browser.find_element(By.ID, "day-planned")
    browser.execute_script("arguments[0].scrollIntoView();", planned)
    assert f"Réunion du {next_week:%d/%m/%Y} à 10:00" in planned.text
    assert "Maison des jeunes" in planned.text and "Karim OUJDI" in planned.text
    assert browser.find_element(By.ID, "network-dashboard").is_displayed()
    browser.save_screenshot(str(screenshots / f"{size}-3-home.png"))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"the home page is {width}px wide at {size} size"
