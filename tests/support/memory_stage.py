"""One stage of the issuing job at N small items, run alone in a fresh process so that its peak
RSS is its own: ``python -m tests.support.memory_stage STAGE N DIR`` prints a JSON object with
``base_kib`` (RSS once everything is imported, before the stage) and ``peak_kib`` (the process's
peak RSS, ``VmHWM``), for tests/test_memory.py.

Stages: ``generate`` (the built-in theme at 32 px, one worker, into DIR/build), ``pin`` (a
collection of 8x8 PNGs written into DIR, then `pin`'s prepare: CIDs, metadata, manifest, CAR)
and ``audit`` (the collection ``pin`` left in DIR, every token verified from the local store
against a chain stating the manifest's commitments, the report streamed to DIR/reports).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import psutil

from nft_toolkit import atomic
from nft_toolkit.art.generate import generate
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.publish import prepare
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from nft_toolkit.verify.audit import audit_stream
from nft_toolkit.verify.audit_file import write_report
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import trust_from_manifest
from tests.support.collection import write_build
from tests.support.stated import CONTRACT, ISSUER, StatedChain


def peak_rss_kib() -> int:
    """This process's peak RSS (VmHWM, of its own address space; ru_maxrss would include the
    parent's peak at fork, a pytest process with Brownie loaded)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status: Linux only")


def run(stage: str, size: int, root: Path) -> None:
    project = Project(root)
    if stage == "pin":
        write_build(project, size)
    base = psutil.Process().memory_info().rss
    if stage == "generate":
        atomic.write_text(project.config_path, f"name: Memory\nsymbol: MEM\nyear: 2026\n"
                          f"size: {size}\nseed: 7\nimage_size: 32\n")
        generate(project.load_config(), project.build_dir, workers=1)
    elif stage == "pin":
        prepare(project, 0)
    elif stage == "audit":
        manifest = Manifest.load(project.manifest_path)
        facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash,
                              size, size)
        report, results = audit_stream(StatedChain(facts), IpfsContent(BlockStore(project.store_dir)),
                                       trust_from_manifest(CONTRACT, ISSUER, 1337, manifest))
        write_report(root / "reports" / "audit.json", report, results, time.perf_counter())
        assert report.counts == {"authentic": size}, report.counts
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    peak_kib = peak_rss_kib()
    print(json.dumps({"stage": stage, "items": size, "base_kib": base // 1024, "peak_kib": peak_kib}))


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
