"""`nft-toolkit prove TOKEN_ID`: the holder signs a verification service's challenge (EIP-4361)
with its key, proving it holds the token now; or signs a challenge given as a file, offline."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
import requests

from nft_toolkit.cli.prompts import ask_password
from nft_toolkit.bounded import read_bounded
from nft_toolkit.chain.accounts import signer_for
from nft_toolkit.chain.networks import check_url
from nft_toolkit.cli.options import json_option, keystore_option
from nft_toolkit.errors import EXIT_FAILED, EXIT_OK, EXIT_UNVERIFIABLE, ChainError, ConfigError, InputError
from nft_toolkit.holding import MESSAGE_MAX, challenge_text, message_address, sign

TIMEOUT = (5.0, 30.0)  # connect, read (seconds)
ANSWER_MAX = 64 * 1024  # bytes of a service's answer
UNAVAILABLE = (502, 503, 504)  # the service cannot answer now (its chain or nonce store): exit 3
NOT_MINTED = "not_minted"  # the challenge's refusal for a token nobody holds (verdict not_minted)


def _get_json(resp: requests.Response, what: str) -> dict[str, Any]:
    body = resp.content[:ANSWER_MAX + 1]
    try:
        doc = json.loads(body) if len(body) <= ANSWER_MAX else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        raise ChainError(f"{what} answered HTTP {resp.status_code} without a JSON object: is it "
                         "an nft-toolkit verification service?")
    return doc


@click.command("prove")
@click.argument("token_id", type=click.IntRange(min=0))
@keystore_option
@click.option("--service", "service", metavar="URL", default=None,
              help="The verification service (its page's address, e.g. https://verify.bank."
                   "example): fetch its challenge, sign it, submit it, print the answer.")
@click.option("--message", "message_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Offline: sign the challenge in this file ('-': standard input) "
                                 "and print the signature.")
@json_option
def prove_command(token_id: int, keystore: Path | None, service: str | None,
                  message_file: Path | None, as_json: bool) -> None:
    """The holder signs a verification challenge with its key, proving it holds token
    TOKEN_ID now.

    The key comes from --keystore (password from $NFT_TOOLKIT_KEYSTORE_PASSWORD or a prompt)
    or $NFT_TOOLKIT_PRIVATE_KEY; it is never printed. Signing sends no transaction.

    Exit 0 held by the signer (with --message: the signature printed); 1 not proven, the
    service refused (the reason is printed: another holder, a token never minted or burned, a
    signature that does not match); 2 usage error (an option, the message file, no key or a
    wrong password, a challenge for another address); 3 unverifiable now (the service cannot
    be reached or answers no JSON, or its chain or its record of used proofs is down).
    """
    if (service is None) == (message_file is None):
        raise InputError("give --service URL (ask a verification service) or --message FILE "
                         "(sign a challenge offline), one of them")
    message = _read_message(message_file, token_id) if message_file is not None else None
    account = signer_for(False, keystore,
                         ask_password=ask_password)
    if message is not None:
        _check_for_me(message, account.address, token_id)
        signature = sign(account, message)
        click.echo(json.dumps({"address": account.address, "signature": signature})
                   if as_json else signature)
        return
    assert service is not None
    base = check_url(service, "--service").rstrip("/")
    try:
        got = requests.get(f"{base}/api/v1/tokens/{token_id}/challenge",
                           params={"address": account.address}, timeout=TIMEOUT,
                           allow_redirects=False, verify=_authorities())
        doc = _get_json(got, base)
        if got.status_code in UNAVAILABLE:
            raise ChainError(f"{base} cannot give a challenge now (HTTP {got.status_code}): "
                             f"{str(doc.get('error', ''))[:300]}")
        if got.status_code == 404 and doc.get("reason") == NOT_MINTED:  # nobody holds it: exit 1
            sent, answer = got, doc
        else:
            if got.status_code != 200 or not isinstance(doc.get("message"), str):
                raise InputError(f"{base} gave no challenge for token {token_id}: "
                                 f"{str(doc.get('error', got.status_code))[:300]}")
            message = doc["message"]
            _check_for_me(message, account.address, token_id)
            if not as_json:
                click.echo(f"signing as {account.address}:\n{message}\n", err=True)
            sent = requests.post(f"{base}/api/v1/tokens/{token_id}/proof",
                                 json={"message": message, "signature": sign(account, message)},
                                 timeout=TIMEOUT, allow_redirects=False, verify=_authorities())
            answer = _get_json(sent, base)
    except requests.exceptions.SSLError:
        raise ChainError(f"{base}: certificate not trusted or TLS failed (a private authority: "
                         "name its file in $SSL_CERT_FILE)") from None
    except requests.RequestException as exc:
        raise ChainError(f"{base} cannot be reached: {exc.__class__.__name__}") from None
    held = answer.get("held") is True
    unchecked = not held and sent.status_code in UNAVAILABLE  # its store or chain: not a refusal
    if as_json:
        click.echo(json.dumps(answer))
    elif held:
        click.echo(f"token {token_id}: held by the signer {answer.get('holder')} now (block "
                   f"{answer.get('block')})")
    else:
        click.echo(f"token {token_id}: {'cannot be checked now' if unchecked else 'not proven'} "
                   f"({answer.get('reason')}): {str(answer.get('error'))[:300]}")
    sys.exit(EXIT_OK if held else EXIT_UNVERIFIABLE if unchecked else EXIT_FAILED)


def _authorities() -> str | bool:
    """The certificate authorities HTTPS trusts: the file $SSL_CERT_FILE names, as for the
    issuer's domain (nft_toolkit.identity), else requests' own bundle."""
    return os.environ.get("SSL_CERT_FILE") or True


def _read_message(path: Path, token_id: int) -> str:
    """The challenge in `path` ('-': standard input), at most MESSAGE_MAX characters, as the
    service issued it (:func:`challenge_text`: no trailing newline, LF line breaks), checked to
    be one about `token_id` before any key is asked for."""
    if str(path) == "-":
        message = sys.stdin.read(MESSAGE_MAX + 1)
    else:
        message = read_bounded(path, MESSAGE_MAX, f"message file {path}",
                               "no challenge is so long").decode("utf-8", "replace")
    if len(message) > MESSAGE_MAX:
        raise InputError(f"the message is over {MESSAGE_MAX} characters: no challenge is so long")
    message = challenge_text(message)  # as issued: an editor's final newline is not signed
    _check_shape(message, token_id)
    return message


def _check_shape(message: str, token_id: int) -> None:
    """Refuses a message that is no EIP-4361 challenge about token `token_id`."""
    if "wants you to sign in with your Ethereum account:" not in message.split("\n", 1)[0]:
        raise InputError("the message is not an EIP-4361 (Sign-In with Ethereum) challenge")
    if not any(line.startswith("- eip155:") and line.endswith(f"/{token_id}")
               for line in message.split("\n")):
        raise InputError(f"the challenge is not about token {token_id}")


def _check_for_me(message: str, address: str, token_id: int) -> None:
    """Refuses to sign a message that is not a challenge for this key and token (what a wallet
    would show a person before signing)."""
    _check_shape(message, token_id)
    named = message_address(message)
    if named != address:
        raise ConfigError(f"the challenge names {str(named)[:60]}, not this key's address "
                          f"{address}: sign with that account's key")
