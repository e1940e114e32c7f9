"""Audit throughput: tokens verified per second on a local ganache chain with the local store,
beside a naive loop that verifies one token at a time with one call per check, in the same run.

    .venv/bin/python benchmarks/verify.py [--tokens 2000] [--sample 30] [--json]

The collection is small-image (8x8 PNG) so the figure measures verification, not disk; each
audit pass reads every token's metadata and image from the store and checks every block
against its CID, reads owners with ownersInRange and the contract facts in batched calls.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nft_toolkit.chain.accounts import dev_account  # noqa: E402
from nft_toolkit.chain.deployer import CollectionParams, DeployPlan, deploy  # noqa: E402
from nft_toolkit.chain.client import Chain  # noqa: E402
from nft_toolkit.chain.local import DEV_CHAIN_ID, LocalChain, free_port  # noqa: E402
from nft_toolkit.chain.minter import Minter  # noqa: E402
from nft_toolkit.ipfs.manifest import Manifest  # noqa: E402
from nft_toolkit.ipfs.store import BlockStore  # noqa: E402
from nft_toolkit.journal import Journal  # noqa: E402
from nft_toolkit.verify.audit import audit  # noqa: E402
from nft_toolkit.verify.sources import (DEFAULT_ADMIN_ROLE, ContractFacts, IpfsContent,  # noqa: E402
                                        Web3Reader)
from nft_toolkit.verify.trust import trust_from_manifest, verify_token  # noqa: E402
from tests.support.collection import build_collection  # noqa: E402


class NaiveReader(Web3Reader):
    """The baseline: every fact is its own eth_call, owners one ownerOf per token."""

    def facts(self, address: str, trusted_issuer: str) -> ContractFacts:
        f = self.chain.collection(address).functions
        return ContractFacts(
            str(f.issuer().call()), bool(f.hasRole(DEFAULT_ADMIN_ROLE, trusted_issuer).call()),
            str(f.baseURI().call()), bool(f.metadataFrozen().call()),
            "0x" + bytes(f.provenanceHash().call()).hex(), int(f.totalMinted().call()),
            int(f.maxSupply().call()))

    def owners(self, address: str, first: int, last: int) -> list[str]:
        f = self.chain.collection(address).functions
        return [str(f.ownerOf(i).call()) for i in range(first, last + 1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=2000)
    ap.add_argument("--sample", type=int, default=30, help="tokens the naive loop verifies")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nft-bench-verify-") as tmp:
        t0 = time.perf_counter()
        project = build_collection(Path(tmp) / "c", args.tokens)
        local = LocalChain(project.chain_dir)
        state = local.start(free_port())
        try:
            chain = Chain(state.url, DEV_CHAIN_ID, name="development")
            issuer = dev_account(0)
            manifest = Manifest.load(project.manifest_path)
            plan = DeployPlan(CollectionParams("Bench", "BENCH", 2026, args.tokens, issuer.address, 0),
                              manifest.base_uri, manifest.provenance_hash, None, True)
            record = deploy(chain, issuer, plan, "development", project.journal_dir / "d.json",
                            project.deployment_path("development"))
            minter = Minter(chain, issuer, record.address, Journal(project.journal_dir / "m.jsonl"))
            holders = [dev_account(i).address for i in range(1, 5)]
            share = args.tokens // len(holders)
            minter.mint([(h, share) for h in holders[:-1]]
                        + [(holders[-1], args.tokens - share * (len(holders) - 1))], batch_size=500)
            setup_s = time.perf_counter() - t0
            trust = trust_from_manifest(record.address, record.issuer, record.chain_id, manifest)
            content = IpfsContent(BlockStore(project.store_dir))

            best = float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                report = audit(Web3Reader(chain), content, trust)
                best = min(best, time.perf_counter() - start)
                assert report.exit_code == 0 and report.counts["authentic"] == args.tokens, report.counts
            naive = NaiveReader(chain)
            ids = [1 + (i * args.tokens) // args.sample for i in range(args.sample)]
            start = time.perf_counter()
            for token_id in ids:
                assert verify_token(naive, content, trust, token_id).verdict.value == "authentic"
            naive_s = time.perf_counter() - start
        finally:
            local.stop()
    rows = [("audit (batched)", args.tokens, best, args.tokens / best),
            ("naive loop, one call per check", len(ids), naive_s, len(ids) / naive_s)]
    if args.json:
        print(json.dumps({"tokens": args.tokens, "setup_s": round(setup_s, 2),
                          "rows": [{"method": m, "tokens": n, "seconds": round(s, 3),
                                    "tokens_per_s": round(r, 1)} for m, n, s, r in rows]}))
    else:
        print(f"ganache {DEV_CHAIN_ID}, local block store, {args.tokens} tokens "
              f"(setup {setup_s:.1f} s; best of {args.runs} audits)")
        print("| method | tokens | seconds | tokens/s |")
        print("|---|---|---|---|")
        for m, n, s, r in rows:
            print(f"| {m} | {n:,} | {s:.2f} | {r:,.1f} |")
        print(f"speed-up: {rows[0][3] / rows[1][3]:,.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
