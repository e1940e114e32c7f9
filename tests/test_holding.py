"""Proof of holding (nft_toolkit.holding): EIP-4361 challenges, every refusal reason, and
nonces checked across processes that share nothing but a secret and a one-use ledger file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from nft_toolkit.address import ZERO_ADDRESS
from nft_toolkit.caip19 import AssetId
from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.errors import ConfigError
from nft_toolkit.holding import (CHALLENGE_SECONDS, SECRET_ENV, STORE_ENV, Challenger, NonceLedger,
                                 ProofRefused, RedisLedger, challenge_text, challenger_from_env,
                                 prepare_env, sign)
from tests.support.redisserver import redis_server
from tests.support.stated import CONTRACT

HOLDER, OTHER = dev_account(1), dev_account(4)
ASSET = AssetId(1337, CONTRACT, 7)
DOMAIN = "verify.bank.example"
URI = f"https://{DOMAIN}/token/7"
T0 = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
SPEC_EXAMPLE = """example.com wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

I accept the ExampleOrg Terms of Service: https://example.com/tos

URI: https://example.com/login
Version: 1
Chain ID: 1
Nonce: 32891756
Issued At: 2021-09-30T16:25:24Z
Resources:
- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
- https://example.com/my-web2-claim.json"""


@pytest.fixture(autouse=True)
def _environment_kept():
    """prepare_env writes the process environment for the workers it starts; what a test's
    call wrote must not reach the services later tests start (they inherit it)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def challenger(tmp_path: Path) -> Challenger:
    ledger = NonceLedger(tmp_path / "proofs.sqlite")
    ledger.started(int(T0.timestamp()) - 60)  # recording since before the tests' challenges
    return Challenger(b"s" * 32, ledger)


def held_by(address: str, block: int = 42):
    return lambda: (address, block)


def refused(fn) -> ProofRefused:
    with pytest.raises(ProofRefused) as info:
        fn()
    return info.value


def test_the_spec_example_parses_and_prints_back() -> None:
    from siwe import SiweMessage
    parsed = SiweMessage.from_message(SPEC_EXAMPLE)
    assert (parsed.domain, parsed.chain_id, parsed.nonce) == ("example.com", 1, "32891756")
    assert parsed.prepare_message() == SPEC_EXAMPLE


def test_a_challenge_has_every_eip4361_field(challenger: Challenger) -> None:
    from siwe import SiweMessage
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    lines = message.split("\n")
    assert lines[0] == f"{DOMAIN} wants you to sign in with your Ethereum account:"
    assert lines[1] == HOLDER.address
    for line in (f"URI: {URI}", "Version: 1", "Chain ID: 1337", "Issued At: 2026-11-30T04:00:00.000Z",
                 "Expiration Time: 2026-11-30T04:05:00Z", "Request ID: owner-at-block-40",
                 f"- eip155:1337/erc721:{CONTRACT}/7"):
        assert line in lines, line
    parsed = SiweMessage.from_message(message)  # EIP-4361's ABNF
    assert parsed.prepare_message() == message and len(parsed.nonce) == 48
    again = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    assert SiweMessage.from_message(again).nonce != parsed.nonce  # fresh every time


def test_held_by_the_signer(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    held = challenger.check(message, sign(HOLDER, message), DOMAIN, ASSET, held_by(HOLDER.address),
                            now=T0 + timedelta(seconds=10))
    assert (held.holder, held.block, held.asset) == (HOLDER.address, 42, str(ASSET))


def test_replayed(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    signature = sign(HOLDER, message)
    challenger.check(message, signature, DOMAIN, ASSET, held_by(HOLDER.address), now=T0)
    err = refused(lambda: challenger.check(message, signature, DOMAIN, ASSET,
                                           held_by(HOLDER.address), now=T0))
    assert (err.reason, err.status) == ("replayed", 409)


def test_expired(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    late = T0 + timedelta(seconds=CHALLENGE_SECONDS)
    err = refused(lambda: challenger.check(message, sign(HOLDER, message), DOMAIN, ASSET,
                                           held_by(HOLDER.address), now=late))
    assert (err.reason, err.status) == ("expired", 410) and "04:05:00Z" in str(err)


def test_signed_by_another_key(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    err = refused(lambda: challenger.check(message, sign(OTHER, message), DOMAIN, ASSET,
                                           held_by(HOLDER.address), now=T0))
    assert (err.reason, err.status) == ("bad_signature", 403)
    assert str(err).startswith(f"the signature does not match this message and {HOLDER.address}")


def test_a_changed_message_is_not_blamed_on_a_wallet(challenger: Challenger) -> None:
    """The holder signed the challenge with a line break added (a file saved by an editor) and
    submitted the challenge as issued: the address recovered from the other text is a random
    one, so the refusal names no signer and says the message or the signature does not match."""
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    err = refused(lambda: challenger.check(message, sign(HOLDER, message + "\n"), DOMAIN, ASSET,
                                           held_by(HOLDER.address), now=T0))
    assert err.reason == "bad_signature" and "changed after signing" in str(err)
    assert "signed by" not in str(err) and str(err).count("0x") == 1  # the challenge's address


@pytest.mark.parametrize("saved", ["{m}\n", "{m}\r\n", "{crlf}\r\n", "\ufeff{m}\n \n"])
def test_a_challenge_as_an_editor_saved_it(challenger: Challenger, saved: str) -> None:
    """Submitted as saved in a file (final newline, CRLF, a byte-order mark), signed as issued
    (what `prove --message` signs) or as saved: held either way."""
    for signed_as_saved in (False, True):
        message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
        text = saved.format(m=message, crlf=message.replace("\n", "\r\n"))
        assert challenge_text(text) == message
        signature = sign(HOLDER, text if signed_as_saved else message)
        held = challenger.check(text, signature, DOMAIN, ASSET, held_by(HOLDER.address), now=T0)
        assert held.holder == HOLDER.address


def test_signer_who_does_not_hold_it(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, OTHER.address, None, now=T0)
    err = refused(lambda: challenger.check(message, sign(OTHER, message), DOMAIN, ASSET,
                                           held_by(HOLDER.address), now=T0))
    assert (err.reason, err.status) == ("not_holder", 403)
    assert f"{HOLDER.address} holds it (block 42)" in str(err)


def test_token_moved_since_the_challenge(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    err = refused(lambda: challenger.check(message, sign(HOLDER, message), DOMAIN, ASSET,
                                           held_by(OTHER.address, 43), now=T0))
    assert err.reason == "token_moved" and "at block 40" in str(err) and "block 43" in str(err)
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    err = refused(lambda: challenger.check(message, sign(HOLDER, message), DOMAIN, ASSET,
                                           held_by(ZERO_ADDRESS, 44), now=T0))
    assert err.reason == "token_moved" and "burned" in str(err)


def test_wrong_domain_chain_or_token(challenger: Challenger) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    signature = sign(HOLDER, message)
    cases = [("evil.example", ASSET, "wrong_domain"),
             (DOMAIN, AssetId(1, CONTRACT, 7), "wrong_chain"),
             (DOMAIN, AssetId(1337, CONTRACT, 8), "wrong_token"),
             (DOMAIN, AssetId(1337, OTHER.address, 7), "wrong_token")]
    for domain, asset, reason in cases:
        err = refused(lambda: challenger.check(message, signature, domain, asset,
                                               held_by(HOLDER.address), now=T0))
        assert (err.reason, err.status) == (reason, 400)


def test_an_edited_or_foreign_challenge_is_unknown(challenger: Challenger, tmp_path) -> None:
    message = challenger.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    later = message.replace("Expiration Time: 2026-11-30T04:05:00Z",
                            "Expiration Time: 2027-11-30T04:05:00Z")
    other_secret = Challenger(b"t" * 32, NonceLedger(tmp_path / "other.sqlite"))
    foreign = other_secret.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)
    for text in (later, foreign):
        err = refused(lambda: challenger.check(text, sign(HOLDER, text), DOMAIN, ASSET,
                                               held_by(HOLDER.address), now=T0))
        assert (err.reason, err.status) == ("unknown_challenge", 403)


@pytest.mark.parametrize("message,signature", [("hello", "0x" + "00" * 65), ("", "0x"),
                                               (SPEC_EXAMPLE, "0xzz"), ("x" * 10000, "0x")])
def test_malformed(challenger: Challenger, message: str, signature: str) -> None:
    err = refused(lambda: challenger.check(message, signature, DOMAIN, ASSET,
                                           held_by(HOLDER.address), now=T0))
    assert (err.reason, err.status) == ("malformed", 400)


def test_the_secret_comes_from_the_environment_and_is_never_shown(tmp_path) -> None:
    with pytest.raises(ConfigError) as info:
        challenger_from_env(tmp_path / "p.sqlite", {SECRET_ENV: "short-secret"})
    assert "short-secret" not in str(info.value)
    made = challenger_from_env(tmp_path / "p.sqlite", {SECRET_ENV: "x" * 40,
                                                       STORE_ENV: str(tmp_path / "s.sqlite")})
    assert made.ledger.path == tmp_path / "s.sqlite"


WORKER = """
import json, sys
from datetime import datetime, timezone
from pathlib import Path
from nft_toolkit.caip19 import AssetId
from nft_toolkit.holding import challenger_from_env, ProofRefused
from tests.support.stated import CONTRACT
c = challenger_from_env(Path("unused.sqlite"))
asset = AssetId(1337, CONTRACT, 7)
request = json.loads(sys.stdin.read())
if request["do"] == "challenge":
    print(json.dumps({"message": c.challenge("verify.bank.example", "https://verify.bank.example/token/7",
                                             asset, request["address"], 40)}))
else:
    try:
        held = c.check(request["message"], request["signature"], "verify.bank.example", asset,
                       lambda: (request["address"], 50))
        print(json.dumps(held.as_json()))
    except ProofRefused as exc:
        print(json.dumps({"held": False, "reason": exc.reason}))
"""


def test_nonces_work_across_processes_that_share_no_memory(tmp_path) -> None:
    """Three separate processes, as three workers: one issues, another accepts, a third
    refuses the replay: only the secret (environment) and the ledger file are shared."""
    env = dict(os.environ, **{SECRET_ENV: "k" * 40, STORE_ENV: str(tmp_path / "ledger.sqlite")})
    root = Path(__file__).resolve().parent.parent

    def worker(request: dict) -> dict:
        out = subprocess.run([sys.executable, "-c", WORKER], input=json.dumps(request), env=env,
                             cwd=root, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    message = worker({"do": "challenge", "address": HOLDER.address})["message"]
    proof = {"do": "check", "message": message, "signature": sign(HOLDER, message),
             "address": HOLDER.address}
    assert worker(proof) == {"held": True, "asset": str(ASSET), "holder": HOLDER.address,
                             "block": 50}
    assert worker(proof) == {"held": False, "reason": "replayed"}
    env[SECRET_ENV] = "m" * 40  # an instance with another secret knows nothing of it
    env[STORE_ENV] = str(tmp_path / "other.sqlite")
    assert worker(proof) == {"held": False, "reason": "unknown_challenge"}


def test_the_secret_is_not_in_the_challengers_repr(challenger: Challenger) -> None:
    assert "sss" not in repr(challenger)


def test_a_ledger_that_cannot_be_written_refuses_every_proof(tmp_path) -> None:
    from nft_toolkit.holding import LedgerError
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(LedgerError, match="cannot be opened"):
        NonceLedger(tmp_path / "file" / "proofs.sqlite")
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not an SQLite database, just bytes" * 100)
    with pytest.raises(LedgerError, match="failed"):
        NonceLedger(broken)


@pytest.mark.parametrize("step", [1.0, 0.01])  # seconds; 0.01: all of it within one second
@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_store_emptied_within_a_challenges_life_refuses_its_replay(tmp_path, kind: str,
                                                                     step: float) -> None:
    """Emptied (a Redis restarted without persistence: FLUSHALL is the same state; an SQLite
    file deleted), the store no longer knows the nonce: the proof is refused all the same, as
    issued before the store's start, and a challenge issued after it is accepted; within one
    second too (times kept to the millisecond: in whole seconds, a serve test's store restarted
    in the challenge's second took its replay)."""

    def at(steps: float) -> datetime:
        return T0 + timedelta(seconds=steps * step)

    with redis_server() as url:
        path = tmp_path / "proofs.sqlite"
        store = RedisLedger(url) if kind == "redis" else NonceLedger(path)
        store.started(int(T0.timestamp()) - 60)
        checker = Challenger(b"s" * 32, store)
        message = checker.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=at(0))
        proof = (message, sign(HOLDER, message), DOMAIN, ASSET, held_by(HOLDER.address))
        checker.check(*proof, now=at(5))
        if kind == "redis":
            import redis
            redis.Redis.from_url(url).flushall()
        else:
            path.unlink()
            for extra in tmp_path.glob("proofs.sqlite-*"):
                extra.unlink()
            store = NonceLedger(path)
        store.started(at(10).timestamp())  # the emptied store's first use
        checker = Challenger(b"s" * 32, store)
        err = refused(lambda: checker.check(*proof, now=at(20)))
        assert (err.reason, err.status) == ("expired", 410) and "(re)started" in str(err)
        later = checker.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=at(30))
        assert checker.check(later, sign(HOLDER, later), DOMAIN, ASSET, held_by(HOLDER.address),
                             now=at(40)).holder == HOLDER.address


@pytest.mark.parametrize("settings, warned", [
    (("--save", "", "--appendonly", "no"), "persists nothing"),
    (("--save", "3600 1", "--appendonly", "no"), "keeps only snapshots"),
    (("--save", "", "--appendonly", "yes", "--appendfsync", "everysec"), None)])
def test_start_up_warns_of_a_store_that_forgets(tmp_path, monkeypatch, settings, warned) -> None:
    monkeypatch.setenv(SECRET_ENV, "k" * 40)
    monkeypatch.delenv(STORE_ENV, raising=False)
    from nft_toolkit.chain.local import free_port
    with redis_server(free_port(), "--dir", str(tmp_path), *settings) as url:
        said = prepare_env(tmp_path / "unused.sqlite", url)
    assert len(said) == (1 if warned else 0), said
    if warned:
        assert warned in said[0] and "set appendonly yes" in said[0] and "\n" not in said[0]


def test_a_too_short_secret_is_refused_before_the_service_starts(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(SECRET_ENV, "short")
    monkeypatch.delenv(STORE_ENV, raising=False)
    with pytest.raises(ConfigError, match="at least 32 characters") as info:
        prepare_env(tmp_path / "proofs.sqlite")
    assert "short" not in str(info.value)


def test_the_abnf_grammar_warnings_stay_out_of_the_log(tmp_path) -> None:
    """siwe's grammar redefines core ABNF rules; the abnf package warns of each (GrammarWarning)
    at every process's first parse: kept out of a service's log, other warnings kept."""
    code = ("import warnings; from tests.test_holding import *\n"
            "c = Challenger(b's' * 32, NonceLedger(Path(__import__('sys').argv[1])))\n"
            "c.ledger.started(int(T0.timestamp()))\n"
            "m = c.challenge(DOMAIN, URI, ASSET, HOLDER.address, 40, now=T0)\n"
            "c.check(m, sign(HOLDER, m), DOMAIN, ASSET, held_by(HOLDER.address), now=T0)\n"
            "warnings.warn('still shown')\n")
    out = subprocess.run([sys.executable, "-W", "default", "-c", code, str(tmp_path / "p.sqlite")],
                         cwd=Path(__file__).resolve().parent.parent, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "GrammarWarning" not in out.stderr and "still shown" in out.stderr, out.stderr
