"""Recipients the Minter must refuse or treat apart, on ganache (issue 9, kind 4): the zero address
(never "minted as planned"), contracts (safeMint after a simulated receiver check), and reverts
decoded into one line with the packaged ABI."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from web3.exceptions import ContractLogicError

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain import rawreads
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import ZERO_ADDRESS, Chain
from nft_toolkit.chain.airdrop import load_airdrop
from nft_toolkit.chain.minter import AIRDROP, MINT, SAFE_MINT, Minter, plan_batches
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ChainError, ConfigError, InputError
from nft_toolkit.journal import Journal
from nft_toolkit.project import Project
from tests.support.cli import Cli, start_project

ROOT = Path(__file__).resolve().parents[2]
ISSUER = dev_account(0)
A, B = dev_account(1).address, dev_account(2).address
ACCEPT, REJECT, REVERT = 0, 1, 2  # ERC721ReceiverMock.Mode


@cache
def receiver_mock() -> dict[str, Any]:
    """ABI and bytecode of contracts/test/ERC721ReceiverMock.sol, compiled as Brownie does."""
    os.environ.setdefault("SOLCX_BINARY_PATH", str(ROOT / ".solc"))
    import solcx
    import yaml
    from brownie.project import compiler

    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())["compiler"]
    solcx.set_solc_version(str(config["solc"]["version"]), silent=True)
    paths = ["contracts/test/ERC721ReceiverMock.sol", "contracts/interfaces/IZodiacCollection.sol"]
    input_json = compiler.generate_input_json(
        {p: (ROOT / p).read_text() for p in paths}, optimizer=config["solc"]["optimizer"],
        evm_version=config["evm_version"], remappings=config["solc"]["remappings"])
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        out = compiler.compile_from_input_json(input_json)
    finally:
        os.chdir(cwd)
    data = out["contracts"][paths[0]]["ERC721ReceiverMock"]
    return {"abi": data["abi"], "bytecode": "0x" + data["evm"]["bytecode"]["object"]}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory):
    cli = start_project(tmp_path_factory.mktemp("recipients") / "p", 12)
    try:
        assert cli("deploy").returncode == 0
        yield cli
    finally:
        cli("chain", "stop")


def connect(cli: Cli) -> tuple[Chain, Project, str]:
    project = Project(cli.cwd)
    state = json.loads((project.chain_dir / "chain.json").read_text())
    return Chain(state["url"], 1337), project, load_record(project.deployment_path("development")).address


def minter(cli: Cli, journal: str) -> Minter:
    chain, project, address = connect(cli)
    return Minter(chain, ISSUER, address, Journal(project.journal_dir / journal))


def deploy_receiver(chain: Chain, mode: int) -> Any:
    art = receiver_mock()
    factory = chain.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    tx = factory.constructor(mode).transact({"from": ISSUER.address})
    receipt = chain.w3.eth.wait_for_transaction_receipt(tx)
    return chain.w3.eth.contract(address=receipt["contractAddress"], abi=art["abi"])


def minted(cli: Cli) -> int:
    chain, _, address = connect(cli)
    return chain.call(chain.collection(address).functions.totalMinted())


def test_a_contract_recipient_gets_its_own_safe_mint_batches() -> None:
    c = "0x" + "cc" * 20
    batches = plan_batches([(A, 2), (c, 3), (B, 1), (A, 1)], first=1, batch_size=2,
                           contracts=frozenset({c}))
    assert [(b.first, b.last, b.recipients, b.function) for b in batches] == [
        (1, 2, (A,), MINT), (3, 4, (c,), SAFE_MINT), (5, 5, (c,), SAFE_MINT),
        (6, 7, (B, A), AIRDROP)]


def test_a_zero_address_recipient_is_refused_before_the_journal(deployed: Cli) -> None:
    m = minter(deployed, "zero.jsonl")
    with pytest.raises(InputError, match=f"^recipient 2: {ZERO_ADDRESS} is the zero address"):
        m.mint([(A, 1), (ZERO_ADDRESS, 1)])
    with pytest.raises(InputError, match="^--to: .* zero address"):
        m.mint([(ZERO_ADDRESS, 1)], where=lambda i: "--to")
    assert m.journal.records() == [] and minted(deployed) == 0


def test_a_journaled_zero_address_batch_is_never_taken_as_minted(deployed: Cli) -> None:
    # A plan journaled before the refusal existed: ownersInRange answers 0x0 for the unminted
    # ID, which used to read as "minted as planned" (exit 0, nothing minted, batch done).
    m = minter(deployed, "old-zero.jsonl")
    m.journal.append({"type": "plan", "run": "old", "contract": m.address, "chain_id": 1337,
                      "minter": ISSUER.address, "allocations": [[ZERO_ADDRESS, 1]], "first": 1,
                      "batches": [{"index": 0, "first": 1, "last": 1,
                                   "recipients": [ZERO_ADDRESS], "counts": [1]}]})
    with pytest.raises(ChainError) as exc:
        m.mint(None)
    assert str(exc.value) == (
        "the contract would refuse mint(): ERC721InvalidReceiver(receiver="
        f"{ZERO_ADDRESS}): that address cannot receive tokens")
    assert [r["type"] for r in m.journal.records()] == ["plan"] and minted(deployed) == 0

    # The same plan with its batch journaled done by the old code, the run not yet complete.
    m.journal.append({"type": "done", "run": "old", "batch": 0, "hash": None})
    with pytest.raises(ChainError, match="^token 1 is not owned as planned after the run"):
        m.mint(None)
    assert m.journal.records()[-1]["type"] == "done" and minted(deployed) == 0


def test_reverts_are_decoded_with_the_packaged_abi(deployed: Cli) -> None:
    chain, _, address = connect(deployed)
    fns = chain.collection(address).functions
    # the caller's missing role is the user's configuration (exit 2), not the chain's failure
    with pytest.raises(ConfigError, match=rf"^the contract would refuse mint\(\) from {A}: "
                       rf"AccessControlUnauthorizedAccount\(account={A}, neededRole=MINTER_ROLE\)"):
        chain.sign(dev_account(1), fns.mint(A, 1), chain.nonce(A))
    with pytest.raises(ChainError, match=r"MaxSupplyExceeded\(requested=13, remaining=12\): "
                       "the mint would pass the collection's cap"):
        chain.sign(ISSUER, fns.mint(A, 13), chain.nonce(ISSUER.address))
    with pytest.raises(ChainError, match=r"refuse setProvenanceHash\(\): ProvenanceAlreadySet\(\)"):
        chain.sign(ISSUER, fns.setProvenanceHash(b"\1" * 32), chain.nonce(ISSUER.address))
    with pytest.raises(ContractLogicError, match=r"^ERC721NonexistentToken\(tokenId=99\)"):
        chain.call(fns.tokenURI(99))
    art = load_artifact()
    factory = chain.w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
    with pytest.raises(ChainError, match=r"^the contract would refuse the deployment: "
                       r"ERC2981InvalidDefaultRoyalty\(numerator=10001, denominator=10000\): "
                       "the royalty is above 100%$"):
        chain.sign(ISSUER, factory.constructor("H", "H", 2026, 10, A, 10_001, 0, 0),
                   chain.nonce(ISSUER.address))


@pytest.mark.parametrize("mode, reason", [
    (REJECT, "answered 0xdeadbeef0000"),
    (REVERT, "its onERC721Received reverted: receiver refuses"),
])
def test_a_receiver_that_would_refuse_is_named_before_anything_is_sent(
        deployed: Cli, mode: int, reason: str) -> None:
    m = minter(deployed, f"refuse-{mode}.jsonl")
    bad = deploy_receiver(m.chain, mode).address
    with pytest.raises(InputError) as exc:
        m.mint([(A, 1), (B, 1), (bad, 1)], where=lambda i: f"drop.csv:{i + 2}")
    text = str(exc.value)
    assert text.startswith(f"drop.csv:4: recipient {bad} is a contract that does not accept "
                           "ERC-721 tokens") and reason in text and "\n" not in text
    assert m.journal.records() == [] and minted(deployed) == 0


def test_the_collection_itself_is_refused(deployed: Cli) -> None:
    m = minter(deployed, "self.jsonl")
    with pytest.raises(InputError, match=f"^--to: recipient {m.address} is a contract that does "
                       "not accept ERC-721 tokens"):
        m.mint([(m.address, 1)], where=lambda i: "--to")
    assert m.journal.records() == [] and minted(deployed) == 0


def test_an_accepting_receiver_gets_its_tokens_by_safe_mint(deployed: Cli,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # ganache estimates against its live state, which moves while a block is mined: a new
    # shape (the safeMint) is estimated only with nothing of the run in flight, at "latest"
    # (nft_toolkit.chain.batchgas.estimates_pending). Counted here: sends less receipts read.
    m = minter(deployed, "accept.jsonl")
    before = minted(deployed)
    good = deploy_receiver(m.chain, ACCEPT)
    counts = {"sent": 0, "receipts": 0}
    estimates: list[tuple[str, int]] = []  # (block tag, transactions in flight)
    send, receipt, estimate = m.chain.send, m._receipt, rawreads.EncodedCall.estimate

    def counted_send(tx: Any) -> None:
        counts["sent"] += 1
        send(tx)

    def counted_receipt(tx: Any) -> dict[str, Any]:
        counts["receipts"] += 1
        return receipt(tx)

    def seen_estimate(call: rawreads.EncodedCall, params: dict[str, Any]) -> int:
        estimates.append((call.tag, counts["sent"] - counts["receipts"]))
        return estimate(call, params)
    monkeypatch.setattr(m.chain, "send", counted_send)
    monkeypatch.setattr(m, "_receipt", counted_receipt)
    monkeypatch.setattr(rawreads.EncodedCall, "estimate", seen_estimate)
    result = m.mint([(A, 1), (good.address, 2), (B, 1)], batch_size=10)
    assert estimates == [("latest", 0), ("latest", 0)]  # mint's shape (B's too), the safeMint
    assert [(b.batch.function, b.batch.recipients) for b in result.batches] == [
        (MINT, (A,)), (SAFE_MINT, (good.address,)), (MINT, (B,))]
    assert good.functions.received().call() == 2  # its callback ran for each token
    assert m.chain.owners(m.address, before + 1, before + 4) == [A, good.address, good.address, B]
    plan = next(r for r in m.journal.records() if r["type"] == "plan")
    assert [b["function"] for b in plan["batches"]] == [MINT, SAFE_MINT, MINT]


def test_a_journal_without_the_function_field_resumes_as_before(tmp_path: Path) -> None:
    # Old plans name no function: one recipient is a mint, several an airdrop.
    journal = Journal(tmp_path / "old.jsonl")
    address = "0x" + "12" * 20
    journal.append({"type": "plan", "run": "r", "contract": Chain("http://127.0.0.1:9", 1337)
                    .collection(address).address, "chain_id": 1337, "minter": ISSUER.address,
                    "allocations": [[A, 1], [B, 1]], "first": 1,
                    "batches": [{"index": 0, "first": 1, "last": 1, "recipients": [A], "counts": [1]},
                                {"index": 1, "first": 2, "last": 3, "recipients": [A, B],
                                 "counts": [1, 1]}]})
    m = Minter(Chain("http://127.0.0.1:9", 1337), ISSUER, address, journal)
    found = m.pending()
    assert found is not None
    assert [b.function for b in found[0].batches] == [MINT, AIRDROP]


def test_airdrop_where_names_the_line_the_parser_read(tmp_path: Path) -> None:
    path = tmp_path / "drop.csv"
    path.write_bytes(("address;count\r\n\r\n# vip\r\n" + f"{A.lower()};2\r\n\r\n{B};1\r\n")
                     .encode("utf-16"))  # a spreadsheet's UTF-16 with BOM, CRLF, blank lines
    where = load_airdrop(path).where
    assert [where(0), where(1)] == [f"{path}:4", f"{path}:6"]
