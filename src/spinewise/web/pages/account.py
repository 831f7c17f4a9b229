"""The signed-in user's account: "Your sessions" (sign out one, or everywhere) and
"API tokens" (an admin sees and revokes the clinic's)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    end_own_session,
    end_user_sessions,
    list_api_tokens,
    list_web_sessions,
    revoke_api_token,
)
from spinewise.web.deps import PageActor, RecordId, SessionPolicyDep, StoreDep
from spinewise.web.rendering import render
from spinewise.web.security import clear_session_cookie, session_of

router = APIRouter()
SESSIONS = "/account/sessions"
TOKENS = "/account/tokens"


@router.get(SESSIONS)
def sessions_page(
    request: Request, store: StoreDep, actor: PageActor, policy: SessionPolicyDep
) -> Response:
    current = session_of(request)
    return render(
        request,
        "account_sessions.html",
        {
            "sessions": list_web_sessions(store, actor),
            "current_id": None if current is None else current.id,
            "idle_minutes": int(policy.idle.total_seconds() // 60),
            "absolute_hours": int(policy.absolute.total_seconds() // 3600),
        },
    )


@router.post(SESSIONS + "/{session_id}/end")
async def end_session(
    request: Request, session_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    """Sign out one session (this one too: then the browser is signed out)."""
    current = session_of(request)
    await run_in_threadpool(end_own_session, store, actor, session_id)
    if current is not None and current.id == session_id:
        response = RedirectResponse("/login", status_code=303)
        clear_session_cookie(request, response)
        return response
    return RedirectResponse(SESSIONS, status_code=303)


@router.post(SESSIONS + "/end-all")
async def end_everywhere(
    request: Request, store: StoreDep, actor: PageActor
) -> Response:
    """Sign out everywhere, this browser included."""
    await run_in_threadpool(end_user_sessions, store, actor)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get(TOKENS)
def tokens_page(request: Request, store: StoreDep, actor: PageActor) -> Response:
    return render(
        request, "account_tokens.html", {"tokens": list_api_tokens(store, actor)}
    )


@router.post(TOKENS + "/{token_id}/revoke")
async def revoke_token(
    token_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    await run_in_threadpool(revoke_api_token, store, actor, token_id)
    return RedirectResponse(TOKENS, status_code=303)
