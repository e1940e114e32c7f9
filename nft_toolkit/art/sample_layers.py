"""A sample HashLips layer set drawn procedurally, for trying layers mode, tests and benchmarks.

Six layers like an artist's: an opaque gradient background, then antialiased RGBA sprites
(body, eyes, mouth, headwear, accessory) with a transparent "None" where a layer is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PIL import Image, ImageDraw

Draw = Callable[[ImageDraw.ImageDraw, int], None]
_SUPERSAMPLE = 2


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int], size: int) -> Image.Image:
    column = Image.linear_gradient("L").resize((1, size))
    return Image.composite(Image.new("RGB", (1, size), bottom), Image.new("RGB", (1, size), top),
                           column).resize((size, size)).convert("RGBA")


def _sprite(size: int, draw: Draw) -> Image.Image:
    big = Image.new("RGBA", (size * _SUPERSAMPLE, size * _SUPERSAMPLE), (0, 0, 0, 0))
    draw(ImageDraw.Draw(big), size * _SUPERSAMPLE)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def _body(color: tuple[int, int, int]) -> Draw:
    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        shade = tuple(max(0, c - 50) for c in color)
        d.ellipse((0.2 * s, 0.3 * s, 0.8 * s, 1.1 * s), fill=shade)
        d.ellipse((0.23 * s, 0.32 * s, 0.77 * s, 1.05 * s), fill=color)
        d.ellipse((0.3 * s, 0.4 * s, 0.45 * s, 0.55 * s), fill=(255, 255, 255, 70))
    return draw


def _eyes(kind: int) -> Draw:
    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        for x in (0.4, 0.6):
            if kind == 0:
                d.ellipse(((x - 0.05) * s, 0.5 * s, (x + 0.05) * s, 0.6 * s), fill="white",
                          outline="black", width=s // 200)
                d.ellipse(((x - 0.02) * s, 0.53 * s, (x + 0.02) * s, 0.58 * s), fill="black")
            elif kind == 1:
                d.arc(((x - 0.05) * s, 0.5 * s, (x + 0.05) * s, 0.6 * s), 180, 360,
                      fill="black", width=s // 100)
            elif kind == 2:
                d.rectangle(((x - 0.07) * s, 0.52 * s, (x + 0.07) * s, 0.58 * s),
                            fill=(20, 20, 30))
            else:
                d.ellipse(((x - 0.04) * s, 0.51 * s, (x + 0.04) * s, 0.59 * s),
                          fill=(40 * kind, 120, 200), outline="black", width=s // 250)
    return draw


def _mouth(kind: int) -> Draw:
    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        box = (0.42 * s, 0.62 * s, 0.58 * s, 0.72 * s)
        if kind == 0:
            d.arc(box, 20, 160, fill="black", width=s // 120)
        elif kind == 1:
            d.ellipse((0.46 * s, 0.64 * s, 0.54 * s, 0.72 * s), fill=(120, 20, 30))
        elif kind == 2:
            d.line((0.43 * s, 0.67 * s, 0.57 * s, 0.67 * s), fill="black", width=s // 120)
        else:
            d.chord(box, 0, 180, fill=(200, 60, 80), outline="black", width=s // 200)
    return draw


def _hat(color: tuple[int, int, int] | None, kind: int) -> Draw:
    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        if color is None:
            return
        if kind == 0:
            d.polygon([(0.3 * s, 0.36 * s), (0.5 * s, 0.05 * s), (0.7 * s, 0.36 * s)], fill=color)
            d.ellipse((0.46 * s, 0.02 * s, 0.54 * s, 0.1 * s), fill="white")
        elif kind == 1:
            d.rectangle((0.36 * s, 0.12 * s, 0.64 * s, 0.34 * s), fill=color)
            d.rectangle((0.26 * s, 0.32 * s, 0.74 * s, 0.37 * s), fill=color)
        else:
            d.pieslice((0.28 * s, 0.18 * s, 0.72 * s, 0.55 * s), 180, 360, fill=color)
    return draw


def _accessory(kind: int) -> Draw:
    def draw(d: ImageDraw.ImageDraw, s: int) -> None:
        if kind == 0:
            return
        if kind == 1:
            d.ellipse((0.62 * s, 0.78 * s, 0.78 * s, 0.94 * s), fill=(240, 200, 40),
                      outline=(150, 110, 0), width=s // 150)
        elif kind == 2:
            d.line([(0.3 * s, 0.78 * s), (0.5 * s, 0.84 * s), (0.7 * s, 0.78 * s)],
                   fill=(200, 30, 40), width=s // 40)
        elif kind == 3:
            for i in range(5):
                x = 0.3 + 0.1 * i
                d.ellipse(((x - 0.025) * s, 0.8 * s, (x + 0.025) * s, 0.85 * s),
                          fill=(250, 250, 250), outline=(160, 160, 170))
        else:
            d.polygon([(0.15 * s, 0.95 * s), (0.2 * s, 0.7 * s), (0.25 * s, 0.95 * s)],
                      fill=(120, 80, 40))
    return draw


def write_sample_layers(folder: Path, size: int) -> Path:
    """Writes a six-layer HashLips folder (`1-Background/Sky#10.png`, ...) under `folder`."""
    bg = {"Dawn#10": ((250, 200, 150), (240, 120, 110)), "Sky#20": ((140, 200, 250), (40, 90, 200)),
          "Mint#15": ((200, 250, 220), (60, 160, 120)), "Night#5": ((40, 40, 90), (5, 5, 20)),
          "Gold#3": ((255, 230, 140), (200, 140, 20)), "Rose#12": ((255, 210, 230), (200, 90, 140))}
    bodies = {"Red#10": (210, 60, 50), "Blue#10": (60, 110, 210), "Green#8": (60, 170, 90),
              "Purple#5": (140, 80, 190), "Gold#2": (230, 180, 40)}
    layers: dict[str, dict[str, Callable[[], Image.Image]]] = {
        "1-Background": {k: partial(_gradient, t, b, size) for k, (t, b) in bg.items()},
        "2-Body": {k: partial(_sprite, size, _body(c)) for k, c in bodies.items()},
        "3-Eyes": {f"{n}#{w}": partial(_sprite, size, _eyes(i)) for i, (n, w) in enumerate(
            [("Round", 20), ("Happy", 15), ("Shades", 5), ("Teal", 10), ("Blue", 8), ("Star", 2)])},
        "4-Mouth": {f"{n}#{w}": partial(_sprite, size, _mouth(i)) for i, (n, w) in enumerate(
            [("Smile", 20), ("Wow", 8), ("Flat", 10), ("Grin", 6)])},
        "5-Headwear": {"None#20": lambda: _sprite(size, _hat(None, 0)),
                       "Party Hat#8": lambda: _sprite(size, _hat((230, 60, 120), 0)),
                       "Top Hat#4": lambda: _sprite(size, _hat((30, 30, 35), 1)),
                       "Cap#10": lambda: _sprite(size, _hat((40, 120, 220), 2)),
                       "Golden Cap#2": lambda: _sprite(size, _hat((230, 190, 40), 2))},
        "6-Accessory": {f"{n}#{w}": partial(_sprite, size, _accessory(i)) for i, (n, w) in
                        enumerate([("None", 25), ("Coin", 6), ("Scarf", 10), ("Pearls", 4),
                                   ("Horn", 3)])},
    }
    for layer, traits in layers.items():
        (folder / layer).mkdir(parents=True, exist_ok=True)
        for trait, make in traits.items():
            make().save(folder / layer / f"{trait}.png")
    return folder
