"""Block store, CAR files and verified retrieval over real HTTP (the gateway served from a store)."""

from __future__ import annotations

import io
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from nft_toolkit.errors import ContentError, IntegrityError
from nft_toolkit.ipfs import (BlockStore, Cid, Entry, GatewaySource, Importer, ImportOptions, read_file,
                              resolve_path)
from nft_toolkit.ipfs.car import read_car, walk_dag, write_car
from nft_toolkit.ipfs.gateway import Gateway
from nft_toolkit.ipfs.importer import CHUNK_SIZE


LONG = "a-long-name-" * 10
SHARD_AT = 8 * 1024  # a low HAMT threshold: "meta" shards (over several levels) with 700 entries


def _tree() -> dict[str, bytes]:
    rng = random.Random(7)
    files = {f"meta/{i}.json": b'{"name": "Horse #%d"}\n' % i for i in range(1, 601)}
    files.update({f"meta/{LONG}{i}": b"%d" % i for i in range(100)})
    files["big.bin"] = rng.randbytes(3 * CHUNK_SIZE + 17)
    files["img/ä 日.png"] = rng.randbytes(1000)
    files["index.html"] = b"<h1>Year of the Horse</h1>\n"
    return files


def _import_tree(importer: Importer, files: dict[str, bytes]) -> Entry:
    """The folder tree of `files` (relative path -> bytes), imported from memory."""
    folders: dict[str, dict[bytes, Entry]] = {"": {}}
    for rel in sorted(files):
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), {})
        folders["/".join(parts[:-1])][parts[-1].encode()] = importer.add_bytes(files[rel])
    for folder in sorted(folders, key=lambda f: -f.count("/") if f else 1):  # deepest first, root last
        if folder:
            parent, _, name = folder.rpartition("/")
            folders[parent][name.encode()] = importer.add_directory(folders[folder])
    return importer.add_directory(folders[""])


@pytest.fixture(scope="module", params=[0, 1])
def imported(request, tmp_path_factory):
    files = _tree()
    store = BlockStore(tmp_path_factory.mktemp("ret") / "blocks")
    options = ImportOptions(cid_version=request.param, hamt_threshold=SHARD_AT)
    return store, _import_tree(Importer(options, store.put), files).cid, files


def _check_all(source, root: Cid, files: dict[str, bytes]) -> None:
    for rel in ["big.bin", "img/ä 日.png", "meta/1.json", "meta/600.json", "meta/123.json", f"meta/{LONG}99"]:
        cid = resolve_path(source, root, rel)
        assert read_file(source, cid, 10 * 1024 * 1024) == files[rel]
    with pytest.raises(ContentError, match="no entry"):
        resolve_path(source, root, "meta/0.json")


def test_local_store(imported):
    store, root, files = imported
    from nft_toolkit.ipfs import dagpb

    meta = dagpb.decode_node(store.get_block(resolve_path(store, root, "meta")))
    assert meta.unixfs is not None and meta.unixfs.type == dagpb.DataType.HAMT_SHARD
    assert any(len(link.name) == 2 for link in meta.links)  # lookups go through sub-shards too
    _check_all(store, root, files)


def test_read_file_is_bounded(imported):
    store, root, _files = imported
    with pytest.raises(ContentError, match="limit"):
        read_file(store, resolve_path(store, root, "big.bin"), CHUNK_SIZE)


def test_damaged_block_at_rest_is_detected(tmp_path):
    store = BlockStore(tmp_path)
    entry = Importer(sink=store.put).add_bytes(b"authentic")
    path = next(p for p in tmp_path.rglob("*") if p.is_file())
    path.write_bytes(path.read_bytes().replace(b"authentic", b"forgeries"))
    with pytest.raises(IntegrityError):
        read_file(store, entry.cid, 100)


def test_car_roundtrip(imported, tmp_path):
    store, root, files = imported
    buf = io.BytesIO()
    count = write_car(buf, [root], walk_dag(store, [root]))
    assert count > 700
    buf.seek(0)
    roots, blocks = read_car(buf, len(buf.getvalue()))
    assert roots == [root]
    copy = BlockStore(tmp_path / "copy")
    for cid, block in blocks:
        copy.put(cid, block)
    _check_all(copy, root, files)


def test_car_tampered_or_oversized(imported):
    store, root, _files = imported
    buf = io.BytesIO()
    write_car(buf, [root], walk_dag(store, [resolve_path(store, root, "index.html")]))
    data = buf.getvalue().replace(b"Horse", b"H0rse")
    with pytest.raises(IntegrityError):
        list(read_car(io.BytesIO(data), len(data))[1])
    with pytest.raises(ContentError, match="limit"):
        list(read_car(io.BytesIO(buf.getvalue()), 100)[1])


def test_gateway_raw_and_car(imported):
    store, root, files = imported
    with Gateway(store) as gw:
        _check_all(GatewaySource(gw.url), root, files)
        source = GatewaySource(gw.url)
        assert source.prefetch_car(root, "meta") > 8
        requests_before = len(source._cache)
        assert read_file(source, resolve_path(source, root, "meta/77.json"), 1000) == files["meta/77.json"]
        assert len(source._cache) == requests_before


@pytest.mark.parametrize("suffix", ["/ipfs/", "/ipfs", "/"])
def test_a_gateway_given_as_its_links_show_it_is_its_root(imported, suffix):
    """Found by a new user: `--gateway https://host/ipfs/`, as links show it, asked for
    /ipfs/ipfs/<cid> and ended unverifiable."""
    store, root, files = imported
    with Gateway(store) as gw:
        source = GatewaySource(gw.url + suffix)
        assert source.base_url == gw.url.rstrip("/")
        _check_all(source, root, files)


def test_gateway_plain_files_for_browsers(imported):
    store, root, files = imported
    with Gateway(store) as gw:
        r = requests.get(f"{gw.url}/ipfs/{root}/img/ä 日.png", timeout=5)
        assert r.status_code == 200 and r.content == files["img/ä 日.png"]
        assert r.headers["Content-Type"] == "image/png"
        r = requests.get(f"{gw.url}/ipfs/{root}/", timeout=5)
        assert r.content == files["index.html"]
        r = requests.get(f"{gw.url}/ipfs/{root}/meta/5.json", timeout=5)
        assert r.json() == {"name": "Horse #5"}
        assert requests.get(f"{gw.url}/ipfs/{root}/nope", timeout=5).status_code == 404
        assert requests.get(f"{gw.url}/ipfs/notacid", timeout=5).status_code == 400


class _Lying(BaseHTTPRequestHandler):
    """A gateway that serves altered bytes, too much, or nothing in time."""

    mode = "alter"
    store: BlockStore

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        cid = Cid.parse(self.path.split("/")[2].split("?")[0])
        if self.mode == "slow":
            time.sleep(3)
        body = self.store.get_block(cid)
        if self.mode == "alter":
            body = body.replace(b"Horse", b"Goat!")
        elif self.mode == "huge":
            body = b"x" * (3 * 1024 * 1024)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass


@pytest.mark.parametrize("mode,error", [("alter", IntegrityError), ("huge", ContentError), ("slow", ContentError)])
def test_lying_gateway_is_detected(imported, mode, error):
    store, root, _files = imported
    handler = type("H", (_Lying,), {"mode": mode, "store": store})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    try:
        source = GatewaySource(f"http://127.0.0.1:{httpd.server_address[1]}", timeout=(2, 0.5))
        meta_cid = resolve_path(store, root, "meta/5.json")
        with pytest.raises(error):
            read_file(source, meta_cid, 1000)
    finally:
        httpd.shutdown()
        httpd.server_close()
