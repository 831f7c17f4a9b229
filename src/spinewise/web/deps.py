"""``Annotated`` dependencies: what a route may ask for, read from ``app.state``.

``create_app`` puts the settings, the loaded knowledge base, the authenticator, the
login throttle and the services' store on ``app.state``; nothing here is a module
global. A route that calls a service takes ``StoreDep`` and ``ApiActor`` or
``PageActor`` (the signed-in user's ``.actor``, ``services.SignedInUser``).
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import Actor, Store
from spinewise.web.account_setup import require_account_ready
from spinewise.web.auth import (
    AuthenticationRequiredError,
    Authenticator,
    Identity,
    TokenCache,
)
from spinewise.web.throttle import LoginThrottle

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


async def get_authenticator(request: Request) -> Authenticator:
    return cast(Authenticator, request.app.state.authenticator)


async def get_throttle(request: Request) -> LoginThrottle:
    return cast(LoginThrottle, request.app.state.throttle)


SettingsDep = Annotated[Settings, Depends(get_settings)]
KbDep = Annotated[KnowledgeBase, Depends(get_kb)]
AuthenticatorDep = Annotated[Authenticator, Depends(get_authenticator)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_throttle)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def get_store(request: Request) -> Store:
    """The services' database (a configuration error when the app has none)."""
    store = request.app.state.store
    if store is None:
        raise RuntimeError("this app was created without a store")
    return cast(Store, store)


StoreDep = Annotated[Store, Depends(get_store)]


async def get_token_cache(request: Request) -> TokenCache:
    return cast(TokenCache, request.app.state.token_cache)


TokenCacheDep = Annotated[TokenCache, Depends(get_token_cache)]


async def api_user(
    authenticator: AuthenticatorDep, cache: TokenCacheDep, credentials: BearerDep
) -> Identity:
    """The API client behind the bearer token (401 without a valid one).

    Every dependency on the API path is ``async``: FastAPI runs a plain ``def`` one
    in a worker thread, which costs more than the screening it guards. The
    authenticator (which may query the database) runs in a thread on a cache miss.
    """
    if credentials is None:
        raise AuthenticationRequiredError(
            "an API token is required: send Authorization: Bearer <token>"
        )
    token = credentials.credentials
    identity = cache.get(token)
    if identity is None:
        identity = await run_in_threadpool(authenticator.verify_token, token)
        if identity is None:
            raise AuthenticationRequiredError("the API token is not valid")
        cache.put(token, identity)
    return identity


def page_user_or_none(
    request: Request, authenticator: AuthenticatorDep
) -> Identity | None:
    """The signed-in user of the session, or None; kept on ``request.state.user``."""
    user_id = request.session.get("uid")
    identity = authenticator.load_user(user_id) if isinstance(user_id, str) else None
    if identity is None and user_id is not None:
        request.session.clear()
    request.state.user = identity
    return identity


def setup_page_user(
    identity: Annotated[Identity | None, Depends(page_user_or_none)],
) -> Identity:
    """The signed-in user, even one who must first change a temporary password or
    turn on two-factor sign-in (for the account pages that do that)."""
    if identity is None:
        raise AuthenticationRequiredError("sign in to continue")
    return identity


def page_user(
    identity: Annotated[Identity, Depends(setup_page_user)], settings: SettingsDep
) -> Identity:
    """The signed-in user (pages without one redirect to the login page; a user with
    a temporary password or without a required second factor to their account)."""
    require_account_ready(identity, settings)
    return identity


ApiUser = Annotated[Identity, Depends(api_user)]
SetupPageUser = Annotated[Identity, Depends(setup_page_user)]
PageUser = Annotated[Identity, Depends(page_user)]
OptionalPageUser = Annotated[Identity | None, Depends(page_user_or_none)]


def actor_of(identity: Identity) -> Actor:
    """The services' ``Actor`` of a signed-in user (``services.SignedInUser.actor``)."""
    actor = getattr(identity, "actor", None)
    if not isinstance(actor, Actor):
        raise RuntimeError(
            "the authenticator's users carry no services Actor: "
            "create the app with services.StoreAuthenticator(store)"
        )
    return actor


async def api_actor(identity: ApiUser) -> Actor:
    """The acting user behind the API token (interface ``api``)."""
    return actor_of(identity)


def page_actor(identity: PageUser) -> Actor:
    """The acting user behind the session cookie (interface ``web``)."""
    return actor_of(identity)


ApiActor = Annotated[Actor, Depends(api_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]


def public_base(request: Request, settings: Settings) -> str:
    """The address patients and clients reach the app at: ``SPINEWISE_PUBLIC_URL``
    when it is set, else the address this request came to."""
    if "public_url" in settings.model_fields_set:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")
