"""How a copy was made from its item: the guess :func:`~nft_toolkit.copies.likeness.find_copy`
reports (``Match.transform``, verify-file's ``transform``), a best guess for people.

Made from what the comparison already has (where the item lies in the picture, the picture in
the item's frame, the item's image and the tone map fitted between them), at a cost of a few
milliseconds, once per copy named. One kind is said, the first that applies in this order:

1. ``screenshot``: the item is inside a larger picture whose rest is busy (an app's text and
   buttons). It wins over everything: what the customer holds is a screen, and whatever else
   was done (the app's own badge over the picture, the screen's edge cutting it) describes the
   picture inside it. A photo of a screen showing the item, the phone and the desk around it,
   is said so too (the nearest kind there is; no longer "resized").
2. ``flipped``: a mirror image or a quarter turn (said "flipped or rotated"): the picture itself
   is turned, seen from the alignment alone.
3. ``tilted``: turned by a few degrees (a photo editor's "straighten"), neither a flip nor a
   quarter turn, seen from the alignment alone. Before ``cropped`` and ``bordered``: a tilt
   turned within its own frame cuts the item's corners off, and one that grows the frame fills
   its corners flat; both are what the tilt did, not what the customer should look for.
4. ``cropped``: part of the item is cut off (before ``bordered``: a crop loses the item's own
   pixels, a border only adds some).
5. ``bordered``: the item inside a larger picture whose rest is flat (a border, a letterbox).
6. ``recoloured``: the item's levels changed everywhere (brightness, contrast, saturation, grey
   scale: the fitted tone map is not the identity). Before ``overlaid``: where a recolouring
   clips, the tone map cannot follow and leaves differences in patches, as an overlay does,
   while an overlay leaves the tone map as it was.
7. ``overlaid``: a few patches differ from the item (a watermark, a price tag, a sticker). Only
   when the item is shown at least as large as the comparison's frame (CANON, or the item's own
   side if smaller): smaller, what the reduction loses (a thin line, an edge's ringing) differs
   in a few of the compared blocks as an overlay does (plain resizes of 512 and 1024 px cards to
   64-192 px: up to 5 % of the blocks; price tags: 1-3 %), so an overlay cannot be told from it
   and a small picture is ``resized``.
8. ``resized``: the item shown at another size than its file's.
9. ``re-encoded``: none of the above: the same pixels, saved otherwise (PNG settings, JPEG, WebP).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from nft_toolkit.copies import tone
from nft_toolkit.copies.details import CANON
from nft_toolkit.copies.picture import Rgb

KINDS = ("screenshot", "flipped", "tilted", "cropped", "bordered", "recoloured", "overlaid",
         "resized", "re-encoded")  # in the order they are tried

QUARTER_TURN = 10.0  # degrees within which the item's top edge is taken for a quarter turn
TILT = 0.5  # degrees off the nearest quarter turn beyond which the item was tilted (features
# line whole copies up within 0.12; a photo editor's straighten of 1 to 4 degrees reads within
# 0.03 of it; the finder refuses alignments beyond 5)
CROP_EDGE = 0.02  # of the picture's longer side: an item corner beyond the picture by more is
# cut off (features line an item up to a pixel: crops of 5 % lie 0.052 and more beyond, whole
# copies 0.005 at most)
CROP_COVER = 0.93  # ... but an alignment made from the thumbnails (the whole picture taken for
# the whole item, then refined) can drift a few per cent where the item's edges are flat (a
# HashLips eye on black, recoloured: corners 0.028-0.034 beyond, covering 0.95 of it): such an
# alignment is cropped only when it covers less of the item than this (5 % crops: 0.89)
FRAMED_SHARE = 0.92  # the item fills less of the picture than this: there is a frame around it
FLAT_STD = 14.0  # grey levels: the frame of a border or letterbox deviates by less (0..0.8),
# an app's screen by more (28 and up)
EDGE_RING = 0.02  # of the picture's longer side: the item's own edge, blurred by resampling
# into the frame, left out of the frame
FRAME_SIDE = 512  # the picture's longer side at which its frame is looked at
RECOLOURED_MIN = 4 / 255  # mean change of levels the fitted tone map makes to the item (copies
# neither recoloured: 1.1/255 at most; Pillow's recolourings in benchmarks/copies.py: 13/255
# and up)
CELLS = 32  # the overlay's cells per side of the item's frame (8 pixels of 256)
CELL_DIFF = 0.09  # levels (0..1) a cell's mean must differ from the item's, in a channel
CELLS_MIN = 1  # cells that must differ (the most differing cell: under a watermark 0.14 and up,
# a price tag 0.28 and up; copies re-encoded down to JPEG 30 or resized down to 25 %: 0.05 at
# most, a 33 % copy lined up 0.7 pixel off at its frame 0.072 unshifted, 0.038 shifted)
SHIFT = 1  # pixels of the frame (256 on the longer side) the item is moved by to explain a cell
RESIZED = 0.03  # relative difference of widths beyond which the item was shown at another size

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class Evidence:
    """What the comparison of a copy with its item saw, as :func:`guess` needs it."""

    corners: NDArray[np.float64]  # 4 x 2: the item's corners (top left, top right, bottom
    # right, bottom left of its frame) in `grey`'s pixels
    grey: NDArray[np.uint8]  # the picture, grey levels, as decoded (maybe reduced from the file)
    width: int  # the picture file's width, pixels
    mirrored: bool  # the alignment maps the picture's mirror image
    thumbnailed: bool  # the alignment came from the thumbnails, not from features
    aligned: Rgb  # the picture brought into the item's frame
    mask: NDArray[np.bool_]  # which of `aligned`'s pixels the picture covers
    item: Rgb  # the item's image in the same frame
    item_width: int  # the item file's width, pixels
    predicted: Floats | None = None  # the item under the tone map fitted to the picture, levels
    # 0..1 (None: fitted here)
    differs: float = 0.0  # fraction of the compared blocks where the picture is not the item's


def guess(seen: Evidence) -> str:
    """The likeliest way the picture was made from the item: one of KINDS, the first in that
    order that applies (the module's docstring says why that order)."""
    h, w = seen.grey.shape[:2]
    share, busy = _frame(seen)
    if share < FRAMED_SHARE and busy:
        return "screenshot"
    if seen.mirrored or _quarter_turned(seen.corners):
        return "flipped"
    if _tilted(seen.corners):
        return "tilted"
    if _cropped(seen, w, h):
        return "cropped"
    if share < FRAMED_SHARE:
        return "bordered"
    predicted = seen.predicted if seen.predicted is not None else _predicted(seen)
    item = seen.item.astype(np.float32) * np.float32(1 / 255)
    if float(np.abs(predicted[seen.mask] - item[seen.mask]).mean()) > RECOLOURED_MIN:
        return "recoloured"
    shown = float(np.linalg.norm(seen.corners[1] - seen.corners[0])) * seen.width / w
    seeable = shown >= min(CANON, seen.item_width) - 1  # at the comparison's frame or larger
    if seeable and (seen.differs > 0 or _overlaid(seen, predicted)):
        return "overlaid"
    return "resized" if abs(shown / seen.item_width - 1) > RESIZED else "re-encoded"


def _quarter_turned(corners: NDArray[np.float64]) -> bool:
    top = corners[1] - corners[0]
    angle = float(np.degrees(np.arctan2(top[1], top[0]))) % 360
    return min(abs(angle - a) for a in (90, 180, 270)) < QUARTER_TURN


def _tilted(corners: NDArray[np.float64]) -> bool:
    top = corners[1] - corners[0]
    angle = float(np.degrees(np.arctan2(top[1], top[0]))) % 90
    return min(angle, 90 - angle) > TILT


def _cropped(seen: Evidence, w: int, h: int) -> bool:
    if seen.thumbnailed:
        return float(seen.mask.mean()) < CROP_COVER
    edge = CROP_EDGE * max(w, h)
    return not bool(((seen.corners >= -edge) & (seen.corners <= np.array([w, h]) + edge)).all())


def _frame(seen: Evidence) -> tuple[float, bool]:
    """The share of the picture the item fills, and whether the rest (less the item's blurred
    edge) is busy rather than flat; looked at with the picture's longer side FRAME_SIDE."""
    h, w = seen.grey.shape[:2]
    f = min(1.0, FRAME_SIDE / max(h, w))
    grey = seen.grey if f == 1.0 else cv2.resize(
        seen.grey, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    sh, sw = grey.shape[:2]
    outside = np.full((sh, sw), 255, np.uint8)
    ring = np.round(seen.corners * f).astype(np.int32)
    cv2.fillConvexPoly(outside, ring, 0)
    share = 1.0 - float(np.count_nonzero(outside)) / outside.size
    cv2.polylines(outside, [ring], True, 0, thickness=max(3, round(EDGE_RING * max(sh, sw))))
    pixels = grey[outside > 0]
    return share, pixels.size > 0 and float(pixels.std()) >= FLAT_STD


def _predicted(seen: Evidence) -> Floats:
    picture = seen.aligned.astype(np.float32) * np.float32(1 / 255)
    item = seen.item.astype(np.float32) * np.float32(1 / 255)
    return tone.fit(picture, item, seen.mask).apply(item)


def _overlaid(seen: Evidence, predicted: Floats) -> bool:
    """Whether CELLS_MIN cells or more (CELLS per side of the frame, wholly covered) differ from
    the item under its tone map by more than CELL_DIFF in a channel, however the item is moved
    by up to SHIFT pixels: averaged over a cell, what re-encoding and resampling leave (noise,
    ringing at edges) cancels, and a shift explains an alignment a pixel off at the item's hard
    edges (its frame); what was drawn over the item is explained by neither."""
    h, w = seen.mask.shape
    size = (max(1, round(w * CELLS / max(h, w))), max(1, round(h * CELLS / max(h, w))))

    def cells(levels: Floats) -> Floats:
        return np.asarray(cv2.resize(levels, size, interpolation=cv2.INTER_AREA), np.float32)

    mine = cells(seen.aligned.astype(np.float32) * np.float32(1 / 255))
    padded = cv2.copyMakeBorder(predicted, SHIFT, SHIFT, SHIFT, SHIFT, cv2.BORDER_REPLICATE)
    diff: Floats | None = None
    for dy in range(-SHIFT, SHIFT + 1):
        for dx in range(-SHIFT, SHIFT + 1):
            moved = np.ascontiguousarray(padded[SHIFT + dy:SHIFT + dy + h,
                                                SHIFT + dx:SHIFT + dx + w], dtype=np.float32)
            off: Floats = np.abs(mine - cells(moved)).max(axis=2)
            diff = off if diff is None else np.minimum(diff, off)
    assert diff is not None
    covered = cv2.resize(seen.mask.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0.999
    return int(np.count_nonzero((diff > CELL_DIFF) & covered)) >= CELLS_MIN
