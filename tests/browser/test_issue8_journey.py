"""Issue 8, "Done when": an officer's whole journey, then an administrator's, in real headless
Chromium at laptop (1280×800) and phone (390×844) sizes.

The officer of the Oriental region adds an association of Oujda and its president through the
forms and links them; logs a meeting with three people picked as chips; plans a second one
for next week; edits the first; finds the planned one on the home page; re-enters the
president under a spelling variant and is warned (nothing written); finds the president by a
phone number typed another way. Then an administrator opens an officer's account and picks
its territory by name.

At every page step the page must fit the window (no sideways scrolling) and a screenshot is
written to ``<pytest basetemp>/issue8-screenshots/issue8-<size>-<nn>-<step>.png`` (the folder
is printed).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm import clock, people, users
from graph.database import run
from tests.browser.helpers import SIZES, click_through

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
OUJDA = "02.411.01.23"
ORIENTAL = "02"
ASSOCIATION = "Association Al Amal pour le développement local"
PRESIDENT = "Mohamed ALAMI"
PRESIDENT_PHONE = "0661234567"
OTHERS = (("Karim", "Oujdi", "Karim OUJDI"), ("Nadia", "Mansouri", "Nadia MANSOURI"))
ADMIN = {"email": "admin.issue8@example.org", "password": "correct horse battery staple",
         "name": "Nadia Idrissi"}  # fmt: skip
WARNING = "Fiches semblables déjà enregistrées"


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of this test run where the journey's screenshots are written."""
    folder = tmp_path_factory.getbasetemp() / "issue8-screenshots"
    folder.mkdir(exist_ok=True)
    print(f"screenshots: {folder}")
    return folder


@pytest.fixture
def admin(clean_db) -> dict:
    users.create_user(ADMIN["email"], ADMIN["name"], ADMIN["password"], "admin")
    return ADMIN


class Steps:
    """Each page step: the page fits the window, and its screenshot is saved."""

    def __init__(self, driver: WebDriver, size: str, folder: Path) -> None:
        self.driver, self.size, self.folder = driver, size, folder
        self.files: list[Path] = []

    def page(self, step: str) -> None:
        width, viewport = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];"
        )
        assert viewport == SIZES[self.size]["width"], f"{step}: window {viewport}px wide"
        assert width <= viewport, (
            f"{step} ({self.driver.current_url}) is {width}px wide in a {viewport}px window"
        )
        path = self.folder / f"issue8-{self.size}-{len(self.files) + 1:02d}-{step}.png"
        assert self.driver.save_screenshot(str(path)), f"no screenshot of {step}"
        self.files.append(path)


# ---------------------------------------------------------------------------------------------
# Helpers


def _wait(driver: WebDriver) -> WebDriverWait:
    # A page being replaced (after a submit) turns found elements stale: look again.
    return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,))


def _main(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def _flash(driver: WebDriver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash"))


def _no_errors(driver: WebDriver) -> None:
    errors = driver.find_elements(By.CSS_SELECTOR, "p.error, .flash-error")
    assert not errors, [e.text for e in errors]


def _saved(driver: WebDriver, message: str) -> None:
    """The page after a submit: no error, and the success message ``message``."""
    _no_errors(driver)
    heading = driver.find_element(By.TAG_NAME, "h1").text
    assert message in _flash(driver), f"{driver.current_url}: {heading!r}, no {message!r}"


def _click(driver: WebDriver, element: WebElement) -> None:
    """Click ``element`` (scrolled into view) and wait for the next page."""
    click_through(driver, element)


def _submit(driver: WebDriver, form: WebElement, label: str) -> None:
    _click(driver, form.find_element(By.XPATH, f".//button[normalize-space()='{label}']"))


def _set_value(field: WebElement, value: str) -> None:
    """Fill a date or time input the way its picker does (typing depends on the locale)."""
    field.parent.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        field,
        value,
    )


def _retype(field: WebElement, value: str) -> None:
    field.clear()
    field.send_keys(value)


def _uid(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def _menu(driver: WebDriver) -> None:
    """At phone width the navigation is folded behind the "Menu" button: unfold it."""
    toggle = driver.find_element(By.CSS_SELECTOR, ".topbar .menu-toggle")
    if toggle.is_displayed() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        _wait(driver).until(lambda d: toggle.get_attribute("aria-expanded") == "true")


def _chips(scope: WebElement) -> list[str]:
    return [c.text for c in scope.find_elements(By.CSS_SELECTOR, ".record-picker-chip span")]


def _pick(
    driver: WebDriver, picker: WebElement, typed: str, expected: str, by: str = "keyboard"
) -> None:
    """In the record picker ``picker`` (a ``[data-record-picker]`` block, after its script
    ran), type ``typed``, wait for the suggestion ``expected``, choose it with the arrows and
    Enter (``by="keyboard"``) or a click (``by="mouse"``), and wait for its chip."""
    combobox = _wait(driver).until(
        lambda d: picker.find_element(By.CSS_SELECTOR, "input[role=combobox]")
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", combobox)
    combobox.send_keys(typed)
    listbox_id = combobox.get_attribute("aria-controls")

    def suggestions(d: WebDriver) -> list[WebElement]:
        return d.find_elements(By.CSS_SELECTOR, f"#{listbox_id} [role=option]")

    try:
        _wait(driver).until(lambda d: any(expected in o.text for o in suggestions(d)))
    except TimeoutException:
        shown = [o.text for o in suggestions(driver)]
        status = picker.find_element(By.CSS_SELECTOR, ".record-picker-status").text
        pytest.fail(f"no suggestion {expected!r} after typing {typed!r}: {shown} ({status})")
    assert combobox.get_attribute("aria-expanded") == "true"
    options = suggestions(driver)
    index = next(i for i, o in enumerate(options) if expected in o.text)
    if by == "mouse":
        options[index].click()
    else:
        for _ in range(index + 1):
            combobox.send_keys(Keys.ARROW_DOWN)
        assert combobox.get_attribute("aria-activedescendant") == options[index].get_attribute("id")
        combobox.send_keys(Keys.ENTER)
    _wait(driver).until(lambda d: expected in _chips(picker))
    assert combobox.get_attribute("value") == ""


def _link_to_organisation(
    driver: WebDriver, base: str, person_url: str, org_name: str, role: str
) -> None:
    """On the person's page, add a function ``role`` at ``org_name`` through the "Ajouter une
    fonction" form, whose "Organisation" is a single-choice record picker."""
    driver.get(person_url if person_url.startswith("http") else base + person_url)
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/fonctions']")
    picker = form.find_element(By.CSS_SELECTOR, "[data-record-picker][data-single]")
    _pick(driver, picker, org_name, org_name, by="mouse")
    form.find_element(By.NAME, "role").send_keys(role)
    _submit(driver, form, "Ajouter")
    _saved(driver, "Fonction ajoutée.")


def _sign_in(driver: WebDriver, base: str, account: dict) -> None:
    driver.get(base + "/connexion")
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "email").send_keys(account["email"])
    form.find_element(By.NAME, "password").send_keys(account["password"])
    _submit(driver, form, "Se connecter")
    # At phone width the name sits in the folded menu: read the text, shown or not.
    _wait(driver).until(
        lambda d: (
            account["name"]
            in d.find_element(By.CSS_SELECTOR, ".topbar .user").get_attribute("textContent")
        )
    )


def _count(label: str) -> int:
    return run(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# ---------------------------------------------------------------------------------------------
# The journey


def test_issue8_officer_then_admin_journey(
    sized, browser, live_server, log_in, officer_actor, admin, screenshots
):
    size, resize = sized
    steps = Steps(browser, size, screenshots)
    today = clock.today()
    next_week = today + timedelta(days=7)
    for first, last, _ in OTHERS:  # the two other participants, as existing tests prepare them
        people.create_person(
            officer_actor, {"first_name": first, "last_name": last, "commune": OUJDA}
        )
    log_in()
    resize()

    # --- 1a. The association, through the organisation form (from the home page).
    browser.get(live_server + "/")
    steps.page("home-start")
    _click(browser, browser.find_element(By.LINK_TEXT, "Nouvelle organisation"))
    assert browser.current_url.endswith("/organisations/nouvelle")
    form = browser.find_element(By.ID, "organisation-form")
    form.find_element(By.NAME, "name").send_keys(ASSOCIATION)
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("Association / OSC")
    form.find_element(By.NAME, "commune").send_keys("Oujda")
    steps.page("organisation-form")
    _submit(browser, form, "Enregistrer")
    _saved(browser, "Organisation enregistrée.")
    assert ASSOCIATION in browser.find_element(By.TAG_NAME, "h1").text
    assert "Oujda" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    association_url = browser.current_url
    stored = run(
        "MATCH (o:Organisation {uid: $uid})-[:LOCATED_IN]->(c:Commune) "
        "RETURN o.name AS name, o.kind AS kind, c.code AS commune",
        uid=_uid(association_url),
    )
    assert stored == [{"name": ASSOCIATION, "kind": "osc", "commune": OUJDA}]
    steps.page("organisation-saved")

    # --- 1b. Its president: a new person through the person form…
    browser.get(live_server + "/personnes/nouvelle")
    form = browser.find_element(By.ID, "person-form")
    form.find_element(By.NAME, "first_name").send_keys("Mohamed")
    form.find_element(By.NAME, "last_name").send_keys("Alami")
    form.find_element(By.NAME, "phones").send_keys(PRESIDENT_PHONE)
    form.find_element(By.NAME, "commune").send_keys("Oujda")
    steps.page("person-form")
    _submit(browser, form, "Enregistrer")
    _saved(browser, "Personne enregistrée.")
    assert PRESIDENT in browser.find_element(By.TAG_NAME, "h1").text
    president_url = browser.current_url
    president = _uid(president_url)
    steps.page("president-saved")

    # … then linked to the association as "Président" through the affiliation form.
    _link_to_organisation(browser, live_server, president_url, ASSOCIATION, "Président")
    assert browser.current_url == president_url
    functions = browser.find_element(
        By.XPATH, "//h2[normalize-space()='Fonctions']/following-sibling::table[1]"
    )
    row = functions.find_element(By.XPATH, f".//tr[td/a[normalize-space()='{ASSOCIATION}']]")
    assert "Président" in row.text and "Oujda" in row.text
    assert run(
        "MATCH (p:Person {uid: $p})-[a:AFFILIATED_WITH]->(o:Organisation {uid: $o}) "
        "RETURN a.role AS role",
        p=president,
        o=_uid(association_url),
    ) == [{"role": "Président"}]
    steps.page("president-linked")
    browser.get(association_url)
    assert PRESIDENT in _main(browser) and "Président" in _main(browser)
    steps.page("association-with-president")

    # --- 2. A meeting held today, with three people picked as chips.
    browser.get(live_server + "/")
    _click(browser, browser.find_element(By.LINK_TEXT, "Nouvelle interaction"))
    form = browser.find_element(By.CSS_SELECTOR, "main form.grid")
    assert Select(form.find_element(By.NAME, "status")).first_selected_option.text.startswith(
        "Tenue"
    )
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("Réunion")
    assert form.find_element(By.NAME, "date").get_attribute("value") == today.isoformat()
    form.find_element(By.NAME, "commune").send_keys("Oujda")
    people_picker = form.find_element(By.CSS_SELECTOR, "[data-record-picker][data-name=people]")
    _pick(browser, people_picker, "Alam", PRESIDENT)
    _pick(browser, people_picker, "Oujd", OTHERS[0][2], by="mouse")
    _pick(browser, people_picker, "Mans", OTHERS[1][2])
    assert _chips(people_picker) == [PRESIDENT, OTHERS[0][2], OTHERS[1][2]]
    form.find_element(By.NAME, "summary").send_keys("Préparation du forum associatif.")
    steps.page("meeting-form")
    _submit(browser, form, "Enregistrer")
    _saved(browser, "Interaction enregistrée.")
    assert f"Réunion du {_dmy(today)}" in browser.find_element(By.TAG_NAME, "h1").text
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    for name in (PRESIDENT, OTHERS[0][2], OTHERS[1][2]):
        assert name in facts
    assert "Préparation du forum associatif." in facts and "Tenue" in facts
    meeting_url = browser.current_url
    meeting = _uid(meeting_url)
    assert run(
        "MATCH (i:Interaction {uid: $uid})-[:WITH]->(p:Person) "
        "RETURN i.status AS status, i.kind AS kind, count(p) AS people",
        uid=meeting,
    ) == [{"status": "held", "kind": "meeting", "people": 3}]
    steps.page("meeting-saved")

    # --- 3. A second meeting, planned for next week.
    browser.get(live_server + "/")
    _click(browser, browser.find_element(By.LINK_TEXT, "Planifier une interaction"))
    form = browser.find_element(By.CSS_SELECTOR, "main form.grid")
    assert Select(form.find_element(By.NAME, "status")).first_selected_option.text.startswith(
        "Prévue"
    )
    Select(form.find_element(By.NAME, "kind")).select_by_visible_text("Réunion")
    _set_value(form.find_element(By.NAME, "date"), next_week.isoformat())
    _set_value(form.find_element(By.NAME, "start_time"), "10:00")
    form.find_element(By.NAME, "commune").send_keys("Oujda")
    form.find_element(By.NAME, "venue").send_keys("Maison des jeunes")
    _pick(browser, form.find_element(By.CSS_SELECTOR, "[data-record-picker][data-name=people]"),
          "Alam", PRESIDENT, by="mouse")  # fmt: skip
    _pick(browser,
          form.find_element(By.CSS_SELECTOR, "[data-record-picker][data-name=organisations]"),
          "Al Amal", ASSOCIATION)  # fmt: skip
    form.find_element(By.NAME, "summary").send_keys("Bilan du forum avec le bureau.")
    steps.page("plan-form")
    _submit(browser, form, "Enregistrer")
    _no_errors(browser)
    title = browser.find_element(By.TAG_NAME, "h1").text
    assert f"Réunion du {_dmy(next_week)} à 10:00" in title and "prévue" in title
    assert "Interaction prévue" in _main(browser)
    planned = _uid(browser.current_url)
    assert run(
        "MATCH (i:Interaction {uid: $uid}) RETURN i.status AS status, toString(i.date) AS day",
        uid=planned,
    ) == [{"status": "planned", "day": next_week.isoformat()}]
    steps.page("planned-saved")

    # --- 4. The first meeting edited: a new summary, shown on its page.
    browser.get(meeting_url)
    _click(browser, browser.find_element(By.LINK_TEXT, "Modifier"))
    assert browser.current_url == meeting_url + "/modifier"
    form = browser.find_element(By.CSS_SELECTOR, "main form.grid")
    chips = _chips(form.find_element(By.CSS_SELECTOR, "[data-record-picker][data-name=people]"))
    assert sorted(chips) == sorted([PRESIDENT, OTHERS[0][2], OTHERS[1][2]])
    _retype(form.find_element(By.NAME, "summary"), "Forum associatif : date fixée au 15.")
    steps.page("meeting-edit-form")
    _submit(browser, form, "Enregistrer")
    _no_errors(browser)
    assert browser.current_url == meeting_url
    assert "Modifications enregistrées." in _flash(browser)
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert "Forum associatif : date fixée au 15." in facts
    assert "Préparation du forum associatif." not in facts
    for name in (PRESIDENT, OTHERS[0][2], OTHERS[1][2]):
        assert name in facts
    assert run("MATCH (i:Interaction {uid: $uid}) RETURN i.summary AS s", uid=meeting) == [
        {"s": "Forum associatif : date fixée au 15."}
    ]
    steps.page("meeting-edited")

    # --- 5. The planned meeting on the home page.
    browser.get(live_server + "/")
    section = browser.find_element(By.ID, "day-planned")
    browser.execute_script("arguments[0].scrollIntoView();", section)
    assert "(1)" in section.find_element(By.TAG_NAME, "h2").text
    assert f"Réunion du {_dmy(next_week)} à 10:00" in section.text
    assert "Maison des jeunes" in section.text and PRESIDENT in section.text
    assert ASSOCIATION in section.text
    link = section.find_element(By.PARTIAL_LINK_TEXT, f"Réunion du {_dmy(next_week)}")
    assert _uid(link.get_attribute("href")) == planned
    recent = browser.find_element(By.ID, "day-recent").text
    assert f"Réunion du {_dmy(today)}" in recent
    steps.page("home-planned")

    # --- 6. The president re-entered with a spelling variant: warned, nothing written.
    people_before = _count("Person")
    browser.get(live_server + "/personnes/nouvelle")
    form = browser.find_element(By.ID, "person-form")
    form.find_element(By.NAME, "first_name").send_keys("Mohammed")
    form.find_element(By.NAME, "last_name").send_keys("Alami")
    form.find_element(By.NAME, "phones").send_keys("06 61 23 45 67")
    form.find_element(By.NAME, "commune").send_keys("Oujda")
    _submit(browser, form, "Enregistrer")
    warning = browser.find_element(By.CSS_SELECTOR, ".duplicates-warning")
    assert WARNING in warning.text and "Rien n'a encore été enregistré" in warning.text
    assert PRESIDENT in warning.text and ASSOCIATION in warning.text and "Oujda" in warning.text
    assert "même nom (translittération)" in warning.text and "même téléphone" in warning.text
    opener = warning.find_element(By.LINK_TEXT, "Ouvrir")
    assert opener.get_attribute("href") == president_url
    assert PRESIDENT in opener.get_attribute("aria-label")
    form = browser.find_element(By.ID, "person-form")
    assert form.find_element(By.NAME, "first_name").get_attribute("value") == "Mohammed"
    assert _count("Person") == people_before == 3
    assert "Personne enregistrée." not in _flash(browser)
    steps.page("duplicate-warning")
    _click(browser, opener)
    assert browser.current_url == president_url
    assert PRESIDENT in browser.find_element(By.TAG_NAME, "h1").text
    assert _count("Person") == people_before
    steps.page("duplicate-opened")

    # --- 7. The president found by phone number, typed in the international format.
    browser.get(live_server + "/personnes/")
    search = browser.find_element(By.CSS_SELECTOR, "main form.search")
    search.find_element(By.NAME, "q").send_keys("+212 661 23 45 67")
    _click(browser, search.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert browser.find_element(By.CSS_SELECTOR, "p.count").text == "1 personne"
    found = browser.find_elements(By.CSS_SELECTOR, "main table a[href*='/personnes/']")
    assert [(a.text, _uid(a.get_attribute("href"))) for a in found] == [(PRESIDENT, president)]
    assert ASSOCIATION in browser.find_element(By.CSS_SELECTOR, "main table").text
    steps.page("found-by-phone")

    # --- 8. The officer signs out; an administrator opens an officer's account and picks the
    # territory by name.
    _menu(browser)
    sign_out = browser.find_element(By.XPATH, "//button[normalize-space()='Se déconnecter']")
    _click(browser, sign_out)
    assert browser.find_elements(By.NAME, "password"), "not back on the sign-in page"
    _sign_in(browser, live_server, admin)
    _menu(browser)
    _click(browser, browser.find_element(By.LINK_TEXT, "Utilisateurs"))
    email = f"agent.issue8.{size}@example.org"
    new_name = f"Youssef Alaoui {size}"
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "display_name").send_keys(new_name)
    Select(browser.find_element(By.NAME, "role")).select_by_visible_text("Chargé(e) territorial(e)")
    browser.find_element(By.NAME, "password").send_keys("un mot de passe provisoire 2024")
    territory = browser.find_element(By.CSS_SELECTOR, "[data-territory-picker]")
    combobox = territory.find_element(By.CSS_SELECTOR, "[role=combobox]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", combobox)
    combobox.send_keys("orien")
    oriental = "//*[@role='listbox']//*[@role='option'][normalize-space()='Oriental (région)']"
    option = _wait(browser).until(ec.visibility_of_element_located((By.XPATH, oriental)))
    assert option.get_attribute("aria-selected") == "true"  # the first one, highlighted
    combobox.send_keys(Keys.ENTER)
    _wait(browser).until(
        lambda d: (
            [c.text for c in territory.find_elements(By.CSS_SELECTOR, ".chip span")]
            == ["Oriental (région)"]
        )
    )
    assert ORIENTAL not in territory.text.split()  # names, never codes
    steps.page("admin-territory-picked")
    form = browser.find_element(By.XPATH, "//main//form[.//input[@name='email']]")
    _submit(browser, form, "Créer le compte")
    _saved(browser, "Compte créé.")
    row = browser.find_element(By.XPATH, f"//tr[td/a[normalize-space()='{new_name}']]")
    assert "Oriental (région)" in row.text
    assert run(
        "MATCH (u:User {email: $email})-[:COVERS]->(t) RETURN u.role AS role, t.code AS code",
        email=email,
    ) == [{"role": "officer", "code": ORIENTAL}]
    steps.page("admin-account-created")

    # --- Every step left a screenshot.
    assert len(steps.files) == 19
    for path in steps.files:
        assert path.is_file() and path.stat().st_size > 0, path
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
