"""What `pin` tells an issuing team when the pinning service is wrong or out of reach (and what
a gateway's reader says when it cannot be reached): a refused
token is a configuration error (exit 2), an unreachable service names its URL and the cause,
never a password or a key the URL holds, and ``${VAR}`` in the URL comes from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nft_toolkit.chain.local import free_port
from nft_toolkit.cli import main
from nft_toolkit.errors import (EXIT_UNVERIFIABLE, EXIT_USAGE, ConfigError, ContentError,
                                PinningError)
from nft_toolkit.ipfs import GatewaySource, KuboRpcSource
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.pinning.base import PinTarget, RetryPolicy
from nft_toolkit.ipfs.pinning.service import PinningServiceBackend
from nft_toolkit.ipfs.store import BlockStore
from tests.support.builds import init_project
from tests.support.pinning_service import StrictPinningService

FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)
TOKEN = "s3cret-token-value"
PASSWORD = "PASSWORDXYZ"
KEY = "k3y0123456789abcdefXYZ"  # a key-like path segment, as some providers put in the URL


def _targets(n: int) -> list[PinTarget]:
    importer = Importer(ImportOptions.of(None, 0))
    return [PinTarget(f"part {i}", importer.add_bytes(f"part {i}".encode()).cid) for i in range(n)]


def _secrets_absent(text: str) -> None:
    assert PASSWORD not in text and KEY not in text and TOKEN not in text, text


def test_a_refused_token_is_a_configuration_error() -> None:
    with StrictPinningService(TOKEN) as svc:
        url = svc.url.replace("http://", f"http://admin:{PASSWORD}@")
        backend = PinningServiceBackend(url, "wrong", retry=FAST, token_env="PSA_TOKEN")
        with pytest.raises(ConfigError) as info:
            backend.pin(_targets(5), BlockStore(Path("/nonexistent")))
    message = str(info.value)
    assert info.value.exit_code == EXIT_USAGE
    assert "refused the access token in $PSA_TOKEN (HTTP 401)" in message
    assert "checking which of the collection's 5 parts the pinning service already holds" in message
    assert "Qm" not in message and "bafy" not in message and "(+" not in message
    assert "http://***@127.0.0.1:" in message
    _secrets_absent(message + repr(backend))


@pytest.mark.parametrize(("host", "cause"), [
    (lambda: f"127.0.0.1:{free_port()}", "connection refused"),
    (lambda: "pinning.invalid", "the host name does not resolve"),
])
def test_an_unreachable_service_names_its_url_and_the_cause(host, cause) -> None:
    where = host()
    backend = PinningServiceBackend(f"http://admin:{PASSWORD}@{where}/psa/{KEY}", TOKEN, retry=FAST)
    with pytest.raises(PinningError) as info:
        backend.pin(_targets(1), BlockStore(Path("/nonexistent")))
    message = str(info.value)
    assert info.value.exit_code == EXIT_UNVERIFIABLE
    assert f"the pinning service at http://***@{where}/psa/***: {cause}" in message
    assert "(tried 2 times)" in message and "ConnectionError" not in message
    _secrets_absent(message)


def _project(tmp_path: Path, url: str) -> Path:
    project = init_project(tmp_path / "c")
    text = project.config_path.read_text()
    assert "pinning_service_url" not in text
    assert "  backend: local" in text
    project.config_path.write_text(text.replace(
        "  backend: local", f"  backend: pinning-service\n  pinning_service_url: {url}", 1))
    return project.root


def test_pin_expands_the_url_and_shows_it_redacted(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with StrictPinningService(TOKEN) as svc:
        root = _project(tmp_path, f"{svc.url}/psa/${{PSA_KEY}}")
        monkeypatch.setenv("NFT_TOOLKIT_PINNING_TOKEN", TOKEN)
        monkeypatch.setenv("PSA_KEY", KEY)
        out = CliRunner().invoke(main, ["-v", "pin", "--project", str(root)])
        assert [entry.path for entry in svc.log][:1] == [f"/psa/{KEY}/pins"]  # expanded
    assert out.exit_code == EXIT_UNVERIFIABLE  # this service answers 404 under /psa/...
    lines = out.output.strip().splitlines()
    assert lines[-1].startswith("error: checking which of the collection's ")
    assert "the pinning service at http://127.0.0.1:" in lines[-1] and "/psa/***" in lines[-1]
    assert "HTTP 404" in lines[-1]
    _secrets_absent(out.output)


def test_pin_refused_token_exits_2_and_a_missing_variable_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with StrictPinningService(TOKEN) as svc:
        root = _project(tmp_path, svc.url.replace("http://", f"http://admin:{PASSWORD}@"))
        monkeypatch.setenv("NFT_TOOLKIT_PINNING_TOKEN", "wrong")
        out = CliRunner().invoke(main, ["pin", "--project", str(root)])
    assert out.exit_code == EXIT_USAGE
    assert out.output.startswith("error: ") and out.output.count("\n") == 1, out.output
    assert "refused the access token in $NFT_TOOLKIT_PINNING_TOKEN" in out.output
    _secrets_absent(out.output)
    root = _project(tmp_path / "again", "https://psa.example/${PSA_MISSING}")
    out = CliRunner().invoke(main, ["pin", "--project", str(root)])
    assert out.exit_code == EXIT_USAGE
    assert "ipfs.pinning_service_url needs the environment variable PSA_MISSING" in out.output


@pytest.mark.parametrize("source", [GatewaySource, KuboRpcSource])
def test_an_unreachable_gateway_is_shown_redacted_with_the_cause(source) -> None:
    where = f"127.0.0.1:{free_port()}"
    cid = _targets(1)[0].cid
    with pytest.raises(ContentError) as info:
        source(f"http://admin:{PASSWORD}@{where}/gw/{KEY}").get_block(cid)
    message = str(info.value)
    assert f"http://***@{where}/gw/*** unreachable (connection refused" in message
    _secrets_absent(message)
