"""`nft-toolkit serve` as several stateless instances behind a load balancer: two real `serve`
processes on loopback share a Redis server (`--replay-store redis://…`, Debian's redis-server)
and one secret; a proof of holding challenged by one is accepted once by the other, and a replay
through either is refused. A shared store without the shared secret, or one that does not
answer, is one line before the service starts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
import requests

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.holding import SECRET_ENV, sign
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.redisserver import redis_server
from tests.support.web import AUTHENTIC, WebCollection

HOLDER = dev_account(1)
SITE = "verify.bank.example"  # the Host the load balancer forwards to every instance
SECRET = "an instance-shared secret of at least 32 characters"


@contextmanager
def instance(items: WebCollection, store: str, logs: list[str] | None = None) -> Iterator[str]:
    """One `nft-toolkit serve` process over the collection; its base URL. Its standard error is
    appended to `logs` once it stopped."""
    port = free_port()
    proc = Cli(items.project.root, cli_env(**{SECRET_ENV: SECRET})).popen(
        "serve", "--port", str(port), "--replay-store", store)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(base + "/static/style.css", timeout=2)
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {proc.communicate()}") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        said = proc.communicate(timeout=30)[1]
        if logs is not None:
            logs.append(said if isinstance(said, str) else said.decode("utf-8", "replace"))


def test_a_proof_is_accepted_once_across_instances(web_items: WebCollection) -> None:
    with redis_server() as store, instance(web_items, store) as one, \
            instance(web_items, store) as two:
        headers = {"Host": SITE}
        got = requests.get(f"{one}/api/v1/tokens/{AUTHENTIC}/challenge", headers=headers,
                           timeout=60)
        assert got.status_code == 200, got.text
        message = got.json()["message"]
        assert message.startswith(f"{SITE} wants you to sign in") and CUSTOMER in message
        proof = {"message": message, "signature": sign(HOLDER, message)}

        def send(base: str) -> requests.Response:
            return requests.post(f"{base}/api/v1/tokens/{AUTHENTIC}/proof", json=proof,
                                 headers=headers, timeout=60)

        accepted = send(two)  # another instance than the one that issued the challenge
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["held"] is True and accepted.json()["holder"] == CUSTOMER
        for base in (two, one):
            again = send(base)
            assert (again.status_code, again.json()["reason"]) == (409, "replayed"), again.text


@pytest.mark.parametrize("case", ["no-secret", "no-server", "not-redis"])
def test_a_shared_store_mistake_is_one_line_before_serving(web_items: WebCollection,
                                                           case: str) -> None:
    env = cli_env()
    env.pop(SECRET_ENV, None)
    store = f"redis://:hunter2pw@127.0.0.1:{free_port()}/0"
    if case != "no-secret":
        env[SECRET_ENV] = SECRET
    if case == "not-redis":
        store = "memcached://127.0.0.1:11211"
    out = Cli(web_items.project.root, env)("serve", "--port", str(free_port()),
                                           "--replay-store", store, timeout=120)
    code, said = {"no-secret": (2, f"set ${SECRET_ENV}"),
                  "no-server": (3, "does not answer"),
                  "not-redis": (2, "not a Redis URL")}[case]
    lines = out.stderr.strip().splitlines()
    assert out.returncode == code and said in out.stderr, out.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and "hunter2pw" not in out.stderr


def test_a_used_proof_stays_used_when_the_store_restarts_empty(web_items: WebCollection,
                                                               tmp_path) -> None:
    """A Redis without persistence restarted within a challenge's life forgets the used nonce;
    the proof is still refused (its challenge predates the store's start) and a fresh one is
    accepted; while the store is down `prove` exits 3 (cannot check, not refused); serve warned
    at start-up that the store persists nothing, and its log holds no GrammarWarning."""
    port, logs = free_port(), []
    prover = Cli(tmp_path, {**cli_env(), "NFT_TOOLKIT_PRIVATE_KEY": HOLDER.key.hex()})
    with ExitStack() as stack:
        first = ExitStack()
        stack.callback(first.close)  # stopped last if the test fails before it stops it
        store = first.enter_context(redis_server(port))
        base = stack.enter_context(instance(web_items, store, logs))

        def fresh() -> dict:
            got = requests.get(f"{base}/api/v1/tokens/{AUTHENTIC}/challenge", timeout=60)
            assert got.status_code == 200, got.text
            return {"message": got.json()["message"],
                    "signature": sign(HOLDER, got.json()["message"])}

        def send(proof: dict) -> requests.Response:
            return requests.post(f"{base}/api/v1/tokens/{AUTHENTIC}/proof", json=proof,
                                 timeout=60)

        used = fresh()
        assert send(used).status_code == 200
        first.close()  # the store goes down
        out = prover("prove", str(AUTHENTIC), "--service", base, timeout=120)
        assert out.returncode == 3 and "cannot be checked now (unavailable)" in out.stdout, out
        with redis_server(port):  # back, empty, on the same address
            again = send(used)
            assert (again.status_code, again.json()["reason"]) == (410, "expired"), again.text
            assert "before the record of used proofs (re)started" in again.json()["error"]
            assert send(fresh()).status_code == 200
    assert any("warning: the nonce store redis://127.0.0.1" in said and "persists nothing" in said
               for said in logs), logs
    assert not any("GrammarWarning" in said for said in logs), logs


@pytest.mark.parametrize("how", [["--replay-store", "REDIS"], [], ["--workers", "2"]])
def test_a_short_secret_is_one_line_before_serving(web_items: WebCollection, how: list[str]
                                                   ) -> None:
    with redis_server() as store:
        out = Cli(web_items.project.root, cli_env(**{SECRET_ENV: "short"}))(
            "serve", "--port", str(free_port()), *[store if a == "REDIS" else a for a in how],
            timeout=120)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1, out.stderr
    assert lines[0].startswith(f"error: ${SECRET_ENV} must hold a secret of at least 32")
    assert "short" not in lines[0]  # the secret is never echoed
