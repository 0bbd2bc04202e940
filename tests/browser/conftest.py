"""Browser tests: the real app served over HTTP, driven by one headless Chromium per run.

The app runs with CSRF protection on, so every form the browser submits carries a real token.
After each test the browser's console is read: any SEVERE entry (a JavaScript error, a
Content-Security-Policy violation, a static file that failed to load) fails the test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

OFFICER_EMAIL = "agent.oriental@example.org"
OFFICER_NAME = "Salma Benali"
OFFICER_PASSWORD = "correct horse battery staple"

WAIT_SECONDS = 10
SKIP_ENV = "TANSIQ_SKIP_BROWSER_TESTS"


@pytest.fixture
def live_server(clean_db, monkeypatch) -> Iterator[str]:
    """The app on a free local port, in a daemon thread; yields its base URL."""
    from werkzeug.serving import make_server

    from webui import create_app

    monkeypatch.setenv("NEO4J_URI", clean_db.uri)
    monkeypatch.setenv("NEO4J_USER", clean_db.user)
    monkeypatch.setenv("NEO4J_PASSWORD", clean_db.password)
    app = create_app({"SECRET_KEY": "browser-test-secret", "WTF_CSRF_ENABLED": True})
    # The socket is bound and listening once make_server returns: no need to poll.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="tansiq-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=WAIT_SECONDS)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (no download: local binaries only)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        # Never a silent pass: a machine without the browser fails these tests unless told to
        # skip them (.ci/run installs both on a fresh machine).
        message = (
            f"browser tests need Chromium and its driver; missing: {', '.join(missing)} "
            "(apt-get install chromium chromium-driver, or TANSIQ_SKIP_BROWSER_TESTS=1 to "
            "skip them knowingly)"
        )
        if os.environ.get(SKIP_ENV) == "1":
            pytest.skip(message)
        pytest.fail(message)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="tansiq-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,1024",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.implicitly_wait(0)  # explicit waits only
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def _browser_hygiene(request: pytest.FixtureRequest) -> Iterator[None]:
    """Start each browser test with an empty console; leave no page or cookie behind.

    The live server is requested here so that this teardown (leaving the page) runs before
    the server stops.
    """
    if "browser" not in request.fixturenames:
        yield
        return
    driver = request.getfixturevalue("browser")  # first: skips before Neo4j starts
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server")
    driver.get_log("browser")  # drain what earlier tests left
    yield
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.delete_all_cookies()
    driver.get_log("browser")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Fail a browser test whose pages logged a SEVERE console entry."""
    result = yield
    driver = getattr(item, "funcargs", {}).get("browser")
    if driver is not None:
        severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        if severe:
            lines = "\n".join(f"  {e.get('source', '?')}: {e.get('message')}" for e in severe)
            pytest.fail(f"the browser console logged {len(severe)} error(s):\n{lines}")
    return result


@pytest.fixture
def officer(clean_db) -> dict:
    """The officer of the Oriental region (may write there), as the login form needs it."""
    from crm import users
    from graph import team

    uid = users.create_user(OFFICER_EMAIL, OFFICER_NAME, OFFICER_PASSWORD, "officer")
    team.set_territory(uid, ["02"])
    return {"email": OFFICER_EMAIL, "password": OFFICER_PASSWORD, "name": OFFICER_NAME}


@pytest.fixture
def log_in(browser, live_server: str, officer: dict) -> Callable[[], None]:
    """A function that signs the officer in through the real login form."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def sign_in() -> None:
        browser.get(live_server + "/connexion")
        browser.find_element(By.NAME, "email").send_keys(officer["email"])
        browser.find_element(By.NAME, "password").send_keys(officer["password"])
        browser.find_element(By.XPATH, "//button[normalize-space()='Se connecter']").click()
        WebDriverWait(browser, WAIT_SECONDS).until(
            ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".topbar .user"), officer["name"])
        )

    return sign_in


@pytest.fixture
def officer_actor(officer: dict):
    """The same officer as a crm Actor, to prepare records through the use cases."""
    from crm import users

    signed_in = users.authenticate(officer["email"], officer["password"])
    return users.load_session(signed_in.session_token)


@pytest.fixture(params=["laptop", "phone"])
def sized(request: pytest.FixtureRequest, browser) -> Iterator[tuple[str, Callable[[], None]]]:
    """One of ``helpers.SIZES`` and a function that puts the browser at that size (call it
    after signing in: the sign-in helper reads the name in the menu, folded at phone size).
    The browser is restored to its own size afterwards."""
    from tests.browser.helpers import SIZES

    size = SIZES[request.param]

    def resize() -> None:
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size["width"], "height": size["height"], "deviceScaleFactor": 1,
             "mobile": size["mobile"]},
        )  # fmt: skip

    try:
        yield request.param, resize
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
