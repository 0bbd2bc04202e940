"""An event and its sign-in sheet in a real browser, at laptop and phone sizes: the officer
records a training from the commune's page, adds participants with search-as-you-type (and the
organisation each came for), creates one on the spot, takes one off, and reads the figures.

Screenshots are written under the test run's temporary directory (their folder is printed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from crm import organisations, people
from graph.database import run
from tests.browser.helpers import SIZES, pick_record, submit, wait

pytestmark = pytest.mark.browser

OUJDA = "02.411.01.23"
UID = re.compile(r"\b[0-9a-f]{32}\b")


def _main(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def _fits(driver: WebDriver, size: str) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= SIZES[size]["width"], f"the page is {width}px wide at {size} size"


def test_an_officer_fills_the_sign_in_sheet_of_a_training(
    sized, browser, live_server, log_in, officer_actor, tmp_path: Path
):
    size, resize = sized
    shots = tmp_path / "sign-in-sheet"
    shots.mkdir()
    print(f"screenshots: {shots}")
    for first, last, gender in (("Karim", "Oujdi", "m"), ("Salma", "Berkani", "f")):
        people.create_person(
            officer_actor,
            {"first_name": first, "last_name": last, "commune": OUJDA, "gender": gender},
        )
    organisations.create_organisation(
        officer_actor, {"name": "Association Al Amal", "kind": "osc", "commune": OUJDA}
    )
    log_in()
    resize()

    # From the commune's page, a new event starts in that commune.
    browser.get(live_server + f"/territoires/commune/{OUJDA}")
    browser.find_element(By.XPATH, "//a[contains(@href, '/evenements/nouveau')]").click()
    form = wait(browser).until(lambda d: d.find_element(By.ID, "event-form"))
    assert browser.find_element(By.NAME, "commune").get_attribute("value").startswith("Oujda")
    browser.find_element(By.NAME, "title").send_keys("Formation au budget participatif")
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("Formation")
    Select(browser.find_element(By.NAME, "module")).select_by_visible_text("Budget participatif")
    browser.execute_script(  # as a date picker fills it (typing depends on the locale)
        "arguments[0].value = '2026-03-10';", browser.find_element(By.NAME, "start_date")
    )
    browser.save_screenshot(str(shots / f"{size}-1-event.png"))
    submit(browser, form)
    assert "Ajoutez maintenant ses participants" in _main(browser)

    # Two people found as one types, each with the organisation they came for.
    for typed, name, organisation in (("Oujd", "Karim", "Al Amal"), ("Berk", "Salma", None)):
        person = browser.find_element(By.ID, "existing-person-combobox")
        pick_record(browser, person, typed, name)
        if organisation:
            pick_record(
                browser,
                browser.find_element(By.ID, "existing-for_organisation-combobox"),
                "Amal",
                organisation,
            )
        submit(browser, browser.find_element(By.ID, "existing-form"))
        assert "Participant(e) ajouté(e)." in _main(browser)
    # A newcomer, created from the sheet.
    browser.find_element(By.CSS_SELECTOR, "details.new-participant summary").click()
    browser.find_element(By.NAME, "new-first_name").send_keys("Houda")
    browser.find_element(By.NAME, "new-last_name").send_keys("Zerouali")
    Select(browser.find_element(By.NAME, "new-gender")).select_by_visible_text("Femme")
    submit(browser, browser.find_element(By.ID, "new-form"))
    sheet = _main(browser)
    assert "Fiche créée et participant(e) ajouté(e)." in sheet
    for name in ("Karim OUJDI", "Salma BERKANI", "Houda ZEROUALI", "Association Al Amal"):
        assert name in sheet
    assert "3 participants" in sheet
    assert not UID.search(sheet)
    browser.save_screenshot(str(shots / f"{size}-2-sheet.png"))
    _fits(browser, size)

    # Taking Salma off: her button is there to be seen and clicked.
    button = browser.find_element(
        By.CSS_SELECTOR, 'button[aria-label="Retirer Salma BERKANI de l\'événement"]'
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    assert button.is_displayed()
    colour = button.value_of_css_property("color")
    assert colour != button.value_of_css_property("background-color"), colour
    submit(browser, button.find_element(By.XPATH, "./ancestor::form"))
    assert "Salma BERKANI" not in _main(browser) and "2 participants" in _main(browser)

    # The event's page: its figures.
    browser.find_element(By.LINK_TEXT, "← Retour à l'événement").click()
    page = wait(browser).until(lambda d: "Nouveaux participants" in _main(d) and _main(d))
    assert "Femmes\n1 (50 %)" in page
    browser.save_screenshot(str(shots / f"{size}-3-event-page.png"))
    _fits(browser, size)
    attended = run(
        "MATCH (p:Person)-[a:ATTENDED]->(:Event) RETURN p.first_name AS name, "
        "a.for_organisation IS NOT NULL AS for_org ORDER BY name"
    )
    assert attended == [{"name": "Houda", "for_org": False}, {"name": "Karim", "for_org": True}]
