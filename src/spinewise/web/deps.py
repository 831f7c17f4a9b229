"""``Annotated`` dependencies: what a route may ask for, read from ``app.state``.

``create_app`` puts the settings, the loaded knowledge base, the services' store,
the instance secret and the session and sign-in policies on ``app.state``; nothing
here is a module global. A route that calls a service takes ``StoreDep`` and
``ApiActor`` or ``PageActor``: the services' ``Actor`` of the signed-in user.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from spinewise.config import Settings
from spinewise.errors import N_
from spinewise.kb import KnowledgeBase
from spinewise.services import (
    Actor,
    SessionPolicy,
    SigninPolicy,
    Store,
    TokenCache,
)
from spinewise.web.account_setup import require_account_ready
from spinewise.web.auth import AuthenticationRequiredError
from spinewise.web.client import client_address
from spinewise.web.security import session_of

MAX_ID = 2**31 - 1  # the largest id every supported database's id column holds
RecordId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="a record id (another clinic's is 404)")
]

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token: `Authorization: Bearer <token>`.",
)


async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


async def get_kb(request: Request) -> KnowledgeBase:
    return cast(KnowledgeBase, request.app.state.kb)


async def get_store(request: Request) -> Store:
    return cast(Store, request.app.state.store)


async def get_secret(request: Request) -> str:
    """The instance secret (questionnaire links, pre-session CSRF tokens)."""
    return cast(str, request.app.state.secret)


async def get_signin_policy(request: Request) -> SigninPolicy:
    return cast(SigninPolicy, request.app.state.signin)


async def get_session_policy(request: Request) -> SessionPolicy:
    return cast(SessionPolicy, request.app.state.sessions)


SettingsDep = Annotated[Settings, Depends(get_settings)]
KbDep = Annotated[KnowledgeBase, Depends(get_kb)]
StoreDep = Annotated[Store, Depends(get_store)]
SecretDep = Annotated[str, Depends(get_secret)]
SigninPolicyDep = Annotated[SigninPolicy, Depends(get_signin_policy)]
SessionPolicyDep = Annotated[SessionPolicy, Depends(get_session_policy)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def api_actor(request: Request, credentials: BearerDep) -> Actor:
    """The API client behind the bearer token (401 without a valid one).

    A revoked or expired token is refused at once, by every server process: the
    app's ``TokenCache`` answers from memory only while the database has not changed
    since it verified the token (SQLite's change counter; PostgreSQL: every request
    reads the token with its user, one statement in one round trip). Every
    dependency on the API path is ``async``; a database read runs in a worker thread.
    """
    token = None if credentials is None else credentials.credentials
    actor = await token_actor(request.app, token)
    return actor.from_address(client_address(request))


async def token_actor(app: Any, token: str | None) -> Actor:
    """The user of API token ``token`` (``api_actor`` without FastAPI's request and
    dependency machinery, for the routes that read their own headers)."""
    if not token:
        raise AuthenticationRequiredError(
            N_("an API token is required: send Authorization: Bearer <token>")
        )
    cache = app_token_cache(app)
    actor = cache.known(token)
    if actor is None:
        actor = await run_in_threadpool(cache.verify, token, cache.version())
    if actor is None:
        raise AuthenticationRequiredError(N_("the API token is not valid"))
    return actor


def bearer_token(scope: Scope) -> str | None:
    """The request's bearer token, read from the ASGI scope as ``bearer_scheme``
    reads it: the first Authorization header, scheme ``Bearer`` in any case."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bearer_of(value)
    return None


def bearer_of(authorization: bytes | None) -> str | None:
    """The token of an Authorization header's value (None unless ``Bearer <token>``)."""
    if authorization is None:
        return None
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def app_token_cache(app: Any) -> TokenCache:
    """The app's cache of verified API tokens (made on first use)."""
    cache = getattr(app.state, "token_cache", None)
    if cache is None:
        cache = app.state.token_cache = TokenCache(cast(Store, app.state.store))
    return cast(TokenCache, cache)


def page_actor_or_none(request: Request) -> Actor | None:
    """The signed-in user of the session, or None; kept on ``request.state.user``."""
    session = session_of(request)
    actor = None
    if session is not None:
        actor = session.actor.from_address(client_address(request))
    request.state.user = actor
    return actor


def setup_page_actor(
    actor: Annotated[Actor | None, Depends(page_actor_or_none)],
) -> Actor:
    """The signed-in user, even one who must first change a temporary password or
    turn on two-factor sign-in (for the account pages that do that)."""
    if actor is None:
        raise AuthenticationRequiredError(N_("sign in to continue"))
    return actor


def page_actor(
    request: Request,
    actor: Annotated[Actor, Depends(setup_page_actor)],
    settings: SettingsDep,
) -> Actor:
    """The signed-in user (pages without one redirect to the login page; a user with
    a temporary password or without a required second factor to their account)."""
    require_account_ready(request.app.state.store, actor, settings)
    return actor


ApiActor = Annotated[Actor, Depends(api_actor)]
SetupPageActor = Annotated[Actor, Depends(setup_page_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]
OptionalPageActor = Annotated[Actor | None, Depends(page_actor_or_none)]
# The same, under the names the routes used before the web and the services shared
# one ``Actor`` type.
ApiUser = ApiActor
PageUser = PageActor
SetupPageUser = SetupPageActor
OptionalPageUser = OptionalPageActor


def public_base(request: Request, settings: Settings) -> str:
    """The address patients and clients reach the app at: ``SPINEWISE_PUBLIC_URL``
    when it is set, else the address this request came to."""
    if "public_url" in settings.model_fields_set:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")
