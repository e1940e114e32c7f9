"""What `pin` does before pinning: CIDs, image URIs in the metadata, the manifest and the CAR.

1. check the build against the consistency rule (:mod:`nft_toolkit.consistency`): token IDs
   1..N, no gap, within the cap;
2. import build/images into the local block store: one CID per image, one for the folder;
3. compute each build/metadata/<id>.json with ``"image": "ipfs://<image CID>"``, and
   build/collection.json with its pinned image and the royalty the contract pays, and import them
   (the metadata folder's CID is the base URI);
4. refuse, before any file changes, to replace content that a deployment commits to;
5. write the metadata (atomically, only what changed), build/collection.car (roots: images,
   metadata, collection image, contract metadata, copies index) and build/manifest.json
   (per-token CIDs and sha256, provenance scheme and hash: each token's image and metadata, see
   :mod:`nft_toolkit.ipfs.provenance`).

The perceptual index of the images (:mod:`nft_toolkit.copies.index`, for ``verify-file`` to
recognise copies) is pinned too and named in build/collection.json (``copies_index``) and the
manifest (``copies_index_cid``): the same images give the same index bytes, so the same CIDs.
It holds the collection's details when `generate` wrote them (build/copies-details.bin); images
that came from elsewhere get an index without them (and a warning, when the file is there but
drawn in another frame than the images).
Running it again gives the same CIDs and rewrites nothing that is already right.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from PIL import Image

from nft_toolkit import atomic
from nft_toolkit.atomic import json_bytes, open_write
from nft_toolkit.copies import index as copies_index
from nft_toolkit.copies.details import NONE, Details
from nft_toolkit.copies.details import canon_size
from nft_toolkit.consistency import (build_ids, check_cap, check_repin, check_royalty,
                                     deployed_issuer, pin_scheme)
from nft_toolkit.errors import InputError
from nft_toolkit.ipfs.car import walk_dag, write_car
from nft_toolkit.ipfs.cid import Cid, same_cid
from nft_toolkit.ipfs.importer import DEFAULT_PROFILE, PROFILES, Entry, Importer, ImportOptions
from nft_toolkit.ipfs import provenance as prov
from nft_toolkit.ipfs.manifest import Manifest, TokenRecord
from nft_toolkit.ipfs.pinning.base import PinTarget, Progress
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from nft_toolkit.ipfs.uri import ipfs_file_cid


@dataclass(frozen=True)
class Prepared:
    manifest: Manifest
    targets: list[PinTarget]
    car_blocks: int
    warnings: list[str] = field(default_factory=list)  # e.g. a deployment's base URI to update


def _import_folder(importer: Importer, folder: Path) -> tuple[Entry, dict[str, Entry]]:
    entries: dict[str, Entry] = {}
    root = importer.add_path(folder, lambda p, e: entries.__setitem__(p.name, e))
    return root, entries


def _read_object(path: Path, what: str) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise InputError(f"{path} is not valid JSON ({exc})") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path} is not {what}: a JSON object was expected")
    return doc


def _pinned_metadata(metadata_dir: Path, images: dict[str, Entry], tid: int) -> bytes:
    """build/metadata/<tid>.json as pinned: its ``image`` the ipfs:// URI of its image's CID."""
    meta = _read_object(metadata_dir / f"{tid}.json", "ERC-721 metadata")
    meta["image"] = f"ipfs://{images[f'{tid}.png'].cid}"
    return json_bytes(meta)


def _generated_details(project: Project, first: Path) -> tuple[Details, list[str]]:
    """The details `generate` found (build/copies-details.bin), NONE without the file, and a
    warning when they cannot be these images' (drawn in another frame than the `first` image's:
    the images were replaced since); InputError when the file is not one (hostile or damaged:
    bounded like any copies index)."""
    path = project.copies_details_path
    try:
        data = path.read_bytes() if path.stat().st_size <= copies_index.INDEX_MAX else b""
    except FileNotFoundError:
        return NONE, []
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    again = "run `nft-toolkit generate` again, or delete it to pin without the details"
    try:
        index = copies_index.CopiesIndex.parse(data, str(path))
    except InputError as exc:
        raise InputError(f"{exc}; {again}") from None
    if index.size or index.details.size == NONE.size:
        raise InputError(f"{path} holds no collection's details; {again}")
    try:
        with Image.open(first) as image:
            frame = canon_size((image.height, image.width))
    except (OSError, ValueError, Image.DecompressionBombError):
        frame = None  # none, or one the index gives a blank thumbnail: the others may fit
    if frame is not None and frame != index.details.size:
        return NONE, [f"{path} was found in another frame than {first.name}'s (the images "
                      "were replaced since `generate`): the copies index is pinned without the "
                      "collection's details; run `nft-toolkit generate` again to keep them"]
    return index.details, []


def contract_metadata(doc: dict[str, Any], image_uri: str, receiver: str | None,
                      bps: int) -> dict[str, Any]:
    """build/collection.json as the contract will back it: its image pinned, and the royalty the
    contract pays (``royaltyInfo``: `receiver`, `bps`); without a receiver yet (the issuer, known
    at deployment) no ``fee_recipient`` is stated rather than a wrong one."""
    out = {**doc, "image": image_uri, "seller_fee_basis_points": bps}
    out.pop("fee_recipient", None)
    if receiver is not None:
        out["fee_recipient"] = receiver
    return out


def prepare(project: Project, cid_version: Literal[0, 1], on_progress: Progress | None = None, *,
            force: bool = False, profile: str | None = None) -> Prepared:
    """CIDs, metadata image URIs, manifest and CAR of `project`'s build (see the module doc),
    imported with the IPIP-499 `profile`, or without one Kubo's defaults for `cid_version`.

    Everything is computed before any file is written, so a refusal writes nothing (blocks in
    the content-addressed store aside): InputError/ConfigError when the build breaks the
    consistency rule (token IDs 1..N within the cap) or would replace content a deployment
    commits to (:func:`nft_toolkit.consistency.check_repin`; `force` turns that into a warning).
    """
    config = project.load_config()
    images_dir, metadata_dir = project.images_dir, project.metadata_dir
    ids = build_ids(project)
    check_cap(len(ids), config.contract.max_supply, str(project.config_path))
    store = BlockStore(project.store_dir)
    options = ImportOptions.of(profile, cid_version)
    if profile is None and options == PROFILES[DEFAULT_PROFILE]:
        profile = DEFAULT_PROFILE
    importer = Importer(options, store.put)
    if on_progress:
        on_progress(0, 3, "images")
    images_root, images = _import_folder(importer, images_dir)

    # Each token's metadata is made, hashed and imported here, and made again when it is
    # written below: holding every file's bytes in between would grow with the collection.
    image_digests: list[bytes] = []
    metadata_digests: list[bytes] = []
    metas: dict[int, Entry] = {}
    for tid in ids:
        data = _pinned_metadata(metadata_dir, images, tid)
        metas[tid] = importer.add_bytes(data)
        metadata_digests.append(hashlib.sha256(data).digest())
        image_digests.append(hashlib.sha256((images_dir / f"{tid}.png").read_bytes()).digest())
    if on_progress:
        on_progress(1, 3, "metadata")
    metadata_root = importer.add_directory({f"{tid}.json".encode(): e for tid, e in metas.items()})
    targets = [PinTarget("images", images_root.cid), PinTarget("metadata", metadata_root.cid)]
    details, unfit = _generated_details(project, images_dir / f"{ids[0] if ids else 1}.png")
    # an image no verifier decodes gets a blank entry (copies of it cannot be recognised)
    index_bytes, _ = copies_index.build(
        ((f"{tid}.png", (images_dir / f"{tid}.png").read_bytes()) for tid in ids), details)
    index = importer.add_bytes(index_bytes)
    targets.append(PinTarget("copies-index", index.cid))

    contract_json: bytes | None = None
    if project.contract_metadata_path.is_file():
        # The collection's picture: the preview sheet when there is one, else token 1's image.
        cover = (importer.add_file(project.preview_path) if project.preview_path.is_file()
                 else images["1.png"])
        if project.preview_path.is_file():
            targets.append(PinTarget("collection-image", cover.cid))
        doc = contract_metadata(_read_object(project.contract_metadata_path, "contract metadata"),
                                f"ipfs://{cover.cid}",
                                config.royalty.receiver or deployed_issuer(project), config.royalty.bps)
        doc["copies_index"] = f"ipfs://{index.cid}"
        contract_json = json_bytes(doc)
        targets.append(PinTarget("contract-metadata", importer.add_bytes(contract_json).cid))

    items = [prov.Item(image, meta) for image, meta in zip(image_digests, metadata_digests)]
    scheme = pin_scheme(project, items)
    proof = prov.provenance_hash(items, scheme)
    warnings = check_repin(project, config.contract.freeze, f"ipfs://{metadata_root.cid}/",
                           proof, force)
    warnings += check_royalty(project, config.royalty.receiver, config.royalty.bps, force)
    warnings += unfit
    # Only now, with every rule checked, do files change.
    def changed() -> Iterator[tuple[Path, bytes]]:
        for tid, digest in zip(ids, metadata_digests):
            data = _pinned_metadata(metadata_dir, images, tid)
            if hashlib.sha256(data).digest() != digest:
                raise InputError(f"{metadata_dir / f'{tid}.json'} changed while `pin` ran; run "
                                 "`nft-toolkit pin` again")
            path = metadata_dir / f"{tid}.json"
            if path.read_bytes() != data:
                yield path, data
    atomic.write_batch(changed())
    if contract_json is not None and project.contract_metadata_path.read_bytes() != contract_json:
        atomic.write_bytes(project.contract_metadata_path, contract_json)
    tokens = {
        tid: TokenRecord(
            image_cid=str(images[f"{tid}.png"].cid), image_sha256=image_digests[i].hex(),
            metadata_cid=str(metas[tid].cid),
            metadata_sha256=items[i].metadata_sha256.hex(),
        )
        for i, tid in enumerate(ids)
    }
    contract_target = next((t for t in targets if t.name == "contract-metadata"), None)
    manifest = Manifest(
        cid_version=options.cid_version, profile=profile,
        images_cid=str(images_root.cid), metadata_cid=str(metadata_root.cid),
        contract_metadata_cid=str(contract_target.cid) if contract_target else None,
        provenance_hash=proof, tokens=tokens, provenance=scheme, copies_index_cid=str(index.cid),
    )
    if on_progress:
        on_progress(2, 3, "CAR")
    count = write_car_file(project.car_path, store, [t.cid for t in targets])
    manifest.save(project.manifest_path)
    if on_progress:
        on_progress(3, 3, "manifest")
    return Prepared(manifest, targets, count, warnings)


def state_royalty(project: Project, receiver: str, bps: int) -> PinTarget | None:
    """Writes the royalty `receiver` the contract will pay into build/collection.json when it
    was not known at `pin` (the issuer, by default), and imports it: the new contract-metadata
    target, with the manifest and CAR updated, or None when the file already states it.

    Called by deploy before it sets ``contractURI``; the caller pins the target.
    """
    manifest = Manifest.load(project.manifest_path)
    path = project.contract_metadata_path
    if manifest.contract_metadata_cid is None or not path.is_file():
        return None
    doc = _read_object(path, "contract metadata")
    if doc.get("fee_recipient") == receiver and doc.get("seller_fee_basis_points") == bps:
        return None
    data = json_bytes(contract_metadata(doc, str(doc.get("image", "")), receiver, bps))
    store = BlockStore(project.store_dir)
    importer = Importer(ImportOptions.of(manifest.profile, manifest.cid_version), store.put)
    cid = importer.add_bytes(data).cid
    # the roots in the order prepare() gives them: images, metadata, copies index, cover, this
    roots = [Cid.parse(c) for c in (manifest.images_cid, manifest.metadata_cid,
                                    manifest.copies_index_cid) if c]
    cover = ipfs_file_cid(doc.get("image"))
    if cover is not None and not same_cid(cover, manifest.images_cid):
        roots.append(Cid.parse(cover))
    roots.append(cid)
    atomic.write_bytes(path, data)
    write_car_file(project.car_path, store, roots)
    replace(manifest, contract_metadata_cid=str(cid)).save(project.manifest_path)
    return PinTarget("contract-metadata", cid)


def write_car_file(path: Path, store: BlockStore, roots: list[Cid]) -> int:
    """Writes the CAR of `roots` to `path` atomically (temporary file, then rename)."""
    with open_write(path) as fh:
        count = write_car(fh, roots, walk_dag(store, roots))
    return count
