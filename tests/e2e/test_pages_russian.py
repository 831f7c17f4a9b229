"""The main pages in Russian in a real browser (issue 18), at 390x844 and 1280x800:
each role's pages read in Russian (the browser asks for it), with no English word
outside codes and the demo's own data, no placeholder left unfilled, and nothing that
makes a phone scroll sideways (longer Russian words in a table)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Page
from tests.e2e.conftest import DEMO_PASSWORDS, DESKTOP, PHONE
from tests.web.test_pages_russian import PLACEHOLDER, english_in

from spinewise.services.demo import DEMO_USERS

pytestmark = pytest.mark.e2e
PAGES = {
    "therapist": ("/today", "/patients", "/patients/1", "/patients/2", "/patients/3",
                  "/patients/4", "/screen", "/patients/new", "/kb", "/account",
                  "/outbox", "/questionnaire-texts"),
    "physician": ("/today", "/clearances", "/patients/2", "/patients/2/clearance"),
    "admin": ("/today", "/users", "/erasure", "/account"),
}  # fmt: skip


def demo_data() -> set[str]:
    """The demo's own names and notes (data, not the program's words)."""
    from importlib import resources

    names = {u.display_name for u in DEMO_USERS} | {u.username for u in DEMO_USERS}
    names.add("Spinewise")
    for case in (resources.files("spinewise.services") / "demo").iterdir():
        if case.name.endswith(".yaml"):
            data = yaml.safe_load(case.read_text(encoding="utf-8"))
            names.add(data["patient"]["name"])
            if note := data.get("request_clearance"):
                names.add(note)
    return names


@pytest.fixture(params=["phone", "desktop"])
def russian(
    request: pytest.FixtureRequest, browser: Browser, base_url: str
) -> Iterator[Page]:
    phone = request.param == "phone"
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE if phone else DESKTOP,
        locale="ru-RU",  # Accept-Language: ru (the users chose no language)
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("role", PAGES)
def test_each_roles_pages_read_in_russian_and_fit_a_phone(
    russian: Page, role: str
) -> None:
    russian.goto("/login?next=/today")  # the form in Russian: found by its ids
    russian.fill("#username", role)
    russian.fill("#password", DEMO_PASSWORDS[role])
    russian.click("form button[type=submit]")
    russian.wait_for_url("**/today")
    names, english, wide = demo_data(), {}, []
    for path in PAGES[role]:
        russian.goto(path)
        html = russian.content()
        assert russian.get_attribute("html", "lang") == "ru", path
        assert not PLACEHOLDER.findall(html), (path, PLACEHOLDER.findall(html))
        if found := english_in(html, names):
            english[path] = found
        width = russian.evaluate("document.documentElement.scrollWidth")
        if width > russian.viewport_size["width"]:  # type: ignore[index]
            wide.append((path, width))
    assert english == {}, english
    assert wide == [], wide
