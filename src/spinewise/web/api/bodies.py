"""Request bodies of the JSON API: strict JSON, validated into field-named errors.

FastAPI's own body validation is lax (``0`` would pass as a date) and names a
cross-field problem after the whole document. So a route reads its body with
``read_body(request, Model)``: one strict pass (``model_validate_json``), errors
through the same translator as ``parse_model`` (``hernia.levels[0]``, ``reason``).
``body_doc(Model)`` documents that body in the OpenAPI schema, inlined (no
``$defs``), so that every client and Schemathesis can read it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.models import problems_of
from spinewise.web.deps import MAX_ID, RecordId

__all__ = ["MAX_ID", "RecordId", "body_doc", "inline_schema", "parse_body", "read_body"]

M = TypeVar("M", bound=BaseModel)
MAX_MESSAGE = 300


def _short(problem: FieldProblem) -> FieldProblem:
    """The problem with its message cut to a readable length (it may echo the input)."""
    if len(problem.message) <= MAX_MESSAGE:
        return problem
    return FieldProblem(problem.field, problem.message[: MAX_MESSAGE - 1] + "…")


def parse_body(body: bytes, model: type[M]) -> M:
    """``body`` as ``model`` (strict JSON), or an ``InputError`` naming every field."""
    try:
        return model.model_validate_json(body or b"null", strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        syntax = [e["msg"] for e in errors if e["type"] == "json_invalid"]
        if syntax:
            raise InputError([FieldProblem("(document)", syntax[0])]) from None
        if any(e["type"] == "model_type" and not e["loc"] for e in errors):
            raise InputError(
                [FieldProblem("(document)", N_("expected a JSON object of fields"))]
            ) from None
        raise InputError([_short(p) for p in problems_of(exc)]) from None


async def read_body(request: Request, model: type[M]) -> M:
    return parse_body(await request.body(), model)


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of ``model`` with every ``$defs`` reference written out."""
    schema = model.model_json_schema(by_alias=True)
    return dict(_inline(schema, schema.get("$defs", {})))


def body_doc(
    model: type[BaseModel], description: str, example: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``openapi_extra`` documenting a required JSON body of ``model``."""
    content: dict[str, Any] = {"schema": inline_schema(model)}
    if example is not None:
        content["example"] = example
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": content},
        }
    }


_KNOWN_QUERY: dict[int, frozenset[str]] = {}


def _query_names(dependant: Any) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def known_query(request: Request) -> None:
    """Refuse query parameters the route does not take (422 naming each one).

    A misspelt filter (``?patientid=7``) would otherwise be ignored silently and the
    client would read an unfiltered answer as a filtered one.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    known = _KNOWN_QUERY.get(id(route))
    if known is None:
        known = _KNOWN_QUERY[id(route)] = frozenset(_query_names(dependant))
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        raise InputError(
            [
                FieldProblem(
                    name or "(query)",
                    N_("unknown query parameter; allowed: {allowed}", allowed=allowed),
                )
                for name in unknown
            ]
        )
