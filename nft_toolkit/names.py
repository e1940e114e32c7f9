"""Layer and trait names: the one normal form, and the key two names collide on.

Every name that reaches metadata or names a layer or trait (layer folders, ``Name#weight.png``
files, ``layers.order``, ``layers.exclusions``, 1-of-1 names and attributes) goes through
:func:`normal_name`, so a name written in NFD (as macOS writes file names), with a trailing space
or with a doubled space is the same name everywhere:

- Unicode NFC; every run of whitespace (tabs, no-break spaces, ...) becomes one space, and
  surrounding whitespace is dropped. Marketplaces show names as HTML, which collapses inner
  whitespace too, so ``Party  Hat`` and ``Party Hat`` would look identical.
- Invisible characters (zero-width space, byte-order mark, soft hyphen, bidi controls, control
  characters, bytes that were not UTF-8) are refused, not stripped: a stripped name would differ
  from the file's, and the user should see which file holds one. The exceptions emoji need are
  kept: a variation selector after a visible character, and a zero-width joiner between a visible
  character and a symbol (``👩‍💻``).

Two names collide when their :func:`name_key` is equal: NFKC with case folded and variation
selectors dropped. So ``Red`` and ``red`` collide (macOS and Windows file systems cannot hold
both, and marketplaces group trait values case-insensitively), as do ``Ｒed`` and ``Red``.
Names in collection.yaml are matched to folders and files by that key; metadata always carries
the folder's or file's own (normal) spelling. Trait weights (``Name#weight.png``) are read in
:mod:`nft_toolkit.art.names`.

This module sits below both :mod:`nft_toolkit.config` (which reads names from collection.yaml)
and :mod:`nft_toolkit.art` (which reads them from folders), so the configuration does not
depend on the artwork.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"
_VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")
# Unicode's Default_Ignorable_Code_Point ranges that are not format (Cf) characters already.
_IGNORABLE = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5),
              (0x180B, 0x180F), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
              (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF))


class BadName(ValueError):
    """A name that cannot be a layer or trait name; the message completes "<name> ..."."""


def _invisible(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _VARIATION_SELECTORS:  # emoji presentation, after something visible
        return i == 0 or text[i - 1].isspace()
    if ch == _ZWJ:  # emoji sequences join a visible character to a symbol
        return (i == 0 or text[i - 1].isspace() or i + 1 == len(text)
                or unicodedata.category(text[i + 1]) != "So")
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
        return True
    code = ord(ch)
    return any(low <= code <= high for low, high in _IGNORABLE)


def _describe(ch: str) -> str:
    if unicodedata.category(ch) == "Cs":
        return "a byte that is not UTF-8 text"
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'control character')})"


def normal_name(raw: str) -> str:
    """`raw` as a layer or trait name: NFC, whitespace runs as one space, none around.

    Raises :class:`BadName` when nothing is left or an invisible character is in it.
    """
    try:
        text = unicodedata.normalize("NFC", raw)
    except UnicodeError:  # lone surrogates from a file name that is not UTF-8
        text = raw
    name = _WHITESPACE.sub(" ", text).strip()
    for i in range(len(name)):
        if _invisible(name, i):
            raise BadName(f"holds an invisible character, {_describe(name[i])}")
    if not name:
        raise BadName("is empty")
    return name


def name_key(name: str) -> str:
    """What two names must differ in to be told apart by people (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join("".join(ch for ch in folded if ch not in _VARIATION_SELECTORS).split())
