"""Several JSON-RPC endpoints of one chain behind one web3 provider.

A network may list several endpoints (``rpc_urls:`` in networks.yaml, ``--rpc-url`` repeated):
nodes of one chain, or one node behind several gateways. :class:`EndpointsProvider` makes them
one web3 provider, so every caller (:class:`~nft_toolkit.chain.client.Chain`, the minter, the
audit, the web service) gets the following without change:

- **One chain.** Before an endpoint serves anything, its ``eth_chainId`` is read (within
  :data:`PROBE_TIMEOUT` seconds) and compared with the others'; one that differs is a :class:`~nft_toolkit.errors.ConfigError` naming it
  (redacted), whenever it first answers.
- **Reads spread.** Each request (a JSON-RPC batch stays whole, on one endpoint) goes to the next
  healthy endpoint, round robin.
- **A failing endpoint skipped.** A transport fault (connection refused or reset, timeout, an
  HTTP error status, a body that is not JSON, a JSON-RPC *internal error* or *limit exceeded*)
  sends the request to the next endpoint, and rests the failing one: 1 s after its first
  failure, doubling to at most a minute. Then it must answer a probe (``eth_blockNumber``
  within :data:`PROBE_TIMEOUT` seconds) before it serves again, so a node that hangs costs
  the full request timeout once, not at every return. Reverts and other execution errors
  are the chain's answers and are returned as they are. When every endpoint fails, the request
  raises :class:`EndpointsFailed`, one line naming each endpoint and its fault. The first time
  an endpoint is skipped while another answers, one warning is logged (logger
  ``nft_toolkit.chain.endpoints``, so on stderr, redacted): "RPC endpoint 2 of bank (URL) does
  not answer (timed out): using the others"; a command's stdout stays its own.
- **Transactions broadcast.** ``eth_sendRawTransaction`` goes to every healthy endpoint: the same
  signed bytes can be mined once only, and every node's pool then counts the sender's pending
  nonces. An acceptance wins over "already known" or "nonce too low" (the transaction is there),
  which win over a refusal. Reads at the ``pending`` tag go first to the endpoints that took the
  last transaction.
- **No read from the past.** The provider remembers the newest block any endpoint has shown
  (``eth_blockNumber``, a block, a receipt) and, per endpoint, the newest block known to be
  there. A read at ``latest`` or ``pending`` (and ``eth_blockNumber`` itself) is served only by
  an endpoint known to be at least at that block, and a read at block N only by one known to
  have block N. An endpoint behind is asked its head again (one ``eth_blockNumber``, at most
  every :data:`HEAD_FRESH` seconds) and skipped while it lags, so a lagging node never answers
  silently from before what this process already saw (monotonic reads). A read no endpoint can
  serve that way waits up to :data:`LAG_WAIT` seconds for one to catch up, then fails like an
  unreachable chain.

One endpoint needs none of this: :func:`provider_for` then gives web3's own HTTPProvider.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import requests
from web3 import HTTPProvider
from web3.providers.base import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

from nft_toolkit.chain.networks import redact_text, redact_url
from nft_toolkit.connection import TIMED_OUT, UNRESOLVED, no_answer_cause
from nft_toolkit.errors import ConfigError

REST_FIRST = 1.0  # seconds a failing endpoint rests after its first failure
REST_MAX = 60.0  # the longest rest, however often it failed
LAG_WAIT = 30.0  # seconds a read waits for an endpoint to reach a block already seen
HEAD_FRESH = 1.0  # seconds a lagging endpoint's head is believed before it is asked again
PROBE_TIMEOUT = 3.0  # seconds a failed endpoint has to answer eth_blockNumber before it serves
# JSON-RPC error codes that are the endpoint's fault, not the chain's answer.
INTERNAL_ERROR, LIMIT_EXCEEDED = -32603, -32005
# Words of an error that is an answer of the EVM (kept, even under code -32603 as Hardhat sends).
_EXECUTION_WORDS = ("revert", "execution", "vm exception", "out of gas", "invalid opcode",
                    "nonce", "insufficient funds", "underpriced", "gas")
# Words of a node that lacks the block or state asked for (lagging, or pruned): ask another.
_LAG_WORDS = ("header not found", "unknown block", "block not found", "blockoutofrange",
              "missing trie node", "state not available")
# What a node says of a transaction it already has or that is already mined.
_KNOWN_WORDS = ("already known", "known transaction", "already imported", "nonce too low",
                "nonce is too low")
# Where the block tag is in each method's parameters (a missing one means "latest").
_BLOCK_ARG = {"eth_call": 1, "eth_estimateGas": 1, "eth_createAccessList": 1,
              "eth_getBalance": 1, "eth_getCode": 1, "eth_getTransactionCount": 1,
              "eth_getStorageAt": 2, "eth_getProof": 2, "eth_feeHistory": 1,
              "eth_getBlockByNumber": 0, "eth_getBlockTransactionCountByNumber": 0}
_TRANSPORT = (requests.RequestException, OSError, ValueError)  # ValueError: a body not JSON
_log = logging.getLogger(__name__)
NAME_UNRESOLVED = "name does not resolve"  # a connection's fault when DNS knows no such host


class EndpointsFailed(requests.ConnectionError):
    """No endpoint of the network could answer a request; the message names each one (redacted)
    and what went wrong there, in one line."""


class _Fault(Exception):
    """An endpoint's answer that is its own fault (internal error, rate limit): try another."""


@dataclass
class Endpoint:
    """One endpoint's connection and what is known of it."""

    shown: str  # the URL for messages: redacted (the real one may hold an API key)
    number: int  # its place in the network's list, from 1, for messages
    provider: HTTPProvider
    probe: HTTPProvider  # the same URL with the short timeout of a probe
    chain_id: int | None = None  # read before it serves anything
    head: int = -1  # the newest block known to be there
    head_read_at: float = float("-inf")  # when it was last asked its head
    failures: int = 0  # in a row
    resting_until: float = 0.0  # time.monotonic() before which it is not asked first
    problem: str = ""  # its last fault in a few words ("timed out"), for messages
    took_last_send: bool = True  # accepted (or already had) the last transaction broadcast
    warned: bool = False  # its being skipped was said (once a process)


class EndpointsProvider(JSONBaseProvider):
    """A web3 provider over several JSON-RPC endpoints of one chain (see the module's text).

    `urls` are expanded URLs (they may hold API keys: only their redacted forms are shown);
    `name` names the network in messages; `timeout` is seconds per request to one endpoint.
    """

    def __init__(self, urls: Sequence[str], *, name: str, timeout: float) -> None:
        super().__init__()
        if len(set(urls)) != len(urls) or not urls:
            raise ConfigError(f"{name}: the RPC endpoints must be distinct, and at least one")
        self.name = name
        self.endpoints = [Endpoint(redact_url(url), i + 1, _http(url, timeout),
                                   _http(url, min(timeout, PROBE_TIMEOUT)))
                          for i, url in enumerate(urls)]
        self.announce = True  # warn when an endpoint is first skipped (check says it itself)
        self.chain_id: int | None = None
        self.floor = -1  # the newest block any endpoint has shown
        self._turn = 0
        self._lock = threading.Lock()  # the bookkeeping; requests run outside it

    def __str__(self) -> str:
        return f"RPC endpoints {', '.join(e.shown for e in self.endpoints)}"

    def unreached(self) -> list[str]:
        """The endpoints not yet heard from as this chain, each with its last fault (redacted),
        for `nft-toolkit check`."""
        return [f"{e.shown}: {e.problem or 'not asked yet'}" for e in self.endpoints
                if e.chain_id is None]

    def answering(self) -> list[str]:
        """The endpoints (redacted) that answered as this chain and have not failed since."""
        return [e.shown for e in self.endpoints if e.chain_id is not None and not e.failures]

    def _say_skipped(self) -> None:
        """Once per endpoint, when another answered in its place: a warning naming it and why."""
        if not self.announce:
            return
        for ep in self.endpoints:
            if ep.failures and not ep.warned:
                ep.warned = True
                _log.warning("RPC endpoint %d of %s (%s) does not answer (%s): using the others",
                             ep.number, self.name, ep.shown, ep.problem)

    # -- the provider's interface ---------------------------------------------------------------
    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        params = list(params or [])
        if method == "eth_chainId":
            return self._chain_id_answer()
        if method == "eth_sendRawTransaction":
            return self._broadcast(method, params)
        return cast(RPCResponse, self._route(
            lambda ep: ep.provider.make_request(method, params), [(method, params)],
            self._needed(method, params), "pending" in params))

    def make_batch_request(self, batch: list[tuple[RPCEndpoint, Any]]
                           ) -> list[RPCResponse] | RPCResponse:
        calls = [(method, list(params or [])) for method, params in batch]
        needed = max((self._needed(m, p) for m, p in calls), default=-1)
        return cast(list[RPCResponse] | RPCResponse, self._route(
            lambda ep: ep.provider.make_batch_request(batch), calls, needed,
            any("pending" in p for _, p in calls)))

    # -- routing --------------------------------------------------------------------------------
    def _route(self, call: Callable[[Endpoint], Any], calls: Sequence[tuple[str, list[Any]]],
               needed: int, pending: bool) -> Any:
        """The answer of the first endpoint, in turn, that can give it (see the module's text)."""
        failed: set[int] = set()
        lag_deadline = time.monotonic() + LAG_WAIT
        poll = 0.1
        first_pass = True
        while True:
            lagging = []
            last_lag_answer = None
            for ep in self._order(prefer_senders=pending):
                if id(ep) in failed:
                    continue
                try:
                    if ep.failures and ep.resting_until <= time.monotonic():
                        # back from a rest (not asked as the last resort): probed first
                        self._learn_head(ep, _result(ep.probe.make_request(
                            RPCEndpoint("eth_blockNumber"), [])))
                    self._check_chain_id(ep)
                    # a lagging endpoint is asked its head again, but not before every request
                    if needed > ep.head and not (
                            first_pass and time.monotonic() - ep.head_read_at < HEAD_FRESH):
                        self._learn_head(ep, _result(ep.provider.make_request(
                            RPCEndpoint("eth_blockNumber"), [])))
                        ep.head_read_at = time.monotonic()
                    if needed > ep.head:
                        lagging.append(ep)
                        continue
                    answer = call(ep)
                    errors = _errors(answer)
                    if any(_is_fault(e) for e in errors):
                        raise _Fault(_error_text(next(e for e in errors if _is_fault(e))))
                    if any(_is_lag(e) for e in errors):
                        with self._lock:
                            ep.head = -1  # not where it was thought to be: ask again
                        lagging.append(ep)
                        last_lag_answer = answer
                        continue
                except (*_TRANSPORT, _Fault) as exc:
                    self._failed(ep, exc)
                    failed.add(id(ep))
                    continue
                self._answered(ep, calls, answer)
                self._say_skipped()
                return answer
            if not lagging:
                raise self._all_failed()
            if time.monotonic() >= lag_deadline:
                if last_lag_answer is not None:
                    return last_lag_answer  # the node's own words on the block it lacks
                raise EndpointsFailed(
                    f"the endpoints of {self.name} that answer are behind block {needed}, "
                    f"which this process already saw, after {LAG_WAIT:.0f} s: "
                    + "; ".join(f"{e.shown} at block {e.head}" for e in lagging))
            time.sleep(poll)
            poll = min(poll * 2, 2.0)
            first_pass = False

    def _order(self, *, prefer_senders: bool = False) -> list[Endpoint]:
        """The endpoints to ask, in order: the rested ones round robin (those that took the last
        transaction first when `prefer_senders`), then the resting ones, soonest back first."""
        now = time.monotonic()
        with self._lock:
            n = len(self.endpoints)
            start, self._turn = self._turn % n, self._turn + 1
            turn = self.endpoints[start:] + self.endpoints[:start]
        ready = [e for e in turn if e.resting_until <= now]
        if prefer_senders:
            ready.sort(key=lambda e: not e.took_last_send)  # stable: round robin within
        resting = sorted((e for e in turn if e.resting_until > now), key=lambda e: e.resting_until)
        return ready + resting

    def _failed(self, ep: Endpoint, exc: BaseException) -> None:
        with self._lock:
            ep.failures += 1
            ep.resting_until = time.monotonic() + min(REST_FIRST * 2 ** (ep.failures - 1),
                                                      REST_MAX)
            ep.problem = _describe(exc)

    def _answered(self, ep: Endpoint, calls: Sequence[tuple[str, list[Any]]], answer: Any) -> None:
        """Back to health; and the blocks the answer shows are known to be there."""
        with self._lock:
            ep.failures, ep.resting_until, ep.problem = 0, 0.0, ""
        answers = answer if isinstance(answer, list) else [answer]
        for (method, _), one in zip(calls, answers):
            result = one.get("result") if isinstance(one, dict) else None
            block: Any = None
            if method == "eth_blockNumber":
                block = result
            elif method in ("eth_getBlockByNumber", "eth_getTransactionReceipt") \
                    and isinstance(result, dict):
                block = result.get("number", result.get("blockNumber"))
            if isinstance(block, str):
                self._learn_head(ep, block)

    def _learn_head(self, ep: Endpoint, block: Any) -> None:
        number = int(str(block), 16)
        with self._lock:
            ep.head = max(ep.head, number)
            self.floor = max(self.floor, number)

    def _all_failed(self) -> EndpointsFailed:
        return EndpointsFailed("; ".join(f"{e.shown} does not answer ({e.problem})" if e.problem
                                         else f"{e.shown}: not reached" for e in self.endpoints))

    def _needed(self, method: str, params: list[Any]) -> int:
        """The block an endpoint must be known to have to answer this request."""
        if method == "eth_getLogs" and params and isinstance(params[0], dict):
            if "blockHash" in params[0]:
                return -1
            return max(self._block(params[0].get("fromBlock", "latest")),
                       self._block(params[0].get("toBlock", "latest")))
        if method == "eth_blockNumber":
            return self.floor  # the head, too, never goes back
        where = _BLOCK_ARG.get(method)
        if where is None:
            return -1
        return self._block(params[where] if len(params) > where else "latest")

    def _block(self, tag: Any) -> int:
        if tag in ("latest", "pending"):
            return self.floor
        if isinstance(tag, int):
            return tag
        if isinstance(tag, str) and tag.startswith("0x"):
            return int(tag, 16)
        return -1  # earliest, safe, finalized, a block hash: no promise to keep

    # -- the chain ID ---------------------------------------------------------------------------
    def _check_chain_id(self, ep: Endpoint) -> None:
        """Reads `ep`'s chain ID once, before it serves anything; ConfigError when it is not the
        chain the other endpoints are."""
        if ep.chain_id is not None:
            return
        # with a probe's short timeout: a hanging endpoint must not hold up every command's start
        actual = int(str(_result(ep.probe.make_request(RPCEndpoint("eth_chainId"), []))), 16)
        with self._lock:
            if self.chain_id is None:
                self.chain_id = actual
            agreed = self.chain_id
            if actual == agreed:
                ep.chain_id = actual
                return
        others = ", ".join(e.shown for e in self.endpoints if e.chain_id == agreed)
        raise ConfigError(f"{self.name}: the RPC endpoint {ep.shown} is chain {actual}, but "
                          f"{others} is chain {agreed}: every endpoint of a network must be the "
                          "same chain; fix or remove that URL")

    def _chain_id_answer(self) -> RPCResponse:
        """Every endpoint that answers checked to be one chain (a resting one only when none has
        answered yet); that chain's ID, as a node answers ``eth_chainId``."""
        now = time.monotonic()
        for ep in self._order():
            if ep.chain_id is not None or (ep.resting_until > now and self.chain_id is not None):
                continue
            try:
                self._check_chain_id(ep)
            except (*_TRANSPORT, _Fault) as exc:
                self._failed(ep, exc)
        if not any(e.chain_id is not None for e in self.endpoints):
            raise self._all_failed()
        self._say_skipped()
        chain_id = cast(int, self.chain_id)
        return cast(RPCResponse, {"jsonrpc": "2.0", "id": 0, "result": hex(chain_id)})

    # -- transactions ---------------------------------------------------------------------------
    def _broadcast(self, method: RPCEndpoint, params: list[Any]) -> RPCResponse:
        """Sends a signed transaction to every endpoint that is not resting (to the resting ones
        only when no other answered); the best answer (see the module's text)."""
        accepted = known = refused = None
        order = self._order()
        now = time.monotonic()
        for ep in order:
            if ep.resting_until > now and (accepted or known or refused):
                ep.took_last_send = False
                continue
            try:
                self._check_chain_id(ep)
                answer = ep.provider.make_request(method, params)
                error = answer.get("error")
                if error is not None and _is_fault(error):
                    raise _Fault(_error_text(error))
            except (*_TRANSPORT, _Fault) as exc:
                self._failed(ep, exc)
                ep.took_last_send = False
                continue
            with self._lock:
                ep.failures, ep.resting_until, ep.problem = 0, 0.0, ""
            said = _error_text(error).lower() if error is not None else ""
            ep.took_last_send = error is None or any(w in said for w in _KNOWN_WORDS)
            if error is None:
                accepted = accepted or answer
            elif ep.took_last_send:
                known = known or answer
            else:
                refused = refused or answer
        best = accepted or known or refused
        if best is None:
            raise self._all_failed()
        self._say_skipped()
        return best


def provider_for(urls: Sequence[str], *, name: str, timeout: float) -> JSONBaseProvider:
    """web3's HTTPProvider for one endpoint; an :class:`EndpointsProvider` for several."""
    if len(urls) == 1:
        return _http(urls[0], timeout)
    return EndpointsProvider(urls, name=name, timeout=timeout)


def _http(url: str, timeout: float) -> HTTPProvider:
    """web3's provider for one URL: `timeout` seconds a request, no retries of its own."""
    return HTTPProvider(url, request_kwargs={"timeout": timeout},
                        exception_retry_configuration=None)


def _result(answer: RPCResponse) -> Any:
    """The result of a plain request to one endpoint (the chain ID, the head); a fault if not."""
    if "error" in answer or "result" not in answer:
        raise _Fault(_error_text(answer.get("error")))
    return answer["result"]


def _errors(answer: Any) -> list[Any]:
    """The JSON-RPC error objects in an answer (a batch's, or a single one's)."""
    answers = answer if isinstance(answer, list) else [answer]
    return [a["error"] for a in answers if isinstance(a, dict) and a.get("error") is not None]


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message", error))[:200]
    return str(error)[:200]


def _is_fault(error: Any) -> bool:
    """Whether a JSON-RPC error is the endpoint's fault (internal error, limit exceeded) rather
    than the chain's answer."""
    code = error.get("code") if isinstance(error, dict) else None
    if code == LIMIT_EXCEEDED:
        return True
    if code != INTERNAL_ERROR:
        return False
    text = _error_text(error).lower()
    return not any(word in text for word in _EXECUTION_WORDS)


def _is_lag(error: Any) -> bool:
    """Whether a JSON-RPC error says the node lacks the block or state asked for (never a
    revert, whatever its reason says)."""
    text = _error_text(error).lower()
    return any(word in text for word in _LAG_WORDS) and "revert" not in text \
        and "execution" not in text


def connection_fault(exc: BaseException) -> str:
    """Why a connection to a JSON-RPC endpoint failed, in a few words: "name does not resolve"
    (DNS: a typo in the host), "timed out", "connection refused or reset". The endpoints' and
    :meth:`Chain.rpc`'s short wording of :func:`nft_toolkit.connection.no_answer_cause`, the one
    classification of a transport fault."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    cause = no_answer_cause(exc)
    return (NAME_UNRESOLVED if cause == UNRESOLVED else "timed out" if cause == TIMED_OUT
            else "connection refused or reset")


def _describe(exc: BaseException) -> str:
    """An endpoint's fault in a few words, redacted."""
    if isinstance(exc, (requests.Timeout, requests.ConnectionError)):
        return connection_fault(exc)
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, _Fault):
        return f"error {redact_text(str(exc))!r}"
    if isinstance(exc, ValueError):
        return "answered something that is not JSON-RPC"
    return redact_text(str(exc).splitlines()[0][:120] if str(exc).strip() else type(exc).__name__)
