"""Browser tests: Playwright driving Debian's Chromium against a live uvicorn server.

Chromium is ``/usr/bin/chromium`` (``playwright install`` cannot download here). Under
``CI=true`` a missing Chromium fails the run; elsewhere the browser tests are skipped.
Screenshots go to ``test-output/screenshots/`` (git-ignored); ``axe-core`` checks each
main page for serious or critical accessibility violations.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page
from tests.pg import PASSWORD, seed_world

from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import seed_demo
from spinewise.store import open_store, upgrade
from spinewise.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Launch Debian's Chromium (skip without it, except under CI=true)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {"executable_path": str(CHROMIUM), "args": LAUNCH_ARGS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


DEMO_PASSWORDS: dict[str, str] = {}  # the demo's random passwords, set by live_server


@pytest.fixture(scope="session")
def live_server(
    kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real app on a free port, served by uvicorn in a daemon thread.

    Its SQLite database holds the test world (clinics A and B, each with a
    therapist, a physician and an admin; password ``PASSWORD``) and the demo clinic
    (its users' random passwords in ``DEMO_PASSWORDS``).
    """
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'e2e.sqlite3'}"
    store = open_store(url)
    upgrade(store)
    seed_world(store)
    DEMO_PASSWORDS.update(seed_demo(store, kb).passwords)
    settings = Settings(database_url=url)
    app = create_app(settings, kb=kb, store=store)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)
    store.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


def _new_context(browser: Browser, base_url: str, phone: bool) -> BrowserContext:
    if phone:
        return browser.new_context(
            base_url=base_url, viewport=PHONE, is_mobile=True, has_touch=True
        )
    return browser.new_context(base_url=base_url, viewport=DESKTOP)


def _watched(context: BrowserContext) -> Iterator[Page]:
    """A page whose console errors (CSP violations above all) fail the test.

    "Failed to load resource" is Chromium noting a 4xx answer, which some tests expect.
    """
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture
def desktop(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from _watched(_new_context(browser, base_url, phone=False))


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from _watched(_new_context(browser, base_url, phone=True))


@pytest.fixture
def open_page(browser: Browser, base_url: str) -> Iterator[Callable[..., Page]]:
    """Pages in contexts of their own (one per user: a therapist, a physician, the
    patient's phone); console errors of any of them fail the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make(*, phone: bool = False) -> Page:
        context = _new_context(browser, base_url, phone)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error"
                and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"browser console errors: {errors}"


def sign_in(
    page: Page,
    username: str = "therapist-a",
    then: str = "/screen",
    password: str = PASSWORD,
) -> None:
    """Sign in through the login form, going on to ``then``."""
    page.goto(f"/login?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{then}")


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = Axe().run(page)
    blocking = [
        v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, results.generate_report()
