"""Every page at phone width (390×844), for each role that has pages of its own.

The pages come from the app's URL map, so a page added later is visited too: every GET route
without arguments, and the routes whose arguments this module knows how to fill (a person, an
organisation, an interaction, a commune, a region, a function, an account, a pair of
duplicates) with records created beforehand. Downloads (CSV, JSON, vCard, ICS…) are left out
by asking the server first what a page answers. A page fails when the document is wider than
the window; the message names the page and the elements that stick out. A screenshot of every
page is written under the test run's temporary directory (its path is printed).
"""

from __future__ import annotations

import base64
import csv
import io
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from crm import events, imports, interactions, organisations, partnerships, people, users
from graph.database import run
from tests.browser.helpers import click_through

pytestmark = pytest.mark.browser

WAIT_SECONDS = 10
PHONE = {"width": 390, "height": 844}
OUJDA = "02.411.01.23"
ORIENTAL = "02"
PASSWORD = "correct horse battery staple"
ROLES = {
    "officer": None,  # the officer fixture of conftest.py
    "manager": ("direction@programme.ma", "Karim Tazi"),
    "admin": ("admin@programme.ma", "Nadia Administratrice"),
}
DOWNLOAD_SUFFIXES = (".csv", ".json", ".vcf", ".ics", ".xlsx", ".gexf", ".graphml")

# The window's width. A phone browser zooms out a page wider than its screen, which widens
# window.innerWidth to the page; the layout viewport (documentElement.clientWidth) keeps the
# screen's width.
LIMIT = "Math.min(window.innerWidth, document.documentElement.clientWidth)"

# Which element is wider than the window: the outermost ones that stick out (their parent
# does not), unless a scrolling ancestor keeps them inside itself.
WIDEST_ELEMENTS = """
const limit = LIMIT;
const clipped = (el) => {
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
  }
  return false;
};
const describe = (el) => {
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  if (el.classList.length) name += '.' + Array.from(el.classList).join('.');
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  const right = Math.round(el.getBoundingClientRect().right);
  return name + ' (right edge ' + right + 'px) "' + text + '"';
};
const sticking = (el) => el.getBoundingClientRect().right > limit + 0.5;
return Array.from(document.body.querySelectorAll('*'))
  .filter((el) => sticking(el) && !clipped(el) && !(el.parentElement
          && el.parentElement !== document.body && sticking(el.parentElement)))
  .slice(0, 5).map(describe);
""".replace("LIMIT", LIMIT)


@pytest.fixture
def phone(browser: WebDriver) -> Iterator[WebDriver]:
    """The browser emulating a 390×844 phone screen, restored to its laptop size afterwards."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {**PHONE, "deviceScaleFactor": 1, "mobile": True}
    )
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def accounts(officer: dict) -> dict[str, dict]:
    """The login of each role, the officer's included."""
    found = {"officer": officer}
    for role, account in ROLES.items():
        if account:
            email, name = account
            users.create_user(email, name, PASSWORD, role)
            found[role] = {"email": email, "password": PASSWORD, "name": name}
    return found


@pytest.fixture
def records(officer_actor) -> dict[str, str]:
    """One record of each kind in Oujda, with long words that must wrap, and a duplicate
    pair; returns the value of each URL argument this module knows."""
    person = people.create_person(
        officer_actor,
        {
            "first_name": "Fatima-Zahra",
            "last_name": "Benkirane-El Idrissi Ouazzani",
            "phones": ["0661 23 45 67", "0536 68 12 34"],
            "emails": ["fatima-zahra.benkirane-elidrissi@association-developpement-oriental.ma"],
            "commune": OUJDA,
            "notes": "Présidente ; joignable le matin. " * 8,
        },
    )
    people.create_person(
        officer_actor,
        {"first_name": "Fatimazahra", "last_name": "Benkirane", "phones": "0661234567",
         "commune": OUJDA},
    )  # fmt: skip
    organisation = organisations.create_organisation(
        officer_actor,
        {
            "name": "Association marocaine pour le développement communautaire de l'Oriental",
            "acronym": "AMDCO",
            "kind": "osc",
            "commune": OUJDA,
            "email": "contact.secretariat-general@association-developpement-oriental.ma",
            "website": "https://www.association-developpement-oriental.ma/rapports/2024/annuel",
        },
    )
    people.link_to_organisation(officer_actor, person, organisation, {"role": "Présidente"})
    interaction = interactions.log_interaction(
        officer_actor,
        {
            "kind": "meeting",
            "date": "2024-03-01",
            "summary": "Préparation du budget participatif de la commune. " * 6,
            "people": [f"x [{person}]"],
            "organisations": [f"x [{organisation}]"],
            "follow_ups": [{"what": "Envoyer le compte rendu", "due": "2024-03-08"}],
        },
    )
    event = events.create_event(
        officer_actor,
        {
            "title": "Formation des membres de l'Instance de l'équité, de l'égalité des chances "
            "et de l'approche genre (IECGAG) au budget participatif",
            "kind": "training",
            "module": "budget_participatif",
            "start_date": "2024-03-12",
            "start_time": "09:30",
            "end_date": "2024-03-13",
            "end_time": "16:00",
            "commune": OUJDA,
            "venue": "Salle polyvalente de la Maison des jeunes Hay Al Qods",
            "organisers": [organisation],
            "themes": ["budget", "genre", "participation"],
            "description": "Deux journées de formation. " * 10,
        },
    )
    events.add_participant(
        officer_actor,
        event,
        {"person": [person], "role": "facilitator", "for_organisation": [organisation]},
    )
    council = organisations.create_organisation(
        officer_actor, {"name": "Conseil communal d'Oujda", "kind": "commune_council",
                        "commune": OUJDA},
    )  # fmt: skip
    partnership = partnerships.create_partnership(
        officer_actor,
        {"organisation": organisation, "partner": council, "kind": "convention",
         "title": "Convention-cadre de partenariat pour l'accompagnement du budget "
                  "participatif et des instances consultatives communales 2024-2026",
         "since": "2024-01-01", "until": "2026-12-31", "status": "active"},
    )  # fmt: skip
    function = run("MATCH ()-[a:AFFILIATED_WITH]->() RETURN a.uid AS uid")[0]["uid"]
    pair = sorted(r["uid"] for r in run("MATCH (p:Person) RETURN p.uid AS uid"))
    draft, done = import_drafts(officer_actor)
    return {
        "person": person,
        "organisation": organisation,
        "organisation_uid": organisation,
        "partnership": partnership,
        "interaction": interaction,
        "event": event,
        "commune": OUJDA,
        "region": ORIENTAL,
        "province": OUJDA.rsplit(".", 2)[0],
        "function_uid": function,
        "user_uid": officer_actor.uid,
        "kind": "personnes",
        "a": pair[0],
        "b": pair[1],
        "import_draft": draft,
        "import": done,
    }


def import_drafts(actor) -> tuple[str, str]:
    """An import at its preview (long headers and values, an error, a match to review), and
    one committed: the uids of the draft and of the import."""
    table = [
        ["Nom", "Prénom", "Téléphone", "Organisation", "Fonction"],
        ["Benkirane-El Idrissi Ouazzani", "Fatimazahra", "0661 23 45 67",
         "Association marocaine pour le développement communautaire de l'Oriental",
         "Coordinatrice régionale des programmes de participation citoyenne"],
        ["Alaoui", "Sanae", "12", "Association Amal", "Membre"],
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(table)
    content = out.getvalue().encode("utf-8-sig")
    limits = imports.Limits()
    data = {"kind": "affiliations", "commune": OUJDA}
    uids = []
    for name in ("liste-des-participants-a-la-formation-budget-participatif.csv", "b.csv"):
        draft = imports.upload(actor, data, io.BytesIO(content), name, limits)
        imports.set_mapping(actor, draft, imports.mapping_page(actor, draft)["mapping"])
        uids.append(draft)
    return uids[0], imports.commit(actor, uids[1], {}, "create", limits)


def page_urls(records: dict[str, str]) -> tuple[list[str], list[str]]:
    """The GET pages of the app's URL map (paths), and the routes left out for want of values."""
    from flask import Flask

    from webui import create_app

    app: Flask = create_app({"SECRET_KEY": "url-map-only"})
    by_prefix = {"/personnes/": "person", "/organisations/": "organisation",
                 "/interactions/": "interaction", "/evenements/": "event",
                 "/territoires/commune/": "commune", "/territoires/region/": "region",
                 "/territoires/province/": "province", "/partenariats/": "partnership",
                 "/imports/brouillon/": "import_draft", "/imports/rapport/": "import"}  # fmt: skip
    pages, skipped = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule.endswith(DOWNLOAD_SUFFIXES):
            continue
        values = {}
        for name in rule.arguments:
            kind = next((k for p, k in by_prefix.items() if rule.rule.startswith(p)), None)
            key = kind if name in ("uid", "code") else name
            if key in records:
                values[name] = records[key]
        if len(values) != len(rule.arguments):
            skipped.append(rule.rule)
            continue
        with app.test_request_context():
            from flask import url_for

            pages.append(url_for(rule.endpoint, **values))
    return sorted(set(pages)), skipped


def is_html_page(base: str, path: str, browser: WebDriver) -> bool:
    """Whether ``path`` answers this user an HTML page (not a download, nor a refusal), asked
    as the browser would: same cookies, same user agent (the session is bound to it)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    agent = browser.execute_script("return navigator.userAgent;")
    request = urllib.request.Request(base + path, headers={"Cookie": cookies, "User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
            kind = response.headers.get("Content-Type", "")
            disposition = response.headers.get("Content-Disposition", "")
    except urllib.error.HTTPError:  # 403 for this role: not one of its pages
        return False
    return kind.startswith("text/html") and "attachment" not in disposition


def sign_in(driver: WebDriver, base: str, account: dict) -> None:
    driver.get(base + "/connexion")
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "email").send_keys(account["email"])
    form.find_element(By.NAME, "password").send_keys(account["password"])
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(ec.presence_of_element_located((By.ID, "main-menu")))


def full_page_screenshot(driver: WebDriver, path: Path) -> None:
    """The whole page, not only what the screen shows (Chromium's DevTools protocol)."""
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def too_wide(driver: WebDriver) -> list[str] | None:
    """None when the page fits the window, else what sticks out."""
    script = f"return [document.documentElement.scrollWidth, {LIMIT}];"
    width, window = driver.execute_script(script)
    if width <= window:
        return None
    return [f"document {width}px > window {window}px", *driver.execute_script(WIDEST_ELEMENTS)]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_a_phone(
    role, phone, live_server, accounts, records, tmp_path_factory, capsys
):
    shots: Path = tmp_path_factory.mktemp(f"phone-{role}")
    pages, skipped = page_urls(records)
    sign_in(phone, live_server, accounts[role])
    assert phone.execute_script("return window.innerWidth;") == PHONE["width"]

    failures, visited = [], 0
    for path in pages:
        if not is_html_page(live_server, path, phone):
            continue
        phone.get(live_server + path)
        visited += 1
        name = path.strip("/").replace("/", "_") or "accueil"
        full_page_screenshot(phone, shots / f"{name[:80]}.png")
        problem = too_wide(phone)
        if problem:
            failures.append(f"{path}: " + "; ".join(problem))
    with capsys.disabled():
        print(f"\n[{role}] {visited} pages, screenshots in {shots}; not visited: {skipped}")
    assert visited >= 10
    assert not failures, f"pages wider than a {PHONE['width']}px phone:\n" + "\n".join(failures)


def test_the_dashboard_and_the_geographic_view_are_among_the_pages_visited():
    pages, _ = page_urls({})
    assert {"/reseau/tableau-de-bord", "/reseau/geographie"} <= set(pages)


def test_the_import_pages_are_among_the_pages_visited():
    pages, _ = page_urls({"import_draft": "d" * 32, "import": "i" * 32})
    draft = f"/imports/brouillon/{'d' * 32}"
    wanted = {"/imports/", "/imports/nouveau", f"{draft}/colonnes", f"{draft}/apercu",
              f"/imports/rapport/{'i' * 32}"}  # fmt: skip
    assert wanted <= set(pages)


def test_the_menu_button_opens_and_closes_the_navigation(phone, live_server, accounts, tmp_path):
    sign_in(phone, live_server, accounts["officer"])
    button = phone.find_element(By.CSS_SELECTOR, ".topbar .menu-toggle")
    people_link = phone.find_element(By.CSS_SELECTOR, "#main-menu a[href='/personnes/']")
    assert button.is_displayed() and not people_link.is_displayed()
    assert button.get_attribute("aria-expanded") == "false"

    button.click()
    assert people_link.is_displayed()
    assert button.get_attribute("aria-expanded") == "true"
    full_page_screenshot(phone, tmp_path / "menu-ouvert.png")
    sign_out = phone.find_element(By.XPATH, "//button[normalize-space()='Se déconnecter']")
    assert sign_out.is_displayed()
    assert people_link.text == "Personnes"
    click_through(phone, people_link)

    button = phone.find_element(By.CSS_SELECTOR, ".topbar .menu-toggle")
    button.click()
    button.click()
    assert not phone.find_element(By.CSS_SELECTOR, "#main-menu nav a").is_displayed()
    assert button.get_attribute("aria-expanded") == "false"


def test_without_javascript_the_navigation_wraps_and_fits(phone, live_server, accounts):
    sign_in(phone, live_server, accounts["officer"])
    phone.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        phone.get(live_server + "/personnes/")
        assert not phone.find_element(By.CSS_SELECTOR, ".topbar .menu-toggle").is_displayed()
        for link in ("Personnes", "Organisations", "Territoires", "Mes suivis"):
            assert phone.find_element(By.LINK_TEXT, link).is_displayed()
        assert too_wide(phone) is None
    finally:
        phone.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_at_laptop_width_the_navigation_is_shown_without_a_button(browser, live_server, accounts):
    sign_in(browser, live_server, accounts["officer"])
    assert not browser.find_element(By.CSS_SELECTOR, ".topbar .menu-toggle").is_displayed()
    assert browser.find_element(By.LINK_TEXT, "Personnes").is_displayed()


def test_the_width_check_names_what_sticks_out(phone, live_server, accounts):
    sign_in(phone, live_server, accounts["officer"])
    assert too_wide(phone) is None
    phone.execute_script(
        "const d = document.createElement('div'); d.className = 'too-wide';"
        "d.style.width = '600px'; d.textContent = 'trop large';"
        "document.querySelector('main').appendChild(d);"
    )
    problem = too_wide(phone)
    assert problem and problem[0].startswith("document 6")
    assert any(p.startswith("div.too-wide") for p in problem), problem
