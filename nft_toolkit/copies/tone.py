"""How a copy's colours were changed: a global tone map fitted between an item and a picture.

The recolourings a copy undergoes (brightness, contrast, saturation, grey scale: Pillow's
``ImageEnhance``, CSS filters, a phone's editor) all keep hue. Each channel ``c`` of the copy is,
before clipping to 0..1::

    copy_c = gain * item_c + grey * luma(item) + offset

``gain`` scales colour (0: grey scale; with ``grey`` 0 it is brightness), ``grey`` mixes in the
item's luma (saturation below 1 is ``gain`` + ``grey`` = 1) and ``offset`` shifts every level
(contrast blends with a grey). Three numbers, the same for every channel, fitted by least squares
over the pixels the copy shows and did not clip, once more without the pixels the first fit
leaves far off (an overlay, a price tag). So few degrees of freedom cannot turn one item into
another: a twin with another eye colour or background is a hue change, which no such map makes,
and a change of lightness in one place only is no global map. The luma is ITU-R BT.601's
(Pillow's ``L``, its saturation) or BT.709's (CSS's ``grayscale()``, ``saturate()``), whichever
fits better.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float32]  # height x width x 3, levels 0..1

LUMAS = (np.array([0.299, 0.587, 0.114]), np.array([0.2126, 0.7152, 0.0722]))
CLIPPED = 0.985  # a channel at or above this (or 1 - this and below) may have been clipped
STEP = 8  # the fit takes every STEP-th pixel of every STEP-th row (a 256-px frame: 1,024)
TRIM = 3.0  # the refit keeps pixels within TRIM times the first fit's median residual ...
TRIM_FLOOR = 0.02  # ... or this (mean level difference), whichever is larger
SCORE_CAP = 0.1  # levels: a pixel's most to the score that chooses the luma
USABLE_MIN = 0.05  # fraction of the shown pixels that must be unclipped to fit on those only


@dataclass(frozen=True)
class Tone:
    """A fitted tone map: ``copy_c = gain * item_c + grey * luma(item) + offset``."""

    gain: float
    grey: float
    offset: float
    luma: int  # index into LUMAS

    @property
    def slope(self) -> float:
        """How much the map raises a grey's level per level (1: unchanged; brightness 1.4: 1.4)."""
        return self.gain + self.grey

    @property
    def matrix(self) -> NDArray[np.float32]:
        """The map as a 3 x 4 matrix for ``cv2.transform`` (RGB, then the offset)."""
        m = np.eye(3) * self.gain + np.outer(np.ones(3), LUMAS[self.luma]) * self.grey
        return np.hstack([m, np.full((3, 1), self.offset)]).astype(np.float32)

    def apply(self, item: Floats) -> Floats:
        """`item` (levels 0..1) as the map changes it, clipped to 0..1."""
        out = cv2.transform(item, self.matrix)
        return np.asarray(np.clip(out, 0.0, 1.0, out=out), dtype=np.float32)


def fit(picture: Floats, item: Floats, shown: NDArray[np.bool_]) -> Tone:
    """The tone map taking `item` closest to `picture` (both height x width x 3, 0..1, in the
    same frame) over the pixels `shown`; the identity when too few are shown to fit. A channel
    the picture has at either end of its range may have been clipped there, and says nothing
    of the map's slope: it is left out of the fit (not the pixel's other channels: raised
    brightness clips a blue sky's blue, not its red and green)."""
    rows = shown[::STEP, ::STEP]
    y = picture[::STEP, ::STEP][rows].astype(np.float64)
    x = item[::STEP, ::STEP][rows].astype(np.float64)
    if len(y) < 16:
        return Tone(1.0, 0.0, 0.0, 0)
    ys = y.reshape(-1)
    usable = (ys < CLIPPED) & (ys > 1 - CLIPPED)
    if usable.mean() < USABLE_MIN:
        usable[:] = True
    # one equation per channel of each pixel: y_c = gain x_c + grey luma(x) + offset
    design = np.empty((len(ys), 3))
    design[:, 0] = x.reshape(-1)
    design[:, 2] = 1.0
    best: tuple[float, Tone] | None = None
    for k, luma in enumerate(LUMAS):
        design[:, 1] = np.repeat(x @ luma, 3)
        params = _solve(design, ys, usable)
        residual = _residual(design, ys, params)
        keep = usable & np.repeat(residual <= max(TRIM * float(np.median(residual)),
                                                  TRIM_FLOOR), 3)
        if np.count_nonzero(keep) >= 16:
            params = _solve(design, ys, keep)
            residual = _residual(design, ys, params)
        # the mean, each pixel's part bounded (an overlay's is the same under either luma); the
        # median of a grey-scale copy's residuals is about as small under the wrong luma
        score = float(np.minimum(residual, SCORE_CAP).mean())
        if best is None or score < best[0]:
            best = (score, Tone(float(params[0]), float(params[1]), float(params[2]), k))
    assert best is not None
    return best[1]


def _solve(design: NDArray[np.float64], y: NDArray[np.float64],
           keep: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Least squares over the kept equations, by the normal equations solved by singular value
    decomposition (a grey item's channels are its luma, a flat one's only an offset: the
    smallest solution then)."""
    kept = design[keep]
    _, params = cv2.solve(kept.T @ kept, (kept.T @ y[keep]).reshape(3, 1), flags=cv2.DECOMP_SVD)
    return np.asarray(params, dtype=np.float64).reshape(3)


def _residual(design: NDArray[np.float64], y: NDArray[np.float64],
              params: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each pixel's mean difference over its channels under the map `params`, clipped as a
    picture is."""
    out = np.abs(y - np.clip(design @ params, 0.0, 1.0)).reshape(-1, 3).sum(axis=1)
    return np.asarray(out * (1 / 3), dtype=np.float64)
