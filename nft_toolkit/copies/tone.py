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

A filter that changes hue (a phone's or WeChat's and Meitu's sepia, warm, cool or vintage: a
grey image tinted, a white-balance shift, a faded tint with raised blacks) leaves that map far off
everywhere. When its median residual is over TINT_FROM (a copy's noise, JPEG at quality 30, stays
under it), a tint is fitted too: one saturation ``s`` shared by the channels, then a balance
(never negative) and an offset per channel::

    copy_c = balance_c * (s * item_c + (1 - s) * luma(item)) + offset_c

(a white balance is ``s`` = 1; W3C Filter Effects' sepia nearly ``s`` = 0, a tinted luma; a
vintage look a lower ``s`` with raised offsets). The same robust fit (clipped channels out, a
trimmed refit); kept when it halves the score (TINT_GAIN) and leaves little (TINT_MAX). A channel
is never made of another, inverted, nor lifted from the luma alone (the saturation is shared: a
grey weight per channel, tried first, let a twin's green iris take the blue of a vintage copy's
cyan one, and the two were no longer told apart): a near twin fitted its own tint stays as far from the copy where the two
differ as the filter itself would leave it (tests/copies/test_tone.py).
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
TINT_FROM = 0.008  # levels: the hue-keeping map's median residual over which a tint is fitted
TINT_GAIN = 0.5  # ... and kept when its score is at most this fraction of the hue-keeping one's
TINT_MAX = 0.02  # ... and its score at most this: a filter's own tint leaves 0.018 at most (sepia
# on 1,024-px zodiac cards, colours clipped), a card with another background bent towards a
# vintage copy 0.027 (no filter explains it, though it made the card look alike)
SATURATIONS = np.linspace(0.0, 2.0, 101)  # the tint's shared saturation, searched in steps of 0.02


Channels = tuple[tuple[float, float, float], tuple[float, float, float],
                 tuple[float, float, float]]


@dataclass(frozen=True)
class Tone:
    """A fitted tone map: ``copy_c = gain * item_c + grey * luma(item) + offset``, or, when
    `tint` is given, a tinting map: ``tint[c] = (gain_c, grey_c, offset_c)`` for R, G and B
    (then `gain`, `grey` and `offset` are their means)."""

    gain: float
    grey: float
    offset: float
    luma: int  # index into LUMAS
    tint: Channels | None = None

    @property
    def slope(self) -> float:
        """How much the map raises a grey's level per level (1: unchanged; brightness 1.4: 1.4)."""
        return self.gain + self.grey

    @property
    def matrix(self) -> NDArray[np.float32]:
        """The map as a 3 x 4 matrix for ``cv2.transform`` (RGB, then the offset)."""
        rows = self.tint or ((self.gain, self.grey, self.offset),) * 3
        m = np.array([np.eye(3)[c] * g + LUMAS[self.luma] * k for c, (g, k, _) in enumerate(rows)])
        return np.hstack([m, np.array([[o] for _, _, o in rows])]).astype(np.float32)

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
    median = 0.0  # the chosen map's median residual
    for k, luma in enumerate(LUMAS):
        design[:, 1] = np.repeat(x @ luma, 3)
        params = _solve(design, ys, usable)
        residual = _residual(design, ys, params)
        keep = usable & np.repeat(residual <= max(TRIM * float(np.median(residual)),
                                                  TRIM_FLOOR), 3)
        if np.count_nonzero(keep) >= 16:
            params = _solve(design, ys, keep)
            residual = _residual(design, ys, params)
        score = _score(residual)
        if best is None or score < best[0]:
            best = (score, Tone(float(params[0]), float(params[1]), float(params[2]), k))
            median = float(np.median(residual))
    assert best is not None
    if median > TINT_FROM:  # under the luma the hue-keeping map chose
        tinted = _tinted(x, y, usable.reshape(-1, 3), best[1].luma, best[0])
        if tinted is not None and tinted[0] <= min(TINT_GAIN * best[0], TINT_MAX):
            return tinted[1]
    return best[1]


def _score(residual: NDArray[np.float64]) -> float:
    """The mean residual per pixel, each pixel's part bounded (an overlay's is the same under
    either map); the median of a grey-scale copy's residuals is about as small under the wrong
    luma."""
    return float(np.minimum(residual, SCORE_CAP).mean())


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


def _tinted(x: NDArray[np.float64], y: NDArray[np.float64], usable: NDArray[np.bool_],
            k: int, hue_keeping: float) -> tuple[float, Tone] | None:
    """The tinting map (luma LUMAS[k]) taking pixels `x` closest to `y` (both n x 3, 0..1) over
    the `usable` channels (n x 3), fitted and refitted as the hue-keeping map, and its score;
    None when the first fit scores no better than the hue-keeping map (`hue_keeping`) or over
    twice TINT_MAX: the picture is no tint of the item (another item's: the refit's time is
    spared; a filter's own first fit scores 0.026 at most, its refit 0.018)."""
    luma = x @ LUMAS[k]
    params, residual = _fit_tint(x, y, luma, usable)
    if _score(residual) > min(hue_keeping, 2 * TINT_MAX):
        return None
    keep = usable & (residual <= max(TRIM * float(np.median(residual)), TRIM_FLOOR))[:, None]
    if keep.sum() >= 48:
        params, residual = _fit_tint(x, y, luma, keep)

    def row(c: int) -> tuple[float, float, float]:
        return float(params[c, 0]), float(params[c, 1]), float(params[c, 2])

    mean = params.mean(axis=0)
    return _score(residual), Tone(float(mean[0]), float(mean[1]), float(mean[2]), k,
                                  (row(0), row(1), row(2)))


def _fit_tint(x: NDArray[np.float64], y: NDArray[np.float64], luma: NDArray[np.float64],
              keep: NDArray[np.bool_]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Least squares of ``y_c = balance_c * (saturation * x_c + (1 - saturation) * luma) +
    offset_c`` over the `keep` channels (n x 3): the saturation (SATURATIONS, the one of least
    squared error), then each channel's balance (0 or above) and offset in closed form. Returns
    the rows (gain_c, grey_c, offset_c) and each pixel's residual (mean of channels, clipped)."""
    # per channel, the weighted sums of products of 1, the luma, the channel's departure from
    # grey (which the saturation scales) and the picture's level: all the normal equations need
    terms = np.stack([np.ones_like(x), np.repeat(luma[:, None], 3, axis=1), x - luma[:, None],
                      y], axis=2).transpose(1, 0, 2)  # 3 x n x 4
    sums = np.matmul((terms * keep.T[..., None]).transpose(0, 2, 1), terms)  # 3 x 4 x 4
    n, sl, sd, sy = sums[:, 0, 0], sums[:, 0, 1], sums[:, 0, 2], sums[:, 0, 3]
    sll, sdl, sly = sums[:, 1, 1], sums[:, 1, 2], sums[:, 1, 3]
    sdd, sdy, syy = sums[:, 2, 2], sums[:, 2, 3], sums[:, 3, 3]
    s = SATURATIONS[:, None]  # saturations x channels: z = luma + s * departure
    sz, szz, szy = sl + s * sd, sll + 2 * s * sdl + s * s * sdd, sly + s * sdy
    det = n * szz - sz * sz
    balance = np.maximum(np.where(det > 1e-12, (n * szy - sz * sy) / np.maximum(det, 1e-12), 0),
                         0.0)
    offset = (sy - balance * sz) / np.maximum(n, 1)
    # squared error of each channel at each saturation, expanded from the sums above
    error = (syy + balance ** 2 * szz + offset ** 2 * n - 2 * balance * szy - 2 * offset * sy
             + 2 * balance * offset * sz)
    best = int(np.argmin(error.sum(axis=1)))
    sat, bal, off = float(SATURATIONS[best]), balance[best], offset[best]
    params = np.column_stack([bal * sat, bal * (1 - sat), off])
    predicted = x * params[:, 0] + luma[:, None] * params[:, 1] + params[:, 2]
    return params, np.abs(y - np.clip(predicted, 0, 1)).mean(axis=1)
