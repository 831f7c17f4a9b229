"""The pages: sign-in, quick screen with its decision, knowledge base (no browser)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.web.accounts import PASSWORD
from tests.web.conftest import csrf_of, sign_in
from tests.web.html import read

from spinewise.kb import KnowledgeBase, render_clinical_basis
from spinewise.web.intake import intake_questions

CLEAN = {
    "assessed_on": "2026-11-24",
    "patient.age": "46",
    "hernia.region": "lumbar",
    "hernia.levels": "L4-L5",
    "hernia.morphology": "protrusion",
    "hernia.imaging": "mri",
    "symptoms.onset_date": "2026-09-01",
    "symptoms.pain_nrs": "3",
}


def clean_form(**answers: str) -> dict[str, str]:
    """Required answers and "no" to every yes / no / unknown question."""
    form = dict(CLEAN)
    form.update({p: "no" for p, q in intake_questions().items() if q.control == "tri"})
    form.update({k.replace("__", "."): v for k, v in answers.items()})
    return form


def submit(user: TestClient, form: dict[str, str]) -> tuple[int, str]:
    token = csrf_of(user.get("/screen").text)
    response = user.post("/screen", data={**form, "csrf_token": token})
    return response.status_code, response.text


def assert_well_formed(html: str) -> None:
    """One h1 first, no skipped heading level, a label for every control."""
    page = read(html)
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    assert not page.unlabelled(), page.unlabelled()
    assert len(page.ids) == len(set(page.ids)), "ids must be unique"
    assert page.title.endswith(" · Spinewise")


def test_the_start_page_asks_to_sign_in_and_then_opens_the_roles_start_page(
    client: TestClient,
) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    response = client.get("/screen", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/screen"
    sign_in(client, "alice")
    assert client.get("/", follow_redirects=False).headers["location"] == "/patients"
    client.cookies.clear()
    sign_in(client, "dana")
    assert client.get("/", follow_redirects=False).headers["location"] == "/audit"


def test_the_login_page_is_well_formed(client: TestClient) -> None:
    response = client.get("/login")
    assert_well_formed(response.text)
    assert read(response.text).title == "Sign in · Spinewise"


def test_a_wrong_password_is_refused_without_saying_which_part(
    client: TestClient,
) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "alice", "password": "no", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "The username or the password is not right." in response.text
    assert 'value="alice"' in response.text
    assert read(response.text).title == "Error: Sign in · Spinewise"


def test_signing_in_goes_to_the_page_asked_for(client: TestClient) -> None:
    page = client.get("/login?next=/kb")
    data = {"username": "bob", "password": PASSWORD, "csrf_token": csrf_of(page.text),
            "next": "/kb"}  # fmt: skip
    response = client.post("/login", data=data, follow_redirects=False)
    assert response.headers["location"] == "/kb"
    assert client.get("/login", follow_redirects=False).status_code == 303


def test_the_intake_form_is_well_formed_and_asks_every_question(
    user: TestClient,
) -> None:
    html = user.get("/screen").text
    assert_well_formed(html)
    page = read(html)
    for question in intake_questions().values():
        assert question.anchor in page.ids, question.path
    radios = [c for c in page.controls if c.attrs.get("type") == "radio"]
    tri = [q for q in intake_questions().values() if q.control == "tri"]
    assert len(radios) == 3 * len(tri)
    assert not any("checked" in r.attrs for r in radios), "no answer is preselected"


def test_the_signed_in_user_and_the_current_page_show_in_the_navigation(
    user: TestClient,
) -> None:
    html = user.get("/screen").text
    assert "Alice Therapist" in html
    assert '<a href="/screen" aria-current="page">Quick screen</a>' in html


def test_a_red_flag_gives_an_urgent_referral_decision_page(user: TestClient) -> None:
    status, html = submit(user, clean_form(red_flags__saddle_anaesthesia="yes"))
    assert status == 200
    assert "Verdict: <strong>Urgent referral</strong>" in html
    assert 'href="/kb#rule-RF-CES-01"' in html
    assert "Source <cite>GIRFT-CES-2023</cite>" in html
    assert html.count('class="card tone-danger"') == 3
    assert read(html).title == "Urgent referral · Quick screen · Spinewise"
    assert_well_formed(html)


def test_a_temporary_contraindication_says_when_to_screen_again(
    user: TestClient,
) -> None:
    status, html = submit(user, clean_form(red_flags__fever="yes"))
    assert status == 200
    assert "Verdict: <strong>Not now</strong>" in html
    day = '<time datetime="2026-12-01">1 Dec 2026</time>'
    assert f"Screen again on or after <strong>{day}</strong>" in html


def test_missing_answers_link_to_their_questions_on_the_same_page(
    user: TestClient,
) -> None:
    form = clean_form()
    del form["red_flags.fever"]
    form["history.osteoporosis"] = "unknown"
    status, html = submit(user, form)
    assert status == 200
    assert "Verdict: <strong>Incomplete</strong>" in html
    page = read(html)
    missing = [link for link in page.links if link.startswith("#field-")]
    assert "#field-red_flags-fever" in missing
    for link in missing:
        assert link[1:] in page.ids


def test_a_failed_submit_keeps_every_answer_and_puts_the_error_by_its_field(
    user: TestClient,
) -> None:
    form = clean_form(patient__age="130", red_flags__fever="yes")
    form["hernia.levels"] = "T4-T5"
    form["medications.analgesics"] = "ibuprofen"
    status, html = submit(user, form)
    assert status == 422
    assert "2 answers need fixing" in html
    assert 'id="field-patient-age-error"' in html
    assert 'id="field-hernia-levels-error"' in html
    assert 'value="130"' in html and 'aria-invalid="true"' in html
    assert 'name="red_flags.fever" value="yes" checked' in html
    assert 'name="hernia.levels" value="T4-T5" checked' in html
    assert 'value="ibuprofen"' in html
    assert read(html).title == "Error: Quick screen · Spinewise"
    assert_well_formed(html)


def test_a_cross_field_error_lands_on_the_field_it_names(user: TestClient) -> None:
    form = clean_form()
    form["assessed_on"] = "2026-01-01"
    status, html = submit(user, form)
    assert status == 422
    assert re.search(r"Start of the current episode: [^<]*after assessed_on", html)


def test_the_kb_page_shows_the_version_and_every_rule_with_its_source(
    user: TestClient, kb: KnowledgeBase
) -> None:
    html = user.get("/kb").text
    page = read(html)
    assert kb.version in page.title
    for rule in kb.rules:
        assert f"rule-{rule.id}" in page.ids
        assert f'href="#source-{rule.source}"' in html
    assert_well_formed(html)
    assert "red_flags.saddle_anaesthesia" not in html
    assert "\u201cSaddle anaesthesia (numbness between the legs)\u201d" in html


def test_the_clinical_basis_document_downloads_as_markdown(
    user: TestClient, kb: KnowledgeBase
) -> None:
    response = user.get("/kb/clinical-basis.md")
    assert response.headers["content-type"].startswith("text/markdown")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text == render_clinical_basis(kb)


@pytest.mark.parametrize("path", ["/kb", "/kb/clinical-basis.md", "/screen"])
def test_pages_need_a_signed_in_user(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


def test_an_unknown_page_is_a_404_page(user: TestClient) -> None:
    response = user.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in read(response.text).title
