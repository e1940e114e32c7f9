"""Is this picture a copy of one of the collection's tokens, and of which? (OpenCV)

1. Candidates: the picture's grey thumbnails (eight orientations; whole, borders trimmed, and
   the picture inside a screenshot: the largest solid picture-like rectangle once an opening
   has erased text, and a screen's rectangles framed by edges, :mod:`.panels`) ranked against
   the index (:meth:`CopiesIndex.scored`); a picture unlike every thumbnail (RANK_MIN) stops
   here, before any item's image is read.
2. Alignment. First as the thumbnails line up: when one of the picture's correlates closely
   with the first candidate's (DIRECT_MIN), that region so turned is taken for the whole item,
   and the alignment is used if it brings the picture close to the item (DIRECT_ROUGH_MIN),
   refined first when it does not (a screen's picture, a crop of 5 %); most copies need
   nothing more. A whole picture that refinement hardly moves (STILL) is where features would
   put it: what it is not, it is not (another year's card in the same frame); any other miss
   this way is tried again with ORB. Otherwise: ORB features of the picture (first of a
   screenshot's picture: the region the likeliest item's thumbnail resembles most; then of the
   whole) and of its mirror image, matched with a candidate's image, a RANSAC homography
   (``cv2.findHomography``): it brings the picture into the tokens' frame whatever was resized,
   cropped, framed, flipped or turned by quarter turns (turned otherwise, TURN_MAX, it is no
   copy's alignment: features matched on a look-alike can line a crop up a few degrees off).
   Items of a collection share their layout, so one candidate's alignment holds for its
   look-alikes too. A picture far from the item it lined
   up with (ROUGH_MIN) stops before the alignment is refined (``cv2.findTransformECC``).
3. The aligned picture ranks the index again, over the part it covers (a crop hides the rest).
4. Confirmation, on images verified by their CIDs only (decoded once, at most ITEM_SIDE, kept
   by an :class:`Items`): the aligned picture is compared with each contender's image at
   CANON pixels, once the item's colours are changed as the picture's seem to be (a tone map
   fitted between the two, :mod:`~nft_toolkit.copies.tone`: brightness, contrast, saturation,
   grey scale, clipping), whole and block by block. A copy must match one token nearly
   everywhere it covers, and be told apart from every other contender pixel by pixel where the
   two items differ: the picture must be clearly one's there, and hardly ever the other's
   (items differ only in a background, a charm, an eye's colour, an edition number: a near
   twin must not pass for the item). Otherwise no token is named: a miss, never a wrong token.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from dataclasses import dataclass, replace
from functools import cached_property

import cv2
import numpy as np
from numpy.typing import NDArray

from nft_toolkit.copies import lookalike, tone
from nft_toolkit.copies.details import CANON, Details, canon_size
from nft_toolkit.copies.index import THUMB, CopiesIndex, grey_thumbnail, thumbnail
from nft_toolkit.copies.panels import panels
from nft_toolkit.copies.picture import Picture, Rgb
from nft_toolkit.copies.transform import Evidence, guess

SIDE_MIN = 32  # a picture smaller than this on a side shows too little to tell
GRID = 16  # blocks per side of the block-by-block comparison
QUERY_SIDE = 768  # the picture's (or its framed region's) longer side when finding features
QUERY_SIDE_SMALL = 1600  # ... again, the whole picture, when neither found a match
FEATURES = 1200  # ORB keypoints per image
FEATURES_SMALL = 4000  # ... in the picture, at QUERY_SIDE_SMALL
DETAIL_MIN = 1.5 * QUERY_SIDE  # ... when its longer side is over this many pixels
ITEM_SIDE = 512  # an item's longer side when finding features (and kept, per item)
FRAME_SIDE = 512  # the scale at which a border or a screenshot's picture is looked for
PANELS = 3  # rectangles framed by edges (:mod:`.panels`) a screen's picture may be, ranked too
SCREEN = 1.3  # a picture this much longer than wide (or wider than long) may be a screen's
KEEP = 256  # prepared items an Items keeps (about 0.9 MB each)
READERS = 4  # items read at once (:meth:`Items.read`)
CANDIDATES = 4  # thumbnails ranked first, tried for alignment in order (a copy of a zodiac or
# HashLips item lines up with its first or second: look-alikes share a layout)
RANK_MIN = 0.5  # a picture whose thumbnails correlate less with every item's is no item's copy
# (copies in benchmarks/copies.py: 0.75 and up, a 5 % crop of two sides the lowest; random art
# against zodiac cards: 0.21..0.65)
RANSAC_ITERATIONS = 500  # enough for 99.9 % when a third of the matches agree (a copy's: 0.5 and
# up); what matches at random would otherwise cost 2,000
CONTENDERS = 5  # tokens compared after alignment
TWINS = 16  # ... and before one is named, as many (its near twins: a 16x16 thumbnail ranks a
# HashLips eye with another lid above the item itself, 8th)
MIN_INLIERS = 20  # RANSAC inliers an alignment needs
TURN_MAX = 5.0  # degrees an alignment may be turned off a quarter turn (HashLips eyes cropped
# from the left, lined up on a look-alike so that a near twin passed for the item: 7 to 8;
# copies lined up on the item: under 1; a photo editor's tilt of 4 degrees: 4 to 5)
ROUGH_MIN = 0.7  # correlation with the item it lined up with, before refinement, below which no
# refinement makes a copy (copies: 0.87 and up, refinement adds 0.1 at most; Year-of-the-Dragon
# cards against horses: 0.45..0.82)
ECC_ITERATIONS = 10  # refinement's (a copy's converges within 8, unchanged at 40; a picture
# that does not converge is no copy, and 40 cost it 80 ms)
DIRECT_MIN = 0.9  # thumbnail correlation at which the thumbnails' alignment is tried first
# (copies neither cropped nor skewed, bordered or framed: 0.95 and up; crops: 0.87 at most)
DIRECT_ROUGH_MIN = 0.93  # ... and how close it must bring the picture to the item before it is
# refined, else ORB aligns it (such copies: 0.95 and up; a screenshot's picture, found at
# FRAME_SIDE: 0.76..0.87; Year-of-the-Dragon cards against horses: 0.75..0.89)
ECC_SCALE = 0.5  # of the canonical frame, where the thumbnails' alignment is refined
STILL = 5.0  # pixels of the canonical frame: refinement moving the thumbnails' alignment of a
# whole picture no farther leaves it where features would put it (another year's cards: 0.5 to
# 3.4; brightened and sepia copies: 1.3 to 4.5; crops of 5 %: 15 and more)
REALIGN_MIN = 0.82  # the closest token is aligned on itself only when it is this close
AGREEMENT = 0.8  # inliers per match above which the mirror image is not tried (the right side
# of a copy: 0.72..0.97; the wrong side of a symmetric card: 0.5..0.75, a horse cut 20 % at the
# bottom, its mane the only asymmetry left)
DOUBTFUL = 0.5  # inliers per match below which the other candidates are aligned on too (a
# 5 % crop of two sides of a card ranked 6th among 10,800 lined up on a look-alike at 0.4)
TURNED_AGREEMENT = 0.6  # inliers per match of an alignment refused for its turn at which the
# picture is said to seem turned
MIN_COVER = 0.55  # fraction of the item the picture must show
SIMILARITY_MIN = 0.92  # correlation over the covered part (copies in benchmarks/copies.py: 0.95
# and up)
MISMATCH_MAX = 0.06  # fraction of covered blocks allowed to differ (a price tag: 0.027)
BLOCK_DIFF = 0.55  # a block differs when its mean difference (as `Likeness.difference`) exceeds this
BLOCK_GAP = 0.1  # a block tells two tokens apart when one's difference there exceeds
BLOCK_RATIO = 1.6  # ... the other's times BLOCK_RATIO plus BLOCK_GAP
GAP_MIN = 0.04  # levels (0..1, mean of channels) at which two recoloured items look different
NOISE_TIMES = 4  # ... and times the picture's median difference from the closer one
VOTES_MIN = 24  # pixels (of the canonical frame) that must favour the item over a near twin
NEAR = 1 / 3  # a pixel votes for one when within this fraction of the gap of it, and beyond the
# rest of the gap from the other (an overlay's pixel, near neither, does not vote)
OTHER_VOTES = 0.1  # ... and the fraction of that many that may favour the twin (a price tag over
# a zodiac card's pattern: 0.03; the twin's own copies: 0.9 and more)
COHERENT = 0.5  # ... each vote in a patch where the other fails that it fills to this fraction
CLIP_LEVEL = 250  # a channel at this level or above may have been clipped ...
BRIGHT_SHARE = 0.4  # ... in this share of a picture's pixels: brightened (Year-of-the-Horse cards
# at brightness 1.4: 0.29..0.84; as they are, and Year-of-the-Dragon cards: 0.16..0.29)
CLIPPED_MAX = 0.2  # ... and a thumbnail cell with more such pixels than this is left out when
RECOLOURED = 0.15  # a tone map's slope or gain this far from 1 (or offset a third of it from
# 0) recolours (a look-alike card's map: within 0.07 of the identity, but one desaturated; a
# brightness-1.4 copy's map on the look-alike it ranks first: gain 1.29, offset 0.1)
CELLS_MIN = 32  # ... ranking again, if this many cells remain (a brightness-1.4 Year-of-the-Horse
# card with a cream circle: 159 of 256 remain, and the item ranks 2nd instead of 18th)
SWAPS = 2  # times the token to be named may give way to a near twin the picture favours
CHALLENGERS = 4  # near twins (alike under the alignment used) the picture is aligned on, each
# on its own, before a token is named (HashLips eyes cropped 10-15 % from the left lined up
# wrongly, rotated 9 degrees, on a look-alike or on the twin: token 2 passed for 20, 9 for 25)
FAR_RATIO = 2.0  # a token is no near twin of the closest (not compared in full at half scale,
FAR_GAP = 0.1  # ... nor weighed pixel by pixel) when its difference is this many times the
# closest's plus this (of 7,900 near twins weighed on 528 zodiac copies, every one the picture
# did not clearly tell from the closest was within 1.31 times or 0.02 of its difference; of
# 7,900 on HashLips eyes and 4,300 on the 288 twin crops, none)
COLOUR_MIN = 0.04  # colourfulness (mean of max - min channel, 0..1) below which a picture is
# grey, and any token's colours may have been taken away
COLOUR_KEPT = 0.5  # ... else the recoloured token must keep this share of the picture's: a
# grey-scale map of a red card passed for a black card in colour (a look-alike of another seed)
TWIN_SHARE = 0.15  # near twins differ in at most this share of what a picture shows (a zodiac
# card's charm and number: 0.02; HashLips eyes of another colour, iris or top lid: 0.01..0.1;
# look-alikes of another seed a customer's trial found "could be" either of: 0.30..0.42)
SHOWN_MAX = 0.5  # ... and the share of where they differ that the picture may show
DIFFER_LEVEL = 12  # two items' pixels differ where a Lab channel (8-bit) differs by more
EXCESS_MAX = 0.03  # correlation a picture may gain when reduced to a small item's resolution
# (copies of a 128-px item: 0.011..0.016; a 1024-px card of another collection: 0.048)

MARK_SHOWN = 0.9  # of the frame's side (or the item's, when smaller): the least the picture
# must show an item at for its edition number to be read (at 96 of 384 pixels, a copy's digits
# are a blur that correlates with no token's)
NO_ITEM = "no item of the collection"  # how a Miss that no item explains begins
# a Miss's kinds of reason (other than a pair's or a size's, which say theirs as data) and the
# facts each names (:attr:`Miss.facts`): what a page in another language words them from
REASONS: dict[str, tuple[str, ...]] = {
    "unfaithful": ("token",), "unlike": ("correlation",), "unaligned": (),
    "turned": ("degrees",), "not_close": (), "part": ("share",),
    "sharper": ("token", "width", "height"), "mark": ("token", "across", "down"),
    "variant": ("token", "across", "down")}

Mat = NDArray[np.float64]
Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), in the picture's pixels
# token ID -> its image, verified by its CID; None when there is no such token
Images = Callable[[int], Picture | None]


@dataclass(frozen=True)
class Likeness:
    """How the aligned picture compares with one token's image."""

    token_id: int
    similarity: float  # correlation of luma with the recoloured item's over the covered part, -1..1
    difference: float  # mean difference of levels from the recoloured item's, relative to the
    # picture's contrast (0: identical)
    mismatch: float  # fraction of covered blocks that differ
    cover: float  # fraction of the item the picture shows
    blocks: NDArray[np.float64] | None = None  # mean difference per block, NaN where uncovered
    residual: NDArray[np.float32] | None = None  # difference per pixel, 0 where uncovered
    predicted: NDArray[np.float32] | None = None  # the item's image under the fitted tone map
    colour: float = 1.0  # the recoloured item's colourfulness over the picture's (1 when the
    # picture has next to none: a grey-scale copy)
    tone_map: tone.Tone | None = None  # the fitted tone map (the item's colours -> the picture's)

    @property
    def alike(self) -> bool:
        """Whether the picture shows this token (before the margin over the runner-up): a
        picture in colour is no copy of a token whose colours the fitted map takes away."""
        return (self.cover >= MIN_COVER and self.similarity >= SIMILARITY_MIN
                and self.mismatch <= MISMATCH_MAX and self.colour >= COLOUR_KEPT)


@dataclass(frozen=True)
class Match:
    """The token a picture is a copy of, how alike, and the transform guessed."""

    token_id: int
    similarity: float
    transform: str | None  # how it was made, a best guess (:mod:`.transform`): screenshot,
    # flipped, cropped, bordered, recoloured, overlaid, resized or re-encoded
    runner_up: Likeness | None
    differs: float = 0.0  # fraction of the compared blocks where the picture is not the token's


@dataclass(frozen=True)
class Miss:
    """Why no token was named: `reason` for people; as data, the two near twins the picture is
    a copy of one of (`candidates`, the closer first) when nothing it shows tells them apart,
    and, when the picture is too small for that, its size and the size that would do (`shown`:
    the item's longer side in the picture, or the picture's shorter side when it is under
    SIDE_MIN; `needed`: the same side, in pixels, at which all that is compared is shown)."""

    reason: str
    closest: Likeness | None = None
    candidates: tuple[int, ...] = ()
    shown: int | None = None
    needed: int | None = None
    kind: str = ""  # the reason as data: its kind (a key of REASONS) ...
    facts: tuple[tuple[str, str], ...] = ()  # ... and the facts it names, as said in `reason`
    final: bool = False  # no other alignment is tried: the picture lined up closely with a
    # token and shows another of the collection's details than it has (:func:`_look_alike`),
    # its colours not clipped (a brightened picture's item may rank low); or it is whole, lined
    # up by its thumbnails and refined to the pixel, and still unlike the item (:func:`_confirm`)

    @property
    def too_small(self) -> bool:
        """Whether the picture is too small to tell (what it shows, or which twin)."""
        return self.shown is not None and self.needed is not None and self.shown < self.needed


@dataclass(frozen=True)
class _Features:
    points: NDArray[np.float32]  # N x 2, in the scaled image's pixels
    descriptors: NDArray[np.uint8] | None
    scale: float  # scaled pixels per source pixel
    from_picture: Mat | None = None  # the picture's pixels -> the scaled (region's) pixels


def _grey(rgb: Rgb) -> NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def _scaled(image: NDArray[np.uint8], side: int) -> tuple[NDArray[np.uint8], float]:
    h, w = image.shape[:2]
    f = side / max(h, w)
    if abs(f - 1) < 1e-3:
        return image, 1.0
    size = (max(1, round(w * f)), max(1, round(h * f)))
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(image, size, interpolation=interp), dtype=np.uint8), f


def _features(grey: NDArray[np.uint8], side: int, count: int = FEATURES) -> _Features:
    scaled, f = _scaled(grey, side)
    orb = cv2.ORB.create(nfeatures=count, fastThreshold=8, edgeThreshold=15)
    keypoints, descriptors = orb.detectAndCompute(scaled, None)
    points = np.array([k.pt for k in keypoints], dtype=np.float32).reshape(-1, 2)
    return _Features(points, None if descriptors is None else np.asarray(descriptors, np.uint8), f)


def _region_features(grey: NDArray[np.uint8], box: Box, side: int, count: int,
                     mirrored: bool) -> _Features:
    """Features of the region `box` of the picture (mirrored: of its mirror image), found with
    its longer side scaled to `side`, and the map from the picture's pixels to theirs."""
    x0, y0, x1, y1 = box
    crop = grey[y0:y1, x0:x1]
    if mirrored:
        crop = np.fliplr(crop)
    found = _features(np.ascontiguousarray(crop), side, count)
    f = found.scale
    to = (np.array([[-f, 0.0, f * (x1 - 1)], [0.0, f, -f * y0], [0.0, 0.0, 1.0]]) if mirrored
          else np.array([[f, 0.0, -f * x0], [0.0, f, -f * y0], [0.0, 0.0, 1.0]]))
    return _Features(found.points, found.descriptors, f, to)


@dataclass(frozen=True)
class Item:
    """A token's image, verified by its CID, prepared once for every comparison."""

    token_id: int
    width: int  # of the file
    height: int
    rgb: Rgb  # longer side at most ITEM_SIDE
    thumb: NDArray[np.uint8]  # its index thumbnail (of the image as decoded, not reduced)
    canon: Rgb  # in its canonical frame (longer side CANON), where pictures are compared with it
    lab: NDArray[np.uint8]  # canon in CIE Lab (OpenCV's 8-bit scaling)

    @cached_property
    def halved(self) -> Rgb:
        """`canon` at half scale, where the tokens compared are first screened."""
        return _half(self.canon)

    @cached_property
    def features(self) -> _Features:
        """ORB, at ITEM_SIDE: found when the item is first aligned with (most items compared
        never are)."""
        return _features(_grey(self.rgb), ITEM_SIDE)


class Items:
    """One collection's token images (`image_of`: verified by their CIDs), each decoded once,
    reduced to ITEM_SIDE and its features found, kept (the KEEP last used) for the life of the
    object: a service or a benchmark keeps one per collection, so that its queries compare at
    small scale with what it has already prepared. Thread-safe (a service's uploads share one)."""

    def __init__(self, image_of: Images, keep: int = KEEP) -> None:
        self._image_of = image_of
        self._keep = keep
        self._items: OrderedDict[int, Item | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token_id: int) -> Item | None:
        """Token `token_id`'s prepared image; None when there is no such token."""
        with self._lock:
            if token_id in self._items:
                self._items.move_to_end(token_id)
                return self._items[token_id]
        found = self._image_of(token_id)  # outside the lock: read, verified and decoded
        item = None if found is None else _prepare(token_id, found)
        with self._lock:
            self._items[token_id] = item
            while len(self._items) > self._keep:
                self._items.popitem(last=False)
        return item

    def read(self, token_ids: list[int]) -> None:
        """Reads those of `token_ids` not kept, READERS at a time (a gateway's latency, and
        decoding, overlap), so that :meth:`get` finds them; errors as :meth:`get`'s."""
        with self._lock:
            missing = [t for t in dict.fromkeys(token_ids) if t not in self._items]
        if len(missing) > 1:
            with ThreadPoolExecutor(min(READERS, len(missing))) as pool:
                list(pool.map(self.get, missing))


def _prepare(token_id: int, picture: Picture) -> Item:
    rgb, _ = _scaled(picture.rgb, min(ITEM_SIDE, max(picture.rgb.shape[:2])))
    canon = canonical(rgb, canon_size(rgb.shape))
    return Item(token_id, picture.width, picture.height, rgb, thumbnail(picture.rgb),
                canon,
                np.asarray(cv2.cvtColor(canon, cv2.COLOR_RGB2LAB), dtype=np.uint8))


def _trimmed(rgb: Rgb, small: Rgb, f: float) -> Box | None:
    """Where `rgb` is, without a uniform border (the colour of its corners), found in `small`
    (`rgb` at FRAME_SIDE scale, `f` its pixels per `rgb`'s); None when it has none."""
    h, w = rgb.shape[:2]
    grey = _grey(small).astype(np.int16)
    corners = np.array([grey[0, 0], grey[0, -1], grey[-1, 0], grey[-1, -1]])
    differs = np.abs(grey - int(np.median(corners))) > 12
    rows, cols = np.flatnonzero(differs.any(axis=1)), np.flatnonzero(differs.any(axis=0))
    if len(rows) == 0:
        return None
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    if (bottom - top) * (right - left) < 0.2 * grey.size:
        return None
    return (max(0, int(left / f)), max(0, int(top / f)), min(w, int(np.ceil(right / f))),
            min(h, int(np.ceil(bottom / f))))


def _framed(rgb: Rgb, small: Rgb, f: float) -> Box | None:
    """The largest picture-like rectangle in a screenshot: a solid block unlike the interface's
    background (the edge's median colour) once an opening has erased text and thin rules, about
    as wide as high and filling its bounding box; None when there is none, or it is nearly the
    whole picture (looked for in `small`, as in :func:`_trimmed`)."""
    h, w = rgb.shape[:2]
    sh, sw = small.shape[:2]
    edge = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]]).astype(np.int16)
    background = np.median(edge, axis=0).astype(np.int16)
    busy = (_channel_max(np.abs(small.astype(np.int16) - background)) > 16).astype(np.uint8)
    k = max(3, round(0.02 * max(sh, sw)))
    solid = cv2.morphologyEx(busy, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: tuple[int, int, int, int] | None = None
    for contour in contours:
        x, y, cw, ch = cv2.boundingRect(contour)
        if (cw * ch < 0.04 * sh * sw or not 1 / 3 <= cw / ch <= 3
                or cv2.contourArea(contour) < 0.6 * cw * ch):
            continue
        if best is None or cw * ch > best[2] * best[3]:
            best = (x, y, cw, ch)
    if best is None or best[2] * best[3] > 0.9 * sh * sw:
        return None
    x, y, cw, ch = best
    return (max(0, int(x / f)), max(0, int(y / f)), min(w, int(np.ceil((x + cw) / f))),
            min(h, int(np.ceil((y + ch) / f))))


def _channel_max(pixels: NDArray[Any]) -> NDArray[Any]:
    """Per pixel, the largest of its three channels (the last axis): numpy's own reduction over
    an axis this short is many times slower."""
    out: NDArray[Any] = np.maximum(np.maximum(pixels[..., 0], pixels[..., 1]), pixels[..., 2])
    return out


def _orientations(thumb: NDArray[np.uint8]) -> list[NDArray[np.uint8]]:
    """The eight flips and quarter turns of a thumbnail."""
    out = []
    for t in (thumb, np.fliplr(thumb)):
        out += [np.rot90(t, k) for k in range(4)]
    return out


Search = tuple[Box, int, int]  # a region of the picture, its side and keypoints for features


class Query:
    """A picture prepared once for every comparison: thumbnails of its regions (whole, without
    a uniform border, the picture inside a screenshot) and, when asked, their features."""

    def __init__(self, picture: Picture) -> None:
        self.picture = picture
        self.rgb = picture.rgb
        h, w = self.rgb.shape[:2]
        whole: Box = (0, 0, w, h)
        small, f = _scaled(self.rgb, min(FRAME_SIDE, max(h, w)))
        framed = _framed(self.rgb, small, f)
        # where a screen's picture may be: the solid block, and rectangles framed by edges (a
        # picture the screen's full width, whose sides are the screen's, has no background
        # around it to stand out from)
        regions: list[Box] = [framed] if framed is not None else []
        if max(h, w) >= SCREEN * min(h, w):
            for x0, y0, x1, y1 in panels(small, PANELS):
                panel: Box = (int(x0 / f), int(y0 / f), min(w, int(np.ceil(x1 / f))),
                              min(h, int(np.ceil(y1 / f))))
                if panel not in regions and panel != whole:
                    regions.append(panel)
        boxes = [whole]
        for box in (_trimmed(self.rgb, small, f), *regions):
            if box is not None and box not in boxes:
                boxes.append(box)
        self.boxes = boxes
        self.regions = regions
        self.thumbs = [o for x0, y0, x1, y1 in boxes
                       for o in _orientations(grey_thumbnail(self.grey[y0:y1, x0:x1]))]
        # where features are looked for, in order: the picture inside a screenshot, the whole
        # picture, the whole again in more detail (a small picture in a large frame: only a
        # picture QUERY_SIDE lost detail of has more to show; enlarged, it has none)
        self.searches: list[Search] = [
            *([(regions[0], QUERY_SIDE, FEATURES)] if regions else []),
            (whole, QUERY_SIDE, FEATURES),
            *([(whole, QUERY_SIDE_SMALL, FEATURES_SMALL)] if max(h, w) > DETAIL_MIN else [])]
        self._found: dict[tuple[Search, bool], _Features] = {}
        self.turned = 0.0  # degrees off a quarter turn of the most turned alignment refused
        # token ID and search -> what align found (a token is aligned on as a candidate, then
        # again as the closest token or a near twin)
        self.aligned: dict[tuple[int, Search], Alignment | None] = {}

    @cached_property
    def grey(self) -> NDArray[np.uint8]:
        """The picture in grey levels (its thumbnails' and its features')."""
        return _grey(self.rgb)

    @cached_property
    def opaque(self) -> NDArray[np.uint8]:
        """255 at every pixel of the picture (warped to find what an alignment covers)."""
        return np.full(self.rgb.shape[:2], 255, dtype=np.uint8)

    @cached_property
    def _rows(self) -> NDArray[np.float32]:
        """The thumbnails centred and of unit norm, one a row."""
        rows = np.stack([t.reshape(-1) for t in self.thumbs]).astype(np.float32)
        rows -= rows.mean(axis=1, keepdims=True)
        return np.asarray(rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6),
                          dtype=np.float32)

    def closest(self, thumb: NDArray[np.uint8]) -> tuple[int, float]:
        """Which of the picture's thumbnails (box * 8 + orientation) best correlates with an
        item's `thumb`, and how well (-1..1)."""
        mine = thumb.reshape(-1).astype(np.float32)
        mine -= mine.mean()
        scores = (self._rows @ mine) / max(float(np.linalg.norm(mine)), 1e-6)
        best = int(np.argmax(scores))
        return best, float(scores[best])

    def prefer(self, thumb: NDArray[np.uint8]) -> None:
        """Look for features first in the region (of :attr:`regions`) whose thumbnail best
        correlates with `thumb` (the index's likeliest item's): which of a screen's rectangles
        shows the picture, the collection's own items tell."""
        if len(self.regions) < 2:
            return
        mine = thumb.reshape(-1).astype(np.float32)
        scores = self._rows @ (mine - mine.mean())
        best = max(self.regions, key=lambda box: float(
            scores[8 * self.boxes.index(box):8 * self.boxes.index(box) + 8].max()))
        self.searches[0] = (best, QUERY_SIDE, FEATURES)

    def mirrored_first(self, thumb: NDArray[np.uint8]) -> bool:
        """Whether the picture's thumbnail that best correlates with an item's `thumb` is a
        mirrored one (a flip, or a flip and a quarter turn)."""
        return self.closest(thumb)[0] % 8 >= 4

    def features(self, search: Search, mirrored: bool) -> _Features:
        """The features of `search` (of its mirror image when `mirrored`: ORB's are not
        mirror-invariant), found once."""
        key = (search, mirrored)
        if key not in self._found:
            box, side, count = search
            self._found[key] = _region_features(self.grey, box, side, count, mirrored)
        return self._found[key]


@dataclass(frozen=True)
class Alignment:
    """A homography from the picture's pixels (``Query.rgb``) to an item's canonical frame."""

    homography: Mat
    mirrored: bool
    inliers: int
    size: tuple[int, int]  # the canonical frame, (width, height)
    agreement: float = 0.0  # inliers / matches
    thumbnailed: bool = False  # from the thumbnails (:func:`direct`), not from ORB's features
    whole: bool = False  # ... of the whole picture (not without a border, nor a screen's part)


def align(query: Query, item: Item, search: Search) -> Alignment | None:
    """The homography bringing the picture onto `item`, from the features of `search` or of its
    mirror image, whichever more agree (a card nearly symmetric aligns both ways), or None when
    too few agree. The side the thumbnails favour is tried first, and the other only when too
    few of its matches agree (ORB on a mirror image costs as much again). Found once per
    query, token and search."""
    key = (item.token_id, search)
    if key not in query.aligned:
        query.aligned[key] = _align(query, item, search)
    return query.aligned[key]


def _align(query: Query, item: Item, search: Search) -> Alignment | None:
    mine = item.features
    if mine.descriptors is None or len(mine.points) < MIN_INLIERS:
        return None
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    best: Alignment | None = None
    canon = canon_size(item.rgb.shape)
    to_canon = np.diag([canon[0] / (item.rgb.shape[1] * mine.scale),
                        canon[1] / (item.rgb.shape[0] * mine.scale), 1.0])
    first = query.mirrored_first(item.thumb)
    for mirrored in (first, not first):
        if best is not None and best.agreement >= AGREEMENT:
            break
        theirs = query.features(search, mirrored)
        if theirs.descriptors is None or len(theirs.points) < MIN_INLIERS:
            continue
        pairs = matcher.knnMatch(theirs.descriptors, mine.descriptors, k=2)
        good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.8 * p[1].distance]
        if len(good) < MIN_INLIERS:
            continue
        src = theirs.points[[m.queryIdx for m in good]]
        dst = mine.points[[m.trainIdx for m in good]]
        h, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 4.0,
                                        maxIters=RANSAC_ITERATIONS)
        if h is None or inliers is None:
            continue
        count = int(inliers.sum())
        if count < MIN_INLIERS or (best is not None and count <= best.inliers):
            continue
        # picture pixels -> scaled (mirrored) region -> scaled item -> canonical item
        assert theirs.from_picture is not None
        full = np.asarray(to_canon @ h @ theirs.from_picture, dtype=np.float64)
        if _plausible(full, query.rgb.shape, canon):
            best = Alignment(full, mirrored, count, canon, count / len(good))
        elif count / len(good) >= TURNED_AGREEMENT and _plausible(full, query.rgb.shape, canon,
                                                                   True):
            # most features agree, turned: the picture itself may be (a photo editor's tilt)
            query.turned = max(query.turned, _turn(_item_corners(Alignment(
                full, mirrored, count, canon))))
    return best


def direct(query: Query, item: Item) -> Alignment | None:
    """The alignment the thumbnails alone give, when one of the picture's (whole, without a
    border, or inside a screenshot; in one of eight orientations) correlates with the item's
    at DIRECT_MIN or more: that region, so turned, is the whole item (a copy neither cropped
    nor skewed; :func:`refine` corrects what is left). None otherwise (:func:`align` finds
    it). Only a proposal: what it brings into the item's frame is compared as any other."""
    row, score = query.closest(item.thumb)
    if score < DIRECT_MIN:
        return None
    x0, y0, x1, y1 = query.boxes[row // 8]
    # the box's corners (pixel centres: its edges lie half a pixel out), turned as its thumbnail
    grid = np.array([[(x0, y0), (x1, y0)], [(x0, y1), (x1, y1)]], dtype=np.float64) - 0.5
    mirrored = row % 8 >= 4
    grid = np.rot90(grid[:, ::-1] if mirrored else grid, row % 4)
    w, h = canon_size(item.rgb.shape)
    src = np.array([grid[0, 0], grid[0, 1], grid[1, 0], grid[1, 1]], dtype=np.float32)
    dst = np.array([(0, 0), (w, 0), (0, h), (w, h)], dtype=np.float32) - np.float32(0.5)
    full = np.asarray(cv2.getPerspectiveTransform(src, dst), dtype=np.float64)
    if not _plausible(full, query.rgb.shape, (w, h)):
        return None
    return Alignment(full, mirrored, 0, (w, h), 1.0, thumbnailed=True, whole=row < 8)


def _item_corners(alignment: Alignment) -> NDArray[np.float64]:
    """The canonical frame's corners in the picture's pixels."""
    w, h = alignment.size
    corners = np.array([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]], dtype=np.float64)
    back = np.linalg.inv(alignment.homography)
    return np.asarray(cv2.perspectiveTransform(corners, back), dtype=np.float64).reshape(4, 2)


def _plausible(h: Mat, shape: tuple[int, ...], canon: tuple[int, int],
               turned: bool = False) -> bool:
    """Whether `h` is what a copy can do: invertible, not folding the picture, not skewed far
    from a similarity (a phone screenshot is a scaling, not a perspective), not turned off a
    quarter turn (unless `turned`: all the rest)."""
    if abs(np.linalg.det(h)) < 1e-12:
        return False
    w, hh = canon
    corners = np.array([[[0, 0]], [[w, 0]], [[w, hh]], [[0, hh]]], dtype=np.float64)
    quad = cv2.perspectiveTransform(corners, np.linalg.inv(h)).reshape(4, 2).astype(np.float32)
    if not cv2.isContourConvex(quad):
        return False
    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    if min(sides) < 16:
        return False
    # a copy is turned, if at all, by quarter turns: features matched on a look-alike can line
    # a crop up a few degrees off, just so that a near twin passes for the item
    if not turned and _turn(quad) > TURN_MAX:
        return False
    # opposite sides of a similarity are equal; allow a little perspective
    return (abs(sides[0] - sides[2]) < 0.15 * max(sides[0], sides[2])
            and abs(sides[1] - sides[3]) < 0.15 * max(sides[1], sides[3]))


def _turn(quad: NDArray[Any]) -> float:
    """Degrees the quadrilateral `quad` (the item's corners in the picture) is turned off the
    nearest quarter turn, 0..45."""
    top = quad[1] - quad[0]
    turn = float(np.degrees(np.arctan2(top[1], top[0]))) % 90
    return min(turn, 90 - turn)


@dataclass(frozen=True)
class Region:
    """The covered part of the canonical frame, as every comparison over it needs it (made once
    per aligned picture, for every token compared)."""

    mask: NDArray[np.bool_]

    @cached_property
    def count(self) -> int:
        return max(1, int(np.count_nonzero(self.mask)))

    @cached_property
    def full(self) -> bool:
        return self.count == self.mask.size

    @cached_property
    def u8(self) -> NDArray[np.uint8]:
        """The mask as OpenCV's masked statistics take it."""
        return self.mask.astype(np.uint8)

    @cached_property
    def weights(self) -> NDArray[np.float32]:
        """1 where covered, 0 elsewhere."""
        return self.mask.astype(np.float32)

    @cached_property
    def blocks(self) -> tuple[int, int, int, int, NDArray[np.float64], NDArray[np.bool_]]:
        """The GRID x GRID blocks: block height and width, rows and columns, covered pixels per
        block, and which blocks are covered (at least half)."""
        h, w = self.mask.shape
        bh, bw = max(1, h // GRID), max(1, w // GRID)
        rows, cols = h // bh, w // bw
        cover = self.mask[:rows * bh, :cols * bw].reshape(rows, bh, cols, bw).sum(
            axis=(1, 3)).astype(np.float64)
        return bh, bw, rows, cols, cover, cover >= 0.5 * bh * bw


@dataclass(frozen=True)
class Aligned:
    """The picture brought into the tokens' frame: pixels and which of them it covers."""

    rgb: Rgb
    mask: NDArray[np.bool_]

    @property
    def cover(self) -> float:
        return float(self.mask.mean())

    @cached_property
    def region(self) -> Region:
        return Region(self.mask)

    @cached_property
    def halved(self) -> Aligned:
        """At half scale (a pixel is covered when all four it replaces are)."""
        w, h = self.mask.shape[1] // 2, self.mask.shape[0] // 2
        cover = cv2.resize(self.mask.astype(np.float32), (max(1, w), max(1, h)),
                           interpolation=cv2.INTER_AREA)
        return Aligned(_half(self.rgb), cover > 0.99)

    @cached_property
    def bright(self) -> bool:
        """Whether more than BRIGHT_SHARE of the covered pixels have a channel at CLIP_LEVEL or
        above: brightened until colours clip, as cards and eyes are not."""
        clipped = (_channel_max(self.rgb) >= CLIP_LEVEL) & self.mask
        return int(np.count_nonzero(clipped)) > BRIGHT_SHARE * self.region.count

    @cached_property
    def levels01(self) -> NDArray[np.float32]:
        """The pixels' levels, 0..1."""
        return _levels01(self.rgb)

    @cached_property
    def lightness(self) -> NDArray[np.float32]:
        """BT.601 luma, normalised over the covered part (:func:`_normalised`)."""
        return _normalised(_plane(cv2.transform(self.levels01, _LUMA601)), self.region)

    @cached_property
    def colour(self) -> float:
        """Its colourfulness (:func:`_colour`)."""
        return _colour(self.levels01, self.region)

    @cached_property
    def spread(self) -> float:
        """The deviation of the luma over the covered part (0..1): the picture's contrast."""
        _, std = cv2.meanStdDev(cv2.transform(self.levels01, _LUMA601), mask=self.region.u8)
        return float(std[0, 0])


def refine(query: Query, alignment: Alignment, canon: Rgb,
           aligned: Aligned | None = None, full_scale: bool = False) -> Alignment:
    """`alignment` refined to the pixel by maximising the correlation of the aligned picture with
    `canon` (an item in the alignment's canonical frame; ``cv2.findTransformECC``); unchanged
    when that does not converge. (ORB's homography alone, however many matches agree, costs
    recall: skipping this missed 15 of 360 copies that it finds.) `aligned`: the picture as
    `alignment` warps it, when already made; `full_scale`: refined at full scale even when the
    thumbnails made it (at ECC_SCALE otherwise)."""
    aligned = aligned or warp(query, alignment)
    template, moved = _grey(canon), _grey(aligned.rgb)
    mask = aligned.mask.astype(np.uint8)
    # the thumbnails' alignment is within a pixel or so: refined at half the scale
    f = ECC_SCALE if alignment.thumbnailed and not full_scale else 1.0
    if f != 1.0:
        size = (round(template.shape[1] * f), round(template.shape[0] * f))
        template, moved = (np.asarray(cv2.resize(i, size, interpolation=cv2.INTER_AREA),
                                      dtype=np.uint8) for i in (template, moved))
        mask = np.asarray(cv2.resize(mask * 255, size, interpolation=cv2.INTER_AREA) // 255,
                          dtype=np.uint8)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, ECC_ITERATIONS, 1e-4)
    try:
        _, found = cv2.findTransformECC(template.astype(np.float32), moved.astype(np.float32),
                                        np.eye(3, dtype=np.float32), cv2.MOTION_HOMOGRAPHY,
                                        criteria, mask, 3)
    except cv2.error:
        return alignment
    # scaled pixels (centres) from the frame's: x * f + (f - 1) / 2
    scaled = np.array([[f, 0, (f - 1) / 2], [0, f, (f - 1) / 2], [0, 0, 1]])
    found = np.linalg.inv(scaled) @ np.asarray(found, np.float64) @ scaled
    full = np.asarray(np.linalg.inv(found) @ alignment.homography, dtype=np.float64)
    if not _plausible(full, query.rgb.shape, alignment.size):
        return alignment
    return replace(alignment, homography=full)


def warp(query: Query, alignment: Alignment) -> Aligned:
    """The picture in the canonical frame of `alignment` (twice as large, then area-reduced)."""
    w, h = alignment.size
    up = np.diag([2.0, 2.0, 1.0]) @ alignment.homography
    big = cv2.warpPerspective(query.rgb, up, (2 * w, 2 * h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    cover = cv2.warpPerspective(query.opaque, up, (2 * w, 2 * h), flags=cv2.INTER_NEAREST)
    rgb = np.asarray(cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA), dtype=np.uint8)
    mask = cv2.resize(cover, (w, h), interpolation=cv2.INTER_AREA) == 255
    mask = cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    return Aligned(rgb, mask)


def canonical(item: Rgb, size: tuple[int, int]) -> Rgb:
    """An item's image in the canonical frame of `size` (width, height)."""
    return np.asarray(cv2.resize(item, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _lab(rgb: Rgb) -> NDArray[np.uint8]:
    """`rgb` in CIE Lab, OpenCV's 8-bit scaling (L* x 255/100, a* and b* + 128)."""
    return np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB), dtype=np.uint8)


def _lightness(rgb: Rgb) -> NDArray[np.float32]:
    """CIE L* of `rgb` (OpenCV's 8-bit scaling), as floats."""
    return np.asarray(_lab(rgb)[..., 0], dtype=np.float32)


def _canon(item: Item, size: tuple[int, int]) -> tuple[Rgb, NDArray[np.uint8]]:
    """`item`'s image in the canonical frame `size` (width, height) and in Lab: as prepared,
    unless another item's frame is asked for."""
    if (item.canon.shape[1], item.canon.shape[0]) == size:
        return item.canon, item.lab
    canon = canonical(item.rgb, size)
    return canon, _lab(canon)


def compare(aligned: Aligned, canon: Rgb, token_id: int) -> Likeness:
    """How `aligned` compares with a token's image `canon` (already in the same canonical
    frame), once the item's colours are changed as the picture's seem to be (a tone
    map, :mod:`~nft_toolkit.copies.tone`, fitted over the covered part: brightness, contrast,
    saturation, grey scale, clipping): the correlation of their lightness, and their difference
    per pixel relative to the picture's contrast, whole and block by block."""
    region = aligned.region
    if region.count < 64:
        return Likeness(token_id, -1.0, 9.0, 1.0, aligned.cover)
    mine, original = aligned.levels01, _levels01(canon)
    fitted = tone.fit(mine, original, aligned.mask)
    theirs = fitted.apply(original)
    # relative to the picture's contrast, so that a faded copy is held to as much as a vivid one
    diff = _plane(cv2.transform(cv2.absdiff(mine, theirs), _MEAN3)) * np.float32(
        1 / max(aligned.spread, 1e-3))
    if not region.full:
        diff *= region.weights
    lightness = _normalised(_plane(cv2.transform(theirs, _LUMA601)), region)
    similarity = float(np.dot(aligned.lightness.reshape(-1), lightness.reshape(-1))) / (
        region.count)
    found = _compare(diff, region, token_id, aligned.cover)
    colour = 1.0 if aligned.colour < COLOUR_MIN else _colour(theirs, region) / aligned.colour
    return replace(found, similarity=similarity, predicted=theirs, colour=colour, tone_map=fitted)


def _colour(levels: NDArray[np.float32], region: Region) -> float:
    """Colourfulness: the mean over the covered part of each pixel's largest channel less its
    smallest (0..1; 0 for grey)."""
    spread = _channel_max(levels) - np.minimum(np.minimum(levels[..., 0], levels[..., 1]),
                                               levels[..., 2])
    return float(cv2.mean(spread, mask=region.u8)[0])


_MEAN3 = np.full((1, 3), 1 / 3, dtype=np.float32)
_LUMA601 = tone.LUMAS[0].reshape(1, 3).astype(np.float32)


def _plane(values: NDArray[Any]) -> NDArray[np.float32]:
    """What ``cv2.transform`` made of float32 levels, typed so."""
    return np.asarray(values, dtype=np.float32)


def _levels01(rgb: Rgb) -> NDArray[np.float32]:
    return np.asarray(rgb, dtype=np.float32) * np.float32(1 / 255)


def _normalised(plane: NDArray[np.float32], region: Region) -> NDArray[np.float32]:
    """`plane` of mean 0 and deviation 1 over the covered part, 0 elsewhere."""
    mean, std = cv2.meanStdDev(plane, mask=region.u8)
    out = (plane - np.float32(mean[0, 0])) / np.float32(max(float(std[0, 0]), 1e-6))
    return np.asarray(out if region.full else out * region.weights, dtype=np.float32)


def _compare(diff: NDArray[np.float32], region: Region, token_id: int,
             cover: float) -> Likeness:
    """`diff`: the difference per pixel (relative to the picture's contrast), 0 outside
    `region`."""
    bh, bw, rows, cols, block_cover, covered = region.blocks
    block_diff = diff[:rows * bh, :cols * bw].reshape(rows, bh, cols, bw).sum(axis=(1, 3))
    blocks = np.where(covered, block_diff / np.maximum(block_cover, 1), np.nan)
    mismatch = float((blocks[covered] > BLOCK_DIFF).mean()) if covered.any() else 1.0
    return Likeness(token_id, 0.0, float(diff.sum()) / region.count, mismatch, cover,
                    blocks, diff)


def told_apart(best: Likeness, other: Likeness) -> bool:
    """Whether the picture is `best` rather than `other`: some blocks match `best` and clearly
    not `other`, hardly any the reverse (where two look-alike items share pixels they differ
    equally; a block an overlay spoils matches neither, so it cannot favour the wrong one)."""
    if best.blocks is None or other.blocks is None or best.blocks.shape != other.blocks.shape:
        return other.difference - best.difference > BLOCK_GAP / 4
    usable = ~(np.isnan(best.blocks) | np.isnan(other.blocks))
    mine, theirs = best.blocks[usable], other.blocks[usable]
    # a block is evidence only where the closer token matches the picture (under an overlay
    # neither does, and nothing there may favour one)
    for_best = int(((theirs > BLOCK_RATIO * mine + BLOCK_GAP) & (mine <= BLOCK_DIFF)).sum())
    for_other = int(((mine > BLOCK_RATIO * theirs + BLOCK_GAP) & (theirs <= BLOCK_DIFF)).sum())
    return for_best >= 1 and for_other <= for_best // 4


def favours(best: Likeness, other: Likeness, aligned: Aligned,
            differ: NDArray[np.bool_], noise: float | None = None) -> bool:
    """Whether, pixel by pixel where `best` and `other` look different once each is recoloured
    as the picture (their fitted tone maps; :func:`compare`) and the items differ (`differ`:
    :func:`differing`; elsewhere only the tone maps differ), the picture is clearly `best`'s
    (within NEAR of the gap between them of it, at VOTES_MIN pixels and more) and hardly ever
    `other`'s (at most OTHER_VOTES of as many). A pixel votes only inside a patch where the one
    it votes against fails and the one it votes for explains most of it: an overlay (a price
    tag) is a patch neither explains, even where its colour happens to be a twin's. A twin
    differing only in hue from a grey-scale picture, or only where an overlay hides, looks no
    different: no votes, not favoured. `noise`: :func:`_noise` of `best`, when known."""
    if best.predicted is None or other.predicted is None or best.residual is None \
            or other.residual is None:
        return False
    mask = aligned.mask
    level = max(GAP_MIN, NOISE_TIMES * (_noise(best, aligned) if noise is None else noise))
    # only where the items differ, and the picture shows them, may a pixel vote
    shows = mask & differ
    rows, cols = np.flatnonzero(shows.any(axis=1)), np.flatnonzero(shows.any(axis=0))
    if len(rows) == 0:
        return False
    box = np.s_[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    gap = _plane(cv2.transform(cv2.absdiff(best.predicted[box], other.predicted[box]), _MEAN3))
    # in levels: the residuals are relative to the picture's spread
    spread = np.float32(max(aligned.spread, 1e-3))
    mine, theirs = best.residual[box] * spread, other.residual[box] * spread
    shows = shows[box] & (gap > level)  # ... and where they look different
    near, far = gap * np.float32(NEAR), gap * np.float32(1 - NEAR)
    best_votes = shows & (mine < near) & (theirs > far)
    if int(np.count_nonzero(best_votes)) < VOTES_MIN:
        return False
    other_votes = shows & (theirs < near) & (mine > far)
    for_best = _votes(best_votes, shows & (theirs > level / 2))
    for_other = 0 if not other_votes.any() else _votes(other_votes, shows & (mine > level / 2))
    return for_best >= VOTES_MIN and for_other <= OTHER_VOTES * for_best


def _noise(likeness: Likeness, aligned: Aligned) -> float:
    """The median difference (levels, 0..1) of the aligned picture from the recoloured token
    over the covered part: how far a pixel of the token's own copy may stray."""
    if likeness.residual is None:
        return 0.0
    return float(np.median(likeness.residual[aligned.mask])) * max(aligned.spread, 1e-3)


def _votes(votes: NDArray[np.bool_], fails: NDArray[np.bool_]) -> int:
    """The `votes` that lie in patches (8-connected) of `fails` that they fill at least to
    COHERENT: where the one voted against fails, the one voted for explains most."""
    count, labels = cv2.connectedComponents(fails.astype(np.uint8), connectivity=8)
    size = np.bincount(labels.reshape(-1), minlength=count)
    voted = np.bincount(labels[votes], minlength=count)
    kept = voted >= COHERENT * size
    kept[0] = False  # outside every patch
    return int(voted[kept].sum())


def differing(best: NDArray[np.uint8], other: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Where the items `best` and `other` (canonical, verified, Lab) differ: a channel by more
    than DIFFER_LEVEL."""
    out: NDArray[np.bool_] = _channel_max(
        np.abs(best.astype(np.int16) - other.astype(np.int16))) > DIFFER_LEVEL
    return out


def own_alignment(query: Query, item: Item) -> Alignment | None:
    """The picture aligned on `item` itself (its own features, the first search that lines up)
    and refined on its image; None when it does not line up."""
    found = lined_up(query, item)
    return None if found is None else refine(query, found, _canon(item, found.size)[0])


def lined_up(query: Query, item: Item) -> Alignment | None:
    """:func:`own_alignment` before refinement (which keeps its inliers)."""
    for search in query.searches:
        found = align(query, item, search)
        if found is not None:
            return found
    return None


def _reduced(rgb: Rgb, side: int) -> Rgb:
    """`rgb` reduced to `side` pixels on its longer side and enlarged back: its detail at that
    resolution only."""
    h, w = rgb.shape[:2]
    small, _ = _scaled(rgb, side)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), dtype=np.uint8)


def excess_detail(aligned: Aligned, canon: Rgb, item_side: int, picture_side: float) -> float:
    """How much closer the picture comes to the item (correlation of lightness) once both are
    reduced to the item file's resolution `item_side`, when that is below CANON and the picture
    shows the item larger (`picture_side`: its longer side in the picture's pixels): a copy holds
    no detail its original lacks, so a sharp picture a small item only resembles gains much
    (0 when the picture is not the sharper of the two)."""
    if item_side >= CANON or picture_side < 1.25 * item_side:
        return 0.0

    def similarity(a: Rgb, b: Rgb) -> float:
        mine, theirs = (_normalised(_lightness(a), aligned.region),
                        _normalised(_lightness(b), aligned.region))
        return float(np.dot(mine.reshape(-1), theirs.reshape(-1))) / aligned.region.count

    return (similarity(_reduced(aligned.rgb, item_side), _reduced(canon, item_side))
            - similarity(aligned.rgb, canon))


def _mask_thumb(aligned: Aligned) -> tuple[NDArray[np.uint8], NDArray[np.bool_]]:
    grey = cv2.resize(_grey(aligned.rgb), (THUMB, THUMB), interpolation=cv2.INTER_AREA)
    cover = cv2.resize(aligned.mask.astype(np.float32), (THUMB, THUMB),
                       interpolation=cv2.INTER_AREA)
    return np.asarray(grey, dtype=np.uint8), cover > 0.99


def find_copy(picture: Picture, index: CopiesIndex, images: Images | Items) -> Match | Miss:
    """The token `picture` is a copy of, confirmed on verified images (`images`), or a Miss.

    `images(token_id)` returns the token's image verified by its CID (None: no such token,
    a candidate skipped); its errors (ContentError) pass through. An :class:`Items` of the same
    collection may be given instead, to reuse the images it has prepared. The index only orders
    what is compared, and each token compared must have the thumbnail the index gives it (else
    the index is not the collection's: a Miss). A picture is named a copy of a token only when
    it matches the token's image everywhere but a few blocks (an overlay) and is told apart from
    every other token compared; an index that hides a near twin differing from it only within
    such a few blocks could still let the picture pass for that twin's look-alike.
    """
    try:
        return _find_copy(picture, index, images if isinstance(images, Items) else Items(images))
    except Unfaithful as exc:
        return Miss(f"the copies index does not describe token {exc.token_id}'s verified image "
                    "(not made from the collection's images): not used", kind="unfaithful",
                    facts=(("token", str(exc.token_id)),))


class Unfaithful(Exception):
    """The index's thumbnail of a token is not its verified image's."""

    def __init__(self, token_id: int) -> None:
        super().__init__(token_id)
        self.token_id = token_id


def _find_copy(picture: Picture, index: CopiesIndex, items: Items) -> Match | Miss:
    if min(picture.rgb.shape[:2]) < SIDE_MIN:
        return Miss(f"the picture is {picture.width}x{picture.height} pixels, too small to tell "
                    f"what it shows (at least {SIDE_MIN} pixels on each side)",
                    shown=min(picture.width, picture.height), needed=SIDE_MIN)
    query = Query(picture)
    tokens = _Tokens(items, index)
    known, item = tokens.known, tokens.item
    scored = index.scored(query.thumbs, CANDIDATES)
    if not scored or scored[0][1] < RANK_MIN:
        correlation = f"{scored[0][1] if scored else 0:.2f}"
        return Miss("the picture resembles no item of the collection (index correlation "
                    f"{correlation})", kind="unlike", facts=(("correlation", correlation),))
    # a copy neither cropped nor skewed lines up as its thumbnails do: ORB's features (a third
    # of a query) are looked for only when that alignment is not close to the item
    first = scored[0][0]
    query.prefer(index.thumbs[first - 1])
    quick = direct(query, item(first)) if known(first) else None
    if quick is not None:
        found = _confirm(query, index, tokens, quick, first, DIRECT_ROUGH_MIN)
        if isinstance(found, Match) or found.final:
            return found
    alignment: Alignment | None = None
    anchor = 0
    for search in query.searches:
        # an alignment few of whose matches agree may be on a look-alike, wrongly: the other
        # candidates are tried for one more of whose agree (the first kept if none does)
        for token_id, _ in scored:
            lined = align(query, item(token_id), search) if known(token_id) else None
            if lined is not None and (alignment is None
                                      or lined.agreement > alignment.agreement):
                alignment, anchor = lined, token_id
            if alignment is not None and alignment.agreement >= DOUBTFUL:
                break
        if alignment is not None:
            break
    found = Miss(f"{NO_ITEM} lines up with the picture", kind="unaligned") if alignment is None \
        else _confirm(query, index, tokens, alignment, anchor, ROUGH_MIN)
    # a picture that lines up with no item, or with none closely, but would have turned: said
    if isinstance(found, Miss) and query.turned and found.kind in ("unaligned", "not_close"):
        return Miss(f"the picture seems turned by about {query.turned:.0f} degrees: a picture "
                    "turned other than by quarter turns is not compared (its original file, or "
                    "a straight screenshot, can be)", found.closest, kind="turned",
                    facts=(("degrees", f"{query.turned:.0f}"),))
    return found


class _Tokens:
    """The tokens one query compares: each one's prepared image (from `items`) got once and
    checked against the index's thumbnail of it (:class:`Unfaithful` otherwise)."""

    def __init__(self, items: Items, index: CopiesIndex) -> None:
        self._items = items
        self._index = index
        self._seen: dict[int, Item | None] = {}

    def known(self, token_id: int) -> bool:
        """Whether the token exists (its image read and verified)."""
        if token_id not in self._seen:
            found = self._seen[token_id] = self._items.get(token_id)
            if found is not None and not self._index.describes(token_id, found.thumb):
                raise Unfaithful(token_id)
        return self._seen[token_id] is not None

    def item(self, token_id: int) -> Item:
        """The prepared image of a token :meth:`known` says exists."""
        found = self._seen[token_id] if self.known(token_id) else None
        assert found is not None
        return found

    def read(self, token_ids: list[int]) -> None:
        """Reads, together, those of `token_ids` about to be compared (:meth:`Items.read`)."""
        self._items.read([t for t in token_ids if t not in self._seen])


def _confirm(query: Query, index: CopiesIndex, tokens: _Tokens, alignment: Alignment,
             anchor: int, rough_min: float) -> Match | Miss:
    """The token the picture is a copy of, or a Miss, once `alignment` has brought it onto
    token `anchor` (refined, compared with the closest tokens and their near twins)."""
    anchor_canon = _canon(tokens.item(anchor), alignment.size)
    rough = warp(query, alignment)
    refined: Alignment | None = None
    final = False  # a Miss from here on ends the search (Miss.final)
    if rough.cover >= MIN_COVER:  # cheap: a picture far from the item it lined up with stops
        closeness = compare(rough, anchor_canon[0], anchor)
        if closeness.similarity < rough_min and alignment.thumbnailed:
            # the thumbnails' alignment, within a few pixels (a screen's picture found at
            # FRAME_SIDE, a crop of 5 %), is first refined: most such copies are then close
            refined = refine(query, alignment, anchor_canon[0], rough)
            # the whole picture that refinement hardly moves (ECC converged, within STILL)
            # shows the item's frame where the thumbnails put it: features would line it up
            # the same way, and are not looked for; it is held to their laxer ROUGH_MIN (a
            # sepia copy), and what it is not is final (another year's card). Not when its
            # colours clip (brightened: its own item may rank low, and ORB's alignment on
            # the look-alike it ranks first found it, this did not)
            final = (alignment.whole and refined is not alignment and not rough.bright
                     and _moved(alignment, refined) <= STILL)
            if final:  # ... and refined again at full scale, as features' alignment is
                refined = refine(query, refined, anchor_canon[0], full_scale=True)
            rough = warp(query, refined)
            closeness = compare(rough, anchor_canon[0], anchor)
            rough_min = ROUGH_MIN if final else rough_min
        if closeness.similarity < rough_min:
            return _not_close(closeness, final)
    alignment = refine(query, alignment, anchor_canon[0], rough) if refined is None else refined
    aligned = warp(query, alignment)
    if aligned.cover < MIN_COVER:
        return Miss(f"the picture shows {aligned.cover:.0%} of an item at most", kind="part",
                    facts=(("share", f"{aligned.cover:.0%}"),))
    near = index.rank_masked(*_mask_thumb(aligned), TWINS)  # the first CONTENDERS: contenders
    tokens.read(near[:CONTENDERS])
    contenders = [anchor] + [t for t in near[:CONTENDERS]
                             if t != anchor and tokens.known(t)][:CONTENDERS - 1]
    ranked_likeness = _more([], contenders, aligned, alignment, tokens)
    best = ranked_likeness[0]
    aligned_on = anchor  # the token whose own features made the alignment
    if best.token_id != anchor and best.similarity >= REALIGN_MIN:
        # align on the token itself: look-alikes may differ in layout
        target = tokens.item(best.token_id)
        own = direct(query, target) if alignment.thumbnailed else None
        own = own_alignment(query, target) if own is None else \
            refine(query, own, _canon(target, own.size)[0])
        if own is not None:
            alignment, aligned, aligned_on = own, warp(query, own), best.token_id
            near = index.rank_masked(*_mask_thumb(aligned), TWINS)
            ranked_likeness = _more([], [k.token_id for k in ranked_likeness], aligned, own,
                                    tokens)
            best = ranked_likeness[0]
    # about to be named, its near twins further down the ranking are compared too; not alike
    # but close, or brightened until colours clip (which changes a grey thumbnail), the item may
    # rank lower; neither, the picture is no item's (and its time is spared)
    if not best.alike and best.similarity < SIMILARITY_MIN and not aligned.bright:
        return _not_close(best, final)
    details = index.details
    refused: dict[int, tuple[Miss | None, float]] = {}
    shown_side = _shown_side(alignment)

    def look_alike(likeness: Likeness) -> Miss | None:
        return _refusal(likeness)[0]

    def _refusal(likeness: Likeness) -> tuple[Miss | None, float]:
        if likeness.token_id not in refused:
            token = tokens.item(likeness.token_id)
            # an edition number is read only where the picture shows the item as large as
            # the frame compares it (or as its own file, when smaller)
            legible = shown_side >= MARK_SHOWN * min(CANON, max(token.width, token.height))
            refused[likeness.token_id] = _look_alike(likeness, aligned, details, legible)
        return refused[likeness.token_id]

    # a look-alike of every contender alike is no copy of any: said before the near twins are
    # read and weighed (most of a look-alike's time; in benchmarks/copies.py, no copy's item
    # was a near twin below contenders all refused), unless the picture seems recoloured (a
    # brightened copy's item may rank low: the index is ranked again below)
    alike = [k for k in ranked_likeness if k.alike]
    refusal = look_alike(alike[0]) if alike else None
    if refusal is not None and all(look_alike(k) is not None for k in alike) and not (
            aligned.bright or _recoloured(alike[0].tone_map)):
        return refusal
    ranked_likeness = _more(ranked_likeness, near, aligned, alignment, tokens)
    unclipped = True  # the index not yet ranked again without clipped cells (below)
    # ... and so of every token alike, once the index ranked again without clipped cells adds
    # no token that is not one, when the picture seems recoloured
    alike = [k for k in ranked_likeness if k.alike]
    if alike and all(look_alike(k) is not None for k in alike):
        if aligned.bright or _recoloured(alike[0].tone_map):
            ranked_likeness = _ranked_unclipped(ranked_likeness, index, aligned, alignment,
                                                tokens) or ranked_likeness
            unclipped = False
            alike = [k for k in ranked_likeness if k.alike]
        if all(look_alike(k) is not None for k in alike):
            first = look_alike(alike[0])
            assert first is not None
            return first

    noises: dict[int, float] = {}

    def apart(one: Likeness, other: Likeness) -> bool:
        """Told apart pixel by pixel where the two differ, once each is recoloured as the
        picture; or `other` so much farther on average that it is no near twin; or the
        picture shows another of the collection's details than `other` has (an edition
        number too small for the pixel vote), and none than `one` has."""
        if other.difference >= FAR_RATIO * one.difference + FAR_GAP:
            return True
        if other.alike and look_alike(other) is not None and look_alike(one) is None \
                and _refusal(one)[1] >= lookalike.MARK_SURE:
            return True
        if one.token_id not in noises:
            noises[one.token_id] = _noise(one, aligned)
        return favours(one, other, aligned, differing(
            _canon(tokens.item(one.token_id), alignment.size)[1],
            _canon(tokens.item(other.token_id), alignment.size)[1]), noises[one.token_id])

    while True:
        best, twin = ranked_likeness[0], None
        # the closest on average may be a near twin of the item, which the picture favours
        # where the two differ (a grey-scale copy's greys, an edition number): that one is
        # named, if it is told apart from every other in turn
        for _ in range(SWAPS + 1 if best.alike else 0):
            twin = next((k for k in ranked_likeness if k is not best and not apart(best, k)),
                        None)
            if twin is None or not twin.alike or not apart(twin, best):
                break
            best, twin = twin, best  # the one given way to is told apart in the next pass
        # one whose details the picture does not show may be a look-alike of the item, when
        # the item ranked low (below)
        refusal = look_alike(best) if best.alike and twin is None else None
        if best.alike and twin is None and (refusal is None or not unclipped):
            break
        # brightness raised until colours clip changes the grey thumbnail where they do: the
        # item may rank low; the index is ranked again without those cells, once, when the
        # closest is close (a picture of no item seldom is: its time is spared)
        more = _ranked_unclipped(ranked_likeness, index, aligned, alignment, tokens) \
            if unclipped and (best.similarity >= SIMILARITY_MIN or aligned.bright) else None
        if more is None:
            if refusal is not None:
                return refusal
            if not best.alike:
                return _not_close(best, final)
            assert twin is not None
            return _pair(best, twin, aligned, alignment, tokens.item,
                         "what tells them apart is hidden or changed", sharper=True)
        ranked_likeness, unclipped = more, False
    runner_up = next(k for k in ranked_likeness if k is not best) if len(
        ranked_likeness) > 1 else None
    original = tokens.item(best.token_id)
    canon = _canon(original, alignment.size)[0]
    refusal = look_alike(best) or _sharper(aligned, alignment, best, original)
    if refusal is not None:
        return refusal
    # an alignment (on another token, or on `best` itself) may be wrong in a way that favours
    # `best` over the item the picture shows: each near twin, aligned on its own features, must
    # remain farther from the picture than `best` on its own (an ECC refinement favours the item
    # it refines on, so each is judged on its own alignment, neither on the other's). An
    # alignment from the thumbnails (a whole picture, neither cropped nor skewed, brought close
    # to the item) has no features' rotation or shear to go wrong: its twins were told apart above
    # (the inliers are compared first: only a twin whose features line up better is refined and
    # compared, and `best` on its own alignment only then)
    mine: Likeness | None = best if aligned_on == best.token_id else None
    mine_found: Alignment | None = None  # `best`'s own, unrefined: asked once a twin lines up
    mine_inliers = alignment.inliers if mine is not None else -1
    challengers = [] if alignment.thumbnailed else [
        k for k in ranked_likeness if k is not best and k.alike]
    for other in challengers[:CHALLENGERS]:
        if other.token_id == aligned_on:
            found, theirs_inliers = None, alignment.inliers
        else:
            found = lined_up(query, tokens.item(other.token_id))
            if found is None:
                continue
            theirs_inliers = found.inliers
        if mine_inliers < 0:
            mine_found = lined_up(query, original)
            if mine_found is None:
                mine = best
            mine_inliers = alignment.inliers if mine_found is None else mine_found.inliers
        if theirs_inliers <= mine_inliers:
            continue
        if found is None:
            theirs = other
        else:
            found = refine(query, found, _canon(tokens.item(other.token_id), found.size)[0])
            theirs = compare(warp(query, found), _canon(tokens.item(other.token_id), found.size)[0],
                             other.token_id)
        if mine is None:
            assert mine_found is not None
            own = refine(query, mine_found, _canon(original, mine_found.size)[0])
            mine = compare(warp(query, own), _canon(original, own.size)[0], best.token_id)
        # the twin's features line up with the picture better, and it is clearly nearer there
        if theirs.difference <= mine.difference and told_apart(theirs, mine):
            return _pair(best, other, aligned, alignment, tokens.item,
                         f"lined up on its own, token {other.token_id} is nearer")
    transform = guess_transform(query, alignment, aligned, canon, original.width, best)
    return Match(best.token_id, best.similarity, transform, runner_up, best.mismatch)


def _sharper(aligned: Aligned, alignment: Alignment, best: Likeness,
             original: Item) -> Miss | None:
    """The Miss of a picture that shows detail token `best`'s image (`original`) does not have
    (:func:`excess_detail`): not a copy of it; None otherwise."""
    canon = _canon(original, alignment.size)[0]
    if excess_detail(aligned, canon, max(original.width, original.height),
                     _shown_side(alignment)) <= EXCESS_MAX:
        return None
    return Miss(f"the picture shows detail token {best.token_id}'s {original.width}x"
                f"{original.height} image does not have: not a copy of it", best,
                kind="sharper", facts=(("token", str(best.token_id)),
                                       ("width", str(original.width)),
                                       ("height", str(original.height))))


def _look_alike(best: Likeness, aligned: Aligned, details: Details,
                legible: bool) -> tuple[Miss | None, float]:
    """The Miss of a picture that shows, where one of the collection's details lies, another
    variant of it than token `best`'s own, or (when its marks are `legible`: shown large
    enough) another edition number (:mod:`.lookalike`): another item drawn from the same parts
    (a look-alike), not a copy; None otherwise. With it, the least correlation of the picture
    with the token's marks (1 when none was read: :func:`.lookalike.remarked`)."""
    if best.predicted is None or best.tone_map is None or not details.parts:
        return None, 1.0
    level = max(GAP_MIN, NOISE_TIMES * _noise(best, aligned))
    mark, least = lookalike.remarked(aligned.levels01, aligned.mask, best.predicted,
                                     details) if legible else (None, 1.0)
    variant = None if mark is not None else lookalike.replaced(
        aligned.levels01, aligned.mask, best.predicted, best.tone_map, level, details)
    if mark is None and variant is None:
        return None, least
    w, h = details.size
    part = mark or variant
    assert part is not None
    across = f"{(part.left + part.width / 2) / w:.0%}"
    down = f"{(part.top + part.height / 2) / h:.0%}"
    facts = (("token", str(best.token_id)), ("across", across), ("down", down))
    if mark is not None:
        return Miss(f"the picture does not show token {best.token_id}'s own mark (its edition "
                    f"number, {across} across, {down} down): another item's picture, or the "
                    "mark is covered; not named a copy of it", best, kind="mark", facts=facts,
                    final=not aligned.bright), least
    return Miss(f"the picture shows another of the collection's details than token "
                f"{best.token_id} has, or none ({across} across, {down} down): another item's "
                "picture, not a copy of it", best, kind="variant", facts=facts,
                final=not aligned.bright), least


def _recoloured(tone_map: tone.Tone | None) -> bool:
    """Whether `tone_map` changes colours (RECOLOURED): not the identity, nearly."""
    return tone_map is not None and (abs(tone_map.slope - 1) > RECOLOURED or abs(
        tone_map.gain - 1) > RECOLOURED or abs(tone_map.offset) > RECOLOURED / 3)


def _not_close(closest: Likeness | None, final: bool = False) -> Miss:
    """The Miss of a picture no token compared comes close enough to (`closest`: the closest;
    `final`: :attr:`Miss.final`)."""
    return Miss(f"{NO_ITEM} matches the picture closely enough", closest, kind="not_close",
                final=final)


def _moved(one: Alignment, other: Alignment) -> float:
    """How far the item's corners lie apart under two alignments, at most, in pixels of the
    canonical frame."""
    apart = float(np.abs(_item_corners(one) - _item_corners(other)).max())
    return apart * max(one.size) / max(_shown_side(one), 1.0)


def _shown_side(alignment: Alignment) -> float:
    """The item's longer side as the picture shows it, in the picture's pixels."""
    corners = _item_corners(alignment)
    return max(float(np.linalg.norm(corners[1] - corners[0])),
               float(np.linalg.norm(corners[3] - corners[0])))


def _twins(aligned: Aligned, differ: NDArray[np.bool_],
           visible: NDArray[np.bool_] | None = None) -> bool:
    """Whether the picture may show either of two tokens that differ where `differ` says, what
    tells them apart hidden: they are near twins (differing in at most TWIN_SHARE of what the
    picture covers), and the picture shows at most SHOWN_MAX of where they differ (a crop cut
    it off), or of where they look different recoloured as the picture is (`visible`: a grey
    copy of twins that differ in hue only shows nothing that tells them apart). Where it shows
    that and still tells neither, it shows something neither has (another charm, another lid:
    a look-alike of another seed), or hides it under an overlay: it is named no copy of
    either."""
    covered = max(1, int(np.count_nonzero(aligned.mask)))
    shown = int(np.count_nonzero(differ & aligned.mask))
    seen = shown if visible is None else int(np.count_nonzero(visible & aligned.mask))
    return shown <= TWIN_SHARE * covered and seen <= SHOWN_MAX * int(np.count_nonzero(differ))


def _visible(best: Likeness, other: Likeness, differ: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Where two tokens that differ (`differ`) still look different once each is recoloured as
    the picture (their fitted tone maps): by more than GAP_MIN, as the pixel vote holds them."""
    if best.predicted is None or other.predicted is None \
            or best.predicted.shape != other.predicted.shape:
        return differ
    gap = _plane(cv2.transform(cv2.absdiff(best.predicted, other.predicted), _MEAN3))
    return differ & (gap > GAP_MIN)


def _pair(best: Likeness, twin: Likeness, aligned: Aligned, alignment: Alignment,
          item: Callable[[int], Item], why: str, sharper: bool = False) -> Miss:
    """The Miss of a picture told apart from neither `best` nor `twin`: a copy of
    either when they are near twins and what tells them apart is cut off (:func:`_twins`),
    too small to tell when it shows the item smaller than the comparison's frame (CANON) and
    the item's own file, else a copy of neither (`why`: why they are not told apart). With
    `sharper`, a copy of either is first held to what a copy of one is (:func:`_sharper`: no
    detail its image lacks), when `best` was not yet."""
    original, other = item(best.token_id), twin.token_id
    differ = differing(_canon(original, alignment.size)[1],
                       _canon(item(other), alignment.size)[1])
    twins = _twins(aligned, differ, _visible(best, twin, differ))
    more = _sharper(aligned, alignment, best, original) if twins and sharper else None
    if more is not None:
        return more
    shown = round(_shown_side(alignment))
    needed = min(CANON, max(original.width, original.height))
    pair = f"token {best.token_id} or token {other}"
    if shown < needed:
        # smaller copies than `needed` are often named: it is a size that certainly does
        said = (f"the picture could be {pair}: it shows the item {shown} pixels across, too "
                "small to tell them apart") if twins else (
            f"the picture shows an item {shown} pixels across, too small to tell which")
        return Miss(f"{said} (at least {needed} pixels would certainly do)", best,
                    (best.token_id, other) if twins else (), shown, needed)
    if not twins:
        return _not_close(best)
    return Miss(f"the picture could be {pair}: {why}", best, (best.token_id, other))


def _unclipped(index: CopiesIndex, aligned: Aligned) -> list[int]:
    """The index ranked (TWINS) by the aligned picture's thumbnail without the cells where
    colours may have been clipped; none when there are none, or too few cells remain."""
    thumb, cover = _mask_thumb(aligned)
    clipped = cv2.resize((_channel_max(aligned.rgb) >= CLIP_LEVEL).astype(np.float32),
                         (THUMB, THUMB), interpolation=cv2.INTER_AREA) > CLIPPED_MAX
    kept = cover & ~clipped
    if not clipped.any() or int(kept.sum()) < CELLS_MIN:
        return []
    return index.rank_masked(thumb, kept, TWINS)


def _ranked_unclipped(ranked: list[Likeness], index: CopiesIndex, aligned: Aligned,
                      alignment: Alignment, tokens: _Tokens) -> list[Likeness] | None:
    """`ranked` and the tokens the index ranks without clipped cells (:func:`_unclipped`)
    compared too (:func:`_more`); None when it ranks none that `ranked` lacks."""
    compared = {k.token_id for k in ranked}
    new = [t for t in _unclipped(index, aligned) if t not in compared]
    return _more(ranked, new, aligned, alignment, tokens) if new else None


def _more(ranked: list[Likeness], token_ids: list[int], aligned: Aligned, alignment: Alignment,
          tokens: _Tokens) -> list[Likeness]:
    """`ranked` and the tokens `token_ids` not yet in it (read together) compared, closest
    first. Each is first compared at half scale (a quarter of the pixels), with the closest of
    `ranked` too: one FAR_RATIO times as far as the closest there, plus FAR_GAP, is no near
    twin, and is left out."""
    compared = {k.token_id for k in ranked}
    new = [t for t in dict.fromkeys(token_ids) if t not in compared]
    tokens.read(new)
    new = [t for t in new if tokens.known(t)]
    if len(new) + min(len(ranked), 1) > 1:
        small = aligned.halved
        rough = {t: compare(small, _halved(tokens.item(t), alignment.size), t).difference
                 for t in new + [k.token_id for k in ranked[:1]]}
        closest = min(rough.values())
        new = [t for t in new if rough[t] < FAR_RATIO * closest + FAR_GAP]
    return sorted(ranked + [compare(aligned, _canon(tokens.item(t), alignment.size)[0], t)
                            for t in new],
                  key=lambda k: (k.difference, k.token_id))


def _halved(item: Item, size: tuple[int, int]) -> Rgb:
    """`item`'s image in the canonical frame `size`, then at half scale (as
    :attr:`Aligned.halved`)."""
    canon = _canon(item, size)[0]
    if canon is item.canon:
        return item.halved
    return _half(canon)


def _half(rgb: Rgb) -> Rgb:
    h, w = rgb.shape[:2]
    return np.asarray(cv2.resize(rgb, (max(1, w // 2), max(1, h // 2)),
                                 interpolation=cv2.INTER_AREA), dtype=np.uint8)


def guess_transform(query: Query, alignment: Alignment, aligned: Aligned, canon: Rgb,
                    item_width: int, best: Likeness | None = None) -> str:
    """The likeliest way the picture was made from the item (`canon`: its image in the
    alignment's canonical frame; `best`: how the aligned picture compares with it): one of
    :data:`~nft_toolkit.copies.transform.KINDS`, a best guess for people
    (:func:`nft_toolkit.copies.transform.guess`). A picture showing the item smaller than its
    frame is compared with the item reduced to that size: its blur is no recolouring."""
    corners = _item_corners(alignment)
    shown = round(_shown_side(alignment))
    sharper = shown < max(canon.shape[:2]) - 1  # the frame holds detail the picture lacks
    return guess(Evidence(
        corners, query.grey, query.picture.width, alignment.mirrored, alignment.thumbnailed,
        aligned.rgb, aligned.mask, _reduced(canon, max(1, shown)) if sharper else canon,
        item_width, None if best is None or sharper else best.predicted,
        0.0 if best is None else best.mismatch))
