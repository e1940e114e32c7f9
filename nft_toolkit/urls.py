"""URLs in configuration and messages: checked, ``${VAR}``-expanded from the environment, and
redacted for display. One implementation for every URL the toolkit is given (RPC endpoints,
external signers, pinning services, gateways, Redis): a key or password in a URL never reaches
a message, a log line or a report.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from nft_toolkit.errors import ConfigError

ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")  # ${VAR}, read from the environment


def check_url(url: str, what: str, *, shown: str | None = None) -> str:
    """`url` when it is an http(s) URL naming a host and, if any, a port 1..65535; else one
    ConfigError line naming `what` (an option or a file's key) and showing `shown` (the URL as
    the user wrote it, default `url`): a usage error, not a dead chain."""
    text = repr(redact_url(shown if shown is not None else url))
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError: not a number, or out of 0..65535
    except ValueError:
        raise ConfigError(f"{what} {text} is not a valid URL (a port must be a number "
                          "1..65535, an IPv6 host in [brackets], no spaces)") from None
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{what} {text} is not an http(s) URL")
    if not parts.hostname:
        raise ConfigError(f"{what} {text} names no host (http://HOST[:PORT]/...)")
    if port == 0:
        raise ConfigError(f"{what} {text}: port 0 is no port (1..65535)")
    return url


def expand_url(url: str, what: str = "the RPC URL") -> str:
    """`url` with each ${VAR} replaced from the environment (API keys stay out of the file);
    `what` names it in messages."""
    def value(match: re.Match[str]) -> str:
        try:
            return os.environ[match.group(1)]
        except KeyError:
            raise ConfigError(f"{what} needs the environment variable {match.group(1)}") from None
    return _checked_expansion(ENV_REF.sub(value, url), url, what)


def _checked_expansion(expanded: str, written: str, what: str = "the RPC URL") -> str:
    """`expanded` when it is a usable URL; else one line naming the URL as written (its
    ${VAR} names, never the values, which may hold an API key)."""
    try:
        return check_url(expanded, what)
    except ConfigError:
        raise ConfigError(f"{what} {redact_url(written)!r} does not expand to an http(s) URL "
                          "with a host: check the environment variables it names") from None


KEY_SEGMENT = re.compile(r"(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{16,}")  # a digit in 16+ such chars


def redact_url(url: str) -> str:
    """`url` for messages: its query and credentials hidden, and path segments that look like
    an API key (16 or more letters, digits, ``-`` or ``_``, a digit among them: Infura's
    ``/v3/<key>``, Alchemy's ``/v2/<key>``) shown as ``***``."""
    shown = url.split("?", 1)[0].split("#", 1)[0]
    shown = re.sub(r"//[^/@]*@", "//***@", shown)
    scheme, sep, rest = shown.partition("//")
    if not sep:
        scheme, rest = "", shown
    host, slash, path = rest.partition("/")
    path = "/".join("***" if KEY_SEGMENT.fullmatch(part) else part for part in path.split("/"))
    return f"{scheme}{sep}{host}{slash}{path}"


URL_IN_TEXT = re.compile(r"https?://[^\s,'\"<>]+")
REQUEST_LINE = re.compile(r"(\"[A-Z]+ )([^\s?]*)(?:\?\S*)?( HTTP/)")  # urllib3: "POST /v3/key HTTP/1.1"


def redact_text(text: str) -> str:
    """`text` (an error message, a log line) with every URL in it :func:`redact_url`'d, and an
    HTTP request line's path keys and query hidden the same way."""
    text = URL_IN_TEXT.sub(lambda m: redact_url(m.group()), text)
    return REQUEST_LINE.sub(lambda m: m.group(1) + "/".join(
        "***" if KEY_SEGMENT.fullmatch(part) else part for part in m.group(2).split("/"))
        + m.group(3), text)
