"""Mint tokens of a project's deployed collection with Brownie's network and first account:

    brownie run scripts/mint.py main ADDRESS COUNT [BATCH_SIZE] [PROJECT_DIR] --network NAME
    brownie run scripts/mint.py airdrop FILE.csv [BATCH_SIZE] [PROJECT_DIR] --network NAME

The same library path as `nft-toolkit mint` (nft_toolkit.chain.minter.project_minter): the
contract of deployments/<NAME>.json and a journal, so a run stopped at any point and run again
mints every planned token exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from brownie import accounts, network, web3

from nft_toolkit.address import parse_address
from nft_toolkit.chain.airdrop import load_airdrop
from nft_toolkit.chain.minter import MintResult, project_minter
from nft_toolkit.project import find_project
from scripts.connection import connect


def main(to: str, count: str = "1", batch_size: str = "100",
         project_dir: str | None = None) -> MintResult:
    """Mints `count` tokens to `to` (or resumes the same interrupted mint)."""
    return _mint([(parse_address(str(to), "ADDRESS"), int(count))], int(batch_size), project_dir,
                 lambda i: "ADDRESS")


def airdrop(csv_file: str, batch_size: str = "100", project_dir: str | None = None) -> MintResult:
    """Mints to every `address[,count]` row of an airdrop CSV."""
    drop = load_airdrop(Path(csv_file))
    return _mint(drop.allocations, int(batch_size), project_dir, drop.where)


def _mint(allocations: list[tuple[str, int]], batch_size: int, project_dir: str | None,
          where: Callable[[int], str]) -> MintResult:
    """The project's minter on Brownie's network, with Brownie's first account."""
    name = network.show_active()
    chain, signer, confirmations = connect(web3, accounts[0], name)
    project = find_project(Path(project_dir) if project_dir else None)
    minter = project_minter(project, chain, signer, name, confirmations)
    result = minter.mint(allocations, batch_size, where=where)
    plan = result.plan
    print(f"minted IDs {plan.first}..{plan.last} on {plan.contract} in {len(result.batches)} "
          f"transaction(s), {result.gas_used:,} gas")
    return result
