"""Why an HTTP request got no answer, in words an issuing team reads: the host name does not
resolve, the connection was refused, it timed out. requests folds all of these into one
``ConnectionError`` whose text is a urllib3 repr; the cause sits deeper in its chain."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import requests
import urllib3.exceptions


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it wraps: causes, contexts, urllib3's ``reason``, ipfshttpclient's
    ``original`` and exception arguments (bounded: a cycle or a deep chain ends the walk)."""
    seen: set[int] = set()
    todo = [exc]
    while todo and len(seen) < 32:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = (getattr(current, "reason", None), getattr(current, "original", None))
        for inner in (current.__cause__, current.__context__, *wrapped, *current.args):
            if isinstance(inner, BaseException):
                todo.append(inner)


UNRESOLVED = "the host name does not resolve"
TIMED_OUT = "no answer in time (timeout)"


def no_answer_cause(exc: BaseException) -> str:
    """The cause of a request that got no HTTP answer, e.g. "the host name does not resolve";
    "no connection" when nothing more precise is known."""
    causes = list(_chain(exc))
    if any(isinstance(c, (socket.gaierror, urllib3.exceptions.NameResolutionError))
           for c in causes):
        return UNRESOLVED
    # before timeouts: urllib3's NewConnectionError (a refused connection) is a timeout error
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused (nothing listens there)"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "the connection was reset"
    if any(isinstance(c, (requests.Timeout, TimeoutError, socket.timeout,
                          urllib3.exceptions.TimeoutError)) for c in causes):
        return TIMED_OUT
    if any(isinstance(c, requests.exceptions.SSLError) for c in causes):
        return "the TLS handshake failed (certificate or protocol)"
    return "no connection"
