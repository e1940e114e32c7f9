"""A translated message whose value may be unknown is worded without it (its ``.without_<name>``
variant), never with a "?", "None" or a raw ``{name}`` (a customer's trial: a bomb's size read
"图片为 ? 像素")."""

from __future__ import annotations

import re

import pytest

from nft_toolkit.verify.report import Report, Verdict
from nft_toolkit.web.i18n import MESSAGES, detail, translator, wording
from nft_toolkit.web.render import Refused
from nft_toolkit.web.service import RPC_SLOT, TokenPage

PLACE = re.compile(r"\{(\w+)\}")


def clean(text: str | None) -> bool:
    return text is not None and not re.search(r"[?？{}]|None", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_variant_needs_less_than_its_wording(lang: str) -> None:
    words = translator(lang)
    variants = [k for k in MESSAGES[lang] if ".without_" in k]
    assert variants
    for key in variants:
        base, unknown = key.rsplit(".without_", 1)
        assert base in words, key
        missing = set(unknown.split("_"))
        assert missing <= set(PLACE.findall(words[base])), key  # the base needs them
        assert not missing & set(PLACE.findall(words[key])), key  # the variant does not
        known = {name: "7" for name in PLACE.findall(words[key])}
        assert clean(wording(words, base, known)), (key, wording(words, base, known))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_values_not_known_are_left_out_not_shown(lang: str) -> None:
    words = translator(lang)
    bomb = Refused("decodes to more than the 64 megapixels", "too_many_pixels", size=None,
                   megapixels=64)
    said = wording(words, "message.too_many_pixels", bomb.params)
    assert said is None if lang == "en" else clean(said) and "64" in said  # en: the line itself
    report = Report(20, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
    report.failed("token", "token 20 was never minted", Verdict.NOT_MINTED, "token.never_minted",
                  token=20, minted=None, cap=36)
    assert "None" not in detail(report.checks[0], words)
    command = TokenPage(report, command=f"nft-toolkit verify 20 --rpc-url {RPC_SLOT}")
    assert clean(command.command_in(words)), command.command_in(words)


def test_a_wording_needing_an_unknown_value_without_a_variant_is_not_used() -> None:
    words = translator("zh")
    assert wording(words, "message.not_an_id", {}) is None
