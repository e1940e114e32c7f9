"""An issuer key held outside this process: a real node (anvil) that holds the account signs by
eth_signTransaction while the toolkit holds no key; what it returns is checked before it is
journaled; a signer that is unreachable, does not hold the account, or only sends is one line."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from eth_account import Account

from nft_toolkit.artifact import load_artifact
from nft_toolkit.chain.accounts import dev_account, external_signer, signer_for
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import free_port
from nft_toolkit.chain.pending import send_new
from nft_toolkit.chain.remote_signer import NodeSigner, signed_mismatch, signer_at
from nft_toolkit.errors import ChainError, ConfigError
from tests.support.anvil import anvil

ISSUER = dev_account(0).address
ASKED = {"chainId": 4242, "nonce": 3, "to": dev_account(1).address, "value": 0,
         "data": "0xabcdef", "gas": 50_000, "gasPrice": 0}


@pytest.mark.parametrize("args", [("--hardfork", "berlin", "--gas-price", "0"), ()],
                         ids=["legacy", "eip1559"])
def test_a_node_holding_the_account_signs_and_the_toolkit_holds_no_key(args) -> None:
    with anvil(*args) as node:
        chain = Chain(node.url, node.chain_id)
        signer = external_signer(node.url, ISSUER.lower())  # any case; EIP-55 out
        assert isinstance(signer, NodeSigner) and signer.address == ISSUER
        assert not hasattr(signer, "key") and not hasattr(signer, "private_key")
        journaled = []
        artifact = load_artifact()
        factory = chain.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        call = factory.constructor("T", "T", 2026, 10, ISSUER, 0, 0, 0)
        tx, receipt = send_new(chain, signer, call, journaled.append, 1)
        assert journaled == [tx] and receipt["status"] == 1  # journaled before it was sent
        assert Account.recover_transaction(tx.raw) == ISSUER
        assert chain.w3.eth.get_transaction(tx.hash)["from"] == ISSUER


def test_a_signed_transaction_other_than_the_one_asked_for_is_named() -> None:
    key = dev_account(0).key
    asked = dict(ASKED)
    good = Account.sign_transaction(asked, key).raw_transaction
    assert signed_mismatch(good, asked, ISSUER) is None
    for change, said in [({"nonce": 4}, "nonce"), ({"to": dev_account(2).address}, "recipient"),
                         ({"value": 1}, "value"), ({"data": "0xab"}, "data"),
                         ({"chainId": 1}, "chain ID")]:
        other = Account.sign_transaction({**asked, **change}, key).raw_transaction
        assert said in (signed_mismatch(other, asked, ISSUER) or "")
    by_other = Account.sign_transaction(asked, dev_account(3).key).raw_transaction
    assert "signed by" in (signed_mismatch(by_other, asked, ISSUER) or "")
    typed = {**{k: v for k, v in asked.items() if k != "gasPrice"},
             "maxFeePerGas": 10, "maxPriorityFeePerGas": 1}
    assert signed_mismatch(Account.sign_transaction(typed, key).raw_transaction, typed, ISSUER) is None
    assert signed_mismatch(b"\x01\x02", asked, ISSUER) == "not a signed transaction"


def test_a_signer_that_does_not_hold_the_account_is_one_line() -> None:
    stranger = Account.create().address
    with anvil("--hardfork", "berlin", "--gas-price", "0") as node:
        with pytest.raises(ChainError) as exc:
            signer_at(node.url, stranger).sign_transaction({**ASKED, "chainId": node.chain_id})
    assert f"did not sign for {stranger}" in str(exc.value) and "\n" not in str(exc.value)


def test_an_unreachable_signer_is_one_line_without_its_credentials() -> None:
    url = f"http://issuer:s3cret@127.0.0.1:{free_port()}"
    signer = signer_for(False, None, signer_url=url, from_address=ISSUER)
    with pytest.raises(ChainError) as exc:
        signer.sign_transaction(ASKED)
    assert "does not answer" in str(exc.value) and "s3cret" not in str(exc.value)
    assert "***@127.0.0.1" in str(exc.value)


@contextmanager
def json_rpc(answer: Callable[[dict], dict]) -> Iterator[str]:
    """An HTTP JSON-RPC endpoint whose reply to each request is `answer(request)` (its
    ``result`` or ``error``)."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body = json.dumps({"jsonrpc": "2.0", "id": request["id"], **answer(request)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _missing(request: dict) -> dict:
    return {"error": {"code": -32601, "message": f"the method {request['method']} does not exist"}}


def test_a_signer_that_only_sends_is_refused_in_one_line() -> None:
    with json_rpc(_missing) as url:
        with pytest.raises(ConfigError) as exc:
            signer_at(url, ISSUER).sign_transaction(ASKED)
    message = str(exc.value)
    assert "offers neither eth_signTransaction nor account_signTransaction" in message
    assert "eth_sendTransaction" in message and "\n" not in message


def test_clefs_own_method_is_used_when_the_eth_one_is_missing() -> None:
    """Clef's external API signs by account_signTransaction and answers {raw, tx}: here a key
    held by the endpoint (not by the signer object) signs what was asked, as Clef would."""
    held = dev_account(0)
    asked: list[str] = []

    def clef(request: dict) -> dict:
        asked.append(request["method"])
        if request["method"] != "account_signTransaction":
            return _missing(request)
        tx = {k: (v if k in ("to", "data", "from") else int(v, 16))
              for k, v in request["params"][0].items() if k not in ("from", "type")}
        raw = held.sign_transaction(tx).raw_transaction
        return {"result": {"raw": "0x" + raw.hex(), "tx": {}}}
    with json_rpc(clef) as url:
        signed = signer_at(url, ISSUER).sign_transaction(ASKED)
    assert asked == ["eth_signTransaction", "account_signTransaction"]
    assert Account.recover_transaction(signed.raw_transaction) == ISSUER


def test_a_signer_failure_that_is_not_a_missing_method_is_no_refusal_of_the_kind() -> None:
    with json_rpc(lambda r: {"error": {"code": -32000, "message": "account not found"}}) as url:
        with pytest.raises(ChainError, match="did not sign for .*: account not found"):
            signer_at(url, ISSUER).sign_transaction(ASKED)


def test_choosing_the_signer() -> None:
    with pytest.raises(ConfigError, match="needs the address it signs for"):
        signer_for(False, None, signer_url="http://127.0.0.1:1")
    with pytest.raises(ConfigError, match="not both"):
        signer_for(False, Path("k.json"), signer_url="http://127.0.0.1:1", from_address=ISSUER)
    with pytest.raises(ConfigError, match="--from names the account of an external signer"):
        signer_for(True, None, from_address=ISSUER)
    with pytest.raises(Exception, match="--from"):
        signer_for(False, None, signer_url="http://127.0.0.1:1", from_address="0x1234")


def test_the_external_signer_signs_the_issuers_statement_and_a_holders_proof() -> None:
    """EIP-191 messages (publish-identity's statement, prove's EIP-4361 answer) are signed by the
    node too; the signature recovers to the account, and another account's is refused."""
    from eth_account.messages import encode_defunct

    from nft_toolkit import holding, identity
    with anvil() as node:
        signer = external_signer(node.url, ISSUER)
        message = "example.com wants you to sign in with your Ethereum account:\n" + ISSUER
        signature = holding.sign(signer, message)
        assert Account.recover_message(encode_defunct(text=message), signature=signature) == ISSUER
        statement = identity.sign_statement(signer, "bank.example", [])
        unsigned = encode_defunct(identity.canonical(statement.unsigned()))
        assert Account.recover_message(unsigned, signature=statement.signature) == ISSUER
        # a signer that answers with another account's signature is refused
        lying = NodeSigner(signer.w3, ISSUER, where="test")
        other = dev_account(1).address
        asked = lying._request
        lying._request = lambda method, params: asked(  # type: ignore[method-assign]
            method, [other if p == ISSUER else p for p in params])
        with pytest.raises(ChainError, match="no signature of"):
            lying.sign_message(encode_defunct(text=message))
