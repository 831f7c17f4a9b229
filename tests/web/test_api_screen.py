"""``POST /api/v1/screen``: the contract's decision, field-named 422s, no storage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.conftest import CASE_FILES
from tests.factories import assessment_data

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, parse_model
from spinewise.screening import screen


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_the_api_decision_is_the_engines_decision_for_every_example(
    api: TestClient, kb: KnowledgeBase, path: Path
) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    response = api.post("/api/v1/screen", content=json.dumps(data, default=str))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    expected = screen(parse_model(Assessment, data), kb).to_contract()
    assert response.json() == expected


def test_a_red_flag_gives_urgent_referral_with_every_modality_contraindicated(
    api: TestClient,
) -> None:
    body = assessment_data(red_flags={"saddle_anaesthesia": True})
    decision = api.post("/api/v1/screen", json=body).json()
    assert decision["schema"] == "spinewise.decision/1"
    assert decision["verdict"] == "urgent_referral"
    assert {m["status"] for m in decision["modalities"].values()} == {"contraindicated"}
    assert decision["findings"][0]["rule"] == "RF-CES-01"


def test_a_nonspecific_assessment_is_screened_under_its_profile(
    api: TestClient,
) -> None:
    body = assessment_data(
        condition={"profile": "nonspecific_back_pain", "region": "lumbar"}
    )
    del body["hernia"]
    decision = api.post("/api/v1/screen", json=body).json()
    assert decision["profile"] == "nonspecific_back_pain"
    assert "IN-CUR-02" in [f["rule"] for f in decision["findings"]]


@pytest.mark.parametrize(
    ("condition", "with_hernia", "field"),
    [
        ({"profile": "nonspecific_back_pain", "region": "lumbar"}, True, "hernia"),
        ({"profile": "nonspecific_back_pain"}, False, "condition.region"),
        ({"profile": "whiplash"}, True, "condition.profile"),
        ({"region": "thoracic"}, True, "condition.region"),
    ],
    ids=["hernia-block", "no-region", "unknown-profile", "region-contradicts"],
)
def test_an_invalid_condition_is_a_422_naming_the_field(
    api: TestClient, condition: dict[str, object], with_hernia: bool, field: str
) -> None:
    body = assessment_data(condition=condition)
    if not with_hernia:
        del body["hernia"]
    response = api.post("/api/v1/screen", json=body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_null_red_flag_is_unknown_and_listed_as_missing(api: TestClient) -> None:
    body = assessment_data(red_flags={"bowel_dysfunction": None})
    decision = api.post("/api/v1/screen", json=body).json()
    assert decision["verdict"] == "incomplete"
    assert "red_flags.bowel_dysfunction" in decision["missing"]


def test_every_invalid_field_is_named_in_one_422(api: TestClient) -> None:
    body = assessment_data(
        patient={"age": 130},
        hernia={"levels": ["T4-T5"]},
        red_flags={"fever": "maybe"},
    )
    response = api.post("/api/v1/screen", json=body)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"patient.age", "hernia.levels[0]", "red_flags.fever"}
    assert "not a lumbar level" in errors["hernia.levels[0]"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"clearance": {"valid_until": 0}}, "clearance.valid_until"),
        ({"red_flags": {"fever": "no"}}, "red_flags.fever"),
        ({"symptoms": {"pain_nrs": 3.5}}, "symptoms.pain_nrs"),
        ({"symptoms": {"onset_date": "2026-12-01"}}, "symptoms.onset_date"),
        ({"hernia": {"levels": []}}, "hernia.levels"),
        ({"extra": 1}, "extra"),
        ({"schema": "spinewise.assessment/2"}, "schema"),
    ],
    ids=["number-as-date", "word-as-answer", "fraction", "onset-after", "no-level",
         "unknown-field", "unknown-schema"],
)  # fmt: skip
def test_strict_json_refuses_what_the_contract_does_not_allow(
    api: TestClient, override: dict[str, object], field: str
) -> None:
    response = api.post("/api/v1/screen", json=assessment_data(**override))
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_missing_required_field_is_named(api: TestClient) -> None:
    body = assessment_data()
    del body["symptoms"]["pain_nrs"]
    response = api.post("/api/v1/screen", json=body)
    assert response.json()["errors"] == [
        {"field": "symptoms.pain_nrs", "message": "required; this field must be given"}
    ]


@pytest.mark.parametrize("body", [b"", b"{not json", b"[1, 2]", b"null", b'"text"'])
def test_a_body_that_is_not_an_assessment_document_is_a_422_on_the_document(
    api: TestClient, body: bytes
) -> None:
    response = api.post(
        "/api/v1/screen", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["(document)"]


def test_an_error_message_never_echoes_a_huge_input(api: TestClient) -> None:
    response = api.post("/api/v1/screen", json=list(range(10_000)))
    assert response.status_code == 422
    assert len(response.json()["errors"][0]["message"]) <= 300


def test_a_body_over_the_limit_is_refused_with_413(api: TestClient) -> None:
    body = b'{"x": "' + b"a" * 1_100_000 + b'"}'
    response = api.post("/api/v1/screen", content=body)
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_screening_needs_an_api_token(client: TestClient) -> None:
    response = client.post("/api/v1/screen", json=assessment_data())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_unknown_token_is_refused(client: TestClient) -> None:
    headers = {"Authorization": "Bearer not-a-token"}
    response = client.post("/api/v1/screen", json=assessment_data(), headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "the API token is not valid"


def test_the_session_cookie_is_not_an_api_credential(user: TestClient) -> None:
    response = user.post("/api/v1/screen", json=assessment_data())
    assert response.status_code == 401
