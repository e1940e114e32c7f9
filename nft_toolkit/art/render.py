"""Compositing sprites into one image and encoding it as a deterministic PNG.

An :class:`Artwork` (a layer set or a built-in theme) turns an item's trait choice into sprites:
RGBA images cropped to their visible part, each with its position on the canvas. Compositing
only the visible rectangles, starting from an opaque background instead of a transparent
canvas, saves most of the compositing time; encoding an opaque image as RGB (a quarter less data,
smaller files), once, with libdeflate (:mod:`nft_toolkit.art.png`) saves most of the encoding
time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from nft_toolkit.art.blend import NORMAL, blend_onto
from nft_toolkit.art.png import encode_png
from nft_toolkit.art.traits import Choice, TraitSpace

__all__ = ["Artwork", "Sprite", "compose", "encode_png", "finish", "stack"]


@dataclass(frozen=True, eq=False)
class Sprite:
    """A cropped RGBA image placed at `position` (its top-left corner on the canvas), drawn in
    `blend` mode (:data:`nft_toolkit.art.blend.BLEND_MODES`)."""

    image: Image.Image
    position: tuple[int, int] = (0, 0)
    blend: str = NORMAL

    @classmethod
    def cropped(cls, image: Image.Image, blend: str = NORMAL) -> Sprite | None:
        """The visible part of a full-canvas RGBA image, or None when it is all transparent."""
        box = image.getchannel("A").getbbox()
        if box is None:
            return None
        if box == (0, 0, *image.size):
            return cls(image, blend=blend)
        return cls(image.crop(box), (box[0], box[1]), blend)


class Artwork(Protocol):
    """What the generator needs from a source of artwork; built once per worker process."""

    @property
    def space(self) -> TraitSpace: ...

    @property
    def size(self) -> tuple[int, int]: ...

    def sprites(self, choice: Choice, token_id: int) -> Sequence[Sprite]:
        """The item's sprites, back to front; the first one covers the whole canvas."""
        ...

    def render(self, choice: Choice, token_id: int) -> Image.Image:
        """The item's image: :func:`compose` of its sprites, or the same pixels sooner."""
        ...


def compose(size: tuple[int, int], sprites: Sequence[Sprite],
            base: Image.Image | None = None) -> Image.Image:
    """Composites `sprites` over `base` (RGBA, not changed; default a transparent canvas);
    RGB when the result is opaque."""
    return finish(stack(size, sprites, base))


def finish(canvas: Image.Image) -> Image.Image:
    """An RGBA canvas as the image to encode: RGB when it is opaque."""
    if canvas.getchannel("A").getextrema() == (255, 255):
        return canvas.convert("RGB")
    return canvas


def stack(size: tuple[int, int], sprites: Sequence[Sprite],
          base: Image.Image | None = None) -> Image.Image:
    """The RGBA canvas of `sprites` composited over `base` (copied) or a transparent canvas."""
    canvas = base.copy() if base is not None else None
    for sprite in sprites:
        if canvas is None:
            if (sprite.position == (0, 0) and sprite.image.size == size
                    and sprite.blend == NORMAL):
                canvas = sprite.image.copy()
                continue
            canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        if sprite.blend == NORMAL:
            canvas.alpha_composite(sprite.image, dest=sprite.position)
        else:
            blend_onto(canvas, sprite.image, sprite.position, sprite.blend)
    if canvas is None:
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    return canvas
