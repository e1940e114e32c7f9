"""Planning and journaling an airdrop hold memory in proportion to the run still to be done:
at 20,000 recipients the growth of a process's peak RSS stays under a per-recipient bound that
keeps a 100,000-recipient mint far below 512 MiB (issue 15), however many earlier runs of that
size the journal holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eth_utils import to_checksum_address

RECIPIENTS = 20_000
EARLIER_RUNS = 2  # completed runs of the same size already in the journal
# Bytes of peak RSS per recipient: 100,000 recipients then take at most 200 MiB on top of the
# interpreter and its libraries (about 100 MiB), within issue 15's 512 MiB.
PER_RECIPIENT = 2048

PROBE = r"""
import json, resource, sys
from pathlib import Path
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.airdrop import load_airdrop
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.minter import (EndRecord, MintPlan, Minter, PlanRecord, mint_record_json,
                                      plan_batches)
from nft_toolkit.journal import Journal

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

folder, runs = Path(sys.argv[1]), int(sys.argv[2])
contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
journal = Journal(folder / "mint.jsonl")
minter = Minter(Chain("http://127.0.0.1:9", 1337), dev_account(0), contract, journal)
base = peak()
allocations = tuple(load_airdrop(folder / "drop.csv").allocations)
first = 1
for run in range(runs + 1):  # the earlier runs, completed, then the new one, unfinished
    plan = MintPlan(f"run{run}", contract, 1337, dev_account(0).address, allocations, first,
                    plan_batches(allocations, first, 200))
    journal.append(mint_record_json(PlanRecord(plan)))
    if run < runs:
        journal.append(mint_record_json(EndRecord(plan.run, "complete")))
    first = plan.last + 1
    del plan
found = minter.pending()
assert found is not None and found[0].run == f"run{runs}" and found[0].first == first - len(allocations)
assert minter.runs()[0][3] == "complete"
print(json.dumps({"base": base, "peak": peak()}))
"""


def test_planning_and_the_journal_stay_within_a_per_recipient_bound(tmp_path: Path) -> None:
    with (tmp_path / "drop.csv").open("w") as fh:
        fh.write("address,count\n")
        for i in range(RECIPIENTS):
            fh.write(f"{to_checksum_address((i + 1).to_bytes(20, 'big'))},1\n")
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path), str(EARLIER_RUNS)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rss = json.loads(out.stdout)
    growth = rss["peak"] - rss["base"]
    assert growth < PER_RECIPIENT * RECIPIENTS, (
        f"peak RSS grew {growth / 2**20:.1f} MiB for {RECIPIENTS} recipients "
        f"({growth / RECIPIENTS:.0f} bytes each, bound {PER_RECIPIENT})")
