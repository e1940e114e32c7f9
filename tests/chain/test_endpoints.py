"""Several endpoints of one chain (nft_toolkit.chain.endpoints) on real anvil nodes, each
endpoint a real HTTP proxy that can die or answer a fault (tests/support/endpoint.py)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError

from nft_toolkit.chain import endpoints
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.endpoints import EndpointsProvider
from nft_toolkit.chain.local import free_port
from nft_toolkit.errors import ChainError, ConfigError
from tests.support.anvil import Anvil, anvil
from tests.support.endpoint import Endpoint, two_endpoints

KEY_PATH = "/v3/0123456789abcdef0123456789abcdef"  # an API key in the path: never shown
# A contract whose every call reverts: init code returning the runtime PUSH1 0 PUSH1 0 REVERT.
REVERTER = "0x6005600c60003960056000f3" + "60006000fd"
# One that answers 42 to any call: runtime PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
ANSWER = "0x600a600c600039600a6000f3" + "602a60005260206000f3"
FRESH = Web3.to_checksum_address("0x" + "12" * 20)  # an account no node funds


@pytest.fixture(scope="module")
def node() -> Iterator[Anvil]:
    with anvil() as n:
        yield n


@pytest.fixture
def two(node: Anvil) -> Iterator[tuple[Endpoint, Endpoint]]:
    """Two endpoints in front of the one node, on one clock."""
    with two_endpoints(node.url) as pair:
        yield pair


def _chain(node: Anvil, *eps: Endpoint) -> Chain:
    return Chain([ep.url for ep in eps], node.chain_id, name="bank")


def _provider(chain: Chain) -> EndpointsProvider:
    provider = chain.w3.provider
    assert isinstance(provider, EndpointsProvider)
    return provider


def _pay(node: Anvil, nonce_of: Chain, value: int = 1) -> str:
    """A signed payment from development account 2, sent through `nonce_of`; its hash."""
    account = dev_account(2)
    nonce = nonce_of.nonce(account.address, "pending")
    signed = account.sign_transaction({"to": dev_account(3).address, "value": value,
                                       "gas": 21_000, "gasPrice": 10**10, "nonce": nonce,
                                       "chainId": node.chain_id})
    tx = Web3.to_hex(signed.raw_transaction)
    from nft_toolkit.chain.client import SignedTx
    nonce_of.send(SignedTx(Web3.to_hex(signed.hash), nonce, tx))
    return Web3.to_hex(signed.hash)


def test_reads_are_spread_over_the_endpoints(node: Anvil, two: tuple[Endpoint, Endpoint]) -> None:
    a, b = two
    chain = _chain(node, a, b)
    assert chain.check() == node.chain_id
    for _ in range(6):
        chain.rpc(lambda: chain.w3.eth.get_balance(FRESH), "eth_getBalance")
    assert len(a.served("eth_getBalance")) == len(b.served("eth_getBalance")) == 3
    # both endpoints' chain IDs were read before either served anything else
    assert a.served("eth_chainId") and b.served("eth_chainId")


def test_a_dead_endpoint_is_skipped_and_rested(node: Anvil, two: tuple[Endpoint, Endpoint],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(endpoints, "REST_FIRST", 600.0)  # no rest ends during the test by itself
    monkeypatch.setattr(endpoints, "REST_MAX", 6000.0)
    a, b = two
    chain = _chain(node, a, b)
    chain.check()
    a.die_after("eth_blockNumber", 1)
    heads = [chain.block_number() for _ in range(8)]
    assert a.dead and heads == [heads[0]] * 8
    assert len(b.served("eth_blockNumber")) == 8  # the lost answer too, asked again there
    first = _provider(chain).endpoints[0]
    assert first.failures == 1, "asked once, then left to rest"
    assert first.resting_until > time.monotonic() and "connection refused" in first.problem
    first.resting_until = 0.0  # its rest is over: asked again (still dead), twice as long a rest
    assert [chain.block_number() for _ in range(2)] == heads[:2]
    assert first.failures == 2 and first.resting_until > time.monotonic() + 600


def test_a_hanging_endpoint_costs_its_timeout_once(node: Anvil, two: tuple[Endpoint, Endpoint],
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A node that takes connections and never answers: after its first timeout it is only
    probed (eth_blockNumber, short timeout) at each return from rest, never given a request."""
    monkeypatch.setattr(endpoints, "REST_FIRST", 0.0)  # every rest over at once: back each turn
    monkeypatch.setattr(endpoints, "PROBE_TIMEOUT", 0.2)
    a, b = two
    chain = Chain([a.url, b.url], node.chain_id, name="bank", timeout=2)
    chain.check()
    a.sicken("*", "hang")
    for _ in range(6):
        assert chain.rpc(lambda: chain.w3.eth.get_balance(FRESH), "eth_getBalance") == 0
    hung = [m for _, m in a.log if m.endswith(":hung")]
    assert hung[0] == "eth_getBalance:hung" and len(hung) >= 2
    assert set(hung[1:]) == {"eth_blockNumber:hung"}, "only probed after the first timeout"
    assert len(b.served("eth_getBalance")) == 6
    assert "timed out" in _provider(chain).endpoints[0].problem
    # said once, when its timeout hit, though it was probed again and again
    assert _skipped(caplog) == [f"RPC endpoint 1 of bank ({a.url}) does not answer (timed out): "
                                "using the others"]


def _skipped(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The warnings the endpoints logged."""
    return [r.getMessage() for r in caplog.records
            if r.name == "nft_toolkit.chain.endpoints" and r.levelname == "WARNING"]


def test_a_skipped_endpoint_is_said_once_and_redacted(node: Anvil, two: tuple[Endpoint, Endpoint],
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """Found by a user: deploy, mint and audit went on through the one node left and never said
    that two of three were down."""
    monkeypatch.setattr(endpoints, "REST_FIRST", 0.0)  # asked (and failing) again at every turn
    a, _ = two
    port = free_port()
    chain = Chain([a.url, f"http://127.0.0.1:{port}{KEY_PATH}"], node.chain_id, name="bank")
    chain.check()
    for _ in range(6):
        chain.block_number()
    assert _provider(chain).endpoints[1].failures >= 2
    assert _skipped(caplog) == [f"RPC endpoint 2 of bank (http://127.0.0.1:{port}/v3/***) does not "
                                "answer (connection refused or reset): using the others"]
    assert _provider(chain).answering() == [a.url]


def test_a_host_that_does_not_resolve_is_said_so(node: Anvil, two: tuple[Endpoint, Endpoint],
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """A typo in a host name (127.0.0.l) is no refused connection: the user must fix the URL."""
    a, _ = two
    typo = "http://node.invalid:8545" + KEY_PATH
    chain = Chain([typo, a.url], node.chain_id, name="bank")
    assert chain.check() == node.chain_id
    assert _provider(chain).unreached() == ["http://node.invalid:8545/v3/***: name does not resolve"]
    assert _skipped(caplog) == ["RPC endpoint 1 of bank (http://node.invalid:8545/v3/***) does not "
                                "answer (name does not resolve): using the others"]
    with pytest.raises(ChainError, match="name does not resolve") as one:
        Chain(typo, node.chain_id, name="bank").check()  # one endpoint: web3's own provider
    assert KEY_PATH not in str(one.value)
    with pytest.raises(ChainError) as refused:
        Chain(f"http://127.0.0.1:{free_port()}", node.chain_id, name="bank").check()
    assert "resolve" not in str(refused.value) and "is it running?" in str(refused.value)


@pytest.mark.parametrize("fault, words", [
    (502, "HTTP 502"),
    ({"code": -32603, "message": "internal error: database closed"}, "internal error"),
    ({"code": -32005, "message": "daily request limit exceeded"}, "limit exceeded"),
], ids=["http-502", "internal-error", "rate-limited"])
def test_a_transport_fault_goes_to_the_other_endpoint(node: Anvil, two: tuple[Endpoint, Endpoint],
                                                      fault: int | dict[str, object],
                                                      words: str) -> None:
    a, b = two
    chain = _chain(node, a, b)
    chain.check()
    a.sicken("eth_getBalance", fault)
    account = dev_account(5).address
    balances = {chain.rpc(lambda: chain.w3.eth.get_balance(account), "eth_getBalance")
                for _ in range(4)}
    assert balances == {Web3(HTTPProvider(node.url)).eth.get_balance(account)}
    assert len(b.served("eth_getBalance")) == 4
    assert words in _provider(chain).endpoints[0].problem


def test_a_revert_is_the_chains_answer_not_a_fault(node: Anvil,
                                                   two: tuple[Endpoint, Endpoint]) -> None:
    a, b = two
    w3 = Web3(HTTPProvider(node.url))
    deployer = w3.eth.accounts[0]
    receipt = w3.eth.wait_for_transaction_receipt(
        w3.eth.send_transaction({"from": deployer, "data": REVERTER}))
    chain = _chain(node, a, b)
    chain.check()
    with pytest.raises(ContractLogicError):
        chain.rpc(lambda: chain.w3.eth.call({"to": receipt["contractAddress"], "data": "0x"}),
                  "eth_call")
    assert len(a.served("eth_call")) + len(b.served("eth_call")) == 1  # asked once, nowhere else
    assert all(e.failures == 0 for e in _provider(chain).endpoints)


def test_a_transaction_goes_to_every_endpoint(node: Anvil,
                                              two: tuple[Endpoint, Endpoint]) -> None:
    a, b = two
    chain = _chain(node, a, b)
    chain.check()
    tx = _pay(node, chain)
    assert chain.wait(tx)["status"] == 1
    assert len(a.served("eth_sendRawTransaction")) == len(b.served("eth_sendRawTransaction")) == 1


def test_pending_reads_go_to_the_endpoints_that_took_the_transaction(
        node: Anvil, two: tuple[Endpoint, Endpoint]) -> None:
    """A node that missed the issuer's last transaction would count its pending nonce short."""
    a, b = two
    chain = _chain(node, a, b)
    chain.check()
    a.sicken("eth_sendRawTransaction", 502)
    chain.wait(_pay(node, chain))
    first = _provider(chain).endpoints[0]
    assert not first.took_last_send and "HTTP 502" in first.problem
    first.resting_until = 0.0  # rested: it serves other reads again, but not these
    for _ in range(4):
        chain.nonce(dev_account(2).address, "pending")
    assert not a.served("eth_getTransactionCount")
    assert len(b.served("eth_getTransactionCount")) >= 4


def test_the_web_service_reads_at_a_block_through_the_endpoints(
        node: Anvil, two: tuple[Endpoint, Endpoint]) -> None:
    """serve's own reads (ServiceChain.calls_at: one batch at a pinned block) go through the
    endpoints too, and past a dead one."""
    from nft_toolkit.web.reads import Head, ServiceChain

    a, b = two
    w3 = Web3(HTTPProvider(node.url))
    address = w3.eth.wait_for_transaction_receipt(w3.eth.send_transaction(
        {"from": w3.eth.accounts[0], "data": ANSWER}))["contractAddress"]
    chain = ServiceChain([a.url, b.url], name="bank", timeout=5, head=Head())
    block = chain.head()
    a.die_after("*", 1)
    answers = [chain.calls_at(block, [(address, "answer()", [], [], ["uint256"])])
               for _ in range(3)]
    assert answers == [[(42,)]] * 3 and a.dead


def test_a_send_whose_answer_is_lost_is_sent_through_the_other(
        node: Anvil, two: tuple[Endpoint, Endpoint]) -> None:
    """The node ran the transaction, the endpoint died before answering: the other endpoint says
    the nonce is spent ("nonce too low"), which is the transaction being there, and it is mined
    once."""
    a, b = two
    chain = _chain(node, a, b)
    chain.check()
    a.die_after("eth_sendRawTransaction", 1)
    before = chain.nonce(dev_account(2).address)
    tx = _pay(node, chain)
    assert a.dead and chain.wait(tx)["status"] == 1
    assert chain.nonce(dev_account(2).address) == before + 1


def test_endpoints_of_different_chains_are_refused(node: Anvil) -> None:
    with anvil(chain_id=node.chain_id + 1) as other, Endpoint(other.url) as wrong:
        chain = Chain([node.url, wrong.url + KEY_PATH], node.chain_id, name="bank")
        with pytest.raises(ConfigError) as exc:
            chain.check()
    message = str(exc.value)
    assert f"is chain {node.chain_id + 1}, but {node.url} is chain {node.chain_id}" in message
    assert "/v3/***" in message and KEY_PATH not in message and "\n" not in message


def test_no_endpoint_answering_is_one_line(caplog: pytest.LogCaptureFixture) -> None:
    urls = [f"http://127.0.0.1:{free_port()}{KEY_PATH}", f"http://127.0.0.1:{free_port()}"]
    chain = Chain(urls, 1337, name="bank")
    with pytest.raises(ChainError) as exc:
        chain.check()
    message = str(exc.value)
    assert message.startswith("no RPC endpoint of bank answers (eth_chainId): ")
    assert message.count("does not answer (connection refused or reset)") == 2
    assert KEY_PATH not in message and "\n" not in message
    assert not _skipped(caplog), "no other endpoint was used: the error says it all"


def test_a_lagging_endpoint_never_answers_from_before_a_block_seen(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two nodes of one chain ID, `behind` a few blocks short of `ahead` (as a node that has not
    caught up): once a block of `ahead` was seen, reads at latest or at that block are served by
    `ahead` only, until `behind` reaches it."""
    monkeypatch.setattr(endpoints, "LAG_WAIT", 0.5)  # how long the last read waits for `behind`
    monkeypatch.setattr(endpoints, "HEAD_FRESH", 600.0)  # its head is asked once per read at most
    with anvil(chain_id=777) as n1, anvil(chain_id=777) as n2:
        ahead, behind = Web3(HTTPProvider(n1.url)), Web3(HTTPProvider(n2.url))
        for _ in range(5):
            ahead.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        ahead.provider.make_request(  # type: ignore[arg-type]
            "anvil_setBalance", [FRESH, hex(12345)])
        ahead.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        clock = itertools.count()
        with Endpoint(n2.url, clock) as slow, Endpoint(n1.url, clock) as fast:
            chain = Chain([slow.url, fast.url], 777, name="bank")
            chain.check()
            heads = [chain.block_number() for _ in range(4)]
            assert heads[1:] == [6, 6, 6] and heads[0] in (0, 6)  # never back once 6 was seen
            asked = len(slow.served("eth_blockNumber"))
            balances = {chain.rpc(lambda: chain.w3.eth.get_balance(FRESH),
                                  "eth_getBalance") for _ in range(6)}
            assert balances == {12345}
            assert len(slow.served("eth_blockNumber")) == asked, \
                "a lagging endpoint is not asked its head before every request"
            assert not slow.served("eth_getBalance") and len(fast.served("eth_getBalance")) == 6
            code = chain.rpc(lambda: chain.w3.eth.get_code(FRESH, 6),
                             "eth_getCode")
            assert code == b"" and fast.served("eth_getCode") and not slow.served("eth_getCode")
            fast.die_after("eth_getBalance", 1)  # only the lagging one is left: it must not answer
            with pytest.raises(ChainError, match="behind block 6"):
                chain.rpc(lambda: chain.w3.eth.get_balance(FRESH),
                          "eth_getBalance")
            assert not slow.served("eth_getBalance")
            for _ in range(6):
                behind.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            # caught up: it serves again (its own state: the balance was set on the other node)
            assert chain.rpc(lambda: chain.w3.eth.get_balance(FRESH),
                             "eth_getBalance") == 0
            assert slow.served("eth_getBalance")
