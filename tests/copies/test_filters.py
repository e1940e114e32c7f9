"""Copies under a phone's colour filter (issue 12, a customer trial: sepia and warm copies of
HashLips eyes were answered `not_an_item`): sepia, warm, cool and vintage change hue, which the
hue-keeping tone map cannot follow; each is a copy of its token, and a near twin (a zodiac card
with another charm, an eye of another colour or lid) is still told apart under it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from nft_toolkit.copies.index import CopiesIndex, encode, thumbnail
from nft_toolkit.copies.likeness import Items, Match, find_copy
from nft_toolkit.copies.picture import Picture, decode
from tests.support.copies import FILTERS, filtered
from tests.support.copy_collection import TWIN, TWIN_OF, build_copy_collection
from tests.support.eyes import eye

# HashLips eyes: pairs of near twins differing in the eye's colour (cyan, pink, green), the
# eyeball (red, white) or the bottom lid
EYES = [eye(ball, colour, iris="Small", bottom=bottom) for ball in ("Red", "White")
        for colour in ("Cyan", "Pink", "Green") for bottom in ("High", "Low")]


def _collection(images: dict[int, bytes]) -> tuple[CopiesIndex, Items]:
    decoded: dict[int, Picture] = {token: decode(data) for token, data in images.items()}
    index = CopiesIndex.parse(encode([thumbnail(decoded[t].rgb) for t in sorted(decoded)]))
    return index, Items(decoded.get)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def eye_collection() -> tuple[CopiesIndex, Items]:
    return _collection({token: _png(image) for token, image in enumerate(EYES, 1)})


@pytest.fixture(scope="module")
def card_collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CopiesIndex, Items]:
    """The copy tests' zodiac collection at 256 px: 8 cards and token 9, token 3's near twin
    (another charm in one corner)."""
    images = build_copy_collection(tmp_path_factory.mktemp("filters") / "c", 256).images_dir
    index, items = _collection({int(p.stem): p.read_bytes() for p in images.glob("*.png")})
    return images, index, items


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_each_eye_is_named_under_each_filter(eye_collection, name: str) -> None:
    """Every eye, each with near twins of another colour, eyeball or lid in the collection."""
    index, items = eye_collection
    named = {}
    for token, image in enumerate(EYES, 1):
        found = find_copy(decode(filtered(name)(image)), index, items)
        named[token] = found.token_id if isinstance(found, Match) else found.reason
    assert named == {token: token for token in named}, named


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_a_zodiac_card_and_its_twin_are_named_under_each_filter(card_collection, name: str) -> None:
    images, index, items = card_collection
    for token in (TWIN_OF, TWIN):
        card = Image.open(images / f"{token}.png").convert("RGB")
        found = find_copy(decode(filtered(name)(card)), index, items)
        assert isinstance(found, Match) and found.token_id == token, (token, found)
        assert found.transform == "recoloured", found.transform
