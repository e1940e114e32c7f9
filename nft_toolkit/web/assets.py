"""``/v/<CAIP-19 asset ID>?issuer=<issuer>``: the token page at the verification URL a
certificate's QR code carries (:func:`nft_toolkit.caip19.format_verification_url`), for this
service's collection or any other on the chain the service reaches."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nft_toolkit.caip19 import URL_PATH, parse_asset_id, parse_issuer
from nft_toolkit.errors import ChainError, InputError
from nft_toolkit.web.pages import render_token
from nft_toolkit.web.render import TimedOut, bounded, error_page, service, timed_out_message
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
        return error_page(request, str(exc), 400)
    svc = service(request)

    def answer() -> TokenPage:
        return svc.verify(asset.token_id, svc.trust_for(asset, issuer))
    try:
        page = await bounded(answer)
    except TimedOut:
        return error_page(request, timed_out_message(), 504)
    except InputError as exc:
        return error_page(request, str(exc), 400)
    except ChainError as exc:
        return error_page(request, str(exc), 502)
    return render_token(request, page)


ROUTES = [Route(URL_PATH + "{asset:path}", asset_page, methods=["GET"])]
