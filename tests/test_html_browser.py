"""The HTML export opened in a real (headless) Chromium: it shows the journey and runs no script."""
import base64
import os

import pytest

from renderers.exports import to_html
from tests.factories import make_item, make_workshop, sample_items, summary_of
from tests.requirements import missing

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
HOSTILE = ("<script>window.pwned = 'script'; alert(1)</script>",
           "<img src=x onerror=\"window.pwned = 'onerror'\">")

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(tmp_path, monkeypatch):
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        missing(f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_export(browser, tmp_path, view):
    page = tmp_path / "summary.html"
    page.write_text(to_html(view), encoding="utf-8")
    browser.get(page.as_uri())


def test_export_shows_the_journey_and_runs_no_script(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    workshop = make_workshop(title="Café één")
    items = sample_items(workshop) + [make_item("does", text, phase=2, workshop=workshop) for text in HOSTILE]
    open_export(browser, tmp_path, summary_of(workshop, items))

    assert browser.title == "Journey summary: Café één"
    headers = browser.find_elements(By.CSS_SELECTOR, "table.journey thead th")
    assert [header.text for header in headers] == ["1. Research", "2. Purchase", "3. Use"]
    assert all(header.is_displayed() for header in headers)
    for text in ("Compares three web shops", "overwhelmed", "Delivery e-mail", *HOSTILE):
        xpath = f"//li[contains(@class, 'note')]/span[@class='text'][.={xpath_literal(text)}]"
        note = browser.find_element(By.XPATH, xpath)
        assert note.is_displayed(), text
    assert browser.execute_script("return window.pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def xpath_literal(text: str) -> str:
    """``text`` as an XPath string literal, whatever quotes it holds."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def test_export_prints_to_pdf(browser, tmp_path):
    open_export(browser, tmp_path, summary_of(make_workshop(), sample_items()))
    pdf = base64.b64decode(browser.print_page())
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
