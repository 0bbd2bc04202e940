"""The standalone HTML map (issue 11, item 4): downloaded by the Oriental officer, opened from
disk in headless Chromium without any network access, the network is drawn, names are text."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from crm import interactions, organisations

pytestmark = pytest.mark.browser

OUJDA = "02.411.01.23"
CASABLANCA = "06.141.01.0"
XSS = '<img src=x onerror=alert(1)> "Amal" & </script>'
WAIT_SECONDS = 10


@pytest.fixture
def go_offline(browser: WebDriver) -> Iterator[Callable[[], None]]:
    """A function that cuts the browser's network access (given back afterwards)."""
    conditions = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}

    def cut() -> None:
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {**conditions, "offline": True})

    try:
        yield cut
    finally:
        browser.execute_cdp_cmd(
            "Network.emulateNetworkConditions", {**conditions, "offline": False}
        )
        browser.execute_cdp_cmd("Network.disable", {})


def test_the_standalone_map_opens_offline_with_the_network_drawn(
    browser, live_server, log_in, officer_actor, tmp_path, go_offline
):
    names = ["Conseil communal d'Oujda", XSS, "Association Nour"]
    uids = [
        organisations.create_organisation(officer_actor, {"name": name, "kind": kind,
                                                          "commune": OUJDA})
        for name, kind in zip(names, ("commune_council", "osc", "osc"), strict=True)
    ]  # fmt: skip
    today = date.today()
    interactions.log_interaction(
        officer_actor,
        {"kind": "meeting", "date": today, "summary": "Coordination.", "organisations": uids},
        today=today,
    )
    # The file, downloaded with the officer's session (before the browser goes offline).
    log_in()
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    agent = browser.execute_script("return navigator.userAgent;")
    request = urllib.request.Request(
        live_server + "/reseau/export/html", headers={"Cookie": cookies, "User-Agent": agent}
    )
    with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
        assert "attachment" in response.headers["Content-Disposition"]
        path = tmp_path / "carte.html"
        path.write_bytes(response.read())
    browser.get("about:blank")
    go_offline()
    assert browser.execute_script("return navigator.onLine;") is False

    browser.get(path.as_uri())
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: d.execute_script("return !!window.tansiqNetwork;")
    )
    drawn = browser.execute_script(
        "const n = window.tansiqNetwork;"
        "return {ids: n.body.data.nodes.getIds(), labels: n.body.data.nodes.map(x => x.label),"
        " ties: n.body.data.edges.length, positions: n.getPositions(),"
        " canvas: document.querySelector('#map canvas').width,"
        " images: document.images.length};"
    )
    assert sorted(drawn["ids"]) == sorted(uids) and drawn["ties"] == 3
    assert sorted(drawn["labels"]) == sorted(names)  # the XSS-like name is a label, as text
    assert drawn["images"] == 0 and drawn["canvas"] > 0
    assert all(set(p) == {"x", "y"} for p in drawn["positions"].values())

    search = browser.find_element(By.ID, "search")
    search.send_keys("nour")
    selected = browser.execute_script("return window.tansiqNetwork.getSelectedNodes();")
    assert selected == [uids[2]]
