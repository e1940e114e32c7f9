"""Where a picture may sit in a phone's screenshot: rectangles framed by edges on all four sides.

An app shows a picture as a rectangle (corners perhaps rounded) set off from what is around it
by a change of colour along its four sides, or by the screen's own edge where it touches it (a
shop page's picture the screen's full width under a coloured header; a chat's picture in its
bubble; a Moments post's beside an avatar). Found by lines, not by colour: the interface's
background may be any colour, or none where the picture fills the width, and a thin frame or a
pale part of the picture does not break it (as it breaks an opening of the solid parts).

1. Edges: where a channel changes by more than EDGE between neighbouring rows (or columns),
   within a pixel (a resized edge spreads over two); the screen's borders are edges.
2. Lines: the rows and columns with the most such pixels (LINES of each), at least a picture's
   smallest side long, and the screen's borders.
3. Panels: every rectangle on two of those rows and two of those columns whose four sides are
   SUPPORT edge, of a picture's size and shape, and that no line crosses from side to side (a
   header above a picture, or the text below it, is not part of it).
4. A panel just inside another (a card's own frame line, INSET from its edge) is that one; a
   panel holding another well inside it (the screen's body around the picture) comes last.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Rect = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), in the image's pixels

EDGE = 24  # a channel's change (8-bit) across a picture's side (JPEG's ringing: under 12)
LINES = 16  # strongest rows, and columns, a panel's sides may lie on
SIDE_MIN = 0.2  # a panel's shorter side, of the screen's shorter side, at least
AREA = (0.04, 0.9)  # a panel's area, of the screen's
ASPECT_MAX = 3.0  # longer side over shorter, at most
SUPPORT = 0.8  # of each side that must be edge (a rounded corner, a pale part of the picture)
CROSS = 0.95  # a line this much of a panel's width (or height) inside it splits it
END = 0.05  # ... and of its first and last END
MARGIN = 3  # pixels: a line this near a side is that side, not a line across
INSET = 0.08  # a panel within this fraction of another's sides is that one (its frame line)
NEAR = 0.03  # ... and may stick out of it by this much (the same sides, a pixel off)
KEEP = 12  # panels kept before the containers are put last


def _channel_max(pixels: NDArray[np.int16]) -> NDArray[np.int16]:
    out: NDArray[np.int16] = np.maximum(np.maximum(pixels[..., 0], pixels[..., 1]),
                                        pixels[..., 2])
    return out


def _lines(counts: NDArray[np.int64], side: float, end: int) -> NDArray[np.int64]:
    """The LINES positions with most edge pixels (local peaks, at least `side`), and the
    borders 0 and `end`."""
    c = counts.astype(np.float32)
    peaks = np.flatnonzero((c >= side) & (c >= np.roll(c, 1)) & (c >= np.roll(c, -1)))
    strongest = peaks[np.argsort(-c[peaks], kind="stable")][:LINES]
    return np.unique(np.concatenate([strongest, [0, end]])).astype(np.int64)


def _pairs(positions: NDArray[np.int64], side: float) -> tuple[NDArray[np.int64],
                                                                NDArray[np.int64]]:
    a, b = np.meshgrid(positions, positions, indexing="ij")
    far = b - a >= side
    return a[far], b[far]


def _inset(outer: Rect, inner: Rect) -> bool:
    """Whether `inner`'s sides lie just inside `outer`'s (its frame), within INSET."""
    w, h = outer[2] - outer[0], outer[3] - outer[1]
    inward = (inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3])
    spans = (w, h, w, h)
    return all(-NEAR * s <= d <= INSET * s for d, s in zip(inward, spans))


def _holds(outer: Rect, inner: Rect) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3] and not _inset(outer, inner))


def panels(rgb: NDArray[np.uint8], limit: int) -> list[Rect]:
    """At most `limit` rectangles of `rgb` (a screenshot, height x width x 3, reduced: about
    512 pixels on its longer side) that may hold a picture, likeliest first (the largest, those
    holding another last); in `rgb`'s pixels."""
    px = rgb.astype(np.int16)
    sh, sw = px.shape[:2]
    # edge[b] between rows b - 1 and b (b = 0 and sh: the screen's borders), within a row
    rows = np.zeros((sh + 1, sw), dtype=bool)
    rows[1:sh] = _channel_max(np.abs(px[1:] - px[:-1])) > EDGE
    cols = np.zeros((sh, sw + 1), dtype=bool)
    cols[:, 1:sw] = _channel_max(np.abs(px[:, 1:] - px[:, :-1])) > EDGE
    near_rows, near_cols = rows.copy(), cols.copy()
    near_rows[1:] |= rows[:-1]
    near_rows[:-1] |= rows[1:]
    near_cols[:, 1:] |= cols[:, :-1]
    near_cols[:, :-1] |= cols[:, 1:]
    near_rows[0] = near_rows[sh] = True
    near_cols[:, 0] = near_cols[:, sw] = True
    # edge pixels along each row line up to each column (and along each column line)
    along_rows = np.zeros((sh + 1, sw + 1), dtype=np.int32)
    np.cumsum(near_rows, axis=1, out=along_rows[:, 1:])
    along_cols = np.zeros((sh + 1, sw + 1), dtype=np.int32)
    np.cumsum(near_cols, axis=0, out=along_cols[1:, :])
    side = SIDE_MIN * min(sh, sw)
    ys = _lines(rows.sum(axis=1), side, sh)
    xs = _lines(cols.sum(axis=0), side, sw)
    y0, y1 = _pairs(ys, side)
    x0, x1 = _pairs(xs, side)
    top, bottom = np.repeat(y0, len(x0)), np.repeat(y1, len(x0))
    left, right = np.tile(x0, len(y0)), np.tile(x1, len(y0))
    w, h = right - left, bottom - top
    fits = ((w * ASPECT_MAX >= h) & (h * ASPECT_MAX >= w) & (w * h >= AREA[0] * sh * sw)
            & (w * h <= AREA[1] * sh * sw))
    top, bottom, left, right, w, h = (a[fits] for a in (top, bottom, left, right, w, h))
    support = np.minimum(
        np.minimum(along_rows[top, right] - along_rows[top, left],
                   along_rows[bottom, right] - along_rows[bottom, left]) / w,
        np.minimum(along_cols[bottom, left] - along_cols[top, left],
                   along_cols[bottom, right] - along_cols[top, right]) / h)
    framed = support >= SUPPORT
    # a line across: edge along CROSS of the span, and of each END of it (a frame line inside
    # the picture stops short of its sides)
    end_w = np.maximum(1, np.round(END * w)).astype(np.int64)
    end_h = np.maximum(1, np.round(END * h)).astype(np.int64)
    for y in ys[1:-1]:
        line = along_rows[y]
        framed &= ~((top + MARGIN <= y) & (y <= bottom - MARGIN)
                    & (line[right] - line[left] >= CROSS * w)
                    & (line[left + end_w] - line[left] >= CROSS * end_w)
                    & (line[right] - line[right - end_w] >= CROSS * end_w))
    for x in xs[1:-1]:
        line = along_cols[:, x]
        framed &= ~((left + MARGIN <= x) & (x <= right - MARGIN)
                    & (line[bottom] - line[top] >= CROSS * h)
                    & (line[top + end_h] - line[top] >= CROSS * end_h)
                    & (line[bottom] - line[bottom - end_h] >= CROSS * end_h))
    found = np.stack([left, top, right, bottom], axis=1)[framed]
    order = np.argsort(-(w * h)[framed], kind="stable")
    kept: list[Rect] = []
    for i in order:
        rect: Rect = (int(found[i, 0]), int(found[i, 1]), int(found[i, 2]), int(found[i, 3]))
        if not any(_inset(other, rect) for other in kept):
            kept.append(rect)
            if len(kept) == KEEP:
                break
    inner = [r for r in kept if not any(_holds(r, other) for other in kept if other != r)]
    return (inner + [r for r in kept if r not in inner])[:limit]
