"""The twelve zodiac animals, drawn as front-facing busts from Pillow shapes.

Each drawing works on the pen's 1000-unit grid: the head centred near (500, 470), the chin near
y 700, shoulders below. Silhouette shapes come first, then one outline around all of them
(:meth:`Pen.outlined`), then the details (eyes, nose, markings) on top. Colours come from a
:class:`Coat`: an animal's natural colours, or a finish such as gold or jade.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from nft_toolkit.art.zodiac.pen import Color, Pen

OUTLINE_WIDTH = 9


@dataclass(frozen=True)
class Coat:
    """The colours of one animal: fur or scales, markings, muzzle and belly, nose, horns."""

    coat: Color
    dark: Color
    light: Color
    accent: Color
    horn: Color
    outline: Color = (58, 34, 28)
    eye: Color = (30, 20, 20)


NATURAL: dict[str, Coat] = {
    "Rat": Coat((158, 158, 172), (96, 96, 112), (226, 222, 230), (244, 160, 170), (250, 250, 240)),
    "Ox": Coat((150, 92, 58), (92, 52, 30), (232, 196, 160), (230, 150, 140), (246, 232, 200)),
    "Tiger": Coat((240, 148, 44), (58, 36, 24), (252, 246, 236), (236, 120, 120), (250, 250, 240)),
    "Rabbit": Coat((248, 244, 240), (210, 200, 200), (255, 255, 255), (246, 166, 180),
                   (250, 250, 250)),
    "Dragon": Coat((60, 160, 100), (30, 96, 60), (250, 222, 130), (226, 80, 60), (250, 236, 190)),
    "Snake": Coat((120, 180, 70), (56, 110, 40), (236, 236, 160), (220, 50, 60), (250, 250, 240)),
    "Horse": Coat((178, 102, 52), (70, 40, 26), (250, 240, 226), (220, 150, 140), (70, 40, 26)),
    "Goat": Coat((244, 236, 214), (196, 180, 150), (255, 252, 244), (240, 170, 170),
                 (176, 142, 98)),
    "Monkey": Coat((160, 100, 58), (104, 62, 36), (246, 210, 170), (236, 150, 140),
                   (104, 62, 36)),
    "Rooster": Coat((250, 220, 120), (226, 120, 40), (255, 246, 214), (226, 40, 40),
                    (250, 180, 40)),
    "Dog": Coat((214, 160, 96), (130, 82, 44), (252, 240, 222), (230, 110, 120), (30, 24, 24)),
    "Pig": Coat((248, 176, 186), (226, 128, 146), (252, 210, 214), (214, 104, 124),
                (248, 176, 186)),
}

Drawing = Callable[[Pen, Coat], None]


def _eyes(p: Pen, c: Coat, y: float = 470, dx: float = 80, r: float = 26) -> None:
    for x in (500 - dx, 500 + dx):
        p.ellipse(x, y, r * 0.95, r * 1.1, fill=c.eye)
        p.ellipse(x - r * 0.3, y - r * 0.4, r * 0.38, fill=(255, 255, 255))
        p.ellipse(x + r * 0.35, y + r * 0.35, r * 0.15, fill=(255, 255, 255))


def _blush(p: Pen, y: float = 545, dx: float = 135) -> None:
    for x in (500 - dx, 500 + dx):
        p.ellipse(x, y, 34, 20, fill=(255, 120, 130, 90))


def _bust(p: Pen, c: Coat) -> None:
    p.ellipse(500, 960, 250, 250, fill=c.coat)
    p.ellipse(500, 930, 120, 170, fill=c.light)


def _smile(p: Pen, c: Coat, y: float = 610, w: float = 40) -> None:
    p.arc(500 - w / 2, y, w / 2, w / 2.4, 20, 160, c.outline, 7)
    p.arc(500 + w / 2, y, w / 2, w / 2.4, 20, 160, c.outline, 7)


def rat(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):
        p.ellipse(500 + s * 175, 300, 115, fill=c.coat)
    p.polygon([(300, 430), (500, 300), (700, 430), (600, 650), (500, 690), (400, 650)],
              fill=c.coat)
    p.ellipse(500, 470, 205, 190, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):
        p.ellipse(500 + s * 175, 300, 72, fill=c.accent)
    p.ellipse(500, 600, 95, 80, fill=c.light)
    _eyes(p, c, 460, 85, 24)
    p.ellipse(500, 575, 30, 22, fill=c.accent)
    p.rect(482, 640, 498, 672, fill=(255, 255, 255), radius=4, outline=c.outline, width=3)
    p.rect(502, 640, 518, 672, fill=(255, 255, 255), radius=4, outline=c.outline, width=3)
    p.line([(500, 597), (500, 630)], c.outline, 6)
    for s in (-1, 1):
        for dy in (-18, 4, 26):
            p.line([(500 + s * 70, 600 + dy / 2), (500 + s * 200, 580 + dy * 1.6)],
                   c.dark, 5)
    _blush(p, 545, 140)


def ox(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):  # horns curving up and out
        p.polygon([(500 + s * 120, 330), (500 + s * 200, 250), (500 + s * 260, 170),
                   (500 + s * 300, 150), (500 + s * 290, 210), (500 + s * 240, 300),
                   (500 + s * 170, 380)], fill=c.horn)
        p.oval(500 + s * 230, 420, 85, 42, s * 20, fill=c.coat)
    p.ellipse(500, 470, 185, 205, fill=c.coat)
    p.ellipse(500, 620, 165, 105, fill=c.light)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):
        p.oval(500 + s * 235, 422, 55, 22, s * 20, fill=c.accent)
        p.ellipse(500 + s * 55, 625, 22, 30, fill=c.dark)
    p.polygon([(450, 300), (500, 330), (550, 300), (530, 360), (470, 360)], fill=c.dark)
    _eyes(p, c, 470, 80, 26)
    p.arc(500, 690, 55, 45, 20, 160, (240, 190, 60), 12)  # nose ring
    _blush(p, 540, 145)


def tiger(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):
        p.ellipse(500 + s * 160, 300, 75, fill=c.coat)
    p.ellipse(500, 480, 225, 200, fill=c.coat)
    for s in (-1, 1):
        p.polygon([(500 + s * 180, 560), (500 + s * 250, 620), (500 + s * 140, 660)],
                  fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):
        p.ellipse(500 + s * 160, 305, 42, fill=c.light)
        for dy in (0, 55):  # cheek stripes
            p.polygon([(500 + s * 225, 470 + dy), (500 + s * 140, 480 + dy),
                       (500 + s * 225, 500 + dy)], fill=c.dark)
        p.ellipse(500 + s * 48, 610, 62, 52, fill=c.light)
    for dy, half in ((0, 70), (38, 55), (76, 40)):  # forehead stripes
        p.rect(500 - half, 330 + dy, 500 + half, 345 + dy, fill=c.dark, radius=7)
    p.rect(492, 330, 508, 420, fill=c.dark, radius=7)
    _eyes(p, c, 470, 90, 26)
    p.polygon([(470, 565), (530, 565), (500, 595)], fill=c.accent, outline=c.outline, width=4)
    p.line([(500, 595), (500, 625)], c.outline, 6)
    _smile(p, c, 625, 44)


def rabbit(p: Pen, c: Coat) -> None:
    _bust(p, c)
    p.oval(420, 220, 58, 170, -10, fill=c.coat)
    p.oval(600, 230, 58, 165, 22, fill=c.coat)
    p.ellipse(500, 500, 185, 175, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    p.oval(420, 225, 30, 130, -10, fill=c.accent)
    p.oval(598, 235, 30, 125, 22, fill=c.accent)
    _eyes(p, c, 480, 75, 27)
    p.ellipse(500, 565, 24, 18, fill=c.accent)
    p.line([(500, 582), (500, 605)], c.outline, 6)
    _smile(p, c, 605, 40)
    p.rect(486, 620, 514, 655, fill=(255, 255, 255), radius=5, outline=c.outline, width=3)
    p.line([(500, 622), (500, 653)], c.outline, 3)
    _blush(p, 555, 120)


def dragon(p: Pen, c: Coat) -> None:
    _bust(p, c)
    mane = c.light
    for i in range(9):  # a flame-like mane around the head
        a = -150 + i * 37.5
        x = 500 + 260 * math.cos(math.radians(a))
        y = 470 + 240 * math.sin(math.radians(a))
        p.oval(x, y, 80, 42, a, fill=mane)
    for s in (-1, 1):  # antlers
        p.line([(500 + s * 90, 330), (500 + s * 150, 210), (500 + s * 200, 130)], c.horn, 30)
        p.line([(500 + s * 150, 215), (500 + s * 230, 200)], c.horn, 24)
        p.line([(500 + s * 180, 165), (500 + s * 150, 100)], c.horn, 22)
    p.ellipse(500, 460, 190, 175, fill=c.coat)
    p.ellipse(500, 600, 150, 100, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    p.ellipse(500, 620, 120, 70, fill=c.light)
    for s in (-1, 1):
        p.ellipse(500 + s * 45, 595, 16, 12, fill=c.dark)
        p.line([(500 + s * 120, 610), (500 + s * 220, 640), (500 + s * 300, 600),
                (500 + s * 340, 640)], c.horn, 12)  # whiskers
        p.polygon([(500 + s * 40, 405), (500 + s * 150, 395), (500 + s * 130, 425)],
                  fill=c.dark)  # brows
    for i in range(3):
        p.ellipse(500, 300 + i * 42, 16, 14, fill=c.light)  # scales on the brow
    _eyes(p, c, 460, 85, 27)
    p.line([(440, 655), (500, 672), (560, 655)], c.outline, 7)


def snake(p: Pen, c: Coat) -> None:
    p.ellipse(500, 870, 280, 120, fill=c.coat)  # coils, bottom to top
    p.ellipse(500, 760, 220, 100, fill=c.coat)
    p.ellipse(500, 660, 150, 80, fill=c.coat)
    p.polygon([(450, 660), (550, 660), (560, 480), (440, 480)], fill=c.coat)
    p.ellipse(500, 420, 165, 130, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for y, rx, ry in ((870, 280, 120), (760, 220, 100), (660, 150, 80)):
        p.arc(500, y, rx, ry, 200, 340, c.outline, 6)  # the lines between the coils
        p.chord(500, y + ry * 0.35, rx * 0.55, ry * 0.5, 0, 180, c.light)
    for x, y in ((380, 880), (620, 880), (500, 905), (420, 780), (580, 780), (500, 690)):
        p.polygon([(x, y - 22), (x + 24, y), (x, y + 22), (x - 24, y)], fill=c.dark)
    p.polygon([(500, 330), (530, 360), (500, 390), (470, 360)], fill=c.dark)
    _eyes(p, c, 430, 80, 26)
    p.line([(500, 505), (500, 560)], c.accent, 10)  # forked tongue
    p.line([(500, 558), (480, 590)], c.accent, 8)
    p.line([(500, 558), (520, 590)], c.accent, 8)
    for s in (-1, 1):
        p.ellipse(500 + s * 25, 470, 8, 6, fill=c.outline)
    _blush(p, 480, 120)


def horse(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):
        p.polygon([(500 + s * 70, 300), (500 + s * 140, 150), (500 + s * 165, 320)], fill=c.coat)
    p.polygon([(380, 330), (330, 420), (310, 760), (370, 800)], fill=c.horn)  # mane behind
    p.ellipse(500, 420, 140, 175, fill=c.coat)
    p.ellipse(500, 590, 125, 125, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):
        p.polygon([(500 + s * 90, 290), (500 + s * 135, 190), (500 + s * 140, 300)],
                  fill=c.accent)
    p.polygon([(420, 265), (470, 210), (500, 250), (540, 200), (580, 265), (560, 330),
               (500, 300), (440, 330)], fill=c.horn)  # forelock
    p.polygon([(485, 360), (515, 360), (530, 560), (470, 560)], fill=c.light)  # blaze
    p.ellipse(500, 630, 105, 80, fill=c.light)
    for s in (-1, 1):
        p.oval(500 + s * 45, 625, 14, 24, s * -15, fill=c.dark)
    _eyes(p, c, 440, 80, 25)
    _smile(p, c, 672, 40)


def goat(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):
        p.oval(500 + s * 200, 430, 90, 34, s * 25, fill=c.coat)  # ears
    p.ellipse(500, 460, 160, 190, fill=c.coat)
    p.polygon([(440, 620), (560, 620), (500, 790)], fill=c.light)  # beard
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):  # ram's horns: a spiral from the crown curling down beside the eye
        spiral = _spiral(500 + s * 150, 330, s)
        p.line(spiral, c.outline, 52)
        p.line(spiral, c.horn, 36)
        p.line(spiral[:26], c.light, 10)
        p.oval(500 + s * 210, 435, 55, 16, s * 25, fill=c.accent)
    _eyes(p, c, 450, 75, 24)
    p.ellipse(500, 590, 70, 55, fill=c.light)
    for s in (-1, 1):
        p.ellipse(500 + s * 25, 580, 10, 7, fill=c.outline)
    _smile(p, c, 620, 36)
    for y in (670, 710, 750):
        p.line([(500 - (800 - y) / 3, y), (500, y + 15), (500 + (800 - y) / 3, y)], c.dark, 4)


def _spiral(cx: float, cy: float, side: int) -> list[tuple[float, float]]:
    """Points of a ram's-horn spiral turning outward from the head (side -1 left, 1 right)."""
    pts = []
    for i in range(40):
        t = i / 39
        a = math.radians(220 - 340 * t) if side < 0 else math.radians(-40 + 340 * t)
        r = 100 - 55 * t
        pts.append((cx + side * 20 * (1 - t) + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def monkey(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):
        p.ellipse(500 + s * 215, 480, 75, fill=c.coat)
    p.ellipse(500, 470, 200, 200, fill=c.coat)
    p.polygon([(440, 280), (470, 230), (500, 275), (530, 220), (560, 280)], fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):
        p.ellipse(500 + s * 215, 480, 42, fill=c.light)
        p.ellipse(500 + s * 65, 450, 85, 90, fill=c.light)
    p.ellipse(500, 580, 125, 95, fill=c.light)
    _eyes(p, c, 455, 65, 24)
    for s in (-1, 1):
        p.ellipse(500 + s * 18, 545, 8, 6, fill=c.outline)
    p.arc(500, 580, 70, 55, 25, 155, c.outline, 8)
    _blush(p, 540, 120)


def rooster(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):  # feather tufts at the cheeks
        for i in range(3):
            p.oval(500 + s * (170 + i * 20), 560 + i * 50, 70, 30, s * (25 + i * 15),
                   fill=c.dark)
    for x, y, r in ((430, 270, 55), (500, 235, 65), (570, 270, 55)):
        p.ellipse(x, y, r, fill=c.accent)  # comb
    p.ellipse(500, 480, 175, 200, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for x, y, r in ((430, 270, 55), (500, 235, 65), (570, 270, 55)):
        p.arc(x, y, r, r, 150, 390, c.outline, 6)  # the comb stands out on any coat
    p.arc(500, 480, 175, 200, 235, 305, c.outline, 6)
    p.ellipse(500, 640, 35, 55, fill=c.accent, outline=c.outline, width=5)  # wattle
    p.polygon([(455, 545), (545, 545), (500, 620)], fill=c.horn, outline=c.outline, width=5)
    p.line([(458, 548), (542, 548)], c.outline, 5)
    _eyes(p, c, 460, 80, 24)
    for s in (-1, 1):
        p.ellipse(500 + s * 80, 460, 40, 44, outline=c.dark, width=6)
    _blush(p, 540, 135)


def dog(p: Pen, c: Coat) -> None:
    _bust(p, c)
    p.ellipse(500, 480, 195, 180, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    ears = p.layer()
    for s in (-1, 1):  # floppy ears, with their own outline, over the head
        ears.oval(500 + s * 200, 460, 62, 135, s * -22, fill=c.dark)
    ears.outlined(c.outline, OUTLINE_WIDTH)
    p.paste(ears)
    p.ellipse(430, 440, 60, 65, fill=c.light)  # a patch round one eye
    p.ellipse(500, 595, 110, 80, fill=c.light)
    _eyes(p, c, 460, 75, 25)
    p.ellipse(500, 560, 38, 28, fill=c.horn)
    p.ellipse(490, 552, 12, 8, fill=(255, 255, 255))
    p.line([(500, 588), (500, 612)], c.outline, 6)
    p.chord(500, 630, 28, 40, 0, 180, c.accent)  # tongue
    _smile(p, c, 612, 44)


def pig(p: Pen, c: Coat) -> None:
    _bust(p, c)
    for s in (-1, 1):
        p.polygon([(500 + s * 90, 320), (500 + s * 230, 220), (500 + s * 200, 380)], fill=c.coat)
    p.ellipse(500, 490, 215, 190, fill=c.coat)
    p.outlined(c.outline, OUTLINE_WIDTH)
    for s in (-1, 1):
        p.polygon([(500 + s * 120, 320), (500 + s * 210, 250), (500 + s * 190, 350)],
                  fill=c.dark)
    p.ellipse(500, 575, 88, 62, fill=c.dark, outline=c.outline, width=6)
    for s in (-1, 1):
        p.oval(500 + s * 30, 575, 14, 24, 0, fill=c.outline)
    _eyes(p, c, 465, 90, 24)
    p.arc(500, 650, 40, 20, 20, 160, c.outline, 7)
    _blush(p, 560, 160)


DRAWINGS: dict[str, Drawing] = {
    "Rat": rat, "Ox": ox, "Tiger": tiger, "Rabbit": rabbit, "Dragon": dragon, "Snake": snake,
    "Horse": horse, "Goat": goat, "Monkey": monkey, "Rooster": rooster, "Dog": dog, "Pig": pig,
}


# Finishes: (coat, markings, muzzle and belly, horns); "Natural" keeps each animal's colours.
FINISHES: dict[str, tuple[Color, Color, Color, Color] | None] = {
    "Natural": None,
    "Gold": ((232, 178, 58), (168, 112, 26), (255, 234, 166), (255, 246, 210)),
    "Jade": ((104, 182, 138), (40, 112, 80), (214, 242, 222), (236, 250, 240)),
    "Porcelain": ((246, 246, 250), (46, 86, 170), (255, 255, 255), (200, 214, 242)),
    "Vermilion": ((214, 60, 48), (130, 22, 22), (255, 210, 176), (255, 226, 160)),
    "Silver": ((200, 206, 218), (112, 118, 136), (242, 244, 250), (255, 255, 255)),
}


def coat_for(animal: str, finish: str) -> Coat:
    """The animal's colours in `finish` (its nose, tongue and comb keep their natural hue)."""
    natural = NATURAL[animal]
    colors = FINISHES[finish]
    if colors is None:
        return natural
    coat, dark, light, horn = colors
    if sum(natural.horn[:3]) < sum(natural.coat[:3]):  # a mane or nose, not horns
        horn = dark
    return Coat(coat, dark, light, natural.accent, horn)
