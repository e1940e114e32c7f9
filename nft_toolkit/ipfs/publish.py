"""What `pin` does before pinning: CIDs, image URIs in the metadata, the manifest and the CAR.

1. import build/images into the local block store: one CID per image, one for the folder;
2. write ``"image": "ipfs://<image CID>"`` into each build/metadata/<id>.json (atomically);
3. import build/metadata (the base URI's folder) and build/collection.json;
4. write build/collection.car (roots: images, metadata, contract metadata) and
   build/manifest.json (per-token CIDs and sha256, provenance hash).
Running it again gives the same CIDs and rewrites nothing that is already right.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from nft_toolkit.atomic import open_write, write_json
from nft_toolkit.errors import InputError
from nft_toolkit.ipfs.car import walk_dag, write_car
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import Entry, Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest, TokenRecord, provenance_hash
from nft_toolkit.ipfs.pinning.base import PinTarget, Progress
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project


@dataclass(frozen=True)
class Prepared:
    manifest: Manifest
    targets: list[PinTarget]
    car_blocks: int


def _token_ids(folder: Path, suffix: str) -> list[int]:
    if not folder.is_dir():
        raise InputError(f"{folder} does not exist: run `nft-toolkit generate` first")
    ids = []
    for path in folder.iterdir():
        if path.name.startswith("."):
            continue
        if path.suffix != suffix or not path.stem.isdigit() or path.stem != str(int(path.stem)):
            raise InputError(f"{path}: expected only <token id>{suffix} files in {folder}")
        ids.append(int(path.stem))
    if not ids:
        raise InputError(f"{folder} holds no {suffix} files: run `nft-toolkit generate` first")
    return sorted(ids)


def _import_folder(importer: Importer, folder: Path) -> tuple[Entry, dict[str, Entry]]:
    entries: dict[str, Entry] = {}
    root = importer.add_path(folder, lambda p, e: entries.__setitem__(p.name, e))
    return root, entries


def prepare(project: Project, cid_version: int, on_progress: Progress | None = None) -> Prepared:
    images_dir, metadata_dir = project.images_dir, project.metadata_dir
    ids = _token_ids(images_dir, ".png")
    meta_ids = _token_ids(metadata_dir, ".json")
    if ids != meta_ids:
        missing = sorted(set(ids) ^ set(meta_ids))[:5]
        raise InputError(f"images and metadata differ for token ids {missing}: run `generate` again")
    store = BlockStore(project.store_dir)
    importer = Importer(ImportOptions(cid_version=cid_version), store.put)  # type: ignore[arg-type]
    if on_progress:
        on_progress(0, 3, "images")
    images_root, images = _import_folder(importer, images_dir)

    image_digests: list[bytes] = []
    for tid in ids:
        path = metadata_dir / f"{tid}.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            raise InputError(f"{path} is not valid JSON ({exc})") from None
        if not isinstance(meta, dict):
            raise InputError(f"{path} is not ERC-721 metadata: a JSON object was expected")
        uri = f"ipfs://{images[f'{tid}.png'].cid}"
        if meta.get("image") != uri:
            meta["image"] = uri
            write_json(path, meta)
        image_digests.append(hashlib.sha256((images_dir / f"{tid}.png").read_bytes()).digest())
    if on_progress:
        on_progress(1, 3, "metadata")
    metadata_root, metas = _import_folder(importer, metadata_dir)

    targets = [PinTarget("images", images_root.cid), PinTarget("metadata", metadata_root.cid)]
    contract_cid = None
    if project.contract_metadata_path.is_file():
        contract_cid = importer.add_file(project.contract_metadata_path).cid
        targets.append(PinTarget("contract-metadata", contract_cid))

    tokens = {
        tid: TokenRecord(
            image_cid=str(images[f"{tid}.png"].cid), image_sha256=image_digests[i].hex(),
            metadata_cid=str(metas[f"{tid}.json"].cid),
            metadata_sha256=hashlib.sha256((metadata_dir / f"{tid}.json").read_bytes()).hexdigest(),
        )
        for i, tid in enumerate(ids)
    }
    manifest = Manifest(
        cid_version=cid_version, images_cid=str(images_root.cid), metadata_cid=str(metadata_root.cid),
        contract_metadata_cid=str(contract_cid) if contract_cid else None,
        provenance_hash=provenance_hash(image_digests), tokens=tokens,
    )
    if on_progress:
        on_progress(2, 3, "CAR")
    count = write_car_file(project.car_path, store, [t.cid for t in targets])
    manifest.save(project.manifest_path)
    if on_progress:
        on_progress(3, 3, "manifest")
    return Prepared(manifest, targets, count)


def write_car_file(path: Path, store: BlockStore, roots: list[Cid]) -> int:
    """Writes the CAR of `roots` to `path` atomically (temporary file, then rename)."""
    with open_write(path) as fh:
        count = write_car(fh, roots, walk_dag(store, roots))
    return count
