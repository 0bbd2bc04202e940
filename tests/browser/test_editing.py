"""Editing records through the real edit forms, in a real browser.

A person and an organisation recorded beforehand (with phones and e-mails) are opened for
editing and saved without a change, then saved again with a new phone number.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from crm import organisations, people
from tests.browser.helpers import click_through

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
OUJDA = "02.411.01.23"


def save(driver: WebDriver) -> None:
    """Click the edit form's save button and wait for the next page."""
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    click_through(driver, form.find_element(By.XPATH, ".//button[normalize-space()='Enregistrer']"))


def retype(field: WebElement, value: str) -> None:
    field.clear()
    field.send_keys(value)


def assert_saved(driver: WebDriver, detail_url: str) -> str:
    """On the detail page with the success message and no error; returns the facts shown."""
    errors = driver.find_elements(By.CSS_SELECTOR, ".flash-error, p.error")
    assert not errors, [e.text for e in errors]
    assert driver.current_url == detail_url
    flashes = " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))
    assert "Modifications enregistrées." in flashes
    return driver.find_element(By.CSS_SELECTOR, "dl.facts").text


def test_person_saved_unchanged_then_with_a_new_phone(browser, live_server, log_in, officer_actor):
    uid = people.create_person(
        officer_actor,
        {
            "first_name": "Fatima Zahra",
            "last_name": "Benjelloun",
            "gender": "f",
            "languages": ["ar", "fr"],
            "phones": ["0661 23 45 67", "0536 68 12 34"],
            "emails": ["fz.benjelloun@example.org", "contact@amal-oujda.ma"],
            "themes": ["genre"],
            "commune": OUJDA,
            "retain_until": "2030-06-30",
        },
    )
    detail = f"{live_server}/personnes/{uid}"
    log_in()

    browser.get(detail + "/modifier")
    save(browser)
    facts = assert_saved(browser, detail)
    assert "+212 6 61 23 45 67" in facts and "+212 5 36 68 12 34" in facts
    assert "fz.benjelloun@example.org" in facts and "contact@amal-oujda.ma" in facts

    browser.get(detail + "/modifier")
    retype(browser.find_element(By.NAME, "phones"), "0661 23 45 67, 0662 11 22 33")
    save(browser)
    facts = assert_saved(browser, detail)
    assert "+212 6 62 11 22 33" in facts
    assert "+212 5 36 68 12 34" not in facts
    assert "contact@amal-oujda.ma" in facts


def test_organisation_saved_unchanged_then_with_a_new_phone(
    browser, live_server, log_in, officer_actor
):
    uid = organisations.create_organisation(
        officer_actor,
        {
            "name": "Association Al Amal pour le développement local",
            "kind": "osc",
            "commune": OUJDA,
            "email": "contact@amal-oujda.ma",
            "phone": "0536 68 12 34",
            "website": "https://amal-oujda.ma",
            "themes": ["participation", "jeunesse"],
        },
    )
    detail = f"{live_server}/organisations/{uid}"
    log_in()

    browser.get(detail + "/modifier")
    save(browser)
    facts = assert_saved(browser, detail)
    assert "+212 5 36 68 12 34" in facts and "contact@amal-oujda.ma" in facts

    browser.get(detail + "/modifier")
    retype(browser.find_element(By.NAME, "phone"), "0536 70 00 00")
    save(browser)
    facts = assert_saved(browser, detail)
    assert "+212 5 36 70 00 00" in facts
    assert "+212 5 36 68 12 34" not in facts
