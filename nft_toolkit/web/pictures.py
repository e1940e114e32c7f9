"""Pictures in and out of the service, both hostile until checked.

Out: ``/image/{cid}`` serves bytes only after they hashed to the CID (the content reader checks
every block), only when Pillow reads them as a raster image (PNG, JPEG, GIF, WebP), with that
type, ``nosniff`` and a sandboxing CSP; anything else (an SVG, HTML, JSON) is never served.

In: an uploaded picture is bounded in bytes (:data:`UPLOAD_MAX`, the largest collection image)
and decoded by the one decoder the CLI's ``verify-file`` uses
(:func:`nft_toolkit.copies.picture.decode`: its formats, its pixel limit, animated and truncated
files refused), before anything is read from the chain; a refusal keeps the library's line and
says it in the page's language too (:func:`refusal`).
"""

from __future__ import annotations

import io
import threading
import warnings

from PIL import Image, UnidentifiedImageError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nft_toolkit.copies.picture import FORMATS, PIXELS_MAX, SIDE_MAX, Picture, decode
from nft_toolkit.errors import ContentError, InputError
from nft_toolkit.verify.sources import IMAGE_MAX
from nft_toolkit.web.render import (Refused, TimedOut, TooLarge, bounded, error_json, service,
                                    timed_out_message)

UPLOAD_MAX = IMAGE_MAX
# Uploads decoded at once in one process: a 64 MP WebP under the 16 MiB body takes ~1 GiB while
# decoding (a JPEG, drafted small, ~160 MiB); the others wait (within the request's time bound).
DECODING = threading.BoundedSemaphore(2)
RASTER = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def raster_type(data: bytes) -> str | None:
    """The content type of `data` when Pillow reads it as a raster image within PIXELS_MAX, else
    None (an SVG, a document, a decompression bomb, garbage)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                kind = RASTER.get(img.format or "")
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, ValueError, SyntaxError):
        return None
    return kind if width * height <= PIXELS_MAX else None


def refusal(data: bytes, exc: InputError) -> Refused:
    """:func:`decode`'s refusal `exc` of `data` with what it is as a catalogue code (read again
    from the header only: the decision stays the decoder's), so a page words it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as img:
                width, height = img.size
                animated = bool(getattr(img, "is_animated", False))
    except Image.DecompressionBombError:
        # too large for Pillow to say its size: the words without it
        return Refused(str(exc), "too_many_pixels", megapixels=PIXELS_MAX // 1_000_000)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return Refused(str(exc), "not_a_picture")
    if width * height > PIXELS_MAX or max(width, height) > SIDE_MAX:
        return Refused(str(exc), "too_many_pixels", size=f"{width}×{height}",
                       megapixels=PIXELS_MAX // 1_000_000)
    if animated:
        return Refused(str(exc), "animated")
    return Refused(str(exc), "damaged")


async def uploaded_picture(request: Request) -> tuple[str, bytes, Picture]:
    """The picture of a multipart form's ``file`` field: (its file name, its bytes, it decoded),
    bounded; a :class:`Refused` InputError with one line otherwise."""
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=1 << 16)
    except TooLarge:
        raise  # the body bound's own answer, 413
    except Exception as exc:  # Starlette raises its own parse errors (HTTPException, others)
        raise Refused(f"not a multipart form with a picture: {exc}", "no_form") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Refused("give the picture as the form field `file`", "no_file")
    data = await upload.read(UPLOAD_MAX + 1)
    await form.close()
    if len(data) > UPLOAD_MAX:
        raise Refused(f"the picture is over {UPLOAD_MAX >> 20} MiB: larger than any "
                      "collection image", "too_big", mib=UPLOAD_MAX >> 20)
    if not data:
        raise Refused("the picture is empty", "empty")

    def decoded() -> Picture:
        with DECODING:
            return decode(data, "the uploaded file")
    try:
        picture = await bounded(decoded)
    except InputError as exc:
        raise refusal(data, exc) from None
    name = (upload.filename or "picture")[:200]
    return name, data, picture


async def image(request: Request) -> Response:
    """GET /image/{cid}: a verified raster image, never a document."""
    cid = request.path_params["cid"]
    svc = service(request)
    try:
        data = await bounded(lambda: svc.image(cid))
    except TimedOut:
        return error_json(timed_out_message(), 504)
    except ContentError as exc:
        return error_json(f"cannot serve {cid[:80]}: {exc}", 404)
    kind = raster_type(data)
    if kind is None:
        return error_json("not a raster image: not served", 415)
    return Response(data, media_type=kind, headers={
        "Content-Security-Policy": IMAGE_CSP, "Content-Disposition": "inline",
        "Cache-Control": "public, max-age=31536000, immutable"})


ROUTES = [Route("/image/{cid}", image, methods=["GET"])]
