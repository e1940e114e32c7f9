"""A signer held outside this process, asked over JSON-RPC: ``eth_signTransaction``.

The issuer's key can stay in a signing service (Web3Signer, with an HSM or a cloud KMS behind
it), an external signer (Clef, which may ask a person to approve each transaction) or a node that
holds the account unlocked: this process never sees the key. What the toolkit needs from it:
the account's address (``--from``), and ``eth_signTransaction`` (or Clef's
``account_signTransaction``) for that account on the chain's ID, returning the signed raw
transaction *without sending it*. The raw transaction is then
journaled before it is broadcast, which is what makes deploy and mint safe to repeat after any
interruption (the same signed bytes are sent again, and can never execute twice).

A signer that only offers ``eth_sendTransaction`` (sign and send in one step) is refused with one
line: between its send and the answer, a crash would leave a transaction this tool cannot name,
and a second run could mint again. Every signed transaction is checked before it is journaled:
signed by the expected account, for this chain, at the nonce, recipient, value and data asked
for; a signer that returns anything else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
import rlp
from eth_account import Account
from eth_account.messages import SignableMessage
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3 import HTTPProvider, Web3
from web3.exceptions import Web3Exception
from web3.types import RPCEndpoint

from nft_toolkit.chain.endpoints import NAME_UNRESOLVED, connection_fault
from nft_toolkit.errors import ChainError, ConfigError

SIGNER_TIMEOUT = 300.0  # seconds: an external signer may wait for a person's approval (Clef)
METHOD_NOT_FOUND = -32601  # JSON-RPC 2.0
# Sign without sending: the eth namespace (geth, Web3Signer, ganache, anvil), then Clef's own
# external API (it answers {raw, tx}, as geth does).
SIGN_METHODS = ("eth_signTransaction", "account_signTransaction")


@dataclass(frozen=True)
class NodeSigned:
    """A transaction the signer signed (the shape of eth-account's ``SignedTransaction``)."""

    hash: bytes
    raw_transaction: bytes


@dataclass(frozen=True)
class NodeSignedText:
    """A message the signer signed (the shape of eth-account's ``SignedMessage``)."""

    signature: bytes


class NodeSigner:
    """A :class:`~nft_toolkit.chain.accounts.Signer` for `address`, held by the JSON-RPC
    endpoint of `w3` (a node with the account unlocked, Brownie's development accounts, or an
    external signer); `where` names it in messages, never with credentials."""

    def __init__(self, w3: Web3, address: str, *, where: str = "the node") -> None:
        self.w3 = w3
        self.address = to_checksum_address(address)
        self.where = where

    def check_holds(self) -> None:
        """ConfigError when the signer's ``eth_accounts`` does not list this address: a wrong
        ``--from`` is found before a deploy or a mint journals or pins anything. A signer that
        does not list its accounts (Clef asks for ``account_list`` to be approved) is not asked
        further: its refusal then comes when it is asked to sign, before anything is sent."""
        reply = self._request("eth_accounts", [])
        listed = reply.get("result")
        if reply.get("error") is not None or not isinstance(listed, list):
            return
        held = [str(a) for a in listed if isinstance(a, str)]
        if self.address.lower() in (a.lower() for a in held):
            return
        shown = ", ".join(to_checksum_address(a) for a in held[:5]) + (
            f" and {len(held) - 5} more" if len(held) > 5 else "")
        raise ConfigError(f"the signer at {self.where} does not hold {self.address} (--from): "
                          + (f"it signs for {shown}; give one of those" if held
                             else "it lists no account") + " (nothing journaled or sent)")

    def sign_transaction(self, transaction_dict: dict[str, Any]) -> NodeSigned:
        """`transaction_dict` (web3's built transaction: ints and hex) signed by the endpoint
        (:data:`SIGN_METHODS`, the first it offers); ChainError when it does not answer,
        refuses, or returns another transaction; ConfigError when it cannot sign without
        sending."""
        tx = {k: hex(v) if isinstance(v, int) else v for k, v in transaction_dict.items()}
        tx["from"] = self.address
        if "maxFeePerGas" in tx:
            tx.setdefault("type", "0x2")
        for method in SIGN_METHODS:
            reply = self._request(method, tx)
            error = reply.get("error")
            if error is None or not _method_missing(error):
                break
        else:
            raise ConfigError(
                f"the signer at {self.where} offers neither eth_signTransaction nor "
                "account_signTransaction; this tool journals each signed transaction before "
                "sending it, so that a stopped deploy or mint never runs twice, and does not use "
                "a signer that only sends (eth_sendTransaction): use one that signs "
                "(Web3Signer, Clef, a node with the account unlocked)")
        if error is not None:
            code = error.get("code") if isinstance(error, dict) else None
            message = str(error.get("message", error) if isinstance(error, dict) else error)
            raise ChainError(f"the signer at {self.where} did not sign for {self.address}: "
                             f"{message.splitlines()[0][:300] if message.strip() else code}")
        result: Any = reply.get("result")
        try:
            raw = HexBytes(result["raw"] if isinstance(result, dict) else result)  # geth: {raw, tx}
        except (TypeError, ValueError, KeyError):
            raise ChainError(f"the signer at {self.where} answered {method} with no signed "
                             "transaction") from None
        problem = signed_mismatch(bytes(raw), transaction_dict, self.address)
        if problem is not None:
            raise ChainError(f"the signer at {self.where} returned a transaction other than the "
                             f"one asked for ({problem}): refused, nothing sent")
        return NodeSigned(keccak(raw), bytes(raw))

    def sign_message(self, signable_message: SignableMessage) -> NodeSignedText:
        """An EIP-191 personal message (version 0x45) signed by the endpoint: ``personal_sign``,
        else ``eth_sign`` (geth, Web3Signer, ganache and anvil prefix both alike); ChainError
        when it refuses or the signature is not this account's."""
        if signable_message.version != b"E":
            raise ConfigError("an external signer signs EIP-191 personal messages only")
        data = "0x" + bytes(signable_message.body).hex()
        for method, params in (("personal_sign", [data, self.address]),
                               ("eth_sign", [self.address, data])):
            reply = self._request(method, params)
            error = reply.get("error")
            if error is None or not _method_missing(error):
                break
        if error is not None:
            raise ChainError(f"the signer at {self.where} did not sign the message for "
                             f"{self.address} ({method})")
        try:
            signature = bytes(HexBytes(reply["result"]))
            signer = Account.recover_message(signable_message, signature=signature)
        except (KeyError, TypeError, ValueError):
            signer = None
        if signer != self.address:
            raise ChainError(f"the signer at {self.where} answered {method} with no signature "
                             f"of {self.address}: refused")
        return NodeSignedText(signature)

    def _request(self, method: str, params: Any) -> dict[str, Any]:
        """The JSON-RPC reply to `method` (a transaction or a parameter list); ChainError
        (naming the signer, never its credentials) when it does not answer."""
        if not isinstance(params, list):
            params = [params]
        try:
            return dict(self.w3.provider.make_request(RPCEndpoint(method), params))
        except requests.Timeout:
            raise ChainError(f"the signer at {self.where} did not answer {method} in time "
                             "(an approval not given?)") from None
        except (requests.RequestException, ConnectionError, Web3Exception, OSError,
                ValueError) as exc:
            if connection_fault(exc) == NAME_UNRESOLVED:
                raise ChainError(f"the signer at {self.where} does not answer ({method}): its "
                                 "host name does not resolve; check the URL") from None
            raise ChainError(f"the signer at {self.where} does not answer ({method}); is it "
                             "running?") from None


def _method_missing(error: object) -> bool:
    """Whether a JSON-RPC error says the method does not exist (not that signing failed)."""
    if isinstance(error, dict) and error.get("code") == METHOD_NOT_FOUND:
        return True
    text = str(error.get("message", "") if isinstance(error, dict) else error).lower()
    return "method" in text and any(word in text for word in (
        "not found", "does not exist", "not supported", "unsupported", "not available"))


def signer_at(url: str, address: str, *, shown: str | None = None,
              timeout: float = SIGNER_TIMEOUT) -> NodeSigner:
    """The external signer answering JSON-RPC at `url` (http or https) for `address`;
    `shown` is how messages name it (the URL without credentials)."""
    provider = HTTPProvider(url, request_kwargs={"timeout": timeout},
                            exception_retry_configuration=None)
    return NodeSigner(Web3(provider), address, where=shown or url)


def signed_mismatch(raw: bytes, asked: dict[str, Any], sender: str) -> str | None:
    """What differs between the signed transaction `raw` and the transaction `asked` for
    (sender, chain ID, nonce, recipient, value, data), or None when it is the one asked for."""
    try:
        signer = Account.recover_transaction(raw)
        fields = _fields(raw)
    except Exception:  # eth-account and rlp raise many kinds on bytes that are no transaction
        return "not a signed transaction"
    if signer != sender:
        return f"signed by {signer}, not {sender}"
    want_to = asked.get("to") or b""
    checks = [("chain ID", fields["chainId"], int(asked["chainId"])),
              ("nonce", fields["nonce"], int(asked["nonce"])),
              ("recipient", fields["to"].lower(), HexBytes(want_to).hex().lower()
               if want_to else ""),
              ("value", fields["value"], int(asked.get("value", 0))),
              ("data", fields["data"], HexBytes(asked.get("data", b"")).hex())]
    for name, got, want in checks:
        if got != want:
            return f"its {name} is {got!r}, not {want!r}"
    return None


def _fields(raw: bytes) -> dict[str, Any]:
    """Chain ID, nonce, recipient (hex, '' for a deployment), value and data (hex) of a signed
    legacy (EIP-155) or typed (EIP-2930, EIP-1559) transaction."""
    def number(b: bytes) -> int:
        return int.from_bytes(b, "big")
    if raw and raw[0] <= 0x7f:  # typed: type byte, then an RLP list
        kind, items = raw[0], rlp.decode(raw[1:])
        if kind == 1:  # chainId, nonce, gasPrice, gas, to, value, data, ...
            chain, nonce, to, value, data = items[0], items[1], items[4], items[5], items[6]
        elif kind == 2:  # chainId, nonce, tip, maxFee, gas, to, value, data, ...
            chain, nonce, to, value, data = items[0], items[1], items[5], items[6], items[7]
        else:
            raise ValueError(f"transaction type {kind}")
        chain_id = number(chain)
    else:  # legacy: nonce, gasPrice, gas, to, value, data, v, r, s
        items = rlp.decode(raw)
        nonce, to, value, data, v = items[0], items[3], items[4], items[5], number(items[6])
        chain_id = (v - 35) // 2 if v >= 35 else 0  # 27/28: no chain ID (not EIP-155)
    return {"chainId": chain_id, "nonce": number(nonce), "to": bytes(to).hex(),
            "value": number(value), "data": bytes(data).hex()}
