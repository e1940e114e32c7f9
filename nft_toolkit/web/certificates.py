"""``/certificate/{id}.png`` and ``/certificate/{id}.pdf``: the certificate of an authentic token,
drawn by :mod:`nft_toolkit.certificate` from this service's verification.

Its QR code points at this service (``<base>/v/<asset id>?issuer=…``): the request's own base
URL, or ``$NFT_TOOLKIT_URL_BASE`` when the service answers behind a proxy under another public
address. ``?lang=zh|en|both`` chooses the language (default: both). A token that is not
authentic gets no certificate: a JSON error with the status of its verdict (404 not minted, 502
unverifiable, 409 tampered or counterfeit).
"""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nft_toolkit.caip19 import check_url_base
from nft_toolkit.certificate import LANGS, Lang, draw, pdf_bytes, png_bytes
from nft_toolkit.certify import read_facts
from nft_toolkit.errors import InputError, NftToolkitError
from nft_toolkit.verify.report import Verdict
from nft_toolkit.web.render import (TimedOut, bounded, error_json, service, status_of,
                                    timed_out_message, token_id_of)

URL_BASE_ENV = "NFT_TOOLKIT_URL_BASE"  # the same variable as `certificate --url-base`
TYPES = {"png": "image/png", "pdf": "application/pdf"}


def url_base(request: Request) -> str:
    """The public URL of this service, for the QR code."""
    configured = os.environ.get(URL_BASE_ENV)
    return check_url_base(configured or str(request.base_url), URL_BASE_ENV if configured
                          else "the request's base URL")


async def certificate(request: Request) -> Response:
    """GET /certificate/{id}.png or .pdf."""
    kind = request.url.path.rsplit(".", 1)[-1]
    chosen = request.query_params.get("lang", "both")
    try:
        token_id = token_id_of(request.path_params["id"])
        if chosen not in LANGS:
            raise InputError(f"lang {chosen[:20]!r} is not one of {', '.join(LANGS)}")
        base = url_base(request)
    except InputError as exc:
        return error_json(str(exc), 400)
    lang: Lang = chosen  # one of LANGS: checked just above
    svc = service(request)

    def make() -> tuple[Verdict, str, bytes | None]:
        report = svc.verify(token_id).report
        if report.verdict is not Verdict.AUTHENTIC:
            last = report.checks[-1].detail if report.checks else ""
            return report.verdict, last, None
        facts = read_facts(svc.chain(), svc.caches.content, report,
                           report.issuer_domain or svc.trust.issuer, base)
        image = draw(report, facts, lang)
        return report.verdict, "", pdf_bytes(image, facts) if kind == "pdf" else png_bytes(image)

    try:
        verdict, why, data = await bounded(make)
    except TimedOut:
        return error_json(timed_out_message(), 504)
    except NftToolkitError as exc:  # the chain or content went away after the verification
        return error_json(f"cannot make the certificate: {exc}", 502)
    if data is None:
        status = status_of(verdict)
        return error_json(f"token {token_id} is {verdict.words}, not authentic: no certificate "
                          f"({why[:300]})", 409 if status == 200 else status)
    return Response(data, media_type=TYPES[kind], headers={
        "Content-Disposition": f'inline; filename="certificate-{token_id}.{kind}"',
        "Cache-Control": "no-cache"})  # a later verdict may differ: ask again


ROUTES = [Route("/certificate/{id}.png", certificate, methods=["GET"]),
          Route("/certificate/{id}.pdf", certificate, methods=["GET"])]
