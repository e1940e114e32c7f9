"""Copies of a picture as people make them (Pillow), for the copy tests and benchmarks/copies.py:
each transform kind at several strengths, and pictures that are no item (random art)."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

Transform = Callable[[Image.Image], bytes]


def png(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()


def saved(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format=fmt, quality=quality)
    return out.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size)


def resized(f: float) -> Transform:
    return lambda im: png(im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))),
                                    Image.Resampling.LANCZOS))


def cropped(left: float, top: float, right: float, bottom: float) -> Transform:
    def t(im: Image.Image) -> bytes:
        w, h = im.size
        return png(im.crop((round(w * left), round(h * top), round(w * (1 - right)),
                            round(h * (1 - bottom)))))
    return t


def bordered(f: float, colour: tuple[int, int, int]) -> Transform:
    return lambda im: png(ImageOps.expand(im, border=round(im.width * f), fill=colour))


def padded(f: float) -> Transform:
    """Padded to a wide canvas (letterbox), as a video or a banner would."""
    def t(im: Image.Image) -> bytes:
        canvas = Image.new("RGB", (round(im.width * (1 + 2 * f)), im.height), (0, 0, 0))
        canvas.paste(im, (round(im.width * f), 0))
        return png(canvas)
    return t


def enhanced(kind: str, factor: float) -> Transform:
    enhancers = {"brightness": ImageEnhance.Brightness, "contrast": ImageEnhance.Contrast,
                 "saturation": ImageEnhance.Color}
    return lambda im: saved(enhancers[kind](im.convert("RGB")).enhance(factor), "JPEG", 90)


def greyscale(im: Image.Image) -> bytes:
    return png(ImageOps.grayscale(im))


def watermarked(text: str, opacity: int) -> Transform:
    def t(im: Image.Image) -> bytes:
        layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        draw.text((im.width * 0.5, im.height * 0.55), text, anchor="mm",
                  font=_font(im.width // 9), fill=(255, 255, 255, opacity))
        return png(Image.alpha_composite(im.convert("RGBA"), layer).convert("RGB"))
    return t


def price_tagged(corner: int) -> Transform:
    def t(im: Image.Image) -> bytes:
        out = im.convert("RGB").copy()
        draw = ImageDraw.Draw(out)
        w, h = out.size
        x = w * 0.03 if corner % 2 == 0 else w * 0.75
        y = h * 0.03 if corner < 2 else h * 0.86
        draw.rounded_rectangle((x, y, x + w * 0.22, y + h * 0.1), radius=w // 60,
                               fill=(230, 30, 40))
        draw.text((x + w * 0.11, y + h * 0.05), "¥ 99", anchor="mm", font=_font(w // 20),
                  fill="white")
        return png(out)
    return t


def screenshot(scale: float, dark: bool, as_jpeg: bool) -> Transform:
    """The picture inside a phone's interface (1170 x 2532, an iPhone's screenshot): status bar,
    title, price and buttons around it, the picture `scale` of the screen's width."""
    def t(im: Image.Image) -> bytes:
        w, h = 1170, 2532
        bg, fg = ((18, 18, 20), (235, 235, 235)) if dark else ((248, 248, 248), (20, 20, 20))
        screen = Image.new("RGB", (w, h), bg)
        draw = ImageDraw.Draw(screen)
        draw.text((48, 36), "9:41", font=_font(44), fill=fg)
        draw.text((w - 220, 36), "5G 87%", font=_font(44), fill=fg)
        draw.rectangle((0, 120, w, 260), fill=(40, 90, 200) if not dark else (30, 30, 36))
        draw.text((w // 2, 190), "Marketplace — Item detail", anchor="mm", font=_font(56),
                  fill="white")
        side = round(w * scale)
        pic = im.convert("RGB").resize((side, round(side * im.height / im.width)),
                                       Image.Resampling.BILINEAR)
        top = 320
        screen.paste(pic, ((w - side) // 2, top))
        y = top + pic.height + 48
        for line, size in (("Year of the Horse #0000", 68), ("Price  ¥ 1,288.00", 60),
                           ("Seller: lucky_horse_88   ★★★★☆", 48)):
            draw.text((64, y), line, font=_font(size), fill=fg)
            y += size + 44
        draw.rounded_rectangle((64, h - 240, w - 64, h - 100), radius=60, fill=(230, 60, 40))
        draw.text((w // 2, h - 170), "Buy now", anchor="mm", font=_font(60), fill="white")
        return saved(screen, "JPEG", 85) if as_jpeg else png(screen)
    return t


def rotated(turn: Image.Transpose) -> Transform:
    return lambda im: png(im.transpose(turn))


# every transform kind, at several strengths: (kind, name, transform)
TRANSFORMS: list[tuple[str, str, Transform]] = [
    ("re-encoded", "png level 1", lambda im: png(im, compress_level=1)),
    ("re-encoded", "png optimize", lambda im: png(im, optimize=True)),
    *[("re-encoded", f"jpeg q{q}", (lambda q: lambda im: saved(im, "JPEG", q))(q))
      for q in (30, 60, 95)],
    *[("re-encoded", f"webp q{q}", (lambda q: lambda im: saved(im, "WEBP", q))(q))
      for q in (30, 60, 95)],
    *[("resized", f"{round(f * 100)}%", resized(f)) for f in (0.25, 0.5, 0.8, 1.5, 2.0)],
    ("cropped", "20% left", cropped(0.2, 0, 0, 0)),
    ("cropped", "20% top", cropped(0, 0.2, 0, 0)),
    ("cropped", "20% right", cropped(0, 0, 0.2, 0)),
    ("cropped", "20% bottom", cropped(0, 0, 0, 0.2)),
    ("cropped", "10% all sides", cropped(0.1, 0.1, 0.1, 0.1)),
    ("cropped", "5% left+top", cropped(0.05, 0.05, 0, 0)),
    ("bordered", "5% white", bordered(0.05, (255, 255, 255))),
    ("bordered", "25% black", bordered(0.25, (0, 0, 0))),
    ("bordered", "letterbox 40%", padded(0.4)),
    ("flipped", "mirror", rotated(Image.Transpose.FLIP_LEFT_RIGHT)),
    ("flipped", "upside down", rotated(Image.Transpose.FLIP_TOP_BOTTOM)),
    ("flipped", "rotate 90", rotated(Image.Transpose.ROTATE_90)),
    ("flipped", "rotate 180", rotated(Image.Transpose.ROTATE_180)),
    ("flipped", "rotate 270", rotated(Image.Transpose.ROTATE_270)),
    ("recoloured", "brightness 0.6", enhanced("brightness", 0.6)),
    ("recoloured", "brightness 1.4", enhanced("brightness", 1.4)),
    ("recoloured", "contrast 0.6", enhanced("contrast", 0.6)),
    ("recoloured", "contrast 1.5", enhanced("contrast", 1.5)),
    ("recoloured", "saturation 0.3", enhanced("saturation", 0.3)),
    ("recoloured", "saturation 1.8", enhanced("saturation", 1.8)),
    ("recoloured", "greyscale", greyscale),
    ("overlaid", "watermark", watermarked("SAMPLE", 110)),
    ("overlaid", "price tag top", price_tagged(0)),
    ("overlaid", "price tag bottom", price_tagged(3)),
    ("screenshot", "light 90%", screenshot(0.9, False, False)),
    ("screenshot", "dark 70% jpeg", screenshot(0.7, True, True)),
    ("screenshot", "light 50% jpeg", screenshot(0.5, False, True)),
]

# one transform of each kind, for quick tests
ONE_OF_EACH: dict[str, Transform] = {}
for _kind, _name, _t in TRANSFORMS:
    ONE_OF_EACH.setdefault(_kind, _t)


def random_art(seed: int, size: int = 512) -> bytes:
    """A picture that is no item: random shapes, text and noise."""
    rng = random.Random(seed)
    im = Image.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    for _ in range(rng.randrange(8, 40)):
        box = sorted(rng.randrange(size) for _ in range(2)), sorted(rng.randrange(size) for _ in range(2))
        xy = (box[0][0], box[1][0], box[0][1] + 2, box[1][1] + 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(xy, fill=colour)
    draw.text((size * 0.1, size * 0.8), "ART %d" % seed, font=_font(size // 10), fill="black")
    return png(im)
