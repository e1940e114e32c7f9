"""Why the copy finder named no token (:attr:`nft_toolkit.copies.likeness.Miss.reason`, English
text) read back as data for a page in another language: its kind and the facts it names
(which token, where, how much), which :func:`nft_toolkit.web.i18n.detail` words by the
catalogue's ``reason.<kind>``.

The finder says its reasons as text only (no code and parameters as the checks carry): each
pattern below follows one of its sentences in ``nft_toolkit/copies/likeness.py``. A reason no
pattern reads (a sentence added or reworded there) is given as it is, in English, never lost;
``tests/web/test_reason_words.py`` makes real pictures give each kind and checks it is worded.
"""

from __future__ import annotations

import re

# kind -> the English sentence, its facts as named groups (the catalogue's {names})
PATTERNS: dict[str, re.Pattern[str]] = {name: re.compile(rx) for name, rx in {
    "unfaithful": (r"the copies index does not describe token (?P<token>\d+)'s verified image "
                   r"\(not made from the collection's images\): not used"),
    "unlike": (r"the picture resembles no item of the collection \(index correlation "
               r"(?P<correlation>-?[\d.]+)\)"),
    "unaligned": r"no item of the collection lines up with the picture",
    "turned": (r"the picture seems turned by about (?P<degrees>\d+) degrees: a picture turned "
               r"other than by quarter turns is not compared \(its original file, or a "
               r"straight screenshot, can be\)"),
    "not_close": r"no item of the collection matches the picture closely enough",
    "part": r"the picture shows (?P<share>\d+%) of an item at most",
    "sharper": (r"the picture shows detail token (?P<token>\d+)'s (?P<width>\d+)x(?P<height>\d+) "
                r"image does not have: not a copy of it"),
    "mark": (r"the picture does not show token (?P<token>\d+)'s own mark \(its edition number, "
             r"(?P<across>\d+%) across, (?P<down>\d+%) down\): another item's picture, or the "
             r"mark is covered; not named a copy of it"),
    "variant": (r"the picture shows another of the collection's details than token "
                r"(?P<token>\d+) has \((?P<across>\d+%) across, (?P<down>\d+%) down\): another "
                r"item's picture, not a copy of it"),
}.items()}


def read(reason: str) -> tuple[str, dict[str, str]] | None:
    """The kind of `reason` (a Miss's, English; a key of PATTERNS) and the facts it names, or
    None when no pattern reads it."""
    for kind, pattern in PATTERNS.items():
        found = pattern.fullmatch(reason)
        if found is not None:
            return kind, found.groupdict()
    return None
