"""The ASGI application of `nft-toolkit serve`: routes, security headers, bounds.

Routes come from the modules in :data:`ROUTE_MODULES`, each exposing ``ROUTES`` (a list of
Starlette routes); a feature adds its module with one line there. A route reads the service as
``request.app.state.service`` (:class:`~nft_toolkit.web.service.Service`) and renders pages with
:func:`nft_toolkit.web.render.page`.

Every answer carries a strict Content-Security-Policy (scripts and styles only from this origin,
no inline script, no framing), ``X-Content-Type-Options: nosniff`` and no referrer; a request
body is bounded (:data:`BODY_MAX`); each verification is bounded in time (``REQUEST_SECONDS``
in :mod:`nft_toolkit.web.render`). A route raises its errors; every exception is answered in
one place, :mod:`nft_toolkit.web.failures`.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nft_toolkit.errors import NftToolkitError
from nft_toolkit.web import failures
from nft_toolkit.web.render import TimedOut, TooLarge
from nft_toolkit.web.service import Options, Service

ROUTE_MODULES: tuple[str, ...] = (
    "nft_toolkit.web.pages",
    "nft_toolkit.web.api",
    "nft_toolkit.web.pictures",
    "nft_toolkit.web.certificates",
    "nft_toolkit.web.holding",
    "nft_toolkit.web.assets",
)
ENV_OPTIONS = "NFT_TOOLKIT_SERVE_OPTIONS"  # the options, as JSON, for worker processes
BODY_MAX = 16 << 20  # a request body (an uploaded picture and its form), at most
STATIC = os.path.join(os.path.dirname(__file__), "static")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class Guard:
    """ASGI middleware: the security headers on every answer (a route's own CSP, such as an
    image's sandbox, is kept), and request bodies cut at BODY_MAX with 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > BODY_MAX):
            await _too_large(scope, receive, send)
            return
        seen = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > BODY_MAX:
                    raise TooLarge(BODY_MAX)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in HEADERS if k not in have]]
            await send(message)

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except TooLarge:
            if not started:
                await _too_large(scope, receive, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """413, answered as every error is (:mod:`nft_toolkit.web.failures`)."""
    response = await failures.answer(Request(scope), TooLarge(BODY_MAX))
    response.headers.update({k.decode(): v.decode() for k, v in HEADERS})
    await response(scope, receive, send)


async def unexpected(request: Request, exc: Exception) -> Response:
    """A 500 from outside the middleware (Starlette answers it there): the same framed answer,
    with the security headers the middleware did not get to add."""
    response = await failures.answer(request, exc)
    response.headers.update({k.decode(): v.decode() for k, v in HEADERS})
    return response


def routes(modules: Sequence[str] = ROUTE_MODULES) -> list[BaseRoute]:
    """Every module's ``ROUTES``, then the static files."""
    found: list[BaseRoute] = []
    for name in modules:
        found += importlib.import_module(name).ROUTES
    return [*found, Mount("/static", StaticFiles(directory=STATIC), name="static")]


def create_app(service: Service) -> Starlette:
    """The application answering for `service`."""
    app = Starlette(routes=routes(), middleware=[Middleware(Guard)], exception_handlers={
        HTTPException: failures.answer, NftToolkitError: failures.answer,
        TimedOut: failures.answer, Exception: unexpected})
    app.state.service = service
    return app


def app_from_env() -> Starlette:
    """The application of a uvicorn worker process (``--workers``): the options `serve` was
    given, from the environment (:data:`ENV_OPTIONS`)."""
    return create_app(Service(Options.from_json(json.loads(os.environ[ENV_OPTIONS]))))
