"""A picture someone uploads or names, decoded within bounds: hostile bytes stay data.

Bounded in bytes (:data:`PICTURE_MAX`), in pixels before any decoding (:data:`PIXELS_MAX`, below
Pillow's own decompression-bomb guard), in side length, and in the formats tried (no TIFF, no
PSD). Animated and truncated files are refused: one :class:`~nft_toolkit.errors.InputError` line.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from nft_toolkit.errors import InputError

PICTURE_MAX = 64 << 20  # bytes: as large as a collection image may be (sources.IMAGE_MAX)
PIXELS_MAX = 64_000_000  # a 48/50 MP phone photo (8160 x 6144) fits; a JPEG decodes drafted small
SIDE_MAX = 20_000  # pixels on either side
WORK_SIDE = 2048  # pictures are compared at most this large on their longer side (a phone screenshot)
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")

Rgb = NDArray[np.uint8]  # height x width x 3


@dataclass(frozen=True)
class Picture:
    """A decoded picture: its pixels (longer side at most WORK_SIDE) and what it was."""

    rgb: Rgb
    width: int  # of the file, before any scaling
    height: int
    format: str  # Pillow's name: PNG, JPEG, WEBP, GIF, BMP


def decode(data: bytes, label: str = "the picture") -> Picture:
    """`data` decoded, its longer side at most :data:`WORK_SIDE` (alpha over white).

    InputError (one line naming `label`) for: more than PICTURE_MAX bytes, not a PNG, JPEG, WebP,
    GIF or BMP, an animated image, more than PIXELS_MAX pixels or a side over SIDE_MAX (checked
    from the header, before decoding), a truncated or corrupt file.
    """
    if len(data) > PICTURE_MAX:
        raise InputError(f"{label} is over {PICTURE_MAX >> 20} MiB: larger than any collection image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width > SIDE_MAX or height > SIDE_MAX or width * height > PIXELS_MAX:
                raise InputError(f"{label} is {width}x{height} pixels, over the "
                                 f"{PIXELS_MAX // 1_000_000} megapixels a picture may have")
            if getattr(image, "is_animated", False):
                raise InputError(f"{label} is animated ({image.format}, "
                                 f"{getattr(image, 'n_frames', '?')} frames): send one still frame")
            image.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG decodes at a reduced scale
            image.load()
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError(f"{label} is not a picture (PNG, JPEG, WebP, GIF or BMP)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"{label} decodes to more than the {PIXELS_MAX // 1_000_000} megapixels "
                         "a picture may have") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # Pillow's errors for bad data
        # Pillow's own words for a cut file ("0 bytes not processed") read as if nothing were
        # wrong with it: said plainly
        why = "the file ends before its image does" if "truncated" in str(exc) else str(exc)
        raise InputError(f"{label} is damaged or truncated: {why}") from None
    kind = str(image.format)
    still: Image.Image = ImageOps.exif_transpose(image) if kind == "JPEG" else image
    still.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BOX)
    if still.mode in ("RGBA", "LA", "PA") or (still.mode == "P" and "transparency" in still.info):
        rgba = still.convert("RGBA")
        still = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    rgb = still if still.mode == "RGB" else still.convert("RGB")  # convert would copy it
    return Picture(np.asarray(rgb, dtype=np.uint8), width, height, kind)
