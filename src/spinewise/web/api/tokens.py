"""``/api/v1/tokens``: the caller's API tokens (an admin's: the clinic's), and
revoking one. Revocation holds from the very next request, in every process."""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import ApiTokenRecord, list_api_tokens, revoke_api_token
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, RecordId, StoreDep

router = APIRouter(tags=["tokens"])


@router.get(
    "/tokens",
    summary="API tokens: yours, or (admins) every token of the clinic",
    responses=error_responses(401, 422),
)
async def read_tokens(store: StoreDep, actor: ApiActor) -> list[ApiTokenRecord]:
    return await run_in_threadpool(list_api_tokens, store, actor)


@router.delete(
    "/tokens/{token_id}",
    summary="Revoke an API token (yours; admins: any of the clinic's)",
    status_code=204,
    responses=error_responses(401, 403, 404, 422),
)
async def delete_token(
    token_id: RecordId, store: StoreDep, actor: ApiActor
) -> Response:
    await run_in_threadpool(revoke_api_token, store, actor, token_id)
    return Response(status_code=204)
