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
from nft_toolkit.web.failures import wants_json
from nft_toolkit.web.pages import render_token
from nft_toolkit.verify.report import answer_json
from nft_toolkit.web.render import bounded, service, status_of
from nft_toolkit.web.service import TokenPage


async def asset_page(request: Request) -> Response:
    """GET /v/{asset}?issuer=…: the token page, trusting the issuer the URL names."""
    asset = parse_asset_id(request.path_params["asset"], "the asset ID")
    issuers = request.query_params.getlist("issuer")
    if len(issuers) != 1:
        raise InputError("a verification URL carries exactly one ?issuer=<address or "
                         "domain>, the trust anchor")
    issuer = parse_issuer(issuers[0], "the issuer")
    svc = service(request)

    def answer() -> TokenPage:
        return svc.verify_asset(asset, issuer)
    page = await bounded(answer)
    if wants_json(request):  # the API's answer: the same object as `verify --json`
        return JSONResponse(answer_json(page.report), status_code=status_of(page.report.verdict))
    return render_token(request, page)


ROUTES = [Route(URL_PATH + "{asset:path}", asset_page, methods=["GET"])]
