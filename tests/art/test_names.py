"""Layer and trait names: one normal form, the collision key, and weights as the generator uses
them (nft_toolkit.names, nft_toolkit.art.names)."""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nft_toolkit.art.names import weight_of
from nft_toolkit.names import BadName, name_key, normal_name

# Names an artist writes: letters of any script, digits, punctuation, symbols, single spaces.
# Variation selectors (U+FE00..FE0F) are left out like the other invisible marks: normal_name
# refuses U+FE00..FE0D anywhere and the emoji selectors U+FE0E/FE0F where nothing precedes them.
_VISIBLE = st.characters(whitelist_categories=("L", "M", "N", "P", "S"), max_codepoint=0x2FFFF,
                         blacklist_characters="".join(map(chr, range(0xFE00, 0xFE10)))
                         + "\u034f\u3164\uffa0\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f")
names = st.lists(st.text(_VISIBLE, min_size=1, max_size=8), min_size=1, max_size=3).map(" ".join)
spaces = st.text(st.sampled_from(" \t\u00a0\u2003\u3000"), max_size=3)


@settings(max_examples=300, deadline=None)
@given(names)
def test_the_normal_form_is_nfc_and_stable(name: str) -> None:
    normal = normal_name(name)
    assert unicodedata.is_normalized("NFC", normal)
    assert normal_name(normal) == normal
    assert normal == normal.strip() and "  " not in normal


@settings(max_examples=300, deadline=None)
@given(names, spaces, spaces, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_a_name_written_either_way_is_one_name(name: str, before: str, after: str,
                                               form: str) -> None:
    """NFD (macOS file names), surrounding and doubled spaces: the same name, and the same key
    (compatibility forms such as full-width letters may change the name but not the key)."""
    written = before + unicodedata.normalize(form, name).replace(" ", " " + before) + after
    assert name_key(normal_name(written)) == name_key(normal_name(name))
    if form in ("NFC", "NFD"):
        assert normal_name(written) == normal_name(name)


@settings(max_examples=200, deadline=None)
@given(names)
def test_case_only_differences_collide(name: str) -> None:
    """macOS and Windows file systems cannot hold both: Red and red are one trait. (Letters
    whose case pairs fold apart, like Turkish dotless i and I, are different letters.)"""
    assume(name.upper().casefold() == name.lower().casefold() == name.casefold())
    assert name_key(name.upper()) == name_key(name.lower()) == name_key(name.swapcase())


@pytest.mark.parametrize(("a", "b"), [
    ("Frame ", "Frame"), ("Caf\u00e9", "Cafe\u0301"), ("Party  Hat", "Party Hat"),
    ("Red", "red"), ("\uff32ed", "Red"), ("Star\ufe0f", "Star"),
])
def test_look_alikes_share_a_key(a: str, b: str) -> None:
    assert name_key(normal_name(a)) == name_key(normal_name(b))


@pytest.mark.parametrize(("a", "b"), [("Red", "Rod"), ("Café", "Cafe"), ("Hat 1", "Hat 2")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize("char", [
    "\u200b",  # zero-width space
    "\ufeff",  # byte-order mark
    "\u00ad",  # soft hyphen
    "\u200e", "\u202e", "\u2066",  # bidi marks, overrides and isolates
    "\u2060",  # word joiner
    "\u3164",  # Hangul filler (a "letter" that shows nothing)
    "\x00", "\x07", "\x7f",  # control characters
    "\udcff",  # a byte that was not UTF-8, as os.listdir hands it over
])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_invisible_characters_are_refused_by_code_point(char: str, where: str) -> None:
    name = {"start": char + "Red", "middle": "R" + char + "ed", "end": "Red" + char}[where]
    with pytest.raises(BadName, match="invisible character") as info:
        normal_name(name)
    if char != "\udcff":
        assert f"U+{ord(char):04X}" in str(info.value)


@pytest.mark.parametrize("name", ["\U0001F469\u200d\U0001F4BB", "\u2764\ufe0f",
                                  "\U0001F3F3\ufe0f\u200d\U0001F308", "Fire \U0001F525"])
def test_emoji_sequences_are_names(name: str) -> None:
    assert normal_name(name) == name


@pytest.mark.parametrize("name", ["", " ", "\t\u00a0", "\u3000"])
def test_a_blank_name_is_refused(name: str) -> None:
    with pytest.raises(BadName, match="is empty"):
        normal_name(name)


@pytest.mark.parametrize(("raw", "weight"), [
    ("10", 10.0), ("1", 1.0), ("007", 7.0), ("2.5", 2.5), ("0.5", 0.5), (".5", 0.5),
    ("10.", 10.0), ("1" + "0" * 200, 1e200), ("0." + "0" * 200 + "1", 1e-201),
])
def test_hashlips_weights_are_read(raw: str, weight: float) -> None:
    """HashLips writes whole and decimal numbers; both keep working."""
    assert weight_of(raw) == weight


@pytest.mark.parametrize("raw", [
    "1e400", "1e-400", "1e3", "1E3", "inf", "Infinity", "nan", "NaN", "-3", "+5", "0", "0.0",
    "000", "1_000", "0x10", "\u0661\u0660", "\uff11\uff10", " 10", "10 ", "", "1.2.3", ".",
    "1" + "0" * 400, "0." + "0" * 400 + "1",
])
def test_weights_that_are_not_finite_and_above_zero_are_refused(raw: str) -> None:
    with pytest.raises(BadName, match="whole or decimal number above zero"):
        weight_of(raw)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A(?:[0-9]{1,400}(?:\.[0-9]{0,400})?|\.[0-9]{1,400})\Z"))
def test_a_weight_is_accepted_exactly_when_the_generator_can_draw_with_it(raw: str) -> None:
    value = float(raw)
    if math.isfinite(value) and value > 0:
        assert weight_of(raw) == value
    else:
        with pytest.raises(BadName):
            weight_of(raw)
