"""--signer-url's help names the signing call each command makes."""

from __future__ import annotations

from click.testing import CliRunner

from nft_toolkit.cli.app import main


def help_of(command: str) -> str:
    out = CliRunner().invoke(main, [command, "--help"], terminal_width=200)
    assert out.exit_code == 0, out.output
    return " ".join(out.output.split())


def test_signer_url_help_names_the_call() -> None:
    identity = help_of("publish-identity")
    assert "personal_sign" in identity and "eth_signTransaction" not in identity
    for command in ("deploy", "mint"):
        text = help_of(command)
        assert "eth_signTransaction" in text and "personal_sign" not in text
