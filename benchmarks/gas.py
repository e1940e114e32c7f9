"""Gas of ZodiacCollection beside OpenZeppelin's ERC721 and ERC721A 4.3.0, in one ganache run.

All three are compiled with the project's settings (brownie-config.yaml). Each mint goes to a
fresh address; the transfers move the first and the last token of a 100-token batch.

    [NFT_TOOLKIT_BROWNIE_PORT=<port>] .venv/bin/python benchmarks/gas.py [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from _brownie import open_project

SIZES = (1, 5, 10, 50, 100)


def measure(name: str, deploy) -> list[dict]:
    from brownie import accounts

    owner = accounts[0]
    contract = deploy(owner)
    rows = [{"contract": name, "operation": "deploy", "n": 1, "gas": contract.tx.gas_used}]
    for n in SIZES:
        holder = accounts.add()
        tx = contract.mint(holder, n, {"from": owner})
        rows.append({"contract": name, "operation": "mint", "n": n, "gas": tx.gas_used})
    owner.transfer(holder, "1 ether")  # the 100-token holder pays for its transfers
    first = sum(SIZES[:-1]) + 1
    last = first + SIZES[-1] - 1
    for operation, token in (("transfer_first", first), ("transfer_last", last)):
        tx = contract.transferFrom(holder, owner, token, {"from": holder})
        rows.append({"contract": name, "operation": operation, "n": 1, "gas": tx.gas_used})
    for row in rows:
        row["gas_per_token"] = round(row["gas"] / row["n"], 1)
    return rows


def run() -> list[dict]:
    proj = open_project()
    rows = measure(
        "ZodiacCollection",
        lambda owner: proj.ZodiacCollection.deploy(
            "Year of the Horse", "HORSE", 2026, 10_000, owner, 500, False, {"from": owner}
        ),
    )
    rows += measure("OZ-ERC721", lambda owner: proj.OZERC721Bench.deploy({"from": owner}))
    rows += measure("ERC721A", lambda owner: proj.ERC721ABench.deploy({"from": owner}))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()

    # Brownie narrates every transaction on stdout; keep stdout for the results.
    with contextlib.redirect_stdout(sys.stderr):
        rows = run()
        from brownie import network

        network.disconnect()  # stops ganache now, while its farewell still goes to stderr

    if args.json:
        print(json.dumps({"rows": rows}, indent=2))
        return 0
    print(f"{'contract':<18}{'operation':<16}{'n':>5}{'gas':>12}{'gas/token':>12}")
    for r in rows:
        print(f"{r['contract']:<18}{r['operation']:<16}{r['n']:>5}{r['gas']:>12,}{r['gas_per_token']:>12,.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
