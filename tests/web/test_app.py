"""``create_app``: state instead of globals, the OpenAPI document, the public API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

import spinewise.web
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.store import Store
from spinewise.web import app_from_environment, create_app


def test_each_app_keeps_its_own_settings_kb_and_store(
    kb: KnowledgeBase, settings: Settings, web_store: Store
) -> None:
    first = create_app(settings.model_copy(update={"port": 1}), kb=kb, store=web_store)
    second = create_app(settings.model_copy(update={"port": 2}), store=web_store)
    assert first.state.settings.port == 1 and second.state.settings.port == 2
    assert first.state.kb is kb and second.state.kb is not kb
    assert first.state.store is second.state.store is web_store


def test_the_kb_comes_from_the_settings_folder_when_not_given(
    kb: KnowledgeBase, settings: Settings, web_store: Store
) -> None:
    from spinewise.kb import bundled_kb_path

    chosen = settings.model_copy(update={"kb_path": bundled_kb_path()})
    app = create_app(chosen, store=web_store)
    assert app.state.kb.version == kb.version


def test_production_refuses_to_start_without_a_secret() -> None:
    with pytest.raises(ValidationError, match="secret_key"):
        Settings(mode="production")


@pytest.mark.parametrize("secret", ["", "short", "dev-only-secret-change-me", "x" * 31])
def test_a_short_secret_is_refused_in_every_mode(secret: str) -> None:
    for mode in ("development", "production"):
        with pytest.raises(ValidationError, match="secret_key"):
            Settings(mode=mode, secret_key=secret)


def test_no_secret_is_written_in_the_source() -> None:
    import spinewise.config

    assert Settings.model_fields["secret_key"].default is None
    assert not hasattr(spinewise.config, "DEFAULT_SECRET")


def test_a_development_app_makes_its_secret_once_per_database(
    kb: KnowledgeBase, settings: Settings, web_store: Store
) -> None:
    first = create_app(settings, kb=kb, store=web_store)
    second = create_app(settings, kb=kb, store=web_store)
    assert len(first.state.secret) >= 43  # 32 random bytes or more, base64url
    assert first.state.secret == second.state.secret


def test_the_api_is_documented_under_v1_with_the_contract_schemas(
    client: TestClient,
) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    components = schema["components"]["schemas"]
    assert {"Assessment", "Decision", "ErrorBody", "KbInfo", "RuleInfo"} <= set(
        components
    )
    body = schema["paths"]["/api/v1/screen"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Assessment"
    }
    assert "token" in schema["components"]["securitySchemes"]


def test_every_schema_reference_resolves(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    names = set(schema["components"]["schemas"])

    def walk(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                assert ref.removeprefix("#/components/schemas/") in names, ref
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)


def test_there_is_no_swagger_page_that_the_csp_would_break(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def isort_order(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions (ruff's RUF022 order)."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_the_public_names_are_sorted() -> None:
    from spinewise.web import api, pages

    for module in (spinewise.web, api, pages):
        assert module.__all__ == sorted(module.__all__, key=isort_order)


def test_the_app_from_the_environment_signs_users_in_from_the_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SPINEWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    app = app_from_environment()
    assert app.state.store is not None
    with TestClient(app) as client:
        assert client.get("/api/v1/health").json()["ok"] is True
