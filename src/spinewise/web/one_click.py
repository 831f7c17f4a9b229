"""The patient's one-click stop: ``POST /unsubscribe/<token>`` (RFC 8058).

Every e-mail names this address in ``List-Unsubscribe`` with ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, so a mail client may POST to it with no cookie and no
page in between; the stop page's button posts to it too. It needs no session and no
CSRF token: the signed token in the address is the whole authority (it names one
patient of one clinic and can only withdraw their consent to be contacted). The
withdrawal is recorded as a consent event and audited as the patient's.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import NotFoundError
from spinewise.services import unsubscribe
from spinewise.web.deps import SecretDep, StoreDep
from spinewise.web.rendering import render


def one_click_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post("/unsubscribe/{token}")
    async def stop(
        request: Request, token: str, store: StoreDep, secret: SecretDep
    ) -> Response:
        try:
            done = await run_in_threadpool(unsubscribe, store, token, secret)
        except NotFoundError:
            return render(
                request,
                "unsubscribe.html",
                {"token": token, "done": None, "bad": True},
                status_code=404,
            )
        return render(
            request, "unsubscribe.html", {"token": token, "done": done, "bad": False}
        )

    return router
