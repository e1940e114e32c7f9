"""Deploy a collection project with Brownie's network and first account:

    brownie run scripts/deploy.py main [PROJECT_DIR] [FORCE] --network NAME

The same library path as `nft-toolkit deploy` (nft_toolkit.chain.deployer.deploy_project): the
parameters of collection.yaml and the commitments of build/manifest.json, a journaled deployment
that a second run finishes, and the record deployments/<NAME>.json.
"""

from __future__ import annotations

from pathlib import Path

from brownie import accounts, network, web3

from nft_toolkit.chain.deployer import deploy_project
from nft_toolkit.deployment import DeploymentRecord
from nft_toolkit.project import find_project
from scripts.connection import connect, flag


def main(project_dir: str | None = None, force: str = "false",
         replace_minted: str = "false") -> DeploymentRecord:
    """Deploys (or finishes deploying) the project's collection; `force` deploys another
    (`replace_minted` too when the existing contract has minted tokens)."""
    name = network.show_active()
    chain, signer, confirmations = connect(web3, accounts[0], name)
    project = find_project(Path(project_dir) if project_dir else None)
    record = deploy_project(project, chain, signer, name, confirmations=confirmations,
                            force=flag(force), replace_minted=flag(replace_minted),
                            progress=lambda step, what: print(f"  {step:<13} {what}"))
    print(f"deployed on {name} (chain {record.chain_id}) at {record.address}, issuer "
          f"{record.issuer}; record: {project.deployment_path(name)}")
    return record
