"""A real HTTPS server on 127.0.0.1 with a certificate from a test certificate authority
(trustme), for the issuer-domain tests: the client trusts the authority through
``$SSL_CERT_FILE`` (what Python's default TLS context reads), never by turning verification off.
"""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme


class CertAuthority:
    """A test CA and its PEM file; `cert_file` is what SSL_CERT_FILE must name."""

    def __init__(self, folder: Path) -> None:
        self.ca = trustme.CA()
        self.cert_file = folder / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.cert_file))

    def server_context(self, *names: str) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert(*(names or ("localhost", "127.0.0.1"))).configure_cert(ctx)
        return ctx


class HttpsSite:
    """Serves `routes` (path -> (status, headers, body)) over HTTPS (or plain HTTP when
    `context` is None); `domain` is ``localhost:<port>``."""

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]],
                 context: ssl.SSLContext | None) -> None:
        self.routes = routes
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def domain(self) -> str:
        return f"localhost:{self.server.server_address[1]}"

    def __enter__(self) -> HttpsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
