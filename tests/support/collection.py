"""A small pinned collection for chain, CLI and verification tests and the verify benchmark.

It writes what `generate` writes (collection.yaml, build/images, build/metadata,
build/collection.json) with tiny distinct images, so a test costs milliseconds instead of rendering
artwork, then pins it as `pin` does (manifest, CAR, blocks in the project's local store).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from nft_toolkit import atomic
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.provenance import IMAGES, provenance_hash
from nft_toolkit.ipfs.publish import prepare
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
    project.images_dir.mkdir(parents=True, exist_ok=True)
    project.metadata_dir.mkdir(parents=True, exist_ok=True)
    for i in range(1, size + 1):
        (project.images_dir / f"{i}.png").write_bytes(tiny_png(i))
        meta = {"name": f"{name} #{i}", "description": "test", "image": "",
                "attributes": [{"trait_type": "n", "value": str(i)}]}
        atomic.write_json(project.metadata_dir / f"{i}.json", meta)
    atomic.write_json(project.contract_metadata_path, {"name": name})
    prepare(project, 0)  # what `pin` writes: image URIs, manifest, CAR, blocks in the store
    return project


def write_build(project: Project, size: int) -> None:
    """build/ as `generate` leaves it, with `size` tiny items whose metadata already names each
    image's CID as `pin` would, so `pin` rewrites none: no fsync per file, for collections of
    many thousand items (tests/test_memory.py, benchmarks/audit.py)."""
    project.images_dir.mkdir(parents=True, exist_ok=True)
    project.metadata_dir.mkdir(parents=True, exist_ok=True)
    atomic.write_text(project.config_path, f"name: Memory\nsymbol: MEM\nyear: 2026\nsize: {size}\n")
    only_hash = Importer(ImportOptions())
    for i in range(1, size + 1):
        png = tiny_png(i)
        (project.images_dir / f"{i}.png").write_bytes(png)
        meta = {"name": f"Memory #{i}", "description": "memory", "attributes": [
            {"trait_type": "n", "value": str(i)}], "image": f"ipfs://{only_hash.add_bytes(png).cid}"}
        (project.metadata_dir / f"{i}.json").write_bytes(atomic.json_bytes(meta))
    atomic.write_json(project.contract_metadata_path, {"name": "Memory"})


def repin(project: Project, images: dict[int, bytes]) -> None:
    """The issuer changes these images after deploying and pins again (`pin --force`): a new
    local build (new manifest and base CID) that the chain does not commit to."""
    for token_id, png in images.items():
        (project.images_dir / f"{token_id}.png").write_bytes(png)
    prepare(project, 0, force=True)


def as_images_only(project: Project) -> Manifest:
    """Rewrites the project's pin manifest as `pin` wrote it before the metadata was committed:
    no ``provenance`` field, the hash over the images only (``images-sha256``)."""
    doc = json.loads(project.manifest_path.read_text())
    manifest = Manifest.from_json(doc)
    del doc["provenance"]
    doc["provenance_hash"] = provenance_hash(manifest.items, IMAGES)
    atomic.write_json(project.manifest_path, doc)
    old = Manifest.load(project.manifest_path)
    assert old.provenance == IMAGES
    return old
