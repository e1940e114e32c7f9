"""The built-in zodiac theme: a trait space and the renderer of its cards.

Traits (weights in brackets set rarity): Zodiac (the year's animal, or all twelve), Element (the
year's), Background, Pattern, Frame, Finish of the animal, Accessory and Lucky Charm. Each trait
value is drawn once per worker and kept as a cropped sprite; only the plaque text (year and
serial number) is drawn per item. English text uses Pillow's built-in scalable font; Chinese
and bilingual cards (``zodiac.card_language``) use the pinned Noto Sans SC
(:mod:`nft_toolkit.fonts`), laid out by Pillow's basic layout: neither depends on the fonts or
the text-shaping library installed on a machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from nft_toolkit.art.calendar import (ANIMALS, animal_of, chinese_animal, element_of,
                                      sexagenary_year)
from nft_toolkit.art.render import Sprite, compose
from nft_toolkit.art.traits import Choice, Layer, Trait, TraitSpace
from nft_toolkit.art.zodiac import ornaments
from nft_toolkit.art.zodiac.animals import DRAWINGS, FINISHES, coat_for
from nft_toolkit.art.zodiac.pen import Pen
from nft_toolkit.config import CollectionConfig
from nft_toolkit.errors import ConfigError

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
    language: str = "en"  # zodiac.card_language: en | zh | bilingual
    name: str = ""  # the collection's name, printed on zh and bilingual cards
    space: TraitSpace = field(init=False)
    _cache: dict[tuple[str, ...], Sprite | None] = field(default_factory=dict, repr=False)
    _patterns: dict[str, Image.Image | None] = field(default_factory=dict, repr=False)
    _fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = field(default_factory=dict,
                                                                  repr=False)

    def __post_init__(self) -> None:
        self.space = zodiac_space(self.year, self.all_animals)

    @classmethod
    def for_config(cls, config: CollectionConfig, count: int) -> ZodiacArtwork:
        """The artwork of `config`; ConfigError (one line, before anything is drawn) when a zh
        or bilingual card would print characters of the name the pinned font lacks."""
        assert config.year is not None  # the config requires it for the theme
        if config.zodiac.card_language != "en":
            from nft_toolkit.fonts import describe_characters, missing_characters

            if missing := missing_characters(config.name, "bold"):
                raise ConfigError(
                    f"{config.path}: name: the card font (Noto Sans SC) has no glyph for "
                    f"{describe_characters(missing)}, which zodiac.card_language "
                    f"{config.zodiac.card_language} prints on every card; take "
                    f"{'them' if len(missing) > 1 else 'it'} out of the name")
        return cls(config.year, config.pixels, count, config.zodiac.animals == "all",
                   config.zodiac.card_language, config.name)

    @property
    def size(self) -> tuple[int, int]:
        return (self.pixels, self.pixels)

    def __getstate__(self) -> dict[str, Any]:  # sent to workers without the sprite cache
        return {**self.__dict__, "_cache": {}, "_patterns": {}, "_fonts": {}}

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

    def _cjk(self, weight: str, units: float, text: str = "", width: float = 0
             ) -> ImageFont.FreeTypeFont:
        """Noto Sans SC at `units` (per 1000 px), shrunk until `text` fits `width` px."""
        from nft_toolkit.fonts import cjk_font_path

        size = max(6, round(units * self.pixels / 1000))  # pixels
        while True:
            key = (weight, size)
            if key not in self._fonts:
                self._fonts[key] = ImageFont.truetype(
                    str(cjk_font_path("bold" if weight == "bold" else "regular")), size,
                    layout_engine=ImageFont.Layout.BASIC)
            font = self._fonts[key]
            if not text or size <= 6 or font.getlength(text) <= width:
                return font
            size -= 1

    def card_texts(self, animal: str, token_id: int) -> list[str]:
        """Every text a card of `animal` and `token_id` prints (title, then plaque lines)."""
        return [*self._title_lines(animal), *self._plaque_lines(token_id)]

    def _title_lines(self, animal: str) -> list[str]:
        english = f"YEAR OF THE {animal.upper()}"
        if self.language == "en":
            return [english]
        # The year's own animal: 壬寅虎年; another (zodiac.animals: all): 鼠年.
        chinese = (f"{sexagenary_year(self.year)}{chinese_animal(animal)}年"
                   if animal == animal_of(self.year) else f"{chinese_animal(animal)}年")
        return [chinese] if self.language == "zh" else [chinese, english]

    def _plaque_lines(self, token_id: int) -> list[str]:
        number = f"{token_id:0{len(str(self.count))}d} / {self.count}"
        if self.language == "en":
            return [str(self.year), f"No. {number}"]
        return [self.name, f"{self.year} · 编号 {number}" if self.language == "zh"
                else f"{self.year} · No. {number}"]

    def _title(self, animal: str) -> Image.Image:
        image = Image.new("RGBA", self.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        s = self.pixels / 1000
        lines = self._title_lines(animal)
        if self.language == "en":
            draw.text((500 * s, 112 * s), lines[0], font=self._font(52),
                      fill=CREAM, anchor="mm", stroke_width=max(1, round(5 * s)),
                      stroke_fill=INK)
            return image
        # Between the border (y 52) and the medallion's ring (its top at y 152, beaded below):
        # one line at 72 units, or the Chinese at 52 over the English at 28.
        y, units = (104, 72) if len(lines) == 1 else (81, 52)
        draw.text((500 * s, y * s), lines[0], font=self._cjk("bold", units, lines[0], 760 * s),
                  fill=CREAM, anchor="mm", stroke_width=max(1, round(5 * s)), stroke_fill=INK)
        if len(lines) == 2:
            draw.text((500 * s, 132 * s), lines[1], font=self._cjk("bold", 28, lines[1], 700 * s),
                      fill=CREAM, anchor="mm", stroke_width=max(1, round(3 * s)),
                      stroke_fill=INK)
        return image

    def _plaque(self, token_id: int) -> Sprite:
        """Year (or the collection's name) and serial number, drawn per item on a plaque-sized
        sprite."""
        s = self.pixels / 1000
        x0, y0, x1, y1 = (round(v * s) for v in (292, 837, 708, 929))
        image = Image.new("RGBA", (x1 - x0, y1 - y0), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        w = x1 - x0
        top, bottom = self._plaque_lines(token_id)
        if self.language == "en":
            draw.text((w / 2, 38 * s), top, font=self._font(50), fill=(150, 24, 30),
                      anchor="mm", stroke_width=max(1, round(1.5 * s)),
                      stroke_fill=(150, 24, 30))
            draw.text((w / 2, 74 * s), bottom, font=self._font(26), fill=INK, anchor="mm")
            return Sprite(image, (x0, y0))
        lines, size = self._name_lines(top, w - 24 * s)
        font = self._cjk("bold", size)
        centres = (36,) if len(lines) == 1 else (81, 52)
        for centre, line in zip(centres, lines):
            draw.text((w / 2, centre * s), line, font=font, fill=(150, 24, 30), anchor="mm")
        draw.text((w / 2, 76 * s if len(lines) == 1 else 78 * s), bottom,
                  font=self._cjk("regular", 22 if len(lines) == 1 else 19, bottom, w - 24 * s),
                  fill=INK, anchor="mm")
        return Sprite(image, (x0, y0))

    def _name_lines(self, name: str, width: float) -> tuple[list[str], float]:
        """The collection's name as the plaque prints it: one line at 40 units down to 26, or
        else two lines (broken at the space nearest the middle, or mid-text for Chinese) at up
        to 24 units, shrunk further only when still too wide."""
        for units in range(40, 25, -2):
            if self._cjk("bold", units).getlength(name) <= width:
                return [name], units
        middle = len(name) / 2
        spaces = [i for i, c in enumerate(name) if c == " "]
        cut = min(spaces, key=lambda i: abs(i - middle)) if spaces else round(middle)
        lines = [name[:cut].strip(), name[cut:].strip()]
        size = 24.0
        while size > 8 and max(self._cjk("bold", size).getlength(t) for t in lines) > width:
            size -= 1
        return lines, size

    def render(self, choice: Choice, token_id: int) -> Image.Image:
        return compose(self.size, self.sprites(choice, token_id))

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
