"""The desk in a real browser: Debian's Chromium driven by chromium-driver through Selenium,
against the desk served by uvicorn on loopback over a real SQLite warehouse.

An RM signs in, reads today's brief, opens a customer, adds a note and gives feedback; a
product manager decides on a signal, and the decision is in the RMs' next brief. Screenshots
are saved under ``$MI_TEST_ARTIFACTS/desk`` (default ``var/test-artifacts/desk``); the ones in
docs/screenshots/ are of the sample bank (``scripts/desk_screenshots.py``). `.ci/run` installs
chromium and chromium-driver when missing; where neither exists the test skips and says why.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from mi.desk.app import create_app
from mi.warehouse.engine import create_warehouse_engine, migrate
from tests.desk_bank import PASSWORD, build_desk_bank, ticking

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver "
                                "(`apt-get install chromium chromium-driver`; .ci/run installs them)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("desk-browser")
    engine = create_warehouse_engine(f"sqlite:///{folder / 'warehouse.sqlite'}")
    migrate(engine)
    settings = build_desk_bank(engine, folder)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine, settings, clock=ticking()), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the desk did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,1600", "--lang=en-US", "--disable-extensions"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def artifacts() -> Path:
    folder = Path(os.environ.get("MI_TEST_ARTIFACTS") or ROOT / "var" / "test-artifacts") / "desk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(driver: object, name: str) -> Path:
    path = artifacts() / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path


def sign_in(driver: object, desk: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()  # type: ignore[attr-defined]
    driver.get(f"{desk}/sign-in")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "username").send_keys(username)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "password").send_keys(PASSWORD)  # type: ignore[attr-defined]
    driver.find_element(By.ID, "sign-in-button").click()  # type: ignore[attr-defined]
    # The click starts a navigation; reading the URL at once can still find the sign-in page.
    WebDriverWait(driver, 30).until(lambda d: not d.current_url.endswith("/sign-in"))  # type: ignore[attr-defined]


def test_an_rm_reads_the_brief_opens_a_customer_adds_a_note_and_gives_feedback(desk: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser
    sign_in(driver, desk, "rm1")
    assert driver.current_url.endswith("/today")  # type: ignore[attr-defined]
    customers = driver.find_element(By.ID, "section-customers")  # type: ignore[attr-defined]
    assert "Chevron to buy shale producer" in customers.text
    assert driver.find_elements(By.CSS_SELECTOR, ".chart .bar")  # type: ignore[attr-defined]  # a move's chart
    shoot(driver, "rm-morning")
    driver.find_element(By.LINK_TEXT, "Open Chevron Corporation").click()  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "customer-name").text == "Chevron Corporation"  # type: ignore[attr-defined]
    news = driver.find_element(By.ID, "news").text  # type: ignore[attr-defined]
    assert "Chevron" in news and "<script>" in news  # the hostile headline, shown as text
    driver.find_element(By.ID, "note-text").send_keys("CFO asks about a green capex loan for the Texas plant")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "note-need").send_keys("green capex loan")  # type: ignore[attr-defined]
    Select(driver.find_element(By.ID, "note-category")).select_by_value("corporate_loan")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "note-save").click()  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "note-saved").is_displayed()  # type: ignore[attr-defined]
    assert "green capex loan for the Texas plant" in driver.find_element(By.ID, "note-list").text  # type: ignore[attr-defined]
    shoot(driver, "rm-customer")
    driver.get(f"{desk}/today")  # type: ignore[attr-defined]
    first = driver.find_element(By.CSS_SELECTOR, "#section-customers article")  # type: ignore[attr-defined]
    first.find_element(By.CSS_SELECTOR, "button[value=useful]").click()
    assert "Thank you" in driver.find_element(By.ID, "message").text  # type: ignore[attr-defined]
    assert "You said: useful" in driver.find_element(By.CSS_SELECTOR, "#section-customers").text  # type: ignore[attr-defined]
    # No script ran: the page allows none, and the hostile text stayed text.
    assert driver.execute_script("return window.__pwned === undefined")  # type: ignore[attr-defined]


def test_a_product_managers_decision_reaches_the_rms_next_brief(desk: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser
    sign_in(driver, desk, "product")
    board = driver.find_element(By.ID, "board")  # type: ignore[attr-defined]
    shoot(driver, "signals-board")
    board.find_element(By.CSS_SELECTOR, "td a").click()
    title = driver.find_element(By.ID, "signal-title").text  # type: ignore[attr-defined]
    Select(driver.find_element(By.ID, "decision")).select_by_value("accept")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "reason").send_keys("fits the 2027 FX plan")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "decide-button").click()  # type: ignore[attr-defined]
    assert "accepted" in driver.find_element(By.ID, "decided").text  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "signal-status").text == "accepted"  # type: ignore[attr-defined]
    shoot(driver, "signal-decided")
    driver.get(f"{desk}/follow-up")  # type: ignore[attr-defined]
    assert driver.find_elements(By.CSS_SELECTOR, ".product .bar.actual")  # type: ignore[attr-defined]
    shoot(driver, "follow-up")
    sign_in(driver, desk, "rm1")
    decisions = driver.find_element(By.ID, "section-decisions").text  # type: ignore[attr-defined]
    assert "Product department accepted" in decisions and title in decisions and "fits the 2027 FX plan" in decisions
    shoot(driver, "rm-next-brief")
