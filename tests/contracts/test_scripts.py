"""The Brownie scripts run the library's deploy and mint paths (the CLI's) on the Brownie chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from brownie import network, web3

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import NodeSigner
from nft_toolkit.chain.minter import mint_journal_path
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ContractError, InputError
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.journal import Journal
from scripts import deploy, mint
from scripts.connection import connect
from tests.support.collection import build_collection


def test_deploy_then_mint_a_project_like_the_cli(tmp_path: Path, accounts) -> None:
    project = build_collection(tmp_path / "horse", 28, max_supply=50)  # 22 kept for later
    name = network.show_active()

    record = deploy.main(str(project.root))
    assert record == load_record(project.deployment_path(name))
    assert (record.network, record.issuer) == (name, accounts[0].address)
    assert load_artifact().runtime_matches(bytes(web3.eth.get_code(record.address)))
    contract = web3.eth.contract(address=record.address, abi=load_artifact().abi)
    manifest = Manifest.load(project.manifest_path)
    assert contract.functions.baseURI().call() == manifest.base_uri
    assert "0x" + contract.functions.provenanceHash().call().hex() == manifest.provenance_hash
    assert contract.functions.metadataFrozen().call()
    with pytest.raises(ContractError, match="already deployed"):
        deploy.main(str(project.root))

    result = mint.main(accounts[2].address, "25", "10", str(project.root))
    assert [(b.batch.first, b.batch.last) for b in result.batches] == [(1, 10), (11, 20), (21, 25)]
    assert contract.functions.ownersInRange(1, 50).call() == [accounts[2].address] * 25
    assert Journal(mint_journal_path(project, name)).records()[-1]["type"] == "complete"
    with pytest.raises(InputError, match="already completed"):  # the journal guards a rerun
        mint.main(accounts[2].address, "25", "10", str(project.root))

    airdrop = tmp_path / "drop.csv"
    airdrop.write_text(f"address,count\n{accounts[3].address},2\n{accounts[4].address}\n")
    result = mint.airdrop(str(airdrop), "100", str(project.root))
    assert (result.plan.first, result.plan.last, len(result.batches)) == (26, 28, 1)
    assert contract.functions.ownersInRange(26, 28).call() == [accounts[3].address] * 2 + [accounts[4].address]
    with pytest.raises(InputError, match=r"only IDs 1\.\.28 have content"):  # the script path too
        mint.main(accounts[2].address, "1", "10", str(project.root))


def test_brownie_accounts_become_signers(accounts) -> None:
    _, signer, confirmations = connect(web3, accounts[0], "x")
    assert isinstance(signer, NodeSigner) and signer.address == accounts[0].address
    assert confirmations == 1  # ganache: a development chain
    local = accounts.add()  # Brownie holds this key
    _, signer, _ = connect(web3, local, "x")
    assert not isinstance(signer, NodeSigner) and signer.address == local.address
