"""A trustless IPFS HTTP gateway over the local block store, for verifiers and browsers.

``GET /ipfs/<cid>[/<path>]`` answers, after resolving the path through UnixFS folders:

- ``?format=raw`` or ``Accept: application/vnd.ipld.raw``: the single block;
- ``?format=car`` or ``Accept: application/vnd.ipld.car``: a CARv1 of the blocks on the path
  and the whole DAG below it (root: the resolved CID), so a client can verify everything;
- otherwise the file's bytes with a guessed Content-Type, or a listing for a folder.

It binds to 127.0.0.1 by default and reads only what the store holds.
"""

from __future__ import annotations

import html
import mimetypes
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

from nft_toolkit.errors import ContentError, InputError, IntegrityError
from nft_toolkit.ipfs import dagpb
from nft_toolkit.ipfs.car import encode_block, encode_header, walk_dag
from nft_toolkit.ipfs.cid import DAG_PB, Cid
from nft_toolkit.ipfs.dagpb import DataType
from nft_toolkit.ipfs.retrieval import BlockSource, iter_file, list_folder, resolve_path

MAX_FILE = 1024 * 1024 * 1024
RAW_TYPE = "application/vnd.ipld.raw"
CAR_TYPE = "application/vnd.ipld.car"
POLL_INTERVAL = 0.05  # seconds: how soon `stop` (or Ctrl-C) takes effect


class _NotFound(Exception):
    pass


def _wants(query: dict[str, list[str]], accept: str) -> str:
    fmt = query.get("format", [""])[0]
    if fmt in ("raw", "car"):
        return fmt
    if RAW_TYPE in accept:
        return "raw"
    if CAR_TYPE in accept:
        return "car"
    return "plain"


def _path_blocks(source: BlockSource, root: Cid, segments: list[str]) -> list[Cid]:
    """The CIDs of the folder blocks walked from `root` along `segments` (for CAR answers)."""
    walked = []
    cid = root
    for i in range(len(segments)):
        walked.append(cid)
        cid = resolve_path(source, cid, segments[i])
    return walked


def make_handler(source: BlockSource) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "nft-toolkit-gateway"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet; the CLI prints the URL
            pass

        def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _stream(self, ctype: str, pieces: Iterator[bytes], extra: dict[str, str]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Transfer-Encoding", "chunked")
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            for piece in pieces:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            parts = [unquote(p) for p in url.path.split("/") if p]
            if len(parts) < 2 or parts[0] != "ipfs":
                self._send(404, "text/plain", b"only /ipfs/<cid>[/path] is served\n")
                return
            try:
                root = Cid.parse(parts[1])
            except InputError as exc:
                self._send(400, "text/plain", f"{exc}\n".encode())
                return
            segments = parts[2:]
            fmt = _wants(parse_qs(url.query), self.headers.get("Accept", ""))
            try:
                cid = resolve_path(source, root, "/".join(segments))
                etag = {"Etag": f'"{cid}.{fmt}"', "X-Ipfs-Roots": str(cid),
                        "Cache-Control": "public, max-age=29030400, immutable"}
                if fmt == "raw":
                    self._send(200, RAW_TYPE, source.get_block(cid), etag)
                elif fmt == "car":
                    path_cids = _path_blocks(source, root, segments)

                    def car() -> Iterator[bytes]:
                        yield encode_header([cid])
                        for pc in path_cids:
                            yield encode_block(pc, source.get_block(pc))
                        for c, block in walk_dag(source, [cid]):
                            yield encode_block(c, block)

                    self._stream(f"{CAR_TYPE}; version=1", car(), etag)
                else:
                    self._plain(cid, url.path, segments, etag)
            except IntegrityError as exc:
                self._send(500, "text/plain", f"{exc}\n".encode())
            except ContentError as exc:
                self._send(404, "text/plain", f"{exc}\n".encode())

        def _plain(self, cid: Cid, url_path: str, segments: list[str], extra: dict[str, str]) -> None:
            node = dagpb.decode_node(source.get_block(cid)) if cid.codec == DAG_PB else None
            kind = node.unixfs.type if node is not None and node.unixfs is not None else DataType.RAW
            if kind in (DataType.DIRECTORY, DataType.HAMT_SHARD):
                try:
                    index = resolve_path(source, cid, "index.html")
                except ContentError:
                    self._listing(cid, url_path)
                    return
                cid, segments = index, [*segments, "index.html"]
            name = segments[-1] if segments else ""
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self._stream(ctype, iter_file(source, cid, MAX_FILE), extra)

        def _listing(self, cid: Cid, url_path: str) -> None:
            base = url_path.rstrip("/")
            names = [name.decode("utf-8", "replace") for name in list_folder(source, cid)]
            rows = "".join(f'<li><a href="{quote(base + "/" + n)}">{html.escape(n)}</a></li>'
                           for n in names)
            body = f"<!doctype html><title>{cid}</title><h1>/ipfs/{cid}</h1><ul>{rows}</ul>\n"
            self._send(200, "text/html; charset=utf-8", body.encode())

    return Handler


class Gateway:
    """A running gateway on `host`:`port` (0 picks a free port); use as a context manager."""

    def __init__(self, source: BlockSource, host: str = "127.0.0.1", port: int = 0) -> None:
        self.httpd = ThreadingHTTPServer((host, port), make_handler(source))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host  # bytes only for AF_UNIX
        return f"http://{name}:{port}"

    def start(self) -> Gateway:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=POLL_INTERVAL)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Gateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
