"""A collection project on disk: where its configuration, build outputs, records and state live.

One :class:`Project` object names every path, so commands, the library and the tests agree on
the layout without repeating it::

    collection.yaml            the collection's configuration (nft_toolkit.config)
    build/images/<id>.png      artwork          build/metadata/<id>.json   ERC-721 metadata
    build/rarity.json|.txt     rarity report    build/preview.png          contact sheet
    build/collection.json      contract-level metadata (contractURI)
    build/copies-details.bin   the collection's details, for `pin`'s copies index
    build/manifest.json        CIDs, sha256 digests and provenance hash, written by `pin`
    build/collection.car       CARv1 of the pinned collection
    deployments/<network>.json deployment record per network (published by the issuer)
    .nft-toolkit/journal/deploy-<network>.json   an unfinished deployment
    .nft-toolkit/              local state: block store, chain data, mint journals
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nft_toolkit.errors import ConfigError

if TYPE_CHECKING:
    from nft_toolkit.config import CollectionConfig

CONFIG_NAME = "collection.yaml"
COPIES_DETAILS = "copies-details.bin"  # in build/: written by `generate`, read by `pin`


@dataclass(frozen=True)
class Project:
    """The paths of one collection project rooted at `root`."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def load_config(self) -> CollectionConfig:
        """The validated collection.yaml (raises ConfigError naming the key and the fix)."""
        from nft_toolkit.config import load_config

        return load_config(self.config_path)

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def images_dir(self) -> Path:
        return self.build_dir / "images"

    @property
    def metadata_dir(self) -> Path:
        return self.build_dir / "metadata"

    @property
    def rarity_json(self) -> Path:
        return self.build_dir / "rarity.json"

    @property
    def rarity_txt(self) -> Path:
        return self.build_dir / "rarity.txt"

    @property
    def preview_path(self) -> Path:
        return self.build_dir / "preview.png"

    @property
    def contract_metadata_path(self) -> Path:
        return self.build_dir / "collection.json"

    @property
    def copies_details_path(self) -> Path:
        """The collection's details as `generate` found them (:mod:`nft_toolkit.art.details`):
        a copies index of no tokens; absent when the images were not generated here."""
        return self.build_dir / COPIES_DETAILS

    @property
    def manifest_path(self) -> Path:
        return self.build_dir / "manifest.json"

    @property
    def car_path(self) -> Path:
        return self.build_dir / "collection.car"

    @property
    def deployments_dir(self) -> Path:
        return self.root / "deployments"

    def deployment_path(self, network: str) -> Path:
        return self.deployments_dir / f"{network}.json"

    def pending_deployment_path(self, network: str) -> Path:
        """The journal of an unfinished deployment to `network` (removed when it finishes)."""
        return self.journal_dir / f"deploy-{network}.json"

    def deployment_record_paths(self) -> list[Path]:
        """The records of finished deployments, deployments/<network>.json, by name."""
        return sorted(self.deployments_dir.glob("*.json"))

    @property
    def superseded_dir(self) -> Path:
        """Where `deploy --force` keeps the record it replaces: never lost, no longer official."""
        return self.deployments_dir / "history"

    def superseded_record_path(self, network: str, address: str) -> Path:
        return self.superseded_dir / f"{network}-{address}.json"

    def superseded_record_paths(self) -> list[Path]:
        """The records of deployments replaced by `deploy --force`, by name."""
        return sorted(self.superseded_dir.glob("*.json"))

    def pending_deployment_paths(self) -> list[Path]:
        """The journals of unfinished deployments, by name."""
        return sorted(self.journal_dir.glob("deploy-*.json"))

    def deployment_files(self) -> list[Path]:
        """Every deployment record and unfinished deployment's journal: what says a contract
        commits to this build."""
        return self.deployment_record_paths() + self.pending_deployment_paths()

    @property
    def state_dir(self) -> Path:
        return self.root / ".nft-toolkit"

    @property
    def store_dir(self) -> Path:
        """The local content-addressed block store (the `local` pinning backend)."""
        return self.state_dir / "blocks"

    @property
    def chain_dir(self) -> Path:
        """State of the local development chain (`nft-toolkit chain start`)."""
        return self.state_dir / "chain"

    @property
    def journal_dir(self) -> Path:
        return self.state_dir / "journal"


def find_project(start: Path | None = None) -> Project:
    """The project whose collection.yaml is in `start` (default: the working directory) or above."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Project(folder)
    raise ConfigError(
        f"no {CONFIG_NAME} in {here} or any folder above it: run `nft-toolkit init DIR` "
        "or pass --project DIR"
    )
