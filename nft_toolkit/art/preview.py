"""The preview contact sheet (the first items side by side, each under its token number) and
the preview GIF (the first items one after another)."""

from __future__ import annotations

import io
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


GIF_ITEMS, GIF_MILLISECONDS = 12, 500


def preview_gif(images: Sequence[tuple[int, Path]], thumb: int = THUMB) -> bytes:
    """An animated GIF of the first GIF_ITEMS items, GIF_MILLISECONDS each, looping (HashLips'
    preview_gif). Frames share one palette, taken from the first frames (a GIF holds 256
    colours; Pillow's quantiser is deterministic), so the bytes are the same on every run."""
    frames = []
    for _, path in list(images)[:GIF_ITEMS]:
        with Image.open(path) as im:
            frames.append(im.convert("RGB").resize((thumb, thumb), Image.Resampling.LANCZOS))
    if not frames:
        raise ValueError("no images for the preview GIF")
    strip = Image.new("RGB", (thumb * len(frames), thumb))
    for n, frame in enumerate(frames):
        strip.paste(frame, (n * thumb, 0))
    palette = strip.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    buf = io.BytesIO()
    indexed[0].save(buf, "GIF", save_all=True, append_images=indexed[1:],
                    duration=GIF_MILLISECONDS, loop=0, optimize=False)
    return buf.getvalue()
