"""Blend modes of layers, as HashLips' users set them (``blend: multiply``), with Pillow's
:mod:`PIL.ImageChops`.

HashLips draws each layer on an HTML canvas with ``globalCompositeOperation`` = the mode and
``globalAlpha`` = the opacity. The separable modes of W3C Compositing and Blending Level 1 that
Pillow implements are offered: the source colour is first mixed with the backdrop,
``Cs' = (1 - ab) * Cs + ab * B(Cb, Cs)``, then drawn source-over with the layer's alpha. Pillow's
``soft_light`` follows the "pegtop" formula, close to but not exactly the W3C one. Opacity
multiplies the layer's alpha once, when the layer is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image, ImageChops

NORMAL = "normal"
_MODES: dict[str, Callable[[Image.Image, Image.Image], Image.Image]] = {
    "multiply": ImageChops.multiply,
    "screen": ImageChops.screen,
    "overlay": ImageChops.overlay,
    "darken": ImageChops.darker,
    "lighten": ImageChops.lighter,
    "hard-light": ImageChops.hard_light,
    "soft-light": ImageChops.soft_light,
    "difference": ImageChops.difference,
}
# Every mode collection.yaml accepts; HashLips' name for normal is canvas's `source-over`.
BLEND_MODES: tuple[str, ...] = (NORMAL, "source-over", *_MODES)


def blend_onto(canvas: Image.Image, source: Image.Image, position: tuple[int, int],
               mode: str) -> None:
    """Draws RGBA `source` at `position` on RGBA `canvas` (in place) in blend `mode`."""
    if mode in (NORMAL, "source-over"):
        canvas.alpha_composite(source, dest=position)
        return
    x, y = position
    backdrop = canvas.crop((x, y, x + source.width, y + source.height))
    colour = source.convert("RGB")
    mixed = _MODES[mode](backdrop.convert("RGB"), colour)
    # Where the backdrop is transparent the source keeps its own colour.
    mixed = Image.composite(mixed, colour, backdrop.getchannel("A"))
    mixed.putalpha(source.getchannel("A"))
    canvas.alpha_composite(mixed, dest=position)


def with_opacity(image: Image.Image, opacity: float) -> Image.Image:
    """`image` (RGBA) with its alpha multiplied by `opacity` (0..1)."""
    if opacity >= 1:
        return image
    alpha = image.getchannel("A").point(lambda a: round(a * opacity))
    out = image.copy()
    out.putalpha(alpha)
    return out
