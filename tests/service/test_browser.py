"""One full path in a real headless Chromium against a real server on loopback: sign in, import
rooms, start a run, watch it finish, publish it, open a teacher's week grid and download its
.ics; and an impossible run, whose page says why and offers nothing to publish. `.ci/run`
installs Debian's chromium and chromium-driver.

With REGISTRAR_SCREENSHOTS=FOLDER the week grid and the Rooms page are also saved there as
week-grid.png and rooms.png (the README's pictures)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from service.access import add_user
from service.context import KEY
from service.storage import schema
from tests.service_factory import SEMESTER, running_app

DRIVER = shutil.which("chromedriver")
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    not (DRIVER and BROWSER), reason="needs chromium and chromedriver (.ci/run installs them)"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    with running_app(tmp_path / "service", 200, 15) as app:
        with app.extensions[KEY].database.transaction() as session:
            add_user(session, "pat", "planning-is-fun", "planner")
            session.query(schema.Semester).one().starts_on = dt.date(2026, 9, 7)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        http = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{port}", app
        finally:
            http.shutdown()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(BROWSER)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.implicitly_wait(15)  # a page still loading on a busy machine is waited for, not failed
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(condition: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError("the page did not get there in time")


def screenshot(driver: object, name: str) -> None:
    """The page as it stands, for the README, when REGISTRAR_SCREENSHOTS names a folder."""
    folder = os.environ.get("REGISTRAR_SCREENSHOTS")
    if folder:
        driver.save_screenshot(str(Path(folder) / name))  # type: ignore[attr-defined]


@pytest.fixture
def planner(server: tuple[str, Flask], browser: object) -> tuple[str, Flask, object]:
    """The server, and the browser signed in to it as the planner pat (sent to the login page as
    anyone is)."""
    from selenium.webdriver.common.by import By

    base, app = server
    driver = browser
    driver.get(f"{base}/")  # type: ignore[attr-defined]
    assert "/login" in driver.current_url  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "username").send_keys("pat")  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "password").send_keys("planning-is-fun")  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()  # type: ignore[attr-defined]
    assert "Signed in as pat" in driver.find_element(By.ID, "nav").text  # type: ignore[attr-defined]
    return base, app, driver


def import_table(driver: object, kind: str, table: Path) -> str:
    """Import a file of records of `kind` on the Imports page; what the page says of it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.find_element(By.LINK_TEXT, "Imports").click()  # type: ignore[attr-defined]
    Select(driver.find_element(By.NAME, "kind")).select_by_value(kind)  # type: ignore[attr-defined]
    driver.find_element(By.NAME, "file").send_keys(str(table))  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "#import button").click()  # type: ignore[attr-defined]
    return str(driver.find_element(By.ID, "outcome").text)  # type: ignore[attr-defined]


def run_to_the_end(driver: object, kind: str, seconds: int) -> set[str]:
    """Start a run of `kind` from the New run page and watch its page until it finishes; the
    statuses the page showed on the way."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.find_element(By.LINK_TEXT, "New run").click()  # type: ignore[attr-defined]
    Select(driver.find_element(By.NAME, "kind")).select_by_value(kind)  # type: ignore[attr-defined]
    time_limit = driver.find_element(By.NAME, "time_limit")  # type: ignore[attr-defined]
    time_limit.clear()
    time_limit.send_keys(str(seconds))
    driver.find_element(By.CSS_SELECTOR, "#launch button").click()  # type: ignore[attr-defined]
    status = driver.find_element(By.ID, "status")  # type: ignore[attr-defined]
    seen = set()

    def finished() -> bool:
        seen.add(status.text)
        return status.text in ("finished", "failed", "cancelled")

    wait_for(finished)
    assert status.text == "finished", driver.find_element(By.ID, "error").text  # type: ignore[attr-defined]
    return seen


def test_import_run_watch_publish_open_a_grid_and_download_the_ics(
    planner: tuple[str, Flask, object], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.expected_conditions import staleness_of
    from selenium.webdriver.support.ui import WebDriverWait

    base, app, driver = planner

    # import one room from a CSV file
    with app.extensions[KEY].database.transaction() as session:
        from service.storage.records import load_semester

        building = load_semester(session, SEMESTER).rooms[0].building
    rooms = tmp_path / "rooms.csv"
    rooms.write_text(f"name,building,capacity,kind\nBrowser Hall,{building},80,lecture hall\n")
    assert "1 added" in import_table(driver, "rooms", rooms)

    # start a run and watch it finish
    seen = run_to_the_end(driver, "lessons", 4)
    assert seen & {"queued", "running"}  # it was watched on its way
    assert driver.find_element(By.ID, "objective").text.isdigit()  # type: ignore[attr-defined]
    assert not driver.find_element(By.ID, "explanation").is_displayed()  # type: ignore[attr-defined]
    publish = driver.find_element(By.ID, "publish")  # type: ignore[attr-defined]
    assert publish.is_displayed()
    publish.click()
    wait_for(lambda: driver.find_element(By.ID, "published").text == "published", 30)  # type: ignore[attr-defined]

    # a teacher's week grid, then its calendar file
    driver.find_element(By.CSS_SELECTOR, "#teachers a.teacher").click()  # type: ignore[attr-defined]
    grid = driver.find_element(By.ID, "week")  # type: ignore[attr-defined]
    assert grid.find_elements(By.CLASS_NAME, "meeting")
    screenshot(driver, "week-grid.png")
    driver.find_element(By.LINK_TEXT, "ics").click()  # type: ignore[attr-defined]
    downloads: Path = driver.downloads  # type: ignore[attr-defined]
    wait_for(lambda: any(p.suffix == ".ics" for p in downloads.iterdir()), 30)
    calendar = next(p for p in downloads.iterdir() if p.suffix == ".ics")
    assert calendar.read_text().startswith("BEGIN:VCALENDAR")

    # a free room found beside the published timetable, booked, cancelled; and one that cannot be
    driver.find_element(By.LINK_TEXT, "Rooms").click()  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "search")  # type: ignore[attr-defined]
    driver.get(f"{base}/rooms?date=2026-09-08&start=10:00&end=11:30&capacity=20")  # type: ignore[attr-defined]
    first = driver.find_element(By.CSS_SELECTOR, "#offers tr:nth-child(2)")  # type: ignore[attr-defined]
    room = first.find_element(By.TAG_NAME, "td").text
    first.find_element(By.NAME, "purpose").send_keys("browser seminar")
    first.find_element(By.CSS_SELECTOR, "form.book button").click()
    done = driver.find_element(By.CSS_SELECTOR, "[role=status]")  # type: ignore[attr-defined]
    assert done.text == f"Booked {room} on 2026-09-08 10:00-11:30." and "done" in done.get_attribute("class")
    booked = driver.find_element(By.ID, "bookings").text  # type: ignore[attr-defined]
    assert room in booked and "browser seminar" in booked
    screenshot(driver, "rooms.png")
    driver.find_element(By.CSS_SELECTOR, "#bookings form.cancel button").click()  # type: ignore[attr-defined]
    # the page before still says "Booked ...": wait until the one after the cancel replaces it
    WebDriverWait(driver, 30).until(staleness_of(done))
    done = driver.find_element(By.CSS_SELECTOR, "[role=status]")  # type: ignore[attr-defined]
    assert done.text == "Cancelled 1 booking."
    driver.get(f"{base}/rooms?date=2026-09-08&start=10:00&end=11:30&capacity=5000")  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "none").text.startswith("No free room: ")  # type: ignore[attr-defined]


def test_an_impossible_run_shows_why_and_offers_nothing_to_publish(
    planner: tuple[str, Flask, object], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    _, _, driver = planner
    one_sitting = tmp_path / "exam_periods.csv"
    one_sitting.write_text("date,start,minutes\n2026-12-21,09:00,30\n")  # no exam is that short
    assert "1 added" in import_table(driver, "exam_periods", one_sitting)
    seen = run_to_the_end(driver, "exams", 2)
    # the page was drawn before the run ended, so its script (not the server) showed the reasons
    assert seen & {"queued", "running"}
    assert driver.find_element(By.ID, "objective").text == "–"  # type: ignore[attr-defined]
    explanation = driver.find_element(By.ID, "explanation")  # type: ignore[attr-defined]
    assert explanation.is_displayed() and "Why there is no timetable" in explanation.text
    assert "but the longest period (Mon 2026-12-21 at 09:00) is 30 minutes." in explanation.text
    assert not driver.find_element(By.ID, "publish").is_displayed()  # type: ignore[attr-defined]
