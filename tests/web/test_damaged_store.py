"""Two instances over a local store damaged at rest (README, "Several instances"): the one that
holds the verified bytes by CID answers authentic, rightly; the one that must read the damaged
block answers tampered; once the block is written again (what `pin` does) the second answers
authentic at once, within the same head block (its tampered answer was not kept)."""

from __future__ import annotations

from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.report import Verdict
from nft_toolkit.web.service import Options, Service
from tests.support.web import WebCollection

TOKEN = 4  # authentic, and asked for by no other web test


def test_instances_over_a_damaged_store(web_items: WebCollection) -> None:
    project = web_items.project
    options = Options(project_dir=str(project.root))
    image = Manifest.load(project.manifest_path).tokens[TOKEN].image_cid
    store = BlockStore(project.store_dir)
    block = store.block_path(image)
    whole = block.read_bytes()
    warm = Service(options)
    assert warm.verify(TOKEN).report.verdict is Verdict.AUTHENTIC
    damaged = bytearray(whole)
    damaged[len(damaged) // 2] ^= 0x01
    block.write_bytes(bytes(damaged))
    try:
        fresh = Service(options)
        head = fresh.chain().block_number()
        answer = fresh.verify(TOKEN).report
        assert answer.verdict is Verdict.TAMPERED and answer.checks[-1].name == "image"
        assert warm.verify(TOKEN).report.verdict is Verdict.AUTHENTIC  # its bytes hashed to the CID
        found = {c.multihash for c in store.damaged()}  # and item 2's metadata (tests/support/web)
        assert Cid.parse(image).multihash in found and len(found) == 2
        store.put(Cid.parse(image), whole)  # as `pin` does: the damaged block written again
        assert block.read_bytes() == whole
        assert fresh.verify(TOKEN).report.verdict is Verdict.AUTHENTIC
        assert fresh.chain().block_number() == head  # the same block: no kept tampered answer
    finally:
        if block.read_bytes() != whole:
            block.write_bytes(whole)
