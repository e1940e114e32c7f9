"""Issue 12, a customer's finding: a phone's screenshot of a Chinese shop page (an orange header,
the item's picture the screen's full width right under it, price, seller and buttons below) was
`not_an_item` for both kinds of collection, zodiac cards and HashLips eyes; chats and Moments
posts frame pictures too. Each such screen (tests/support/copies.APP_SCREENS: phone sizes, PNG
and JPEG, Chinese text) of an item names that item, not its near twin; the same screen around a
picture that is no item (another collection's, random art) names none.

Two small collections, made here: 6 zodiac cards (generated, 384 px) and 6 HashLips eyes (its
sample layers, 512 px; eye 1 and eye 6 differ in the top lid only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from nft_toolkit.art.generate import generate
from nft_toolkit.copies.index import CopiesIndex, encode, thumbnail
from nft_toolkit.copies.likeness import Items, Match, find_copy
from nft_toolkit.copies.picture import Picture, decode
from nft_toolkit.project import Project
from tests.support.art import make_project
from tests.support.copies import APP_SCREENS, png, random_art

LAYERS = Path(__file__).resolve().parent.parent / "data" / "hashlips" / "layers"
EYES = [("White", "Green", "Middle#50"), ("Red", "Green", "Middle#50"),
        ("White", "Cyan", "Middle#50"), ("Red", "Pink", "Middle#50"),
        ("White", "Purple", "Middle#50"), ("White", "Green", "Low#20")]

Collection = tuple[dict[int, Image.Image], CopiesIndex, Items]


def _collection(images: dict[int, Image.Image]) -> Collection:
    decoded: dict[int, Picture] = {t: decode(png(im)) for t, im in images.items()}
    index = CopiesIndex.parse(encode([thumbnail(decoded[t].rgb) for t in sorted(decoded)]))
    return images, index, Items(decoded.get)


def _eye(eyeball: str, colour: str, top: str) -> Image.Image:
    image = Image.open(LAYERS / "Background" / "Black#1.png").convert("RGBA")
    for layer in (f"Eyeball/{eyeball}#50", f"Eye color/{colour}#1", "Iris/Large#20",
                  "Shine/Shapes#100", "Bottom lid/Middle#40", f"Top lid/{top}"):
        image = Image.alpha_composite(image, Image.open(LAYERS / f"{layer}.png").convert("RGBA"))
    return image.convert("RGB")


@pytest.fixture(scope="module")
def zodiac(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    root = make_project(tmp_path_factory.mktemp("zodiac"), size=6, image_size=384, seed=11)
    project = Project(root)
    generate(project.load_config(), project.build_dir, workers=1)
    return _collection({t: Image.open(project.images_dir / f"{t}.png").convert("RGB")
                        for t in range(1, 7)})


@pytest.fixture(scope="module")
def eyes() -> Collection:
    return _collection({t: _eye(*combo) for t, combo in enumerate(EYES, 1)})


@pytest.mark.parametrize("screen", sorted(APP_SCREENS))
def test_an_app_screen_of_an_item_names_it(zodiac: Collection, eyes: Collection,
                                           screen: str) -> None:
    make = APP_SCREENS[screen]
    for (images, index, items), token in ((zodiac, 5), (eyes, 1), (eyes, 6)):
        found = find_copy(decode(make(images[token])), index, items)
        assert isinstance(found, Match), (screen, token, found)
        assert (found.token_id, found.transform) == (token, "screenshot"), (screen, token, found)


@pytest.mark.parametrize("screen", sorted(APP_SCREENS))
def test_the_same_screen_around_no_item_names_none(zodiac: Collection, eyes: Collection,
                                                   screen: str) -> None:
    make = APP_SCREENS[screen]
    art = Image.open(__import__("io").BytesIO(random_art(3, 600))).convert("RGB")
    for (images, index, items), other in ((zodiac, eyes[0][3]), (zodiac, art),
                                          (eyes, zodiac[0][4]), (eyes, art)):
        found = find_copy(decode(make(other)), index, items)
        assert not isinstance(found, Match), (screen, found)
