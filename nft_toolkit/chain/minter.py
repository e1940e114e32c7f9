"""Minting a plan of tokens exactly once, across crashes, chain restarts and RPC errors.

A run starts by writing its *plan* to the journal: the token IDs it will mint (from
``totalMinted() + 1``), who gets each, and the batches (one ``mint``, ``airdrop`` or ``safeMint``
transaction each). Before the plan is written, recipients are checked: the zero address is
refused, and a recipient with code gets its tokens by ``safeMint`` (the ERC-721 receiver check) in
batches of its own, after a simulated ``onERC721Received`` has shown it accepts them, so a bad row
in a long airdrop stops the run before anything is sent. Each batch's signed transaction is
journaled before it is sent. Running the same request again resumes the unfinished run, and every
batch is reconciled with the chain rather than with the journal alone:

1. a journaled transaction is settled (receipt by hash; resent if its nonce is unused);
2. the batch's token range is read back with ``ownersInRange``: if the planned owners are there,
   the batch is done, whichever transaction did it;
3. otherwise, if the chain's next ID is the batch's first, a new transaction is sent;
   any other next ID means someone else minted in between, and the run stops with that fact.

The run is complete when the whole planned range holds the planned owners.

:func:`project_minter` is what `nft-toolkit mint` and the Brownie script scripts/mint.py use: the
collection of the project's deployment record, the journal in the project's journal folder.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from eth_abi import encode
from eth_typing import HexStr
from web3.exceptions import ContractLogicError
from web3.types import TxParams

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import Signer
from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.chain.client import Chain, SignedTx, checksum, to_hex
from nft_toolkit.chain.pending import send_new, settle
from nft_toolkit.consistency import committed_items
from nft_toolkit.deployment import load_record
from nft_toolkit.errors import ChainError, ConfigError, ContractError, InputError
from nft_toolkit.journal import Journal
from nft_toolkit.jsonfile import typed, typed_or_none
from nft_toolkit.project import Project

MINT, AIRDROP, SAFE_MINT = "mint", "airdrop", "safeMint"  # the collection's minting functions
# onERC721Received(address,address,uint256,bytes): its selector, and a receiver's "yes"
RECEIVED = bytes.fromhex("150b7a02")


@dataclass(frozen=True)
class Batch:
    """One transaction of a run: tokens `first`..`last` to `recipients` by `counts`, through the
    collection's `function` (MINT or AIRDROP for accounts, SAFE_MINT for a contract)."""

    index: int
    first: int
    last: int
    recipients: tuple[str, ...]
    counts: tuple[int, ...]
    function: str = MINT

    def owners(self) -> list[str]:
        """The planned owner of each token of the batch, in ID order."""
        return [r for r, n in zip(self.recipients, self.counts) for _ in range(n)]


@dataclass(frozen=True)
class MintPlan:
    """What one run mints, fixed when it starts."""

    run: str
    contract: str
    chain_id: int
    minter: str
    allocations: tuple[tuple[str, int], ...]
    first: int
    batches: tuple[Batch, ...]

    @property
    def last(self) -> int:
        return self.first + sum(n for _, n in self.allocations) - 1

    @property
    def count(self) -> int:
        return self.last - self.first + 1


@dataclass
class BatchResult:
    """What became of one batch in this run, with its gas when this run sent it."""

    batch: Batch
    tx: str | None  # None when the tokens were found minted without a known transaction
    gas_used: int = 0
    gas_price: int = 0
    resumed: bool = False


@dataclass
class MintResult:
    """A run's plan and its batches' results: the gas report."""

    plan: MintPlan
    batches: list[BatchResult] = field(default_factory=list)
    resumed: bool = False

    @property
    def gas_used(self) -> int:
        return sum(b.gas_used for b in self.batches)

    @property
    def cost_wei(self) -> int:
        return sum(b.gas_used * b.gas_price for b in self.batches)


# -- the journal's records ---------------------------------------------------------------------
@dataclass(frozen=True)
class PlanRecord:
    """A run starts: its plan, journaled before any of its transactions."""

    plan: MintPlan


@dataclass(frozen=True)
class SentRecord:
    """Batch `batch` of run `run` signed as `tx`: journaled before it is sent."""

    run: str
    batch: int
    tx: SignedTx


@dataclass(frozen=True)
class DoneRecord:
    """Batch `batch` of run `run` is on chain, by transaction `hash` (None when its tokens were
    found minted as planned without a known transaction)."""

    run: str
    batch: int
    hash: str | None


@dataclass(frozen=True)
class EndRecord:
    """Run `run` ended: every planned token minted (complete) or its rest dropped (abandoned)."""

    run: str
    end: Literal["complete", "abandoned"]


MintRecord = PlanRecord | SentRecord | DoneRecord | EndRecord


def read_mint_journal(journal: Journal) -> list[MintRecord]:
    """The mint records of `journal`, in order, typed. Journals written by earlier versions read
    as before (a plan whose batches name no function: mint for one recipient, airdrop for
    several); a record type this version does not know is skipped. InputError naming the file
    for a record with a missing or mistyped field: nothing is guessed."""
    out: list[MintRecord] = []
    for number, raw in enumerate(journal.records(), start=1):
        try:
            record = _record_from_json(raw)
        except KeyError as exc:
            why = f"no {exc.args[0]!r}"
        except (TypeError, ValueError) as exc:
            why = str(exc)
        else:
            if record is not None:
                out.append(record)
            continue
        raise InputError(f"{journal.path}: record {number} ({raw['type']!r}) is not a mint record "
                         f"({why}); restore the file or move it away (then check the chain by hand)")
    return out


def mint_record_json(record: MintRecord) -> dict[str, Any]:
    """`record` as the journal's JSON line holds it."""
    if isinstance(record, PlanRecord):
        return {"type": "plan", **_plan_to_json(record.plan)}
    if isinstance(record, SentRecord):
        return {"type": "sent", "run": record.run, "batch": record.batch, **asdict(record.tx)}
    if isinstance(record, DoneRecord):
        return {"type": "done", "run": record.run, "batch": record.batch, "hash": record.hash}
    return {"type": record.end, "run": record.run}


def plan_batches(allocations: Sequence[tuple[str, int]], first: int, batch_size: int,
                 contracts: frozenset[str] = frozenset()) -> tuple[Batch, ...]:
    """Cuts `allocations` into transactions of at most `batch_size` tokens, IDs from `first`.
    A recipient in `contracts` (it has code) gets its tokens in batches of its own, by SAFE_MINT."""
    if batch_size < 1:
        raise InputError("the batch size must be at least 1")
    batches: list[Batch] = []
    recipients: list[str] = []
    counts: list[int] = []
    start = next_id = first
    room = batch_size

    def close(function: str | None = None) -> None:
        nonlocal recipients, counts, start, room
        if recipients:
            function = function or (MINT if len(recipients) == 1 else AIRDROP)
            batches.append(Batch(len(batches), start, next_id - 1, tuple(recipients),
                                 tuple(counts), function))
        recipients, counts, start, room = [], [], next_id, batch_size

    for address, count in allocations:
        safe = address in contracts
        if safe:
            close()  # the tokens before it go in their own transaction
        while count:
            n = min(count, room)
            if recipients and recipients[-1] == address:
                counts[-1] += n
            else:
                recipients.append(address)
                counts.append(n)
            count -= n
            room -= n
            next_id += n
            if room == 0:
                close(SAFE_MINT if safe else None)
        if safe:
            close(SAFE_MINT)
    close()
    return tuple(batches)


class Minter:
    """Mints for one signer on one collection, journaling into `journal`."""

    def __init__(self, chain: Chain, signer: Signer, contract_address: str, journal: Journal,
                 confirmations: int = 1,
                 content_limit: Callable[[str], int] | None = None) -> None:
        """`content_limit(base_uri)`: N, the items 1..N with content behind the contract's base
        URI; a new plan never mints an ID above it (nft_toolkit.consistency.committed_items)."""
        self.content_limit = content_limit
        self.chain = chain
        self.signer = signer
        self.address = checksum(contract_address, "contract address")
        self.contract = chain.collection(self.address)
        self.journal = journal
        self.confirmations = confirmations

    # -- journal --------------------------------------------------------------------------------
    def runs(self) -> list[tuple[MintPlan, dict[int, SignedTx], dict[int, str | None], str | None]]:
        """Every run of this contract in the journal, oldest first: plan, sent transactions,
        done batches (with their transaction), and how it ended (complete, abandoned or None)."""
        runs: dict[str, tuple[MintPlan, dict[int, SignedTx], dict[int, str | None], list[str]]] = {}
        for rec in read_mint_journal(self.journal):
            if isinstance(rec, PlanRecord):
                if rec.plan.contract == self.address:
                    runs[rec.plan.run] = (rec.plan, {}, {}, [])
            elif rec.run not in runs:
                continue
            elif isinstance(rec, SentRecord):
                runs[rec.run][1][rec.batch] = rec.tx
            elif isinstance(rec, DoneRecord):
                runs[rec.run][2][rec.batch] = rec.hash
            else:
                runs[rec.run][3].append(rec.end)
        return [(p, s, d, e[-1] if e else None) for p, s, d, e in runs.values()]

    def _log(self, record: MintRecord) -> None:
        self.journal.append(mint_record_json(record))

    def pending(self) -> tuple[MintPlan, dict[int, SignedTx], dict[int, str | None]] | None:
        """The unfinished run of this contract, if any."""
        unfinished = [(p, s, d) for p, s, d, end in self.runs() if end is None]
        return unfinished[-1] if unfinished else None

    def abandon(self) -> MintPlan | None:
        """Marks the unfinished run abandoned (its unminted batches will not be sent)."""
        found = self.pending()
        if found is None:
            return None
        self._log(EndRecord(found[0].run, "abandoned"))
        return found[0]

    # -- running --------------------------------------------------------------------------------
    def mint(self, allocations: Sequence[tuple[str, int]] | None, batch_size: int = 100,
             again: bool = False, on_batch: Callable[[BatchResult, MintPlan], None] | None = None,
             on_plan: Callable[[MintPlan, bool], None] | None = None,
             where: Callable[[int], str] | None = None) -> MintResult:
        """Mints `allocations` (or resumes the unfinished run when it is the same request, or
        when `allocations` is None) and returns what each batch did.

        The same request as the last completed run is refused unless `again`: a run killed after
        it completed, but before it said so, must not mint twice when run again. A refused
        recipient is named with `where(i)`, where the caller got allocation `i` (`--to`, a CSV line).
        """
        chain_id = self.chain.check()
        if load_artifact().release_of(self.chain.code(self.address)) is None:  # any release
            raise ContractError(f"{self.address} is not a ZodiacCollection on chain {chain_id}")
        found = self.pending()
        label = where or (lambda i: f"recipient {i + 1}")
        for i, (address, _) in enumerate(allocations or ()):  # whatever the input parser allows
            if str(address).lower() == ZERO_ADDRESS:
                raise InputError(f"{label(i)}: {ZERO_ADDRESS} is the zero address; a token cannot "
                                 "be minted to it (refused, nothing sent)")
        wanted = tuple((checksum(a, "recipient"), int(n)) for a, n in allocations or ())
        if found is not None:
            plan, sent, done = found
            if allocations is not None and plan.allocations != wanted:
                raise InputError(f"an interrupted mint of {plan.count} token(s) (IDs {plan.first}.."
                                 f"{plan.last}) is unfinished: run it again with the same "
                                 "recipients and counts, or `--resume`, or `--abandon`")
            if plan.minter != self.signer.address or plan.chain_id != chain_id:
                raise InputError(f"the unfinished mint was started by {plan.minter} on chain "
                                 f"{plan.chain_id}: resume it with that account on that chain")
            resumed = True
        else:
            if allocations is None:
                raise InputError("there is no unfinished mint to resume")
            finished = [p for p, _, _, end in self.runs() if end == "complete"]
            if finished and finished[-1].allocations == wanted and not again:
                last = finished[-1]
                raise InputError(f"this mint already completed (IDs {last.first}..{last.last}); "
                                 "pass --again to mint the same again")
            plan = self._new_plan(chain_id, wanted, batch_size, label)
            sent, done, resumed = {}, {}, False
        if on_plan:
            on_plan(plan, resumed)
        result = MintResult(plan, resumed=resumed)
        for batch in plan.batches:
            res = self._run_batch(plan, batch, sent.get(batch.index), batch.index in done,
                                  done.get(batch.index))
            result.batches.append(res)
            if on_batch:
                on_batch(res, plan)
        owners = self.chain.owners(self.address, plan.first, plan.last)
        expected = [o for b in plan.batches for o in b.owners()]
        if owners != expected or ZERO_ADDRESS in expected:  # 0x0 is no owner: not minted
            bad = next(i for i, (a, b) in enumerate(zip(owners, expected))
                       if a != b or b == ZERO_ADDRESS) + plan.first
            raise ChainError(f"token {bad} is not owned as planned after the run; inspect the chain")
        self._log(EndRecord(plan.run, "complete"))
        return result

    def _new_plan(self, chain_id: int, allocations: tuple[tuple[str, int], ...],
                  batch_size: int, where: Callable[[int], str]) -> MintPlan:
        plan = self.draft(chain_id, allocations, batch_size, where)
        self._log(PlanRecord(plan))
        return plan

    def draft(self, chain_id: int, allocations: Sequence[tuple[str, int]], batch_size: int,
              where: Callable[[int], str] | None = None) -> MintPlan:
        """The plan a mint of `allocations` would follow now, every rule checked (cap, content
        behind the base URI, receivers), without journaling or sending anything: `nft-toolkit
        check`. A refused recipient is named with `where(i)`."""
        allocations = tuple((checksum(a, "recipient"), int(n)) for a, n in allocations)
        if not allocations:
            raise InputError("nothing to mint")
        fns = self.contract.functions
        minted, cap, base_uri = self.chain.batch_call([fns.totalMinted(), fns.maxSupply(),
                                                       fns.baseURI()])
        total = sum(n for _, n in allocations)
        if minted + total > cap:
            raise InputError(f"minting {total} token(s) would pass the cap: {minted} of {cap} "
                             "are minted")
        if self.content_limit is not None:
            items = self.content_limit(str(base_uri))
            if minted + total > items:
                raise InputError(f"minting {total} token(s) would reach ID {minted + total}, but "
                                 f"only IDs 1..{items} have content under the base URI on chain "
                                 f"({minted} minted, {max(items - minted, 0)} left): token IDs "
                                 "above it would exist with no metadata behind them")
        contracts = self._check_receivers(allocations, minted + 1,
                                          where or (lambda i: f"recipient {i + 1}"))
        return MintPlan(secrets.token_hex(8), self.address, chain_id, self.signer.address,
                        allocations, minted + 1,
                        plan_batches(allocations, minted + 1, batch_size, contracts))

    def _check_receivers(self, allocations: tuple[tuple[str, int], ...], first: int,
                         where: Callable[[int], str]) -> frozenset[str]:
        """The recipients that have code, each shown to accept its first token: InputError
        naming the first that would refuse it (a token minted there would be locked)."""
        distinct = list(dict.fromkeys(a for a, _ in allocations))
        contracts = frozenset(a for a, code in zip(distinct, self.chain.codes(distinct)) if code)
        next_id = first
        for i, (address, count) in enumerate(allocations):
            if address in contracts:
                refusal = self._receiver_refusal(address, next_id)
                if refusal is not None:
                    raise InputError(f"{where(i)}: recipient {address} is a contract that does "
                                     f"not accept ERC-721 tokens ({refusal}); refused, nothing sent")
            next_id += count
        return contracts

    def _receiver_refusal(self, receiver: str, token_id: int) -> str | None:
        """Why `receiver` would refuse token `token_id` by safeMint, or None when it accepts:
        its ``onERC721Received(minter, 0x0, id, "")`` called as from the collection."""
        args = encode(["address", "address", "uint256", "bytes"],
                      [self.signer.address, ZERO_ADDRESS, token_id, b""])
        request: TxParams = {"from": self.address, "to": receiver,
                             "data": HexStr("0x" + (RECEIVED + args).hex())}
        try:
            answer = bytes(self.chain.rpc(lambda: self.chain.w3.eth.call(request),
                                          "onERC721Received simulation"))
        except ContractLogicError as exc:
            return f"its onERC721Received {exc.message}"
        if answer[:32] != RECEIVED.ljust(32, b"\0"):
            said = f"0x{answer[:32].hex()}" if answer else "nothing"
            return f"its onERC721Received answered {said}, not 0x{RECEIVED.hex()}"
        return None

    def _run_batch(self, plan: MintPlan, batch: Batch, tx: SignedTx | None, done: bool,
                   done_tx: str | None) -> BatchResult:
        if done:
            return BatchResult(batch, done_tx, resumed=True)
        if tx is not None:
            receipt = settle(self.chain, self.signer, tx, self.confirmations)
            if receipt is not None and receipt["status"] == 1:
                return self._finish(plan, batch, receipt, resumed=True)
        if self._minted_as_planned(batch):
            self._log(DoneRecord(plan.run, batch.index, None))
            return BatchResult(batch, None, resumed=True)
        minted = int(self.chain.call(self.contract.functions.totalMinted()))
        if minted + 1 != batch.first:
            raise ChainError(f"tokens {batch.first}..{batch.last} were planned for this run, but the "
                             f"contract's next ID is {minted + 1}: someone else minted in between. "
                             "`mint --abandon` drops the rest of the run")
        fns = self.contract.functions
        if batch.function == AIRDROP:
            call = fns.airdrop(list(batch.recipients), list(batch.counts))
        elif batch.function in (MINT, SAFE_MINT) and len(batch.recipients) == 1:
            call = getattr(fns, batch.function)(batch.recipients[0], batch.counts[0])
        else:
            raise InputError(f"batch {batch.index + 1} of the journaled plan calls "
                             f"{batch.function!r} for {len(batch.recipients)} recipient(s)")

        def journal(signed: SignedTx) -> None:
            self._log(SentRecord(plan.run, batch.index, signed))
        _, receipt = send_new(self.chain, self.signer, call, journal, self.confirmations)
        if receipt["status"] != 1:
            raise ChainError(f"mint transaction {to_hex(receipt['transactionHash'])} reverted")
        return self._finish(plan, batch, receipt, resumed=False)

    def _finish(self, plan: MintPlan, batch: Batch, receipt: dict[str, Any],
                resumed: bool) -> BatchResult:
        if not self._minted_as_planned(batch):
            raise ChainError(f"transaction {to_hex(receipt['transactionHash'])} did not mint tokens "
                             f"{batch.first}..{batch.last} to the planned owners (someone else "
                             "minted in between?)")
        tx = to_hex(receipt["transactionHash"])
        self._log(DoneRecord(plan.run, batch.index, tx))
        return BatchResult(batch, tx, int(receipt["gasUsed"]),
                           int(receipt.get("effectiveGasPrice", 0)), resumed)

    def _minted_as_planned(self, batch: Batch) -> bool:
        """Whether the batch's tokens are on chain with their planned owners. The zero address
        is what the chain answers for an unminted ID, so a plan naming it is never minted."""
        planned = batch.owners()
        if ZERO_ADDRESS in planned:
            return False
        return self.chain.owners(self.address, batch.first, batch.last) == planned



def mint_journal_path(project: Project, network: str) -> Path:
    """The journal of a project's mints on `network`."""
    return project.journal_dir / f"mint-{network}.jsonl"


def project_minter(project: Project, chain: Chain, signer: Signer, network: str,
                   confirmations: int = 1) -> Minter:
    """The :class:`Minter` of the collection in the project's deployment record for `network`."""
    record = load_record(project.deployment_path(network))
    if chain.check() != record.chain_id:
        raise ConfigError(f"the deployment record of {network} is for chain {record.chain_id}, "
                          f"but the chain answering is {chain.chain_id}")
    return Minter(chain, signer, record.address, Journal(mint_journal_path(project, network)),
                  confirmations, content_limit=lambda base_uri: committed_items(base_uri, project))

def _plan_to_json(plan: MintPlan) -> dict[str, Any]:
    data = asdict(plan)
    data["allocations"] = [list(a) for a in plan.allocations]
    return data


def _record_from_json(raw: Mapping[str, Any]) -> MintRecord | None:
    kind = raw["type"]
    run = raw.get("run")
    if kind == "plan":
        return PlanRecord(_plan_from_json(raw))
    if kind == "sent":
        tx = SignedTx(typed(str, raw["hash"], "hash"), typed(int, raw["nonce"], "nonce"),
                      typed(str, raw["raw"], "raw"))
        return SentRecord(typed(str, run, "run"), typed(int, raw["batch"], "batch"), tx)
    if kind == "done":
        return DoneRecord(typed(str, run, "run"), typed(int, raw["batch"], "batch"),
                          typed_or_none(str, raw.get("hash"), "hash"))
    if kind in ("complete", "abandoned"):
        return EndRecord(typed(str, run, "run"), "complete" if kind == "complete" else "abandoned")
    return None  # not a record this version writes


def _plan_from_json(rec: Mapping[str, Any]) -> MintPlan:
    allocations = typed(list, rec["allocations"], "allocations")
    if not all(isinstance(a, list) and len(a) == 2 for a in allocations):
        raise TypeError(f"allocations are {allocations!r}, not [address, count] pairs")
    return MintPlan(
        run=typed(str, rec["run"], "run"), contract=typed(str, rec["contract"], "contract"),
        chain_id=typed(int, rec["chain_id"], "chain_id"), minter=typed(str, rec["minter"], "minter"),
        allocations=tuple((typed(str, a, "an allocation's address"), int(n))
                          for a, n in allocations),
        first=typed(int, rec["first"], "first"),
        batches=tuple(_batch_from_json(typed(dict, b, "a batch"))
                      for b in typed(list, rec["batches"], "batches")),
    )


def _batch_from_json(b: dict[str, Any]) -> Batch:
    recipients = tuple(typed(str, r, "a recipient") for r in typed(list, b["recipients"], "recipients"))
    counts = tuple(typed(int, n, "a count") for n in typed(list, b["counts"], "counts"))
    # journals written before the field: mint or airdrop by recipients
    function = typed_or_none(str, b.get("function"), "function") or (
        MINT if len(recipients) == 1 else AIRDROP)
    return Batch(typed(int, b["index"], "index"), typed(int, b["first"], "first"),
                 typed(int, b["last"], "last"), recipients, counts, function)
