"""``create_app(settings)``: the FastAPI application, with no import-time globals.

Everything a request needs hangs off ``app.state``: ``settings``, the loaded ``kb``,
the services' ``store`` (sessions, tokens and throttling live in its database), the
instance ``secret``, the ``sessions`` and ``signin`` policies, the trusted
``proxies``, the ``templates`` and the ``nav``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware

from spinewise import __version__
from spinewise.config import Settings
from spinewise.i18n import parse_languages
from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import Assessment
from spinewise.screening import compile_rules
from spinewise.services import (
    SeedKey,
    SessionPolicy,
    SigninPolicy,
    Store,
    encrypt_plain_totp_secrets,
    ensure_schema,
    instance_secret,
    open_store,
    totp_key,
)
from spinewise.web.account_setup import install_account_setup
from spinewise.web.api import API_V1, install_api
from spinewise.web.cds import install_cds
from spinewise.web.errors import install_error_handlers
from spinewise.web.fhir import fhir_router
from spinewise.web.middleware import EdgeMiddleware
from spinewise.web.one_click import one_click_router
from spinewise.web.pages import NAV, pages_router
from spinewise.web.reminders_task import start_reminders
from spinewise.web.rendering import STATIC_DIR, make_templates

logger = logging.getLogger("spinewise.web")

MAX_BODY_BYTES = 1_000_000
DESCRIPTION = """\
Screening, clearance and course planning for massage in intervertebral disc
herniation. Send `Authorization: Bearer <token>`. Every error has one shape:
`{"ok": false, "status": N, "error": "...", "errors": [{"field", "message"}]}`;
invalid input is 422 with the contract's field paths, a missing (or another
clinic's) record 404, a role that may not act 403.
"""


class SpinewiseApp(FastAPI):
    """FastAPI with the contract's ``Assessment`` schema in the OpenAPI components."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is not None:
            return self.openapi_schema
        schema = super().openapi()
        assessment = Assessment.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}"
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in assessment.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["Assessment"] = assessment
        _one_error_shape(schema)
        return schema


def _one_error_shape(schema: dict[str, Any]) -> None:
    """Every documented error answer is the one JSON error shape (FastAPI documents
    its own 422 body, and error answers in a text route's media type)."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, answer in operation.get("responses", {}).items():
                if status.isdigit() and int(status) >= 400:
                    answer["content"] = error
                if status == "422":
                    answer["description"] = "Invalid input; `errors` names every field"
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Compile the knowledge base's rules before the first request (else the first
    requests, arriving together, would each compile them in their own thread); run
    the reminders job periodically if asked to (``reminders_task``); at shutdown, stop
    it and close the store's connections (SQLite: checkpoint the log)."""
    compile_rules(app.state.kb)
    reminders = start_reminders(app)
    yield
    if reminders is not None:
        reminders.cancel()
        with suppress(asyncio.CancelledError):
            await reminders
    tokens = getattr(app.state, "token_cache", None)
    if tokens is not None:
        tokens.close()
    store = app.state.store
    if store is not None:
        store.dispose()


def _encrypt_plain_totp_secrets(store: Store, key: SeedKey) -> None:
    """Encrypt the TOTP secrets left in plain text by an older version, and say in
    the log how many secrets the key in force cannot open."""
    status = encrypt_plain_totp_secrets(store, key)
    if status.encrypted_now:
        logger.warning(
            "encrypted %d plain two-factor secrets (key %s)",
            status.encrypted_now,
            status.key_id,
        )
    if status.other_key or status.plain:
        logger.warning(
            "%d two-factor secrets do not open with the key in force (%s) and refuse "
            "every code; see `spinewise keys status` and `spinewise keys encrypt-totp`",
            status.other_key + status.plain,
            status.key_id,
        )


def create_app(
    settings: Settings, *, store: Store, kb: KnowledgeBase | None = None
) -> FastAPI:
    """The web application: JSON API under /api/v1, pages, static files.

    ``store`` is the services' database, with its schema in place: users, sessions,
    tokens and sign-in throttling all live there, so several server processes on one
    database behave as one. ``kb`` defaults to ``load_kb(settings.kb_path)``.
    """
    app = SpinewiseApp(
        title="Spinewise API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_V1}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
        middleware=[
            Middleware(
                EdgeMiddleware,
                production=settings.mode == "production",
                proxies=settings.proxy_networks(),
                cors_origins=settings.cds_cors_origins,
                anonymous_per_minute=settings.anonymous_requests_per_minute,
                body_limit=MAX_BODY_BYTES,
                body_timeout=settings.request_body_seconds,
            ),
        ],
    )
    app.state.settings = settings
    app.state.languages = parse_languages(
        settings.languages, field="SPINEWISE_LANGUAGES"
    )
    app.state.kb = (
        kb if kb is not None else load_kb(settings.kb_path, app.state.languages)
    )
    app.state.store = store
    app.state.secret = instance_secret(store, settings)
    app.state.totp_key = totp_key(store, settings)
    _encrypt_plain_totp_secrets(store, app.state.totp_key)
    app.state.sessions = SessionPolicy.of(settings)
    app.state.signin = SigninPolicy.of(settings)
    app.state.proxies = settings.proxy_networks()
    app.state.templates = make_templates()
    app.state.nav = NAV
    install_error_handlers(app)
    install_account_setup(app)
    install_api(app)  # first: routes are matched in order
    install_cds(app)  # before the API's, which has no /cds-services path
    app.include_router(fhir_router())
    app.include_router(one_click_router())
    app.include_router(pages_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app as ``spinewise serve`` runs it: settings from ``SPINEWISE_*``, users
    from the database (a SQLite file gets its schema on first use)."""
    settings = Settings()
    store = open_store(settings.database_url, pool_size=settings.database_pool_size)
    ensure_schema(store, create_if_empty=store.backend == "sqlite")
    return create_app(settings, store=store)
