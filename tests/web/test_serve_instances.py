"""`nft-toolkit serve` as several stateless instances behind a load balancer: two real `serve`
processes on loopback share a Redis server (`--replay-store redis://…`, Debian's redis-server)
and one secret; a proof of holding challenged by one is accepted once by the other, and a replay
through either is refused. A shared store without the shared secret, or one that does not
answer, is one line before the service starts."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.local import free_port
from nft_toolkit.holding import SECRET_ENV, sign
from tests.support.cli import CUSTOMER, Cli, cli_env
from tests.support.web import AUTHENTIC, WebCollection

HOLDER = dev_account(1)
SITE = "verify.bank.example"  # the Host the load balancer forwards to every instance
SECRET = "an instance-shared secret of at least 32 characters"


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis on a free loopback port, nothing written to disk; its URL."""
    exe = shutil.which("redis-server")
    assert exe, "redis-server is missing: `make setup` installs Debian's redis-server as root"
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--daemonize", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port, socket_timeout=1, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                assert proc.poll() is None and time.monotonic() < deadline, "redis did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def instance(items: WebCollection, store: str) -> Iterator[str]:
    """One `nft-toolkit serve` process over the collection; its base URL."""
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
        proc.communicate(timeout=30)


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
