"""The pinned CJK font: found by digest, refused when it is another file."""

from __future__ import annotations

import pytest
from PIL import ImageFont

from nft_toolkit import fonts
from nft_toolkit.errors import ConfigError


def test_the_pinned_font_draws_chinese() -> None:
    font = ImageFont.truetype(str(fonts.cjk_font_path("bold")), 32)
    # 壬 has a glyph of its own: its mask differs from the missing-glyph box of an unassigned code
    assert font.getmask("壬").getbbox() != font.getmask("\U000F0000").getbbox()


def test_a_font_with_another_digest_is_refused(tmp_path, monkeypatch) -> None:
    (tmp_path / "NotoSansSC_400Regular.ttf").write_bytes(b"not the pinned font")
    monkeypatch.setenv("NFT_TOOLKIT_FONT_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(fonts, "_candidates", lambda relative: [tmp_path / "NotoSansSC_400Regular.ttf"])
    fonts.cjk_font_path.cache_clear()
    try:
        with pytest.raises(ConfigError, match="is not installed"):
            fonts.cjk_font_path("regular")
    finally:
        fonts.cjk_font_path.cache_clear()


def test_missing_characters_are_those_drawn_as_the_box() -> None:
    text = "壬寅虎年 Tiger 🐯 𠀀 · 编号\u200b\n🐯"
    assert fonts.missing_characters(text, "bold") == ["🐯", "𠀀"]
    assert fonts.missing_characters("壬寅虎年 Water Tiger · No. 7") == []
    # what the cmap says is what Pillow draws: each missing character is the .notdef box
    font = ImageFont.truetype(str(fonts.cjk_font_path("bold")), 32)
    box = bytes(font.getmask("\U000F0000"))
    assert any(box) and all(bytes(font.getmask(c)) == box for c in ("🐯", "𠀀"))
    assert bytes(font.getmask("虎")) != box
    assert fonts.describe_characters(["🐯", "𠀀"]) == "🐯 (U+1F42F), 𠀀 (U+20000)"
    assert fonts.describe_characters(list("😀😁😂🤣😃😄"), limit=2).endswith("and 4 more")
