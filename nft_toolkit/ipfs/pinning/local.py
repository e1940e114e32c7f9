"""The `local` backend: the project's own block store; pinning checks the DAG is whole."""

from __future__ import annotations

import json
from pathlib import Path

from nft_toolkit.atomic import write_json
from nft_toolkit.ipfs.car import walk_dag
from nft_toolkit.ipfs.pinning.base import PinResult, PinTarget, Progress
from nft_toolkit.ipfs.retrieval import BlockSource
from nft_toolkit.ipfs.store import BlockStore


class LocalBackend:
    """Pins are recorded in `pins_path` once every block of the DAG is in `store`, verified."""

    name = "local"

    def __init__(self, store: BlockStore, pins_path: Path) -> None:
        self.store = store
        self.pins_path = pins_path

    def pins(self) -> dict[str, str]:
        try:
            pins: dict[str, str] = json.loads(self.pins_path.read_text())
            return pins
        except FileNotFoundError:
            return {}

    def pin(self, targets: list[PinTarget], source: BlockSource,
            on_progress: Progress | None = None) -> list[PinResult]:
        pins = self.pins()
        results = []
        for i, target in enumerate(targets):
            key = str(target.cid)
            if key in pins and self.store.has(target.cid):
                results.append(PinResult(target.name, key, "already-pinned"))
            else:
                for cid, block in walk_dag(source, [target.cid]):  # each block verified
                    self.store.put(cid, block)
                pins[key] = target.name
                write_json(self.pins_path, pins)
                results.append(PinResult(target.name, key, "pinned"))
            if on_progress:
                on_progress(i + 1, len(targets), target.name)
        return results
