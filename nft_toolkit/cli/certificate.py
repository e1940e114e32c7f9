"""`nft-toolkit certificate TOKEN -o FILE`: a certificate with a QR code, for an authentic token."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import cast

import click

from nft_toolkit import atomic
from nft_toolkit.caip19 import check_url_base, parse_token_ref
from nft_toolkit.certificate import LANGS, Lang, draw, font_gaps, pdf_bytes, png_bytes
from nft_toolkit.certify import certify
from nft_toolkit.cli.options import json_option, network_options, project_option
from nft_toolkit.cli.verify import trust_options
from nft_toolkit.errors import InputError
from nft_toolkit.verify.context import setup

URL_BASE_ENV = "NFT_TOOLKIT_URL_BASE"
DEMO_BASE = "http://127.0.0.1:8000"  # `nft-toolkit serve`'s default address


@click.command("certificate")
@click.argument("token", metavar="TOKEN")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write (PNG, or PDF with --pdf).")
@click.option("--pdf", "as_pdf", is_flag=True, help="Write a one-page A4 PDF instead of a PNG.")
@click.option("--url-base", envvar=URL_BASE_ENV, metavar="URL",
              help=f"The public URL of the verification service (`nft-toolkit serve`) the QR "
                   f"code points to; required, from this option or ${URL_BASE_ENV}.")
@click.option("--lang", type=click.Choice(LANGS), default="both", show_default=True,
              help="The certificate's language: Chinese, English or both.")
@trust_options
@network_options
@project_option
@json_option
def certificate_command(token: str, output: Path, as_pdf: bool, url_base: str | None, lang: str,
                        contract: str | None, issuer: str | None, gateway: str | None,
                        network: str | None, rpc_url: str | None, chain_id: int | None,
                        project_dir: Path | None, as_json: bool) -> None:
    """Write the certificate of an authentic token: image, edition, mint and a QR code to verify it.

    TOKEN is a token ID, a CAIP-19 asset ID or a verification URL, as for `verify`. The QR code
    holds <URL base>/v/<asset ID>?issuer=<issuer>, which `verify` accepts too.

    Exit 0 written; 1 tampered, counterfeit or not minted; 2 usage error; 3 unverifiable.
    """
    if url_base is None:
        raise InputError(f"the QR code needs the public address of your verification service "
                         f"(`nft-toolkit serve`), and no --url-base or ${URL_BASE_ENV} gives "
                         f"it: pass --url-base https://verify.<your domain> (its address "
                         f"customers open), or --url-base {DEMO_BASE} to try it with a local "
                         "`nft-toolkit serve`")
    base = check_url_base(url_base)
    suffix = output.suffix.lower()
    if suffix not in ((".pdf",) if as_pdf else (".png",)):
        raise InputError(f"-o {output} does not end in {'.pdf' if as_pdf else '.png'}, the "
                         f"format written ({'--pdf' if as_pdf else 'add --pdf for a PDF'})")
    ref = parse_token_ref(token, "TOKEN")
    s = setup(project_dir, network, rpc_url, chain_id, contract, issuer, gateway, token=ref)
    report, facts = certify(s, ref.token_id, base)
    if facts is None:
        last = report.checks[-1] if report.checks else None
        why = f" ({last.name}: {last.detail})" if last is not None else ""
        click.echo(f"error: token {ref.token_id} is {report.verdict.words}, not authentic: no "
                   f"certificate{why}"[:1000], err=True)
        sys.exit(report.verdict.exit_code)
    for gap in font_gaps(facts):
        click.echo(f"warning: {gap}", err=True)
    image = draw(report, facts, cast(Lang, lang))
    data = pdf_bytes(image, facts) if as_pdf else png_bytes(image)
    try:
        atomic.write_bytes(output, data)
    except OSError as exc:
        raise InputError(f"cannot write the certificate {output}: {exc.strerror or exc}") from None
    if as_json:
        click.echo(json.dumps({"file": str(output), "url": facts.url,
                               "asset": str(facts.asset), "verdict": report.verdict.value}))
    else:
        click.echo(f"{output}\n{facts.url}")
