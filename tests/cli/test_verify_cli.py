"""`verify`, `verify-file`, `audit` and `deploy` end to end on ganache: every verdict and exit code,
and the user mistakes that must end in one clear line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nft_toolkit.chain.accounts import dev_account
from nft_toolkit.chain.deployer import deploy, plan_for_project
from nft_toolkit.chain.client import Chain
from nft_toolkit.chain.local import free_port
from nft_toolkit.cli.verify import _file_headline, render
from nft_toolkit.deployment import load_record
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.project import Project
from nft_toolkit.verify.report import Report, Verdict, answer_json
from nft_toolkit.cli.options import locale_language
from nft_toolkit.web.i18n import MESSAGES
from tests.support.cli import CUSTOMER, Cli
from tests.support.collection import tiny_png

CHECKS = ["contract", "runtime_code", "issuer", "token", "token_uri", "base_uri_frozen",
          "metadata", "image", "provenance"]


def one_line_error(out) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    assert "Traceback" not in out.stderr
    return lines[0]


def block_path(cli: Cli, token: int) -> Path:
    manifest = Manifest.load(Project(cli.cwd).manifest_path)
    return BlockStore(Project(cli.cwd).store_dir).block_path(manifest.tokens[token].metadata_cid)


def test_authentic_json_has_the_design_shape(cli: Cli) -> None:
    code, report = cli.json("verify", "3")
    assert code == 0
    # DESIGN.md's keys, then the collection's transfer policy (issue 13)
    assert list(report) == ["verdict", "token_id", "contract", "chain_id", "owner", "token_uri", "checks",
                            "transfer_policy"]
    assert report["transfer_policy"] == {"policy": "free", "hold_days": 0}
    assert report["verdict"] == "authentic" and report["token_id"] == 3
    assert report["owner"] == CUSTOMER and report["chain_id"] == 1337
    assert report["token_uri"].endswith("/3.json")
    assert [c["name"] for c in report["checks"]] == CHECKS
    assert all(c["ok"] for c in report["checks"])
    assert all(set(c) == {"name", "ok", "detail"} for c in report["checks"])


def test_authentic_panel_for_people(cli: Cli) -> None:
    out = cli("verify", "1")
    assert out.returncode == 0, out.stderr
    assert "AUTHENTIC" in out.stdout and "provenance" in out.stdout


def test_verify_answers_in_the_locale_language(cli: Cli) -> None:
    """A customer whose shell speaks Chinese reads the verification page's words: the verdict,
    its sentence, the checks; --lang chooses either way; the JSON stays English."""
    zh = Cli(cli.cwd, {**cli.env, "LANG": "zh_CN.UTF-8"})
    out = zh("verify", "3")
    assert out.returncode == 0, out.stderr
    words = MESSAGES["zh"]
    for said in (words["verdict.authentic"], words["say.authentic"], words["check.provenance"],
                 words["owner"], CUSTOMER):
        assert said in out.stdout, said
    assert "AUTHENTIC" not in out.stdout
    out = zh("verify", "3", "--lang", "en")
    assert "AUTHENTIC" in out.stdout and words["verdict.authentic"] not in out.stdout
    assert words["verdict.authentic"] in cli("verify", "3", "--lang", "zh").stdout
    code, report = zh.json("verify", "3")
    assert (code, report["verdict"]) == (0, "authentic")


def test_the_locale_language_follows_posix_precedence() -> None:
    assert locale_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert locale_language({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert locale_language({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"  # LC_ALL wins
    assert locale_language({"LC_ALL": "", "LANG": "zh"}) == "zh"  # an empty one is unset
    assert locale_language({"LANG": "en_GB.UTF-8"}) == locale_language({}) == "en"


def test_a_copy_said_in_chinese_and_names_printed_as_they_are(capsys) -> None:
    """verify-file's answer in the page's sentences; a file name or a detail that looks like
    rich's markup ("[/]", "[red]") is printed as it is, not read as markup (it raised)."""
    report = Report(7, "0x5FbDB2315678afecb367f032d93F642f64180aa3", similarity=0.97,
                    transform="screenshot", owner=CUSTOMER)
    report.failed("image_match", "a copy of token 7's image [/oops] [red]x", Verdict.COPY,
                  "image_match.copy", token=7, owner=CUSTOMER, similarity="0.970")
    render(report, False, "shot[/].png", "zh")
    out = capsys.readouterr().out
    assert out.startswith("shot[/].png: 这张图片是第 7 号藏品的复制品（截图），不是它的原文件。")
    assert MESSAGES["zh"]["verdict.copy"] in out and MESSAGES["zh"]["check.image_match"] in out
    render(report, False, "shot[/].png")
    out = capsys.readouterr().out
    assert out.startswith("shot[/].png is a copy of token 7 (screenshot), not its file")
    assert "[/oops] [red]x" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_picture_too_small_to_tell_is_headed_so_not_as_no_item(capsys, lang: str) -> None:
    """A customer trial: a 64 px copy of an item was headed NOT AN ITEM ("非本系列藏品") while its
    line said it was too small to tell, and "at least 256 would do" while 96 px copies are
    named. The verdict stays not_an_item (README); the headline says too small to tell, and the
    size is one that certainly does."""
    report = Report(None, "0x5FbDB2315678afecb367f032d93F642f64180aa3", too_small=(64, 256))
    report.failed("image_match", "no item's file has these bytes, and the picture shows an item "
                  "64 pixels across, too small to tell which (at least 256 pixels would "
                  "certainly do)", Verdict.NOT_AN_ITEM, "image_match.too_small", shown=64,
                  needed=256)
    render(report, False, "c3_64.png", lang)
    out = capsys.readouterr().out
    words = MESSAGES[lang]
    if lang == "en":
        assert out.startswith("c3_64.png is too small to tell which item it shows"), out
        assert "at least 256 pixels would certainly do" in out and "would do)" not in \
            out.replace("certainly do)", "")
        assert "TOO SMALL TO TELL" in out and "NOT AN ITEM" not in out
    else:
        assert words["verdict.too_small"] in out and words["verdict.not_an_item"] not in out
        assert "256 像素宽或更大" in out and "一定" in out, out
    assert answer_json(report, "c3_64.png")["verdict"] == "not_an_item"


def test_not_minted(cli: Cli) -> None:
    code, report = cli.json("verify", "9")
    assert (code, report["verdict"]) == (1, "not_minted")
    assert report["checks"][-1]["name"] == "token" and not report["checks"][-1]["ok"]


def test_a_token_that_does_not_exist_is_not_minted(cli: Cli) -> None:
    """`verify 99` of a 12-item collection: a verdict with its reason (exit 1), not a usage error."""
    for token, reason in (("13", "beyond the cap (this collection has IDs 1..12)"),
                          ("99", "beyond the cap"), ("0", "IDs start at 1")):
        code, report = cli.json("verify", token)
        assert (code, report["verdict"], report["token_id"]) == (1, "not_minted", int(token))
        assert report["checks"][-1]["name"] == "token" and reason in report["checks"][-1]["detail"]
    out = cli("verify", "99")
    assert out.returncode == 1 and "NOT MINTED" in out.stdout and "beyond the cap" in out.stdout
    out = cli("verify", "--", "-1")  # not a token ID at all: still one line
    assert out.returncode == 2 and "'-1' is not a token ID" in one_line_error(out)


def test_malformed_urls_are_usage_errors(cli: Cli) -> None:
    # One URL check serves every command: each command meets each option, each URL kind a command.
    commands = (("verify", "1"), ("verify-file", "build/images/1.png"), ("audit",))
    urls = ("http://", "http://127.0.0.1:notaport", "http://127.0.0.1:70000", "ftp://h")
    for i, url in enumerate(urls):
        command = commands[i % len(commands)]
        out = cli(*command, "--rpc-url", url, "--chain-id", "1337")
        assert out.returncode == 2 and "--rpc-url" in one_line_error(out), (command, url)
        command = commands[(i + 1) % len(commands)]
        out = cli(*command, "--gateway", url)
        assert out.returncode == 2 and "--gateway" in one_line_error(out), (command, url)


def test_tampered_metadata_block(cli: Cli) -> None:
    path = block_path(cli, 5)
    original = path.read_bytes()
    try:
        path.write_bytes(original.replace(b"test", b"TEST"))
        code, report = cli.json("verify", "5")
        assert (code, report["verdict"]) == (1, "tampered")
        assert report["checks"][-1]["name"] == "metadata"
        code, audit = cli.json("audit")
        assert code == 1 and audit["counts"] == {"authentic": 5, "tampered": 1}
    finally:
        path.write_bytes(original)


def test_missing_content_is_unverifiable(cli: Cli) -> None:
    path = block_path(cli, 2)
    moved = path.with_suffix(".away")
    path.rename(moved)
    try:
        code, report = cli.json("verify", "2")
        assert (code, report["verdict"]) == (3, "unverifiable")
    finally:
        moved.rename(path)


def test_wrong_issuer_is_counterfeit(cli: Cli) -> None:
    code, report = cli.json("verify", "1", "--issuer", dev_account(4).address)
    assert (code, report["verdict"]) == (1, "counterfeit")
    assert report["checks"][-1]["name"] == "issuer"


def test_lookalike_by_another_account_is_counterfeit(cli: Cli) -> None:
    project = Project(cli.cwd)
    record = load_record(project.deployment_path("development"))
    state = json.loads((project.chain_dir / "chain.json").read_text())
    chain = Chain(state["url"], 1337)
    forger = dev_account(9)
    fake = deploy(chain, forger, plan_for_project(project.load_config(),
                                                  Manifest.load(project.manifest_path), forger.address),
                  "fake", project.journal_dir / "fake.json", cli.cwd / "fake-record.json")
    code, report = cli.json("verify", "1", "--contract", fake.address)
    assert (code, report["verdict"]) == (1, "counterfeit")
    assert [c["name"] for c in report["checks"]] == ["contract", "runtime_code", "issuer"]
    assert fake.address != record.address


def test_an_account_is_not_the_contract(cli: Cli) -> None:
    code, report = cli.json("verify", "1", "--contract", dev_account(5).address)
    assert (code, report["verdict"]) == (1, "counterfeit")
    assert report["checks"][0]["name"] == "contract"


def test_chain_down_is_unverifiable(cli: Cli, tmp_path: Path) -> None:
    record = load_record(Project(cli.cwd).deployment_path("development"))
    outside = Cli(tmp_path, cli.env)
    args = ("verify", "1", "--contract", record.address, "--issuer", record.issuer,
            "--rpc-url", f"http://127.0.0.1:{free_port()}", "--gateway", "http://127.0.0.1:9")
    code, report = outside.json(*args, "--chain-id", "1337")
    assert (code, report["verdict"]) == (3, "unverifiable")
    assert "does not answer" in report["checks"][0]["detail"]
    # Without the chain it must be on, a copy on a test network (same issuer nonce, same
    # address) would pass for the real one: a usage error, found by a new user's trial.
    out = outside(*args)
    assert out.returncode == 2 and "give --chain-id" in one_line_error(out)


def test_a_picture_with_the_chain_down_could_not_be_checked(cli: Cli, tmp_path: Path) -> None:
    """A customer's picture when the chain does not answer: its first line says it could not be
    checked because the chain cannot be read, not that it "matches no token" (read as "not an
    item"); exit 3."""
    record = load_record(Project(cli.cwd).deployment_path("development"))
    picture = tmp_path / "screenshot.png"
    shutil.copy(Path(cli.cwd) / "build" / "images" / "1.png", picture)
    out = Cli(tmp_path, cli.env)("verify-file", str(picture), "--contract", record.address,
                                 "--issuer", record.issuer, "--chain-id", "1337",
                                 "--rpc-url", f"http://127.0.0.1:{free_port()}",
                                 "--gateway", "http://127.0.0.1:9")
    assert out.returncode == 3, out.stderr
    first = " ".join(out.stdout.split("\ncollection ")[0].split())  # as wrapped to any width
    assert first == (f"{picture} could not be checked now: the chain cannot be read (try again "
                     "later)"), out.stdout
    assert "matches no token" not in out.stdout and "UNVERIFIABLE" in out.stdout


def test_a_picture_with_the_content_out_of_reach_says_so() -> None:
    report = Report(None, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
    report.passed("contract", "the official contract")
    report.failed("image_match", "cannot check: the gateway does not answer",
                  Verdict.UNVERIFIABLE, "cannot_check")
    assert _file_headline(report) == ("could not be checked now: the collection's content "
                                      "cannot be read (try again later)")


def test_user_mistakes_are_one_line(cli: Cli, tmp_path: Path) -> None:
    out = cli("verify", "1", "--network", "nope")
    assert out.returncode == 2 and "unknown network 'nope'" in one_line_error(out)
    out = cli("verify", "1", "--contract", "0x1234")
    assert out.returncode == 2 and "not an Ethereum address" in one_line_error(out)
    out = cli("verify-file", str(tmp_path / "missing.png"))
    assert out.returncode == 2 and "does not exist" in one_line_error(out)
    out = cli("mint", "--airdrop", str(tmp_path / "missing.csv"))
    assert out.returncode == 2 and "does not exist" in one_line_error(out)
    out = cli("mint", "--to", "0xnot", "--count", "1")
    assert out.returncode == 2 and "not an Ethereum address" in one_line_error(out)
    out = cli("mint", "--to", CUSTOMER, "--count", "-1")
    assert out.returncode == 2 and "--count" in one_line_error(out)
    (tmp_path / "plain").write_text("a file, not a folder")
    out = cli("audit", "--report", str(tmp_path / "plain" / "audit.json"))
    assert out.returncode == 2 and "cannot write the report" in one_line_error(out)
    out = cli("demo", "--dir", str(cli.cwd))
    assert out.returncode == 2 and "not empty" in one_line_error(out)
    out = Cli(tmp_path, cli.env)("verify", "1")
    assert out.returncode == 2 and "--contract" in one_line_error(out)
    out = cli("mint", "--to", CUSTOMER, "--count", "1", "--network", "development", "--rpc-url",
              f"http://127.0.0.1:{free_port()}", "--chain-id", "1337")
    assert out.returncode == 3 and "does not answer" in one_line_error(out)


def test_node_refusal_is_its_message_only(cli: Cli) -> None:
    url = json.loads((Project(cli.cwd).chain_dir / "chain.json").read_text())["url"]
    poor = Cli(cli.cwd, dict(cli.env, NFT_TOOLKIT_PRIVATE_KEY="0x" + "11" * 32))  # no funds
    out = poor("deploy", "--network", "poor", "--rpc-url", url, "--chain-id", "1337", "--json")
    assert out.returncode == 3
    line = one_line_error(out)  # --json: no progress lines, only the error
    assert "insufficient funds" in line and "stack" not in line and "{" not in line


def test_second_deploy_is_refused(cli: Cli) -> None:
    out = cli("deploy")
    assert out.returncode == 2 and "already deployed" in one_line_error(out)


def test_verify_file_finds_the_token(cli: Cli, tmp_path: Path) -> None:
    picture = tmp_path / "shown.png"
    shutil.copy(Project(cli.cwd).images_dir / "4.png", picture)
    code, report = cli.json("verify-file", str(picture))
    assert (code, report["verdict"], report["token_id"]) == (0, "authentic", 4)
    assert (report["similarity"], report["transform"]) == (1.0, None)
    stranger = tmp_path / "stranger.png"
    stranger.write_bytes(tiny_png(999))
    code, report = cli.json("verify-file", str(stranger))
    assert (code, report["verdict"], report["token_id"]) == (1, "not_an_item", None)
    assert report["checks"][-1]["name"] == "image_match" and report["transform"] is None
    # the index was found from the chain: deploy set contractURI to the JSON that names it
    assert "too small to tell" in report["checks"][-1]["detail"]
    assert report["too_small"] == {"shown": 8, "needed": 32} and report["candidates"] == []
    out = cli("verify-file", str(stranger))
    assert out.returncode == 1 and "is token" not in out.stdout
    # too small to tell is said as such, with what would do: "no item" would be a guess
    assert out.stdout.startswith(f"{stranger} is too small to tell what it shows (8 pixels")
    assert "at least 32 pixels on each side" in out.stdout and "would do" not in out.stdout
    assert "TOO SMALL TO TELL" in out.stdout and "NOT AN ITEM" not in out.stdout


def test_audit_writes_a_report(cli: Cli) -> None:
    code, summary = cli.json("audit")
    assert code == 0 and summary["counts"] == {"authentic": 6}
    report = json.loads(Path(summary["report"]).read_text())
    assert [t["token_id"] for t in report["tokens"]] == list(range(1, 7))


def test_chain_restart_keeps_the_collection(cli: Cli) -> None:
    assert cli("chain", "status").returncode == 0
    assert cli("chain", "stop").returncode == 0
    assert cli("chain", "status").returncode == 3
    code, report = cli.json("verify", "1")
    assert (code, report["verdict"]) == (3, "unverifiable")
    assert cli("chain", "start").returncode == 0
    code, report = cli.json("verify", "6")
    assert (code, report["verdict"]) == (0, "authentic")


def test_a_copy_is_headlined_as_one() -> None:
    """What people read first for a copy (the verdict itself: tests/verify/test_copies.py)."""
    report = Report(7, "0x5FbDB2315678afecb367f032d93F642f64180aa3", verdict=Verdict.COPY,
                    similarity=0.97, transform="screenshot")
    assert _file_headline(report) == "is a copy of token 7 (screenshot), not its file"
    report.verdict = Verdict.NOT_MINTED  # a copy of a token never minted is still no file of it
    assert _file_headline(report) == ("is a copy of token 7 (screenshot), not its file, but "
                                      "token 7 is not minted")
    assert Verdict.COPY.exit_code == 1
    # "flipped" is the copies code's word for a mirror image and for a quarter turn alike: a
    # picture turned 90° must not be said to be only flipped
    report.transform = "flipped"
    assert "(flipped or rotated)" in _file_headline(report)


def test_the_file_of_a_token_never_minted_is_not_headlined_as_the_token() -> None:
    """The exact image file of token 20, never minted: the first line people read must not be
    the positive "is token 20" (a customer's trial: it preceded NOT MINTED)."""
    report = Report(20, "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                    verdict=Verdict.NOT_MINTED)
    assert _file_headline(report) == "is the image file of token 20, but token 20 is not minted"
    report.verdict = Verdict.TAMPERED
    assert _file_headline(report).endswith("but token 20 is tampered with")
    report.verdict, report.similarity = Verdict.AUTHENTIC, 1.0
    assert _file_headline(report) == "is token 20"


def test_outside_a_project_every_missing_option_is_named_at_once(tmp_path: Path) -> None:
    """A customer outside any project learns everything verify-file needs in one line, not one
    failed run (exit 2) per option."""
    picture = tmp_path / "item.png"
    picture.write_bytes(tiny_png(5))
    outside = Cli(tmp_path)
    line = one_line_error(out := outside("verify-file", str(picture)))
    assert out.returncode == 2
    for option in ("--contract", "--issuer", "--chain-id", "--rpc-url", "--gateway"):
        assert line.count(option) == 1, (option, line)
    line = one_line_error(outside("verify", "1", "--contract",
                                  "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--rpc-url",
                                  "http://127.0.0.1:9"))
    assert "--contract" not in line and "--rpc-url" not in line
    for option in ("--issuer", "--chain-id", "--gateway"):
        assert line.count(option) == 1, (option, line)
