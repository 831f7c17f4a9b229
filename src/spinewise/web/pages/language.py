"""The language of the signed-in user's own pages: a setting of the account page.

Anonymous pages have the switch in the header instead (``?lang=ru``, remembered in a
cookie: ``rendering.page_language``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import set_own_language
from spinewise.web.deps import SetupPageActor, StoreDep
from spinewise.web.words import N_

router = APIRouter()

LANGUAGE_NAMES = (
    ("", N_("The browser's language")),
    ("en", "English"),
    ("ru", "Русский"),
)
"""The choices of the setting: each language named in itself."""


@router.post("/account/language")
async def choose_language(
    request: Request, store: StoreDep, user: SetupPageActor
) -> Response:
    """Store the user's language; an unknown code is a 422 naming ``language``."""
    form = await request.form()
    chosen = form.get("language")
    language = chosen if isinstance(chosen, str) else ""
    await run_in_threadpool(set_own_language, store, user, language)
    return RedirectResponse("/account?done=language", status_code=303)
