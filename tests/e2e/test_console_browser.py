"""The console in headless Chromium: clock in from the Slack pane, BREAK from the phone pane, watch it show;
Slack's blocks, Home tab and expense form drawn; the daily summary run from the console and its email
shown full width (a screenshot of it in artifacts/, which git ignores). Worker-typed names and notes
that would run script anywhere they were parsed as HTML.

Debian's chromium and chromedriver (`make chromium` installs them); no browser is downloaded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.domain.model import Worker
from infra.local import seed
from tests.e2e.conftest import ROOT, StackProcess, http, punchclock, stored

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "artifacts"
WAIT = 15.0  # seconds for anything to show; each step takes well under one

MIA = seed.PEOPLE[0]
BEN = seed.PEOPLE[2]
HOSTILE_NAME = '<img src=x onerror="window.pwned=1">Eve'
HOSTILE_NOTE = "<script>window.pwned=2</script> hinge"

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


def clicked(driver: Any, css: str) -> bool:
    """Click the first element matching `css`; False when there is none yet or it was redrawn under
    the click (the panes redraw every 1.5 s): for use inside a wait."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        driver.find_element(By.CSS_SELECTOR, css).click()
        return True
    except (NoSuchElementException, StaleElementReferenceException):
        return False


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
    # Then Slack tells her where it went, and the outbox opens the email in a frame that runs nothing
    wait.until(lambda _: outbox_has("Emailing the report for") and outbox_has("Emailed the report for"))
    wait.until(lambda _: outbox_has("Punchclock daily summary - Demo Field Services"))
    wait.until(lambda _: clicked(driver, '#outbox li[data-channel="email"] button.open-mail'))
    wait.until(lambda _: driver.find_element(By.ID, "mail-frame").get_attribute("sandbox") == "")

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


def test_console_draws_slack_runs_the_daily_summary_and_shows_the_email(
    stack_process: StackProcess,
    browser: object,
) -> None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver: WebDriver = browser  # type: ignore[assignment]
    # Given Ben's name, as a manager typed it, would run script if anything parsed it as HTML
    stack_process.start()
    assert stack_process.stop() == 0
    punchclock(stack_process, "worker", "update", "--id", BEN.worker_id, "--name", HOSTILE_NAME)
    urls = stack_process.start()
    wait = WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))
    driver.get(urls["console"] + "/")
    wait.until(lambda _: driver.find_elements(By.CSS_SELECTOR, f'#slack-user option[value="{BEN.slack_user_id}"]'))
    Select(driver.find_element(By.ID, "slack-user")).select_by_value(BEN.slack_user_id)

    def type_in_slack(text: str) -> None:
        driver.find_element(By.ID, "slack-text").send_keys(text)
        driver.find_element(By.ID, "slack-send").click()

    def log_text() -> str:
        return str(driver.find_element(By.ID, "slack-log").text)

    # When Ben clocks in, his answer is drawn from its blocks
    type_in_slack("/clockin north-site")
    wait.until(lambda _: driver.find_elements(By.CSS_SELECTOR, '#slack-log .bubble.app .blocks [data-block="section"]'))
    assert "Clocked in" in log_text()
    # A command the app does not declare gets Slack's own answer, not a gateway error
    type_in_slack("/nope")
    wait.until(lambda _: "/nope is not a valid command" in log_text())
    assert "gateway answered" not in log_text()

    # His Home tab, as the app publishes it when he opens it: header, fields, the buttons that fit now
    driver.find_element(By.ID, "tab-home").click()
    wait.until(lambda _: driver.find_elements(By.CSS_SELECTOR, '#home [data-block="header"]'))
    wait.until(lambda _: driver.find_elements(By.CSS_SELECTOR, "#home .sb-fields"))

    def home_buttons() -> set[str]:  # read inside a wait: the pane redraws every 1.5 s
        return {b.text for b in driver.find_elements(By.CSS_SELECTOR, "#home button.slack-button")}

    wait.until(lambda _: {"Start break", "Clock out"} <= home_buttons())

    def pick_language(value: str) -> bool:  # inside a wait: the menu is redrawn with the pane
        menus = driver.find_elements(By.CSS_SELECTOR, '#home select.slack-select[data-action="home.language"]')
        if not menus:
            return False
        Select(menus[0]).select_by_value(value)
        return True

    # His Home tab's language menu: Español redraws it in Spanish, English back again
    wait.until(lambda _: pick_language("es"))
    wait.until(lambda _: {"Descanso", "Salida"} <= home_buttons())
    wait.until(lambda _: pick_language("en"))
    wait.until(lambda _: {"Start break", "Clock out"} <= home_buttons())
    driver.find_element(By.ID, "tab-messages").click()

    # The expense form opens from /expense; a mistake comes back next to its field; then it is logged
    type_in_slack("/expense")
    wait.until(lambda _: driver.find_element(By.ID, "modal-backdrop").get_attribute("class") == "open")
    driver.find_element(By.ID, "modal-submit").click()
    wait.until(lambda _: driver.find_element(By.CSS_SELECTOR, '#modal [data-field="amount"] .error').text)
    driver.find_element(By.ID, "modal-amount").send_keys("48.20")
    Select(driver.find_element(By.ID, "modal-category")).select_by_value("parts")
    driver.find_element(By.ID, "modal-note").send_keys(HOSTILE_NOTE)
    driver.find_element(By.ID, "modal-submit").click()
    wait.until(lambda _: driver.find_element(By.ID, "modal-backdrop").get_attribute("class") == "")
    wait.until(lambda _: "Expense 48.20 USD parts" in log_text())

    # When the operator runs the reminder sweep and the daily summary now
    driver.find_element(By.ID, "run-reminders").click()
    wait.until(lambda _: driver.find_element(By.ID, "ops-result").text.startswith("reminders: due "))
    driver.find_element(By.ID, "run-daily").click()
    wait.until(lambda _: "queued the daily summary for " in driver.find_element(By.ID, "ops-result").text)
    wait.until(lambda _: clicked(driver, '#outbox li[data-channel="email"] button.open-mail'))

    # Then the email opens full width, as Mia gets it, its attachments listed to download
    mail = driver.find_element(By.ID, "mail")
    wait.until(lambda _: "open" in (mail.get_attribute("class") or ""))
    assert driver.find_element(By.ID, "mail-subject").text.startswith("Punchclock daily summary - Demo Field Services")
    assert mail.size["width"] > 0.9 * driver.execute_script("return document.documentElement.clientWidth")
    links = driver.find_elements(By.CSS_SELECTOR, "#mail-attachments a")
    assert links and all(str(a.get_attribute("download")).endswith(".csv") for a in links)
    status, body = http("GET", str(links[0].get_attribute("href")))
    assert status == 200 and "north-site" in body and HOSTILE_NAME.replace('"', '""') in body
    frame = driver.find_element(By.ID, "mail-frame")
    assert frame.get_attribute("sandbox") == ""
    driver.switch_to.frame(frame)
    try:
        wait.until(lambda _: HOSTILE_NAME in driver.find_element(By.TAG_NAME, "body").text)
        shown = driver.find_element(By.TAG_NAME, "body").text
        assert HOSTILE_NOTE in shown and "48.20" in shown
        assert driver.find_elements(By.CSS_SELECTOR, "img, script") == []
    finally:
        driver.switch_to.default_content()
    assert driver.execute_script("return window.pwned") is None

    ARTIFACTS.mkdir(exist_ok=True)
    driver.execute_script("arguments[0].scrollIntoView()", mail)
    assert mail.screenshot(str(ARTIFACTS / "daily-summary-email.png"))
    assert stack_process.stop() == 0
