"""The perceptual index of a collection: a small grey thumbnail of every token's image.

Built by `pin` from the images it pins, pinned beside the metadata, and named by the
contract-level JSON (``"copies_index": "ipfs://<CID>"``) and the pin manifest
(``copies_index_cid``), so anyone can find it from the chain's ``contractURI``. The same images
give the same bytes (OpenCV is pinned), so a re-pin gives the same CID.

The index only *proposes* candidates: :mod:`nft_toolkit.copies.likeness` confirms one against the
candidate's image fetched and verified by its CID, so an index that lies can hide a token (a
miss) but cannot make a picture a copy of a token it does not show.

Format (version 2; version 1, without details, still parses)::

    b"NFTCOPY\\x01" | header length (uint32, big-endian) | header JSON
    | N x THUMB x THUMB bytes | the details' PNGs, one after another

header ``{"format": "nft-toolkit copies index", "version": 2, "thumb": 16, "tokens": N,
"details": {"size": [W, H], "parts": [[left, top, width, height, kind, png_bytes], ...]}}``:
the thumbnails of tokens 1..N in order, row-major grey levels (OpenCV's INTER_AREA resize of the
whole image, aspect ignored); then the collection's details (:mod:`.details`, found by the
generator: :mod:`nft_toolkit.art.details`) in their canonical frame of W x H pixels (the
longer side :data:`~.details.CANON`): each part's box, inside the frame, its kind and the byte
length of its PNG, exactly the box's size: for a ``"variant"`` its RGBA pixels (the encoder of
:mod:`nft_toolkit.art.png`), for a ``"mark"`` (an own mark) where items' marks differ, 8-bit
grey, 0 or 255 (OpenCV's encoder). At most :data:`~.details.DETAILS_MAX` parts and
:data:`~.details.DETAILS_PIXELS` pixels in all. An index without details (images pinned as
they came, not generated) is written as version 1: ``"version": 1`` and no ``"details"``.

A build's own details (``build/copies-details.bin``, written by ``generate`` for ``pin`` to
embed) are an index of no tokens in this format.
"""

from __future__ import annotations

import io
import json
import struct
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image
from threadpoolctl import ThreadpoolController

from nft_toolkit.art.png import encode_png
from nft_toolkit.copies.details import (CANON, DETAILS_MAX, DETAILS_PIXELS, NONE, Detail,
                                         Details)
from nft_toolkit.copies.picture import Rgb, decode
from nft_toolkit.errors import InputError

MAGIC = b"NFTCOPY\x01"
FORMAT = "nft-toolkit copies index"
VERSION = 2  # with details; an index without them is written as version 1
VERSIONS = (1, 2)
THUMB = 16  # thumbnail side, pixels
INDEX_MAX = 64 << 20  # bytes: 16x16 thumbnails of 250,000 tokens
HEADER_MAX = 4096 + 48 * DETAILS_MAX  # a part's box, kind and length take at most 48 bytes
KINDS = ("variant", "mark")
FILENAME = "copies-index.bin"
COARSE = 2  # the first pass over a large index ranks thumbnails averaged over 2x2 cells ...
SHORTLIST = 256  # ... and keeps this many for the full comparison

Floats = NDArray[np.float32]


def thumbnail(picture: Rgb) -> NDArray[np.uint8]:
    """`picture` as a THUMB x THUMB grey thumbnail (what the index holds per token)."""
    return grey_thumbnail(np.asarray(cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY), dtype=np.uint8))


def grey_thumbnail(grey: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """:func:`thumbnail` of a picture already in grey levels (OpenCV's RGB2GRAY)."""
    return np.asarray(cv2.resize(grey, (THUMB, THUMB), interpolation=cv2.INTER_AREA),
                      dtype=np.uint8)


def build(images: Iterable[tuple[str, bytes]], details: Details = NONE) -> tuple[bytes, list[str]]:
    """The index bytes of the images of tokens 1..N, given in token order as (name, bytes), with
    the collection's `details`, and the names of those no verifier decodes
    (:func:`~nft_toolkit.copies.picture.decode`): they get a blank thumbnail, and copies of them
    cannot be recognised."""
    thumbs, undecodable = [], []
    for name, data in images:
        try:
            thumbs.append(thumbnail(decode(data, name).rgb))
        except InputError:
            thumbs.append(np.zeros((THUMB, THUMB), np.uint8))
            undecodable.append(name)
    return encode(thumbs, details), undecodable


def encode(thumbs: Sequence[NDArray[np.uint8]], details: Details = NONE) -> bytes:
    """The index bytes of the thumbnails of tokens 1..N, in order, and the collection's
    `details` (version 1 when they are not known: :data:`~.details.NONE`). ValueError when the
    details break the format's bounds (:func:`_details`)."""
    doc: dict[str, object] = {"format": FORMAT, "version": 1, "thumb": THUMB,
                              "tokens": len(thumbs)}
    pngs: list[bytes] = []
    if details.size != NONE.size:
        pngs = [_png(d) for d in details.parts]
        doc["version"] = VERSION
        doc["details"] = {"size": list(details.size), "parts": [
            [d.left, d.top, d.width, d.height, KINDS[d.rgba is None], len(png)]
            for d, png in zip(details.parts, pngs)]}
    header = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    body = b"".join(np.ascontiguousarray(t, dtype=np.uint8).tobytes() for t in thumbs)
    data = MAGIC + struct.pack(">I", len(header)) + header + body + b"".join(pngs)
    if "details" in doc:  # never write what a verifier refuses (bounds, boxes outside the frame)
        try:
            CopiesIndex.parse(data, "the details given")
        except InputError as exc:
            raise ValueError(str(exc)) from None
    return data


def _png(detail: Detail) -> bytes:
    """A part's PNG: a variant's RGBA pixels, or where an own mark varies (grey, 0 or 255)."""
    if detail.rgba is not None:
        return encode_png(Image.fromarray(detail.rgba, "RGBA"))
    if detail.varies is None:
        raise ValueError(f"the own mark at {detail.box} does not say where items' marks differ")
    ok, png = cv2.imencode(".png", np.where(detail.varies, 255, 0).astype(np.uint8))
    assert ok
    return bytes(png.tobytes())


def _znorm(rows: Floats) -> Floats:
    """Each row centred and scaled to unit norm (flat rows stay zero)."""
    rows = rows - rows.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(rows / np.where(norms > 1e-6, norms, 1.0), dtype=np.float32)


@dataclass(frozen=True)
class CopiesIndex:
    """Thumbnails of tokens 1..N, ready to rank a picture against."""

    thumbs: NDArray[np.uint8]  # N x THUMB*THUMB
    details: Details = NONE  # the collection's (NONE: a version-1 index, or not generated)

    @property
    def size(self) -> int:
        return int(self.thumbs.shape[0])

    @classmethod
    def parse(cls, data: bytes, where: str = "the copies index") -> CopiesIndex:
        """The index in `data`; InputError naming `where` when it is not one (hostile bytes:
        bounded, every length checked)."""
        bad = f"{where} is not an nft-toolkit copies index"
        if len(data) > INDEX_MAX or len(data) < len(MAGIC) + 4 or not data.startswith(MAGIC):
            raise InputError(bad)
        (length,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
        start = len(MAGIC) + 4 + length
        if length > HEADER_MAX or start > len(data):
            raise InputError(f"{bad} (header length {length})")
        try:
            header = json.loads(data[len(MAGIC) + 4:start])
            version, thumb, count = header["version"], header["thumb"], header["tokens"]
        except (ValueError, KeyError, TypeError, RecursionError):
            raise InputError(f"{bad} (header)") from None
        if (type(version) is not int or version not in VERSIONS or thumb != THUMB
                or header.get("format") != FORMAT):
            raise InputError(f"{where}: unsupported copies index (version {version!r})")
        if type(count) is not int or count < 0 or len(data) - start < count * THUMB * THUMB:
            raise InputError(f"{bad} ({len(data) - start} bytes for {count!r} tokens)")
        end = start + count * THUMB * THUMB
        details = NONE
        if version == 1 or header.get("details") is None:
            if end != len(data):
                raise InputError(f"{bad} ({len(data) - start} bytes for {count!r} tokens)")
        else:
            details = _details(header["details"], data, end, f"{bad} (details")
        thumbs = np.frombuffer(data, dtype=np.uint8, count=count * THUMB * THUMB,
                               offset=start).reshape(count, THUMB * THUMB)
        return cls(thumbs, details)

    def describes(self, token_id: int, thumb: NDArray[np.uint8]) -> bool:
        """Whether the index holds `thumb` (made from the token's verified image) for
        `token_id`, within a grey level or two (resampling may round otherwise elsewhere)."""
        if not 1 <= token_id <= self.size:
            return False
        mine = self.thumbs[token_id - 1].astype(np.int16)
        return int(np.abs(mine - thumb.reshape(-1).astype(np.int16)).max()) <= 2

    @cached_property
    def _views(self) -> Floats:
        """The thumbnails as a crop of the item would show them (none, 20 % off one side, 10 %
        off every side), resampled to THUMB x THUMB and normalised: views x N x THUMB*THUMB,
        computed once per index."""
        out = []
        for rows, cols in _CROPS:
            grid = self.thumbs.reshape(-1, THUMB, THUMB)[:, rows][:, :, cols]
            out.append(_znorm(grid.reshape(self.size, -1).astype(np.float32)))
        return np.stack(out)

    @cached_property
    def _coarse(self) -> Floats:
        """:attr:`_views` averaged over COARSE x COARSE cells and normalised again, as columns
        (cells x views*N: one product with the query rows ranks every view)."""
        coarse = np.concatenate([_znorm(_pooled(view)) for view in self._views])
        return np.ascontiguousarray(coarse.T)

    @cached_property
    def _blas(self) -> ThreadpoolController:
        return ThreadpoolController()

    def rank(self, queries: Iterable[NDArray[np.uint8]], limit: int) -> list[int]:
        """Token IDs (1-based) whose thumbnails, whole or as a crop would show them, correlate
        best with any of `queries` (grey THUMB x THUMB thumbnails: the picture's orientations
        and regions), best first. A large index is first ranked on coarse thumbnails, and its
        SHORTLIST best compared in full (about 3 ms at 10,000 tokens)."""
        return [t for t, _ in self.scored(queries, limit)]

    def scored(self, queries: Iterable[NDArray[np.uint8]], limit: int) -> list[
            tuple[int, float]]:
        """:meth:`rank`'s token IDs with their correlations (-1..1), best first."""
        q = _znorm(np.stack([np.asarray(t, np.float32).reshape(-1) for t in queries]))
        # products this small gain nothing from threads, and on a busy machine BLAS's spin
        with self._blas.limit(limits=1, user_api="blas"):
            rows = np.arange(self.size)
            if self.size > SHORTLIST:
                coarse = _best_columns(self._coarse, _znorm(_pooled(q)), self.size)
                rows = np.argpartition(-coarse, SHORTLIST - 1)[:SHORTLIST]
            scores = np.full(self.size, -np.inf, dtype=np.float32)
            scores[rows] = _best(self._views[:, rows], q)
        return [(t, float(scores[t - 1])) for t in _top(scores, limit)]

    def rank_masked(self, aligned: NDArray[np.uint8], mask: NDArray[np.bool_],
                    limit: int) -> list[int]:
        """Token IDs whose thumbnails correlate best with `aligned` (a grey THUMB x THUMB
        thumbnail of the picture brought into the tokens' frame) over the cells `mask` covers."""
        cells = mask.reshape(-1)
        count = int(cells.sum())
        if count < 8:
            return []
        q = np.zeros(THUMB * THUMB, dtype=np.float32)
        q[cells] = _znorm(np.asarray(aligned, np.float32).reshape(1, -1)[:, cells])[0]
        weights = cells.astype(np.float32)
        # each thumbnail centred over the covered cells, without copying the index: q sums to 0
        # there, so the product needs no centring, and the norm follows from sums and squares
        with self._blas.limit(limits=1, user_api="blas"):
            products = self._centred @ np.stack([q, weights], axis=1)
            squares = self._squares @ weights
        spread = squares - products[:, 1] * products[:, 1] / count
        scores = products[:, 0] / np.sqrt(np.maximum(spread, 1e-12))
        return _top(np.asarray(scores, dtype=np.float32), limit)

    @cached_property
    def _centred(self) -> Floats:
        """Each thumbnail less its mean (the sums of squares below stay exact in float32)."""
        floats = self.thumbs.astype(np.float32)
        return np.asarray(floats - floats.mean(axis=1, keepdims=True), dtype=np.float32)

    @cached_property
    def _squares(self) -> Floats:
        return np.asarray(self._centred * self._centred, dtype=np.float32)


def _details(doc: object, data: bytes, offset: int, bad: str) -> Details:
    """The details a version-2 header describes (`doc`), their PNGs read from `data` at
    `offset` to its end; InputError starting with `bad` when anything is off (a box outside the
    frame or a frame not the canonical one, more than DETAILS_MAX parts or DETAILS_PIXELS
    pixels, lengths that do not add up to the bytes there, a PNG not of its box's size or not of
    its kind's mode). Each PNG's size is read from its header before it is decoded."""
    def ints(values: object, n: int) -> list[int] | None:
        if (isinstance(values, list) and len(values) == n
                and all(type(v) is int for v in values)):
            return values
        return None

    size = ints(doc.get("size"), 2) if isinstance(doc, dict) else None
    parts = doc.get("parts") if isinstance(doc, dict) else None
    if size is None or not isinstance(parts, list):
        raise InputError(f"{bad}: no frame or parts)")
    width, height = size
    if min(width, height) < 1 or max(width, height) != CANON:
        raise InputError(f"{bad}: a frame of {width}x{height}, not {CANON} on its longer side)")
    if len(parts) > DETAILS_MAX:
        raise InputError(f"{bad}: {len(parts)} parts, over {DETAILS_MAX})")
    out, pixels, at = [], 0, offset
    for n, part in enumerate(parts):
        fields = isinstance(part, list) and len(part) == 6
        box = ints(part[:4], 4) if fields else None
        kind, length = (part[4], part[5]) if fields else (None, None)
        if box is None or kind not in KINDS or type(length) is not int or length < 1:
            raise InputError(f"{bad}: part {n} is not [left, top, width, height, kind, bytes])")
        left, top, w, h = box
        if min(left, top) < 0 or min(w, h) < 1 or left + w > width or top + h > height:
            raise InputError(f"{bad}: part {n}'s box {box} is outside the {width}x{height} "
                             "frame)")
        pixels += w * h
        if pixels > DETAILS_PIXELS or at + length > len(data):
            raise InputError(f"{bad}: part {n} runs past "
                             f"{'the pixels allowed' if pixels > DETAILS_PIXELS else 'the end'})")
        mode = "RGBA" if kind == "variant" else "L"
        pixels_of = _decoded(data[at:at + length], (w, h), mode, f"{bad}: part {n}")
        out.append(Detail(left, top, w, h, pixels_of) if mode == "RGBA"
                   else Detail(left, top, w, h, varies=pixels_of != 0))
        at += length
    if at != len(data):
        raise InputError(f"{bad}: {len(data) - at} bytes after the last part)")
    return Details((width, height), tuple(out))


def _decoded(png: bytes, size: tuple[int, int], mode: str, bad: str) -> NDArray[np.uint8]:
    """A PNG of exactly `size` (width, height) in `mode`, checked from its header before it is
    decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
                if image.size != size or image.mode != mode:
                    raise InputError(f"{bad} is a PNG of {image.size[0]}x{image.size[1]} "
                                     f"({image.mode}), not one of its box's {size[0]}x{size[1]} "
                                     f"({mode}))")
                image.load()
                return np.asarray(image, dtype=np.uint8)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise InputError(f"{bad} is not a PNG that decodes)") from None


def _pooled(rows: Floats) -> Floats:
    """Rows of THUMB x THUMB thumbnails averaged over COARSE x COARSE cells."""
    side = THUMB // COARSE
    grid = rows.reshape(-1, side, COARSE, side, COARSE).mean(axis=(2, 4))
    return np.asarray(grid.reshape(len(rows), -1), dtype=np.float32)


def _best(views: Floats, q: Floats) -> Floats:
    """Per token, the best correlation of any view of it with any query row."""
    flat = views.reshape(-1, views.shape[-1])
    return _best_columns(np.ascontiguousarray(flat.T), q, views.shape[1])


def _best_columns(columns: Floats, q: Floats, size: int) -> Floats:
    """:func:`_best` of views given as columns (cells x views*size, view after view): the
    products' maximum over the query rows taken by OpenCV (numpy's over a short axis is several
    times slower: 4 of 7 ms at 10,000 tokens), then over the views."""
    products = np.ascontiguousarray(q @ columns, dtype=np.float32)
    rows = cv2.reduce(products, 0, cv2.REDUCE_MAX).reshape(-1, size)
    return np.asarray(rows.max(axis=0), dtype=np.float32)


def _crop_grid(left: float, top: float, right: float, bottom: float) -> tuple[
        NDArray[np.intp], NDArray[np.intp]]:
    """Rows and columns of a THUMB grid that sample the part of it a crop keeps."""
    def axis(a: float, b: float) -> NDArray[np.intp]:
        centres = a * THUMB + (np.arange(THUMB) + 0.5) * (1 - a - b)
        return np.clip(centres.astype(np.intp), 0, THUMB - 1)
    return axis(top, bottom), axis(left, right)


_CROPS = [_crop_grid(0, 0, 0, 0), _crop_grid(0.2, 0, 0, 0), _crop_grid(0, 0.2, 0, 0),
          _crop_grid(0, 0, 0.2, 0), _crop_grid(0, 0, 0, 0.2), _crop_grid(0.1, 0.1, 0.1, 0.1)]


def _top(scores: Floats, limit: int) -> list[int]:
    """The 1-based positions of the `limit` highest scores, highest first (ties: lower ID)."""
    limit = min(limit, len(scores))
    if limit <= 0:
        return []
    part = np.argpartition(-scores, limit - 1)[:limit]
    order = sorted(part.tolist(), key=lambda i: (-float(scores[i]), i))
    return [i + 1 for i in order]
