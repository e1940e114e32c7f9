"""Compositing sprites into one image and encoding it as a deterministic PNG.

An :class:`Artwork` (a layer set or a built-in theme) turns an item's trait choice into sprites:
RGBA images cropped to their visible part, each with its position on the canvas. Compositing
only the visible rectangles, starting from an opaque background instead of a transparent
canvas, is most of the speed; the rest is encoding an opaque image as RGB (a quarter less data
to filter and deflate, and smaller files) with fixed settings, so equal pixels give equal bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from nft_toolkit.art.traits import Choice, TraitSpace

PNG_COMPRESS_LEVEL = 6  # zlib's default: the size of Pillow's default output, and no larger


@dataclass(frozen=True, eq=False)
class Sprite:
    """A cropped RGBA image placed at `position` (its top-left corner on the canvas)."""

    image: Image.Image
    position: tuple[int, int] = (0, 0)

    @classmethod
    def cropped(cls, image: Image.Image) -> Sprite | None:
        """The visible part of a full-canvas RGBA image, or None when it is all transparent."""
        box = image.getchannel("A").getbbox()
        if box is None:
            return None
        if box == (0, 0, *image.size):
            return cls(image)
        return cls(image.crop(box), (box[0], box[1]))


class Artwork(Protocol):
    """What the generator needs from a source of artwork; built once per worker process."""

    space: TraitSpace
    size: tuple[int, int]

    def sprites(self, choice: Choice, token_id: int) -> Sequence[Sprite]:
        """The item's sprites, back to front; the first one covers the whole canvas."""
        ...


def compose(size: tuple[int, int], sprites: Sequence[Sprite]) -> Image.Image:
    """Alpha-composites `sprites` over a transparent canvas; RGB when the result is opaque."""
    canvas: Image.Image | None = None
    for sprite in sprites:
        if canvas is None:
            if sprite.position == (0, 0) and sprite.image.size == size:
                canvas = sprite.image.copy()
                continue
            canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        canvas.alpha_composite(sprite.image, dest=sprite.position)
    if canvas is None:
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    if canvas.getchannel("A").getextrema() == (255, 255):
        return canvas.convert("RGB")
    return canvas


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes with fixed settings and no ancillary chunks (no time, no software name)."""
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()
