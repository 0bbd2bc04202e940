"""A sign-in sheet imported in a real browser: upload (the event chosen with the record
picker), column mapping, preview with a decision to make, commit, report."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from crm import events, people
from graph.database import run
from tests.browser.helpers import pick_record, submit, wait

pytestmark = pytest.mark.browser

OUJDA = "02.411.01.23"


def test_an_officer_imports_a_sign_in_sheet_from_upload_to_report(
    browser, live_server, log_in, officer_actor, tmp_path: Path
):
    alami = people.create_person(
        officer_actor,
        {"first_name": "Mohamed", "last_name": "Alami", "first_name_ar": "محمد",
         "last_name_ar": "العلمي", "commune": OUJDA},
    )  # fmt: skip
    event = events.create_event(
        officer_actor,
        {"title": "Atelier PAC Oujda", "kind": "workshop", "start_date": "2025-05-06",
         "commune": OUJDA},
    )  # fmt: skip
    sheet = tmp_path / "emargement.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out, delimiter=";").writerows(
            [["الاسم العائلي", "الاسم الشخصي", "الهاتف", "الجمعية"],
             ["العلمي", "محمد", "", "جمعية الأمل"],
             ["Kettani", "Zineb", "0661 22 33 44", "Association Amal"],
             ["Bad", "Phone", "12", ""]]
        )  # fmt: skip
    log_in()

    browser.get(live_server + "/imports/nouveau")
    form = browser.find_element(By.ID, "upload-form")
    form.find_element(By.CSS_SELECTOR, "input[name=kind][value=attendance]").click()
    combobox = form.find_element(By.CSS_SELECTOR, "[role=combobox]")
    pick_record(browser, combobox, "Atelier", "Atelier PAC Oujda")
    form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(sheet))
    submit(browser, form)

    # The Arabic headers are recognised.
    form = wait(browser).until(lambda d: d.find_element(By.ID, "mapping-form"))
    assert "Atelier PAC Oujda" in browser.find_element(By.TAG_NAME, "main").text
    selected = [s.get_attribute("value") for s in form.find_elements(By.CSS_SELECTOR, "select")]
    assert selected == ["last_name", "first_name", "phone", "organisation"]
    submit(browser, form)

    form = wait(browser).until(lambda d: d.find_element(By.ID, "commit-form"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Téléphone (colonne « الهاتف ») : Numéro de téléphone invalide" in main
    assert "Même fiche que Mohamed ALAMI (محمد العلمي)" in main
    browser.find_element(By.CSS_SELECTOR, f"input[name='d-2-person'][value='link:{alami}']").click()
    submit(browser, form)

    wait(browser).until(lambda d: "Rapport d'import" in d.find_element(By.TAG_NAME, "h1").text)
    report = browser.find_element(By.TAG_NAME, "main").text
    assert (
        "Participants ajoutés à l'événement\n2" in report
        or "Participants ajoutés à l'événement 2" in report
    )
    assert "Lignes refusées (erreurs)" in report
    attended = run("MATCH (p:Person)-[:ATTENDED]->(:Event {uid: $e}) RETURN p.uid AS uid", e=event)
    assert alami in {a["uid"] for a in attended} and len(attended) == 2
