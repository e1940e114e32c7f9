"""The fonts the toolkit draws text with: Noto Sans SC (SIL Open Font License 1.1), which covers
Simplified Chinese and Latin, from the npm package ``@expo-google-fonts/noto-sans-sc`` pinned in
package.json and package-lock.json.

Generated art must be byte-identical wherever it is built, so a font is accepted only when its
SHA-256 is the pinned release's; a system font of the same name may differ in version and is not
used. ``$NFT_TOOLKIT_FONT_DIR`` names another folder holding the same two files (for an
installation without the repository's node_modules).

:func:`missing_characters` says which characters of a text the font lacks (its cmap, read with
fontTools), so `generate` and `certificate` name them instead of drawing boxes.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from functools import cache
from pathlib import Path
from typing import Literal

from nft_toolkit.errors import ConfigError

Weight = Literal["regular", "bold"]
# Not drawn, so never missing: control, format, surrogate, private-use and separators.
_UNDRAWN = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Zs"}

PACKAGE = "@expo-google-fonts/noto-sans-sc"
VERSION = "0.4.3"
# weight -> (path inside the package, SHA-256 of the TTF in VERSION)
_FILES: dict[str, tuple[str, str]] = {
    "regular": ("400Regular/NotoSansSC_400Regular.ttf",
                "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16"),
    "bold": ("700Bold/NotoSansSC_700Bold.ttf",
             "9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96"),
}


def _candidates(relative: str) -> list[Path]:
    name = Path(relative).name
    found = []
    if folder := os.environ.get("NFT_TOOLKIT_FONT_DIR"):
        found.append(Path(folder) / name)
    repo = Path(__file__).resolve().parents[1]
    found.append(repo / "node_modules" / PACKAGE / relative)
    found.append(Path.cwd() / "node_modules" / PACKAGE / relative)
    return found


@cache
def cjk_font_path(weight: Weight = "regular") -> Path:
    """Path of the pinned Noto Sans SC TTF of `weight` ("regular" 400 or "bold" 700).

    Raises ConfigError (one line, saying how to install it) when no file with the pinned SHA-256
    is found in $NFT_TOOLKIT_FONT_DIR or node_modules.
    """
    relative, digest = _FILES[weight]
    for path in _candidates(relative):
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            return path
    raise ConfigError(
        f"the font {PACKAGE}@{VERSION} ({Path(relative).name}) is not installed: run "
        f"`npm ci` in the repository, or set NFT_TOOLKIT_FONT_DIR to a folder holding it")


@cache
def _codepoints(weight: Weight) -> frozenset[int]:
    """The code points the pinned font of `weight` maps to a glyph (its best Unicode cmap)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(cjk_font_path(weight)), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_characters(text: str, weight: Weight = "regular") -> list[str]:
    """The distinct characters of `text`, in order, that the pinned font of `weight` has no
    glyph for (Pillow would draw each as a box): emoji such as 🐯, CJK Extension B such as
    𠀀. Characters that are not drawn (controls, format characters, spaces) are never listed.
    ConfigError when the font is not installed."""
    have = _codepoints(weight)
    missing: dict[str, None] = {}
    for ch in text:
        if ord(ch) not in have and unicodedata.category(ch) not in _UNDRAWN:
            missing[ch] = None
    return list(missing)


def describe_characters(chars: list[str], limit: int = 5) -> str:
    """`chars` for a one-line message: ``🐯 (U+1F42F), 𠀀 (U+20000)``, at most `limit` named,
    then how many more."""
    named = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:limit])
    return named + (f" and {len(chars) - limit} more" if len(chars) > limit else "")
