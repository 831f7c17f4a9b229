"""JSON answers made in one pass: a response model straight to bytes.

A route returning a model lets FastAPI dump it to a dict, validate that dict against
the declared response model again (in a second worker-thread hop for a ``def``
route) and serialise it: three passes over the record. The hot routes (issue 19)
declare the response model for the OpenAPI document and return
``json_answer(model)`` instead: pydantic-core writes the model's JSON by alias in
one pass, the same document FastAPI would have sent, made in the worker thread that
called the service (``answered``), so the event loop does no serialising.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool


def to_json(answer: BaseModel | Sequence[BaseModel]) -> bytes:
    """The model (or list of models) as JSON bytes, by alias, as FastAPI sends it."""
    if isinstance(answer, BaseModel):
        return answer.__pydantic_serializer__.to_json(answer, by_alias=True)
    parts = [m.__pydantic_serializer__.to_json(m, by_alias=True) for m in answer]
    return b"[" + b",".join(parts) + b"]"


def json_answer(body: bytes, status_code: int = 200) -> Response:
    return Response(body, status_code=status_code, media_type="application/json")


async def answered(
    work: Callable[[], BaseModel | Sequence[BaseModel]], status_code: int = 200
) -> Response:
    """Run ``work`` (a service call) in a worker thread and answer its result as
    JSON, serialised in that same thread."""
    body = await run_in_threadpool(lambda: to_json(work()))
    return json_answer(body, status_code)
