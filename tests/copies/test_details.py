"""The collection's details (issue 12): found by the generator in its items' sprites
(nft_toolkit/art/details.py), written by `generate` into build/copies-details.bin, kept by `pin`
in the copies index (version 2), and parsed back from hostile bytes within bounds."""

from __future__ import annotations

import json
import struct
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nft_toolkit.art.details import collection_details
from nft_toolkit.art.generate import Item, artwork_for, generate, plan_items
from nft_toolkit.art.layers import SCALING
from nft_toolkit.art.png import encode_png
from nft_toolkit.art.render import Sprite
from nft_toolkit.copies.details import CANON, DETAILS_MAX, NONE, Detail, Details
from nft_toolkit.copies.index import MAGIC, THUMB, CopiesIndex, encode
from nft_toolkit.copies.likeness import canonical
from nft_toolkit.errors import InputError
from nft_toolkit.project import Project
from tests.support.art import make_project

HASHLIPS = Path(__file__).resolve().parents[1] / "data" / "hashlips" / "layers"
HASHLIPS_ORDER = ["Background", "Eyeball", "Eye color", "Iris", "Shine", "Bottom lid", "Top lid"]
ZODIAC_ITEMS = 12


@pytest.fixture(scope="module")
def zodiac(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(make_project(tmp_path_factory.mktemp("details") / "z", size=ZODIAC_ITEMS,
                                   image_size=384, seed=11))
    generate(project.load_config(), project.build_dir, workers=1)
    return project


def details_of(project: Project) -> Details:
    return CopiesIndex.parse(project.copies_details_path.read_bytes()).details


def traits(project: Project, tid: int) -> dict[str, str]:
    meta = json.loads((project.metadata_dir / f"{tid}.json").read_text())
    return {a["trait_type"]: a["value"] for a in meta["attributes"]}


def shown(project: Project, tid: int, part: Detail) -> float:
    """How far token `tid`'s image, in the canonical frame, is from `part` where the part is
    opaque (mean absolute difference of RGB levels)."""
    rgb = np.asarray(Image.open(project.images_dir / f"{tid}.png").convert("RGB"))
    frame = canonical(rgb, details_of(project).size)
    left, top, right, bottom = part.box
    assert part.rgba is not None
    opaque = part.rgba[..., 3] == 255
    there = frame[top:bottom, left:right].astype(np.int16)
    return float(np.abs(there - part.rgba[..., :3].astype(np.int16))[opaque].mean())


def test_a_zodiac_collection_has_its_charms_and_accessories_and_one_own_mark(
        zodiac: Project) -> None:
    details = details_of(zodiac)
    assert details.size == (CANON, CANON)
    # the plaque with its edition number: every item's own (box only), at the card's foot
    (mark,) = details.marks
    s = CANON / 1000
    left, top, right, bottom = mark.box
    assert left <= 292 * s + 1 and right >= 708 * s - 1 and top >= 837 * s - 1
    assert bottom <= 929 * s + 2
    # where the items' plates differ: the edition number's digits ("No. 01 / 12"), on the
    # plaque's lower line; not the year above it, nor " / 12"
    assert mark.varies is not None and mark.varies.shape == (mark.height, mark.width)
    rows = np.flatnonzero(mark.varies.any(axis=1))
    cols = np.flatnonzero(mark.varies.any(axis=0))
    assert rows.size and rows.min() >= mark.height // 2
    assert 0.35 * mark.width < cols.min() and cols.max() < 0.6 * mark.width
    # each variant is shown, where it is opaque, by the items whose trait draws it and by no
    # other: the charms' and the accessories' pixels in the frame verify-file compares in
    charms = {traits(zodiac, t)["Lucky Charm"] for t in range(1, ZODIAC_ITEMS + 1)}
    accessories = {traits(zodiac, t)["Accessory"] for t in range(1, ZODIAC_ITEMS + 1)} - {"None"}
    assert len(details.variants) == len(charms) + len(accessories)
    drawn_by: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for tid in range(1, ZODIAC_ITEMS + 1):
        mine = traits(zodiac, tid)
        close = [n for n, part in enumerate(details.variants) if shown(zodiac, tid, part) < 10]
        assert len(close) == 1 + (mine["Accessory"] != "None"), (tid, close)
        for n in close:
            charm = details.variants[n].left > CANON * 0.7  # the charm's corner
            drawn_by[n].add(("Lucky Charm", mine["Lucky Charm"]) if charm
                            else ("Accessory", mine["Accessory"]))
    assert all(len(names) == 1 for names in drawn_by.values()), drawn_by  # one trait each
    assert len(drawn_by) == len(details.variants)


def test_details_are_the_same_bytes_for_the_same_artwork(zodiac: Project) -> None:
    config = zodiac.load_config()
    artwork = artwork_for(config, ZODIAC_ITEMS)
    again = collection_details(artwork, plan_items(config, artwork, ZODIAC_ITEMS, config.seed))
    assert encode([], again) == zodiac.copies_details_path.read_bytes()


def test_a_hashlips_layer_sets_details_are_its_small_layers(tmp_path: Path) -> None:
    # of HashLips' sample layers only the small iris covers at most 1/8 of the canvas: one
    # variant (items with another iris lack it), its pixels the layer's own at this scale
    project = Project(make_project(tmp_path / "h", size=20, image_size=CANON,
                                   layers={"dir": str(HASHLIPS), "order": HASHLIPS_ORDER}))
    generate(project.load_config(), project.build_dir, workers=1)
    irises = {traits(project, t)["Iris"] for t in range(1, 21)}
    assert "Small" in irises and len(irises) > 1
    details = details_of(project)
    assert details.size == (CANON, CANON) and not details.marks
    (iris,) = details.variants
    with Image.open(HASHLIPS / "Iris" / "Small#60.png") as im:
        layer = im.convert("RGBA").resize((CANON, CANON), SCALING)
    box = layer.getchannel("A").getbbox()
    assert iris.box == box
    expected = np.asarray(layer.crop(box)).astype(np.int16)
    assert iris.rgba is not None
    assert np.array_equal(iris.rgba[..., 3], expected[..., 3])
    seen = expected[..., 3] >= 32  # colour divided by a small alpha rounds coarsely
    assert np.abs(iris.rgba[..., :3].astype(np.int16) - expected[..., :3])[seen].max() <= 2


# -- the index's format -------------------------------------------------------------------------

def made_details() -> Details:
    rng = np.random.default_rng(5)
    charm = rng.integers(0, 256, (10, 12, 4), dtype=np.uint8)
    other = rng.integers(0, 256, (9, 12, 4), dtype=np.uint8)
    varies = np.zeros((20, 100), bool)
    varies[5:15, 60:90] = True  # an edition number's digits
    return Details((CANON, 192), (Detail(40, 150, 100, 20, varies=varies),
                                  Detail(200, 150, 12, 10, charm),
                                  Detail(201, 151, 12, 9, other)))


THUMBS = [np.full((THUMB, THUMB), v, np.uint8) for v in (10, 200, 90)]


def test_details_round_trip_and_give_the_same_bytes() -> None:
    details = made_details()
    data = encode(THUMBS, details)
    index = CopiesIndex.parse(data)
    assert index.size == 3 and index.thumbs[1][0] == 200
    assert index.details.size == details.size
    for got, want in zip(index.details.parts, details.parts, strict=True):
        assert got.box == want.box
        assert (got.rgba is None) == (want.rgba is None)
        assert got.rgba is None or want.rgba is None or np.array_equal(got.rgba, want.rgba)
        assert (got.varies is None) == (want.varies is None)
        assert got.varies is None or np.array_equal(got.varies, want.varies)
    assert encode(THUMBS, index.details) == data  # a re-pin: the same bytes, the same CID


def test_an_index_without_details_is_version_1_and_a_version_1_index_parses() -> None:
    data = encode(THUMBS)
    assert json.loads(data[12:12 + struct.unpack(">I", data[8:12])[0]])["version"] == 1
    # an index pinned before version 2, written by hand as the format then stated
    header = b'{"format":"nft-toolkit copies index","thumb":16,"tokens":3,"version":1}'
    old = MAGIC + struct.pack(">I", len(header)) + header + b"".join(t.tobytes() for t in THUMBS)
    index = CopiesIndex.parse(old)
    assert index.size == 3 and index.details is NONE and not index.details.parts
    assert old == data


def forged(edit) -> bytes:  # type: ignore[no-untyped-def]
    """A valid index with details, its header (a dict) and PNGs (a list) changed by `edit`."""
    data = encode(THUMBS, made_details())
    length = struct.unpack(">I", data[8:12])[0]
    header = json.loads(data[12:12 + length])
    body = data[12 + length:]
    thumbs, rest = body[:3 * THUMB * THUMB], body[3 * THUMB * THUMB:]
    sizes = [p[5] for p in header["details"]["parts"]]
    pngs = [rest[sum(sizes[:n]):sum(sizes[:n + 1])] for n in range(len(sizes))]
    edit(header, pngs)
    text = json.dumps(header).encode()
    return MAGIC + struct.pack(">I", len(text)) + text + thumbs + b"".join(pngs)


def outside(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"][0][0] = CANON - 50  # 100 wide from 206 in a 256 frame


def png_larger_than_its_box(header, pngs) -> None:  # type: ignore[no-untyped-def]
    pngs[1] = encode_png(Image.new("RGBA", (4000, 3000)))  # a small file, many pixels
    header["details"]["parts"][1][5] = len(pngs[1])


def too_many_parts(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"] += [[0, 0, 1, 1, "mark", 1]] * DETAILS_MAX


def length_too_long(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"][2][5] += 1


def length_too_short(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"][1][5] -= 1


def length_too_large(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"][1][5] = 1 << 40


def not_the_canonical_frame(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["size"] = [40000, 40000]


def truncated_png(header, pngs) -> None:  # type: ignore[no-untyped-def]
    pngs[2] = pngs[2][:-30]
    header["details"]["parts"][2][5] = len(pngs[2])


def box_of_booleans(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"][0][0] = True


def grey_png(header, pngs) -> None:  # type: ignore[no-untyped-def]
    pngs[1] = encode_png(Image.new("RGB", (12, 10)))
    header["details"]["parts"][1][5] = len(pngs[1])


def mark_in_colour(header, pngs) -> None:  # type: ignore[no-untyped-def]
    pngs[0] = encode_png(Image.new("RGBA", (100, 20)))
    header["details"]["parts"][0][5] = len(pngs[0])


def unknown_kind(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"][1][4] = "sticker"


def parts_not_a_list(header, pngs) -> None:  # type: ignore[no-untyped-def]
    header["details"]["parts"] = {"0": 1}


@pytest.mark.parametrize("edit, says", [
    (outside, "part 0's box [206, 150, 100, 20] is outside the 256x192 frame"),
    (png_larger_than_its_box, "part 1 is a PNG of 4000x3000 (RGBA), not one of its box's "
                              "12x10 (RGBA)"),
    (too_many_parts, f"{DETAILS_MAX + 3} parts, over {DETAILS_MAX}"),
    (length_too_long, "part 2 runs past the end"),
    (length_too_short, "part 2 is not a PNG that decodes"),
    (length_too_large, "part 1 runs past the end"),
    (not_the_canonical_frame, f"a frame of 40000x40000, not {CANON} on its longer side"),
    (truncated_png, "part 2 is not a PNG that decodes"),
    (box_of_booleans, "part 0 is not [left, top, width, height, kind, bytes]"),
    (grey_png, "part 1 is a PNG of 12x10 (RGB), not one of its box's 12x10 (RGBA)"),
    (mark_in_colour, "part 0 is a PNG of 100x20 (RGBA), not one of its box's 100x20 (L)"),
    (unknown_kind, "part 1 is not [left, top, width, height, kind, bytes]"),
    (parts_not_a_list, "no frame or parts")])
def test_hostile_details_are_one_line(edit, says: str) -> None:  # type: ignore[no-untyped-def]
    data = forged(edit)
    with pytest.raises(InputError) as caught:
        CopiesIndex.parse(data, "the copies index bafy")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("the copies index bafy is not an ")
    assert says in message


def test_the_forgery_itself_parses() -> None:  # the hostile cases above differ only by their edit
    assert len(CopiesIndex.parse(forged(lambda header, pngs: None)).details.parts) == 3


def test_details_past_the_bounds_are_not_written() -> None:
    many = Details((CANON, CANON), (Detail(0, 0, 1, 1, varies=np.ones((1, 1), bool)),)
                   * (DETAILS_MAX + 1))
    with pytest.raises(ValueError, match="parts"):
        encode(THUMBS, many)
    unsaid = Details((CANON, CANON), (Detail(0, 0, 4, 4),))  # an own mark without its varies
    with pytest.raises(ValueError, match="does not say where items' marks differ"):
        encode(THUMBS, unsaid)


# -- the rules, on an artwork made for them -----------------------------------------------------

class Drawn:
    """An artwork of 512 x 512 whose items draw, by their choice (charm, hat, extra): a
    background, a title every item has, a plate of their own (their token ID's colour), one of
    three charms, a hat or none, a large banner, a small multiplied seal, and `extra` variants
    of a badge (overlapping one another: one slot)."""

    size = (512, 512)
    space = None

    def __init__(self, badges: int = 0, split_plate: bool = False) -> None:
        self.badges, self.split_plate = badges, split_plate
        self.background = Sprite(Image.new("RGBA", self.size, (20, 30, 40, 255)))
        self.title = Sprite(Image.new("RGBA", (200, 20), (250, 250, 250, 255)), (150, 10))
        self.charms = [Sprite(Image.new("RGBA", (30, 30), (200, 40 * n, 0, 255)), (440, 440))
                       for n in range(3)]
        self.hat = Sprite(Image.new("RGBA", (60, 20), (0, 0, 200, 128)), (220, 60))
        self.banner = Sprite(Image.new("RGBA", (400, 100), (9, 9, 9, 255)), (50, 200))
        self.seal = Sprite(Image.new("RGBA", (10, 10), (9, 200, 9, 255)), (20, 450),
                           "multiply")

    def sprites(self, choice: tuple[int, ...], token_id: int) -> list[Sprite]:
        charm, hat, badge = choice
        plate = Image.new("RGBA", (40, 12), (90, 60, 7, 255))  # its number: 6 x 4 at (20, 4)
        plate.paste((token_id % 256, token_id // 256, 7, 255), (20, 4, 26, 8))
        plates = ([Sprite(plate.crop((0, 0, 24, 12)), (236, 480)),
                   Sprite(plate.crop((16, 0, 40, 12)), (252, 480))] if self.split_plate
                  else [Sprite(plate, (236, 480))])
        out = [self.background, self.title, *plates, self.charms[charm], self.banner, self.seal]
        if hat:
            out.append(self.hat)
        if self.badges:  # badge n: 4 x 4 at (10 + n % 64, 10), its own colour
            out.append(Sprite(Image.new("RGBA", (4, 4), (badge % 256, badge // 256, 1, 255)),
                              (10 + badge % 64, 10)))
        return out

    def render(self, choice: tuple[int, ...], token_id: int) -> Image.Image:
        raise AssertionError("not drawn")


def drawn_items(n: int, badges: int = 1) -> list[Item]:
    return [Item(t, (), str(t), choice=(t % 3, t % 2, t % badges)) for t in range(1, n + 1)]


def test_the_rules_own_marks_variants_and_what_is_no_detail() -> None:
    art = Drawn()
    items = drawn_items(9) + [Item(10, (), "1-of-1", one_of_one=object())]  # type: ignore[arg-type]
    details = collection_details(art, items)  # type: ignore[arg-type]
    assert details.size == (CANON, CANON)
    (plate,) = details.marks
    assert plate.box == (118, 240, 138, 246)  # (236, 480) 40 x 12 at half scale
    # where items' plates differ: their number, (256, 484) 6 x 4 on the canvas, at half scale
    expected = np.zeros((6, 20), bool)
    expected[2:4, 10:13] = True
    assert plate.varies is not None and np.array_equal(plate.varies, expected)
    # three charms (one slot) and the hat (on some items only); not the title (the same on
    # every item), the banner (over 1/8 of the canvas), the seal (multiplied), the background
    boxes = sorted(d.box for d in details.variants)
    assert boxes == [(110, 30, 140, 40)] + [(220, 220, 235, 235)] * 3
    hat = next(d for d in details.variants if d.top == 30)
    assert hat.rgba is not None and hat.rgba.shape == (10, 30, 4)
    # colours not darkened at half alpha: premultiplied, resized, divided again
    assert (hat.rgba[..., 3] == 128).all() and (hat.rgba[..., :3] == (0, 0, 200)).all()
    charms = {tuple(d.rgba[7, 7]) for d in details.variants if d.top == 220 and d.rgba is not None}
    assert charms == {(200, 0, 0, 255), (200, 40, 0, 255), (200, 80, 0, 255)}


def test_a_mark_of_two_sprites_varies_where_one_sprite_of_the_same_pixels_does() -> None:
    items = drawn_items(9)
    whole = collection_details(Drawn(), items).marks  # type: ignore[arg-type]
    split = collection_details(Drawn(split_plate=True), items).marks  # type: ignore[arg-type]
    assert [m.box for m in split] == [m.box for m in whole]
    assert split[0].varies is not None and whole[0].varies is not None
    assert split[0].varies.any() and np.array_equal(split[0].varies, whole[0].varies)


def test_one_item_or_none_has_no_details() -> None:
    assert collection_details(Drawn(), drawn_items(1)).parts == ()  # type: ignore[arg-type]
    assert collection_details(Drawn(), []).parts == ()  # type: ignore[arg-type]


def test_a_slot_of_too_many_variants_is_dropped_whole_and_smaller_ones_kept() -> None:
    # DETAILS_MAX + 1 badges overlapping one another: one slot, over the bound; the plate, the
    # hat and the charms still fit
    art = Drawn(badges=DETAILS_MAX + 1)
    items = drawn_items(2 * (DETAILS_MAX + 1), DETAILS_MAX + 1)
    details = collection_details(art, items)  # type: ignore[arg-type]
    assert len(details.marks) == 1 and len(details.variants) == 4
    assert all(d.top != 5 for d in details.parts)  # no badge
    fewer = collection_details(Drawn(badges=40), drawn_items(80, 40))  # type: ignore[arg-type]
    assert len(fewer.variants) == 4 + 40
