"""The official FHIR R4 JSON schema (tests/data/fhir-schema, see its README) as a
validator: a document either passes, or each failing resource is named."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA = Path(__file__).parent / "data" / "fhir-schema" / "fhir.schema.json.gz"


@cache
def _schema() -> dict[str, Any]:
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@cache
def _validator(definition: str | None = None) -> Any:
    schema = _schema()
    if definition is not None:
        schema = {
            "$schema": schema["$schema"],
            "definitions": schema["definitions"],
            "$ref": f"#/definitions/{definition}",
        }
    return jsonschema_rs.Draft6Validator(schema)


def schema_problems(resource: dict[str, Any]) -> list[str]:
    """Nothing when ``resource`` passes the official R4 schema; else, per failing
    resource (a Bundle's entries one by one), its errors with their paths."""
    if _validator().is_valid(resource):
        return []
    resources = []
    if resource.get("resourceType") == "Bundle":
        resources = [
            (f"entry[{i}].resource.", e["resource"])
            for i, e in enumerate(resource.get("entry", []))
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
        ]
    problems: list[str] = []
    for where, item in resources:
        kind = str(item.get("resourceType"))
        if kind not in _schema()["definitions"]:
            problems.append(f"{where}resourceType: unknown {kind!r}")
            continue
        for error in _validator(kind).iter_errors(item):
            path = ".".join(str(p) for p in error.instance_path)
            problems.append(f"{where}{path}: {error.message[:200]}")
    if problems:
        return problems
    kind = str(resource.get("resourceType"))
    if kind not in _schema()["definitions"]:
        return [f"resourceType: unknown {kind!r}"]
    return [
        f"{'.'.join(str(p) for p in e.instance_path)}: {e.message[:200]}"
        for e in _validator(kind).iter_errors(resource)
    ] or ["the document fails the schema"]
