"""What an exception becomes on the web, in one place (as the CLI maps the same hierarchy to exit
codes in one place, :mod:`nft_toolkit.errors`).

A route raises; :func:`answer` (installed by :func:`nft_toolkit.web.app.create_app` for every
exception) gives the status of the exception's class (:data:`STATUS`, nearest base first) and,
for the JSON API, ``{"error": "<one line>"}``, for a page, the site's framed error page in the
request's language (header, viewport, language switch, a way back). Anything unexpected is a 500
in the same frame; its traceback goes only to the operator's log (Starlette raises it on to the
server once the answer is sent).
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from nft_toolkit.errors import (ChainError, ConfigError, ContentError, ContractError,
                                GenerationError, InputError, NftToolkitError, PinningError)
from nft_toolkit.web.render import (Refused, TimedOut, TooLarge, error_json, error_page,
                                    timed_out_message)

log = logging.getLogger(__name__)

STATUS: dict[type[BaseException], int] = {
    InputError: 400,  # the request's own input: a token ID, an upload, a URL
    ConfigError: 503,  # how the service was set up (checked at start, yet met here)
    ContractError: 503,
    GenerationError: 500,
    ChainError: 502,  # the chain or the content did not answer, or answered wrongly
    ContentError: 502,
    PinningError: 502,
    NftToolkitError: 500,
    TooLarge: 413,
    TimedOut: 504,
}
INTERNAL = "the service failed unexpectedly; try again later (its log has the details)"
UNREACHABLE = "the chain or the content could not be reached; try again later"
# A 5xx says only these lines: the exception's own may name the service's RPC URL (which can
# carry a key) or its files; the operator's log has it.


def status_of_error(exc: BaseException) -> int:
    """The HTTP status of `exc`: its own (a Starlette HTTPException's), else that of its nearest
    class in :data:`STATUS`, else 500."""
    if isinstance(exc, HTTPException):
        return exc.status_code
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def wants_json(request: Request) -> bool:
    """Whether the answer is JSON: a request to the API (under ``/api/``), or a client that asks
    for JSON only (``Accept: application/json``, as a verification URL's API callers do)."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def message_of(request: Request, exc: BaseException, status: int) -> str | InputError:
    """The one line said about `exc` (a :class:`Refused` keeps its catalogue code, so a page
    words it in its language)."""
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, NftToolkitError):
        return Refused(UNREACHABLE, "unreachable") if status == 502 else Refused(INTERNAL, "internal")
    if isinstance(exc, TimedOut):
        return timed_out_message()
    if isinstance(exc, TooLarge):
        return Refused(str(exc), "over_body", mib=int(exc.args[0]) >> 20 if exc.args else None)
    if isinstance(exc, HTTPException):
        if status == 404:
            return Refused(f"no such page: {request.url.path[:200]}", "no_route")
        return Refused(f"{request.method[:10]} {request.url.path[:200]}: {exc.detail}",
                       "http", status=status)
    return Refused(INTERNAL, "internal")


async def answer(request: Request, exc: Exception) -> Response:
    """The answer to `exc` raised while answering `request` (see the module's docstring)."""
    status = status_of_error(exc)
    if isinstance(exc, NftToolkitError) and status >= 500:  # the detail the answer leaves out
        log.log(logging.WARNING if status == 502 else logging.ERROR, "%s %s: %s",
                request.method, request.url.path[:200], exc)
    message = message_of(request, exc, status)
    if wants_json(request):
        return error_json(str(message), status)
    return error_page(request, message, status)
