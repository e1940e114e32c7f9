"""The JSON API: the same objects as ``verify --json`` and ``verify-file --json``.

``GET /api/v1/tokens/{id}`` and ``POST /api/v1/verify-file`` (multipart, field ``file``). The
status says what the answer amounts to: 200 a verdict on a real item (authentic, tampered,
counterfeit), 404 not an item (not minted, a picture of none), 502 chain or content unreachable,
504 no answer in time, 400 bad input (then ``{"error": ...}``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from nft_toolkit.errors import InputError
from nft_toolkit.verify.report import answer_json
from nft_toolkit.web.pictures import uploaded_picture
from nft_toolkit.web.render import (TimedOut, bounded, error_json, service, status_of,
                                    timed_out_message, token_id_of)


async def token(request: Request) -> Response:
    """GET /api/v1/tokens/{id}."""
    try:
        token_id = token_id_of(request.path_params["id"])
    except InputError as exc:
        return error_json(str(exc), 400)
    svc = service(request)
    try:
        page = await bounded(lambda: svc.verify(token_id))
    except TimedOut:
        return error_json(timed_out_message(), 504)
    return JSONResponse(answer_json(page.report), status_code=status_of(page.report.verdict))


async def verify_file(request: Request) -> Response:
    """POST /api/v1/verify-file."""
    try:
        name, data = await uploaded_picture(request)
    except InputError as exc:
        return error_json(str(exc), 400)
    svc = service(request)
    try:
        answer = await bounded(lambda: svc.identify(data))
    except TimedOut:
        return error_json(timed_out_message(), 504)
    report = answer.report
    return JSONResponse(answer_json(report, name), status_code=status_of(report.verdict))


ROUTES = [Route("/api/v1/tokens/{id}", token, methods=["GET"]),
          Route("/api/v1/verify-file", verify_file, methods=["POST"])]
