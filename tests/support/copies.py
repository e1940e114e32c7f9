"""Copies of a picture as people make them (Pillow), for the copy tests and benchmarks/copies.py:
each transform kind at several strengths, and pictures that are no item (random art)."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps

from nft_toolkit.fonts import cjk_font_path

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


def _cjk(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The project's pinned Noto Sans SC, as Chinese phone screens draw their text."""
    return ImageFont.truetype(str(cjk_font_path("bold" if bold else "regular")), size)


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


# W3C Filter Effects Module Level 1, "sepia" (the matrix CSS's sepia(amount) and most photo
# apps apply): each output channel a tinted luma, blended with the identity by 1 - amount
_SEPIA = ((0.393, 0.769, 0.189), (0.349, 0.686, 0.168), (0.272, 0.534, 0.131))


def sepia(im: Image.Image, amount: float = 1.0) -> Image.Image:
    """CSS's ``sepia(amount)`` (the W3C matrix above, 0..1)."""
    rows = [[amount * _SEPIA[r][c] + (1 - amount) * (r == c) for c in range(3)] + [0.0]
            for r in range(3)]
    return im.convert("RGB").convert("RGB", tuple(v for row in rows for v in row))


def white_balanced(im: Image.Image, gains: tuple[float, float, float]) -> Image.Image:
    """A white-balance shift (a phone's "warm" or "cool" filter): each channel scaled by its own
    gain (von Kries' diagonal model, as camera white balance applies it)."""
    r, g, b = gains
    return im.convert("RGB").convert("RGB", (r, 0, 0, 0, 0, g, 0, 0, 0, 0, b, 0))


def vintage(im: Image.Image) -> Image.Image:
    """A "vintage" filter (Meitu's and Instagram's faded look): saturation 0.85 (Pillow), then
    levels with raised blacks and a warm, faded white point, per channel ``out = black + x *
    (white - black)``: black (40, 32, 24), white (239, 220, 192)."""
    black, white = (40, 32, 24), (239, 220, 192)
    matrix = tuple(v for c in range(3) for v in (
        *[(white[c] - black[c]) / 255 * (r == c) for r in range(3)], black[c]))
    return ImageEnhance.Color(im.convert("RGB")).enhance(0.85).convert("RGB", matrix)


# a phone's colour filters (a photo app's, WeChat's, Meitu's), which change hue
FILTERS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "sepia": sepia,
    "sepia 60%": lambda im: sepia(im, 0.6),
    "warm": lambda im: white_balanced(im, (1.1, 1.0, 0.85)),
    "cool": lambda im: white_balanced(im, (0.85, 1.0, 1.1)),
    "vintage": vintage,
}


def filtered(name: str) -> Transform:
    """The filter `name` of FILTERS, saved as a phone does (JPEG 90)."""
    return lambda im: saved(FILTERS[name](im), "JPEG", 90)


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


PHONE = {"android": (1080, 2340), "iphone": (750, 1334)}  # screenshot sizes, pixels


def _status_bar(draw: ImageDraw.ImageDraw, w: int, u: float, fg: tuple[int, int, int]) -> None:
    draw.text((40 * u, 14 * u), "9:41", font=_cjk(round(30 * u), True), fill=fg)
    draw.text((w - 40 * u, 14 * u), "5G 87%", anchor="ra", font=_cjk(round(28 * u)), fill=fg)


def _screen(phone: str, colour: tuple[int, int, int]) -> tuple[
        Image.Image, ImageDraw.ImageDraw, int, int, float]:
    """A blank screen of `phone`'s size in `colour`, its drawing, width, height and the layout's
    unit (1 at an Android phone's width of 1,080 pixels)."""
    w, h = PHONE[phone]
    screen = Image.new("RGB", (w, h), colour)
    return screen, ImageDraw.Draw(screen), w, h, w / 1080


def _phone(screen: Image.Image, as_jpeg: bool) -> bytes:
    return saved(screen, "JPEG", 85) if as_jpeg else png(screen)


def shop_page(phone: str, as_jpeg: bool) -> Transform:
    """A Chinese shop app's item page (Taobao, Xianyu): an orange header with a search bar, the
    picture the screen's full width right under it with a page counter over its corner, then
    the price, the title, the seller and a bar of buttons; `phone` a size of PHONE."""
    def t(im: Image.Image) -> bytes:
        screen, draw, w, h, u = _screen(phone, (244, 244, 244))
        header = round(250 * u)
        draw.rectangle((0, 0, w, header), fill=(255, 80, 0))
        _status_bar(draw, w, u, (255, 255, 255))
        draw.text((36 * u, 150 * u), "<", anchor="lm", font=_cjk(round(60 * u)), fill="white")
        draw.rounded_rectangle((100 * u, 105 * u, w - 150 * u, 195 * u), radius=45 * u,
                               fill=(255, 255, 255))
        draw.text((150 * u, 150 * u), "搜索宝贝  生肖数字藏品", anchor="lm",
                  font=_cjk(round(38 * u)), fill=(153, 153, 153))
        draw.text((w - 60 * u, 150 * u), "···", anchor="mm", font=_cjk(round(48 * u)),
                  fill="white")
        pic = im.convert("RGB").resize((w, round(w * im.height / im.width)),
                                       Image.Resampling.BILINEAR)
        screen.paste(pic, (0, header))
        bottom = header + pic.height
        draw.rounded_rectangle((w - 150 * u, bottom - 80 * u, w - 30 * u, bottom - 30 * u),
                               radius=25 * u, fill=(60, 60, 60))
        draw.text((w - 90 * u, bottom - 55 * u), "1/5", anchor="mm", font=_cjk(round(30 * u)),
                  fill="white")
        draw.rectangle((0, bottom, w, h), fill=(255, 255, 255))
        y = bottom + 30 * u
        draw.text((36 * u, y), "¥", font=_cjk(round(44 * u), True), fill=(255, 80, 0))
        draw.text((70 * u, y - 14 * u), "1288.00", font=_cjk(round(72 * u), True),
                  fill=(255, 80, 0))
        draw.text((w - 36 * u, y + 20 * u), "已售 2万+", anchor="ra", font=_cjk(round(32 * u)),
                  fill=(153, 153, 153))
        y += 120 * u
        for line in ("【官方正品】马年生肖数字藏品 #0000 限量发行", "银行发行 · 链上可查 · 包邮"):
            draw.text((36 * u, y), line, font=_cjk(round(42 * u), True), fill=(34, 34, 34))
            y += 70 * u
        y += 30 * u
        draw.ellipse((36 * u, y, 116 * u, y + 80 * u), fill=(255, 200, 160))
        draw.text((136 * u, y + 40 * u), "卖家：幸运马88   信用极好   回复快", anchor="lm",
                  font=_cjk(round(34 * u)), fill=(80, 80, 80))
        bar = h - round(150 * u)
        draw.rectangle((0, bar, w, h), fill=(255, 255, 255))
        draw.line((0, bar, w, bar), fill=(230, 230, 230), width=max(1, round(2 * u)))
        for i, label in enumerate(("店铺", "客服", "收藏")):
            draw.text((70 * u + i * 110 * u, bar + 75 * u), label, anchor="mm",
                      font=_cjk(round(30 * u)), fill=(90, 90, 90))
        half = (w - 420 * u) / 2
        for i, (label, colour) in enumerate((("加入购物车", (255, 170, 0)),
                                             ("立即购买", (255, 80, 0)))):
            x = 390 * u + i * half
            draw.rounded_rectangle((x, bar + 25 * u, x + half - 10 * u, bar + 125 * u),
                                   radius=50 * u, fill=colour)
            draw.text((x + half / 2, bar + 75 * u), label, anchor="mm",
                      font=_cjk(round(38 * u), True), fill="white")
        return _phone(screen, as_jpeg)
    return t


def _wechat_header(draw: ImageDraw.ImageDraw, w: int, u: float, title: str) -> int:
    header = round(200 * u)
    draw.rectangle((0, 0, w, header), fill=(237, 237, 237))
    _status_bar(draw, w, u, (0, 0, 0))
    draw.text((40 * u, 140 * u), "<", anchor="lm", font=_cjk(round(56 * u)), fill="black")
    draw.text((w / 2, 140 * u), title, anchor="mm", font=_cjk(round(44 * u), True),
              fill="black")
    draw.text((w - 50 * u, 140 * u), "···", anchor="mm", font=_cjk(round(48 * u)), fill="black")
    draw.line((0, header, w, header), fill=(218, 218, 218), width=max(1, round(2 * u)))
    return header


def _rounded(im: Image.Image, width: int, radius: int) -> tuple[Image.Image, Image.Image]:
    """`im` at `width`, and the mask of its rounded corners."""
    pic = im.convert("RGB").resize((width, round(width * im.height / im.width)),
                                   Image.Resampling.BILINEAR)
    mask = Image.new("L", pic.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, pic.width - 1, pic.height - 1), radius=radius,
                                           fill=255)
    return pic, mask


def chat(phone: str, as_jpeg: bool) -> Transform:
    """A WeChat chat: the picture sent in a rounded bubble (0.45 of the screen's width) beside
    the sender's avatar, text bubbles above and below, the chat's header and input bar."""
    def t(im: Image.Image) -> bytes:
        screen, draw, w, h, u = _screen(phone, (237, 237, 237))
        y = _wechat_header(draw, w, u, "张经理（银行客户经理）") + 40 * u
        font = _cjk(round(40 * u))
        avatar = 100 * u

        def bubble(text: str, mine: bool, y: float) -> float:
            tw = draw.textlength(text, font=font)
            if mine:
                x1 = w - 40 * u - avatar - 24 * u
                box = (x1 - tw - 60 * u, y, x1, y + 100 * u)
                draw.rounded_rectangle((w - 40 * u - avatar, y, w - 40 * u, y + avatar),
                                       radius=10 * u, fill=(90, 140, 200))
            else:
                x0 = 40 * u + avatar + 24 * u
                box = (x0, y, x0 + tw + 60 * u, y + 100 * u)
                draw.rounded_rectangle((40 * u, y, 40 * u + avatar, y + avatar),
                                       radius=10 * u, fill=(230, 150, 60))
            draw.rounded_rectangle(box, radius=12 * u, fill=(149, 236, 105) if mine else "white")
            draw.text((box[0] + 30 * u, y + 50 * u), text, anchor="lm", font=font, fill="black")
            return y + 140 * u

        draw.text((w / 2, y + 20 * u), "昨天 18:42", anchor="mm", font=_cjk(round(30 * u)),
                  fill=(160, 160, 160))
        y = bubble("您好，这是您要的那款藏品", False, y + 70 * u)
        pic, mask = _rounded(im, round(0.45 * w), round(14 * u))
        x0 = round(40 * u + avatar + 24 * u)
        draw.rounded_rectangle((40 * u, y, 40 * u + avatar, y + avatar), radius=10 * u,
                               fill=(230, 150, 60))
        screen.paste(pic, (x0, round(y)), mask)
        y = bubble("这个是正品吗？多少钱？", True, y + pic.height + 40 * u)
        y = bubble("链上可查，1288 元", False, y)
        bar = h - round(150 * u)
        draw.rectangle((0, bar, w, h), fill=(246, 246, 246))
        draw.rounded_rectangle((130 * u, bar + 25 * u, w - 250 * u, bar + 115 * u),
                               radius=10 * u, fill="white")
        for x in (w - 190 * u, w - 80 * u):
            draw.ellipse((x - 35 * u, bar + 35 * u, x + 35 * u, bar + 105 * u),
                         outline="black", width=max(1, round(3 * u)))
        return _phone(screen, as_jpeg)
    return t


def moments(phone: str, as_jpeg: bool) -> Transform:
    """A WeChat Moments post: avatar, name and text on a white page, the picture (0.55 of the
    screen's width, rounded) beside the avatar, then the time and a grey comments box."""
    def t(im: Image.Image) -> bytes:
        screen, draw, w, h, u = _screen(phone, (255, 255, 255))
        y = _wechat_header(draw, w, u, "详情") + 50 * u
        draw.rounded_rectangle((40 * u, y, 160 * u, y + 120 * u), radius=12 * u,
                               fill=(200, 80, 60))
        x0 = 190 * u
        draw.text((x0, y), "幸运马88", font=_cjk(round(42 * u), True), fill=(87, 107, 149))
        y += 70 * u
        for line in ("新到的生肖数字藏品，马年限量版！", "需要的私聊，价格好商量"):
            draw.text((x0, y), line, font=_cjk(round(42 * u)), fill=(20, 20, 20))
            y += 64 * u
        pic, mask = _rounded(im, round(0.55 * w), round(8 * u))
        screen.paste(pic, (round(x0), round(y + 20 * u)), mask)
        y += pic.height + 60 * u
        draw.text((x0, y), "1小时前   删除", font=_cjk(round(32 * u)), fill=(170, 170, 170))
        draw.text((w - 60 * u, y + 20 * u), "··", anchor="mm", font=_cjk(round(40 * u), True),
                  fill=(87, 107, 149))
        y += 70 * u
        draw.rectangle((x0, y, w - 40 * u, y + 190 * u), fill=(247, 247, 247))
        draw.text((x0 + 20 * u, y + 20 * u), "♡ 小王, 李姐, 阿强", font=_cjk(round(34 * u)),
                  fill=(87, 107, 149))
        draw.text((x0 + 20 * u, y + 100 * u), "小王：多少钱？", font=_cjk(round(34 * u)),
                  fill=(20, 20, 20))
        return _phone(screen, as_jpeg)
    return t


def rotated(turn: Image.Transpose) -> Transform:
    return lambda im: png(im.transpose(turn))


# the picture as Chinese apps show it, at phone sizes (kind "screenshot")
APP_SCREENS: dict[str, Transform] = {
    "shop page 1080x2340": shop_page("android", False),
    "shop page 750x1334 jpeg": shop_page("iphone", True),
    "chat bubble 1080x2340 jpeg": chat("android", True),
    "moments 750x1334": moments("iphone", False),
}

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
    *[("recoloured", name, filtered(name)) for name in FILTERS],
    ("overlaid", "watermark", watermarked("SAMPLE", 110)),
    ("overlaid", "price tag top", price_tagged(0)),
    ("overlaid", "price tag bottom", price_tagged(3)),
    ("screenshot", "light 90%", screenshot(0.9, False, False)),
    ("screenshot", "dark 70% jpeg", screenshot(0.7, True, True)),
    ("screenshot", "light 50% jpeg", screenshot(0.5, False, True)),
    *[("screenshot", name, t) for name, t in APP_SCREENS.items()],
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
