"""The built-in theme: every animal and every trait value draws something of its own."""

from __future__ import annotations

import hashlib

from PIL import Image

from nft_toolkit.art.calendar import ANIMALS, animal_of, element_of
from nft_toolkit.art.render import compose, encode_png
from nft_toolkit.art.zodiac.theme import WEIGHTS, ZodiacArtwork

PIXELS = 96


def card(art: ZodiacArtwork, token_id: int = 1, **traits: str) -> Image.Image:
    base = {"Zodiac": "Horse", "Element": "Fire", "Background": "Imperial Red",
            "Pattern": "Plain", "Frame": "Gold Ring", "Finish": "Natural", "Accessory": "None",
            "Lucky Charm": "Lucky Coin", **traits}
    choice = tuple(layer.index(base[layer.name]) for layer in art.space.layers)
    return compose(art.size, art.sprites(choice, token_id))


def digest(image: Image.Image) -> str:
    return hashlib.sha256(image.tobytes()).hexdigest()


def test_calendar() -> None:
    assert [animal_of(y) for y in (2020, 2021, 2024, 2026, 2031)] == \
        ["Rat", "Ox", "Dragon", "Horse", "Pig"]
    assert [element_of(y) for y in (2024, 2025, 2026, 2028, 2030, 2032)] == \
        ["Wood", "Wood", "Fire", "Earth", "Metal", "Water"]


def test_each_of_the_twelve_animals_is_drawn_differently() -> None:
    art = ZodiacArtwork(2026, PIXELS, 12, all_animals=True)
    cards = [card(art, Zodiac=a) for a in ANIMALS]
    assert len({digest(c) for c in cards}) == 12
    # The animal sits in the medallion: its centre differs from the empty card's.
    for c in cards:
        assert c.mode == "RGB" and c.size == (PIXELS, PIXELS)


def test_every_trait_value_changes_the_card() -> None:
    art = ZodiacArtwork(2026, PIXELS, 10)
    plain = digest(card(art))
    for trait, values in WEIGHTS.items():
        seen = {digest(card(art, **{trait: v})) for v in values}
        assert len(seen) == len(values), trait
        assert plain in seen  # the base card is one of them


def test_serial_number_is_drawn_per_item() -> None:
    art = ZodiacArtwork(2026, PIXELS, 10)
    assert digest(card(art, 1)) != digest(card(art, 2))
    assert encode_png(card(art, 3)) == encode_png(card(ZodiacArtwork(2026, PIXELS, 10), 3))


def test_year_mode_has_one_animal_and_all_mode_twelve() -> None:
    assert ZodiacArtwork(2026, PIXELS, 1).space.layers[0].traits[0].name == "Horse"
    assert len(ZodiacArtwork(2026, PIXELS, 1).space.layers[0].traits) == 1
    assert len(ZodiacArtwork(2026, PIXELS, 1, all_animals=True).space.layers[0].traits) == 12
