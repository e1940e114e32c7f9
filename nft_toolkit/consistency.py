"""The consistency rule of the issuer's path, checked where each step starts.

A collection's content can no longer change once its base URI is frozen, and its provenance hash
never after deployment, so a mistake that passes `pin`, `deploy` or `mint` is lost for good. Each
step therefore checks, before it writes, sends or freezes anything:

- ``pin``: the build holds token IDs 1..N with no gap, images and metadata alike, N at most the
  cap (a cap above N, kept for later drops, is allowed and shown); and it does not replace the
  content a deployment commits to (:func:`check_repin`);
- ``deploy``: the pinned manifest is 1..N within the cap, the build is what was pinned, and the
  local block store holds the base directory whose images and metadata reproduce the provenance
  hash (under the manifest's scheme, :mod:`nft_toolkit.ipfs.provenance`);
- ``mint``: no token ID above the N items behind the base URI on chain (:func:`committed_items`).

Every rule is a function raising the :class:`~nft_toolkit.errors.NftToolkitError` its user sees;
`nft-toolkit check` runs them all and lists every finding.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nft_toolkit.deployment import DeploymentRecord, load_record
from nft_toolkit.errors import ConfigError, ContentError, ContractError, InputError, IntegrityError
from nft_toolkit.ipfs import provenance as prov
from nft_toolkit.ipfs.cid import same_cid
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.ipfs.uri import ipfs_dir_cid, ipfs_file_cid
from nft_toolkit.jsonfile import read_json
from nft_toolkit.project import Project
from nft_toolkit.verify.sources import IpfsContent
from nft_toolkit.verify.trust import items_from_content, token_ids

# ASCII digits only: str.isdigit() also takes '²' or '٣', which int() then refuses or reads.
_TOKEN_STEM = re.compile(r"[1-9][0-9]{0,18}")


@dataclass(frozen=True)
class Finding:
    """One rule's outcome for `nft-toolkit check`: held, failed, or held with a warning."""

    name: str
    ok: bool
    detail: str
    warning: bool = False


def folder_token_ids(folder: Path, suffix: str) -> list[int]:
    """The token IDs of the ``<id><suffix>`` files of `folder`, ascending (hidden files skipped).

    InputError for a missing or empty folder, or a file that is not ``<id><suffix>`` with `<id>`
    in ASCII digits and no leading zero.
    """
    if not folder.is_dir():
        raise InputError(f"{folder} does not exist: run `nft-toolkit generate` first")
    ids = []
    for path in folder.iterdir():
        if path.name.startswith("."):
            continue
        if path.suffix != suffix or not _TOKEN_STEM.fullmatch(path.stem):
            raise InputError(f"{path}: expected only <token id>{suffix} files in {folder} "
                             "(IDs in digits 0-9, from 1, no leading zero)")
        ids.append(int(path.stem))
    if not ids:
        raise InputError(f"{folder} holds no {suffix} files: run `nft-toolkit generate` first")
    return sorted(ids)


def check_sequence(ids: Sequence[int], where: str) -> int:
    """N when `ids` (ascending) are exactly 1..N; else an InputError naming the missing IDs.

    A gap can never be filled once the base URI is frozen: the missing token would exist on
    chain with no content behind it.
    """
    n = ids[-1] if ids else 0
    if list(ids) != list(range(1, n + 1)):
        present = set(ids)
        missing = [i for i in range(1, n + 1) if i not in present]
        shown = ", ".join(map(str, missing[:5])) + (f" and {len(missing) - 5} more"
                                                    if len(missing) > 5 else "")
        raise InputError(f"{where} holds token IDs up to {n} with {shown} missing: IDs must run "
                         "1..N without gaps; run `nft-toolkit generate` again")
    return n


def build_ids(project: Project) -> list[int]:
    """The build's token IDs, 1..N, the same for build/images and build/metadata."""
    ids = folder_token_ids(project.images_dir, ".png")
    meta_ids = folder_token_ids(project.metadata_dir, ".json")
    if ids != meta_ids:
        odd = sorted(set(ids) ^ set(meta_ids))
        shown = ", ".join(str(i) for i in odd[:5])
        raise InputError(f"build/images and build/metadata differ for token IDs {shown}: run "
                         "`nft-toolkit generate` again")
    check_sequence(ids, str(project.images_dir))
    return ids


def check_cap(n: int, max_supply: int, where: str = "collection.yaml") -> str:
    """A line describing N items under the cap; ConfigError when N exceeds it."""
    if n > max_supply:
        raise ConfigError(f"{where}: contract.max_supply is {max_supply:,} but {n:,} items are "
                          f"built: raise the cap or generate at most {max_supply:,}")
    kept = max_supply - n
    return f"{n:,} item(s), cap {max_supply:,}" + (f" ({kept:,} kept for later drops)" if kept else "")


def check_manifest(manifest: Manifest, max_supply: int, where: str) -> int:
    """N of a pin manifest: its tokens are 1..N within the cap."""
    n = check_sequence(sorted(manifest.tokens), where)
    check_cap(n, max_supply)
    return n


def changed_since_pin(project: Project, manifest: Manifest) -> list[str]:
    """The build files that differ from what `pin` recorded (first ten), or are missing/extra."""
    changed: list[str] = []
    ids = build_ids(project)
    if ids != sorted(manifest.tokens):
        return [f"token IDs 1..{len(ids)} built, 1..{len(manifest.tokens)} pinned"]
    for tid in ids:
        rec = manifest.tokens[tid]
        for path, digest in ((project.images_dir / f"{tid}.png", rec.image_sha256),
                             (project.metadata_dir / f"{tid}.json", rec.metadata_sha256)):
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                changed.append(str(path.relative_to(project.root)))
        if len(changed) >= 10:
            break
    return changed


def check_unchanged(project: Project, manifest: Manifest) -> None:
    """InputError when the build differs from the pinned manifest (edited after `pin`)."""
    changed = changed_since_pin(project, manifest)
    if changed:
        raise InputError(f"the build changed since `pin` ({', '.join(changed[:3])}"
                         f"{' …' if len(changed) > 3 else ''}): run `nft-toolkit pin` again, "
                         "or restore the files")


def check_store(project: Project, manifest: Manifest) -> None:
    """The local block store holds the manifest's base directory, 1..N.json, whose images and
    metadata reproduce its provenance hash under its scheme: what a verifier will find behind
    the base URI."""
    try:
        items = items_from_content(IpfsContent(BlockStore(project.store_dir)),
                                   manifest.metadata_cid)
    except IntegrityError as exc:
        raise InputError(f"the local store {project.store_dir} is damaged: {exc} (its bytes "
                         "were changed at rest, not what the chain commits to): `nft-toolkit "
                         "pin` writes its blocks again from build/") from None
    except ContentError as exc:
        raise InputError(f"the pinned collection {manifest.metadata_cid} is not complete in the "
                         f"local store ({exc}): run `nft-toolkit pin` again") from None
    if (len(items) != len(manifest.tokens)
            or prov.provenance_hash(items, manifest.provenance) != manifest.provenance_hash):
        raise InputError(f"the content under {manifest.base_uri} does not reproduce the manifest's "
                         "provenance hash: run `nft-toolkit pin` again")


def deployment_records(project: Project) -> list[DeploymentRecord]:
    """The records of the project's finished deployments (deployments/*.json), by file name."""
    return [load_record(path) for path in project.deployment_record_paths()]


def superseded_records(project: Project) -> list[tuple[Path, DeploymentRecord]]:
    """The records `deploy --force` replaced (deployments/history/*.json), with their paths:
    contracts whose tokens exist but which are no longer the network's official deployment."""
    return [(path, load_record(path)) for path in project.superseded_record_paths()]


def deployed_issuer(project: Project) -> str | None:
    """The issuer of the project's finished deployments when they all share one, else None:
    the royalty receiver by default, so a `pin` after `deploy` states what the contract pays."""
    issuers = {rec.issuer for rec in deployment_records(project)}
    return issuers.pop() if len(issuers) == 1 else None


@dataclass(frozen=True)
class Commitment:
    """What one deployment (finished or interrupted) commits the collection to."""

    network: str
    address: str | None
    base_uri: str | None
    provenance_hash: str | None
    frozen: bool | None  # None: not known offline (an old record or an unfinished deployment)


def commitments(project: Project, pinned: Manifest | None) -> list[Commitment]:
    """Every deployment of the project, finished (deployments/*.json) or interrupted (its
    journal); an old record without its commitments falls back to the manifest it deployed."""
    from nft_toolkit.chain.deployer import read_pending  # deployer checks with this module

    found: list[Commitment] = []
    for rec in deployment_records(project):
        base = rec.base_uri or (pinned.base_uri if pinned else None)
        proof = rec.provenance_hash or (pinned.provenance_hash if pinned else None)
        found.append(Commitment(rec.network, rec.address, base, proof, rec.frozen))
    for path in project.pending_deployment_paths():
        state = read_pending(path)
        if state is not None:
            network = state.network or path.stem.removeprefix("deploy-")
            found.append(Commitment(network, state.address, state.plan.get("base_uri"),
                                    state.plan.get("provenance_hash"), None))
    return found


def pin_scheme(project: Project, items: Sequence[prov.Item]) -> str:
    """The provenance scheme `pin` writes for a build of `items`: images and metadata
    (:data:`~nft_toolkit.ipfs.provenance.DEFAULT`), unless a deployment of the project committed
    these very images the older, images-only way: its manifest must keep describing the hash on
    chain, which no transaction can change."""
    pinned = Manifest.load(project.manifest_path) if project.manifest_path.is_file() else None
    old = prov.provenance_hash(items, prov.IMAGES)
    if any(c.provenance_hash is not None and c.provenance_hash.lower() == old
           for c in commitments(project, pinned)):
        return prov.IMAGES
    return prov.DEFAULT


def same_base_uri(a: str, b: str) -> bool:
    """Whether two ``ipfs://<CID>/`` base URIs name the same folder, compared by CID content
    (version and multibase aside); other URIs compare as text."""
    x, y = ipfs_dir_cid(a), ipfs_dir_cid(b)
    return same_cid(x, y) if x is not None and y is not None else a == b


def check_repin(project: Project, freeze_configured: bool, base_uri: str, proof: str,
                force: bool = False) -> list[str]:
    """Whether `pin` may write a collection of `base_uri` and provenance `proof`: warnings to
    show, or an InputError when it would replace the content a deployment commits to.

    Refused (unless `force`) when the deployment is frozen (its base URI can never follow) or
    the provenance changes (images, or metadata under the images-metadata scheme: the hash on
    chain can never change); otherwise a warning that the base URI on chain must be updated.
    `proof` is under the scheme :func:`pin_scheme` chose, the deployment's own.
    """
    pinned = Manifest.load(project.manifest_path) if project.manifest_path.is_file() else None
    warnings: list[str] = []
    for c in commitments(project, pinned):
        if c.base_uri is None or same_base_uri(c.base_uri, base_uri):
            continue
        where = f"the deployment on {c.network}" + (f" at {c.address}" if c.address else "")
        frozen = c.frozen if c.frozen is not None else freeze_configured
        other = c.provenance_hash is not None and c.provenance_hash.lower() != proof.lower()
        if force:
            warnings.append(f"{where} points at {c.base_uri}, not this build's {base_uri}: its "
                            "tokens keep the content it committed to")
        elif other:
            assert c.provenance_hash is not None
            raise InputError(f"{where} {'has frozen its base URI and ' if frozen else ''}"
                             f"committed to other images or metadata (provenance "
                             f"{c.provenance_hash[:18]}…, this build {proof[:18]}…), which no "
                             "transaction can change: restore the build, or pin with --force and "
                             "deploy a new contract (`deploy --force`)")
        elif frozen:
            raise InputError(f"{where} has frozen its base URI at {c.base_uri}; this build's "
                             f"metadata differs ({base_uri}): restore the metadata, or pin with "
                             "--force and deploy a new contract (`deploy --force`)")
        else:
            warnings.append(f"{where} points at {c.base_uri}: set its base URI to {base_uri} "
                            "(setBaseURI) before anyone verifies, or its tokens keep the old "
                            "metadata")
    return warnings


def check_royalty(project: Project, receiver: str | None, bps: int,
                  force: bool = False) -> list[str]:
    """Whether collection.yaml's royalty (`receiver`, None for the issuer, and `bps`) is the one
    each deployment pays: ``royaltyInfo`` is fixed in the constructor, so build/collection.json
    must not state another. InputError (unless `force`: then warnings) naming what is paid."""
    warnings: list[str] = []
    for rec in deployment_records(project):
        if rec.royalty_bps is None or rec.royalty_receiver is None:
            continue  # a record written before royalties were recorded
        if (receiver or rec.issuer) == rec.royalty_receiver and bps == rec.royalty_bps:
            continue
        text = (f"the deployment on {rec.network} at {rec.address} pays {rec.royalty_bps} basis "
                f"points to {rec.royalty_receiver}, fixed when it was deployed; collection.yaml "
                f"says {bps} to {receiver or 'the issuer'}")
        if not force:
            raise InputError(f"{text}: restore royalty in collection.yaml, or pin with --force "
                             "and deploy a new contract (`deploy --force`)")
        warnings.append(text)
    return warnings


def committed_items(base_uri: str, project: Project | None) -> int:
    """N, the number of items 1..N behind `base_uri` (the contract's, as read from the chain):
    from the local block store, else from the pin manifest when it is of that base URI.

    ContractError when the base URI is not an ``ipfs://<CID>/`` folder, or when neither source
    knows it (mint must not guess how many tokens have content).
    """
    base = ipfs_dir_cid(base_uri)
    if base is None:
        raise ContractError(f"the contract's base URI {base_uri!r} is not an ipfs://<CID>/ folder: "
                            "finish `nft-toolkit deploy` before minting")
    if project is not None:
        try:
            ids = token_ids(IpfsContent(BlockStore(project.store_dir)).directory(base))
            return check_sequence(ids, base_uri)
        except ContentError:
            pass
        if project.manifest_path.is_file():
            manifest = Manifest.load(project.manifest_path)
            if same_base_uri(manifest.base_uri, base_uri):
                return check_sequence(sorted(manifest.tokens), str(project.manifest_path))
    raise ContractError(f"cannot tell how many items are pinned under the contract's base URI "
                        f"{base_uri}: run `nft-toolkit pin` in the project that deployed it")


def check_contract_metadata(project: Project, manifest: Manifest, receiver: str | None,
                            bps: int) -> str:
    """build/collection.json, when pinned, names a pinned image and the royalty collection.yaml
    sets (the receiver is stated at deploy when it is the issuer); a line describing it."""
    if manifest.contract_metadata_cid is None:
        return "no build/collection.json: the contract gets no contractURI"
    doc = read_json(project.contract_metadata_path, "contract metadata", InputError,
                    "run `nft-toolkit generate` and `pin` again")
    if not isinstance(doc, dict) or ipfs_file_cid(doc.get("image")) is None:
        raise InputError(f"{project.contract_metadata_path} names no pinned image: run "
                         "`nft-toolkit pin` again")
    if doc.get("seller_fee_basis_points") != bps or (
            receiver is not None and doc.get("fee_recipient") != receiver):
        raise InputError(f"{project.contract_metadata_path} states another royalty than "
                         "collection.yaml: run `nft-toolkit pin` again")
    who = receiver or doc.get("fee_recipient") or "the issuer (stated and pinned by deploy)"
    return f"royalty {bps} basis points to {who}; image {doc['image']}"


def check_deployable(project: Project, max_supply: int, receiver: str | None = None,
                     bps: int = 0) -> Manifest:
    """The pin manifest `deploy` will commit to, after every rule holds: tokens 1..N within the
    cap, the build unchanged since `pin`, the local store holding the base directory whose
    images reproduce the provenance hash, and collection.json stating the royalty
    (`receiver`, `bps`) with a pinned image. Checked before any chain is touched."""
    manifest = Manifest.load(project.manifest_path)
    check_manifest(manifest, max_supply, str(project.manifest_path))
    check_unchanged(project, manifest)
    check_store(project, manifest)
    check_contract_metadata(project, manifest, receiver, bps)
    return manifest
