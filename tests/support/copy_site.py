"""The copies collection (tests/support/copy_collection.py) deployed on a fresh ganache, for the
page's answer to an uploaded copy: tokens 1..7 minted, token 8 never minted (its copies and its
own file show an item the chain does not have), token 9 (3's near twin) never minted either."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.deployer import deploy_project
from nft_toolkit.chain.local import DEV_CHAIN_ID, LocalChain, free_port
from nft_toolkit.chain.minter import project_minter
from nft_toolkit.project import Project
from tests.support.cli import CUSTOMER
from tests.support.copy_collection import build_copy_collection

MINTED = 7
UNMINTED = 8


@dataclass
class CopySite:
    project: Project
    local: LocalChain

    def stop(self) -> None:
        self.local.stop()


def copy_site(root: Path) -> CopySite:
    """The collection above, its chain running (stop it with `.stop()`)."""
    project = build_copy_collection(root)
    local = LocalChain(project.chain_dir)
    state = local.start(free_port())
    try:
        chain = Chain(state.url, DEV_CHAIN_ID, name="development")
        issuer = dev_account(0)
        deploy_project(project, chain, issuer, "development")
        project_minter(project, chain, issuer, "development").mint([(CUSTOMER, MINTED)])
    except BaseException:
        local.stop()
        raise
    return CopySite(project, local)
