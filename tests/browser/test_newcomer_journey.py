"""A newcomer's first session, in a real browser.

Sign in, record an association in Oujda (Oriental) and one of its board members, find the
member again, see the association on the commune page, sign out. The autocomplete lists are
filled by static/js/suggest.js from the JSON endpoints, under the real Content-Security-Policy
and with real CSRF tokens.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from tests.browser.helpers import pick_record, pick_suggestion, submit, wait

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
OUJDA = "02.411.01.23"
OUJDA_LABEL = f"Oujda (Oujda-Angad) [{OUJDA}]"
ASSOCIATION = "Association Al Amal pour le développement local"


def flash_text(driver: WebDriver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))


def test_newcomer_records_an_association_and_its_president(browser, live_server, log_in, tmp_path):
    base = live_server
    log_in()

    # An association in Oujda, Oriental region; the commune comes from the autocomplete.
    browser.get(base + "/organisations/nouvelle")
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "name").send_keys(ASSOCIATION)
    form.find_element(By.NAME, "name_ar").send_keys("جمعية الأمل للتنمية المحلية")
    form.find_element(By.NAME, "acronym").send_keys("AADL")
    Select(form.find_element(By.NAME, "kind")).select_by_value("osc")
    commune = pick_suggestion(browser, form.find_element(By.NAME, "commune"), "Oujd", f"[{OUJDA}]")
    assert commune == OUJDA_LABEL
    submit(browser, form)
    assert re.search(r"/organisations/[^/]+$", browser.current_url), browser.current_url
    assert "Organisation enregistrée." in flash_text(browser)
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "Association / OSC" in facts
    assert "Oujda" in facts and "Oriental" in facts

    # A person with Latin and Arabic names and a Moroccan mobile number.
    browser.get(base + "/personnes/nouvelle")
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    for name, value in {
        "first_name": "Mohamed",
        "last_name": "Alami",
        "first_name_ar": "محمد",
        "last_name_ar": "العلمي",
        "phones": "0661234567",
    }.items():
        form.find_element(By.NAME, name).send_keys(value)
    pick_suggestion(browser, form.find_element(By.NAME, "commune"), "Oujd", f"[{OUJDA}]")
    submit(browser, form)
    assert "Personne enregistrée." in flash_text(browser)
    person_url = browser.current_url
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert "Mohamed ALAMI" in heading
    assert "محمد العلمي" in heading
    assert "+212 6 61 23 45 67" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text

    # On the person's page: president of the association, picked in the record picker.
    form = browser.find_element(By.XPATH, "//form[.//button[normalize-space()='Ajouter']]")
    pick_record(browser, form.find_element(By.ID, "organisation-combobox"), "Al Am", ASSOCIATION)
    form.find_element(By.NAME, "role").send_keys("Président")
    submit(browser, form)
    assert browser.current_url == person_url
    assert "Fonction ajoutée." in flash_text(browser)
    row = browser.find_element(By.CSS_SELECTOR, "main table tbody tr")
    assert ASSOCIATION in row.text
    assert "Président" in row.text
    assert "Oujda" in row.text
    assert browser.save_screenshot(str(tmp_path / "person.png"))

    # Found again by a lower-case search on the list of people.
    browser.get(base + "/personnes/")
    search = browser.find_element(By.CSS_SELECTOR, "form.search")
    search.find_element(By.NAME, "q").send_keys("alami")
    submit(browser, search)
    assert "q=alami" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "p.count").text == "1 personne"
    result = browser.find_element(By.CSS_SELECTOR, "main table tbody tr")
    assert "Mohamed ALAMI" in result.text
    assert ASSOCIATION in result.text
    result.find_element(By.LINK_TEXT, "Mohamed ALAMI").click()
    wait(browser).until(ec.url_to_be(person_url))

    # The commune page lists the association.
    browser.get(f"{base}/territoires/commune/{OUJDA}")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Oujda")
    listed = browser.find_element(By.CSS_SELECTOR, "main ul").text
    assert ASSOCIATION in listed and "(AADL)" in listed

    # Signing out: the button in the top bar; the pages are then behind the login again.
    logout = browser.find_element(
        By.XPATH, "//header//form[.//button[normalize-space()='Se déconnecter']]"
    )
    submit(browser, logout)
    assert browser.current_url.startswith(base + "/connexion")
    assert "Vous êtes déconnecté(e)." in flash_text(browser)
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='Se déconnecter']")
    browser.get(base + "/personnes/")
    wait(browser).until(ec.url_contains("/connexion"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Connexion"
    assert "ALAMI" not in browser.page_source


def test_missing_first_name_is_reported_next_to_the_field(browser, live_server, log_in):
    log_in()

    # The stylesheet was served and applied (CSP 'self' allows it).
    topbar = browser.find_element(By.CSS_SELECTOR, ".topbar")
    background = topbar.value_of_css_property("background-color")
    assert background not in ("transparent", "rgba(0, 0, 0, 0)"), background

    browser.get(live_server + "/personnes/nouvelle")
    form = browser.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "last_name").send_keys("Alami")
    form.find_element(By.NAME, "commune").send_keys(OUJDA)
    submit(browser, form)

    first_name = browser.find_element(By.NAME, "first_name")
    assert first_name.get_attribute("aria-invalid") == "true"
    field = first_name.find_element(By.XPATH, "./ancestor::div[contains(@class, 'field')][1]")
    assert "has-error" in field.get_attribute("class").split()
    error = field.find_element(By.CSS_SELECTOR, "p.error")
    assert error.text == "Le prénom est obligatoire."
    # The other fields keep what was typed and carry no error.
    assert browser.find_element(By.NAME, "last_name").get_attribute("value") == "Alami"
    assert len(browser.find_elements(By.CSS_SELECTOR, "p.error")) == 1
    # Nothing was recorded.
    browser.get(live_server + "/personnes/")
    assert browser.find_element(By.CSS_SELECTOR, "p.count").text == "0 personne"
