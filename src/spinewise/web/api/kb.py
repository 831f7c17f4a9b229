"""The knowledge base in force: version, rule counts, rules with their sources."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from spinewise.errors import N_, NotFoundError
from spinewise.kb import render_clinical_basis
from spinewise.web.api.schemas import (
    KbInfo,
    RuleInfo,
    error_responses,
    kb_info,
    rule_info,
)
from spinewise.web.deps import ApiUser, KbDep

router = APIRouter(prefix="/kb", tags=["knowledge base"])


@router.get(
    "",
    summary="Version, counts by severity, every rule with its source",
    responses=error_responses(401),
)
def read_kb(kb: KbDep, _user: ApiUser) -> KbInfo:
    return kb_info(kb)


@router.get(
    "/rules/{rule_id}",
    summary="One rule with its source",
    responses=error_responses(401, 404),
)
def read_rule(rule_id: str, kb: KbDep, _user: ApiUser) -> RuleInfo:
    try:
        rule = kb.rule(rule_id)
    except KeyError:
        raise NotFoundError(N_("rule"), rule_id) from None
    return rule_info(kb, rule)


@router.get(
    "/clinical-basis",
    summary="The clinical-basis document (Markdown), generated from the rules",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/markdown": {"schema": {"type": "string"}}}},
        **error_responses(401),
    },
)
def read_clinical_basis(kb: KbDep, _user: ApiUser) -> PlainTextResponse:
    return PlainTextResponse(
        render_clinical_basis(kb), media_type="text/markdown; charset=utf-8"
    )
