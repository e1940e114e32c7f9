"""Issue 12, a customer trial: what verify-file's `image_match` detail says of a copy. "overlaid,
0% of it differs, as under an overlay" contradicted itself; a plain resize shown small was said
to be under an overlay; the Chinese detail left out how the copy was made (English: "(screenshot,
similarity 0.981)") and what of it differs.

The small zodiac collection of tests/support/copy_collection.py, pinned; chain facts stated."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from nft_toolkit.verify.identify import differing_part, identify
from nft_toolkit.verify.report import Check, Report, Verdict
from nft_toolkit.verify.trust import trust_from_manifest
from nft_toolkit.web.i18n import MESSAGES, detail, translator
from tests.support.copies import png, price_tagged, random_art, screenshot
from tests.support.copy_collection import copy_world
from tests.support.stated import CONTRACT, ISSUER, StatedChain


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    return copy_world(tmp_path_factory.mktemp("words") / "c")


def _copy(world, data: bytes) -> tuple[Report, Check]:
    _, manifest, facts, content = world
    report = identify(StatedChain(facts), content, trust_from_manifest(CONTRACT, ISSUER, 1337,
                                                                       manifest), data, manifest)
    assert report.verdict is Verdict.COPY, report.checks[-1].detail
    return report, report.checks[-1]


def _item(world, token: int) -> Image.Image:
    return Image.open(world[0].images_dir / f"{token}.png").convert("RGB")


def test_the_share_that_differs_is_never_said_0_percent() -> None:
    assert differing_part(0.004, "overlaid") == "<1%"  # a sticker over 1 block of 256
    assert differing_part(0.012, "overlaid") == "1%"
    assert differing_part(0.07, "screenshot") == "7%"
    assert differing_part(0.0, "overlaid") is None
    # a picture too small to see an overlay is "resized": no overlay is said beside it
    assert differing_part(0.012, "resized") is None


def test_a_price_tagged_copy_says_how_it_was_made_and_what_differs_in_both_languages(world) -> None:
    report, match = _copy(world, price_tagged(3)(_item(world, 2)))
    assert report.transform == "overlaid"
    assert "0%" not in match.detail and "overlaid" in match.detail, match.detail
    zh = detail(match, translator("zh"))
    assert MESSAGES["zh"]["transform.overlaid"] in zh, zh
    part = dict(match.params)["differs"]
    assert f"{part} 的画面与原图不同" in zh and part != "0%", zh
    assert "{" not in zh and "None" not in zh, zh


def test_a_screenshot_copy_says_screenshot_in_chinese_too(world) -> None:
    tagged = Image.open(io.BytesIO(png(_item(world, 5))))
    report, match = _copy(world, screenshot(0.7, False, True)(tagged))
    assert report.transform == "screenshot" and "(screenshot, " in match.detail, match.detail
    zh = detail(match, translator("zh"))
    assert f"（{MESSAGES['zh']['transform.screenshot']}，" in zh and "相似度" in zh, zh


def test_a_small_resize_is_not_said_to_be_under_an_overlay(world) -> None:
    small = _item(world, 4).resize((128, 128), Image.LANCZOS)
    report, match = _copy(world, png(small))
    assert report.transform == "resized", report.transform
    assert "overlay" not in match.detail, match.detail
    zh = detail(match, translator("zh"))
    assert MESSAGES["zh"]["transform.resized"] in zh and "覆盖" not in zh, zh


def test_a_picture_of_no_item_says_why_in_chinese_too(world) -> None:
    """English gave the finder's reason ("nor is it a copy of one: no item of the collection
    lines up with the picture"); Chinese only that it is no item."""
    _, manifest, facts, content = world
    report = identify(StatedChain(facts), content, trust_from_manifest(CONTRACT, ISSUER, 1337,
                                                                       manifest),
                      random_art(3), manifest)
    match = report.checks[-1]
    assert report.verdict is Verdict.NOT_AN_ITEM and "nor is it a copy of one: " in match.detail
    zh = detail(match, translator("zh"))
    assert "也不是其中任何一件的复制品：它" in zh, zh  # then the reason, in Chinese
    assert not re.search(r"[A-Za-z]{3,}", zh.split("）", 1)[1]), zh
