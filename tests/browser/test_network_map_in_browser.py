"""The network map in real headless Chromium (issue 11): drawn from the JSON by the vendored
vis-network, read back from the page's instance (``window.tansiqMap``); search, neighbourhood
and click-through to the record; the Oriental officer's map holds their territory only; a
hostile name shows as text. Any console error (CSP included) fails a test (conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from crm import clock, events, organisations, partnerships, users
from tests.browser.helpers import SIZES, wait

pytestmark = pytest.mark.browser

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"
XSS = '<img src=x onerror=alert("xss")> & "Coop" </script>'
MANAGER = {"email": "direction@programme.ma", "name": "Karim Tazi",
           "password": "correct horse battery staple"}  # fmt: skip

FIRST_MAP_SECONDS = 30
READY = "return !!(window.tansiqMap && window.tansiqMap.ready);"


@pytest.fixture
def world(clean_db) -> dict[str, str]:
    """Oujda's council, an association and a cooperative with a hostile name, INDH (shared),
    a Casablanca association; partnerships and a training within the last twelve months."""
    users.create_user(MANAGER["email"], MANAGER["name"], MANAGER["password"], "manager")
    manager = users.load_session(
        users.authenticate(MANAGER["email"], MANAGER["password"]).session_token
    )
    today = clock.today()

    def org(name, commune, kind="osc", shared=False):
        return organisations.create_organisation(
            manager, {"name": name, "kind": kind, "commune": commune, "shared": shared}
        )

    o = {
        "council": org("Conseil communal d'Oujda", OUJDA, "commune_council"),
        "amal": org("Association Al Amal", OUJDA),
        "xss": org(XSS, OUJDA, "cooperative"),
        "indh": org("INDH", "", "national_agency", shared=True),
        "anfa": org("Association Anfa", CASABLANCA),
    }
    since = (today - timedelta(days=60)).isoformat()
    for a, b in (("amal", "council"), ("xss", "council"), ("amal", "indh"), ("anfa", "indh")):
        partnerships.create_partnership(
            manager,
            {"organisation": o[a], "partner": o[b], "kind": "convention",
             "title": f"Convention {a}", "since": since, "status": "active"},
        )  # fmt: skip
    events.create_event(
        manager,
        {"title": "Atelier", "kind": "training", "module": "pac", "commune": OUJDA,
         "start_date": (today - timedelta(days=20)).isoformat(),
         "organisers": [o["council"], o["amal"]]},
    )  # fmt: skip
    return o


def sign_in(driver: WebDriver, base: str, account: dict) -> None:
    driver.get(base + "/connexion")
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    form.find_element(By.NAME, "email").send_keys(account["email"])
    form.find_element(By.NAME, "password").send_keys(account["password"])
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver).until(ec.presence_of_element_located((By.ID, "main-menu")))


def open_map(driver: WebDriver, base: str, query: str = "") -> dict[str, str]:
    """Open the map, wait until vis-network has drawn it; node id -> label as drawn."""
    driver.get(f"{base}/reseau/carte{query}")
    # The first map of a run waits for a cold database: more than the usual wait.
    WebDriverWait(driver, FIRST_MAP_SECONDS).until(
        lambda d: d.execute_script(READY), "the map was never drawn"
    )
    return driver.execute_script(
        "const m = window.tansiqMap; const out = {};"
        "m.nodes.forEach(n => { out[n.id] = n.label; });"
        "return m.network.body.nodeIndices.length === Object.keys(out).length ? out : null;"
    )


def point_at(driver: WebDriver, uid: str) -> ActionChains:
    """The real mouse moved over the spot where vis-network drew the node."""
    container = driver.find_element(By.ID, "network-map")
    # Wholly in view: a pointer's offsets count from the centre of the element's visible part.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", container)
    spot = driver.execute_script("return window.tansiqMap.domPosition(arguments[0]);", uid)
    return ActionChains(driver).move_to_element_with_offset(
        container, int(spot["x"] - spot["width"] / 2), int(spot["y"] - spot["height"] / 2)
    )


def test_the_officer_sees_their_territory_finds_an_actor_and_opens_its_record(
    browser, live_server, log_in: Callable[[], None], world
):
    log_in()
    drawn = open_map(browser, live_server)
    assert drawn is not None, "vis-network did not draw every node of the data set"
    assert set(drawn) == {world["council"], world["amal"], world["xss"], world["indh"]}
    assert world["anfa"] not in drawn and "Association Anfa" not in drawn.values()
    status = browser.find_element(By.ID, "map-status").text
    assert status.startswith("4 acteurs")

    # Search ignores case and accents; one match is chosen and its neighbourhood shown.
    browser.find_element(By.ID, "map-search-text").send_keys("al amal")
    browser.find_element(By.CSS_SELECTOR, "#map-search button[type=submit]").click()
    panel = browser.find_element(By.ID, "map-selection")
    wait(browser).until(lambda d: panel.is_displayed())
    assert browser.find_element(By.ID, "map-selection-name").text == "Association Al Amal"
    assert browser.execute_script("return window.tansiqMap.network.getSelectedNodes();") == [
        world["amal"]
    ]
    # Its neighbours keep their colour, the others are dimmed.
    colours = browser.execute_script(
        "const out = {}; window.tansiqMap.nodes.forEach(n => {"
        "out[n.id] = typeof n.color === 'string' ? 'dim' : 'kept'; }); return out;"
    )
    assert colours[world["council"]] == colours[world["indh"]] == "kept"
    assert colours[world["xss"]] == "dim"

    # A click on the council's dot selects it; its record opens from the panel.
    browser.find_element(By.ID, "map-selection-clear").click()
    point_at(browser, world["council"]).click().perform()
    wait(browser).until(
        lambda d: d.find_element(By.ID, "map-selection-name").text == "Conseil communal d'Oujda"
    )
    browser.find_element(By.ID, "map-selection-open").click()
    wait(browser).until(ec.url_contains(f"/organisations/{world['council']}"))
    assert "Conseil communal d'Oujda" in browser.find_element(By.TAG_NAME, "h1").text


def test_a_hostile_name_is_drawn_and_shown_as_text(
    browser, live_server, log_in: Callable[[], None], world
):
    log_in()
    drawn = open_map(browser, live_server)
    assert drawn[world["xss"]] == XSS
    # Its tooltip, on hover, is the name as text.
    point_at(browser, world["xss"]).perform()
    tooltip = wait(browser).until(
        lambda d: next((t for t in d.find_elements(By.CSS_SELECTOR, "div.vis-tooltip")
                        if t.is_displayed()), None),
        "no tooltip on hover",
    )  # fmt: skip
    assert XSS in tooltip.text
    # The search lists it as text too.
    browser.find_element(By.ID, "map-search-text").send_keys("coop")
    browser.find_element(By.CSS_SELECTOR, "#map-search button[type=submit]").click()
    wait(browser).until(lambda d: d.find_element(By.ID, "map-selection").is_displayed())
    assert browser.find_element(By.ID, "map-selection-name").text == XSS
    # No element was made of it, and no script ran.
    assert browser.execute_script("return document.querySelectorAll('img').length;") == 0
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


def test_the_manager_sees_every_region_and_the_map_fits_a_phone(browser, live_server, world):
    sign_in(browser, live_server, MANAGER)
    drawn = open_map(browser, live_server)
    assert set(drawn) == set(world.values())
    assert drawn[world["anfa"]] == "Association Anfa"

    # Aggregated by commune: Oujda, Casablanca and INDH (placed nowhere).
    drawn = open_map(browser, live_server, "?vue=commune")
    assert set(drawn) == {OUJDA, CASABLANCA, world["indh"]}

    phone = SIZES["phone"]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": phone["width"], "height": phone["height"], "deviceScaleFactor": 1,
         "mobile": True},
    )  # fmt: skip
    try:
        drawn = open_map(browser, live_server)
        assert len(drawn) == 5
        width, window = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
        )
        assert width <= window
        box = browser.find_element(By.ID, "network-map").rect
        assert 300 <= box["width"] <= phone["width"] and box["height"] >= 280
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
