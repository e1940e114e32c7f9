"""`serve --host 0.0.0.0` prints addresses a browser can open, not the wildcard."""

from __future__ import annotations

from nft_toolkit.cli.serve import reachable_at


def test_a_wildcard_host_prints_reachable_addresses() -> None:
    for wildcard in ("0.0.0.0", "::"):
        said = reachable_at(wildcard, 8645, lan="10.1.2.3")
        assert "0.0.0.0" not in said and "http://[::]" not in said
        assert "http://127.0.0.1:8645/" in said and "http://10.1.2.3:8645/" in said
    assert "0.0.0.0" not in reachable_at("0.0.0.0", 8645)  # this machine's own LAN address
    assert reachable_at("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert reachable_at("::1", 8000) == "http://[::1]:8000/"
