"""A certificate of an authentic item, drawn: pure, deterministic, in Chinese, English or both.

Given the verified report and the facts read beside it (:class:`CertificateFacts`), draws an A4
page (:data:`SIZE` pixels at :data:`DPI`) with the collection and item name, the edition, the
verified image, token ID, contract, chain, issuer, mint date and transaction, and a QR code
(segno) holding the verification URL (:mod:`nft_toolkit.caip19`): the token's CAIP-19 asset ID
and the issuer, all anyone needs to verify the item again, with or without the issuer's platform.

Only an ``authentic`` report gets a certificate. Text is drawn with the pinned Noto Sans SC
(:func:`nft_toolkit.fonts.cjk_font_path`), so the same inputs give the same pixels anywhere; the
PNG carries no time, and the PDF's dates are the mint's. The PDF is Pillow's own writer: one page
holding the same raster (no second layout to keep equal, no new dependency; the text is not
selectable, which a certificate to show and scan does not need).

Names and the image come from the collection's content, hostile until shown: names are cut to a
bounded width with control characters dropped, and the image is decoded only when its pixel count
is bounded (:data:`IMAGE_PIXELS_MAX`); otherwise its place says it is not shown.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Literal

import segno
from PIL import Image, ImageDraw, ImageFont

from nft_toolkit.caip19 import AssetId, format_asset_id, parse_issuer, parse_verification_url
from nft_toolkit.errors import InputError
from nft_toolkit.fonts import Weight, cjk_font_path, describe_characters, missing_characters
from nft_toolkit.verify.mint import Mint
from nft_toolkit.verify.report import Report, Verdict

Lang = Literal["zh", "en", "both"]
LANGS: tuple[Lang, ...] = ("zh", "en", "both")
DPI = 150
SIZE = (1240, 1754)  # A4 portrait at DPI
IMAGE_PIXELS_MAX = 40_000_000  # a collection image decoded for the page, at most
QR_SIDE = 330  # pixels for the QR code with its quiet zone, at most (about 56 mm at DPI)
NAME_MAX = 200  # characters of a name considered before it is cut to its width

_UNITS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+")
_INK = (38, 30, 24)
_RED = (158, 27, 36)
_GOLD = (176, 137, 64)
_PAPER = (253, 250, 242)
_GREY = (105, 98, 90)
_MARGIN = 90

_LABELS: dict[str, tuple[str, str]] = {  # key -> (Chinese, English)
    "title": ("数字藏品证书", "Certificate of Authenticity"),
    "edition": ("第 {n} 号，共 {m} 份", "Edition {n} of {m}"),
    "token": ("藏品编号", "Token ID"),
    "contract": ("合约地址", "Contract"),
    "chain": ("区块链", "Chain"),
    "issuer": ("发行方", "Issuer"),
    "minted": ("铸造时间", "Minted"),
    "transaction": ("铸造交易", "Mint transaction"),
    "unknown": ("未找到", "not found"),
    "chain_value": ("链 ID {id}（{caip2}）", "chain ID {id} ({caip2})"),
    "scan": ("扫码即可在链上重新核验，不依赖发行平台",
             "Scan to verify it again on chain, with or without the issuer's platform"),
    "verified": ("已验证真品：合约、发行方、内容与出处承诺均一致",
                 "Verified authentic: contract, issuer, content and provenance all hold"),
    "no_image": ("图片未显示", "image not shown"),
}


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate shows beside the report: read from the chain or from content that
    hashed to its CID (the names are hostile until drawn)."""

    asset: AssetId
    issuer: str  # an EIP-55 address, or the issuer's domain when bound
    collection: str  # the contract's ERC-721 name()
    item: str  # the metadata's name
    max_supply: int  # the edition's size, M of "N of M"
    image: bytes  # the verified image bytes
    mint: Mint | None  # None: not found on this node
    url: str  # the verification URL the QR code holds


def check_certifiable(report: Report, facts: CertificateFacts) -> None:
    """InputError unless `report` is authentic and about the token `facts` describe."""
    if report.verdict is not Verdict.AUTHENTIC:
        raise InputError(f"token {report.token_id} is {report.verdict.words}, not authentic: "
                         "no certificate")
    asset = facts.asset
    if (report.token_id, report.contract, report.chain_id) != (asset.token_id, asset.contract,
                                                                asset.chain_id):
        raise InputError(f"the report is on token {report.token_id} of {report.contract} on chain "
                         f"{report.chain_id}, not {format_asset_id(asset)}")
    if parse_verification_url(facts.url) != (asset, parse_issuer(facts.issuer)):
        raise InputError(f"the QR code's URL {facts.url} names another token or issuer than "
                         f"{format_asset_id(asset)} of {facts.issuer}")


def font_gaps(facts: CertificateFacts) -> list[str]:
    """One line for each name of `facts` holding characters the pinned font lacks (they would be
    drawn as boxes), naming them and where the name came from; empty when none."""
    gaps = []
    names: tuple[tuple[str, Weight, str], ...] = (
        (facts.collection, "bold", "the contract's name()"),
        (facts.item, "regular", "the token's metadata name"))
    for text, weight, where in names:
        if missing := missing_characters(text[:NAME_MAX], weight):
            gaps.append(f"{where} has characters the certificate's font (Noto Sans SC) lacks, "
                        f"drawn as boxes: {describe_characters(missing)}")
    return gaps


def draw(report: Report, facts: CertificateFacts, lang: Lang = "both") -> Image.Image:
    """The certificate of the authentic token `facts` describe, as an RGB image of :data:`SIZE`."""
    check_certifiable(report, facts)
    page = Image.new("RGB", SIZE, _PAPER)
    pen = ImageDraw.Draw(page)
    width, height = SIZE
    pen.rectangle((30, 30, width - 31, height - 31), outline=_RED, width=6)
    pen.rectangle((46, 46, width - 47, height - 47), outline=_GOLD, width=2)

    y = _MARGIN
    for line, weight, size in _title_lines(lang):
        y = _centred(pen, y, line, _font(weight, size), _RED) + 6
    y += 14
    pen.line((_MARGIN + 180, y, width - _MARGIN - 180, y), fill=_GOLD, width=2)
    y += 26
    y = _centred(pen, y, _cut(facts.collection, _font("bold", 44), width - 2 * _MARGIN),
                 _font("bold", 44), _INK) + 10
    y = _centred(pen, y, _cut(facts.item, _font("regular", 34), width - 2 * _MARGIN),
                 _font("regular", 34), _INK) + 8
    edition = _text(lang, "edition", n=facts.asset.token_id, m=facts.max_supply)
    y = _centred(pen, y, edition, _font("regular", 28), _GREY) + 24

    side = 500
    box = ((width - side) // 2, y, (width + side) // 2, y + side)
    pen.rectangle((box[0] - 8, box[1] - 8, box[2] + 7, box[3] + 7), outline=_GOLD, width=2)
    picture = _picture(facts.image, side)
    if picture is None:
        pen.rectangle(box, fill=(236, 230, 218))
        _centred(pen, y + side // 2 - 20, _text(lang, "no_image"), _font("regular", 28), _GREY)
    else:
        page.paste(picture, (box[0] + (side - picture.width) // 2,
                             box[1] + (side - picture.height) // 2))
    y += side + 40

    rows = [("token", str(facts.asset.token_id)),
            ("contract", facts.asset.contract),
            ("chain", _chain(lang, facts.asset.chain_id)),
            ("issuer", facts.issuer),
            ("minted", _mint_time(facts.mint, lang)),
            ("transaction", facts.mint.transaction if facts.mint else _text(lang, "unknown"))]
    value_font = _font("regular", 22)
    # Both languages: the English label under the Chinese one, so a hash keeps one line.
    labels = [[(_text("zh" if lang == "both" else lang, key), _font("bold", 22), _GREY)]
              + ([(_text("en", key), _font("regular", 16), _GREY)] if lang == "both" else [])
              for key, _ in rows]
    label_width = 24 + int(max(f.getlength(t) for lines in labels for t, f, _ in lines))
    for (key, value), lines in zip(rows, labels):  # values are data: wrapped whole, never cut
        row_top, ly = y, y
        for text, font, fill in lines:
            pen.text((_MARGIN + 10, ly), text, font=font, fill=fill)
            ly += int(font.size * 1.3)
        y = max(ly + 8, _wrapped(pen, (_MARGIN + 10 + label_width, row_top), value, value_font,
                                 _INK, width - 2 * _MARGIN - label_width - 20) + 10)

    y += 16
    pen.line((_MARGIN, y, width - _MARGIN, y), fill=_GOLD, width=1)
    y += 24
    qr = _qr(facts.url, min(QR_SIDE, height - y - _MARGIN - 10))
    page.paste(qr, (width - _MARGIN - qr.width, y))
    text_right = width - _MARGIN - qr.width - 30
    ty = y + 10
    for line in _text(lang, "verified", sep="\n").split("\n") + \
            _text(lang, "scan", sep="\n").split("\n"):
        ty = _wrapped(pen, (_MARGIN + 10, ty), line, _font("regular", 22), _INK,
                      text_right - _MARGIN - 10) + 6
    ty += 8
    _wrapped(pen, (_MARGIN + 10, ty), facts.url, _font("regular", 17), _GREY,
             text_right - _MARGIN - 10)
    return page


def png_bytes(image: Image.Image) -> bytes:
    """`image` as PNG bytes (no time or other varying chunk: same image, same bytes)."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, dpi=(DPI, DPI))
    return out.getvalue()


def pdf_bytes(image: Image.Image, facts: CertificateFacts) -> bytes:
    """`image` as a one-page A4 PDF (Pillow's writer), dated by the mint (or the Unix epoch)."""
    when = time.gmtime(facts.mint.timestamp if facts.mint else 0)  # Pillow writes a struct_time
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=float(DPI), quality=92, title=format_asset_id(facts.asset),
               creationDate=when, modDate=when, producer="nft-toolkit", creator="nft-toolkit")
    return out.getvalue()


# -- drawing helpers ---------------------------------------------------------------------------
@cache
def _font(weight: Weight, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font_path(weight)), size)


def _text(lang: Lang, key: str, sep: str = "  ", **values: object) -> str:
    zh, en = (t.format(**values) for t in _LABELS[key])
    return zh if lang == "zh" else en if lang == "en" else f"{zh}{sep}{en}"


def _chain(lang: Lang, chain_id: int) -> str:
    caip2 = f"eip155:{chain_id}"
    return f"{chain_id} ({caip2})" if lang == "both" else _text(lang, "chain_value", id=chain_id,
                                                                  caip2=caip2)


def _title_lines(lang: Lang) -> list[tuple[str, Weight, int]]:
    zh, en = _LABELS["title"]
    if lang == "zh":
        return [(zh, "bold", 64)]
    if lang == "en":
        return [(en, "bold", 56)]
    return [(zh, "bold", 60), (en, "regular", 34)]


def _centred(pen: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont,
             fill: tuple[int, int, int]) -> int:
    """Draws `text` centred at height `y`; returns the y below it."""
    left, top, right, bottom = pen.textbbox((0, 0), text, font=font)
    pen.text(((SIZE[0] - (right - left)) // 2 - left, y), text, font=font, fill=fill)
    return y + int(bottom)


def _wrapped(pen: ImageDraw.ImageDraw, at: tuple[int, int], text: str,
             font: ImageFont.FreeTypeFont, fill: tuple[int, int, int], width: int) -> int:
    """Draws `text` from `at` in lines of at most `width` pixels, broken after a word, after any
    Chinese character, or inside a word too long for a line (a hash, a URL); returns the y below
    it."""
    x, y = at
    line_height = int(font.size * 1.35)
    lines = [""]
    for unit in _UNITS.findall(text):
        pieces = [unit] if font.getlength(unit) <= width else list(unit)
        for piece in pieces:
            if lines[-1] and font.getlength(lines[-1] + piece.rstrip()) > width:
                lines.append(piece.lstrip())
            else:
                lines[-1] += piece
    for line in lines:
        pen.text((x, y), line.rstrip(), font=font, fill=fill)
        y += line_height
    return y


def _cut(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """Hostile `text` made safe to draw on one line: control and format characters (bidi
    overrides, zero-width) dropped, cut with an ellipsis to `width` pixels."""
    clean = "".join(ch for ch in text[:NAME_MAX]
                    if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"))
    if font.getlength(clean) <= width:
        return clean
    while clean and font.getlength(clean + "…") > width:
        clean = clean[:-1]
    return clean + "…"


def _picture(data: bytes, side: int) -> Image.Image | None:
    """The collection image fitted in a `side` square (pixel art kept sharp), or None when it
    cannot be decoded within bounds (an SVG, a bomb, a broken file)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > IMAGE_PIXELS_MAX:
                return None
            img.load()
            rgba = img.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None
    scale = side / max(rgba.width, rgba.height)
    size = (max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale)))
    small = max(rgba.width, rgba.height) * 4 <= side  # pixel art: keep the pixels square
    fitted = rgba.resize(size, Image.Resampling.NEAREST if small else Image.Resampling.LANCZOS)
    flat = Image.new("RGB", fitted.size, _PAPER)
    flat.paste(fitted, mask=fitted.getchannel("A"))
    return flat


def _qr(url: str, room: int) -> Image.Image:
    """The QR code of `url` (error correction M, quiet zone of 4 modules), as large as `room`
    pixels allow with whole pixels per module."""
    code = segno.make_qr(url, error="m", boost_error=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(2, min(10, room // modules))
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    out.seek(0)
    with Image.open(out) as img:
        return img.convert("RGB")


def _mint_time(mint: Mint | None, lang: Lang) -> str:
    if mint is None:
        return _text(lang, "unknown")
    when = datetime.fromtimestamp(mint.timestamp, tz=timezone.utc)
    zh = f"{when:%Y年%m月%d日 %H:%M} UTC（区块 {mint.block}）"
    en = f"{when:%Y-%m-%d %H:%M} UTC (block {mint.block})"
    return zh if lang == "zh" else en if lang == "en" else f"{when:%Y-%m-%d %H:%M} UTC · 区块 block {mint.block}"
