"""The forgery suite as data, for the pure verification core: each case a chain (stated facts),
a content source and a trust, built over one pinned collection.

The cases are those of tests/reliability/test_forgery.py (on ganache) and tests/verify, stated
without a chain so that every token of every case can be judged by `verify` and by `audit` in
milliseconds (tests/verify/test_same_verdict.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.client import ZERO_ADDRESS
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.provenance import IMAGES, provenance_hash
from nft_toolkit.ipfs.retrieval import GatewaySource
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from nft_toolkit.verify.sources import ContentReader, ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, trust_from_manifest
from tests.support.forgery import LyingSource, PlainGateway
from tests.support.stated import CONTRACT, ISSUER, StatedChain

MINTED = 4  # of 6 items, cap 8: tokens 5, 6 pinned but never minted, 7, 8 neither


class BurnedChain(StatedChain):
    """A StatedChain where the tokens in `burned` have no owner any more."""

    def __init__(self, facts: ContractFacts, burned: set[int], **kw: object) -> None:
        super().__init__(facts, **kw)  # type: ignore[arg-type]
        self.burned = burned

    def owners(self, address: str, first: int, last: int) -> list[str]:
        return [ZERO_ADDRESS if i in self.burned else o
                for i, o in zip(range(first, last + 1), super().owners(address, first, last))]


@dataclass
class Case:
    """One forgery (or the honest collection): what a verifier reads and trusts."""

    name: str
    chain: StatedChain
    content: ContentReader
    trust: Trust


@dataclass(frozen=True)
class Pinned:
    """The pinned collection the cases are made from."""

    project: Project
    manifest: Manifest
    facts: ContractFacts  # what the genuine contract states

    @property
    def store(self) -> BlockStore:
        return BlockStore(self.project.store_dir)

    def trust(self) -> Trust:
        return trust_from_manifest(CONTRACT, ISSUER, 1337, self.manifest)

    def folder(self, tmp: Path, edit: Callable[[Path, BlockStore], None]) -> tuple[IpfsContent, str]:
        """Another metadata folder: the pinned one edited by `edit(folder, store)` and imported
        into a copy of the store; returns the content reader and the folder's CID."""
        folder, store = tmp / "metadata", BlockStore(tmp / "store")
        shutil.copytree(self.project.metadata_dir, folder)
        for cid in self.store:
            store.put(cid, self.store.get_block(cid))
        edit(folder, store)
        base = Importer(ImportOptions(cid_version=0), sink=store.put).add_path(folder).cid
        return IpfsContent(store), str(base)


def add_file(store: BlockStore, data: bytes) -> str:
    """Imports `data` into `store` as `ipfs add` would; its CID."""
    return str(Importer(ImportOptions(cid_version=0), sink=store.put).add_bytes(data).cid)


def edit_json(folder: Path, token_id: int, **changes: object) -> None:
    path = folder / f"{token_id}.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}, sort_keys=True))


def twice_as_many(pinned: Pinned) -> Callable[[Path, BlockStore], None]:
    """The folder an attacker would build if the images-metadata hash had no tag: 2N tokens, odd
    ones naming image k (token 1 with new traits), even ones an "image" whose bytes are the
    original metadata k, so that the images-only hash of the 2N equals the untagged hash of N."""
    def edit(folder: Path, store: BlockStore) -> None:
        originals = {i: (folder / f"{i}.json").read_bytes() for i in pinned.manifest.tokens}
        for path in folder.iterdir():
            path.unlink()
        for i, data in originals.items():
            meta = json.loads(data)
            if i == 1:
                meta["attributes"] = [{"trait_type": "n", "value": "legendary"}]
            (folder / f"{2 * i - 1}.json").write_text(json.dumps(meta))
            fake = {**meta, "image": f"ipfs://{add_file(store, data)}"}
            (folder / f"{2 * i}.json").write_text(json.dumps(fake))
    return edit


@contextmanager
def cases(pinned: Pinned, tmp: Path) -> Iterator[list[Case]]:
    """Every case, the honest collection first; servers they need run inside the context."""
    m, facts, store = pinned.manifest, pinned.facts, pinned.store
    honest = IpfsContent(store)
    alone = Trust(CONTRACT, ISSUER, 1337)  # a customer outside the project: no manifest

    def stated(**changes: object) -> StatedChain:
        return StatedChain(replace(facts, **changes))

    def folder(name: str, edit: Callable[[Path, BlockStore], None]) -> tuple[IpfsContent, str]:
        (tmp / name).mkdir()
        return pinned.folder(tmp / name, edit)

    def swap_images(f: Path, _: BlockStore) -> None:
        edit_json(f, 1, image=f"ipfs://{m.tokens[2].image_cid}")
        edit_json(f, 2, image=f"ipfs://{m.tokens[1].image_cid}")

    swapped, swapped_base = folder("swapped", swap_images)
    renamed, renamed_base = folder("renamed", lambda f, _: edit_json(f, 1, name="Renamed #1"))
    bad3, bad3_base = folder("bad3", lambda f, _: (f / "3.json").write_bytes(b"[]"))
    nocid, nocid_base = folder("nocid", lambda f, _: edit_json(f, 2, image="ipfs://notacid"))
    doubled, doubled_base = folder("doubled", twice_as_many(pinned))
    lying_meta = LyingSource(store, {m.tokens[2].metadata_cid: store.get_block(
        m.tokens[2].metadata_cid).replace(b"Horse", b"H0rse")})
    lying_image = LyingSource(store, {m.tokens[3].image_cid: store.get_block(m.tokens[4].image_cid)})
    runtime = load_artifact().runtime
    stranger = "0x" + "12" * 20
    out = [
        Case("honest", stated(), honest, pinned.trust()),
        Case("honest, no manifest", stated(), honest, alone),
        Case("unfrozen", stated(frozen=False), honest, alone),
        Case("admin handed over", stated(issuer_is_admin=False, admins=[stranger]),
             honest, alone),
        Case("burned", BurnedChain(facts, {2}), honest, pinned.trust()),
        Case("other code", StatedChain(facts, runtime[:-1] + b"\x00"), honest, pinned.trust()),
        Case("other chain", stated(), honest, replace(pinned.trust(), chain_id=1)),
        Case("other issuer", stated(issuer=stranger), honest, alone),
        Case("not created by the issuer", stated(created_by_issuer=False), honest, alone),
        Case("other provenance", stated(provenance_hash="0x" + "ab" * 32), honest, alone),
        Case("no provenance", stated(provenance_hash="0x" + "00" * 32), honest, pinned.trust()),
        Case("base URI names no CID", stated(base_uri="ipfs://notacid/"), honest, alone),
        Case("base URI moved to the images", stated(base_uri=f"ipfs://{m.images_cid}/"), honest,
             pinned.trust()),
        Case("images traded after minting, manifest",
             stated(frozen=False, base_uri=f"ipfs://{swapped_base}/"), swapped, pinned.trust()),
        Case("images traded after minting, no manifest",
             stated(frozen=False, base_uri=f"ipfs://{swapped_base}/"), swapped, alone),
        Case("metadata renamed after minting",
             stated(frozen=False, base_uri=f"ipfs://{renamed_base}/"), renamed, alone),
        Case("metadata renamed after minting, images-only commitment",
             stated(frozen=False, base_uri=f"ipfs://{renamed_base}/",
                    provenance_hash=provenance_hash(m.items, IMAGES)), renamed, alone),
        Case("another token's metadata malformed", stated(base_uri=f"ipfs://{bad3_base}/"),
             bad3, alone),
        Case("image URI names no CID", stated(base_uri=f"ipfs://{nocid_base}/"), nocid, alone),
        Case("2N items read the other way", stated(frozen=False, base_uri=f"ipfs://{doubled_base}/"),
             doubled, alone),
    ]
    # a gateway serving altered bytes: what reaches the verifier over HTTP, checked block by block
    with PlainGateway(store) as plain, Gateway(lying_meta) as meta, Gateway(lying_image) as image:
        lies_meta, lies_image = (IpfsContent(GatewaySource(g.url)) for g in (meta, image))
        out += [
            Case("metadata altered, manifest", stated(), lies_meta, pinned.trust()),
            Case("metadata altered, no manifest", stated(), lies_meta, alone),
            Case("image swapped, manifest", stated(), lies_image, pinned.trust()),
            Case("image swapped, no manifest", stated(), lies_image, alone),
            Case("gateway not trustless", stated(), IpfsContent(GatewaySource(plain.url)), alone),
        ]
        yield out


def pinned_collection(root: Path) -> Pinned:
    """6 items pinned, cap 8, 4 minted, frozen: the collection every case starts from."""
    from tests.support.collection import build_collection

    project = build_collection(root, 6, max_supply=8)
    manifest = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash,
                          MINTED, 8)
    return Pinned(project, manifest, facts)
