"""``POST /api/v1/screen`` in another language: ``?lang=`` or Accept-Language; an
unknown language is answered in English and says so; without either, nothing changes."""

from __future__ import annotations

import json

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.conftest import CASES

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, parse_model
from spinewise.screening import decision_document, screen

CAUDA = yaml.safe_load((CASES / "03-cauda-equina.yaml").read_text(encoding="utf-8"))
BODY = json.dumps(CAUDA, default=str)


def post(
    api: TestClient, query: str = "", **headers: str
) -> tuple[int, dict[str, object], str]:
    response = api.post(f"/api/v1/screen{query}", content=BODY, headers=headers)
    return (
        response.status_code,
        response.json(),
        response.headers.get("content-language", ""),
    )


def test_lang_ru_gives_the_russian_words_and_the_same_codes(
    api: TestClient, kb: KnowledgeBase
) -> None:
    status, document, language = post(api, "?lang=ru")
    assert status == 200 and language == "ru"
    decision = screen(parse_model(Assessment, CAUDA), kb)
    assert document == decision_document(decision, kb, "ru")
    assert document["lang"] == "ru" and document["verdict"] == "urgent_referral"
    assert str(document["summary"]).startswith("Симптом опасности (RF-CES-01")


@pytest.mark.parametrize(
    "header", ["ru-RU,ru;q=0.9,en;q=0.8", "de;q=0.9, ru;q=0.5", "RU"]
)
def test_accept_language_chooses_russian(api: TestClient, header: str) -> None:
    status, document, _ = post(api, **{"Accept-Language": header})
    assert status == 200 and document["lang"] == "ru"
    assert "lang_warning" not in document


def test_lang_wins_over_accept_language(api: TestClient) -> None:
    _, document, _ = post(api, "?lang=en", **{"Accept-Language": "ru"})
    assert document["lang"] == "en"
    assert str(document["summary"]).startswith("Red flag (RF-CES-01")


@pytest.mark.parametrize("query", ["?lang=xx", "?lang=" + "z" * 500, "?lang="])
def test_an_unknown_lang_falls_back_to_english_and_says_so(
    api: TestClient, kb: KnowledgeBase, query: str
) -> None:
    status, document, language = post(api, query)
    assert status == 200 and language == "en"
    warning = str(document.pop("lang_warning"))
    assert warning.startswith("lang: unknown language") and len(warning) < 120
    assert "(known: en, ru); answered in English" in warning
    decision = screen(parse_model(Assessment, CAUDA), kb)
    assert document == {**decision.to_contract(), "lang": "en"}


def test_an_accept_language_we_do_not_offer_is_english_with_a_warning(
    api: TestClient,
) -> None:
    _, document, _ = post(api, **{"Accept-Language": "de-DE,fr;q=0.5"})
    assert document["lang"] == "en"
    assert "Accept-Language: none of its languages is offered" in str(
        document["lang_warning"]
    )


def test_without_a_language_the_answer_is_the_contract_json_unchanged(
    api: TestClient, kb: KnowledgeBase
) -> None:
    response = api.post("/api/v1/screen", content=BODY)
    decision = screen(parse_model(Assessment, CAUDA), kb)
    assert response.content == decision.__pydantic_serializer__.to_json(
        decision, by_alias=True
    )
    assert "content-language" not in response.headers


def test_the_schema_documents_lang(api: TestClient) -> None:
    schema = api.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/screen"]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["lang"]
    properties = schema["components"]["schemas"]["ScreenedDecision"]["properties"]
    assert {"lang", "lang_warning", "summary"} <= set(properties)
