"""What `verify`, `verify-file` and `audit` trust and read, from a project or from options.

Inside a collection project the deployment record names the contract, the issuer and the chain,
the pin manifest the expected CIDs, and the local block store serves the content. Outside one,
the customer gives the contract, the issuer, the RPC URL and a gateway. A token named by its
CAIP-19 asset ID (or a certificate's verification URL) brings its own chain and contract (and
issuer); an option naming others is a mistake, never a silent choice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from nft_toolkit.chain.recorded_network import recorded_network
from nft_toolkit.chain.connect import network_for, open_chain
from nft_toolkit.address import parse_address
from nft_toolkit.caip19 import TokenRef
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID
from nft_toolkit.chain.networks import DEVELOPMENT, NETWORKS_FILE, Network, check_url, load_networks
from nft_toolkit.deployment import network_record
from nft_toolkit.errors import ConfigError, InputError
from nft_toolkit.identity import (BadStatement, DomainAnchor, DomainUnreachable, is_domain,
                                  parse_domain, parse_statement, resolve)
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.retrieval import BlockSource, GatewaySource
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project, find_project
from nft_toolkit.verify.sources import IpfsContent
from nft_toolkit.verify.trust import Trust, trust_from_manifest


@dataclass
class Setup:
    """Everything a verification needs, resolved once."""

    trust: Trust
    network: Network
    project: Project | None
    content: IpfsContent
    manifest: Manifest | None

    def connect(self) -> Chain:
        """The chain, connected but with its ID left for the verifier to judge."""
        return open_chain(self.network, self.project.chain_dir if self.project else None,
                          start=False, check=False)


def setup(project_dir: Path | None, network: str | None, rpc_url: str | None,
          chain_id: int | None, contract: str | None, issuer: str | None,
          gateway: str | None, manifest_path: Path | None = None, *,
          token: TokenRef | None = None) -> Setup:
    """Resolves trust, network and content source from the options (and the project, if any);
    `token`, when it carries a CAIP-19 asset ID, fixes the contract and the expected chain (and,
    from a verification URL, the issuer), and picks the project's network of that chain."""
    project: Project | None
    try:
        project = find_project(project_dir) if project_dir is not None else find_project()
    except ConfigError:
        if project_dir is not None:
            raise
        project = None
    if contract is not None:
        contract = parse_address(contract, "--contract")
    if token is not None and token.asset is not None:
        contract, chain_id, issuer = _anchored(token, contract, chain_id, issuer)
        if network is None and rpc_url is None and project is not None:
            network = _network_of_chain(project.root, chain_id)
    if issuer is not None and is_domain(issuer):  # a bad domain or address is its own line,
        parse_domain(issuer)  # before any option still missing
    elif issuer is not None:
        issuer = parse_address(issuer, "--issuer")
    if project is None:
        _require_outside(contract, issuer, rpc_url, chain_id, gateway)
    anchor: DomainAnchor | None = None
    if issuer is not None and is_domain(issuer):  # the issuer known by its domain
        anchor = resolve(parse_domain(issuer))
        issuer = ""  # the statement names it; the engine judges the statement
    net = network_for(project.root if project else None, network, rpc_url, chain_id)
    if project is not None and contract is None:  # --rpc-url alone: the record of its chain
        net = recorded_network(project, net)
    manifest = None
    expected_chain = net.chain_id
    if project is not None:
        record_path = project.deployment_path(net.name)
        if record_path.exists() or contract is None or issuer is None:
            record = network_record(project, net.name, "deploy first, or give --contract ADDR "
                                    "and --issuer ADDR (from the issuer's published record)")
            if contract is None or contract == record.address or expected_chain is None:
                expected_chain = record.chain_id  # the record names the network's chain
            contract = contract or record.address
            issuer = issuer or record.issuer
        if token is not None and token.asset is not None:
            expected_chain = token.asset.chain_id  # what the asset ID claims is what is checked
        if manifest_path is None and project.manifest_path.is_file():
            manifest_path = project.manifest_path
    elif anchor is not None and (contract is None or expected_chain is None):
        if anchor.data is None:  # nothing to take the contract from: say why, exit 3
            raise DomainUnreachable(str(anchor.problem))
        contract, expected_chain = _listed(anchor, contract, expected_chain)
    if project is None and (contract is None or issuer is None):
        raise ConfigError("outside a collection project, give --contract ADDR and --issuer ADDR "
                          "(from the issuer's published deployment record)")
    if manifest_path is not None:
        manifest = Manifest.load(manifest_path)
    if project is None and rpc_url is None:
        raise ConfigError("outside a collection project, give --rpc-url URL")
    if expected_chain is None:
        # Link 1 is "on the expected chain": the issuer's nonce gives the same address on every
        # chain, so a copy deployed on a test network would otherwise pass for the real one.
        raise ConfigError("give --chain-id ID, the chain the collection was issued on (in the "
                          "issuer's deployment record, or eip155:<ID> on the certificate)")
    source: BlockSource
    if gateway is not None:
        source = GatewaySource(check_url(gateway, "--gateway"))
    elif project is not None:
        source = BlockStore(project.store_dir)
    else:
        raise ConfigError("outside a collection project, give --gateway URL (an IPFS trustless "
                          "gateway; its content is verified, never trusted)")
    assert contract is not None and issuer is not None
    trust = (trust_from_manifest(contract, issuer, expected_chain, manifest) if manifest
             else Trust(contract, issuer, expected_chain))
    trust = replace(trust, domain=anchor)
    # No expected chain on the connection: a wrong chain is the verifier's verdict to give.
    return Setup(trust, replace(net, chain_id=None), project, IpfsContent(source), manifest)


def _require_outside(contract: str | None, issuer: str | None, rpc_url: str | None,
                     chain_id: int | None, gateway: str | None) -> None:
    """Outside a project every option the project would give is needed: all the missing ones
    named in one line (ConfigError), so a customer fixes them in one go, not one run each. An
    issuer known by its domain may list the contract and chain in its statement."""
    by_domain = issuer is not None and is_domain(issuer)
    missing = [name for name, absent in (
        ("--contract ADDR", contract is None and not by_domain), ("--issuer ADDR", issuer is None),
        ("--chain-id ID", chain_id is None and not by_domain), ("--rpc-url URL", rpc_url is None),
        ("--gateway URL", gateway is None)) if absent]
    if not missing:
        return
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    sources = []
    if any(m.split()[0] in ("--contract", "--issuer", "--chain-id") for m in missing):
        sources.append("the contract, issuer and chain ID are in the issuer's published "
                       "deployment record, the chain ID also on a certificate as eip155:<ID>")
    if gateway is None:
        sources.append("the gateway is an IPFS trustless gateway: its content is verified, "
                       "never trusted")
    raise ConfigError(f"outside a collection project, give {listed} ({'; '.join(sources)})")


def _listed(anchor: DomainAnchor, contract: str | None,
            chain_id: int | None) -> tuple[str | None, int | None]:
    """The contract and chain the domain's statement lists, when it lists exactly one that fits
    what was given (the statement's signature is judged later, by the engine, as always)."""
    try:
        statement = parse_statement(anchor.data) if anchor.data is not None else None
    except BadStatement:
        statement = None
    fits = [c for c in statement.collections
            if (contract is None or c.contract == contract)
            and (chain_id is None or c.chain_id == chain_id)] if statement else []
    if len(fits) != 1:
        return contract, chain_id
    return fits[0].contract, fits[0].chain_id


def _anchored(token: TokenRef, contract: str | None, chain_id: int | None,
              issuer: str | None) -> tuple[str, int, str | None]:
    """Contract, chain ID and issuer of a token named by its asset ID (and verification URL),
    after checking the options agree with them (`contract` already parsed)."""
    asset = token.asset
    assert asset is not None
    if contract is not None and contract != asset.contract:
        raise InputError(f"--contract {contract} differs from the contract of {asset} "
                         f"({asset.contract}): leave --contract out")
    if chain_id is not None and chain_id != asset.chain_id:
        raise InputError(f"--chain-id {chain_id} differs from the chain of {asset} "
                         f"({asset.chain_id}): leave --chain-id out")
    if token.issuer is not None:
        if issuer is not None and issuer.strip().lower() != token.issuer.lower():
            raise InputError(f"--issuer {issuer.strip()} differs from the verification URL's "
                             f"issuer {token.issuer}: leave --issuer out")
        issuer = token.issuer
    return asset.contract, asset.chain_id, issuer


def _network_of_chain(root: Path, chain_id: int) -> str | None:
    """The one network of the project on chain `chain_id` (development or from networks.yaml),
    for a token whose asset ID names its chain; an InputError when several are."""
    names = [name for name, net in load_networks(root / NETWORKS_FILE).items()
             if net.chain_id == chain_id]
    if chain_id == DEV_CHAIN_ID:
        names.insert(0, DEVELOPMENT)
    if len(names) > 1:
        raise InputError(f"networks {', '.join(names)} are all chain {chain_id}: choose one "
                         "with --network NAME")
    if not names:
        raise InputError(f"no network of this project is chain {chain_id} (the asset ID's "
                         f"chain): add it to {NETWORKS_FILE}, or give --rpc-url URL")
    return names[0]
