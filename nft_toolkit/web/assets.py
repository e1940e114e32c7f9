"""``/v/<CAIP-19 asset ID>?issuer=<issuer>``: the token page at the verification URL a
certificate's QR code carries (:func:`nft_toolkit.caip19.format_verification_url`). The
service vouches only for its own collection: another chain, contract or issuer is `counterfeit`
(:meth:`~nft_toolkit.web.service.Service.verify_asset`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from nft_toolkit.caip19 import URL_PATH, parse_asset_id, parse_issuer
from nft_toolkit.errors import InputError
from nft_toolkit.web.pages import render_token
from nft_toolkit.verify.report import answer_json
from nft_toolkit.web.render import (TimedOut, bounded, error_json, error_page, service, status_of,
                                    timed_out_message)
from nft_toolkit.web.service import TokenPage


async def asset_page(request: Request) -> Response:
    """GET /v/{asset}?issuer=…: the token page, trusting the issuer the URL names."""
    try:
        asset = parse_asset_id(request.path_params["asset"], "the asset ID")
        issuers = request.query_params.getlist("issuer")
        if len(issuers) != 1:
            raise InputError("a verification URL carries exactly one ?issuer=<address or "
                             "domain>, the trust anchor")
        issuer = parse_issuer(issuers[0], "the issuer")
    except InputError as exc:
        if wants_json(request):
            return error_json(str(exc), 400)
        return error_page(request, exc, 400)
    svc = service(request)

    def answer() -> TokenPage:
        return svc.verify_asset(asset, issuer)
    try:
        page = await bounded(answer)
    except TimedOut:
        if wants_json(request):
            return error_json(timed_out_message(), 504)
        return error_page(request, timed_out_message(), 504)
    if wants_json(request):  # the API's answer: the same object as `verify --json`
        return JSONResponse(answer_json(page.report), status_code=status_of(page.report.verdict))
    return render_token(request, page)


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON (``Accept: application/json``) rather than a page."""
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


ROUTES = [Route(URL_PATH + "{asset:path}", asset_page, methods=["GET"])]
