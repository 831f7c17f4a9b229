"""Every page in Russian: the route walk of the access tests, each page fetched with a
Russian browser, and no visible text left in English or with a placeholder unfilled.

A text node passes when it holds no English word: words of two or more lower-case
Latin letters are English, except the proper nouns, abbreviations and test-data names
allowed below. Codes are not words: ``<code>``, elements marked ``translate="no"``
(an audit entry's interface and details), a snake_case code and the contract values a
rule's condition compares with (``= worsening``) stay as they are; text marked as
another language (``lang="en"``: a source's citation as published) is the reader's
to know. A plan's steps, zones, measures and body chart are composed in the page's
language from the stored plan's data, so nothing of the plan page is marked English.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from tests.web.clinic import Clinic
from tests.web.test_pages_access import PUBLIC, concrete, page_routes

from spinewise import services

RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9"}
# Proper nouns, product and standard names, units and formats that Russian text keeps.
ALLOWED = {
    "Spinewise", "STarT", "Back", "Markdown", "Keele", "Oswestry", "Roland", "Morris",
    "Furlan", "Gross",  # authors of the reviews the KB cites
}  # fmt: skip
WORD = re.compile(r"[A-Za-z_]*[a-z]{2,}[A-Za-z_]*")
COMPARED = re.compile(r"(?:=|≠|одно из:) [a-z_]+(?:, [a-z_]+)*")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
SKIPPED = {"code", "script", "style", "svg", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID |= {"source", "track", "wbr"}
TAG = re.compile(r"<[^>]+>")
DOUBLED_STOP = re.compile(r"\u0433\.\.(?!\.)")
"""A Russian date that ends a sentence (its year abbreviated) takes no second stop."""
READ_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")


class VisibleText(HTMLParser):
    """The text a reader sees or hears (and the attributes read aloud), without
    codes or text marked as another language or not to translate."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content skipped?
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        skip = (
            tag in SKIPPED
            or found.get("translate") == "no"
            or found.get("lang", "ru") not in ("ru", None)
            or found.get("aria-hidden") == "true"
        )
        if not self._skipping() and not skip:
            self.texts += [found[a] or "" for a in READ_ATTRIBUTES if found.get(a)]
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.texts.append(" ".join(data.split()))


def english_in(html: str, names: set[str]) -> list[str]:
    """The texts of the page that still hold an English word once the test data's
    own names (``names``: whole names, not words) are taken out."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        rest = text
        for name in sorted(names, key=len, reverse=True):
            rest = rest.replace(name, " ")
        rest = COMPARED.sub(" ", rest)
        words = [w for w in WORD.findall(rest) if "_" not in w]
        if any(word not in ALLOWED for word in words):
            found.append(text)
    return found


@pytest.fixture
def records(clinic: Clinic) -> dict[str, str]:
    """One Russian-speaking patient with every kind of record a page shows: a
    decision, a clearance, an active plan with a signed session note, and a
    questionnaire link (the patient's language: the Russian pain scale)."""
    plan = clinic.planned()
    clinic.session(plan)
    therapist = clinic.actor("therapist_a")
    status = services.patient_status(clinic.store, therapist, plan.patient_id)
    services.set_patient_contact(
        clinic.store, therapist, plan.patient_id, email=None, language="ru"
    )
    link = services.create_questionnaire_link(
        clinic.store, therapist, plan.patient_id, "nrs",
        secret=clinic.app.state.secret, valid_days=14,
    )  # fmt: skip
    return {
        "patient_id": str(plan.patient_id),
        "plan_id": str(plan.id),
        "decision_id": str(status.decision_id),
        "assessment_id": str(status.assessment_id),
        "instrument": "nrs",
        "token": link.token,
    }


def _names(clinic: Clinic) -> set[str]:
    """The test data's own names (users, usernames, the patient): not English."""
    names = {"Ann Lee", "testclient", "fine"}  # typed by the test users
    for admin in ("admin_a", "admin_b"):
        for user in services.list_users(clinic.store, clinic.actor(admin)):
            names |= {user.username, user.display_name}
    return names


def _walk(clinic: Clinic, name: str, ids: dict[str, str]) -> dict[str, str]:
    """The HTML of every page ``name`` may open, by path, fetched in Russian."""
    page = clinic.as_page(name)
    pages: dict[str, str] = {}
    for path, methods in page_routes(clinic):
        if "GET" not in methods:
            continue
        response = page.get(concrete(path, ids), headers=RUSSIAN)
        if response.status_code == 200 and "text/html" in response.headers.get(
            "content-type", ""
        ):
            assert response.headers["content-language"] == "ru", path
            pages[path] = response.text
    return pages


def test_every_signed_in_page_is_in_russian(
    clinic: Clinic, records: dict[str, str]
) -> None:
    names = _names(clinic)
    walked: dict[str, str] = {}
    english: dict[str, list[str]] = {}
    for name in ("therapist_a", "physician_a", "admin_a"):
        for path, html in _walk(clinic, name, records).items():
            assert '<html lang="ru">' in html, path
            assert not PLACEHOLDER.findall(html), (
                name,
                path,
                PLACEHOLDER.findall(html),
            )
            assert not DOUBLED_STOP.search(TAG.sub("", html)), (name, path)
            if found := english_in(html, names):
                english[f"{name} {path}"] = found
            walked[path] = name
    assert english == {}, json.dumps(english, ensure_ascii=False, indent=1)
    assert len(walked) >= 25


def test_every_public_page_is_in_russian(
    clinic: Clinic, records: dict[str, str]
) -> None:
    anonymous = clinic.anonymous()
    public = [p for p in PUBLIC if not p.startswith(("/fhir", "/logout"))]
    for path in public:
        response = anonymous.get(concrete(path, records), headers=RUSSIAN)
        assert response.headers["content-language"] == "ru", path
        assert not PLACEHOLDER.findall(response.text), path
        assert english_in(response.text, {"Ann Lee"}) == [], path


def test_a_patients_page_speaks_the_patients_language_not_the_browsers(
    clinic: Clinic, records: dict[str, str]
) -> None:
    page = clinic.anonymous().get(
        f"/q/{records['token']}", headers={"Accept-Language": "en"}
    )
    assert page.headers["content-language"] == "ru"
    assert "Числовая рейтинговая шкала боли" in page.text
    assert "Отправить ответы" in page.text


class ListItems(HTMLParser):
    """The text of each ``<li>`` inside the lists of a given class."""

    def __init__(self, cls: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cls, self.depth, self.items = cls, 0, []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ol" and dict(attrs).get("class") == self.cls:
            self.depth += 1
        elif tag == "li" and self.depth:
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.items:
            self.items[-1] += data


def test_the_plan_page_says_where_every_step_works_in_russian(
    clinic: Clinic, records: dict[str, str]
) -> None:
    page = clinic.as_page("therapist_a")
    html = page.get(f"/patients/{records['patient_id']}/plan", headers=RUSSIAN).text
    steps = ListItems("steps")
    steps.feed(html)
    assert steps.items, "the plan page lists its sessions' steps"
    assert [s for s in steps.items if english_in(f"<p>{s}</p>", set())] == []
    assert 'lang="en"' not in html
    assert "паравертебральные мышцы" in html
    assert "никогда не воздействовать на зону: паравертебральные мышцы" in html
    assert "Боль по ЧРШ (0\u201310) до и после сеанса" in html


def test_the_plan_pages_body_chart_is_in_russian(
    clinic: Clinic, records: dict[str, str]
) -> None:
    path = f"/patients/{records['patient_id']}/plans/{records['plan_id']}"
    chart = clinic.as_page("therapist_a").get(f"{path}/body-chart.svg", headers=RUSSIAN)
    assert chart.headers["content-language"] == "ru"
    words = re.findall(r"<(?:title|desc|tspan|text)[^>]*>([^<]+)<", chart.text)
    assert "Спина, вид сзади, позвоночник от C1 до S5." in chart.text
    assert [w for w in words if english_in(f"<p>{w}</p>", set())] == []
