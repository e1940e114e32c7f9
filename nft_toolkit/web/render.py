"""What the routes share: the templates (Jinja2, autoescaped), the language of a request, the
HTTP status of a verdict, and a verification bounded in time.

Templates live in ``templates/``; a feature's part of the token page goes in
``templates/parts/<name>.html`` and is included there when it exists.
"""

from __future__ import annotations

import os
import unicodedata
from urllib.parse import urlencode
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from nft_toolkit.errors import InputError
from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.web import i18n
from nft_toolkit.web.service import Service

T = TypeVar("T")
REQUEST_SECONDS = 20.0  # a verification, at most; then 504
ECHO_MAX = 40  # characters of a wrong input said back to the customer
TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
ENV = Environment(loader=FileSystemLoader(TEMPLATES),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  trim_blocks=True, lstrip_blocks=True, auto_reload=False)

# 404: not an item (no such token, or a picture of none); 502: chain or content unreachable.
STATUS = {Verdict.NOT_MINTED: 404, Verdict.NOT_AN_ITEM: 404, Verdict.UNVERIFIABLE: 502}


class Refused(InputError):
    """Bad input, with its message also as data (a catalogue code, ``message.<code>``, and
    parameters, None for a value not known) so a page words it in its own language
    (:func:`error_page`, :func:`nft_toolkit.web.i18n.wording`)."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        # a value not known (None) is left out: the page words the message without it
        self.code = code
        self.params = {k: str(v) for k, v in params.items() if v is not None}


class TooLarge(Exception):
    """A request body over the app's bound (raised while it is read; the app answers 413);
    ``TooLarge(limit)``: the bound in bytes."""

    def __str__(self) -> str:
        limit = self.args[0] if self.args else 0
        return f"the request is over {int(limit) >> 20} MiB"


class TimedOut(Exception):
    """A verification that did not end within REQUEST_SECONDS."""


def status_of(verdict: Verdict) -> int:
    """The HTTP status an answer with `verdict` carries: 200 for a verdict about a real item
    (authentic, tampered, counterfeit, copy), else the error it amounts to."""
    return STATUS.get(verdict, 200)


def upload_status(report: Report) -> int:
    """The HTTP status of the answer to an uploaded picture (the page's and the API's): a picture
    found to show a token (its file, a copy of it, or a copy of either of two near twins) is a
    verdict on a picture of the collection, 200 whatever that token's own state is, so a copy of
    a token never minted (``not_minted``) is answered as a copy of a minted one (``copy``); a
    picture that shows none, and an answer that could not be reached, get :func:`status_of`
    their verdict (404 ``not_an_item``, 502 ``unverifiable``)."""
    shows_a_token = report.token_id is not None or bool(report.candidates)
    if shows_a_token and report.verdict is not Verdict.UNVERIFIABLE:
        return 200
    return status_of(report.verdict)


def service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


async def bounded(fn: Callable[[], T]) -> T:
    """`fn()` in a worker thread, given up after REQUEST_SECONDS (TimedOut); the thread ends by
    its own reads' timeouts."""
    with anyio.move_on_after(REQUEST_SECONDS):
        return await anyio.to_thread.run_sync(fn, abandon_on_cancel=True)
    raise TimedOut


def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """`template` rendered in the request's language; a ``?lang=`` choice is kept in a cookie."""
    lang = i18n.language(request)
    other = "en" if lang == "zh" else "zh"
    html = ENV.get_template(template).render(
        request=request, lang=lang, t=i18n.translator(lang), detail=i18n.detail,
        other_lang=other, switch_url=switch_url(request, other), **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def switch_url(request: Request, lang: str) -> str:
    """This page in `lang`: the same path and query (a form's answer, a POST, goes home)."""
    if request.method != "GET":
        return f"/?lang={lang}"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*query, ('lang', lang)])}"


def error_page(request: Request, message: str | InputError, status: int) -> Response:
    """An error, readably: the same message the API gives as JSON, worded in the page's
    language when it is a :class:`Refused` the catalogue has."""
    text = str(message)
    if isinstance(message, Refused):
        words = i18n.translator(i18n.language(request))
        text = i18n.wording(words, f"message.{message.code}", message.params) or text
    return page(request, "error.html", {"message": text, "status": status}, status)


def error_json(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def timed_out_message() -> str:
    return (f"the chain or the content did not answer within {REQUEST_SECONDS:.0f} s; "
            "try again later")


def token_id_of(text: str) -> int:
    """A token ID from a path or a form: a decimal integer ≥ 0 (InputError otherwise, echoing
    the input, at most :data:`ECHO_MAX` characters with … where it was cut). The home form sends
    what was typed as it is (no pattern): this is where it is read or explained."""
    text = unicodedata.normalize("NFKC", text).strip()  # a Chinese input method's full-width ７
    if not text.isascii() or not text.isdigit() or len(text) > 78:
        shown = text if len(text) <= ECHO_MAX else text[:ECHO_MAX - 1] + "…"
        raise Refused(f"{shown!r} is not a token ID (a whole number such as 7)", "not_an_id",
                      text=shown)
    return int(text)

