"""Server-rendered HTML: the Jinja2 environment and the one ``render`` every page uses.

Templates are autoescaped and strict (an undefined name is an error, caught by the
tests). No inline script or style anywhere: the CSP forbids both.
"""

from __future__ import annotations

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
from spinewise.errors import FieldProblem, Message
from spinewise.i18n import (
    DEFAULT_LANGUAGE,
    Translator,
    negotiate_language,
    translations,
)
from spinewise.kb import KnowledgeBase
from spinewise.web.dates import shown_change, shown_day, shown_moment, shown_number
from spinewise.web.draft import question_for
from spinewise.web.presentation import MODALITY_NAMES, STATUSES, kb_words
from spinewise.web.security import csrf_token, remember_presession
from spinewise.web.words import N_

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


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _span(match: re.Match[str]) -> str:
    question = question_for(match.group(1))
    if question is not None:
        return f"\u201c{escape(translate(question.label))}\u201d"
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


def translate(message: str) -> str:
    """``message`` in the page's language, as text: no ``%`` formatting, escaped
    like any other value (for words kept in Python data: labels, titles). An error's
    ``Message`` is translated with its parameters."""
    if isinstance(message, Message):
        return Translator(_PAGE_LANGUAGE.get()).message(message)
    return _gettext(message) if message else message


def _finalize(value: Any) -> Any:
    """Every printed ``Message`` (an error's words) in the page's language."""
    return translate(value) if isinstance(value, Message) else value


LANGUAGE_COOKIE = "spinewise_lang"
"""The language a reader chose with the switch (``?lang=ru``), remembered."""


def _enabled(request: Request) -> tuple[str, ...]:
    return tuple(getattr(request.app.state, "languages", (DEFAULT_LANGUAGE,)))


def asked_language(request: Request) -> tuple[str | None, str | None]:
    """The language the reader asked for with ``?lang`` (else the remembered one) and,
    when ``?lang`` names a language this deployment does not speak, that code."""
    asked = request.query_params.get("lang")
    if asked is not None:
        code = asked.strip().lower()
        return (code, None) if code in _enabled(request) else (None, asked[:20])
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    return (remembered if remembered in _enabled(request) else None), None


def page_language(request: Request) -> str:
    """The language a page is written in: one the handler chose for its reader
    (``request.state.language``: a patient's own, say), else the signed-in user's
    setting, else the reader's choice (``?lang``, then the remembered one; an unknown
    ``?lang`` gives English), else the browser's ``Accept-Language`` among the
    enabled ones, else English."""
    chosen = getattr(request.state, "language", None)
    if chosen:
        return str(chosen)
    user_language = getattr(getattr(request.state, "user", None), "language", None)
    if user_language in _enabled(request):
        return str(user_language)
    asked, unknown = asked_language(request)
    if asked or unknown:
        return asked or DEFAULT_LANGUAGE
    negotiated = negotiate_language(
        request.headers.get("accept-language"), _enabled(request)
    )
    return negotiated or DEFAULT_LANGUAGE


def speak_to(request: Request, language: str | None) -> None:
    """Write this request's page in ``language`` (a patient's own, for a page
    addressed to the patient) when the deployment speaks it; else the usual choice."""
    enabled = getattr(request.app.state, "languages", (DEFAULT_LANGUAGE,))
    code = (language or "").strip().lower()
    if code in enabled:
        request.state.language = code


def page_translator(request: Request) -> Translator:
    """gettext in the page's language, for words a handler writes with values in
    them (``tr.gettext("Try again in %(n)s seconds.") % {...}``)."""
    return Translator(page_language(request))


def page_kb(request: Request) -> tuple[KnowledgeBase, str]:
    """The knowledge base and the language of the page: for texts the handler builds
    before rendering (a decision's words, the next step)."""
    return request.app.state.kb, page_language(request)


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
        finalize=_finalize,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext
    )
    env.globals["static_url"] = static_url
    env.globals["app_version"] = __version__
    env.globals["statuses"] = STATUSES
    env.globals["modality_names"] = MODALITY_NAMES
    env.filters["tr"] = translate
    env.filters["day"] = lambda value: shown_day(value, _PAGE_LANGUAGE.get())
    env.filters["moment"] = lambda value, seconds=False: shown_moment(
        value, _PAGE_LANGUAGE.get(), seconds
    )
    env.filters["number"] = lambda value: shown_number(value, _PAGE_LANGUAGE.get())
    env.filters["change"] = lambda value: shown_change(value, _PAGE_LANGUAGE.get())
    env.filters["code_spans"] = code_spans
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    return Jinja2Templates(env=env)


def _common(request: Request) -> dict[str, Any]:
    state = request.app.state
    user = getattr(request.state, "user", None)
    role = getattr(user, "role", None)
    nav: Sequence[NavItem] = getattr(state, "nav", ())
    words = kb_words(state.kb, _PAGE_LANGUAGE.get())
    return {
        "request": request,
        "user": user,
        "nav": [item for item in nav if item.visible_to(role)],
        "current_path": request.url.path,
        "csrf_token": csrf_token(request),
        "kb_version": state.kb.version,
        "lang": _PAGE_LANGUAGE.get(),
        "languages": _enabled(request),
        "unknown_language": asked_language(request)[1],
        "kb_text": lambda text: words.get(text, text),
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
    _one_stop(response)
    remember_presession(request, response)
    asked = request.query_params.get("lang")
    if asked is not None and asked_language(request)[0] == language:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax"
        )
    return response


_DATE_THEN_STOP = re.compile("(\u0433\\.</time>)\\.".encode())


def _one_stop(response: HTMLResponse) -> None:
    """A sentence that ends on a Russian date takes no second full stop: the date's
    abbreviated year word ends it (Russian typography); other text is untouched."""
    body = bytes(response.body)
    fixed = _DATE_THEN_STOP.sub(rb"\1", body)
    if fixed != body:
        response.body = fixed
        response.headers["content-length"] = str(len(fixed))


_TITLES = {
    400: N_("Bad request"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed here"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("Invalid input"),
    429: N_("Too many attempts"),
}


def render_error(
    request: Request,
    status: int,
    message: str,
    problems: Sequence[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The HTML error page (same status as the JSON API would give)."""
    title = _TITLES.get(status, N_("Something went wrong"))
    tr = page_translator(request)
    problems = [tr.problem(p) for p in problems]
    context = {"status": status, "title": title, "message": tr.message(message)}
    return render(
        request,
        "error.html",
        {**context, "problems": list(problems)},
        status_code=status,
        headers=headers,
    )
