"""Server-rendered HTML: the Jinja2 environment and the one ``render`` every page uses.

Templates are autoescaped and strict (an undefined name is an error, caught by the
tests). No inline script or style anywhere: the CSP forbids both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from spinewise import __version__
from spinewise.errors import FieldProblem
from spinewise.i18n import DEFAULT_LANGUAGE, negotiate_language, translations
from spinewise.web.draft import question_for
from spinewise.web.presentation import MODALITY_NAMES, STATUSES
from spinewise.web.security import csrf_token, remember_presession

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation, shown to the listed roles (all when empty)."""

    label: str
    href: str
    roles: frozenset[str] = frozenset()

    def visible_to(self, role: str | None) -> bool:
        return role is not None and (not self.roles or role in self.roles)


def static_url(path: str) -> str:
    """The URL of a static file, versioned so that a release refreshes caches."""
    return f"/static/{path}?v={__version__}"


def iso_date(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else value


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _span(match: re.Match[str]) -> str:
    question = question_for(match.group(1))
    if question is not None:
        return f"\u201c{escape(question.label)}\u201d"
    return f"<code>{match.group(1)}</code>"


def code_spans(text: object) -> Markup:
    """Escape ``text``; a `code span` naming an intake answer reads as its question
    ("Saddle anaesthesia"), never its field path; others show as ``<code>``."""
    return Markup(_CODE_SPAN.sub(_span, str(escape(str(text)))))


_PAGE_LANGUAGE: ContextVar[str] = ContextVar("page_language", default=DEFAULT_LANGUAGE)
"""The language of the page being rendered; ``render`` sets it around one render."""


def _gettext(message: str) -> str:
    return translations(_PAGE_LANGUAGE.get()).gettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return translations(_PAGE_LANGUAGE.get()).ngettext(singular, plural, count)


def _pgettext(context: str, message: str) -> str:
    return translations(_PAGE_LANGUAGE.get()).pgettext(context, message)


def page_language(request: Request) -> str:
    """The language a page is written in: one the handler chose for its reader
    (``request.state.language``: a patient's own, say), else the signed-in user's,
    else the browser's ``Accept-Language`` among the enabled ones, else English."""
    chosen = getattr(request.state, "language", None)
    if chosen:
        return str(chosen)
    user_language = getattr(getattr(request.state, "user", None), "language", None)
    if user_language:
        return str(user_language)
    enabled = getattr(request.app.state, "languages", (DEFAULT_LANGUAGE,))
    negotiated = negotiate_language(request.headers.get("accept-language"), enabled)
    return negotiated or DEFAULT_LANGUAGE


def make_templates() -> Jinja2Templates:
    """The template environment. Words are gettext messages (``{{ _("Patients") }}``,
    ``{% trans %}``, ``ngettext`` for counts) in the language of the page."""
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext
    )
    env.globals["static_url"] = static_url
    env.globals["app_version"] = __version__
    env.globals["statuses"] = STATUSES
    env.globals["modality_names"] = MODALITY_NAMES
    env.filters["iso_date"] = iso_date
    env.filters["code_spans"] = code_spans
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    return Jinja2Templates(env=env)


def _common(request: Request) -> dict[str, Any]:
    state = request.app.state
    user = getattr(request.state, "user", None)
    role = getattr(user, "role", None)
    nav: Sequence[NavItem] = getattr(state, "nav", ())
    return {
        "request": request,
        "user": user,
        "nav": [item for item in nav if item.visible_to(role)],
        "current_path": request.url.path,
        "csrf_token": csrf_token(request),
        "kb_version": state.kb.version,
        "lang": _PAGE_LANGUAGE.get(),
    }


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` with the common context (user, nav, CSRF token)."""
    templates: Jinja2Templates = request.app.state.templates
    language = page_language(request)
    token = _PAGE_LANGUAGE.set(language)
    try:
        response = templates.TemplateResponse(
            request,
            template,
            {**_common(request), **(context or {})},
            status_code=status_code,
            headers={"Content-Language": language, **(headers or {})},
        )
    finally:
        _PAGE_LANGUAGE.reset(token)
    remember_presession(request, response)
    return response


_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    409: "Conflict",
    413: "Too large",
    422: "Invalid input",
    429: "Too many attempts",
}


def render_error(
    request: Request,
    status: int,
    message: str,
    problems: Sequence[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The HTML error page (same status as the JSON API would give)."""
    title = _TITLES.get(status, "Something went wrong")
    context = {"status": status, "title": title, "message": message}
    return render(
        request,
        "error.html",
        {**context, "problems": list(problems)},
        status_code=status,
        headers=headers,
    )
