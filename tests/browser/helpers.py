"""What the browser tests do again and again: wait, submit a form, pick from the autocomplete
fields and the record pickers the way a user does (keyboard), read the record chips."""

from __future__ import annotations

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

__all__ = ["SIZES", "chips", "click_through", "pick_record", "pick_suggestion", "submit", "wait"]

WAIT_SECONDS = 10
# The two sizes every journey runs at (``sized`` fixture of conftest.py).
SIZES = {
    "laptop": {"width": 1280, "height": 800, "mobile": False},
    "phone": {"width": 390, "height": 844, "mobile": True},
}


def wait(driver: WebDriver) -> WebDriverWait:
    return WebDriverWait(driver, WAIT_SECONDS)


def click_through(driver: WebDriver, element: WebElement) -> None:
    """Click ``element`` (scrolled into view) and wait until the page it leads to has loaded.

    The old page is marked by a flag on its ``window``, which the next page does not have.
    Waiting for an element of the old page to go stale instead is flaky in Chrome: asked about
    a node while its document is being torn down, chromedriver may answer "Node with given id
    does not belong to the document" rather than "stale element"."""
    driver.execute_script("window.__tansiqLeaving = true;")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()

    def next_page_loaded(d: WebDriver) -> bool:
        try:
            return d.execute_script(
                "return window.__tansiqLeaving !== true && document.readyState === 'complete';"
            )
        except WebDriverException:  # asked between the two documents
            return False

    wait(driver).until(next_page_loaded, "the click did not lead to a new page")


def submit(driver: WebDriver, form: WebElement) -> None:
    """Click the form's submit button and wait for the next page to replace this one."""
    click_through(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def pick_suggestion(driver: WebDriver, field: WebElement, typed: str, wanted: str) -> str:
    """Type into an autocomplete field, wait for suggest.js to offer an option containing
    ``wanted``, then enter that option's value (headless Chrome cannot click a datalist)."""
    datalist_id = field.get_attribute("list")
    option_css = f"datalist#{datalist_id} option"
    field.clear()
    field.send_keys(typed)

    def offered(d: WebDriver) -> str | bool:
        # Read all option values in one script call: suggest.js may replace the options
        # between two WebDriver calls, and a vanished node breaks Chrome's inspector.
        values = d.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]), o => o.value);",
            option_css,
        )
        return next((v for v in values if wanted in v), False)

    value = wait(driver).until(offered, f"no suggestion containing {wanted!r} after {typed!r}")
    field.clear()
    field.send_keys(value)
    assert field.get_attribute("value") == value
    return value


def pick_record(driver: WebDriver, combobox: WebElement, typed: str, wanted: str) -> None:
    """Type into a record picker, wait for the suggestion naming ``wanted``, choose it with
    the arrow keys and Enter, and wait for its chip."""
    combobox.send_keys(typed)

    def offered(d: WebDriver) -> int | bool:
        names = d.execute_script(
            "return Array.from(document.querySelectorAll('[role=option]'), o => o.textContent);"
        )
        return next((i + 1 for i, name in enumerate(names) if wanted in name), False)

    for _ in range(wait(driver).until(offered, f"no suggestion naming {wanted!r}")):
        combobox.send_keys(Keys.ARROW_DOWN)
    combobox.send_keys(Keys.ENTER)
    wait(driver).until(
        lambda d: wanted in " ".join(c.text for c in d.find_elements(By.CSS_SELECTOR,
                                                                     ".record-picker-chip")),
        f"no chip naming {wanted!r}",
    )  # fmt: skip


def chips(driver: WebDriver) -> str:
    """The text of every record chip of the page."""
    return " ".join(c.text for c in driver.find_elements(By.CSS_SELECTOR, ".record-picker-chip"))
