"""Deploying a collection, resumably: the contract, then base URI, provenance, contract URI, freeze.

Each transaction is signed and written to a pending-deployment file (atomically) before it is
sent. Run again after any interruption, :func:`deploy` settles the journaled transaction of each
step (see :mod:`nft_toolkit.chain.pending`), checks on chain whether the step's effect is
already there, and only then sends what is missing; so nothing is done twice. The deployment
record is written when every step holds, and the pending file removed.

:func:`deploy_project` is what `nft-toolkit deploy` and the Brownie script scripts/deploy.py run:
collection.yaml's parameters and the pin manifest's commitments, the pending file in the
project's journal folder and the record in deployments/<network>.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import to_checksum_address

from nft_toolkit import atomic
from nft_toolkit.address import parse_address
from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import Signer
from nft_toolkit.chain.client import Chain, SignedTx, to_hex
from nft_toolkit.chain.pending import send_new, settle
from nft_toolkit.consistency import check_deployable, same_base_uri
from nft_toolkit.deployment import DeploymentRecord, keep_superseded, load_record
from nft_toolkit.errors import ChainError, ContractError, InputError
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.pinning import make_backend, project_store
from nft_toolkit.ipfs.publish import state_royalty
from nft_toolkit.jsonfile import read_json, typed, typed_or_none
from nft_toolkit.policy import MAX_HOLD_DAYS, TRANSFER_POLICIES, TransferPolicy, policy_code
from nft_toolkit.project import Project

_HASH32 = re.compile(r"^0x[0-9a-f]{64}$")
Progress = Callable[[str, str], None]  # (step, what happened)


# The contract keeps ownerships in uint256[2**32] arrays and clamps a larger cap to this.
MAX_SUPPLY_LIMIT = 2**32 - 1


@dataclass(frozen=True)
class CollectionParams:
    """The constructor's parameters: fixed for the contract's life."""

    name: str
    symbol: str
    year: int
    max_supply: int
    royalty_receiver: str
    royalty_bps: int
    transfer_policy: TransferPolicy = "free"  # nft_toolkit.policy
    hold_days: int = 0  # whole days, gift_after_hold only

    @property
    def non_transferable(self) -> bool:
        return self.transfer_policy == "non_transferable"

    def __post_init__(self) -> None:
        if not self.name or not self.symbol:
            raise InputError("the collection needs a name and a symbol")
        if not 0 <= self.year <= 65535:  # 0: a collection without a zodiac year
            raise InputError(f"zodiac year {self.year} is out of range (1..65535)")
        if not 1 <= self.max_supply <= MAX_SUPPLY_LIMIT:
            raise InputError(f"max supply must be within 1..{MAX_SUPPLY_LIMIT:,}, not {self.max_supply}")
        if not 0 <= self.royalty_bps <= 10_000:
            raise InputError(f"royalty of {self.royalty_bps} basis points is not within 0..10000")
        parse_address(self.royalty_receiver, "royalty receiver")
        if self.transfer_policy not in TRANSFER_POLICIES:
            raise InputError(f"unknown transfer policy {self.transfer_policy!r}; use "
                             + " or ".join(TRANSFER_POLICIES))
        if (self.transfer_policy == "gift_after_hold") != (self.hold_days != 0) \
                or not 0 <= self.hold_days <= MAX_HOLD_DAYS:
            raise InputError(f"a hold of {self.hold_days} days does not fit transfer policy "
                             f"{self.transfer_policy} (gift_after_hold takes 1..{MAX_HOLD_DAYS} "
                             "days, the others none)")


@dataclass(frozen=True)
class DeployPlan:
    """Everything a deployment sets: constructor parameters and the metadata commitments."""

    params: CollectionParams
    base_uri: str
    provenance_hash: str  # 0x + 64 hex: the manifest's, under its scheme (nft_toolkit.ipfs.provenance)
    contract_uri: str | None
    freeze: bool

    def __post_init__(self) -> None:
        if not self.base_uri:
            raise InputError("the base URI is empty: pin the collection first (`nft-toolkit pin`)")
        if not _HASH32.match(self.provenance_hash.lower()) or int(self.provenance_hash, 16) == 0:
            raise InputError(f"provenance hash {self.provenance_hash!r} is not a non-zero 32-byte hex")

    def as_json(self) -> dict[str, Any]:
        """The plan as the pending-deployment file records it (to resume only the same plan)."""
        return asdict(self)


@dataclass
class PendingDeployment:
    """The pending-deployment file: what is being deployed, where, by whom, and each step's
    signed transaction (journaled before it is sent); the contract once it is mined."""

    chain_id: int
    issuer: str
    plan: dict[str, Any]  # DeployPlan.as_json(): only the same plan resumes, compared as JSON
    network: str | None = None  # every version wrote it; the reader never required it
    txs: dict[str, SignedTx] = field(default_factory=dict)  # step -> its transaction
    address: str | None = None  # the contract, with its transaction and block, once mined
    transaction: str | None = None
    block: int | None = None
    version: int = 1

    def as_json(self) -> dict[str, Any]:
        return {"version": self.version, "network": self.network, "chain_id": self.chain_id,
                "issuer": self.issuer, "plan": self.plan,
                "txs": {step: asdict(tx) for step, tx in self.txs.items()},
                "address": self.address, "transaction": self.transaction, "block": self.block}

    def save(self, path: Path) -> None:
        atomic.write_json(path, self.as_json())


def plan_for_project(cfg: Any, manifest: Manifest, issuer: str) -> DeployPlan:
    """The deployment of a project: collection.yaml's parameters, the pin manifest's commitments."""
    contract_cid = manifest.contract_metadata_cid
    return DeployPlan(
        params=CollectionParams(cfg.name, cfg.symbol, cfg.year or 0, cfg.contract.max_supply,
                                cfg.royalty.receiver or issuer, cfg.royalty.bps,
                                cfg.contract.transfer_policy, cfg.contract.hold_days),
        base_uri=manifest.base_uri,
        provenance_hash=manifest.provenance_hash,
        contract_uri=f"ipfs://{contract_cid}" if contract_cid else None,
        freeze=cfg.contract.freeze,
    )


def deploy_state_path(project: Project, network: str) -> Path:
    """Where a project's unfinished deployment to `network` is journaled."""
    return project.pending_deployment_path(network)


def refuse_redeploy(chain: Chain, project: Project, network: str, *, force: bool = False,
                    replace_minted: bool = False) -> None:
    """ContractError when `network` already has the project's finished deployment, unless
    `force`; and even then when its contract has minted tokens (totalMinted, read from the
    chain), unless `replace_minted`: a second contract committing to the same content leaves
    the first one's holders with tokens the issuer no longer calls official."""
    record_path = project.deployment_path(network)
    if not record_path.exists() or deploy_state_path(project, network).exists():
        return
    old = load_record(record_path)
    live = old.chain_id == chain.chain_id and len(chain.code(old.address)) > 0
    if not force:
        hint = "" if live else " (its contract is not on this chain: reset?)"
        raise ContractError(f"already deployed on {network} at {old.address}{hint}; "
                            "--force deploys another contract")
    minted = int(chain.call(chain.collection(old.address).functions.totalMinted())) if live else 0
    if minted and not replace_minted:
        raise ContractError(f"the deployment on {network} at {old.address} has {minted:,} token(s) "
                            "minted; another contract would commit to the same content and its "
                            "record would be superseded: add --replace-minted to deploy anyway")


def deploy_project(project: Project, chain: Chain, signer: Signer, network: str, *,
                   confirmations: int = 1, force: bool = False, replace_minted: bool = False,
                   progress: Progress | None = None,
                   manifest: Manifest | None = None) -> DeploymentRecord:
    """Deploys (or finishes deploying) the collection of `project` on `network`; refuses when
    the network already has its deployment record (:func:`refuse_redeploy`: unless `force`, and
    when its contract has minted tokens unless `replace_minted`). The record a forced
    deployment replaces is kept in deployments/history/ (superseded) before anything is sent.

    Before anything is sent, the consistency rule holds (:func:`check_deployable`; `manifest`
    is its result when the caller already checked) and build/collection.json states the royalty
    the contract will pay, pinned through the project's backend, so that ``contractURI`` names
    the right receiver.
    """
    refuse_redeploy(chain, project, network, force=force, replace_minted=replace_minted)
    cfg = project.load_config()
    manifest = manifest or check_deployable(project, cfg.contract.max_supply,
                                            cfg.royalty.receiver, cfg.royalty.bps)
    if not deploy_state_path(project, network).exists():
        kept = keep_superseded(project.deployment_path(network), project.superseded_record_path)
        if kept is not None and progress:
            progress("supersede", f"the previous record is kept in {kept}")
    target = state_royalty(project, cfg.royalty.receiver or signer.address, cfg.royalty.bps)
    if target is not None:
        make_backend(cfg.ipfs.backend, cfg.ipfs, project).pin([target], project_store(project))
        manifest = Manifest.load(project.manifest_path)
        if progress:
            progress("contract_json", f"royalty receiver stated, pinned as {target.cid}")
    plan = plan_for_project(cfg, manifest, signer.address)
    return deploy(chain, signer, plan, network, deploy_state_path(project, network),
                  project.deployment_path(network), confirmations, progress,
                  items=len(manifest.tokens))


def deploy(chain: Chain, signer: Signer, plan: DeployPlan, network: str, state_path: Path,
           record_path: Path, confirmations: int = 1,
           progress: Progress | None = None, *, items: int | None = None) -> DeploymentRecord:
    """Deploys (or finishes deploying) `plan`; writes and returns the deployment record, which
    states what the deployment committed to (`items`: N, the tokens 1..N behind the base URI)."""
    say = progress or (lambda step, what: None)
    chain_id = chain.check()
    state = read_pending(state_path)
    if state is not None and (state.plan != json.loads(json.dumps(plan.as_json()))
                              or state.chain_id != chain_id
                              or state.issuer != signer.address):
        if state.txs:
            raise ContractError(f"an interrupted deployment by {state.issuer} on chain "
                                f"{state.chain_id} with other parameters is pending in "
                                f"{state_path}; restore them (and that account) to finish it, "
                                "or `deploy --abandon` to drop it")
        # it never signed a transaction (each is journaled before it leaves): nothing of it can
        # be on chain, so this deployment replaces it
        say("pending", f"an unfinished deployment by {state.issuer} sent nothing: replaced")
        state = None
    if state is None:
        state = PendingDeployment(chain_id, signer.address, plan.as_json(), network)
        state.save(state_path)

    def journal(step: str) -> Callable[[SignedTx], None]:
        def write(tx: SignedTx) -> None:
            state.txs[step] = tx
            state.save(state_path)
        return write

    artifact = load_artifact()
    if state.address is None:
        receipt = None
        if "deploy" in state.txs:
            receipt = settle(chain, signer, state.txs["deploy"], confirmations)
            if receipt is not None and receipt["status"] != 1:
                raise ChainError(f"the deployment transaction {state.txs['deploy'].hash} reverted")
            say("deploy", "resumed")
        if receipt is None:
            p = plan.params
            factory = chain.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
            constructor = factory.constructor(p.name, p.symbol, p.year, p.max_supply,
                                              to_checksum_address(p.royalty_receiver),
                                              p.royalty_bps, policy_code(p.transfer_policy),
                                              p.hold_days)
            _, receipt = send_new(chain, signer, constructor, journal("deploy"), confirmations)
            if receipt["status"] != 1:
                raise ChainError(f"the deployment transaction {to_hex(receipt['transactionHash'])} reverted")
        state.address = str(receipt["contractAddress"])
        state.transaction = to_hex(receipt["transactionHash"])
        state.block = int(receipt["blockNumber"])
        state.save(state_path)
        say("deploy", f"deployed at {state.address} (block {state.block})")
    else:
        say("deploy", f"already deployed at {state.address}")
    address, transaction, block = state.address, state.transaction, state.block
    assert transaction is not None and block is not None  # set with the address (read_pending)

    release = artifact.release_of(chain.code(address))  # resumed: any released runtime
    if release is None:
        raise ContractError(f"the code at {address} is no released {artifact.name}")
    contract = chain.collection(address)
    fns = contract.functions
    steps: list[tuple[str, Callable[[], bool], Callable[[], Any]]] = [
        ("base_uri", lambda: _base_uri_done(chain, contract, plan), lambda: fns.setBaseURI(plan.base_uri)),
        ("provenance", lambda: _provenance_done(chain, contract, plan),
         lambda: fns.setProvenanceHash(bytes.fromhex(plan.provenance_hash[2:]))),
    ]
    if plan.contract_uri:
        steps.append(("contract_uri", lambda: chain.call(fns.contractURI()) == plan.contract_uri,
                      lambda: fns.setContractURI(plan.contract_uri)))
    if plan.freeze:
        steps.append(("freeze", lambda: bool(chain.call(fns.metadataFrozen())),
                      lambda: fns.freezeMetadata()))
    for step, done, call in steps:
        if step in state.txs:
            receipt = settle(chain, signer, state.txs[step], confirmations)
            if receipt is not None and receipt["status"] == 1:
                say(step, "done (resumed)")
                continue
        if done():
            say(step, "already on chain")
            continue
        _, receipt = send_new(chain, signer, call(), journal(step), confirmations)
        if receipt["status"] != 1 or not done():
            raise ChainError(f"step {step} failed: transaction {to_hex(receipt['transactionHash'])}")
        say(step, "done")

    record = DeploymentRecord(network=network, chain_id=chain_id, address=address,
                              transaction=transaction, block=block,
                              issuer=signer.address, runtime_hash=release.runtime_hash,
                              artifact=artifact.name, base_uri=plan.base_uri,
                              provenance_hash=plan.provenance_hash.lower(), tokens=items,
                              frozen=plan.freeze, royalty_receiver=plan.params.royalty_receiver,
                              royalty_bps=plan.params.royalty_bps,
                              transfer_policy=plan.params.transfer_policy,
                              hold_days=plan.params.hold_days)
    record.save(record_path)
    state_path.unlink(missing_ok=True)
    return record


def _base_uri_done(chain: Chain, contract: Any, plan: DeployPlan) -> bool:
    current = chain.call(contract.functions.baseURI())
    if same_base_uri(current, plan.base_uri):  # the same folder, whichever multibase names it
        return True
    if current and chain.call(contract.functions.metadataFrozen()):
        raise ContractError(f"the base URI is frozen at {current!r}, not {plan.base_uri!r}")
    return False


def _provenance_done(chain: Chain, contract: Any, plan: DeployPlan) -> bool:
    current = to_hex(chain.call(contract.functions.provenanceHash()))
    if current == plan.provenance_hash.lower():
        return True
    if int(current, 16) != 0:
        raise ContractError(f"the contract's provenance hash is already {current}, not the "
                            f"manifest's {plan.provenance_hash}")
    return False


def abandon_pending(path: Path) -> PendingDeployment | None:
    """Drops the pending deployment journaled at `path` (returned; None when there is none):
    its unsent steps will not be sent. A contract it deployed stays on chain, unrecorded."""
    state = read_pending(path)
    if state is not None:
        path.unlink()
    return state


def read_pending(path: Path) -> PendingDeployment | None:
    """The pending deployment journaled at `path`, or None; ContractError for a file this tool
    did not write (a field missing or of the wrong type)."""
    if not path.exists():
        return None
    data = read_json(path, "pending deployment", ContractError, "")  # delete it to start over
    try:
        if not isinstance(data, dict):
            raise TypeError("not an object")
        state = _pending_from_json(data)
    except KeyError as exc:
        why = f"no {exc.args[0]!r}"
    except (TypeError, ValueError) as exc:
        why = str(exc)
    else:
        return state
    raise ContractError(f"pending deployment {path} is not one this tool wrote ({why}); delete "
                        "it to start over")


def _pending_from_json(data: dict[str, Any]) -> PendingDeployment:
    plan, txs = data["plan"], data["txs"]
    if not isinstance(plan, dict) or not isinstance(txs, dict) \
            or not all(isinstance(tx, dict) for tx in txs.values()):
        raise TypeError("its plan and txs are not objects")
    state = PendingDeployment(
        chain_id=typed(int, data["chain_id"], "chain_id"),
        issuer=typed(str, data["issuer"], "issuer"), plan=plan,
        network=typed_or_none(str, data.get("network"), "network"),
        txs={step: SignedTx(typed(str, tx["hash"], "hash"), typed(int, tx["nonce"], "nonce"),
                            typed(str, tx["raw"], "raw")) for step, tx in txs.items()},
        address=typed_or_none(str, data["address"], "address"),
        transaction=typed_or_none(str, data["transaction"], "transaction"),
        block=typed_or_none(int, data["block"], "block"),
        version=typed(int, data.get("version", 1), "version"))
    if state.address is not None and (state.transaction is None or state.block is None):
        raise ValueError("a contract address without its transaction and block")
    return state
