"""Response models of the JSON API (documentation and contract of its answers)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from spinewise.kb import KnowledgeBase, Rule
from spinewise.models import Modality, Severity
from spinewise.screening import ENGINE_VERSION
from spinewise.web.errors import ErrorBody


class Health(BaseModel):
    ok: bool = True
    version: str = Field(description="Spinewise version")
    kb_version: str
    engine_version: str
    database: str = Field(description="sqlite or postgresql")
    schema_revision: str | None = Field(
        default=None, description="the database's schema revision (None: unreachable)"
    )
    schema_current: bool = Field(
        default=False, description="the schema is the one this version needs"
    )


class SourceInfo(BaseModel):
    id: str
    citation: str
    url: str | None = None
    unconfirmed: bool = Field(
        default=False, description="some details of the source are not yet confirmed"
    )


class RuleInfo(BaseModel):
    id: str = Field(examples=["RF-CES-01"])
    severity: Severity
    modalities: list[Modality] = Field(description="the modalities the rule touches")
    all_modalities: bool
    temporary: bool
    message: str = Field(description="what the clinician is told when the rule fires")
    condition: str = Field(description="when the rule applies, in words")
    rescreen_after: str | None = Field(
        default=None, description="days until re-screening, in words (temporary rules)"
    )
    source: SourceInfo


class KbInfo(BaseModel):
    version: str
    engine_version: str
    total: int
    counts: dict[Severity, int]
    rules: list[RuleInfo]
    sources: list[SourceInfo]


def source_info(kb: KnowledgeBase, source_id: str) -> SourceInfo:
    source = kb.sources[source_id]
    return SourceInfo(
        id=source.id,
        citation=source.citation,
        url=source.url,
        unconfirmed=source.unconfirmed,
    )


def rule_info(kb: KnowledgeBase, rule: Rule) -> RuleInfo:
    return RuleInfo(
        id=rule.id,
        severity=rule.severity,
        modalities=list(rule.targets),
        all_modalities=rule.modalities == "all",
        temporary=rule.temporary,
        message=rule.message,
        condition=rule.when.describe(),
        rescreen_after=rule.rescreen_after.describe() if rule.rescreen_after else None,
        source=source_info(kb, rule.source),
    )


def kb_info(kb: KnowledgeBase) -> KbInfo:
    return KbInfo(
        version=kb.version,
        engine_version=ENGINE_VERSION,
        total=len(kb.rules),
        counts=kb.counts_by_severity(),
        rules=[rule_info(kb, r) for r in kb.rules],
        sources=[source_info(kb, s) for s in kb.sources],
    )


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers a route may give (one shape for all)."""
    described = {
        401: "No valid API token (send `Authorization: Bearer <token>`)",
        403: "The token's role may not do this",
        404: "No such record (or another clinic's)",
        409: "Conflicts with the current state",
        413: "The request body is too large",
        422: "Invalid input; `errors` names every field",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}
