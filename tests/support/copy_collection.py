"""A small generated zodiac collection with a near twin, pinned with its copies index: for the
copy tests (tests/verify/test_copies.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops

from nft_toolkit.art.generate import generate
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.publish import prepare
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from tests.support.art import make_project
from tests.support.stated import ISSUER

GENERATED = 8
TWIN_OF = 3  # token 9 is token 3 with another item's charm
TWIN = GENERATED + 1
CHARM = (0.78, 0.79, 0.90, 0.94)  # the corner where the zodiac art draws an item's charm


def charm_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    w, h = size
    return round(CHARM[0] * w), round(CHARM[1] * h), round(CHARM[2] * w), round(CHARM[3] * h)


def charm_cut(image: Image.Image) -> Image.Image:
    """`image` cut off above the charm's corner (22 % off the bottom): what tells token 3 from
    its near twin 9 is no longer in the picture."""
    w, h = image.size
    return image.crop((0, 0, w, round(CHARM[1] * h) - 2))


def build_copy_collection(root: Path, pixels: int = 384) -> Project:
    """8 zodiac items of `pixels` square and token 9, a near twin of token 3 (only the charm
    corner differs), generated and pinned (copies index included)."""
    make_project(root, size=TWIN, image_size=pixels, seed=11)
    project = Project(root)
    generate(project.load_config(), project.build_dir, count=GENERATED, workers=1)
    images = project.images_dir
    base = Image.open(images / f"{TWIN_OF}.png").convert("RGB")
    box = charm_box(base.size)

    def unlike(i: int) -> int:  # how much item i's charm corner differs from the base's
        other = Image.open(images / f"{i}.png").convert("RGB").crop(box)
        return int(np.asarray(ImageChops.difference(base.crop(box), other)).sum())

    donor = max(range(1, GENERATED + 1), key=unlike)
    twin = base.copy()
    twin.paste(Image.open(images / f"{donor}.png").convert("RGB").crop(box), box[:2])
    out = io.BytesIO()
    twin.save(out, format="PNG")
    (images / f"{TWIN}.png").write_bytes(out.getvalue())
    meta = json.loads((project.metadata_dir / f"{TWIN_OF}.json").read_text())
    meta["name"] = meta["name"].replace(f"#{TWIN_OF}", f"#{TWIN}")
    (project.metadata_dir / f"{TWIN}.json").write_text(json.dumps(meta))
    prepare(project, 0)
    return project


def copy_world(root: Path) -> tuple[Project, Manifest, ContractFacts, IpfsContent]:
    """:func:`build_copy_collection` at `root`, with what verifying a picture against it takes:
    its manifest, the chain's facts stated (every token minted, the twin last) and its
    content from the project's own block store."""
    project = build_copy_collection(root)
    manifest = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash,
                          TWIN, TWIN, contract_uri=f"ipfs://{manifest.contract_metadata_cid}")
    return project, manifest, facts, IpfsContent(BlockStore(project.store_dir))
