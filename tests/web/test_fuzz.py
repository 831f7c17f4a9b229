"""No input gives a 5xx: hypothesis-generated text (every Unicode category but the
surrogates HTTP cannot carry, huge numbers, odd digits) in every form field of every
page and every field of every API body and query.

The pages' forms are read from the pages themselves (``FormReader``), the API's
fields from its OpenAPI document, so a new form or field is fuzzed without being
listed here. Each test is bounded (a few examples per field, no deadline).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.web.clinic import Clinic

NASTY = st.sampled_from(
    [
        "²",
        "٣",
        "٣٤",
        "\uff11\uff12",  # fullwidth 12
        "99999999999999999999999",
        "-99999999999999999999999",
        "9" * 5000,
        "1e309",
        "NaN",
        "-0",
        "+7",
        " 3 ",
        "0000-00-00",
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "\uff12\uff10\uff12\uff16-01-01",  # fullwidth year
        "\x00",
        "",
        "true",
        "[]",
        "{}",
        "<script>",
    ]
)
TEXT = NASTY | st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class FormReader(HTMLParser):
    """The forms of a page: action, method and each field's current value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get"),
                    "fields": {},
                }
            )
        elif not self.forms:
            return
        fields: dict[str, str] = self.forms[-1]["fields"] if self.forms else {}
        name = a.get("name")
        if tag in ("input", "textarea") and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                fields.setdefault(name, "")
            elif kind not in ("submit", "button"):
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select:
            if not fields.get(self._select) or "selected" in a:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(html: str, page: str) -> list[dict[str, Any]]:
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        form["action"] = form["action"] or page
    return [f for f in reader.forms if f["action"] != "/logout"]


def _pages(clinic: Clinic) -> tuple[dict[str, list[str]], str]:
    plan = clinic.planned()
    p = plan.patient_id
    clinic.fake_texts()
    link = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{p}/questionnaire-links", json={"instrument": "odi"}
    )
    token = re.sub(r"^.*/q/", "", link.json()["url"])
    pages = {
        "therapist_a": [
            "/screen",
            "/patients/new",
            f"/patients/{p}/assessments/new",
            f"/patients/{p}/sessions/new",
            f"/patients/{p}/questionnaires/new",
            f"/patients/{p}/plan",
            f"/patients/{p}/clearance",
            f"/patients/{p}",
        ],
        "physician_a": [f"/patients/{p}/clearance", "/clearances"],
        "admin_a": ["/audit"],
    }
    return pages, f"/q/{token}"


def test_no_page_form_field_gives_a_server_error(clinic: Clinic) -> None:
    pages, questionnaire = _pages(clinic)
    targets = []
    for user, paths in pages.items():
        client = clinic.as_page(user)
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, path
            for form in forms_of(page.text, path):
                for field in form["fields"]:
                    if field != "csrf_token":
                        targets.append((client, form, field))
    anonymous = clinic.anonymous()
    for form in forms_of(anonymous.get(questionnaire).text, questionnaire):
        targets.extend((anonymous, form, field) for field in form["fields"])
    assert len(targets) > 40

    @FUZZ
    @given(st.sampled_from(targets), TEXT)
    def post_one(target: tuple[Any, dict[str, Any], str], text: str) -> None:
        client, form, field = target
        data = {**form["fields"], field: text}
        if form["method"].lower() == "post":
            answer = client.post(form["action"], data=data, follow_redirects=False)
        else:
            answer = client.get(form["action"], params=data)
        assert answer.status_code < 500, (form["action"], field, text[:60])

    post_one()


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    found: Any = document
    for part in ref.removeprefix("#/").split("/"):
        found = found[part]
    return _resolve(found, document)


def _api_targets(
    document: dict[str, Any], patient: int
) -> list[tuple[str, str, str, str]]:
    """(method, path, where, field) of every body and query field of the API."""
    targets = []
    for template, operations in document["paths"].items():
        path = re.sub(r"\{[a-z_]+\}", str(patient), template)
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = parameter["in"]
                if where in ("query", "path"):
                    targets.append((method, template, where, parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {})
            schema = body.get("application/json", {}).get("schema")
            if schema is None:
                continue
            properties = _resolve(schema, document).get("properties", {})
            targets.extend((method, path, "body", name) for name in properties)
    return targets


def test_no_api_field_gives_a_server_error(clinic: Clinic) -> None:
    plan = clinic.planned()
    api = clinic.as_api("therapist_a")
    document = api.get("/api/v1/openapi.json").json()
    targets = _api_targets(document, plan.patient_id)
    assert len(targets) > 30

    @FUZZ
    @given(
        st.sampled_from(targets),
        TEXT
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.none(),
    )
    def send_one(target: tuple[str, str, str, str], value: Any) -> None:
        method, path, where, field = target
        if where == "path":
            text = quote(str(value), safe="") or "x"
            path = path.replace("{" + field + "}", text)
        path = re.sub(r"\{[a-z_]+\}", str(plan.patient_id), path)
        query = {field: str(value)} if where == "query" else None
        body = {field: value} if where == "body" else None
        answer = api.request(method.upper(), path, params=query, json=body)
        assert answer.status_code < 500, (method, path, field, repr(value)[:60])

    send_one()


def test_hostile_json_bodies_are_client_errors(clinic: Clinic) -> None:
    api = clinic.as_api("therapist_a")
    headers = {"content-type": "application/json"}
    for body in ("[" * 400_000 + "]" * 400_000, '{"age": ' + "9" * 5000 + "}"):
        answer = api.post("/api/v1/screen", content=body, headers=headers)
        assert 400 <= answer.status_code < 500, answer.text[:200]


def test_the_reported_inputs_are_field_errors_not_server_errors(clinic: Clinic) -> None:
    pages, questionnaire = _pages(clinic)
    therapist = clinic.as_page("therapist_a")
    sessions = next(p for p in pages["therapist_a"] if p.endswith("/sessions/new"))
    assert therapist.get(sessions, params={"number": "٣"}).status_code == 200
    forms = forms_of(therapist.get(sessions).text, sessions)
    form = next(f for f in forms if f["method"].lower() == "post")
    for bad in ("²", "٣"):
        data = {**form["fields"], "session_number": bad, "pain_nrs_before": bad}
        assert therapist.post(sessions, data=data).status_code == 422
    anonymous = clinic.anonymous()
    form = forms_of(anonymous.get(questionnaire).text, questionnaire)[0]
    answered = anonymous.post(questionnaire, data={**form["fields"], "answers[0]": "²"})
    assert answered.status_code == 422 and "digits 0-9" in answered.text
    admin = clinic.as_page("admin_a")
    audit = admin.get("/audit", params={"patient_id": "99999999999999999999999"})
    assert audit.status_code == 422 and "must be between" in audit.text
