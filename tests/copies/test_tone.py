"""The tone map (nft_toolkit/copies/tone.py) against its reference, Pillow's own recolourings:
fitted between an item and a recoloured copy, it gives the copy back; it cannot turn a near twin
with another eye colour into the item's copy."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps

from nft_toolkit.copies import tone
from tests.support.eyes import eye

RECOLOURINGS = {
    "brightness 0.6": lambda im: ImageEnhance.Brightness(im).enhance(0.6),
    "brightness 1.4": lambda im: ImageEnhance.Brightness(im).enhance(1.4),  # highlights clip
    "contrast 0.6": lambda im: ImageEnhance.Contrast(im).enhance(0.6),
    "contrast 1.5": lambda im: ImageEnhance.Contrast(im).enhance(1.5),
    "saturation 0.3": lambda im: ImageEnhance.Color(im).enhance(0.3),
    "saturation 1.8": lambda im: ImageEnhance.Color(im).enhance(1.8),  # colours clip
    "grey scale": lambda im: ImageOps.grayscale(im).convert("RGB"),
}


def _levels(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("RGB").resize((256, 256), Image.Resampling.BOX),
                      dtype=np.float32) / 255


@pytest.fixture(scope="module")
def eyes() -> tuple[Image.Image, Image.Image]:
    """A HashLips eye and its near twin with another eye colour."""
    return eye("White", "Green"), eye("White", "Cyan")


@pytest.mark.parametrize("name", sorted(RECOLOURINGS))
def test_the_fitted_map_gives_back_pillows_recolouring(eyes, name: str) -> None:
    item, _ = eyes
    copy = _levels(RECOLOURINGS[name](item))
    fitted = tone.fit(copy, _levels(item), np.ones((256, 256), bool))
    error = np.abs(fitted.apply(_levels(item)) - copy).mean(axis=2)
    # within a level or two (Pillow rounds; its grey scale is BT.601 in integers)
    assert float(np.median(error)) < 2 / 255 and float(np.percentile(error, 99)) < 8 / 255, name


def test_brightness_is_read_as_such() -> None:
    item = eye("Red", "Yellow")
    copy = _levels(ImageEnhance.Brightness(item).enhance(1.4))
    fitted = tone.fit(copy, _levels(item), np.ones((256, 256), bool))
    assert abs(fitted.slope - 1.4) < 0.03 and abs(fitted.offset) < 0.02


@pytest.mark.parametrize("name", sorted(RECOLOURINGS))
def test_no_map_makes_a_twin_with_another_eye_colour_into_the_copy(eyes, name: str) -> None:
    """The twin differs in the iris only: fitted on the twin, the map leaves the iris far off the
    copy's, while the item fits there within noise."""
    item, twin = eyes
    copy = _levels(RECOLOURINGS[name](item))
    shown = np.ones((256, 256), bool)
    iris = np.abs(_levels(item) - _levels(twin)).max(axis=2) > 0.1
    assert iris.sum() > 500
    on_item = tone.fit(copy, _levels(item), shown).apply(_levels(item))
    on_twin = tone.fit(copy, _levels(twin), shown).apply(_levels(twin))
    item_error = float(np.abs(on_item - copy).mean(axis=2)[iris].mean())
    twin_error = float(np.abs(on_twin - copy).mean(axis=2)[iris].mean())
    assert twin_error > 4 * item_error and twin_error > 0.02, (item_error, twin_error)


def test_a_flat_picture_fits_without_failing() -> None:
    flat = np.full((64, 64, 3), 0.5, dtype=np.float32)
    fitted = tone.fit(flat, flat, np.ones((64, 64), bool))
    assert np.allclose(fitted.apply(flat), flat, atol=1e-3)
    nothing = tone.fit(flat, flat, np.zeros((64, 64), bool))
    assert nothing == tone.Tone(1.0, 0.0, 0.0, 0)
