"""`nft-toolkit verify TOKEN` and `verify-file IMAGE`: the chain of trust, for people and CI."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import click
from nft_toolkit.cli.console import Console, rows_table
from rich.markup import escape
from rich.panel import Panel

from nft_toolkit.bounded import read_bounded
from nft_toolkit.caip19 import parse_token_ref
from nft_toolkit.copies.picture import Picture, decode
from nft_toolkit.cli.options import (F, json_option, lang_option, locale_language,
                                     network_options, project_option)
from nft_toolkit.errors import ChainError
from nft_toolkit.verify.context import Setup, setup
from nft_toolkit.verify.identify import identify
from nft_toolkit.verify.report import Report, Verdict, answer_json
from nft_toolkit.verify.sources import IMAGE_MAX, Web3Reader
from nft_toolkit.verify.trust import verify_token

_STYLE = {Verdict.AUTHENTIC: "bold green", Verdict.TAMPERED: "bold red",
          Verdict.COUNTERFEIT: "bold red", Verdict.NOT_MINTED: "bold yellow",
          Verdict.UNVERIFIABLE: "bold magenta", Verdict.NOT_AN_ITEM: "bold red",
          Verdict.COPY: "bold red"}


def trust_options(fn: F) -> F:
    """--contract, --issuer and --gateway: whom and what a verification trusts."""
    fn = click.option("--gateway", default=None, metavar="URL",
                      help="An IPFS trustless gateway (default in a project: the local store).")(fn)
    fn = click.option("--issuer", default=None, metavar="ADDR|DOMAIN",
                      help="The issuer you trust: its address, or its web domain (bank.example) "
                           "serving a statement signed by it under /.well-known/ (default: the "
                           "deployment record's address).")(fn)
    fn = click.option("--contract", default=None, metavar="ADDR",
                      help="The collection contract (default: the deployment record's).")(fn)
    return fn


def run_verify(s: Setup, token_id: int | None, picture: bytes | None = None,
               decoded: Picture | None = None) -> Report:
    """Connects and verifies token `token_id`, or identifies and verifies `picture` (`decoded`:
    already decoded); an unreachable chain is a verdict (unverifiable), not a crash."""
    try:
        chain = s.connect()
    except ChainError as exc:
        report = Report(token_id, s.trust.contract)
        return report.failed("contract", f"cannot check: {exc}",
                             Verdict.UNVERIFIABLE, "cannot_check", reason=exc)
    if picture is not None:
        return identify(Web3Reader(chain), s.content, s.trust, picture, s.manifest,
                        decoded=decoded)
    assert token_id is not None
    return verify_token(Web3Reader(chain), s.content, s.trust, token_id)


class Outcome(Protocol):
    """A rule's outcome: a verification's Check, or a Finding of `check`."""

    @property
    def ok(self) -> bool: ...

    @property
    def warning(self) -> bool: ...


def mark(outcome: Outcome) -> str:
    """An outcome's mark for people: held, failed, or a warning."""
    return "[yellow]![/]" if outcome.warning else ("[green]✓[/]" if outcome.ok else "[red]✗[/]")


def render(report: Report, as_json: bool, file: str | None = None, lang: str = "en") -> None:
    """Prints `report`: the DESIGN.md JSON object (verify-file's with the picture's `file`
    name: answer_json), or a panel for people, in English or (`lang` zh) in the verification
    page's words. What the chain, the content or the user named is printed as it is, never
    read as rich's markup."""
    if as_json:
        click.echo(json.dumps(answer_json(report, file)))
        return
    if lang != "en":
        from nft_toolkit.web.i18n import translator  # at use: the pages' words load Starlette
        _render_in(report, file, translator(lang))
        return
    table = rows_table(3)
    for check in report.checks:
        table.add_row(mark(check), check.name, escape(check.detail))
    head = ("collection " if report.token_id is None else f"token {report.token_id} of ")
    head += report.contract + (f" on chain {report.chain_id}" if report.chain_id is not None else "")
    if report.issuer_domain:
        head += f"\nissued by {report.issuer_domain}"
    if report.owner:
        head += f"\nowner {report.owner}"
    if report.transfer:
        head += f"\ntransfer {report.transfer.describe()}"
    for one in report.candidates:  # each near twin the picture may show, as verified
        held = f", held by {one.owner}" if one.owner and one.verdict is Verdict.AUTHENTIC else ""
        image = one.verified_image  # the original, as a named copy's checks show its own
        seen = f"; its original image ipfs://{image}, verified by its CID" if image else ""
        head += f"\ntoken {one.token_id}: {one.verdict.words}{held}{seen}"
    if file:
        head = f"{file} {_file_headline(report)}\n" + head
    verdict = "TOO SMALL TO TELL" if report.too_small_to_tell else \
        report.verdict.value.upper().replace("_", " ")
    console = Console()
    console.print(escape(head))
    console.print(Panel(table, title=f"[{_STYLE[report.verdict]}]{verdict}[/]", expand=False))


def _render_in(report: Report, file: str | None, words: Mapping[str, str]) -> None:
    """`report` for people in the catalogue `words` (:mod:`nft_toolkit.web.i18n`): the page's
    own sentences for a picture (:func:`nft_toolkit.web.upload.upload_lines`), its verdict, the
    checks' names and details."""
    from nft_toolkit.web.i18n import detail, fill
    from nft_toolkit.web.upload import upload_lines
    verdict = report.verdict.value
    said = upload_lines(report, words) if file else []
    # one sentence a line, as the page gives each its paragraph (Chinese puts no space between)
    lines = [(f"{file}: " if file else "") + "\n".join(said or [words[f"say.{verdict}"]])]
    where = f"{words['contract']} {report.contract}" + (
        f" ({words['chain']} {report.chain_id})" if report.chain_id is not None else "")
    if report.token_id is not None:
        where = f"{words['token']} {report.token_id} · {where}"
    lines.append(where)
    if report.issuer_domain:
        lines.append(fill(words["issued_by"], {"domain": report.issuer_domain}))
    if report.owner:
        lines.append(f"{words['owner']} {report.owner}")
    for one in report.candidates:  # each near twin's original, as verified
        image = one.verified_image
        if image is not None and one.token_id is not None:
            lines.append(fill(words["upload.candidate_image"],
                              {"token": str(one.token_id), "uri": f"ipfs://{image}"}))
    table = rows_table(3)
    for check in report.checks:
        table.add_row(mark(check), escape(words.get(f"check.{check.name}", check.name)),
                      escape(detail(check, words)))
    console = Console()
    console.print(escape("\n".join(lines)))
    title = words["verdict.too_small"] if report.too_small_to_tell else words[f"verdict.{verdict}"]
    console.print(Panel(table, title=f"[{_STYLE[report.verdict]}]{title}[/]", expand=False))


def _language(lang: str | None) -> str:
    """--lang, else the locale's language (:func:`nft_toolkit.cli.options.locale_language`)."""
    return lang or locale_language(os.environ)


def _file_headline(report: Report) -> str:
    """What verify-file found the picture to be, for its first line."""
    token = report.token_id
    if token is not None:
        # what the picture is, then what the token is when that is not the good news: a file
        # of a token never minted must not read "is token 20" first
        is_copy = report.similarity is not None and report.similarity < 1
        if is_copy:
            how = f" ({report.transform_said})" if report.transform else ""
            said = f"is a copy of token {token}{how}, not its file"
        else:
            said = f"is token {token}" if report.verdict is Verdict.AUTHENTIC else \
                f"is the image file of token {token}"
        if report.verdict in (Verdict.AUTHENTIC, Verdict.COPY):
            return said
        return f"{said}, but token {token} is {report.verdict.words}"
    if report.candidates:
        first, second = (one.token_id for one in report.candidates)
        said = f"is a copy of token {first} or token {second}, not the file of either: "
        if report.too_small:
            shown, needed = report.too_small
            return said + (f"it shows the item {shown} pixels across, too small to tell them "
                           f"apart (at least {needed} pixels would certainly do)")
        return said + "nothing in it tells them apart"
    if report.too_small:
        shown, needed = report.too_small
        if report.too_small_picture:  # under the floor: nothing smaller is told
            return (f"is too small to tell what it shows ({shown} pixels across; a picture "
                    f"needs at least {needed} pixels on each side)")
        return (f"is too small to tell which item it shows (it shows one {shown} pixels "
                f"across; at least {needed} pixels would certainly do)")
    if report.verdict is Verdict.NOT_AN_ITEM:
        return "is no item of this collection"
    if report.verdict is Verdict.UNVERIFIABLE:  # nothing was decided about the picture
        failed = next((c.name for c in report.checks if not c.ok and not c.warning), "")
        what = _UNREAD.get(failed, "the collection's content cannot be read")
        return f"could not be checked now: {what} (try again later)"
    return "matches no token that could be checked"


# what an unverifiable check could not read, by the check's name (the others read the content)
_UNREAD = {name: "the chain cannot be read" for name in ("contract", "issuer", "token",
                                                           "token_uri")}
_UNREAD["issuer_domain"] = "the issuer's domain cannot be read"


@click.command("verify")
@click.argument("token", metavar="TOKEN")
@trust_options
@network_options
@project_option
@json_option
@lang_option
def verify_command(token: str, contract: str | None, issuer: str | None, gateway: str | None,
                   network: str | None, rpc_url: str | None, chain_id: int | None,
                   project_dir: Path | None, as_json: bool, lang: str | None) -> None:
    """Is token TOKEN authentic? Checks the whole chain of trust from the issuer's address.

    TOKEN is a token ID (the collection from the project or --contract), a CAIP-19 asset ID
    (eip155:<chain id>/erc721:<contract>/<token id>, which names the chain and contract), or a
    certificate's verification URL (which names the issuer too).

    Exit 0 authentic; 1 tampered, counterfeit or not minted (also an ID beyond the cap);
    2 usage error; 3 unverifiable.
    """
    ref = parse_token_ref(token, "TOKEN")
    s = setup(project_dir, network, rpc_url, chain_id, contract, issuer, gateway, token=ref)
    report = run_verify(s, ref.token_id)
    render(report, as_json, lang=_language(lang))
    sys.exit(report.verdict.exit_code)


@click.command("verify-file")
@click.argument("image", type=click.Path(dir_okay=False, path_type=Path))
@trust_options
@network_options
@project_option
@json_option
@lang_option
def verify_file_command(image: Path, contract: str | None, issuer: str | None,
                        gateway: str | None, network: str | None, rpc_url: str | None,
                        chain_id: int | None, project_dir: Path | None, as_json: bool,
                        lang: str | None) -> None:
    """Is this picture an authentic item of the collection, and which token is it?

    A picture that is not a token's file but shows one (resized, re-encoded, cropped, framed,
    flipped, recoloured, a screenshot) is a copy of that token. Exit 0 authentic; 1 tampered,
    counterfeit, not minted, a copy or not an item; 2 usage error or not a picture;
    3 unverifiable.
    """
    data = read_bounded(image, IMAGE_MAX, str(image), "larger than any collection image")
    decoded = decode(data, str(image))  # not a picture, animated, a bomb: exit 2 before the chain
    s = setup(project_dir, network, rpc_url, chain_id, contract, issuer, gateway)
    report = run_verify(s, None, data, decoded)
    render(report, as_json, str(image), _language(lang))
    sys.exit(report.verdict.exit_code)
