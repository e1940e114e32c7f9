"""Issue 12, a customer trial: in Chinese, verify-file's `image_match` detail for a picture that
is no item dropped why (English: "nor is it a copy of one: the picture does not show token 2's
own mark (its edition number, 50% across, 88% down)…"). The finder's reasons, from real
pictures, are worded in Chinese with the facts they name (a Miss's kind and facts, carried by
the check identify makes)."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from nft_toolkit.copies.likeness import REASONS, Miss, find_copy
from nft_toolkit.copies.picture import decode
from nft_toolkit.verify.report import Check
from nft_toolkit.web.i18n import MESSAGES, detail, translator
from tests.support.copies import png, random_art
from tests.support.small_collections import Collection, collection_of, zodiac_cards


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    return zodiac_cards(tmp_path_factory.mktemp("cards"), count=8)


def _none(found: Miss) -> Check:
    """The check identify makes of a picture no item explains (nft_toolkit.verify.identify)."""
    return Check("image_match", False, f"no item's file has these bytes, nor is it a copy of "
                 f"one: {found.reason} (index from the chain)", code="image_match.none",
                 params=(("base", "bafybase"), ("reason", found.reason),
                         ("reason_kind", found.kind),
                         *((f"reason_{name}", value) for name, value in found.facts)))


def _said(collection: Collection, data: bytes) -> tuple[str, str]:
    found = find_copy(decode(data), collection[1], collection[2])
    assert isinstance(found, Miss) and not found.candidates, found
    assert found.kind in REASONS and {n for n, _ in found.facts} == set(REASONS[found.kind])
    return found.kind, detail(_none(found), translator("zh"))


def test_each_reason_kind_has_chinese_words_naming_its_facts() -> None:
    zh = MESSAGES["zh"]
    for kind, facts in REASONS.items():
        wording = zh[f"reason.{kind}"]
        assert set(re.findall(r"\{(\w+)\}", wording)) == set(facts), kind
        assert f"reason.{kind}" not in MESSAGES["en"]  # English gives the reason as it is


def test_real_pictures_reasons_are_said_in_chinese_with_their_facts(cards: Collection) -> None:
    images = cards[0]
    w, h = images[2].size
    pictures = {
        "unaligned": random_art(1),
        "unlike": png(images[2].crop((0, 0, w // 2, h // 2))),
        "turned": png(images[2].rotate(8, resample=Image.Resampling.BICUBIC, fillcolor="white")),
    }
    for kind, data in pictures.items():
        got, zh = _said(cards, data)
        assert got == kind, (kind, got)
        assert zh.startswith("这张图片不是链上承诺的系列（bafybase）") and "：" in zh, zh
        # no English left but numbers (and the base CID)
        assert not re.search(r"[A-Za-z]{3,}", zh.replace("bafybase", "")), zh
    assert "转斜了约 " in _said(cards, pictures["turned"])[1]
    assert "索引相关度 0." in _said(cards, pictures["unlike"])[1]


def test_a_look_alike_says_which_token_and_where_in_chinese(cards: Collection) -> None:
    """Cards 6 to 8 against an index of cards 1 to 5 (the same parts, other edition numbers and
    charms): no copy of any, and why, in Chinese: the token and where its mark is."""
    images, index, _ = cards
    five = collection_of({t: images[t] for t in range(1, 6)}, index.details)
    said = {}
    for token in (6, 7, 8):
        found = find_copy(decode(png(images[token])), five[1], five[2])
        assert isinstance(found, Miss), found
        said[found.kind] = (dict(found.facts), detail(_none(found), translator("zh")))
    assert "mark" in said or "variant" in said, said
    facts, zh = said.get("mark") or said["variant"]
    assert f"第 {facts['token']} 号藏品" in zh and f"横向 {facts['across']}" in zh, zh
    assert not re.search(r"[A-Za-z]{3,}", zh.replace("bafybase", "")), zh


def test_a_reason_of_a_kind_without_words_is_kept_in_english_not_lost() -> None:
    zh = detail(_none(Miss("a reason said some new way", kind="new")), translator("zh"))
    assert zh.endswith("：a reason said some new way"), zh
    assert detail(_none(Miss("no item of the collection lines up with the picture",
                             kind="unaligned")), translator("en")).endswith("(index from the chain)")


def test_a_collection_without_a_copies_index_says_so_in_chinese() -> None:
    check = Check("image_match", False, "no item's file has these bytes, and the collection "
                  "publishes no copies index to recognise a copy by", code="image_match.no_index",
                  params=(("base", "bafybase"),))
    assert "副本索引" in detail(check, translator("zh"))
