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

Several transactions are in flight at once (:mod:`nft_toolkit.chain.inflight` sizes the window), at
consecutive nonces, each journaled before it is sent. The contract mints from its next ID, so a
batch mints its planned range only if every earlier one succeeded and nobody else minted. From
release 4 on, every batch names its planned first ID (the three-argument ``mint``, ``airdrop`` and
``safeMint``) and the contract reverts it with ``UnexpectedFirstId`` otherwise: a batch that
reverts, for whatever cause, makes the later ones of its window revert instead of minting shifted
IDs. A collection of releases 1 to 3 has no such guard: its mints keep one transaction in flight
(:data:`UNGUARDED_NOTE`). With the guard, the node estimates the gas of one batch per shape
(:mod:`nft_toolkit.chain.batchgas`), and the batches of known shapes are signed ahead, at
consecutive nonces, and journaled with one sync before the first of them is sent; those never sent
when a run stops are journaled as such (an ``unsent`` record) and signed afresh on resuming. A
batch this run sent with the guard is not read back when it succeeds (its success means its planned
IDs went to the recipients it names); the whole run is, at its end. When a batch reverts, the run
waits for the rest of its window, says in one line what each did, and stops; running it again
resumes. When someone else minted in between, the resumed run re-plans its unminted batches from
the chain's next ID (a ``replan`` record), same recipients and counts, and mints them there.

A run belongs to one deployment: its plan names the hash of the deployment's block (the deployment
record's block, read on the chain) besides the contract address and chain, so a chain restarted
with the contract deployed again at the same address (even by the same transaction hash: same
deployer, nonce and code) never resumes, nor refuses as done, a run of the earlier deployment.

:func:`project_minter` is what `nft-toolkit mint` and the Brownie script scripts/mint.py use: the
collection of the project's deployment record, the journal in the project's journal folder.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from eth_abi import encode
from eth_typing import HexStr
from web3.exceptions import ContractLogicError
from web3.types import RPCEndpoint, TxParams

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain import rawreads
from nft_toolkit.chain.accounts import Signer
from nft_toolkit.chain.batchgas import GasBook, Shape, estimates_pending, probe_recipients
from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.chain.client import Chain, SignedTx, checksum, to_hex
from nft_toolkit.chain.inflight import InFlight, Window, gas_limit
from nft_toolkit.chain.minting_rights import check_minting_rights
from nft_toolkit.chain.pending import known, mined, settle
from nft_toolkit.consistency import committed_items
from nft_toolkit.deployment import DeploymentRecord, network_record
from nft_toolkit.errors import ChainError, ConfigError, ContractError, InputError
from nft_toolkit.journal import Journal
from nft_toolkit.jsonfile import typed, typed_or_none
from nft_toolkit.project import Project

MINT, AIRDROP, SAFE_MINT = "mint", "airdrop", "safeMint"  # the collection's minting functions
CHECK_SPAN = 10_000  # tokens read back at a time at the end of a run
RECEIPT_POLL = 0.01  # seconds before a missing receipt is asked for again (growing 1.5x)
RECEIPT_SOON = 2.0  # seconds of such polls before the nonce is checked too (pending.mined)
UNGUARDED_NOTE = ("this collection's contract (release {release}) has no first-ID guard: one "
                  "transaction in flight at a time, so a failed batch can never shift the IDs of "
                  "the next")
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
    deployment: str | None = None  # the deployment's block hash (None: journals before it)

    @property
    def last(self) -> int:
        return self.first + sum(n for _, n in self.allocations) - 1

    @property
    def count(self) -> int:
        return self.last - self.first + 1


@dataclass
class BatchResult:
    """What became of one batch in this run, with its gas when this run sent it, and, for a
    transaction this run sent, when (wall-clock seconds, time.time()) it left and its receipt
    was seen, and its block: a pipeline's timeline."""

    batch: Batch
    tx: str | None  # None when the tokens were found minted without a known transaction
    gas_used: int = 0
    gas_price: int = 0
    resumed: bool = False
    sent_at: float | None = None
    receipt_at: float | None = None
    block: int | None = None


@dataclass
class MintResult:
    """A run's plan and its batches' results: the gas report."""

    plan: MintPlan
    batches: list[BatchResult] = field(default_factory=list)
    resumed: bool = False
    notes: list[str] = field(default_factory=list)  # what the user should know, once each

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
class ReplanRecord:
    """Run `run`'s unminted batches moved to new IDs (someone else minted in between): each of
    `batches` replaces the plan's batch of its index, and that batch's earlier transactions (all
    settled, none of them mined) are forgotten."""

    run: str
    batches: tuple[Batch, ...]


@dataclass(frozen=True)
class UnsentRecord:
    """Run `run` stopped with the transactions journaled for `batches` signed ahead and never
    sent: they are forgotten (their nonces are free again)."""

    run: str
    batches: tuple[int, ...]


@dataclass(frozen=True)
class EndRecord:
    """Run `run` ended: every planned token minted (complete) or its rest dropped (abandoned)."""

    run: str
    end: Literal["complete", "abandoned"]


MintRecord = PlanRecord | SentRecord | DoneRecord | ReplanRecord | UnsentRecord | EndRecord


def read_mint_journal(journal: Journal) -> list[MintRecord]:
    """The mint records of `journal`, in order, typed (see :func:`iter_mint_journal`)."""
    return list(iter_mint_journal(journal))


def iter_mint_journal(journal: Journal) -> Iterator[MintRecord]:
    """The mint records of `journal`, in order, typed, read a line at a time. Journals written
    by earlier versions read as before (a plan whose batches name no function: mint for one
    recipient, airdrop for several); a record type this version does not know is skipped.
    InputError naming the file for a record with a missing or mistyped field: nothing is
    guessed."""
    for number, raw in enumerate(journal, start=1):
        try:
            record = _record_from_json(raw)
        except KeyError as exc:
            why = f"no {exc.args[0]!r}"
        except (TypeError, ValueError) as exc:
            why = str(exc)
        else:
            if record is not None:
                yield record
            continue
        raise InputError(f"{journal.path}: record {number} ({raw['type']!r}) is not a mint record "
                         f"({why}); restore the file or move it away (then check the chain by hand)")


def mint_record_json(record: MintRecord) -> dict[str, Any]:
    """`record` as the journal's JSON line holds it."""
    if isinstance(record, PlanRecord):
        return {"type": "plan", **_plan_to_json(record.plan)}
    if isinstance(record, SentRecord):
        return {"type": "sent", "run": record.run, "batch": record.batch, **asdict(record.tx)}
    if isinstance(record, DoneRecord):
        return {"type": "done", "run": record.run, "batch": record.batch, "hash": record.hash}
    if isinstance(record, ReplanRecord):
        return {"type": "replan", "run": record.run,
                "batches": [_batch_to_json(b) for b in record.batches]}
    if isinstance(record, UnsentRecord):
        return {"type": "unsent", "run": record.run, "batches": list(record.batches)}
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
                 content_limit: Callable[[str], int] | None = None,
                 deployment: str | None = None) -> None:
        """`content_limit(base_uri)`: N, the items 1..N with content behind the contract's base
        URI; a new plan never mints an ID above it (nft_toolkit.consistency.committed_items).
        `deployment`: the hash of the block that holds the contract's deployment (the
        deployment record's block, on this chain); runs of another deployment at the same address
        are not this one's (a run journaled without one, by an earlier version, is taken as this
        deployment's)."""
        self.content_limit = content_limit
        self.deployment = deployment
        self.guarded = True  # whether the contract checks each batch's first ID (set by mint)
        self.replans: list[str] = []  # what each re-plan of the last mint did, one line each
        self.chain = chain
        self.signer = signer
        self.address = checksum(contract_address, "contract address")
        self.contract = chain.collection(self.address)
        self.journal = journal
        self.confirmations = confirmations
        self._done_later: list[DoneRecord] = []  # journaled with the next record written
        self._pending_estimates: bool | None = None  # see _estimates_pending

    # -- journal --------------------------------------------------------------------------------
    def runs(self) -> list[tuple[MintPlan, dict[int, SignedTx], dict[int, str | None], str | None]]:
        """The runs of this contract in the journal that matter now, oldest first: plan, sent
        transactions, done batches (with their transaction), and how it ended (None while
        unfinished). Read in one pass, keeping the unfinished runs and, of the ended ones, only
        the last completed (its sent and done records dropped): a journal of many large runs
        costs the memory of the runs still to be finished."""
        runs: dict[str, tuple[MintPlan, dict[int, SignedTx], dict[int, str | None]]] = {}
        order: dict[str, int] = {}  # every run of this contract: its plan's position
        ended: dict[str, str] = {}
        last: tuple[int, MintPlan] | None = None  # the last completed plan, by plan order
        for rec in iter_mint_journal(self.journal):
            if isinstance(rec, PlanRecord):
                if rec.plan.contract == self.address and self._this_deployment(rec.plan):
                    runs[rec.plan.run] = (rec.plan, {}, {})
                    order[rec.plan.run] = len(order)
            elif rec.run not in order:
                continue
            elif isinstance(rec, EndRecord):
                ended[rec.run] = rec.end
                found = runs.pop(rec.run, None)
                if rec.end == "complete" and found is not None and (
                        last is None or order[rec.run] > last[0]):
                    last = (order[rec.run], found[0])
            elif rec.run not in runs:
                continue  # a record after the run's end
            elif isinstance(rec, SentRecord):
                runs[rec.run][1][rec.batch] = rec.tx
            elif isinstance(rec, ReplanRecord):
                plan, sent, done = runs[rec.run]
                runs[rec.run] = (_replanned(plan, rec.batches), sent, done)
                for b in rec.batches:
                    sent.pop(b.index, None)
            elif isinstance(rec, UnsentRecord):
                for index in rec.batches:
                    runs[rec.run][1].pop(index, None)
            else:
                runs[rec.run][2][rec.batch] = rec.hash
        Run = tuple[MintPlan, dict[int, SignedTx], dict[int, str | None], str | None]
        out: list[tuple[int, Run]] = [(order[run], (p, s, d, None))
                                      for run, (p, s, d) in runs.items()]
        if last is not None:
            out.append((last[0], (last[1], {}, {}, "complete")))
        return [r for _, r in sorted(out, key=lambda pair: pair[0])]

    def _this_deployment(self, plan: MintPlan) -> bool:
        return None in (plan.deployment, self.deployment) or (
            str(plan.deployment).lower() == str(self.deployment).lower())

    def _log(self, record: MintRecord) -> None:
        self._log_many([record])

    def _log_many(self, records: Sequence[MintRecord]) -> None:
        """`records` journaled with one sync (all on disk before anything is sent), after the
        done records kept for the next write (a done record saves a resumed run one receipt
        read: it need not cost a sync of its own)."""
        records = [*self._done_later, *records]
        self._done_later = []
        self.journal.append_many([mint_record_json(r) for r in records])

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
             where: Callable[[int], str] | None = None,
             max_in_flight: int | None = None) -> MintResult:
        """Mints `allocations` (or resumes the unfinished run when it is the same request, or
        when `allocations` is None) and returns what each batch did.

        The same request as the last completed run is refused unless `again`: a run killed after
        it completed, but before it said so, must not mint twice when run again. A refused
        recipient is named with `where(i)`, where the caller got allocation `i` (`--to`, a CSV line).
        At most `max_in_flight` transactions are in flight at once (None: the default of
        :mod:`nft_toolkit.chain.inflight`; 1 sends each batch after the previous one's receipt).
        """
        if max_in_flight is not None and max_in_flight < 1:
            raise InputError("--max-in-flight must be at least 1")
        chain_id = self.chain.check()
        release = load_artifact().release_of(self.chain.code(self.address))  # any release
        if release is None:
            raise ContractError(f"{self.address} is not a ZodiacCollection on chain {chain_id}")
        self.guarded = has_first_id_guard(release.abi)
        found = self.pending()
        label = where or (lambda i: f"recipient {i + 1}")
        for i, (address, _) in enumerate(allocations or ()):  # whatever the input parser allows
            if str(address).lower() == ZERO_ADDRESS:
                raise InputError(f"{label(i)}: {ZERO_ADDRESS} is the zero address; a token cannot "
                                 "be minted to it (refused, nothing sent)")
        wanted = tuple((checksum(a, "recipient"), int(n)) for a, n in allocations or ())
        if found is not None and not found[1] and (found[0].minter != self.signer.address
                                                   or found[0].chain_id != chain_id):
            # another account's (or chain's) run that never sent a transaction (each is journaled
            # before it leaves): nothing of it can be on chain, so it blocks no one
            self._log(EndRecord(found[0].run, "abandoned"))
            found = None
        if found is not None:
            plan, sent, done = found
            if allocations is not None and plan.allocations != wanted:
                raise InputError(f"an interrupted mint of {plan.count} token(s) (IDs {plan.first}.."
                                 f"{plan.last}) is unfinished: run it again with the same "
                                 "recipients and counts, or `--resume`, or `--abandon`")
            if plan.minter != self.signer.address or plan.chain_id != chain_id:
                raise InputError(f"the unfinished mint was started by {plan.minter} on chain "
                                 f"{plan.chain_id}: resume it with that account on that chain, "
                                 "or drop its unsent batches with `--abandon`")
        if found is not None:
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
        self.replans = []
        if not self.guarded and max_in_flight != 1:
            result.notes.append(UNGUARDED_NOTE.format(release=release.release))
        if not self.guarded:
            max_in_flight = 1

        def report(res: BatchResult) -> None:
            result.batches.append(res)
            if on_batch:
                on_batch(res, plan)
        plan = self._run_batches(plan, sent, done, report, max_in_flight)
        result.plan = plan
        self._check_owners(plan)
        result.notes.extend(self.replans)
        self._log(EndRecord(plan.run, "complete"))
        return result

    def _run_batches(self, plan: MintPlan, sent: Mapping[int, SignedTx],
                     done: Mapping[int, str | None], report: Callable[[BatchResult], None],
                     max_in_flight: int | None) -> MintPlan:
        """Brings every batch of `plan` on chain, in order, reporting each as it settles: a
        journaled transaction reconciled first, the others sent through the window. The plan as
        it ended: re-planned (:meth:`_replan`) when someone else minted in between."""
        try:
            return self._send_batches(plan, sent, done, report, max_in_flight)
        finally:
            if self._done_later:
                self._log_many([])

    def _send_batches(self, plan: MintPlan, sent: Mapping[int, SignedTx],
                      done: Mapping[int, str | None], report: Callable[[BatchResult], None],
                      max_in_flight: int | None) -> MintPlan:
        block_gas = self._block_gas_limit()
        window: Window[Batch] = Window(max_in_flight, block_gas)
        book = GasBook()
        ahead: deque[tuple[Batch, SignedTx]] = deque()  # signed and journaled, not yet sent
        sent, done = dict(sent), dict(done)
        nonce = 0
        position = 0
        try:
            while position < len(plan.batches):
                batch = plan.batches[position]
                position += 1
                if ahead:  # the next batch is the oldest signed ahead
                    batch, signed = ahead[0]
                    self._make_room(plan, window, signed, report)
                    ahead.popleft()  # from here on it may reach the node
                    self._send(window, batch, signed)
                    if not known(self.chain, signed):
                        # a node that does not know it refused it (its nonce spent by another
                        # sender?): it settles before any later nonce leaves; those signed
                        # ahead were never sent: forgotten, and signed afresh
                        if ahead:
                            self._log(UnsentRecord(plan.run, tuple(b.index for b, _ in ahead)))
                            ahead.clear()
                        self._drain(plan, window, report)
                    continue
                if batch.index in done:
                    report(BatchResult(batch, done[batch.index], resumed=True))
                    continue
                journaled = sent.get(batch.index)
                alone = batch.function == SAFE_MINT and not self.guarded
                if journaled is not None or alone:
                    # a journaled transaction is settled (and, without the guard, a receiver's code
                    # runs) with nothing else in flight: the later batches depend on its outcome
                    self._drain(plan, window, report)
                if journaled is not None:
                    res = self._reconcile(plan, batch, journaled)
                    if res is not None:
                        done[batch.index] = res.tx
                        report(res)
                        continue
                    del sent[batch.index]  # settled, not mined: the batch is sent anew
                shape = _shape(batch) if self.guarded else None
                gas = book.get(shape) if shape is not None else None
                tx = None
                if window and gas is None and self._estimates_pending():
                    # estimated behind the window against the node's pending block (its pool's
                    # transactions applied: geth, anvil); a node without one refuses the planned
                    # first ID there: then the window is drained and the latest block asked
                    try:
                        tx = self._sign(batch, nonce, None, shape, book, block_gas, "pending")
                    except ChainError:
                        self._drain(plan, window, report)
                elif window and gas is None:  # ganache: estimated with nothing in flight
                    self._drain(plan, window, report)
                if not window:
                    tx = None  # one signed behind a window since drained is signed again here
                    if self._minted_as_planned(batch):
                        self._log(DoneRecord(plan.run, batch.index, None))
                        report(BatchResult(batch, None, resumed=True))
                        continue
                    next_id = int(self.chain.call(self.contract.functions.totalMinted())) + 1
                    if next_id != batch.first:
                        plan = self._replan(plan, position - 1, next_id, sent, done, report)
                        batch = plan.batches[position - 1]
                        if batch.index in done:  # settled by the re-plan's reconciliation
                            continue
                    nonce = self.chain.nonce(self.signer.address, "pending")
                if tx is None and gas is not None:
                    # this batch and the next ones of known shapes: signed at consecutive nonces,
                    # journaled with one sync, then sent one by one as the window has room
                    ahead.extend(self._sign_ahead(plan, position - 1, nonce, book, block_gas,
                                                  window.limit, sent, done))
                    nonce += len(ahead)
                    self._log_many([SentRecord(plan.run, b.index, t) for b, t in ahead])
                    position -= 1
                    continue
                if tx is None:
                    tx = self._sign(batch, nonce, gas, shape, book, block_gas, "latest")
                nonce += 1
                self._log(SentRecord(plan.run, batch.index, tx))  # durable before it leaves
                self._make_room(plan, window, tx, report)
                self._send(window, batch, tx)
                if alone or not known(self.chain, tx):
                    # a node that does not know it refused it (its nonce spent by another sender?):
                    # it settles before any later nonce leaves, which would mint its IDs instead
                    self._drain(plan, window, report)
        except BaseException:
            if ahead:  # the run stops with these never sent: forgotten, so that a resumed run
                # signs their batches afresh (their nonces may go to earlier batches meanwhile)
                self._log(UnsentRecord(plan.run, tuple(b.index for b, _ in ahead)))
            raise
        self._drain(plan, window, report)
        return plan

    def _estimates_pending(self) -> bool:
        """Whether the node may be asked an estimate behind transactions in flight
        (:func:`batchgas.estimates_pending`); its client version is asked once, when first needed."""
        if self._pending_estimates is None:
            version = self.chain.rpc(lambda: self.chain.w3.client_version, "web3_clientVersion")
            self._pending_estimates = estimates_pending(str(version))
        return self._pending_estimates

    def _make_room(self, plan: MintPlan, window: Window[Batch], tx: SignedTx,
                   report: Callable[[BatchResult], None]) -> None:
        """Waits for the oldest transactions in flight until `tx` fits in the window."""
        while not window.fits(gas_limit(tx.raw)):
            self._complete(plan, window, report)

    def _send(self, window: Window[Batch], batch: Batch, tx: SignedTx) -> None:
        """Sends `tx` (journaled, with room in the window) and puts it in flight."""
        window.push(InFlight(batch, tx, gas_limit(tx.raw)))
        self.chain.send(tx)

    def _sign_ahead(self, plan: MintPlan, position: int, nonce: int, book: GasBook,
                    block_gas: int, most: int, sent: Mapping[int, SignedTx],
                    done: Mapping[int, str | None]) -> list[tuple[Batch, SignedTx]]:
        """The batches from `position` on, at most `most`, up to the first done, journaled or of
        a shape not in `book`, each signed with its shape's gas at consecutive nonces from
        `nonce` (the one at `position`, of a known shape, always)."""
        out: list[tuple[Batch, SignedTx]] = []
        fees = self.chain.fees()  # one read for them all: they leave within moments
        for batch in plan.batches[position:position + most]:
            shape = _shape(batch)
            gas = book.get(shape) if shape is not None else None
            if out and (gas is None or batch.index in done or batch.index in sent):
                break
            out.append((batch, self._sign(batch, nonce + len(out), gas, shape, book,
                                          block_gas, "latest", fees)))
        return out

    def _sign(self, batch: Batch, nonce: int, gas: int | None, shape: Shape | None,
              book: GasBook, block_gas: int, tag: str,
              fees: dict[str, int] | None = None) -> SignedTx:
        """`batch`'s transaction signed at `nonce`: with `gas` when its shape's is known, else
        estimated at block `tag` (a probe of its shape, recorded in `book`, when it has one)."""
        call = self._call(batch, gas, probe=shape is not None and gas is None, tag=tag,
                          gas_cap=block_gas)
        tx = self.chain.sign(self.signer, call, nonce, fees=fees)
        if shape is not None and gas is None and call.estimated is not None:
            book.put(shape, call.estimated)
        return tx

    def _replan(self, plan: MintPlan, position: int, next_id: int, sent: dict[int, SignedTx],
                done: dict[int, str | None], report: Callable[[BatchResult], None]) -> MintPlan:
        """`plan` with its unminted batches from `position` on moved to consecutive IDs from
        `next_id` (the chain's next ID: someone else minted the planned ones), same recipients,
        counts and functions, journaled as a ``replan`` record. Nothing is in flight; every
        journaled transaction of those batches is settled first (one mined as planned makes its
        batch done), so none of them can land after the re-plan. InputError when the moved
        batches would pass the cap or the content under the base URI."""
        for batch in plan.batches[position + 1:]:
            journaled = sent.get(batch.index)
            if batch.index not in done and journaled is not None:
                res = self._reconcile(plan, batch, journaled)
                if res is not None:
                    done[batch.index] = res.tx
                    report(res)
        moved: list[Batch] = []
        first = next_id
        for batch in plan.batches[position:]:
            if batch.index in done:
                continue
            count = batch.last - batch.first + 1
            moved.append(Batch(batch.index, first, first + count - 1, batch.recipients,
                               batch.counts, batch.function))
            first += count
        if not moved:
            return plan
        fns = self.contract.functions
        cap, base_uri = self.chain.batch_call([fns.maxSupply(), fns.baseURI()])
        limit = min(int(cap), self.content_limit(str(base_uri)) if self.content_limit else int(cap))
        head = (f"batch {position + 1} on were planned from ID {plan.batches[position].first}, "
                f"but someone else minted in between (the contract's next ID is {next_id})")
        if first - 1 > limit:
            raise InputError(f"{head}: moved to IDs {next_id}..{first - 1}, they would pass the "
                             f"{'cap' if limit == int(cap) else 'content under the base URI'} "
                             f"(ID {limit}); `mint --abandon` drops the rest of the run")
        self._log(ReplanRecord(plan.run, tuple(moved)))
        for batch in moved:
            sent.pop(batch.index, None)
        self.replans.append(f"{head}: the {len(moved)} unminted batch(es) moved to IDs "
                            f"{next_id}..{first - 1}, same recipients and counts")
        return _replanned(plan, tuple(moved))

    def _block_gas_limit(self) -> int:
        block = self.chain.rpc(lambda: self.chain.w3.eth.get_block("latest"),
                               "eth_getBlockByNumber")
        return int(block["gasLimit"])

    def _call(self, batch: Batch, gas: int | None = None, *, probe: bool = False,
              tag: str = "latest", gas_cap: int | None = None) -> rawreads.EncodedCall:
        """The contract call that mints `batch`, with its `gas` when known; else estimated at
        block `tag`, with :func:`batchgas.probe_recipients` in place of its recipients when
        `probe` (the bound of its shape: :mod:`nft_toolkit.chain.batchgas`)."""
        to = rawreads.address_bytes
        args: list[Any]
        if batch.function == AIRDROP:  # address[] encoded as its words (rawreads.address_word)
            signature, types = "airdrop(address[],uint256[]", ["bytes32[]", "uint256[]"]
            word = rawreads.address_word
            args = [[word(to(r)) for r in batch.recipients], list(batch.counts)]
            probes = [[word(a) for a in probe_recipients(len(batch.recipients))] if probe else [],
                      list(batch.counts)]
        elif batch.function in (MINT, SAFE_MINT) and len(batch.recipients) == 1:
            signature, types = f"{batch.function}(address,uint256", ["address", "uint256"]
            args = [to(batch.recipients[0]), batch.counts[0]]
            probes = [probe_recipients(1)[0] if probe else b"", batch.counts[0]]
        else:
            raise InputError(f"batch {batch.index + 1} of the journaled plan calls "
                             f"{batch.function!r} for {len(batch.recipients)} recipient(s)")
        if not self.guarded:
            return rawreads.EncodedCall(self.chain, self.address, signature + ")", types, args,
                                        gas=gas, tag=tag, gas_cap=gas_cap)
        return rawreads.EncodedCall(self.chain, self.address, signature + ",uint256)",
                                    [*types, "uint256"], [*args, batch.first], gas=gas,
                                    estimate_args=[*probes, batch.first] if probe else None,
                                    tag=tag, gas_cap=gas_cap)

    def _reconcile(self, plan: MintPlan, batch: Batch, tx: SignedTx) -> BatchResult | None:
        """The result of a batch whose transaction `tx` was journaled by an earlier run, or
        None when the batch is still to be sent (`tx` reverted or can never be mined)."""
        receipt = settle(self.chain, self.signer, tx, self.confirmations)
        if receipt is not None and receipt["status"] == 1:
            return self._finish(plan, batch, receipt, resumed=True)
        if self._minted_as_planned(batch):
            self._log(DoneRecord(plan.run, batch.index, None))
            return BatchResult(batch, None, resumed=True)
        return None

    def _receipt(self, tx: SignedTx) -> dict[str, Any]:
        """The receipt of `tx` (a sent transaction of this run) once it has its confirmations;
        ChainError when its nonce was spent by another transaction or it does not come."""
        receipt = rawreads.receipt(self.chain, tx.hash)
        poll, deadline = RECEIPT_POLL, time.monotonic() + RECEIPT_SOON
        while receipt is None and time.monotonic() < deadline:
            # asked again soon, raw: on a fast chain the oldest in flight is mined in moments
            time.sleep(poll)
            poll *= 1.5
            receipt = rawreads.receipt(self.chain, tx.hash)
        if receipt is None:
            mined(self.chain, self.signer, tx)  # waits, or finds its nonce spent elsewhere
            receipt = rawreads.receipt(self.chain, tx.hash)
        if receipt is None or self.confirmations > 1:
            return self.chain.wait(tx.hash, self.confirmations, require_success=False)
        return receipt

    def _complete(self, plan: MintPlan, window: Window[Batch],
                  report: Callable[[BatchResult], None]) -> None:
        """Waits for the oldest transaction in flight and reports its batch; ChainError when it
        reverted, once the rest of the window has settled."""
        entry = window.pop()
        receipt = self._receipt(entry.tx)
        seen = time.time()
        if receipt["status"] != 1:
            self._reverted(entry, receipt, window)
        res = self._finish(plan, entry.item, receipt, resumed=False)
        res.sent_at, res.receipt_at = entry.sent_at, seen
        report(res)

    def _drain(self, plan: MintPlan, window: Window[Batch],
               report: Callable[[BatchResult], None]) -> None:
        while window:
            self._complete(plan, window, report)

    def _reverted(self, failed: InFlight[Batch], receipt: dict[str, Any],
                  window: Window[Batch]) -> None:
        """Raises the one line that says batch `failed` reverted and what the batches in flight
        after it did (they were mined from the failed batch's first ID, or reverted too)."""
        later = [(e.item, self._receipt(e.tx)) for e in list(window.entries)]
        window.entries.clear()
        batch = failed.item
        why = ""
        fns = self.contract.functions
        paused, minted, cap = self.chain.batch_call([fns.mintingPaused(), fns.totalMinted(),
                                                     fns.maxSupply()])
        if paused is True:
            why = " (minting is paused on the contract)"
        elif isinstance(minted, int) and minted + 1 != batch.first and self.guarded:
            why = (f" (the contract's next ID is {minted + 1}, not {batch.first}: someone else "
                   "minted in between)")
        elif isinstance(minted, int) and isinstance(cap, int) and minted + batch.last - batch.first >= cap:
            why = f" (the cap: {minted} of {cap} minted)"
        text = (f"batch {batch.index + 1} (IDs {batch.first}..{batch.last}) reverted in "
                f"transaction {to_hex(receipt['transactionHash'])}{why}")
        ran = [b for b, r in later if r["status"] == 1]
        if not later:
            text += "; nothing else was in flight"
        elif not ran:
            text += (f"; the {len(later)} batch(es) in flight after it reverted too, so nothing was "
                     "minted out of place")
        else:
            text += (f"; {len(ran)} batch(es) in flight after it (from batch {ran[0].index + 1}) "
                     "were mined and minted IDs other than planned: inspect the chain")
        raise ChainError(text + "; remove the cause and run the command again to resume")

    def _check_owners(self, plan: MintPlan) -> None:
        """ChainError unless every planned token holds its planned owner: read a span of
        consecutive batches at a time (at most :data:`CHECK_SPAN` tokens, several
        ``ownersInRange`` calls in one JSON-RPC batch), so a large run never holds the whole
        collection's owners twice."""
        spans: list[list[Batch]] = []
        for batch in plan.batches:
            if spans and spans[-1][-1].last + 1 == batch.first \
                    and batch.last - spans[-1][0].first < CHECK_SPAN:
                spans[-1].append(batch)
            else:
                spans.append([batch])
        for span in spans:
            planned = [o.lower() for b in span for o in b.owners()]
            owners = self.chain.owners(self.address, span[0].first, span[-1].last,
                                       checksummed=False)
            if owners != planned or ZERO_ADDRESS in planned:  # 0x0 is no owner: not minted
                bad = next(i for i, (a, b) in enumerate(zip(owners, planned))
                           if a != b or b == ZERO_ADDRESS) + span[0].first
                raise ChainError(f"token {bad} is not owned as planned after the run; inspect "
                                 "the chain")

    def _new_plan(self, chain_id: int, allocations: tuple[tuple[str, int], ...],
                  batch_size: int, where: Callable[[int], str]) -> MintPlan:
        plan = self._draft(chain_id, allocations, batch_size, where)
        self._log(PlanRecord(plan))
        return plan

    def draft(self, chain_id: int, allocations: Sequence[tuple[str, int]], batch_size: int,
              where: Callable[[int], str] | None = None) -> MintPlan:
        """The plan a mint of `allocations` would follow now, every rule checked (cap, content
        behind the base URI, receivers), without journaling or sending anything: `nft-toolkit
        check`. A refused recipient is named with `where(i)`."""
        return self._draft(chain_id, tuple((checksum(a, "recipient"), int(n))
                                           for a, n in allocations), batch_size, where)

    def _draft(self, chain_id: int, allocations: tuple[tuple[str, int], ...], batch_size: int,
               where: Callable[[int], str] | None = None) -> MintPlan:
        """:meth:`draft` of `allocations` already parsed (checksum addresses): an address's
        checksum costs a Keccak hash, a second one per recipient is worth sparing at 100,000."""
        if not allocations:
            raise InputError("nothing to mint")
        check_minting_rights(self.chain, self.contract, self.signer.address)
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
                        plan_batches(allocations, minted + 1, batch_size, contracts),
                        self.deployment)

    def _check_receivers(self, allocations: tuple[tuple[str, int], ...], first: int,
                         where: Callable[[int], str]) -> frozenset[str]:
        """The recipients that have code, each shown to accept its first token: InputError
        naming the first that would refuse it (a token minted there would be locked)."""
        distinct = list(dict.fromkeys(a for a, _ in allocations))
        contracts = frozenset(a for a, code in zip(distinct, rawreads.has_code(self.chain, distinct))
                              if code)
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

    def _finish(self, plan: MintPlan, batch: Batch, receipt: dict[str, Any],
                resumed: bool) -> BatchResult:
        """The result of `batch`, mined by the successful `receipt`. Its owners are read back
        unless this run signed it with the first-ID guard: then its success means it minted its
        planned IDs to the recipients it names (the whole run is read back at its end)."""
        if (resumed or not self.guarded) and not self._minted_as_planned(batch):
            raise ChainError(f"transaction {to_hex(receipt['transactionHash'])} did not mint tokens "
                             f"{batch.first}..{batch.last} to the planned owners (someone else "
                             "minted in between?)")
        tx = to_hex(receipt["transactionHash"])
        self._done_later.append(DoneRecord(plan.run, batch.index, tx))
        return BatchResult(batch, tx, int(receipt["gasUsed"]),
                           int(receipt.get("effectiveGasPrice", 0)), resumed,
                           block=int(receipt["blockNumber"]))

    def _owners(self, batch: Batch) -> list[str]:
        """The chain's owners of the batch's IDs, lower-case (as :meth:`Batch.owners` is compared)."""
        return self.chain.owners(self.address, batch.first, batch.last, checksummed=False)

    def _minted_as_planned(self, batch: Batch) -> bool:
        """Whether the batch's tokens are on chain with their planned owners. The zero address
        is what the chain answers for an unminted ID, so a plan naming it is never minted."""
        planned = [o.lower() for o in batch.owners()]
        if ZERO_ADDRESS in planned:
            return False
        return self._owners(batch) == planned



def mint_journal_path(project: Project, network: str) -> Path:
    """The journal of a project's mints on `network`."""
    return project.journal_dir / f"mint-{network}.jsonl"


def project_minter(project: Project, chain: Chain, signer: Signer, network: str,
                   confirmations: int = 1) -> Minter:
    """The :class:`Minter` of the collection in the project's deployment record for `network`."""
    record = network_record(project, network)
    if chain.check() != record.chain_id:
        raise ConfigError(f"the deployment record of {network} is for chain {record.chain_id}, "
                          f"but the chain answering is {chain.chain_id}")
    return Minter(chain, signer, record.address, Journal(mint_journal_path(project, network)),
                  confirmations, content_limit=lambda base_uri: committed_items(base_uri, project),
                  deployment=deployment_id(chain, record))


def deployment_id(chain: Chain, record: DeploymentRecord) -> str | None:
    """What names the deployment of `record` among others at the same address: the hash of its
    block on `chain` (None when the chain has no such block: then no contract of the record is
    there either, which the minter reports). A chain restarted and the contract deployed again
    gives the same address, and even the same transaction hash (same deployer, nonce and code),
    never the same block."""
    answer = chain.rpc(lambda: chain.w3.provider.make_request(
        RPCEndpoint("eth_getBlockByNumber"), [hex(record.block), False]), "eth_getBlockByNumber")
    block = answer.get("result") if isinstance(answer, dict) else None
    return str(block["hash"]).lower() if isinstance(block, dict) and block.get("hash") else None


def has_first_id_guard(abi: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a release's ABI has the guarded ``mint(address,uint256,uint256 firstId)``:
    releases from 4 on, whose mints revert rather than shift IDs (see the module's docstring)."""
    return any(f.get("type") == "function" and f.get("name") == MINT
               and len(f.get("inputs", ())) == 3 for f in abi)


def _shape(batch: Batch) -> Shape | None:
    """The shape whose estimate serves `batch` (:mod:`nft_toolkit.chain.batchgas`), or None
    when it is estimated alone: a safeMint runs the receiver's own code, and a zero-address
    recipient (an old journal's plan) must meet its refusal in the estimate."""
    if batch.function == SAFE_MINT or ZERO_ADDRESS in (r.lower() for r in batch.recipients):
        return None
    return batch.function, batch.counts


def _replanned(plan: MintPlan, batches: tuple[Batch, ...]) -> MintPlan:
    """`plan` with each of `batches` in place of its batch of the same index."""
    moved = {b.index: b for b in batches}
    return replace(plan, batches=tuple(moved.get(b.index, b) for b in plan.batches))

def _plan_to_json(plan: MintPlan) -> dict[str, Any]:
    # as dataclasses.asdict would give, built directly: asdict deep-copies every field, seconds
    # for a plan of 100,000 recipients
    return {"run": plan.run, "contract": plan.contract, "chain_id": plan.chain_id,
            "minter": plan.minter, "allocations": [list(a) for a in plan.allocations],
            "first": plan.first, "deployment": plan.deployment,
            "batches": [_batch_to_json(b) for b in plan.batches]}


def _batch_to_json(b: Batch) -> dict[str, Any]:
    return {"index": b.index, "first": b.first, "last": b.last, "recipients": list(b.recipients),
            "counts": list(b.counts), "function": b.function}


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
    if kind == "replan":
        return ReplanRecord(typed(str, run, "run"),
                            tuple(_batch_from_json(typed(dict, b, "a batch"))
                                  for b in typed(list, raw["batches"], "batches")))
    if kind == "unsent":
        return UnsentRecord(typed(str, run, "run"), tuple(
            typed(int, i, "a batch") for i in typed(list, raw["batches"], "batches")))
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
        deployment=typed_or_none(str, rec.get("deployment"), "deployment"),
    )


def _batch_from_json(b: dict[str, Any]) -> Batch:
    recipients = tuple(typed(str, r, "a recipient") for r in typed(list, b["recipients"], "recipients"))
    counts = tuple(typed(int, n, "a count") for n in typed(list, b["counts"], "counts"))
    # journals written before the field: mint or airdrop by recipients
    function = typed_or_none(str, b.get("function"), "function") or (
        MINT if len(recipients) == 1 else AIRDROP)
    return Batch(typed(int, b["index"], "index"), typed(int, b["first"], "first"),
                 typed(int, b["last"], "last"), recipients, counts, function)
