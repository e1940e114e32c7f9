"""A small pinned collection for chain, CLI and verification tests and the verify benchmark.

It writes what `generate` and `pin` write (collection.yaml, build/images, build/metadata,
build/manifest.json in the agreed format, blocks in the project's local store) with tiny
distinct images, so a test costs milliseconds instead of rendering artwork.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from PIL import Image

from nft_toolkit import atomic
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project


def tiny_png(token_id: int) -> bytes:
    """A distinct 8x8 PNG per token ID."""
    img = Image.new("RGB", (8, 8), ((token_id * 37) % 256, (token_id * 91) % 256, token_id % 256))
    img.putpixel((token_id % 8, (token_id // 8) % 8), (token_id // 256 % 256, 0, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def build_collection(root: Path, size: int, *, freeze: bool = True, name: str = "Test Horse",
                     max_supply: int | None = None) -> Project:
    """A project at `root` with `size` items generated and pinned to its local store."""
    project = Project(root)
    root.mkdir(parents=True, exist_ok=True)
    atomic.write_text(project.config_path, (
        f"name: {name}\nsymbol: THORSE\nyear: 2026\nsize: {size}\n"
        f"contract:\n  freeze: {'true' if freeze else 'false'}\n"
        + (f"  max_supply: {max_supply}\n" if max_supply else "")))
    store = BlockStore(project.store_dir)
    importer = Importer(ImportOptions(cid_version=0), sink=store.put)
    project.images_dir.mkdir(parents=True, exist_ok=True)
    project.metadata_dir.mkdir(parents=True, exist_ok=True)
    tokens: dict[str, dict[str, str]] = {}
    digests = []
    for i in range(1, size + 1):
        png = tiny_png(i)
        (project.images_dir / f"{i}.png").write_bytes(png)
        digests.append(hashlib.sha256(png).digest())
        tokens[str(i)] = {"image_sha256": digests[-1].hex()}
    images = importer.add_path(project.images_dir)
    from nft_toolkit.verify.sources import IpfsContent

    image_cids = IpfsContent(store).directory(str(images.cid))
    for i in range(1, size + 1):
        meta = {"name": f"{name} #{i}", "description": "test", "image": f"ipfs://{image_cids[f'{i}.png']}",
                "attributes": [{"trait_type": "n", "value": str(i)}]}
        data = json.dumps(meta, sort_keys=True).encode()
        (project.metadata_dir / f"{i}.json").write_bytes(data)
        tokens[str(i)] |= {"image_cid": image_cids[f"{i}.png"],
                           "metadata_sha256": hashlib.sha256(data).hexdigest()}
    metadata = importer.add_path(project.metadata_dir)
    meta_cids = IpfsContent(store).directory(str(metadata.cid))
    for i in range(1, size + 1):
        tokens[str(i)]["metadata_cid"] = meta_cids[f"{i}.json"]
    atomic.write_json(project.contract_metadata_path, {"name": name})
    contract_meta = importer.add_path(project.contract_metadata_path)
    atomic.write_json(project.manifest_path, {
        "version": 1, "cid_version": 0, "images_cid": str(images.cid),
        "metadata_cid": str(metadata.cid), "base_uri": f"ipfs://{metadata.cid}/",
        "contract_metadata_cid": str(contract_meta.cid),
        "provenance_hash": "0x" + hashlib.sha256(b"".join(digests)).hexdigest(),
        "tokens": tokens,
    })
    return project
