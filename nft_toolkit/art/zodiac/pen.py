"""A drawing pen in resolution-independent units, with supersampling for smooth edges.

Shapes are given on a 1000 x 1000 grid and drawn on a canvas `supersample` times larger than
the output, then box-reduced: Pillow's ImageDraw does not antialias, the reduction does. The
pen can place a drawing scaled and shifted (`at`), so one animal drawing serves every layout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFilter

Color = tuple[int, int, int] | tuple[int, int, int, int]
Point = tuple[float, float]
UNITS = 1000


class Pen:
    """Draws on an RGBA canvas of `size` pixels (times `supersample`) in 0..1000 units."""

    def __init__(self, size: int, supersample: int = 2) -> None:
        self.size, self.supersample = size, supersample
        self.px = size * supersample
        self.image = Image.new("RGBA", (self.px, self.px), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)
        self._origin: Point = (0.0, 0.0)
        self._scale = 1.0

    def at(self, origin: Point, scale: float) -> Pen:
        """Later shapes: unit (x, y) lands on origin + (x, y) * scale."""
        self._origin, self._scale = origin, scale
        return self

    def p(self, x: float, y: float) -> Point:
        k = self.px / UNITS
        return ((self._origin[0] + x * self._scale) * k, (self._origin[1] + y * self._scale) * k)

    def w(self, width: float) -> int:
        return max(1, round(width * self._scale * self.px / UNITS))

    def _box(self, cx: float, cy: float, rx: float, ry: float) -> list[float]:
        x0, y0 = self.p(cx - rx, cy - ry)
        x1, y1 = self.p(cx + rx, cy + ry)
        return [x0, y0, x1, y1]

    def ellipse(self, cx: float, cy: float, rx: float, ry: float | None = None,
                fill: Color | None = None, outline: Color | None = None,
                width: float = 0) -> None:
        self.draw.ellipse(self._box(cx, cy, rx, rx if ry is None else ry), fill=fill,
                          outline=outline, width=self.w(width) if outline else 0)

    def oval(self, cx: float, cy: float, rx: float, ry: float, angle: float,
             fill: Color | None = None, outline: Color | None = None, width: float = 0) -> None:
        """An ellipse turned by `angle` degrees (clockwise on screen)."""
        a = math.radians(angle)
        pts = []
        for i in range(72):
            t = 2 * math.pi * i / 72
            x, y = rx * math.cos(t), ry * math.sin(t)
            pts.append((cx + x * math.cos(a) - y * math.sin(a),
                        cy + x * math.sin(a) + y * math.cos(a)))
        self.polygon(pts, fill=fill, outline=outline, width=width)

    def polygon(self, pts: Sequence[Point], fill: Color | None = None,
                outline: Color | None = None, width: float = 0) -> None:
        self.draw.polygon([self.p(x, y) for x, y in pts], fill=fill, outline=outline,
                          width=self.w(width) if outline else 0)

    def line(self, pts: Sequence[Point], fill: Color, width: float) -> None:
        self.draw.line([self.p(x, y) for x, y in pts], fill=fill, width=self.w(width),
                       joint="curve")
        r = width / 2
        for x, y in (pts[0], pts[-1]):  # round caps
            self.ellipse(x, y, r, r, fill=fill)

    def arc(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float,
            fill: Color, width: float) -> None:
        self.draw.arc(self._box(cx, cy, rx, ry), start, end, fill=fill, width=self.w(width))

    def chord(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float,
              fill: Color) -> None:
        self.draw.chord(self._box(cx, cy, rx, ry), start, end, fill=fill)

    def pieslice(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float,
                 fill: Color) -> None:
        self.draw.pieslice(self._box(cx, cy, rx, ry), start, end, fill=fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Color | None = None,
             radius: float = 0, outline: Color | None = None, width: float = 0) -> None:
        a, b = self.p(x0, y0), self.p(x1, y1)
        self.draw.rounded_rectangle([a, b], radius=self.w(radius) if radius else 0, fill=fill,
                                    outline=outline, width=self.w(width) if outline else 0)

    def outlined(self, color: Color, width: float) -> None:
        """Puts a `width` units outline of `color` around everything drawn so far."""
        alpha = self.image.getchannel("A")
        grown = alpha.filter(ImageFilter.GaussianBlur(self.w(width) * 0.75))
        ring = grown.point(lambda v: 255 if v > 12 else 0)
        under = Image.new("RGBA", self.image.size, color)
        under.putalpha(ring)
        under.alpha_composite(self.image)
        self.image = under
        self.draw = ImageDraw.Draw(self.image)

    def layer(self) -> Pen:
        """A fresh transparent pen of the same size and placement."""
        pen = Pen(self.size, self.supersample)
        pen._origin, pen._scale = self._origin, self._scale
        return pen

    def paste(self, other: Pen, mask: Image.Image | None = None) -> None:
        """Composites `other` (optionally clipped by an L `mask`) over this pen."""
        img = other.image
        if mask is not None:
            img = img.copy()
            img.putalpha(Image.composite(img.getchannel("A"), Image.new("L", img.size, 0), mask))
        self.image.alpha_composite(img)
        self.draw = ImageDraw.Draw(self.image)

    def result(self) -> Image.Image:
        """The drawing at the output size (box-reduced: smooth edges, deterministic)."""
        if self.supersample == 1:
            return self.image
        return self.image.reduce(self.supersample)
