"""A throwaway Redis server (Debian's redis-server) on a loopback port, for the shared record of
used proofs of holding."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from nft_toolkit.chain.local import free_port

NO_PERSISTENCE = ("--save", "", "--appendonly", "no")  # a restart forgets every key


@contextmanager
def redis_server(port: int | None = None, *settings: str) -> Iterator[str]:
    """A Redis on `port` (default: a free one) with `settings` (default: nothing written to
    disk), answering PING; its URL. Stopped on exit."""
    exe = shutil.which("redis-server")
    assert exe, "redis-server is missing: `make setup` installs Debian's redis-server as root"
    port = port or free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "no",
                             *(settings or NO_PERSISTENCE)],
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
