"""An administrator opens an officer's account and picks the territory by name, in a real
browser, at laptop and phone sizes: typing a name, choosing a suggestion with the keyboard or
the mouse, removing a chip. Screenshots go to the test run's temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
ADMIN_EMAIL = "admin.territoires@example.org"
ADMIN_PASSWORD = "correct horse battery staple"
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture
def admin(clean_db) -> dict:
    from crm import users

    users.create_user(ADMIN_EMAIL, "Nadia Idrissi", ADMIN_PASSWORD, "admin")
    return {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "name": "Nadia Idrissi"}


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of this run where the screenshots are written."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(params=sorted(SIZES))
def window(request: pytest.FixtureRequest, browser: WebDriver) -> Iterator[str]:
    """The browser at one size (laptop or phone) for the test; the usual size afterwards."""
    before = browser.get_window_size()
    width, height = SIZES[request.param]
    browser.set_window_size(width, height)
    yield request.param
    browser.set_window_size(before["width"], before["height"])


def wait(driver: WebDriver):
    # A page being replaced (after a submit) turns found elements stale: look again.
    return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,))


def sign_in(driver: WebDriver, base: str, account: dict) -> None:
    driver.get(base + "/connexion")
    driver.find_element(By.NAME, "email").send_keys(account["email"])
    driver.find_element(By.NAME, "password").send_keys(account["password"])
    driver.find_element(By.XPATH, "//button[normalize-space()='Se connecter']").click()
    # At phone width the name sits in the folded menu: read the text, shown or not.
    wait(driver).until(
        lambda d: (
            account["name"]
            in d.find_element(By.CSS_SELECTOR, ".topbar").get_attribute("textContent")
        )
    )


def suggestion(driver: WebDriver, label: str):
    """Wait for the suggestion ``label`` in the open listbox."""
    xpath = f"//*[@role='listbox']//*[@role='option'][normalize-space()='{label}']"
    return wait(driver).until(ec.visibility_of_element_located((By.XPATH, xpath)))


def chips(driver: WebDriver) -> list[str]:
    return [c.text for c in driver.find_elements(By.CSS_SELECTOR, ".picker-chips .chip span")]


def page_fits(driver: WebDriver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth;"
    )


def test_admin_creates_an_officer_and_picks_the_territory_by_name(
    browser, live_server, admin, window, screenshots
):
    sign_in(browser, live_server, admin)
    browser.get(live_server + "/admin/utilisateurs")
    browser.find_element(By.NAME, "email").send_keys(f"agent.{window}@example.org")
    browser.find_element(By.NAME, "display_name").send_keys(f"Youssef Alaoui {window}")
    role = Select(browser.find_element(By.NAME, "role"))
    assert role.first_selected_option.text == "Choisissez un rôle"
    role.select_by_visible_text("Chargé(e) territorial(e)")
    browser.find_element(By.NAME, "password").send_keys("un mot de passe provisoire 2024")

    # The plain list gave way to the combobox; no code is shown anywhere in the picker.
    combobox = browser.find_element(By.CSS_SELECTOR, "[data-territory-picker] [role=combobox]")
    assert not browser.find_element(By.CSS_SELECTOR, "[data-picker-fallback]").is_displayed()

    # A region, by the keyboard: type, the first suggestion is highlighted, Enter adds it.
    combobox.send_keys("orien")
    suggestion(browser, "Oriental (région)")
    assert combobox.get_attribute("aria-expanded") == "true"
    combobox.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: chips(d) == ["Oriental (région)"])

    # A prefecture added then removed with Backspace in the empty box.
    combobox.send_keys("oujda-an")
    suggestion(browser, "Oujda-Angad (préfecture)")
    combobox.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: len(chips(d)) == 2)
    combobox.send_keys(Keys.BACKSPACE)
    wait(browser).until(lambda d: chips(d) == ["Oriental (région)"])

    # A commune of another province, with the arrows and Enter among its namesakes.
    combobox.send_keys("casablanca")
    suggestion(browser, "Casablanca (commune, Casablanca)")
    browser.save_screenshot(str(screenshots / f"admin-territory-suggestions-{window}.png"))
    for _ in range(10):
        active = browser.find_element(By.CSS_SELECTOR, "[role=option][aria-selected=true]")
        if active.text == "Casablanca (commune, Casablanca)":
            break
        combobox.send_keys(Keys.ARROW_DOWN)
    assert combobox.get_attribute("aria-activedescendant") == active.get_attribute("id")
    combobox.send_keys(Keys.ENTER)
    wait(browser).until(lambda d: len(chips(d)) == 2)
    assert chips(browser) == ["Oriental (région)", "Casablanca (commune, Casablanca)"]
    picker = browser.find_element(By.CSS_SELECTOR, "[data-territory-picker]")
    assert "06.141" not in picker.text and "02" not in picker.text.split()
    assert page_fits(browser)
    browser.execute_script("arguments[0].scrollIntoView();", picker)
    browser.save_screenshot(str(screenshots / f"admin-territory-picker-{window}.png"))

    browser.find_element(By.XPATH, "//button[normalize-space()='Créer le compte']").click()
    wait(browser).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "Compte créé.")
    )
    row = browser.find_element(By.XPATH, f"//tr[td/a[normalize-space()='Youssef Alaoui {window}']]")
    assert "Oriental (région), Casablanca (commune, Casablanca)" in row.text

    # The account page names the territory and offers the same chips to change it.
    row.find_element(By.TAG_NAME, "a").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ul.territory-units")))
    units = browser.find_element(By.CSS_SELECTOR, "ul.territory-units").text
    assert "Oriental (région)" in units and "Casablanca (commune, Casablanca)" in units
    assert chips(browser) == ["Oriental (région)", "Casablanca (commune, Casablanca)"]
    assert page_fits(browser)
    browser.save_screenshot(str(screenshots / f"admin-account-{window}.png"))
