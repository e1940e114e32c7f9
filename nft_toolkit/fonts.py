"""The fonts the toolkit draws text with: Noto Sans SC (SIL Open Font License 1.1), which covers
Simplified Chinese and Latin, from the npm package ``@expo-google-fonts/noto-sans-sc`` pinned in
package.json and package-lock.json.

Generated art must be byte-identical wherever it is built, so a font is accepted only when its
SHA-256 is the pinned release's; a system font of the same name may differ in version and is not
used. ``$NFT_TOOLKIT_FONT_DIR`` names another folder holding the same two files (for an
installation without the repository's node_modules).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path
from typing import Literal

from nft_toolkit.errors import ConfigError

Weight = Literal["regular", "bold"]

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
