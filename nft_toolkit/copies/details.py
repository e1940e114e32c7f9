"""The collection's details: the small drawn parts in which its items differ.

Items of one collection share most of their pixels: the same animal and frame, and in a small
place a lucky charm, a neck accessory or an edition number of their own. A picture that shows
token N everywhere but there is no copy of N under an overlay: it is another item (another
seed's, another collection's) drawn from the same parts. The generator knows those parts; it
records them (:mod:`nft_toolkit.art.details`), ``pin`` keeps them in the copies index
(:mod:`.index`), and :mod:`.likeness` refuses a token whose detail the picture replaces with
another of the collection's.

Two kinds:

* a **variant**: one content a slot may show (each charm, each accessory), its RGBA pixels at the
  comparison's scale;
* an **own mark**: a slot whose content every item has its own of (an edition number): its box
  and where in it the items' marks differ (each token's image holds its own pixels).

Like the rest of the index, details only ever refuse: an index that lies about them can make a
copy a miss, never a picture a copy of a token it does not show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Rgba = NDArray[np.uint8]  # height x width x 4

CANON = 256  # the comparison's frame: an item's longer side, in pixels, as compared


def canon_size(shape: tuple[int, ...]) -> tuple[int, int]:
    """The canonical frame (width, height) of an image of `shape` (height, width, ...): its
    longer side CANON pixels, its aspect kept (each side at least 1)."""
    h, w = shape[:2]
    f = CANON / max(h, w)
    return max(1, round(w * f)), max(1, round(h * f))


DETAILS_MAX = 512  # parts a collection's details hold at most (the generator keeps whole slots)
DETAILS_PIXELS = 1 << 22  # variants' pixels in all, at most (16 MiB of RGBA): 512 of 1/8 frame


@dataclass(frozen=True, eq=False)
class Detail:
    """One detail, placed in the canonical frame of :class:`Details` (pixels, top-left
    `left`, `top`; `width` x `height`): a variant's RGBA pixels (`rgba`, height x width x 4,
    alpha not premultiplied); for an own mark, None, and `varies`: where items' marks differ
    (height x width; the pixels are each token's own image's: an edition number's digits)."""

    left: int
    top: int
    width: int
    height: int
    rgba: Rgba | None = None
    varies: NDArray[np.bool_] | None = None

    @property
    def box(self) -> tuple[int, int, int, int]:
        """left, top, right, bottom (exclusive), in the canonical frame's pixels."""
        return self.left, self.top, self.left + self.width, self.top + self.height


@dataclass(frozen=True, eq=False)
class Details:
    """A collection's details, drawn in the canonical frame `size` (width, height: an item's
    image resized so that its longer side is :data:`CANON` pixels: :func:`canon_size`)."""

    size: tuple[int, int]
    parts: tuple[Detail, ...] = ()

    @property
    def variants(self) -> tuple[Detail, ...]:
        return tuple(d for d in self.parts if d.rgba is not None)

    @property
    def marks(self) -> tuple[Detail, ...]:
        return tuple(d for d in self.parts if d.rgba is None)


NONE = Details((0, 0))  # a collection whose details are not known (images pinned as they came)
