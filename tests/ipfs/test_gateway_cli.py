"""``nft-toolkit gateway`` itself: a subprocess serving a pinned collection over real HTTP."""

from __future__ import annotations

import hashlib
import io
import json
import re
import selectors
import signal
import socket
import subprocess
import sys

import pytest
import requests
from click.testing import CliRunner

from nft_toolkit.cli import main
from nft_toolkit.ipfs import BlockStore, Cid, GatewaySource, read_file, resolve_path
from nft_toolkit.ipfs.car import read_car, walk_dag
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.project import Project
from tests.support.builds import init_project

CLI = [sys.executable, "-c", "from nft_toolkit.cli import main; main()"]


@pytest.fixture(scope="module")
def pinned(tmp_path_factory) -> Project:
    project = init_project(tmp_path_factory.mktemp("gw") / "c", count=4)
    result = CliRunner().invoke(main, ["pin", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    return project


def _first_line(proc: subprocess.Popen, timeout: float = 60.0) -> str:
    """The gateway's first stdout line, or a failure with its stderr if it does not come."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            pytest.fail(f"no output from the gateway in {timeout:.0f} s")
    line = proc.stdout.readline()
    if not line:
        pytest.fail(f"the gateway exited: {proc.wait()} {proc.stderr.read() if proc.stderr else ''}")
    return line


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_gateway_serves_a_pinned_collection(pinned, stop):
    m = Manifest.load(pinned.manifest_path)
    proc = subprocess.Popen([*CLI, "gateway", "--port", "0", "--project", str(pinned.root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        found = re.match(r"gateway on (http://127\.0\.0\.1:(\d+))/ipfs/", _first_line(proc))
        assert found and int(found.group(2)) > 0
        url = found.group(1)
        meta = pinned.metadata_dir / "2.json"

        r = requests.get(f"{url}/ipfs/{m.metadata_cid}/2.json", params={"format": "raw"}, timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"] == "application/vnd.ipld.raw"
        Cid.parse(m.tokens[2].metadata_cid).verify(r.content)  # the block of 2.json, as committed

        r = requests.get(f"{url}/ipfs/{m.images_cid}", headers={"Accept": "application/vnd.ipld.car"}, timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/vnd.ipld.car")
        roots, blocks = read_car(io.BytesIO(r.content), len(r.content))  # each block verified
        images_root = Cid.parse(m.images_cid)
        assert roots == [images_root]
        expected = [cid for cid, _ in walk_dag(BlockStore(pinned.store_dir), [images_root])]
        assert [cid for cid, _ in blocks] == expected

        r = requests.get(f"{url}/ipfs/{m.metadata_cid}/2.json", timeout=10)
        assert r.status_code == 200 and r.content == meta.read_bytes()
        assert r.headers["Content-Type"] == "application/json"
        r = requests.get(f"{url}/ipfs/{m.images_cid}/3.png", timeout=10)
        assert r.headers["Content-Type"] == "image/png"
        assert hashlib.sha256(r.content).hexdigest() == m.tokens[3].image_sha256

        source = GatewaySource(url)  # what a verifier does with it
        assert json.loads(read_file(source, resolve_path(source, m.metadata_cid, "4.json"), 10_000))["image"] \
            == f"ipfs://{m.tokens[4].image_cid}"
    finally:
        proc.send_signal(stop)
        try:
            code = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    stderr = proc.stderr.read() if proc.stderr else ""
    assert code == 0, stderr
    assert stderr.strip() == "gateway stopped"  # no traceback, no "interrupted"
    with pytest.raises(requests.ConnectionError):  # the socket is closed
        requests.get(f"{url}/ipfs/{m.metadata_cid}", timeout=5)


def _free_port_in_use() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize("port", ["70000", "-1", "http", "²", "٣", "busy"])
def test_gateway_bad_port_is_one_line_exit_2(pinned, port):
    busy = _free_port_in_use() if port == "busy" else None
    try:
        value = str(busy.getsockname()[1]) if busy else port
        result = CliRunner().invoke(main, ["gateway", "--port", value, "--project", str(pinned.root)])
    finally:
        if busy:
            busy.close()
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert ("cannot listen on 127.0.0.1:" if busy else "give a port number") in lines[0]
