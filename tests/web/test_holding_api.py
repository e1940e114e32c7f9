"""Proof of holding through the service's API on a real ganache: the challenge, the answer
"held by the signer now (block N)", every refusal with its status, and `nft-toolkit prove`
against the running service."""

from __future__ import annotations

import json

import requests

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.client import Chain
from nft_toolkit.holding import sign
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.web import AUTHENTIC, NOT_MINTED, LiveServer, WebCollection

HOLDER, STRANGER = dev_account(1), dev_account(4)
MOVED = 4  # minted to the customer; moved away and back by one test


def challenge(site: LiveServer, token: int, **params) -> requests.Response:
    return requests.get(f"{site.url}/api/v1/tokens/{token}/challenge", params=params, timeout=60)


def prove(site: LiveServer, token: int, message: str, signature: str, **kw) -> requests.Response:
    return requests.post(f"{site.url}/api/v1/tokens/{token}/proof", timeout=60,
                         json={"message": message, "signature": signature}, **kw)


def test_held_by_the_signer_then_replay_refused(site: LiveServer) -> None:
    got = challenge(site, AUTHENTIC)
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store"
    doc = got.json()
    assert doc["address"] == CUSTOMER == HOLDER.address  # default: the owner now
    host = site.url.removeprefix("http://")
    assert doc["message"].startswith(f"{host} wants you to sign in with your Ethereum account:\n"
                                     f"{CUSTOMER}\n")
    assert f"- {doc['asset']}" in doc["message"] and doc["asset"].endswith(f"/{AUTHENTIC}")
    answer = prove(site, AUTHENTIC, doc["message"], sign(HOLDER, doc["message"]))
    assert answer.status_code == 200, answer.text
    held = answer.json()
    assert held["held"] is True and held["holder"] == CUSTOMER and held["block"] > 0
    assert held["answer"] == f"held by the signer now (block {held['block']})"
    again = prove(site, AUTHENTIC, doc["message"], sign(HOLDER, doc["message"]))
    assert (again.status_code, again.json()["reason"]) == (409, "replayed")


def test_refusals_and_their_statuses(site: LiveServer) -> None:
    message = challenge(site, AUTHENTIC).json()["message"]
    cases = [  # (token, message, signer, headers) -> status, reason
        (AUTHENTIC, message, STRANGER, {}, 403, "bad_signature"),
        (AUTHENTIC + 1, message, HOLDER, {}, 400, "wrong_token"),
        (AUTHENTIC, message, HOLDER, {"Host": "localhost:1"}, 400, "wrong_domain"),
        (AUTHENTIC, message.replace("Version: 1", "Version: 1 "), HOLDER, {}, 400, "malformed"),
        (AUTHENTIC, message.replace("Issued At: 20", "Issued At: 21"), HOLDER, {}, 403,
         "unknown_challenge"),
    ]
    for token, text, signer, headers, status, reason in cases:
        answer = prove(site, token, text, sign(signer, text), headers=headers)
        assert (answer.status_code, answer.json()["reason"]) == (status, reason), answer.text
        assert answer.json()["held"] is False and answer.json()["error"]
    # a stranger's wallet asks for its own challenge: it signs well but does not hold the item
    mine = challenge(site, AUTHENTIC, address=STRANGER.address.lower()).json()
    assert mine["address"] == STRANGER.address and "Request ID" not in mine["message"]
    answer = prove(site, AUTHENTIC, mine["message"], sign(STRANGER, mine["message"]))
    assert (answer.status_code, answer.json()["reason"]) == (403, "not_holder")
    assert f"{CUSTOMER} holds it" in answer.json()["error"]


def test_bad_requests(site: LiveServer) -> None:
    nobody = challenge(site, NOT_MINTED)
    assert nobody.status_code == 404
    assert nobody.json()["reason"] == "not_minted" and nobody.json()["held"] is False
    assert challenge(site, AUTHENTIC, address="0x1234").status_code == 400
    for body in (b"not json", b"[]", b'{"message": 1, "signature": "0x"}', b"{" * 9000):
        answer = requests.post(f"{site.url}/api/v1/tokens/{AUTHENTIC}/proof", data=body,
                               timeout=60)
        assert answer.status_code in (400, 413) and answer.json()["reason"] == "malformed"


def transfer(items: WebCollection, token: int, sender, to: str) -> None:
    chain = Chain(items.local.status().url, 1337)
    fn = chain.collection(items.record.address).functions.transferFrom(sender.address, to,
                                                                            token)
    signed = chain.sign(sender, fn, chain.nonce(sender.address, "pending"))
    chain.send(signed)
    chain.wait(signed.hash)


def test_token_moved_after_the_challenge(site: LiveServer, web_items: WebCollection) -> None:
    doc = challenge(site, MOVED).json()
    transfer(web_items, MOVED, HOLDER, STRANGER.address)
    try:
        answer = prove(site, MOVED, doc["message"], sign(HOLDER, doc["message"]))
        assert (answer.status_code, answer.json()["reason"]) == (409, "token_moved")
        assert f"{STRANGER.address} holds it" in answer.json()["error"]
    finally:
        transfer(web_items, MOVED, STRANGER, HOLDER.address)


def test_prove_command_against_the_service(site: LiveServer,
                                           tmp_path) -> None:
    key = HOLDER.key.hex()
    cli = Cli(tmp_path, {**cli_env(), "NFT_TOOLKIT_PRIVATE_KEY": key})
    out = cli("prove", str(AUTHENTIC), "--service", site.url + "/")
    assert out.returncode == 0, out.stderr
    assert f"held by the signer {CUSTOMER} now (block" in out.stdout
    assert key.removeprefix("0x") not in out.stdout + out.stderr
    out = Cli(tmp_path, {**cli_env(), "NFT_TOOLKIT_PRIVATE_KEY": STRANGER.key.hex()})(
        "prove", str(AUTHENTIC), "--service", site.url, "--json")
    assert out.returncode == 1 and json.loads(out.stdout)["reason"] == "not_holder"
    # offline: sign a challenge given as a file; the signature is what the service accepts
    message = challenge(site, AUTHENTIC).json()["message"]
    (tmp_path / "challenge.txt").write_text(message)
    out = cli("prove", str(AUTHENTIC), "--message", "challenge.txt")
    assert out.returncode == 0, out.stderr
    answer = prove(site, AUTHENTIC, message, out.stdout.strip())
    assert answer.status_code == 200 and answer.json()["held"] is True
    out = cli("prove", str(AUTHENTIC + 1), "--message", "challenge.txt")  # not about token 2
    assert out.returncode == 2 and "not about token 2" in out.stderr
    out = Cli(tmp_path, cli_env())("prove", "1", "--service", "http://127.0.0.1:1")
    assert out.returncode == 2 and "no account to sign with" in out.stderr  # no key given
    out = cli("prove", "1", "--service", "http://127.0.0.1:1")
    assert out.returncode == 3 and "cannot be reached" in out.stderr
    # a file that is no challenge is refused before any key is asked for
    out = Cli(tmp_path, cli_env())("prove", "1", "--message", "/dev/zero")
    assert out.returncode == 2 and "over 4096 bytes" in out.stderr
    (tmp_path / "other.txt").write_text("Please sign this: transfer everything\n")
    out = Cli(tmp_path, cli_env())("prove", "1", "--message", "other.txt")
    assert out.returncode == 2 and "not an EIP-4361" in out.stderr


def test_prove_a_token_nobody_holds_is_not_proven(site: LiveServer, tmp_path) -> None:
    """A token never minted is refused like any proof (exit 1, DESIGN.md's not minted), not a
    usage error; the help lists every code the command returns."""
    cli = Cli(tmp_path, {**cli_env(), "NFT_TOOLKIT_PRIVATE_KEY": HOLDER.key.hex()})
    out = cli("prove", str(NOT_MINTED), "--service", site.url)
    assert out.returncode == 1, out.stderr
    assert out.stdout.startswith(f"token {NOT_MINTED}: not proven (not_minted): token "
                                 f"{NOT_MINTED} does not exist")
    out = cli("prove", str(NOT_MINTED), "--service", site.url, "--json")
    assert out.returncode == 1 and json.loads(out.stdout)["reason"] == "not_minted"
    helped = " ".join(cli("prove", "--help").stdout.split())
    for code in ("Exit 0 held", "; 1 not proven", "; 2 usage error", "; 3 unverifiable"):
        assert code in helped


def test_a_challenge_saved_by_an_editor_round_trips(site: LiveServer, tmp_path) -> None:
    """The challenge saved with an editor's final newline (or Windows line breaks) and signed
    with `prove --message`: the signature is the challenge's as issued, so the service holds
    it proven whether the message is sent as issued or as saved."""
    cli = Cli(tmp_path, {**cli_env(), "NFT_TOOLKIT_PRIVATE_KEY": HOLDER.key.hex()})
    for crlf, send_saved in ((False, False), (True, True)):
        message = challenge(site, AUTHENTIC).json()["message"]
        text = (message.replace("\n", "\r\n") + "\r\n") if crlf else message + "\n"
        (tmp_path / "challenge.txt").write_bytes(text.encode())
        out = cli("prove", str(AUTHENTIC), "--message", "challenge.txt")
        assert out.returncode == 0, out.stderr
        answer = prove(site, AUTHENTIC, text if send_saved else message, out.stdout.strip())
        assert answer.status_code == 200 and answer.json()["held"] is True, answer.text
    # a signature over other bytes: the refusal names the challenge's address only, not the
    # random one the signature recovers to
    message = challenge(site, AUTHENTIC).json()["message"]
    answer = prove(site, AUTHENTIC, message, sign(HOLDER, message + " "))
    assert (answer.status_code, answer.json()["reason"]) == (403, "bad_signature")
    assert answer.json()["error"].startswith(f"the signature does not match this message and "
                                             f"{CUSTOMER}")
    assert answer.json()["error"].count("0x") == 1


def test_two_workers_share_the_secret_and_the_ledger(web_items: WebCollection, tmp_path) -> None:
    """`serve --workers 2`: challenges issued by either worker are accepted by either, and a
    replay is refused whichever worker it reaches (the ledger file is shared)."""
    import os
    import signal
    import time

    from nft_toolkit.chain.local import free_port

    port = free_port()
    cli = Cli(web_items.project.root, {**cli_env(), "NFT_TOOLKIT_PROOF_STORE":
                                       str(tmp_path / "proofs.sqlite")})
    proc = cli.popen("serve", "--port", str(port), "--workers", "2")
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(url + "/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr
            time.sleep(0.3)
        for _ in range(6):
            message = requests.get(f"{url}/api/v1/tokens/{AUTHENTIC}/challenge",
                                   timeout=60).json()["message"]
            body = {"message": message, "signature": sign(HOLDER, message)}
            first = requests.post(f"{url}/api/v1/tokens/{AUTHENTIC}/proof", json=body, timeout=60)
            again = requests.post(f"{url}/api/v1/tokens/{AUTHENTIC}/proof", json=body, timeout=60)
            assert first.status_code == 200 and first.json()["held"] is True, first.text
            assert (again.status_code, again.json()["reason"]) == (409, "replayed")
        assert (tmp_path / "proofs.sqlite").is_file()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except Exception:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
