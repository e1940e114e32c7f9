"""The pages: ``/`` (a token ID or a picture), ``/token/{id}`` (the verdict and why), and the
answer to an uploaded picture. Server-rendered; the same errors as the API, readably (a route
raises them: :mod:`nft_toolkit.web.failures` answers)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from nft_toolkit.web.pictures import uploaded_picture
from nft_toolkit.web.render import (bounded, page, service, status_of, token_id_of,
                                    upload_status)
from nft_toolkit.web.service import TokenPage
from nft_toolkit.web.upload import (headline, original_caption, shown_candidates, token_link,
                                    upload_lines)


async def home(request: Request) -> Response:
    """GET /: the two ways to check an item."""
    return page(request, "home.html", {"trust": service(request).trust})


async def token_form(request: Request) -> Response:
    """GET /token?id=N: the home page's form, sent on to /token/N."""
    token_id = token_id_of(request.query_params.get("id", ""))
    return RedirectResponse(f"/token/{token_id}", status_code=303)


async def token(request: Request) -> Response:
    """GET /token/{id}: the verdict in large words, the picture, the holder, every check."""
    token_id = token_id_of(request.path_params["id"])
    svc = service(request)
    answer = await bounded(lambda: svc.verify(token_id))
    return render_token(request, answer)


def render_token(request: Request, answer: TokenPage, file_name: str | None = None) -> Response:
    """The token page for `answer` (also the answer to an uploaded picture, `file_name`)."""
    svc = service(request)
    return page(request, "token.html", {"p": answer, "r": answer.report,
                                        "trust": answer.trust or svc.trust,
                                        "file_name": file_name, "upload_lines": upload_lines,
                                        "headline": headline,
                                        "original_caption": original_caption,
                                        "shown_candidates": shown_candidates,
                                        "token_link": token_link},
                upload_status(answer.report) if file_name is not None
                else status_of(answer.report.verdict))


async def verify_file(request: Request) -> Response:
    """POST /verify-file: which token an uploaded picture is, as a token page."""
    name, data, picture = await uploaded_picture(request)
    svc = service(request)
    answer = await bounded(lambda: svc.identify(data, picture))
    return render_token(request, answer, name)


ROUTES = [Route("/", home, methods=["GET"]),
          Route("/token", token_form, methods=["GET"]),
          Route("/token/{id}", token, methods=["GET"]),
          Route("/verify-file", verify_file, methods=["POST"])]
