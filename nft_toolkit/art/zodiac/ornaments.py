"""Everything around the animal: backgrounds, patterns, frames, neck accessories, lucky charms
and element emblems, each drawn on the 1000-unit grid of a :class:`Pen`.

Layout of a card: a patterned background, a frame at the edges, a medallion behind the animal
(centre (500, 480), radius 300), a title above it, and at the bottom a plaque for the year and
serial number between the element emblem (left) and the lucky charm (right).
"""

from __future__ import annotations

import math

from PIL import Image

from nft_toolkit.art.zodiac.pen import Color, Pen

MEDALLION = (500.0, 480.0, 300.0)  # centre x, centre y, radius

# name: (top colour, bottom colour, pattern ink)
BACKGROUNDS: dict[str, tuple[Color, Color, Color]] = {
    "Imperial Red": ((206, 38, 44), (128, 14, 26), (255, 200, 120, 60)),
    "Jade Garden": ((58, 150, 118), (18, 82, 66), (220, 255, 230, 55)),
    "Midnight Blue": ((34, 52, 120), (10, 16, 48), (170, 200, 255, 55)),
    "Peony Pink": ((246, 170, 190), (210, 96, 130), (255, 240, 245, 80)),
    "Gold Leaf": ((250, 214, 120), (200, 140, 40), (255, 250, 220, 85)),
    "Ink Black": ((52, 48, 54), (14, 12, 16), (220, 190, 120, 50)),
    "Sky Blue": ((150, 206, 240), (64, 130, 200), (255, 255, 255, 70)),
    "Lantern Orange": ((250, 150, 60), (200, 70, 30), (255, 230, 170, 70)),
    "Plum Purple": ((130, 70, 140), (60, 24, 80), (240, 200, 255, 55)),
}

# name: (main metal, highlight, shadow)
FRAMES: dict[str, tuple[Color, Color, Color]] = {
    "Gold Ring": ((222, 172, 58), (255, 230, 150), (150, 100, 24)),
    "Silver Ring": ((192, 198, 210), (245, 248, 255), (110, 116, 132)),
    "Jade Ring": ((92, 176, 132), (200, 240, 214), (36, 110, 78)),
    "Red Lacquer": ((190, 30, 36), (240, 110, 90), (110, 10, 20)),
    "Bronze Ring": ((176, 110, 60), (230, 176, 120), (106, 60, 30)),
    "Rose Gold Ring": ((230, 160, 150), (255, 220, 210), (160, 96, 90)),
}

# Where the animal's 1000-unit drawing lands: its head centre (500, 470) on the medallion's.
ANIMAL_SCALE = 0.75
ANIMAL_ORIGIN = (MEDALLION[0] - 500 * ANIMAL_SCALE, MEDALLION[1] - 470 * ANIMAL_SCALE)

PATTERNS = ("Plain", "Clouds", "Waves", "Coins", "Lattice", "Blossoms", "Sunburst")
ACCESSORIES = ("None", "Red Scarf", "Gold Bell", "Pearl Necklace", "Jade Pendant", "Bow Tie",
               "Flower Garland")
CHARMS = ("Gold Ingot", "Red Envelope", "Lucky Coin", "Chinese Knot", "Red Lantern", "Peach",
          "Mandarin Orange")

GOLD: Color = (236, 184, 64)
GOLD_DARK: Color = (150, 100, 24)
RED: Color = (206, 34, 40)
RED_DARK: Color = (120, 12, 20)
INK: Color = (58, 34, 28)


def background(size: int, name: str, pattern: Image.Image | None) -> Image.Image:
    """The opaque backdrop: a vertical gradient, with a `pattern_mask` in a translucent ink."""
    top, bottom, ink = BACKGROUNDS[name]
    ramp = Image.linear_gradient("L").resize((size, size))
    base = Image.composite(Image.new("RGBA", (size, size), bottom),
                           Image.new("RGBA", (size, size), top), ramp)
    if pattern is not None:
        alpha = ink[3] if len(ink) == 4 else 255
        layer = Image.new("RGBA", (size, size), ink[:3])
        layer.putalpha(pattern.point(lambda v: v * alpha // 255))
        base.alpha_composite(layer)
    return base


def pattern_mask(size: int, pattern: str) -> Image.Image | None:
    """The pattern's coverage as an L mask (None for "Plain"); inked by `background`."""
    if pattern == "Plain":
        return None
    pen = Pen(size, 2)
    _pattern(pen, pattern, (255, 255, 255, 255))
    return pen.result().getchannel("A")


def _pattern(p: Pen, pattern: str, ink: Color) -> None:
    x: float  # grid points and radii are whole, scattered ones are not
    y: float
    r: float
    if pattern == "Clouds":
        for row in range(5):
            for col in range(5):
                x, y = 100 + col * 200 + (100 if row % 2 else 0), 100 + row * 200
                for r in (60, 40, 20):
                    p.arc(x, y, r, r, 180, 360 + 90, ink, 7)
                p.arc(x + 70, y, 30, 30, 180, 360, ink, 7)
    elif pattern == "Waves":
        for row in range(14):
            for col in range(9):
                x, y = col * 125 + (62 if row % 2 else 0), row * 75
                for r in (60, 42, 24):
                    p.arc(x, y + 60, r, r, 180, 360, ink, 6)
    elif pattern == "Coins":
        for row in range(7):
            for col in range(7):
                x, y = 70 + col * 145 + (72 if row % 2 else 0), 70 + row * 145
                p.ellipse(x, y, 40, outline=ink, width=7)
                p.rect(x - 12, y - 12, x + 12, y + 12, outline=ink, width=6)
    elif pattern == "Lattice":
        for k in range(-1000, 2000, 90):
            p.line([(k, 0), (k + 1000, 1000)], ink, 6)
            p.line([(k, 1000), (k + 1000, 0)], ink, 6)
    elif pattern == "Blossoms":
        for n in range(26):  # fixed positions: a golden-angle scatter
            a, r = n * 2.39996, 40 + 460 * math.sqrt((n + 0.5) / 26)
            x, y = 500 + r * math.cos(a), 500 + r * math.sin(a)
            for k in range(5):
                t = math.radians(k * 72 + n * 13)
                p.ellipse(x + 22 * math.cos(t), y + 22 * math.sin(t), 16, fill=ink)
            p.ellipse(x, y, 10, fill=(255, 255, 255, 120))
    elif pattern == "Sunburst":
        for k in range(24):
            a0, a1 = math.radians(k * 15), math.radians(k * 15 + 7.5)
            p.polygon([(500, 470), (500 + 1200 * math.cos(a0), 470 + 1200 * math.sin(a0)),
                       (500 + 1200 * math.cos(a1), 470 + 1200 * math.sin(a1))], fill=ink)


def frame(size: int, name: str) -> Image.Image:
    """Border, corner ornaments, the medallion behind the animal and the year plaque."""
    metal, light, dark = FRAMES[name]
    cx: float  # the corners are whole, the medallion's centre is not
    cy: float
    p = Pen(size, 2)
    p.rect(22, 22, 978, 978, outline=dark, width=20, radius=40)
    p.rect(26, 26, 974, 974, outline=metal, width=12, radius=38)
    p.rect(52, 52, 948, 948, outline=light, width=4, radius=26)
    for cx, cy in ((60, 60), (940, 60), (60, 940), (940, 940)):  # cloud-scroll corners
        p.ellipse(cx, cy, 34, fill=metal, outline=dark, width=5)
        p.ellipse(cx, cy, 16, outline=light, width=5)
    cx, cy, r = MEDALLION
    p.ellipse(cx, cy, r + 28, fill=dark)
    p.ellipse(cx, cy, r + 22, fill=metal)
    for k in range(36):  # beading on the ring
        a = math.radians(k * 10)
        p.ellipse(cx + (r + 11) * math.cos(a), cy + (r + 11) * math.sin(a), 6, fill=light)
    p.ellipse(cx, cy, r, fill=(252, 246, 232))
    p.ellipse(cx, cy, r - 14, outline=(240, 226, 196), width=6)
    # the plaque for the year and serial number
    p.rect(270, 818, 730, 948, fill=dark, radius=34)
    p.rect(278, 825, 722, 941, fill=metal, radius=30)
    p.rect(292, 837, 708, 929, fill=(252, 246, 232), radius=22)
    return p.result()


def medallion_clip(size: int) -> Image.Image:
    """An L mask: the medallion disc plus everything above its centre line (for the busts:
    shoulders end at the ring, ears and horns may rise over it)."""
    p = Pen(size, 1)
    cx, cy, r = MEDALLION
    p.ellipse(cx, cy, r - 2, fill=(255, 255, 255))
    p.rect(0, 0, 1000, cy, fill=(255, 255, 255))
    return p.image.getchannel("A")


def accessory(size: int, name: str) -> Image.Image:
    """Something worn at the neck (chin near y 700 in the animal's own grid)."""
    p = Pen(size, 2).at(ANIMAL_ORIGIN, ANIMAL_SCALE)
    x: float  # whole along the scarf, not along the necklaces
    y: float
    if name == "Red Scarf":
        p.polygon([(330, 700), (670, 700), (690, 770), (310, 770)], fill=RED, outline=INK,
                  width=7)
        p.polygon([(560, 740), (640, 740), (660, 880), (590, 870)], fill=RED, outline=INK,
                  width=7)
        for x in range(350, 670, 50):
            p.line([(x, 712), (x + 20, 758)], RED_DARK, 6)
    elif name == "Gold Bell":
        p.rect(340, 700, 660, 740, fill=RED, radius=18, outline=INK, width=6)
        p.ellipse(500, 780, 48, fill=GOLD, outline=INK, width=6)
        p.line([(455, 780), (545, 780)], GOLD_DARK, 6)
        p.ellipse(500, 805, 9, fill=INK)
    elif name == "Pearl Necklace":
        for k in range(13):
            t = math.radians(200 - k * 18.3)
            x, y = 500 + 170 * math.cos(t), 700 + 55 * math.sin(-t + math.pi)
            p.ellipse(x, y, 20, fill=(250, 248, 244), outline=(150, 140, 150), width=4)
            p.ellipse(x - 6, y - 6, 6, fill=(255, 255, 255))
    elif name == "Jade Pendant":
        p.arc(500, 660, 150, 110, 20, 160, INK, 8)
        p.ellipse(500, 800, 52, fill=(90, 180, 130), outline=INK, width=6)
        p.ellipse(500, 800, 18, fill=(250, 246, 232))
        p.rect(485, 848, 515, 900, fill=RED, radius=6)
    elif name == "Bow Tie":
        p.polygon([(500, 740), (400, 690), (400, 790)], fill=RED, outline=INK, width=7)
        p.polygon([(500, 740), (600, 690), (600, 790)], fill=RED, outline=INK, width=7)
        p.ellipse(500, 740, 30, fill=RED_DARK, outline=INK, width=6)
    elif name == "Flower Garland":
        for k in range(7):
            t = math.radians(200 - k * 23.3)
            x, y = 500 + 190 * math.cos(t), 705 + 50 * math.sin(-t + math.pi)
            color = ((244, 120, 150), (250, 200, 60), (250, 250, 250))[k % 3]
            for j in range(5):
                a = math.radians(j * 72 + k * 20)
                p.ellipse(x + 20 * math.cos(a), y + 20 * math.sin(a), 17, fill=color,
                          outline=INK, width=3)
            p.ellipse(x, y, 11, fill=GOLD)
    return p.result()


def charm(size: int, name: str) -> Image.Image:
    """The lucky charm, bottom right of the plaque."""
    p = Pen(size, 2).at((845, 868), 0.75)
    if name == "Gold Ingot":
        p.ellipse(0, 30, 95, 48, fill=GOLD, outline=INK, width=7)
        p.ellipse(0, 0, 50, 42, fill=GOLD, outline=INK, width=7)
        p.chord(0, 20, 95, 40, 180, 360, GOLD)
        p.arc(0, 20, 95, 40, 180, 360, INK, 7)
        p.ellipse(-18, -10, 12, 10, fill=(255, 240, 180))
    elif name == "Red Envelope":
        p.rect(-60, -80, 60, 80, fill=RED, radius=10, outline=INK, width=7)
        p.polygon([(-60, -60), (0, -10), (60, -60)], fill=RED_DARK, outline=INK, width=5)
        p.ellipse(0, -10, 24, fill=GOLD, outline=INK, width=5)
    elif name == "Lucky Coin":
        p.ellipse(0, 0, 80, fill=GOLD, outline=INK, width=7)
        p.ellipse(0, 0, 62, outline=GOLD_DARK, width=5)
        p.rect(-20, -20, 20, 20, fill=(250, 246, 232), outline=INK, width=6)
    elif name == "Chinese Knot":
        p.polygon([(0, -80), (70, -10), (0, 60), (-70, -10)], fill=RED, outline=INK, width=7)
        p.polygon([(0, -50), (40, -10), (0, 30), (-40, -10)], outline=RED_DARK, width=6)
        p.rect(-8, 60, 8, 95, fill=GOLD)
        for dx in (-14, -5, 5, 14):
            p.line([(dx / 2, 95), (dx, 140)], RED, 7)
    elif name == "Red Lantern":
        p.rect(-38, -95, 38, -70, fill=GOLD, radius=6, outline=INK, width=5)
        p.ellipse(0, 0, 82, 72, fill=RED, outline=INK, width=7)
        for dx in (-40, 0, 40):
            p.arc(dx * 0.2, 0, abs(dx) + 6, 72, 270 if dx >= 0 else 90,
                  90 if dx >= 0 else 270, RED_DARK, 5)
        p.rect(-38, 70, 38, 95, fill=GOLD, radius=6, outline=INK, width=5)
        p.line([(0, 95), (0, 140)], RED, 10)
    elif name == "Peach":
        p.oval(-40, 45, 34, 20, -30, fill=(90, 170, 80), outline=INK, width=5)
        p.oval(40, 45, 34, 20, 30, fill=(90, 170, 80), outline=INK, width=5)
        p.ellipse(0, 5, 72, 64, fill=(252, 170, 160), outline=INK, width=7)
        p.polygon([(-30, -40), (0, -95), (30, -40)], fill=(252, 170, 160))
        p.line([(-34, -42), (0, -95), (34, -42)], INK, 7)
        p.arc(40, -10, 50, 60, 150, 230, (226, 110, 110), 6)
        p.ellipse(-25, -5, 22, 28, fill=(255, 214, 200))
    elif name == "Mandarin Orange":
        p.ellipse(0, 10, 78, 72, fill=(246, 140, 30), outline=INK, width=7)
        p.oval(30, -70, 40, 18, -25, fill=(80, 160, 70), outline=INK, width=5)
        p.ellipse(-25, -15, 16, fill=(255, 200, 120))
    return p.result()


def element_emblem(size: int, name: str) -> Image.Image:
    """The year's element on a round badge, bottom left of the plaque."""
    p = Pen(size, 2).at((155, 875), 0.7)
    colors = {"Wood": (70, 150, 80), "Fire": (226, 70, 40), "Earth": (190, 130, 60),
              "Metal": (176, 182, 196), "Water": (50, 110, 200)}
    c = colors[name]
    p.ellipse(0, 0, 95, fill=(252, 246, 232), outline=INK, width=8)
    p.ellipse(0, 0, 80, outline=c, width=8)
    if name == "Wood":
        p.polygon([(0, -55), (35, 0), (15, 0), (40, 40), (-40, 40), (-15, 0), (-35, 0)], fill=c)
        p.rect(-7, 40, 7, 60, fill=(120, 80, 40))
    elif name == "Fire":
        p.polygon([(0, -60), (30, -15), (45, 25), (25, 55), (-25, 55), (-45, 25), (-25, -5),
                   (-10, 5)], fill=c)
        p.polygon([(0, 0), (18, 30), (10, 50), (-10, 50), (-18, 30)], fill=GOLD)
    elif name == "Earth":
        p.polygon([(-60, 50), (-15, -45), (25, 25), (40, 0), (65, 50)], fill=c)
        p.polygon([(-15, -45), (-30, -15), (0, -15)], fill=(250, 240, 220))
    elif name == "Metal":
        p.ellipse(0, 25, 55, 25, fill=c, outline=INK, width=5)
        p.ellipse(0, 5, 30, 25, fill=c, outline=INK, width=5)
        p.ellipse(-10, -5, 8, fill=(255, 255, 255))
    elif name == "Water":
        p.polygon([(0, -60), (35, 5), (0, 50), (-35, 5)], fill=c)
        p.ellipse(0, 15, 35, fill=c)
        p.ellipse(-12, 10, 9, fill=(220, 235, 255))
    return p.result()
