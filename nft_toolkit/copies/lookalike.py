"""Whether a picture is a look-alike of a token rather than a copy: another item drawn from the
same parts (:mod:`.details`), which shows, where one of the collection's details lies, another
variant of it than the token's own or none, or another own mark (edition number).

A variant is the picture's, rather than the token's, where the two look different once the
variant is recoloured as the token was (the token's fitted tone map, :mod:`.tone`): most of
those pixels (VARIANT_SHARE) are nearer the variant, hardly any (TOKEN_SHARE) nearer the token.
The token's own variant is lacking where hardly any of its pixels (LACKED_SHARE) are near the
picture's.

An overlay (a price tag, a sticker) over the detail is told apart by what lies around it. Around
a slot (its variants' union, RING pixels wider) and between its variants' shapes, every item
shows what lies beneath the detail, as the token does. An overlay covers some of that too, and
the slot is then not judged (its difference stays the overlay allowance's).

An own mark is the token's where the picture shows it: where items' marks differ (an edition
number's digits), the picture's levels correlate with the token's (MARK_MIN), digit by digit.
An overlay over an edition number hides the number that would make it the token's: the safe
side is a miss.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
from numpy.typing import NDArray

from nft_toolkit.copies.details import Detail, Details
from nft_toolkit.copies.tone import Tone

Floats = NDArray[np.float32]

OPAQUE = 250  # alpha at which a variant's pixel is its own colour (its edges blend)
SHOWN_MIN = 0.6  # share of a variant's opaque pixels the picture must show for it to be judged
VOTES_MIN = 24  # pixels (canonical frame) where the variant and the token must look different
VARIANT_SHARE = 0.75  # ... of which this share at least must be nearer the variant
TOKEN_SHARE = 0.1  # ... and this share at most nearer the token
LACKED_SHARE = 0.25  # share of the token's own variant's pixels a picture lacking it may match
# (what lies beneath a neck accessory left out: 0.14 of a pendant's)
LACKED_TIMES = 3.0  # ... within this many times the picture's noise
LACKED_LEVEL = 0.12  # ... or this difference (levels), whichever is more
OWN_OFF = 0.1  # share of a variant's opaque pixels the token may show otherwise, still its own
RING = 3  # pixels around a slot's variants where every item shows what lies beneath them
BARE_KEPT = 0.85  # share of those (shown) that must match the token, or the slot is covered
BARE_MIN = 16  # ... pixels, at least, else nothing tells an overlay from a variant
MARK_MIN = 0.5  # correlation of the picture with the token where items' marks differ, in any
# window MARK_WINDOW columns wide, below which the picture shows another mark (an edition
# number's other digits: -0.25 and less on the look-alikes of benchmarks/copies.py, 0.12..0.54
# on another token's copies; the token's own copies, every transform: 0.71 and more)
MARK_SURE = 0.65  # ... at or above which a token's mark tells it from a near twin refused by
# its own (the token's own copies: 0.71 and more; another token's: up to 0.54, when a digit
# or two differ and the rest of the number matches)
MARK_WINDOW = 4  # pixels: a digit's width in the canonical frame (a zodiac card's edition number)
MARK_PIXELS = 12  # ... of which a window must hold this many pixels where marks differ
MARK_CONTRAST = 0.1  # levels (the 5th to 95th percentile) under which a mark is not judged


def replaced(picture: Floats, shown: NDArray[np.bool_], predicted: Floats, tone: Tone,
             level: float, details: Details) -> Detail | None:
    """The variant among `details` that the picture shows where the token shows another, or
    the token's own that the picture lacks (an accessory left out), or None.

    `picture`: the aligned picture's levels (height x width x 3, 0..1) in the details' frame;
    `shown`: which of its pixels it covers; `predicted`: the token's image recoloured as the
    picture (its fitted `tone`), same shape; `level`: the difference (levels, mean of channels)
    within which a pixel is the one predicted (the picture's noise)."""
    if (picture.shape[1], picture.shape[0]) != details.size:
        return None
    for slot in _slots(details.variants):
        if not _bare(slot, picture, shown, predicted, level):
            continue
        for variant in slot:
            if _shows(variant, picture, shown, predicted, tone, level) \
                    or _lacks(variant, picture, shown, predicted, tone, level):
                return variant
    return None


def _lacks(variant: Detail, picture: Floats, shown: NDArray[np.bool_], predicted: Floats,
           tone: Tone, level: float) -> bool:
    """Whether `variant` is the token's own (the token shows it: all but OWN_OFF of its opaque
    pixels within `level`) and the picture, which shows where it lies, does not (at most
    LACKED_SHARE of those pixels near it: LACKED_TIMES `level`, at least LACKED_LEVEL)."""
    assert variant.rgba is not None
    box = np.s_[variant.top:variant.top + variant.height,
                variant.left:variant.left + variant.width]
    opaque = variant.rgba[..., 3] >= OPAQUE
    seen = opaque & shown[box]
    count = int(np.count_nonzero(seen))
    if count < max(VOTES_MIN, SHOWN_MIN * int(np.count_nonzero(opaque))):
        return False
    mine = np.asarray(tone.apply(variant.rgba[..., :3].astype(np.float32) * np.float32(1 / 255)),
                      dtype=np.float32)
    if float(np.mean(_difference(mine, predicted[box])[seen] > level)) > OWN_OFF:
        return False  # not the token's own
    near = max(LACKED_TIMES * level, LACKED_LEVEL)  # a recolouring's clipping spares no level
    return float(np.mean(_difference(picture[box], mine)[seen] <= near)) <= LACKED_SHARE


def remarked(picture: Floats, shown: NDArray[np.bool_], predicted: Floats,
             details: Details) -> tuple[Detail | None, float]:
    """The own mark (:attr:`.Details.marks`) where the picture shows another than the token's
    (or covers it), or None; and the least correlation found where marks differ (1 when no
    mark is shown enough to judge). Arguments as :func:`replaced`'s."""
    if (picture.shape[1], picture.shape[0]) != details.size:
        return None, 1.0
    least = 1.0
    for mark in details.marks:
        assert mark.varies is not None
        box = np.s_[mark.top:mark.top + mark.height, mark.left:mark.left + mark.width]
        varies = mark.varies & shown[box]
        if int(np.count_nonzero(varies)) < max(VOTES_MIN,
                                               SHOWN_MIN * int(np.count_nonzero(mark.varies))):
            continue
        mine, token = picture[box].mean(axis=2), predicted[box].mean(axis=2)
        levels = token[varies]
        if float(np.percentile(levels, 95) - np.percentile(levels, 5)) < MARK_CONTRAST:
            continue  # a mark the recolouring flattened tells nothing
        least = min(least, _least_correlation(mine, token, varies))
        if least < MARK_MIN:
            return mark, least
    return None, least


def _least_correlation(mine: Floats, token: Floats, where: NDArray[np.bool_]) -> float:
    """The least correlation of `mine` with `token` over `where`, in windows MARK_WINDOW
    columns wide (a digit each, or about): one other digit among four is as plain as four."""
    columns = np.flatnonzero(where.any(axis=0))
    least = 1.0
    for left in range(int(columns[0]), int(columns[-1]) + 1, max(1, MARK_WINDOW // 2)):
        window = np.zeros_like(where)
        window[:, left:left + MARK_WINDOW] = where[:, left:left + MARK_WINDOW]
        if int(np.count_nonzero(window)) >= MARK_PIXELS:
            least = min(least, _correlation(mine[window], token[window]))
    return least


def _correlation(a: Floats, b: Floats) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / max(float(np.sqrt((a * a).sum() * (b * b).sum())), 1e-9))


def _slots(variants: tuple[Detail, ...]) -> Iterator[list[Detail]]:
    """The variants grouped by place: connected sets of overlapping boxes."""
    groups: list[list[Detail]] = []
    for variant in variants:
        joined = [g for g in groups if any(_overlap(variant, d) for d in g)]
        merged = [variant] + [d for g in joined for d in g]
        groups = [g for g in groups if not any(g is j for j in joined)] + [merged]
    yield from groups


def _overlap(a: Detail, b: Detail) -> bool:
    (al, at, ar, ab), (bl, bt, br, bb) = a.box, b.box
    return al < br and bl < ar and at < bb and bt < ab


def _bare(slot: list[Detail], picture: Floats, shown: NDArray[np.bool_], predicted: Floats,
          level: float) -> bool:
    """Whether the picture matches the token where no variant of `slot` draws, around and
    between them: nothing covers the slot."""
    h, w = shown.shape
    left = max(0, min(d.left for d in slot) - RING)
    top = max(0, min(d.top for d in slot) - RING)
    right = min(w, max(d.box[2] for d in slot) + RING)
    bottom = min(h, max(d.box[3] for d in slot) + RING)
    drawn = np.zeros((bottom - top, right - left), dtype=bool)
    for d in slot:
        assert d.rgba is not None
        r0, c0 = d.top - top, d.left - left
        drawn[r0:r0 + d.height, c0:c0 + d.width] |= d.rgba[..., 3] > 0
    # a pixel next to a variant's edge may blend with it after resampling
    drawn = cv2.dilate(drawn.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    bare = ~drawn & shown[top:bottom, left:right]
    if int(np.count_nonzero(bare)) < BARE_MIN:
        return False
    off = _difference(picture[top:bottom, left:right], predicted[top:bottom, left:right])
    return float(np.mean(off[bare] <= level)) >= BARE_KEPT


def _shows(variant: Detail, picture: Floats, shown: NDArray[np.bool_], predicted: Floats,
           tone: Tone, level: float) -> bool:
    """Whether the picture shows `variant` where the token looks otherwise."""
    assert variant.rgba is not None
    box = np.s_[variant.top:variant.top + variant.height,
                variant.left:variant.left + variant.width]
    opaque = variant.rgba[..., 3] >= OPAQUE
    seen = opaque & shown[box]
    if int(np.count_nonzero(seen)) < SHOWN_MIN * max(1, int(np.count_nonzero(opaque))):
        return False
    mine = np.asarray(tone.apply(variant.rgba[..., :3].astype(np.float32) * np.float32(1 / 255)),
                      dtype=np.float32)
    token = predicted[box]
    gap = _difference(mine, token)
    differ = seen & (gap > max(level, 0.0))
    count = int(np.count_nonzero(differ))
    if count < VOTES_MIN:
        return False
    to_variant, to_token = _difference(picture[box], mine), _difference(picture[box], token)
    nearer = to_variant[differ] < to_token[differ]
    for_variant = int(np.count_nonzero(nearer & (to_variant[differ] <= gap[differ] / 2)))
    for_token = int(np.count_nonzero(~nearer & (to_token[differ] <= gap[differ] / 2)))
    return for_variant >= VARIANT_SHARE * count and for_token <= TOKEN_SHARE * count


def _difference(a: Floats, b: Floats) -> Floats:
    """Per pixel, the mean over channels of the absolute difference (levels)."""
    return np.asarray(np.abs(a - b).mean(axis=2), dtype=np.float32)
