"""The preview contact sheet: the first items side by side, each under its token number."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

MAX_ITEMS = 24
THUMB = 256
_GAP, _LABEL = 12, 26


def contact_sheet(images: Sequence[tuple[int, Path]], columns: int = 6,
                  thumb: int = THUMB) -> Image.Image:
    """A sheet of up to MAX_ITEMS thumbnails labelled with their token ids."""
    items = list(images)[:MAX_ITEMS]
    cols = max(1, min(columns, len(items)))
    rows = max(1, math.ceil(len(items) / cols))
    sheet = Image.new("RGB", (_GAP + cols * (thumb + _GAP),
                              _GAP + rows * (thumb + _LABEL + _GAP)), (246, 242, 234))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=16)
    for n, (token_id, path) in enumerate(items):
        x = _GAP + (n % cols) * (thumb + _GAP)
        y = _GAP + (n // cols) * (thumb + _LABEL + _GAP)
        with Image.open(path) as im:
            tile = im.convert("RGBA").resize((thumb, thumb), Image.Resampling.LANCZOS)
        sheet.paste(tile, (x, y), tile)
        draw.text((x + thumb / 2, y + thumb + 4), f"#{token_id}", fill=(60, 50, 40), font=font,
                  anchor="ma")
    return sheet
