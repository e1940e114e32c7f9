"""The project's network an ad-hoc `--rpc-url` reaches: its deployment found by the chain it
answers as. `mint --rpc-url URL --chain-id ID` (no `--network`) names no record; rather than
"deployments/custom.json does not exist: deploy first" (and a second contract deployed on the
advice), the chain's ID is checked first and the one record of that chain (whose contract is at
its recorded address) is used, under its own name, so its journal and record are the ones used.
"""

from __future__ import annotations

from dataclasses import replace

from nft_toolkit.chain.connect import open_chain
from nft_toolkit.chain.networks import Network
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ConfigError
from nft_toolkit.project import Project

AD_HOC = "custom"  # the name resolve_network gives an --rpc-url without --network


def recorded_network(project: Project, net: Network, *, deploying: bool = False) -> Network:
    """`net`, or, when it is an `--rpc-url` given without `--network` and the project has no
    record under its name, the same endpoints named as the project's deployment on the chain
    they answer as (ID checked first: ConfigError, one line, when it is not `--chain-id`).
    ConfigError when no record is of that chain (unless `deploying`: then `net`, the chain ID
    filled in) or several are, naming them and how to choose; ChainError when nothing answers."""
    if net.rpc_url is None or net.name != AD_HOC or project.deployment_path(net.name).exists():
        return net
    chain = open_chain(replace(net, chain_id=None), None, start=False, check=False)
    actual = chain.chain_id  # ChainError when nothing answers
    if net.chain_id is not None and actual != net.chain_id:
        raise ConfigError(f"--rpc-url {chain.where} answers as chain {actual}, not --chain-id "
                          f"{net.chain_id}: refusing to go on")
    records = [(path.stem, load_record(path)) for path in project.deployment_record_paths()]
    here = [(name, rec) for name, rec in records if rec.chain_id == actual
            and chain.code(rec.address)]
    if len(here) == 1:
        name = here[0][0]
        return replace(net, name=name, chain_id=actual)
    where = f"the chain at {chain.where} (chain {actual})"
    if len(here) > 1:
        names = ", ".join(f"{name} at {rec.address}" for name, rec in here)
        raise ConfigError(f"{where} holds several deployments of this project ({names}): name one "
                          "with --network NAME beside --rpc-url")
    if deploying:
        return replace(net, chain_id=actual)
    others = "; ".join(f"{name} is on chain {rec.chain_id} at {rec.address}"
                       for name, rec in records) or "none is recorded"
    raise ConfigError(f"no deployment of this project is recorded on {where} ({others}): give "
                      "the --rpc-url of that chain (with --network NAME), or deploy first")
