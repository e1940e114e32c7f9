"""Issue 12, a customer's finding: a phone's screenshot of a Chinese shop page (an orange header,
the item's picture the screen's full width right under it, price, seller and buttons below) was
`not_an_item` for both kinds of collection, zodiac cards and HashLips eyes; chats and Moments
posts frame pictures too. Each such screen (tests/support/copies.APP_SCREENS: phone sizes, PNG
and JPEG, Chinese text) of an item names that item, not its near twin; the same screen around a
picture that is no item (another collection's, random art) names none.

Two small collections, made here: 6 zodiac cards (generated, 384 px) and 6 HashLips eyes (its
sample layers, 512 px; eye 1 and eye 6 differ in the top lid only)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from nft_toolkit.copies.likeness import Match, find_copy
from nft_toolkit.copies.picture import decode
from tests.support.copies import APP_SCREENS, random_art
from tests.support.eyes import eye
from tests.support.small_collections import Collection, collection_of, zodiac_cards

EYES = [("White", "Green", "Middle"), ("Red", "Green", "Middle"), ("White", "Cyan", "Middle"),
        ("Red", "Pink", "Middle"), ("White", "Purple", "Middle"), ("White", "Green", "Low")]


@pytest.fixture(scope="module")
def zodiac(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    return zodiac_cards(tmp_path_factory.mktemp("zodiac"))


@pytest.fixture(scope="module")
def eyes() -> Collection:
    return collection_of({t: eye(ball, colour, top=top) for t, (ball, colour, top)
                          in enumerate(EYES, 1)})


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
    art = Image.open(io.BytesIO(random_art(3, 600))).convert("RGB")
    for (images, index, items), other in ((zodiac, eyes[0][3]), (zodiac, art),
                                          (eyes, zodiac[0][4]), (eyes, art)):
        found = find_copy(decode(make(other)), index, items)
        assert not isinstance(found, Match), (screen, found)
