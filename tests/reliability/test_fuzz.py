"""Hostile input, fuzzed with hypothesis: never a traceback, never a hang, never a partial write.

In process (fast): collection.yaml through `load_config` and `generate`; metadata JSON served as
IPFS content to the verifier (huge, deeply nested, wrong types, invalid UTF-8); CIDs and
``ipfs://`` URIs; addresses; airdrop CSV files; CLI argument vectors through click's CliRunner.
Each input either works or ends in the package's own error (exit code 2 or 3, one ``error:``
line on stderr); each example runs under an alarm, so a hang fails instead of blocking. The
`slow` marker runs the same properties with ten times the examples.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from eth_utils import to_checksum_address
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nft_toolkit.chain.airdrop import read_airdrop
from nft_toolkit.chain.client import checksum
from nft_toolkit.cli import main
from nft_toolkit.config import load_config
from nft_toolkit.errors import NftToolkitError
from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.importer import Importer, ImportOptions
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, verify_token
from tests.support.collection import tiny_png
from tests.support.stated import CONTRACT, ISSUER, OWNER, StatedChain

EXAMPLES = int(os.environ.get("NFT_TOOLKIT_FUZZ_EXAMPLES", "150"))
SLOW_FACTOR = 10
EXIT_CODES = {0, 1, 2, 3}  # DESIGN.md; click's usage errors are 2


def fuzz(factor: int = 1, n: int | None = None):  # type: ignore[no-untyped-def]
    return settings(max_examples=(n or EXAMPLES) * factor, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), derandomize=True)


@contextmanager
def bounded(seconds: int = 20) -> Iterator[None]:
    """Fails the example (instead of hanging the suite) after `seconds`."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s: a hang")
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    """A failed command's stderr: one `error:` line (click's usage errors: `Error:` after usage)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}")
    err = result.stderr.strip()
    assert "Traceback" not in err, err
    if result.exit_code == 2 and "Usage:" in err:  # click's own usage error
        assert err.splitlines()[-1].startswith("Error: "), err
        return err.splitlines()[-1]
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and err.splitlines()[-1] == lines[0], err
    return lines[0]


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")} if path.exists() else set()


# -- collection.yaml --------------------------------------------------------------------------

KEYS = ["name", "symbol", "year", "size", "seed", "description", "external_url", "image_size",
        "theme", "layers", "royalty", "contract", "ipfs", "zodiac", "extra_metadata", "bogus"]
SUB = {"royalty": ["receiver", "bps"],
       "contract": ["non_transferable", "transfer_policy", "hold_days", "max_supply", "freeze"],
       "ipfs": ["backend", "profile", "cid_version", "kubo_api", "pinning_service_url", "pinning_token_env",
                "requests_per_minute", "requests_burst", "pin_items"],
       "layers": ["dir", "order", "exclusions", "one_of_ones", "options", "background",
                  "configurations"],
       "zodiac": ["animals", "card_language", "attributes"]}
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                    st.text(max_size=40), st.sampled_from(["zodiac", "local", "kubo", "gift_after_hold", "0x" + "ab" * 20,
                                                           "2026", "../../etc", "~", "\x00"]))
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                      | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=12)


@st.composite
def configs(draw) -> str:  # type: ignore[no-untyped-def]
    """A collection.yaml: mostly the real keys with hostile values, sometimes raw text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=300))
    doc = {"name": "Horse", "symbol": "HRS", "year": 2026, "size": 3}
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=6)):
        if key in SUB and draw(st.booleans()):
            doc[key] = {k: draw(values) for k in draw(st.lists(st.sampled_from(SUB[key]), max_size=3))}
        else:
            doc[key] = draw(values)
    return yaml.safe_dump(doc, allow_unicode=True)


def check_config(tmp: Path, text: str) -> None:
    root = tmp / "p"
    root.mkdir(parents=True, exist_ok=True)
    (root / "collection.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    with bounded():
        try:
            load_config(root / "collection.yaml")
            loaded = True
        except NftToolkitError as exc:
            assert exc.exit_code == 2 and "\n" not in str(exc), str(exc)
            loaded = False
    if not loaded:  # the command must fail the same way and write nothing
        before = files_under(root)
        with bounded():
            result = CliRunner().invoke(main, ["generate", "--project", str(root)])
        assert result.exit_code == 2
        one_error_line(result)
        assert files_under(root) == before, "a failed generate left files behind"


@fuzz()
@given(text=configs())
@example(text="name: [unclosed")
@example(text="a: &a [*a, *a]\nb: *a")
@example(text="size: 1e999")
@example(text='name: Horse\nsymbol: HRS\nyear: 2026\nsize: 3\nlayers: {"\\r": 1}\n')
def test_collection_yaml(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    check_config(tmp_path_factory.mktemp("cfg"), text)


@pytest.mark.slow
@fuzz(SLOW_FACTOR)
@given(text=configs())
def test_collection_yaml_more(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    check_config(tmp_path_factory.mktemp("cfg"), text)


# -- metadata JSON as the verifier receives it ------------------------------------------------

def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


hostile_json = st.one_of(
    st.binary(max_size=2000),  # invalid UTF-8 and worse
    values.map(lambda v: json.dumps(v, default=str).encode()),
    st.dictionaries(st.sampled_from(["image", "name", "attributes"]), values, max_size=3)
    .map(lambda d: json.dumps(d, default=str).encode()),
    st.integers(1, 200_000).map(nested),
    st.sampled_from([b'{"image": "ipfs://' + b"Q" * 5000 + b'"}', b'{"image": "ipfs://x/"}',
                     b'{"image": null}', b'{"image": ["ipfs://a"]}', b"\xff\xfe{}",
                     b'{"image": "ipfs://QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"}',
                     b'{"image":' * 50_000]),
)


def check_metadata(tmp: Path, data: bytes, hostile_token: int) -> None:
    """Token `hostile_token`'s metadata is `data`; the other token's is genuine. Verifying either
    token ends in a verdict (never authentic for the hostile one), never an exception."""
    import hashlib

    store = BlockStore(tmp / "blocks")
    importer = Importer(ImportOptions(cid_version=0), sink=store.put)
    folder = tmp / "meta"
    folder.mkdir()
    png = tiny_png(7)
    image = importer.add_bytes(png).cid
    good = json.dumps({"name": "ok", "image": f"ipfs://{image}"}).encode()
    for tid in (1, 2):
        (folder / f"{tid}.json").write_bytes(data if tid == hostile_token else good)
    base = str(importer.add_path(folder).cid)
    provenance = "0x" + hashlib.sha256(hashlib.sha256(png).digest() * 2).hexdigest()
    chain = StatedChain(ContractFacts(ISSUER, True, f"ipfs://{base}/", True, provenance, 2, 2))
    for token in (1, 2):
        with bounded():
            report = verify_token(chain, IpfsContent(store), Trust(CONTRACT, ISSUER, 1337), token)
        if token == hostile_token and data != good:
            assert report.verdict in (Verdict.TAMPERED, Verdict.UNVERIFIABLE), report
        else:  # the genuine token: its own content is right; the provenance rebuild reads both
            assert report.verdict in (Verdict.AUTHENTIC, Verdict.TAMPERED, Verdict.UNVERIFIABLE)


@fuzz()
@given(data=hostile_json, hostile=st.sampled_from([1, 2]))
@example(data=nested(100_000), hostile=1)
@example(data=nested(100_000), hostile=2)
@example(data=b"[1, 2]", hostile=2)
@example(data=b"\xc3\x28", hostile=1)
@example(data=b" " * (1 << 20) + b"{}", hostile=1)
def test_metadata_from_a_gateway(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                 hostile: int) -> None:
    check_metadata(tmp_path_factory.mktemp("meta"), data, hostile)


@pytest.mark.slow
@fuzz(SLOW_FACTOR)
@given(data=hostile_json, hostile=st.sampled_from([1, 2]))
def test_metadata_from_a_gateway_more(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                      hostile: int) -> None:
    check_metadata(tmp_path_factory.mktemp("meta"), data, hostile)


# -- base URIs and token URIs as a chain states them ------------------------------------------

uris = st.one_of(st.text(max_size=120),
                 st.builds(lambda c, tail: f"ipfs://{c}{tail}", st.text(max_size=70),
                           st.sampled_from(["/", "", "//", "/../", "/1.json", "?x=/"])),
                 st.sampled_from(["ipfs:///", "ipfs://" + "Q" * 46 + "/", "https://example.com/",
                                  "ipfs://QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG/",
                                  "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/"]))


def check_uris(store: BlockStore, base_uri: str, token_uri: str) -> None:
    with bounded(10):
        report = verify_token(StatedChain(ContractFacts(ISSUER, True, base_uri, True, "0x" + "11" * 32, 2, 2),
                                         token_uri=token_uri), IpfsContent(store),
                              Trust(CONTRACT, ISSUER, 1337), 1)
    assert report.verdict in (Verdict.TAMPERED, Verdict.UNVERIFIABLE), report


@fuzz(n=EXAMPLES)
@given(base=uris, uri=uris)
def test_base_and_token_uris(tmp_path_factory: pytest.TempPathFactory, base: str, uri: str) -> None:
    check_uris(BlockStore(tmp_path_factory.mktemp("uri")), base, uri)


@pytest.mark.slow
@fuzz(SLOW_FACTOR, n=EXAMPLES)
@given(base=uris, uri=uris)
def test_base_and_token_uris_more(tmp_path_factory: pytest.TempPathFactory, base: str,
                                  uri: str) -> None:
    check_uris(BlockStore(tmp_path_factory.mktemp("uri")), base, uri)


# -- CIDs, URIs, addresses --------------------------------------------------------------------

cid_like = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", min_size=40,
            max_size=60).map(lambda t: "Qm" + t),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz234567", min_size=50, max_size=70).map(lambda t: "b" + t),
    st.binary(max_size=40).map(lambda b: "f" + b.hex()),
)


def check_cid(text: str) -> None:
    for parse in (Cid.parse, Cid.coerce):
        with bounded(5):
            try:
                cid = parse(text)
            except NftToolkitError as exc:
                assert exc.exit_code == 2, exc
                continue
        assert isinstance(cid, Cid)


@fuzz(n=4 * EXAMPLES // 3)
@given(text=cid_like)
@example(text="Qm" + "1" * 44)
@example(text="b" + "a" * 58)
@example(text="z" * 10_000)
def test_cids(text: str) -> None:
    check_cid(text)


@pytest.mark.slow
@fuzz(SLOW_FACTOR, n=4 * EXAMPLES // 3)
@given(text=cid_like)
def test_cids_more(text: str) -> None:
    check_cid(text)


@fuzz(n=2 * EXAMPLES)
@given(text=st.one_of(st.text(max_size=60), st.binary(max_size=24).map(lambda b: "0x" + b.hex()),
                      st.text(alphabet="0123456789abcdefABCDEFxX", max_size=44)))
@example(text="0x" + "a" * 40)
@example(text="0X" + "A" * 40)
@example(text="0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266")  # a wrong checksum
@example(text=" 0x" + "0" * 40)
def test_addresses(text: str) -> None:
    try:
        out = checksum(text, "--to")
    except NftToolkitError as exc:
        assert exc.exit_code == 2 and str(exc).startswith("--to ") and "\n" not in str(exc)
        return
    # Accepted: the same 20 bytes, never re-checksummed from a mixed case that was not EIP-55.
    digits = text.strip()[2:]
    assert out == to_checksum_address("0x" + digits) and int(digits, 16) != 0
    assert digits in (digits.lower(), digits.upper()) or out[2:] == digits


# -- airdrop CSV ------------------------------------------------------------------------------

csv_cells = st.one_of(st.text(max_size=12), st.integers(-5, 10**30).map(str),
                      st.sampled_from([OWNER, OWNER.lower(), "0x" + "0" * 40, ISSUER[:-1], "#x", ""]))
csv_text = st.one_of(
    st.binary(max_size=500),
    st.lists(st.lists(csv_cells, max_size=4).map(",".join), max_size=8).map("\n".join)
    .map(lambda t: t.encode("utf-8", "surrogatepass")),
)


def check_airdrop(tmp: Path, data: bytes) -> None:
    path = tmp / "drop.csv"
    path.write_bytes(data)
    with bounded(5):
        try:
            rows = read_airdrop(path)
        except NftToolkitError as exc:
            assert exc.exit_code == 2 and "\n" not in str(exc)
            return
    assert rows and all(n >= 1 and a.startswith("0x") for a, n in rows)


@fuzz(n=2 * EXAMPLES)
@given(data=csv_text)
@example(data=b"address,count\n" + OWNER.encode() + b",1e3\n")
@example(data=OWNER.encode() + b",99999999999999999999999999999999999999999\n")
@example(data=b'"' * 1000)
def test_airdrop_csv(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    check_airdrop(tmp_path_factory.mktemp("csv"), data)


@pytest.mark.slow
@fuzz(SLOW_FACTOR, n=2 * EXAMPLES)
@given(data=csv_text)
def test_airdrop_csv_more(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    check_airdrop(tmp_path_factory.mktemp("csv"), data)


# -- CLI argument vectors ---------------------------------------------------------------------

COMMANDS = [["verify"], ["verify-file"], ["audit"], ["mint"], ["deploy"], ["pin"], ["cid"],
            ["generate"], ["init"], ["chain", "status"]]
OPTIONS = ["--json", "--contract", "--issuer", "--rpc-url", "--chain-id", "--network", "--gateway",
           "--to", "--count", "--airdrop", "--batch-size", "--project", "--backend", "--resume",
           "--abandon", "--again", "--help", "-v", "--keystore", "--confirmations", "--port"]
arg_values = st.one_of(st.text(max_size=20).filter(lambda t: "\x00" not in t),
                       st.integers(-10, 10**20).map(str),
                       st.sampled_from(["http://127.0.0.1:9", "ipfs://x", OWNER, "0x", "-1", "",
                                        "development", "../..", "/dev/null", "1337", "nope"]))
argvs = st.tuples(st.sampled_from(COMMANDS),
                  st.lists(st.one_of(st.sampled_from(OPTIONS), arg_values), max_size=6))


def check_argv(tmp: Path, argv: list[str]) -> None:
    # Never start a chain or a server from a fuzzed vector: the network goes to a closed port.
    argv = [a for a in argv if a not in ("--port",)]
    if argv[0] in ("mint", "deploy"):
        argv += ["--rpc-url", "http://127.0.0.1:9", "--chain-id", "1337"]
    before = files_under(tmp)
    env = {"NFT_TOOLKIT_CHAIN_PORT": "9", "COLUMNS": "120"}
    with bounded(30):
        result = CliRunner().invoke(main, argv, env=env, catch_exceptions=True)
    assert result.exit_code in EXIT_CODES, (argv, result.exit_code, result.exception)
    reports = argv[0] in ("verify", "verify-file", "audit", "chain") and result.exit_code in (1, 3) \
        and result.stdout.strip()  # a verdict or a status, not an error
    if result.exit_code != 0 and not reports:
        one_error_line(result)
    if result.exit_code != 0 and argv[0] != "init":
        assert files_under(tmp) == before, f"{argv} failed and left files behind"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pinned 2-item project (no chain): fuzzed commands get this far and further."""
    from tests.support.collection import build_collection

    root = tmp_path_factory.mktemp("template") / "p"
    build_collection(root, 2)
    return root


def run_vector(tmp: Path, template: Path, vector, in_project: bool) -> None:  # type: ignore[no-untyped-def]
    argv = [*vector[0], *vector[1]]
    if in_project:
        if argv[0] == "generate":
            return  # renders artwork: covered by tests/art, too slow to fuzz here
        shutil.copytree(template, tmp / "p")
        tmp = tmp / "p"
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        check_argv(tmp, argv)
    finally:
        os.chdir(cwd)


@fuzz(n=EXAMPLES // 2)
@given(vector=argvs, in_project=st.booleans())
@example(vector=(["mint"], ["--to", OWNER, "--count", "99999999999999999999"]), in_project=True)
@example(vector=(["verify"], ["99999999999999999999999999", "--contract", OWNER, "--issuer", OWNER]),
         in_project=False)
@example(vector=(["cid"], ["/dev/null"]), in_project=False)
@example(vector=(["verify-file"], ["\r"]), in_project=False)
def test_cli_arguments(tmp_path_factory: pytest.TempPathFactory, template: Path, vector,  # type: ignore[no-untyped-def]
                       in_project: bool) -> None:
    run_vector(tmp_path_factory.mktemp("argv"), template, vector, in_project)


@pytest.mark.slow
@fuzz(SLOW_FACTOR, n=EXAMPLES // 2)
@given(vector=argvs, in_project=st.booleans())
def test_cli_arguments_more(tmp_path_factory: pytest.TempPathFactory, template: Path, vector,  # type: ignore[no-untyped-def]
                            in_project: bool) -> None:
    run_vector(tmp_path_factory.mktemp("argv"), template, vector, in_project)


# -- metadata files that `pin` reads ----------------------------------------------------------

def check_pin(tmp: Path, template: Path, data: bytes) -> None:
    root = tmp / "p"
    shutil.copytree(template, root)
    (root / "build" / "manifest.json").unlink()
    (root / "build" / "metadata" / "2.json").write_bytes(data)
    before = {p: p.read_bytes() for p in (root / "build").rglob("*") if p.is_file()}
    with bounded(30):
        result = CliRunner().invoke(main, ["pin", "--project", str(root), "--json"])
    assert result.exit_code in (0, 2), (result.exit_code, result.exception)
    if result.exit_code:
        one_error_line(result)
        assert not (root / "build" / "manifest.json").exists(), "a failed pin wrote a manifest"
        after = {p: p.read_bytes() for p in (root / "build").rglob("*") if p.is_file()}
        assert after == before, "a failed pin changed the build folder"


@fuzz(n=EXAMPLES // 3)
@given(data=hostile_json)
@example(data=b"[]")
@example(data=b'"just a string"')
@example(data=nested(100_000))
@example(data=b"\xff\xfe")
def test_pin_reads_hostile_metadata(tmp_path_factory: pytest.TempPathFactory, template: Path,
                                    data: bytes) -> None:
    check_pin(tmp_path_factory.mktemp("pin"), template, data)


@pytest.mark.slow
@fuzz(SLOW_FACTOR, n=EXAMPLES // 3)
@given(data=hostile_json)
def test_pin_reads_hostile_metadata_more(tmp_path_factory: pytest.TempPathFactory,
                                         template: Path, data: bytes) -> None:
    check_pin(tmp_path_factory.mktemp("pin"), template, data)
