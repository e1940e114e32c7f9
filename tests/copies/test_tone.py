"""The tone map (nft_toolkit/copies/tone.py) against its reference, Pillow's own recolourings
and a phone's colour filters (W3C's sepia, a white-balance shift, a faded vintage tint): fitted
between an item and a recoloured copy, it gives the copy back; it cannot turn a near twin with
another eye colour into the item's copy."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps

from nft_toolkit.copies import tone
from tests.support.copies import FILTERS
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
HUE_KEEPING = sorted(RECOLOURINGS)
RECOLOURINGS.update(FILTERS)  # these change hue: a tinting map follows them


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


@pytest.mark.parametrize("name", HUE_KEEPING)
def test_a_hue_keeping_recolouring_is_fitted_without_a_tint(eyes, name: str) -> None:
    """The freer, tinting map is fitted only when the hue-keeping one is far off everywhere."""
    item, _ = eyes
    copy = _levels(RECOLOURINGS[name](item))
    assert tone.fit(copy, _levels(item), np.ones((256, 256), bool)).tint is None, name


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_a_filter_is_fitted_with_a_tint_and_its_balance_read(eyes, name: str) -> None:
    item, _ = eyes
    fitted = tone.fit(_levels(FILTERS[name](item)), _levels(item), np.ones((256, 256), bool))
    assert fitted.tint is not None, name
    if name in ("warm", "cool"):  # a white balance: each channel's gain on its own level
        gains = tuple(round(gain + grey, 2) for gain, grey, _ in fitted.tint)
        expected = (1.1, 1.0, 0.85) if name == "warm" else (0.85, 1.0, 1.1)
        assert np.allclose(gains, expected, atol=0.02), gains


def test_brightness_is_read_as_such() -> None:
    item = eye("Red", "Yellow")
    copy = _levels(ImageEnhance.Brightness(item).enhance(1.4))
    fitted = tone.fit(copy, _levels(item), np.ones((256, 256), bool))
    assert abs(fitted.slope - 1.4) < 0.03 and abs(fitted.offset) < 0.02


def _iris_errors(eyes, name: str) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Mean error over the iris (where the twins differ) of the copy made by `name` from the
    item: the item under its own fitted map, the twin under its own, the twin under the item's
    (the filter's own map, as near as the item's fit finds it)."""
    item, twin = eyes
    copy = _levels(RECOLOURINGS[name](item))
    shown = np.ones((256, 256), bool)
    iris = np.abs(_levels(item) - _levels(twin)).max(axis=2) > 0.1
    assert iris.sum() > 500
    on_item = tone.fit(copy, _levels(item), shown)
    on_twin = tone.fit(copy, _levels(twin), shown)

    def error(fitted: tone.Tone, image: Image.Image) -> float:
        return float(np.abs(fitted.apply(_levels(image)) - copy).mean(axis=2)[iris].mean())

    return error(on_item, item), error(on_twin, twin), error(on_item, twin)


@pytest.mark.parametrize("name", HUE_KEEPING)
def test_no_map_makes_a_twin_with_another_eye_colour_into_the_copy(eyes, name: str) -> None:
    """The twin differs in the iris only: fitted on the twin, the map leaves the iris far off the
    copy's, while the item fits there within noise."""
    item_error, twin_error, _ = _iris_errors(eyes, name)
    assert twin_error > 4 * item_error and twin_error > 0.02, (item_error, twin_error)


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_no_tint_makes_a_twin_with_another_eye_colour_into_the_copy(eyes, name: str) -> None:
    """Under a filter the freer, tinting map is fitted to the twin too: it must not bend the
    twin's iris towards the copy's (a 3 x 3 matrix would map a cyan iris to a green one). The
    twin's own map comes hardly nearer there than the filter itself applied to the twin, and
    stays far from the item's. (Sepia leaves only the iris' luma to tell green from cyan, and
    its luma weights are not quite BT.601's: the item itself is off by 3 to 5 levels there.)"""
    item_error, twin_error, filter_error = _iris_errors(eyes, name)
    assert twin_error > 0.9 * filter_error, (twin_error, filter_error)
    assert twin_error > 2.5 * item_error and twin_error > 0.03, (item_error, twin_error)


def test_a_flat_picture_fits_without_failing() -> None:
    flat = np.full((64, 64, 3), 0.5, dtype=np.float32)
    fitted = tone.fit(flat, flat, np.ones((64, 64), bool))
    assert np.allclose(fitted.apply(flat), flat, atol=1e-3)
    nothing = tone.fit(flat, flat, np.zeros((64, 64), bool))
    assert nothing == tone.Tone(1.0, 0.0, 0.0, 0)
