"""The knowledge base and health endpoints of the JSON API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from spinewise.kb import KnowledgeBase, render_clinical_basis
from spinewise.screening import ENGINE_VERSION
from spinewise.store import head_revision


def test_health_needs_no_token_and_names_the_versions_and_the_database(
    client: TestClient, kb: KnowledgeBase
) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "version": "0.1.0",
        "kb_version": kb.version,
        "engine_version": ENGINE_VERSION,
        "database": "sqlite",
        "schema_revision": head_revision(),
        "schema_current": True,
    }


def test_the_kb_lists_every_rule_with_its_resolved_source(
    api: TestClient, kb: KnowledgeBase
) -> None:
    info = api.get("/api/v1/kb").json()
    assert info["version"] == kb.version
    assert info["total"] == len(kb.rules) == sum(info["counts"].values())
    assert [r["id"] for r in info["rules"]] == [r.id for r in kb.rules]
    for rule in info["rules"]:
        assert rule["source"]["citation"] == kb.sources[rule["source"]["id"]].citation
        assert rule["condition"]
    assert {s["id"] for s in info["sources"]} == set(kb.sources)


def test_one_rule_reads_as_its_row_in_the_kb(
    api: TestClient, kb: KnowledgeBase
) -> None:
    rule = api.get("/api/v1/kb/rules/DF-ACU-01").json()
    assert rule["severity"] == "defer"
    assert rule["temporary"] is True
    assert rule["all_modalities"] is True
    assert rule["rescreen_after"]
    assert rule["message"] == kb.rule("DF-ACU-01").message


def test_an_unknown_rule_is_404(api: TestClient) -> None:
    response = api.get("/api/v1/kb/rules/XX-NOP-99")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "status": 404,
        "error": "rule XX-NOP-99 not found",
        "errors": [],
    }


def test_the_clinical_basis_is_the_kb_document(
    api: TestClient, kb: KnowledgeBase
) -> None:
    response = api.get("/api/v1/kb/clinical-basis")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text == render_clinical_basis(kb)


def test_the_kb_endpoints_need_a_token(client: TestClient) -> None:
    for path in (
        "/api/v1/kb",
        "/api/v1/kb/rules/RF-CES-01",
        "/api/v1/kb/clinical-basis",
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json()["status"] == 401
