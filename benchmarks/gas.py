"""Gas of ZodiacCollection beside OpenZeppelin's ERC721 and ERC721A 4.3.0, in one ganache run.

All three are compiled with the project's settings (brownie-config.yaml). Each mint goes to a
fresh address; the transfers move the first and the last token of a 100-token batch to a fresh
address; the airdrop mints one token to each of 100 fresh addresses in one transaction (ERC721A:
a loop of its `_mint`), reported per recipient. Then ZodiacCollection under each transfer policy
(free, non_transferable, gift_after_hold with a 30-day hold, the chain's clock moved past it):
mint 1, mint 100, and the holder's transfer of a token minted alone (refused when
non-transferable: no row). And an issuer's run: RUN consecutive 100-token mints on a fresh
collection (IDs 1 to 1,000; ZodiacCollection logs the first IDs of these batches, moving them
from its mint-time word to storage four at a time: two such writes in the run), reported per
token. And an older batch: on a fresh collection, BATCHES 100-token mints to one holder (IDs 1 to
10,000), then the transfer of the middle token of the first batch and of the last batch to a fresh
address (ZodiacCollection: a binary search over its batch log; ERC721A: a walk back to the
batch's first ID).

ZodiacCollection mints as `nft-toolkit mint` does: with the planned first ID (the guarded
three-argument `mint` and `airdrop`, which revert rather than mint shifted IDs); the rows
`mint_unguarded` give its two-argument `mint` beside them.

    [NFT_TOOLKIT_BROWNIE_PORT=<port>] .venv/bin/python benchmarks/gas.py [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from _brownie import open_project

SIZES = (1, 5, 10, 50, 100)
AIRDROP = 100
RECIPIENTS = [f"0x{i:040x}" for i in range(0xA1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A100,
                                            0xA1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A100 + AIRDROP)]
RUN = 10
BATCHES = 100
POLICIES = {"free": (0, 0), "non_transferable": (1, 0), "gift_after_hold": (2, 30)}  # (code, days)


def mint(contract, to, n: int, owner):
    """`contract.mint` of `n` tokens to `to` as the toolkit's minter sends it: with the first ID
    when the contract has the guarded mint (ZodiacCollection), else the baselines' `mint(to, n)`."""
    if len(getattr(contract.mint, "methods", {})) > 1:  # Brownie's OverloadedMethod
        return contract.mint(to, n, contract.totalMinted() + 1, {"from": owner})
    return contract.mint(to, n, {"from": owner})


def row(name: str, operation: str, n: int, gas: int) -> dict:
    return {"contract": name, "operation": operation, "n": n, "gas": gas, "gas_per_token": round(gas / n, 1)}


def measure(name: str, deploy, airdrop=None) -> list[dict]:
    """Deploy, the mints of SIZES, both ends of the 100-token batch, and (when the contract has
    one) an airdrop of one token to each of AIRDROP fresh addresses."""
    from brownie import accounts

    owner = accounts[0]
    contract = deploy(owner)
    rows = [row(name, "deploy", 1, contract.tx.gas_used)]
    for n in SIZES:
        holder = accounts.add()
        tx = mint(contract, holder, n, owner)
        rows.append(row(name, "mint", n, tx.gas_used))
    owner.transfer(holder, "1 ether")  # the 100-token holder pays for its transfers
    first = sum(SIZES[:-1]) + 1
    last = first + SIZES[-1] - 1
    for operation, token in (("transfer_first", first), ("transfer_last", last)):
        tx = contract.transferFrom(holder, accounts.add(), token, {"from": holder})
        rows.append(row(name, operation, 1, tx.gas_used))
    if airdrop is not None:  # the same fresh addresses for every contract: same calldata
        tx = airdrop(contract, RECIPIENTS, owner)
        rows.append(row(name, "airdrop", AIRDROP, tx.gas_used))
    return rows


def measure_policies(proj) -> list[dict]:
    """ZodiacCollection under each transfer policy: mint 1, mint 100, the holder's transfer."""
    from brownie import accounts, chain

    owner = accounts[0]
    rows = []
    for policy, (code, days) in POLICIES.items():
        name = f"Zodiac:{policy}"
        contract = proj.ZodiacCollection.deploy(
            "Year of the Horse", "HORSE", 2026, 10_000, owner, 500, code, days, {"from": owner})
        holder = accounts.add()
        rows.append(row(name, "mint", 1, mint(contract, holder, 1, owner).gas_used))
        rows.append(row(name, "mint", 100, mint(contract, accounts.add(), 100, owner).gas_used))
        if policy == "free":  # the two-argument mint, without the guard
            for n in (1, 100):
                tx = contract.mint["address,uint256"](accounts.add(), n, {"from": owner})
                rows.append(row(name, "mint_unguarded", n, tx.gas_used))
        if policy == "non_transferable":
            continue  # refused: see tests/contracts/test_policy.py
        owner.transfer(holder, "1 ether")
        chain.sleep(days * 86_400 + 1)
        chain.mine()
        tx = contract.transferFrom(holder, accounts.add(), 1, {"from": holder})
        rows.append(row(name, "transfer", 1, tx.gas_used))
    return rows


def measure_run(name: str, contract) -> dict:
    """RUN consecutive mints of 100 to fresh addresses on a fresh `contract`, as one row."""
    from brownie import accounts

    owner = accounts[0]
    gas = sum(mint(contract, accounts.add(), 100, owner).gas_used for _ in range(RUN))
    return row(name, "mint_100_run", 100 * RUN, gas)


def measure_old_batch(name: str, contract) -> list[dict]:
    """BATCHES mints of 100 to one holder on a fresh `contract`, then the transfers of the middle
    token of the first and of the last batch, each to a fresh address."""
    from brownie import accounts

    owner = accounts[0]
    holder = accounts.add()
    owner.transfer(holder, "1 ether")
    for _ in range(BATCHES):
        mint(contract, holder, 100, owner)
    rows = []
    for operation, token in (("transfer_oldest", 50), ("transfer_newest", 100 * BATCHES - 50)):
        tx = contract.transferFrom(holder, accounts.add(), token, {"from": holder})
        rows.append(row(name, operation, 1, tx.gas_used))
    return rows


def run() -> list[dict]:
    proj = open_project()
    rows = measure(
        "ZodiacCollection",
        lambda owner: proj.ZodiacCollection.deploy(
            "Year of the Horse", "HORSE", 2026, 10_000, owner, 500, 0, 0, {"from": owner}
        ),
        lambda c, recipients, owner: c.airdrop(recipients, [1] * len(recipients),
                                               c.totalMinted() + 1, {"from": owner}),
    )
    rows += measure("OZ-ERC721", lambda owner: proj.OZERC721Bench.deploy({"from": owner}))
    rows += measure("ERC721A", lambda owner: proj.ERC721ABench.deploy({"from": owner}),
                    lambda c, recipients, owner: c.airdrop(recipients, {"from": owner}))
    rows += measure_policies(proj)
    from brownie import accounts

    owner = accounts[0]
    rows.append(measure_run("ZodiacCollection", proj.ZodiacCollection.deploy(
        "Year of the Horse", "HORSE", 2026, 10_000, owner, 500, 0, 0, {"from": owner})))
    rows.append(measure_run("ERC721A", proj.ERC721ABench.deploy({"from": owner})))
    rows += measure_old_batch("ZodiacCollection", proj.ZodiacCollection.deploy(
        "Year of the Horse", "HORSE", 2026, 100 * BATCHES, owner, 500, 0, 0, {"from": owner}))
    rows += measure_old_batch("ERC721A", proj.ERC721ABench.deploy({"from": owner}))
    return rows


def goals(rows: list[dict]) -> dict[str, bool]:
    """The gas goals of issue 13, each against ERC721A measured in the same run."""
    def gas(contract: str, operation: str, n: int = 1) -> float:
        return next(r["gas_per_token"] for r in rows
                    if (r["contract"], r["operation"], r["n"]) == (contract, operation, n))
    z, a = "ZodiacCollection", "ERC721A"
    return {
        "mint_1_le_erc721a": gas(z, "mint") <= gas(a, "mint"),
        "mint_100_per_token_le_erc721a": gas(z, "mint", 100) <= gas(a, "mint", 100),
        "mint_100_run_per_token_le_erc721a":
            gas(z, "mint_100_run", 100 * RUN) <= gas(a, "mint_100_run", 100 * RUN),
        "transfer_last_le_100000": gas(z, "transfer_last") <= 100_000,
        "airdrop_per_recipient_le_erc721a": gas(z, "airdrop", AIRDROP) <= gas(a, "airdrop", AIRDROP),
    }


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
        print(json.dumps({"rows": rows, "goals": goals(rows)}, indent=2))
        return 0
    print(f"{'contract':<26}{'operation':<16}{'n':>5}{'gas':>12}{'gas/token':>12}")
    for r in rows:
        print(f"{r['contract']:<26}{r['operation']:<16}{r['n']:>5}{r['gas']:>12,}{r['gas_per_token']:>12,.1f}")
    for goal, met in goals(rows).items():
        print(f"{goal}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
