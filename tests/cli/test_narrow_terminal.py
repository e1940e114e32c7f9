"""At 40 columns (a phone's terminal, a split pane) `verify` and `verify-file` wrap their text and
fold an address, a CID or a token's CAIP-19 ID onto the next line, never cutting it with an
ellipsis: read top to bottom, every one is whole."""

from __future__ import annotations

import re

import pytest

from nft_toolkit.cli.verify import render
from nft_toolkit.verify.report import Report, Verdict

CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OTHER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
BASE = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
ASSET = f"eip155:1337/erc721:{CONTRACT}/3"


def _token(token_id: int, owner: str) -> Report:
    one = Report(token_id, CONTRACT, chain_id=1337, owner=owner)
    one.passed("token", f"owned by {owner}")
    one.passed("token_uri", f"under the collection's base CID {BASE}")
    return one


def _squashed(text: str) -> str:
    """The printed text without line breaks, spaces and the panel's frame: what a reader
    follows from one line to the next."""
    return re.sub(r"[\s│╭╮╰╯─]", "", text)


@pytest.mark.parametrize("columns", [40, 60])
def test_ids_are_folded_never_cut(monkeypatch, capsys, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    one = _token(3, OWNER)
    one.passed("asset", f"the item is {ASSET}")
    render(one, False)
    copy = Report(None, CONTRACT, chain_id=1337, verdict=Verdict.COPY, similarity=0.93)
    copy.passed("contract", f"{CONTRACT} on chain 1337")
    copy.failed("image_match", "a copy of token 3 or token 9, not the file of either: what tells "
                "them apart is hidden or changed", Verdict.COPY)
    copy.candidates = [_token(3, OWNER), _token(9, OTHER)]
    render(copy, False, "/home/customer/Downloads/wechat_shot.png")
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert max(len(line) for line in lines) <= columns, printed
    assert "…" not in printed, printed
    squashed = _squashed(printed)
    for whole in (CONTRACT, OWNER, OTHER, BASE, ASSET):
        assert _squashed(whole) in squashed, (whole, printed)
    # both twins and their holders are named under the first line
    assert "token3:authentic,heldby" + OWNER in squashed
    assert "token9:authentic,heldby" + OTHER in squashed
