"""The hottest API routes served without FastAPI's dependency machinery (issue 19).

``direct(app, path, method)`` puts, just before the documented FastAPI route of that
path and method, a plain Starlette route whose endpoint does by hand what
``solve_dependencies`` would: it refuses unknown query parameters (``known_query``),
reads the bearer token (``token_actor``; 401 first, as before), validates the path
and query parameters with FastAPI's own ``request_params_to_args`` (the same 422 and
field paths), and calls the route's own endpoint function with the store, the
knowledge base, the actor and the request. The FastAPI route stays where it was and
documents the operation (OpenAPI). Only routes whose dependencies are among
``known_query``, the store, the knowledge base and the API actor can be served so;
any other is refused when the app is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.utils import request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams
from starlette.requests import HTTPConnection, Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from spinewise.web.api.bodies import known_query
from spinewise.web.client import client_address
from spinewise.web.deps import api_actor, bearer_token, get_kb, get_store, token_actor

_STATE = {get_store: "store", get_kb: "kb"}  # dependency -> the app.state it reads


class DirectEndpoint:
    """The ASGI endpoint of one documented route, its dependencies solved by hand."""

    def __init__(self, route: APIRoute) -> None:
        self.route = route
        self.call: Callable[..., Any] = route.endpoint
        self.checks_query = False
        self.state: dict[str, str] = {}  # parameter -> app.state attribute
        self.actor: str | None = None
        dependant = route.dependant
        for sub in dependant.dependencies:
            if sub.call is known_query:
                self.checks_query = True
            elif sub.call is api_actor and sub.name is not None:
                self.actor = sub.name
            elif sub.call in _STATE and sub.name is not None:
                self.state[sub.name] = _STATE[sub.call]
            else:
                raise TypeError(f"{route.path}: {sub.call!r} is not solved directly")
        self.request = dependant.request_param_name
        if dependant.header_params or dependant.cookie_params or dependant.body_params:
            raise TypeError(f"{route.path}: only path and query parameters")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope["app"]
        query = QueryParams(scope.get("query_string", b""))
        if self.checks_query and query:
            await known_query(Request({**scope, "route": self.route}))
        values: dict[str, Any] = {}
        if self.actor is not None:
            actor = await token_actor(app, bearer_token(scope))
            address = client_address(HTTPConnection(scope))  # decided by the edge
            values[self.actor] = actor.from_address(address)
        dependant = self.route.dependant
        path, path_errors = request_params_to_args(
            dependant.path_params, scope.get("path_params", {})
        )
        found, query_errors = request_params_to_args(dependant.query_params, query)
        if path_errors or query_errors:
            raise RequestValidationError([*path_errors, *query_errors])
        values.update(path)
        values.update(found)
        for name, attribute in self.state.items():
            values[name] = getattr(app.state, attribute)
        if self.request is not None:
            values[self.request] = Request(scope, receive)
        response = await self.call(**values)
        await response(scope, receive, send)


def direct(app: FastAPI, path: str, method: str) -> None:
    """Serve ``method path`` directly (see the module's docstring), matched just
    before its documented route."""
    routes = app.router.routes
    for index, route in enumerate(routes):
        if isinstance(route, APIRoute) and route.path == path:
            if method in (route.methods or ()):
                plain = Route(path, DirectEndpoint(route), include_in_schema=False)
                plain.methods = {method}  # not HEAD, which Starlette adds to GET
                routes.insert(index, plain)
                return
    raise LookupError(f"no route {method} {path} to serve directly")
