"""The console in headless Chromium: clock in from the Slack pane, BREAK from the phone pane, watch it show.

Debian's chromium and chromedriver (`make chromium` installs them); no browser is downloaded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.domain.model import Worker
from infra.local import seed
from tests.e2e.conftest import ROOT, StackProcess, stored

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "artifacts"
WAIT = 15.0  # seconds for anything to show; each step takes well under one

MIA = seed.PEOPLE[0]
BEN = seed.PEOPLE[2]
HOSTILE_NAME = '<img src=x onerror="window.pwned=1">Eve'

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason=f"Debian chromium/chromedriver not found at {CHROMIUM} and {CHROMEDRIVER}, "
    "and `make chromium` could not install them (apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def test_console_clocks_in_by_slack_breaks_by_sms_and_shows_it(
    stack_process: StackProcess,
    browser: object,
) -> None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver: WebDriver = browser  # type: ignore[assignment]
    urls = stack_process.start()
    # A name that would run script if the console ever parsed data as HTML.
    store = stored(stack_process)
    store.add_worker(Worker(worker_id="w-evil", org_id=seed.ORG_ID, name=HOSTILE_NAME))
    # The board and outbox re-render every 1.5 s: an element read mid-render is simply read again.
    wait = WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))
    driver.get(urls["console"] + "/")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f'#slack-user option[value="{BEN.slack_user_id}"]')))

    def board_status() -> str | None:
        rows = driver.find_elements(By.CSS_SELECTOR, f'#board tr[data-worker="{BEN.worker_id}"]')
        return rows[0].get_attribute("data-status") if rows else None

    def outbox_has(text: str) -> bool:
        return any(text in item.text for item in driver.find_elements(By.CSS_SELECTOR, "#outbox li"))

    # Given Ben is off
    wait.until(lambda _: board_status() == "off")

    # When he clocks in from the Slack pane
    Select(driver.find_element(By.ID, "slack-user")).select_by_value(BEN.slack_user_id)
    driver.find_element(By.ID, "slack-text").send_keys("/clockin north-site")
    driver.find_element(By.ID, "slack-send").click()
    # Then the board shows him on shift and the outbox and the pane show Slack's answer
    wait.until(lambda _: board_status() == "on_shift")
    wait.until(lambda _: outbox_has("Clocked in") and outbox_has("at north-site"))
    wait.until(lambda _: "Clocked in" in driver.find_element(By.ID, "slack-log").text)

    # When he texts BREAK from the phone pane
    Select(driver.find_element(By.ID, "phone-user")).select_by_value(BEN.phone)
    driver.find_element(By.ID, "phone-text").send_keys("BREAK")
    driver.find_element(By.ID, "phone-send").click()
    # Then he is on break, and the text reply is in the outbox and in the phone pane
    wait.until(lambda _: board_status() == "on_break")
    wait.until(lambda _: outbox_has("break started"))
    wait.until(lambda _: "break started" in driver.find_element(By.ID, "phone-log").text)

    # When the manager asks for the day's report and clicks its "Email this report" button
    Select(driver.find_element(By.ID, "slack-user")).select_by_value(MIA.slack_user_id)
    driver.find_element(By.ID, "slack-text").send_keys("/report")
    driver.find_element(By.ID, "slack-send").click()

    def click_email_button() -> bool:
        try:  # the pane redraws every refresh: a button found may be gone before the click
            driver.find_element(By.CSS_SELECTOR, '#slack-log button[data-action="report.email"]').click()
            return True
        except (NoSuchElementException, StaleElementReferenceException):
            return False

    wait.until(lambda _: click_email_button())
    # Then Slack tells her where it went, and the outbox shows the email in a frame that runs nothing
    wait.until(lambda _: outbox_has("Emailing the report for") and outbox_has("Emailed the report for"))
    email_frame = '#outbox li[data-channel="email"] iframe'
    wait.until(lambda _: driver.find_element(By.CSS_SELECTOR, email_frame).get_attribute("sandbox") == "")
    wait.until(lambda _: outbox_has("Punchclock daily summary - Demo Field Services"))

    # Everything from the server is shown as text (read inside waits: the board redraws every 1.5 s).
    evil = '#board tr[data-worker="w-evil"] td'
    wait.until(lambda _: driver.find_element(By.CSS_SELECTOR, evil).text == HOSTILE_NAME)
    assert driver.find_elements(By.CSS_SELECTOR, "#board img") == []
    assert driver.execute_script("return window.pwned") is None

    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "console.png"))
    wait.until(
        lambda _: (
            {i.get_attribute("data-channel") for i in driver.find_elements(By.CSS_SELECTOR, "#outbox li")}
            >= {"slack", "sms", "email"}
        )
    )
    assert stack_process.stop() == 0
