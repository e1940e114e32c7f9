"""The JSON API: the same objects as ``verify --json`` and ``verify-file --json``.

``GET /api/v1/tokens/{id}`` and ``POST /api/v1/verify-file`` (multipart, field ``file``). The
status says what the answer amounts to: 200 a verdict on a real item (authentic, tampered,
counterfeit), 404 not an item (a token not minted, a picture of none), 502 chain or content
unreachable, 504 no answer in time, 400 bad input (then ``{"error": ...}``: every error, by
:mod:`nft_toolkit.web.failures`). A picture that shows a token is answered 200 whatever that
token's state (a copy of a token never minted: ``not_minted``, 200;
:func:`nft_toolkit.web.render.upload_status`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from nft_toolkit.verify.report import answer_json
from nft_toolkit.web.pictures import uploaded_picture
from nft_toolkit.web.render import bounded, service, status_of, token_id_of, upload_status


async def token(request: Request) -> Response:
    """GET /api/v1/tokens/{id}."""
    token_id = token_id_of(request.path_params["id"])
    svc = service(request)
    page = await bounded(lambda: svc.verify(token_id))
    return JSONResponse(answer_json(page.report), status_code=status_of(page.report.verdict))


async def verify_file(request: Request) -> Response:
    """POST /api/v1/verify-file."""
    name, data, picture = await uploaded_picture(request)
    svc = service(request)
    answer = await bounded(lambda: svc.identify(data, picture))
    report = answer.report
    return JSONResponse(answer_json(report, name), status_code=upload_status(report))


ROUTES = [Route("/api/v1/tokens/{id}", token, methods=["GET"]),
          Route("/api/v1/verify-file", verify_file, methods=["POST"])]
