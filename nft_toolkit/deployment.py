"""The deployment record an issuer publishes: deployments/<network>.json.

It names the official contract of a collection on one network, and is what `verify` trusts by
default inside a project: ``{"network", "chain_id", "address", "transaction", "block", "issuer",
"runtime_hash", "artifact", "base_uri", "provenance_hash", "tokens", "frozen", "royalty_receiver",
"royalty_bps", "transfer_policy", "hold_days"}``. `runtime_hash` identifies the audited code (see
:attr:`nft_toolkit.artifact.Artifact.runtime_hash`); the last eight say what the deployment committed
to (the pinned base URI, the provenance hash, the number of items 1..N under that base URI, whether
it was frozen, the ERC-2981 royalty and the transfer policy with its hold in whole days, both fixed
in the constructor: :mod:`nft_toolkit.policy`), so that `pin` can refuse to
replace what a deployed collection points at, or state another royalty, without asking the chain. Records written before these keys
existed lack them (None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from nft_toolkit import atomic
from nft_toolkit.address import address_problem, parse_address, shown
from nft_toolkit.errors import ContractError
from nft_toolkit.jsonfile import read_json

if TYPE_CHECKING:
    from nft_toolkit.project import Project

FIELDS = ("network", "chain_id", "address", "transaction", "block", "issuer", "runtime_hash",
          "artifact")
# optional: newer records
COMMITMENTS = ("base_uri", "provenance_hash", "tokens", "frozen", "royalty_receiver", "royalty_bps",
               "transfer_policy", "hold_days")


@dataclass(frozen=True)
class DeploymentRecord:
    """Where, when and by whom the collection contract was deployed on one network."""

    network: str
    chain_id: int
    address: str
    transaction: str
    block: int
    issuer: str
    runtime_hash: str
    artifact: str = "ZodiacCollection"
    base_uri: str | None = None
    provenance_hash: str | None = None
    tokens: int | None = None
    frozen: bool | None = None
    royalty_receiver: str | None = None
    royalty_bps: int | None = None
    transfer_policy: str | None = None
    hold_days: int | None = None

    def save(self, path: Path) -> None:
        atomic.write_json(path, asdict(self))


def keep_superseded(path: Path, history: Callable[[str, str], Path]) -> Path | None:
    """Copies the record at `path` (when there is one), byte for byte and atomically, to
    ``history(network, address)`` before another deployment replaces it: the replaced contract's
    tokens exist, so its record must stay in the project, as superseded. The copy's path."""
    if not path.exists():
        return None
    record = load_record(path)
    target = history(record.network, record.address)
    atomic.write_bytes(target, path.read_bytes())
    return target


DEPLOY_FIRST = "deploy first (`nft-toolkit deploy`)"  # what a missing record's line advises


def network_record(project: Project, network: str, missing: str = DEPLOY_FIRST) -> DeploymentRecord:
    """The project's deployment record on `network` (:func:`load_record`). When it has none but
    has records on other networks, the ContractError names them and how to reach them: a user
    who forgot `--rpc-url` or `--network` is not sent to deploy a second contract."""
    elsewhere = deployed_elsewhere(project, network)
    if elsewhere is not None:
        raise ContractError(f"{elsewhere}: give that chain's --rpc-url, or its --network NAME; "
                            f"or, to deploy on {network} too, deploy")
    return load_record(project.deployment_path(network), missing)


def deployed_elsewhere(project: Project, network: str) -> str | None:
    """When the project has no record on `network` but has some on other networks, a sentence
    naming them (network, chain, contract); else None."""
    path = project.deployment_path(network)
    others = [] if path.exists() else [(p.stem, load_record(p))
                                       for p in project.deployment_record_paths()]
    if not others:
        return None
    listed = "; ".join(f"{name} (chain {rec.chain_id}, contract {rec.address})"
                       for name, rec in others)
    return f"this project is not deployed on {network} ({path.name} does not exist) but on {listed}"


def load_record(path: Path, missing: str = DEPLOY_FIRST) -> DeploymentRecord:
    """The record at `path`; ContractError (exit 2) if malformed, or if missing (saying `missing`)."""
    data = read_json(path, "deployment record", ContractError, missing)
    if not isinstance(data, dict) or any(key not in data for key in FIELDS):
        absent = [k for k in FIELDS if not isinstance(data, dict) or k not in data]
        raise ContractError(f"deployment record {path} lacks {', '.join(absent)}")
    try:
        record = DeploymentRecord(**{key: data[key] for key in FIELDS},
                                  **{key: data[key] for key in COMMITMENTS if key in data})
    except TypeError as exc:
        raise ContractError(f"deployment record {path}: {exc}") from None
    if not isinstance(record.chain_id, int):
        raise ContractError(f"deployment record {path} holds a malformed chain ID")
    for key in ("address", "issuer"):
        value = getattr(record, key)
        problem = address_problem(value)
        if problem is not None:
            raise ContractError(f"deployment record {path}: {key} {shown(value)} {problem}")
    return replace(record, address=parse_address(record.address),
                   issuer=parse_address(record.issuer))

