"""A collection for the web service's tests, and the service running on a real port.

The collection (5 items, cap 5) is pinned and deployed on a fresh ganache, tokens 1..4 minted;
item 3's metadata name is hostile HTML (committed on chain like any other name); the store's copy
of item 2's metadata is edited after pinning (same CID, other bytes: tampered); token 5 is never
minted; a look-alike contract with the same code and content is deployed by another account
(counterfeit when a customer is given its address).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.deployer import deploy, deploy_project, plan_for_project
from nft_toolkit.chain.local import DEV_CHAIN_ID, LocalChain, free_port
from nft_toolkit.chain.minter import Minter, project_minter
from nft_toolkit.deployment import DeploymentRecord
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.publish import prepare
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.journal import Journal
from nft_toolkit.project import Project
from nft_toolkit.web.app import create_app
from nft_toolkit.web.service import Options, Service
from tests.support.cli import CUSTOMER
from tests.support.collection import build_collection

HOSTILE_NAME = ('<script>window.pwned = "script"; alert(1)</script>'
                '<img src=x onerror="window.pwned = \'img\'; alert(2)">')
AUTHENTIC, TAMPERED, HOSTILE, NOT_MINTED = 1, 2, 3, 5


@dataclass
class WebCollection:
    project: Project
    record: DeploymentRecord
    lookalike: str
    local: LocalChain

    def stop(self) -> None:
        self.local.stop()


def web_collection(root: Path) -> WebCollection:
    """The collection described above, its chain running (stop it with `.stop()`)."""
    project = build_collection(root, 5)
    path = project.metadata_dir / f"{HOSTILE}.json"
    meta = json.loads(path.read_text())
    meta["name"] = HOSTILE_NAME
    meta["description"] = "</p><script>window.pwned = 'description'</script>"
    path.write_text(json.dumps(meta))
    prepare(project, 0, force=True)
    local = LocalChain(project.chain_dir)
    state = local.start(free_port())
    try:
        chain = Chain(state.url, DEV_CHAIN_ID, name="development")
        issuer = dev_account(0)
        record = deploy_project(project, chain, issuer, "development")
        project_minter(project, chain, issuer, "development").mint([(CUSTOMER, 4)])
        manifest = Manifest.load(project.manifest_path)
        forger = dev_account(9)
        fake = deploy(chain, forger, plan_for_project(project.load_config(), manifest,
                                                      forger.address),
                      "lookalike", project.journal_dir / "deploy-lookalike.json",
                      root / "lookalike.json")
        Minter(chain, forger, fake.address, Journal(project.journal_dir / "mint-lookalike.jsonl")
               ).mint([(CUSTOMER, 1)], batch_size=1)
    except BaseException:
        local.stop()
        raise
    block = BlockStore(project.store_dir).block_path(manifest.tokens[TAMPERED].metadata_cid)
    block.write_bytes(block.read_bytes().replace(b'"name"', b'"NAME"', 1))
    return WebCollection(project, record, fake.address, local)


class LiveServer:
    """`create_app(Service(options))` served by uvicorn on a free port, in a thread."""

    def __init__(self, options: Options) -> None:
        self.service = Service(options)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(self.service), host="127.0.0.1", port=self.port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web service did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
