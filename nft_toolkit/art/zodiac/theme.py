"""The built-in zodiac theme: a trait space and the renderer of its cards.

Traits (weights in brackets set rarity): Zodiac (the year's animal, or all twelve), Element (the
year's), Background, Pattern, Frame, Finish of the animal, Accessory and Lucky Charm. Each trait
value is drawn once per worker and kept as a cropped sprite; only the plaque text (year and
serial number) is drawn per item. Text uses Pillow's built-in scalable font, so the output does
not depend on the fonts installed on a machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from nft_toolkit.art.calendar import ANIMALS, animal_of, element_of
from nft_toolkit.art.render import Sprite
from nft_toolkit.art.traits import Choice, Layer, Trait, TraitSpace
from nft_toolkit.art.zodiac import ornaments
from nft_toolkit.art.zodiac.animals import DRAWINGS, FINISHES, coat_for
from nft_toolkit.art.zodiac.pen import Pen
from nft_toolkit.config import CollectionConfig

WEIGHTS: dict[str, dict[str, float]] = {
    "Background": {"Imperial Red": 20, "Jade Garden": 14, "Midnight Blue": 12, "Peony Pink": 12,
                   "Gold Leaf": 6, "Ink Black": 8, "Sky Blue": 12, "Lantern Orange": 10,
                   "Plum Purple": 6},
    "Pattern": {"Plain": 12, "Clouds": 20, "Waves": 16, "Coins": 14, "Lattice": 12,
                "Blossoms": 14, "Sunburst": 8},
    "Frame": {"Gold Ring": 30, "Silver Ring": 20, "Jade Ring": 15, "Red Lacquer": 15,
              "Bronze Ring": 14, "Rose Gold Ring": 6},
    "Finish": {"Natural": 45, "Gold": 6, "Jade": 12, "Porcelain": 14, "Vermilion": 12,
               "Silver": 11},
    "Accessory": {"None": 30, "Red Scarf": 18, "Gold Bell": 14, "Pearl Necklace": 10,
                  "Jade Pendant": 10, "Bow Tie": 12, "Flower Garland": 6},
    "Lucky Charm": {"Gold Ingot": 10, "Red Envelope": 22, "Lucky Coin": 20, "Chinese Knot": 16,
                    "Red Lantern": 16, "Peach": 9, "Mandarin Orange": 7},
}
CREAM = (252, 246, 232)
INK = (58, 34, 28)


def zodiac_space(year: int, all_animals: bool) -> TraitSpace:
    animals = ANIMALS if all_animals else (animal_of(year),)
    layers = [Layer("Zodiac", tuple(Trait(a) for a in animals)),
              Layer("Element", (Trait(element_of(year)),))]
    layers += [Layer(name, tuple(Trait(v, w) for v, w in values.items()))
               for name, values in WEIGHTS.items()]
    assert set(WEIGHTS["Finish"]) == set(FINISHES)
    return TraitSpace(tuple(layers))


@dataclass
class ZodiacArtwork:
    """Cards of one zodiac collection at `pixels` x `pixels`; `count` is printed as "/ N"."""

    year: int
    pixels: int
    count: int
    all_animals: bool = False
    space: TraitSpace = field(init=False)
    _cache: dict[tuple[str, ...], Sprite | None] = field(default_factory=dict, repr=False)
    _patterns: dict[str, Image.Image | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.space = zodiac_space(self.year, self.all_animals)

    @classmethod
    def for_config(cls, config: CollectionConfig, count: int) -> ZodiacArtwork:
        assert config.year is not None  # the config requires it for the theme
        return cls(config.year, config.pixels, count, config.zodiac.animals == "all")

    @property
    def size(self) -> tuple[int, int]:
        return (self.pixels, self.pixels)

    def __getstate__(self) -> dict[str, Any]:  # sent to workers without the sprite cache
        return {**self.__dict__, "_cache": {}, "_patterns": {}}

    def _cached(self, key: tuple[str, ...], draw: Any) -> Sprite | None:
        if key not in self._cache:
            self._cache[key] = Sprite.cropped(draw())
        return self._cache[key]

    def _background(self, name: str, pattern: str) -> Image.Image:
        if pattern not in self._patterns:
            self._patterns[pattern] = ornaments.pattern_mask(self.pixels, pattern)
        return ornaments.background(self.pixels, name, self._patterns[pattern])

    def _animal(self, animal: str, finish: str) -> Image.Image:
        pen = Pen(self.pixels, 2).at(ornaments.ANIMAL_ORIGIN, ornaments.ANIMAL_SCALE)
        DRAWINGS[animal](pen, coat_for(animal, finish))
        clip = ornaments.medallion_clip(self.pixels * 2)
        image = pen.image
        image.putalpha(Image.composite(image.getchannel("A"), Image.new("L", image.size, 0),
                                       clip))
        return image.reduce(2)

    def _font(self, units: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return ImageFont.load_default(size=max(6, round(units * self.pixels / 1000)))

    def _title(self, animal: str) -> Image.Image:
        image = Image.new("RGBA", self.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        s = self.pixels / 1000
        draw.text((500 * s, 112 * s), f"YEAR OF THE {animal.upper()}", font=self._font(52),
                  fill=CREAM, anchor="mm", stroke_width=max(1, round(5 * s)), stroke_fill=INK)
        return image

    def _plaque(self, token_id: int) -> Sprite:
        """Year and serial number, drawn per item on a plaque-sized sprite."""
        s = self.pixels / 1000
        x0, y0, x1, y1 = (round(v * s) for v in (292, 837, 708, 929))
        image = Image.new("RGBA", (x1 - x0, y1 - y0), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        w = x1 - x0
        draw.text((w / 2, 38 * s), str(self.year), font=self._font(50), fill=(150, 24, 30),
                  anchor="mm", stroke_width=max(1, round(1.5 * s)), stroke_fill=(150, 24, 30))
        digits = len(str(self.count))
        draw.text((w / 2, 74 * s), f"No. {token_id:0{digits}d} / {self.count}",
                  font=self._font(26), fill=INK, anchor="mm")
        return Sprite(image, (x0, y0))

    def sprites(self, choice: Choice, token_id: int) -> list[Sprite]:
        t = dict(self.space.describe(choice))
        n = self.pixels
        parts = [
            self._cached(("bg", t["Background"], t["Pattern"]),
                         lambda: self._background(t["Background"], t["Pattern"])),
            self._cached(("frame", t["Frame"]), lambda: ornaments.frame(n, t["Frame"])),
            self._cached(("animal", t["Zodiac"], t["Finish"]),
                         lambda: self._animal(t["Zodiac"], t["Finish"])),
            self._cached(("accessory", t["Accessory"]),
                         lambda: ornaments.accessory(n, t["Accessory"])),
            self._cached(("charm", t["Lucky Charm"]),
                         lambda: ornaments.charm(n, t["Lucky Charm"])),
            self._cached(("element", t["Element"]),
                         lambda: ornaments.element_emblem(n, t["Element"])),
            self._cached(("title", t["Zodiac"]), lambda: self._title(t["Zodiac"])),
            self._plaque(token_id),
        ]
        return [p for p in parts if p is not None]
