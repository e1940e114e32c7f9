"""A collection's details (:mod:`nft_toolkit.copies.details`), found in its artwork's sprites.

Only the generator knows which small drawn parts its items differ by; this reads them from
every generated item's sprites (:meth:`~nft_toolkit.art.render.Artwork.sprites`; 1-of-1 items
have none and are left out):

1. A sprite can be a detail when it is not the first (which covers the canvas), is drawn in the
   NORMAL blend mode, and covers at most 1/8 of the canvas (a detail is small). Each is keyed by
   its position, size and the sha256 of its RGBA bytes (its *content*).
2. Contents whose boxes overlap, directly or through others, share a *slot*.
3. A slot every item has a sprite in, none of whose contents two items share (the zodiac
   plaque and its edition number), is an **own mark**: its box, the union of its sprites',
   and where in it items' marks differ (each item's sprites there drawn and compared with the
   first item's: the edition number's digits, not the year beside them).
4. A slot with two contents or more, or one some items lack (the zodiac charm; the
   accessory, which "None" leaves out), is a **variant** slot: each content is a variant, its
   pixels at the comparison's scale.
5. A slot with one content every item has (the title, a one-element year's emblem) tells no
   item from another: no detail.

Scale: the canonical frame is an item's image resized so that its longer side is
:data:`~nft_toolkit.copies.details.CANON` (:func:`~nft_toolkit.copies.details.canon_size`, the frame verify-file
compares in), and a box is scaled by the frame's own ratios (width and height apart), its
left and top rounded down and its right and bottom up. A variant's pixels are its sprite,
padded with transparent pixels to the part of the canvas its scaled box covers, resized to that
box by OpenCV's INTER_AREA with the colours premultiplied by alpha (divided again after, so that
edges do not darken); an own mark's pixel varies when any canvas pixel under it does. The same
bytes for the same artwork.

Bound (a hostile or huge layer set): at most :data:`~nft_toolkit.copies.details.DETAILS_MAX`
parts and :data:`~nft_toolkit.copies.details.DETAILS_PIXELS` pixels in the frame, and own
marks whose boxes cover at most one canvas in all (what the pass that compares them holds).
Slots are kept whole, smallest first (by the area of their box, then top to bottom, left to
right), each one while its parts and pixels still fit, and a slot that does not fit is dropped
whole (its details are then no evidence; a copy there is compared as it is today).
"""

from __future__ import annotations

import hashlib
import math
import struct
import weakref
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from nft_toolkit.art.blend import NORMAL
from nft_toolkit.art.render import Artwork, Sprite
from nft_toolkit.copies.details import (DETAILS_MAX, DETAILS_PIXELS, Detail, Details, Rgba,
                                         canon_size)

if TYPE_CHECKING:
    from nft_toolkit.art.generate import Item

Box = tuple[int, int, int, int]  # left, top, width, height, in the canvas's pixels
SMALL = 8  # a detail covers at most 1/SMALL of the canvas


def collection_details(artwork: Artwork, items: Sequence[Item]) -> Details:
    """The details of the collection `artwork` draws `items` in (see the module's doc): calls
    ``artwork.sprites`` once for each generated item, again for each variant kept, and once more
    for each item when there are own marks. Memory: a few hundred bytes per item (an edition
    number's content is each item's own)."""
    width, height = artwork.size
    survey = _Survey(artwork.size)
    for index, item in enumerate(items):
        if item.choice is not None:
            survey.add(index, artwork.sprites(item.choice, item.token_id))
    frame = canon_size((height, width))
    parts: list[Detail] = []
    marks: list[_Slot] = []
    pixels = marked = 0  # variant and mark pixels in the frame; marks' area on the canvas
    for slot in sorted(survey.slots(), key=_slot_order):
        if slot.mark:
            box = _scaled_box(slot.box, artwork.size, frame)
            area = slot.box[2] * slot.box[3]
            if (len(parts) + 1 <= DETAILS_MAX and pixels + box[2] * box[3] <= DETAILS_PIXELS
                    and marked + area <= width * height):
                pixels += box[2] * box[3]
                marked += area
                marks.append(slot)
                parts.append(Detail(*box))  # where the marks vary: below, in one more pass
            continue
        boxes = [_scaled_box(_box_of(key), artwork.size, frame) for key in slot.keys]
        area = sum(w * h for _, _, w, h in boxes)
        if len(parts) + len(boxes) > DETAILS_MAX or pixels + area > DETAILS_PIXELS:
            continue
        pixels += area
        for key, box in zip(slot.keys, boxes):
            first, n = survey.first(key)
            choice = items[first].choice
            assert choice is not None
            sprite = artwork.sprites(choice, items[first].token_id)[n]
            parts.append(Detail(*box, _variant_pixels(sprite, artwork.size, frame, box)))
    if marks:
        # a mark of one box followed throughout the survey is known; others take one more pass
        known = {id(m): survey.tracked[m.box][1] for m in marks
                 if len(m.keys) and {_box_of(k) for k in m.keys} == {m.box}
                 and m.box in survey.tracked}
        rest = [m for m in marks if id(m) not in known]
        redrawn = dict(zip((id(m) for m in rest), _differs(artwork, items, rest)))
        varies = iter(_to_frame({**known, **redrawn}[id(m)], m.box, artwork.size, frame)
                      for m in marks)
        parts = [replace(d, varies=next(varies)) if d.rgba is None else d for d in parts]
    return Details(frame, tuple(parts))


def _to_frame(differs: NDArray[np.bool_], box: Box, size: tuple[int, int],
              frame: tuple[int, int]) -> NDArray[np.bool_]:
    """Where a mark at `box` on the canvas differs, in its scaled box: a pixel of the frame
    varies when any canvas pixel under it does."""
    share = _to_box(differs.astype(np.float32), (box[0], box[1]), size, frame,
                    _scaled_box(box, size, frame))
    return np.asarray(share[..., 0] > 0, dtype=bool)


def _differs(artwork: Artwork, items: Sequence[Item], marks: list[_Slot]
             ) -> list[NDArray[np.bool_]]:
    """Where, in each own mark's box on the canvas, items' marks differ: each item's sprites
    in the slot, drawn on a transparent canvas of the slot's box, compared with the first
    item's. One more call of ``artwork.sprites`` per item (none when `marks` is empty);
    memory: the marks' boxes, at most one canvas."""
    if not marks:
        return []
    boxes = [{_box_of(key) for key in slot.keys} for slot in marks]
    firsts: list[NDArray[np.uint8] | None] = [None] * len(marks)
    differs = [np.zeros((slot.box[3], slot.box[2]), dtype=bool) for slot in marks]
    for item in items:
        if item.choice is None:
            continue
        sprites = artwork.sprites(item.choice, item.token_id)
        for m, slot in enumerate(marks):
            ux, uy, uw, uh = slot.box
            canvas = Image.new("RGBA", (uw, uh), (0, 0, 0, 0))
            for n, sprite in enumerate(sprites):
                x, y = sprite.position
                if n and sprite.blend == NORMAL and (x, y, *sprite.image.size) in boxes[m]:
                    canvas.alpha_composite(sprite.image.convert("RGBA"), dest=(x - ux, y - uy))
            drawn = np.asarray(canvas, dtype=np.uint8)
            first = firsts[m]
            if first is None:
                firsts[m] = drawn
            else:
                differs[m] |= (drawn != first).any(axis=2)
    return differs


@dataclass
class _Slot:
    box: Box  # the union of its contents' boxes
    keys: list[bytes]  # its contents (:func:`_key`), in order of box then digest
    mark: bool  # an own mark (else variants)


def _key(box: Box, digest: bytes) -> bytes:
    """A content's key: its box (4 signed 32-bit integers) and digest, 48 bytes."""
    return struct.pack(">4i", *box) + digest


def _box_of(key: bytes) -> Box:
    left, top, width, height = struct.unpack(">4i", key[:16])
    return left, top, width, height


@dataclass
class _Survey:
    """The small sprites of every item: each content's id, first item and sprite index, how
    many items use it, and the (item, content) pairs, in flat arrays."""

    size: tuple[int, int]
    ids: dict[bytes, int] = field(default_factory=dict)  # content key -> id
    uses: array[int] = field(default_factory=lambda: array("Q"))  # by id: items using it
    firsts: array[int] = field(default_factory=lambda: array("Q"))  # by id: item, sprite index
    pairs: array[int] = field(default_factory=lambda: array("Q"))  # item, id, item, id, ...
    items: int = 0  # generated items surveyed
    # boxes none of whose contents two items shared so far (an own mark's, or not yet known):
    # the first content's RGBA and where the later ones differ from it, within one canvas
    tracked: dict[Box, tuple[NDArray[np.uint8], NDArray[np.bool_]]] = field(
        default_factory=dict)
    dropped: set[Box] = field(default_factory=set)  # a content repeated, or over the budget
    _digests: dict[int, tuple[weakref.ref[Image.Image], bytes]] = field(default_factory=dict)

    def add(self, item: int, sprites: Sequence[Sprite]) -> None:
        """The sprites of the `item`-th item."""
        limit = self.size[0] * self.size[1] / SMALL
        mine: set[int] = set()
        for n, sprite in enumerate(sprites):
            w, h = sprite.image.size
            if n == 0 or sprite.blend != NORMAL or w * h > limit:
                continue
            key = _key((*sprite.position, w, h), self._digest(sprite.image))
            kid = self.ids.setdefault(key, len(self.ids))
            if kid == len(self.uses):
                self.uses.append(0)
                self.firsts.extend((item, n))
            if kid not in mine:
                mine.add(kid)
                self.uses[kid] += 1
                self.pairs.extend((item, kid))
                self._compare((*sprite.position, w, h), sprite.image, self.uses[kid] > 1)
        self.items += 1

    def _compare(self, box: Box, image: Image.Image, repeated: bool) -> None:
        """Where a content at `box` differs from the first there, while no content there
        repeats (an own mark's box: an edition number on every item) and the boxes followed fit
        in one canvas; a box dropped is compared, if it is a mark's, in one more pass."""
        if box in self.dropped:
            return
        seen = self.tracked.get(box)
        if repeated or (seen is None and box[2] * box[3] + sum(
                b[2] * b[3] for b in self.tracked) > self.size[0] * self.size[1]):
            self.tracked.pop(box, None)
            self.dropped.add(box)
            return
        rgba = np.asarray(image if image.mode == "RGBA" else image.convert("RGBA"))
        if seen is None:
            self.tracked[box] = (rgba.copy(), np.zeros(rgba.shape[:2], dtype=bool))
        else:
            seen[1][...] |= (rgba != seen[0]).any(axis=2)

    def first(self, key: bytes) -> tuple[int, int]:
        """The first item with content `key` and the index of its sprite."""
        kid = self.ids[key]
        return self.firsts[2 * kid], self.firsts[2 * kid + 1]

    def _digest(self, image: Image.Image) -> bytes:
        """sha256 of the image's RGBA bytes, once per image object (an artwork's cached
        sprites recur on every item; the entry goes with the image, so a reused id is never
        mistaken for it)."""
        known = self._digests.get(id(image))
        if known is not None and known[0]() is image:
            return known[1]
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        digest = hashlib.sha256(rgba.tobytes()).digest()
        ident = id(image)
        self._digests[ident] = (weakref.ref(image, lambda _: self._digests.pop(ident, None)),
                                digest)
        return digest

    def slots(self) -> list[_Slot]:
        """Every slot that is a detail (own mark or variants)."""
        boxes = sorted({_box_of(key) for key in self.ids})
        root = _overlapping(boxes)
        slot_of = np.zeros(len(self.ids), dtype=np.int64)  # by content id
        groups: dict[int, list[bytes]] = {}
        for key in sorted(self.ids):
            group = root[_box_of(key)]
            slot_of[self.ids[key]] = group
            groups.setdefault(group, []).append(key)
        pairs = np.frombuffer(self.pairs, dtype=np.uint64).reshape(-1, 2).astype(np.int64)
        # items with a sprite in each slot: the distinct (item, slot) pairs, counted by slot
        seen = np.unique(pairs[:, 0] * len(boxes) + slot_of[pairs[:, 1]])
        present = np.bincount(seen % max(1, len(boxes)), minlength=len(boxes))
        count = self.items
        out = []
        for group, keys in groups.items():
            union = _union([_box_of(key) for key in keys])
            everywhere = int(present[group]) == count
            if everywhere and count >= 2 and all(self.uses[self.ids[k]] == 1 for k in keys):
                out.append(_Slot(union, keys, mark=True))
            elif len(keys) >= 2 or not everywhere:
                out.append(_Slot(union, keys, mark=False))
        return out


def _overlapping(boxes: list[Box]) -> dict[Box, int]:
    """Each box's group: connected sets of boxes that overlap (share a pixel). `boxes` sorted
    by left; a box is compared only with those starting before its right (a sweep)."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if boxes:
        b = np.array(boxes, dtype=np.int64)
        left, top, right, bottom = b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
        for i in range(len(boxes)):
            end = int(np.searchsorted(left, right[i], side="left"))
            js = i + 1 + np.flatnonzero((right[i + 1:end] > left[i]) & (bottom[i + 1:end] > top[i])
                                        & (top[i + 1:end] < bottom[i]))
            for j in js.tolist():
                parent[find(j)] = find(i)
    return {box: find(i) for i, box in enumerate(boxes)}  # roots: indices into `boxes`


def _union(boxes: list[Box]) -> Box:
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def _slot_order(slot: _Slot) -> tuple[int, int, int]:
    left, top, w, h = slot.box
    return w * h, top, left


def _scaled_box(box: Box, size: tuple[int, int], frame: tuple[int, int]) -> Box:
    """`box` in the canonical `frame`: left and top rounded down, right and bottom up."""
    (x, y, w, h), (width, height), (fw, fh) = box, size, frame
    left, top = max(0, math.floor(x * fw / width)), max(0, math.floor(y * fh / height))
    right = min(fw, max(left + 1, math.ceil((x + w) * fw / width)))
    bottom = min(fh, max(top + 1, math.ceil((y + h) * fh / height)))
    return left, top, right - left, bottom - top


def _variant_pixels(sprite: Sprite, size: tuple[int, int], frame: tuple[int, int],
                    box: Box) -> Rgba:
    """The sprite's RGBA pixels in its scaled `box`, its colours premultiplied by alpha before
    the resize and divided after (so that edges do not darken)."""
    rgba = np.asarray(sprite.image.convert("RGBA"), dtype=np.float32)
    rgba[..., :3] *= rgba[..., 3:] / 255
    small = _to_box(rgba, sprite.position, size, frame, box)
    alpha = small[..., 3:]
    small[..., :3] = np.where(alpha > 0, small[..., :3] * 255 / np.maximum(alpha, 1e-6), 0)
    return np.asarray(np.clip(np.rint(small), 0, 255), dtype=np.uint8)


def _to_box(values: NDArray[np.float32], position: tuple[int, int], size: tuple[int, int],
            frame: tuple[int, int], box: Box) -> NDArray[np.float32]:
    """`values` (height x width x channels, drawn at `position` on the canvas of `size`) in
    their scaled `box` of the frame: padded with zeros to the part of the canvas the box
    covers, then resized by OpenCV's INTER_AREA."""
    (width, height), (fw, fh) = size, frame
    left, top, bw, bh = box
    x, y = position
    h, w = values.shape[:2]
    pads = [max(0, round(v)) for v in (y - top * height / fh, (top + bh) * height / fh - y - h,
                                       x - left * width / fw, (left + bw) * width / fw - x - w)]
    padded = cv2.copyMakeBorder(values, pads[0], pads[1], pads[2], pads[3], cv2.BORDER_CONSTANT,
                                value=(0, 0, 0, 0))
    small = cv2.resize(padded, (bw, bh), interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.float32).reshape(bh, bw, -1)
