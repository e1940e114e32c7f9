"""The whole job on a throwaway local chain, for `nft-toolkit demo` and `make demo`.

A zodiac collection is generated, pinned to the local store, deployed and minted to a few
customer accounts on a fresh ganache; then one token is verified authentic, a tampered copy of a
metadata file (in a mirror of the store) is caught as `tampered`, and a look-alike contract
deployed by another account with the same code, name and content is caught as `counterfeit`.
Finally every token is audited, and the genuine token gets a certificate (PNG) whose QR code
points at `nft-toolkit serve` on its default address (or $NFT_TOOLKIT_URL_BASE). The project
folder is kept so its preview, report and certificate remain.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nft_toolkit import atomic
from nft_toolkit.art.generate import generate
from nft_toolkit.certificate import draw, png_bytes
from nft_toolkit.certify import read_facts
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.deployer import deploy, deploy_project, plan_for_project
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import DEV_CHAIN_ID, LocalChain, free_port
from nft_toolkit.chain.minter import Minter, project_minter
from nft_toolkit.template import write_default_config
from nft_toolkit.deployment import DeploymentRecord
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.pinning import make_backend, project_store
from nft_toolkit.ipfs.publish import prepare
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.journal import Journal
from nft_toolkit.project import Project
from nft_toolkit.verify.audit import AuditReport, audit
from nft_toolkit.verify.report import Report
from nft_toolkit.verify.sources import IpfsContent, Web3Reader
from nft_toolkit.verify.trust import trust_from_manifest, verify_token

Say = Callable[[str], None]
URL_BASE = "http://127.0.0.1:8000"  # `nft-toolkit serve`'s default address


@dataclass
class DemoResult:
    """What the demo did: its project, the deployment, each case's verdict and the audit."""

    project: Project
    record: DeploymentRecord | None = None
    cases: list[tuple[str, str, Report]] = field(default_factory=list)  # (case, expected, report)
    audit: AuditReport | None = None
    audit_path: Path | None = None
    certificate: Path | None = None  # the genuine token's, when it was authentic
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every case got the verdict it should."""
        return bool(self.cases) and all(r.verdict.value == want for _, want, r in self.cases)


def run_demo(root: Path | None = None, size: int = 120, year: int = 2026,
             say: Say = lambda _: None, keep_chain: bool = False,
             url_base: str | None = None) -> DemoResult:
    """Runs the demo in `root` (default: a new temporary folder); the chain is stopped at the end
    (left running when `keep_chain` and the demo did not fail, for `demo --serve`). `url_base`:
    the verification page the certificate's QR code opens (default: $NFT_TOOLKIT_URL_BASE, else
    `serve`'s default address)."""
    started = time.perf_counter()
    root = root or Path(tempfile.mkdtemp(prefix="nft-toolkit-demo-"))
    project = Project(root)
    result = DemoResult(project)
    cfg = write_default_config(root, year, size=size)
    say(f"project       {root}")
    gen = generate(cfg, project.build_dir)
    say(f"generated     {gen.count} items in {gen.seconds:.1f} s")
    prepared = prepare(project, cfg.ipfs.cid_version, profile=cfg.ipfs.profile)
    make_backend("local", cfg.ipfs, project).pin(prepared.targets, project_store(project))
    manifest = Manifest.load(project.manifest_path)
    say(f"pinned        {manifest.base_uri} (local store)")

    local = LocalChain(project.chain_dir)
    state = local.start(free_port())
    try:
        chain = Chain(state.url, DEV_CHAIN_ID, name="development")
        issuer = dev_account(0)
        record = deploy_project(project, chain, issuer, "development")
        result.record = record
        say(f"deployed      {record.address} by issuer {record.issuer}")
        customers = [dev_account(i).address for i in (1, 2, 3)]
        share = size // len(customers)
        allocations = [(c, share) for c in customers[:-1]] + [(customers[-1], size - 2 * share)]
        minted = project_minter(project, chain, issuer, "development").mint(allocations, batch_size=50)
        say(f"minted        {minted.plan.count} tokens to {len(customers)} customers, "
            f"{minted.gas_used:,} gas")

        reader = Web3Reader(chain)
        store = BlockStore(project.store_dir)
        trust = trust_from_manifest(record.address, record.issuer, record.chain_id, manifest)
        token = 7
        result.cases.append(("genuine token", "authentic",
                             verify_token(reader, IpfsContent(store), trust, token)))

        # A mirror whose copy of 7.json was edited (a rarer trait, say): same CID, other bytes.
        mirror = root / "tampered-mirror"
        shutil.copytree(project.store_dir, mirror)
        meta_cid = manifest.tokens[token].metadata_cid
        block_path = BlockStore(mirror).block_path(meta_cid)
        block = block_path.read_bytes()
        tampered = block.replace(b'"name"', b'"NAME"', 1) if b'"name"' in block else block + b" "
        block_path.write_bytes(tampered)
        result.cases.append(("tampered metadata copy", "tampered",
                             verify_token(reader, IpfsContent(BlockStore(mirror)), trust, token)))

        # A look-alike: the same audited code, name and content, deployed by another account.
        forger = dev_account(9)
        fake = deploy(chain, forger, plan_for_project(cfg, manifest, forger.address), "lookalike",
                      project.journal_dir / "deploy-lookalike.json", root / "lookalike.json")
        Minter(chain, forger, fake.address, Journal(project.journal_dir / "mint-lookalike.jsonl")
               ).mint([(customers[0], 10)], batch_size=10)
        fake_trust = trust_from_manifest(fake.address, record.issuer, record.chain_id, manifest)
        result.cases.append((f"look-alike contract {fake.address[:10]}…", "counterfeit",
                             verify_token(reader, IpfsContent(store), fake_trust, token)))

        result.audit = audit(reader, IpfsContent(store), trust)
        result.audit_path = root / "reports" / "audit-development.json"
        atomic.write_json(result.audit_path, result.audit.as_json())

        genuine = result.cases[0][2]
        if genuine.verdict.value == "authentic":
            facts = read_facts(chain, IpfsContent(store), genuine, record.issuer,
                               url_base or os.environ.get("NFT_TOOLKIT_URL_BASE", URL_BASE))
            result.certificate = root / "certificates" / f"{token}.png"
            atomic.write_bytes(result.certificate, png_bytes(draw(genuine, facts)))
    except BaseException:
        local.stop()
        raise
    if not keep_chain:
        local.stop()
    result.seconds = time.perf_counter() - started
    return result

