"""The IPIP-499 CID profiles, held to the specification's published fixtures.

IPIP-499 (specs.ipfs.tech/ipips/ipip-0499, "Test fixtures") lists, per profile, the CIDs of a
small file, files at and one byte over the chunk size and the DAG width, and folders at and one
byte over the HAMT threshold. Their inputs are those of Kubo's ``test/cli/cid_profiles_test.go``,
which made them: bytes from ChaCha20 (key sha256(seed), zero nonce) and folders of files holding
``x`` named from the same stream over Kubo's ``testutils.AlphabetEasy``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from Crypto.Cipher import ChaCha20  # pycryptodome, installed with eth-account

from nft_toolkit.cli import main
from nft_toolkit.errors import InputError
from nft_toolkit.ipfs.importer import DEFAULT_PROFILE, PROFILES, Importer, ImportOptions
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.publish import prepare, state_royalty
from tests.support.builds import init_project, make_build

KiB, MiB = 1024, 1024 * 1024
ALPHABET = "abcdefghijklmnopqrstuvwxyz01234567890-_"  # Kubo's AlphabetEasy ("0" twice)

V0, V1 = ImportOptions.profile("unixfs-v0-2015"), ImportOptions.profile("unixfs-v1-2025")

# (profile, bytes, seed, CID) from the IPIP's tables.
FILES = [
    ("unixfs-v0-2015", 256 * KiB, "chunk-v0-seed", "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE"),
    ("unixfs-v0-2015", 256 * KiB + 1, "chunk-v0-seed", "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ"),
    ("unixfs-v0-2015", 174 * 256 * KiB, "v0-seed", "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2"),
    ("unixfs-v0-2015", 174 * 256 * KiB + 1, "v0-seed", "QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW"),
    ("unixfs-v1-2025", MiB, "chunk-v1-seed", "bafkreiacndfy443ter6qr2tmbbdhadvxxheowwf75s6zehscklu6ezxmta"),
    ("unixfs-v1-2025", MiB + 1, "chunk-v1-seed", "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64"),
]
# The v1 files at and over the DAG width are 1 GiB each: streamed, in the slow suite.
BIG_FILES = [
    ("unixfs-v1-2025", 1024 * MiB, "v1-2025-seed", "bafybeihmf37wcuvtx4hpu7he5zl5qaf2ineo2lqlfrapokkm5zzw7zyhvm"),
    ("unixfs-v1-2025", 1024 * MiB + 1, "v1-2025-seed", "bafybeibdsi225ugbkmpbdohnxioyab6jsqrmkts3twhpvfnzp77xtzpyhe"),
]
# (profile, files, name length, last name length, CID): at the HAMT threshold, one byte over.
FOLDERS = [
    ("unixfs-v0-2015", 4096, 30, 30, "QmX5GtRk3TSSEHtdrykgqm4eqMEn3n2XhfkFAis5fjyZmN"),
    ("unixfs-v0-2015", 4033, 31, 31, "QmeMiJzmhpJAUgynAcxTQYek5PPKgdv3qEvFsdV3XpVnvP"),
    ("unixfs-v1-2025", 4766, 11, 21, "bafybeic3h7rwruealwxkacabdy45jivq2crwz6bufb5ljwupn36gicplx4"),
    ("unixfs-v1-2025", 4766, 11, 22, "bafybeiegvuterwurhdtkikfhbxcldohmxp566vpjdofhzmnhv6o4freidu"),
]


def _cipher(seed: str) -> ChaCha20.ChaCha20Cipher:
    return ChaCha20.new(key=hashlib.sha256(seed.encode()).digest(), nonce=bytes(12))


def deterministic_bytes(size: int, seed: str) -> bytes:
    """Kubo's ``testutils.DeterministicRandomReader(size, seed)``."""
    return _cipher(seed).encrypt(bytes(size))


class DeterministicStream:
    """The same bytes as a stream, for files too large to hold."""

    def __init__(self, size: int, seed: str) -> None:
        self._cipher, self._left = _cipher(seed), size

    def readinto(self, view: memoryview) -> int:
        n = min(len(view), self._left)
        view[:n] = self._cipher.encrypt(bytes(n))
        self._left -= n
        return n


def file_names(count: int, length: int, last: int, seed: str) -> list[str]:
    """The names of Kubo's ``createDeterministicFiles``: one stream, `length` bytes a name."""
    stream = deterministic_bytes(MiB, seed)
    names, at = [], 0
    for i in range(count):
        n = last if i == count - 1 else length
        names.append("".join(ALPHABET[b % len(ALPHABET)] for b in stream[at:at + n]))
        at += n
    return names


def test_the_profiles_are_the_ipips_parameters() -> None:
    assert list(PROFILES) == ["unixfs-v0-2015", "unixfs-v1-2025"] and DEFAULT_PROFILE == "unixfs-v0-2015"
    assert (V0.cid_version, V0.leaves_raw, V0.chunk_size, V0.max_links, V0.hamt_threshold,
            V0.hamt_estimate, V0.shard_at_threshold) == (0, False, 256 * KiB, 174, 256 * KiB,
                                                         "links-bytes", False)
    assert (V1.cid_version, V1.leaves_raw, V1.chunk_size, V1.max_links, V1.hamt_threshold,
            V1.hamt_estimate, V1.shard_at_threshold) == (1, True, MiB, 1024, 256 * KiB,
                                                         "block-bytes", False)
    assert ImportOptions() == V0 and not V0.hidden and not V1.hidden
    assert ImportOptions.of(None, 0) == V0 and ImportOptions.of("unixfs-v1-2025") == V1
    # cid_version 1 without a profile: Kubo's `ipfs add --cid-version 1`, as before profiles.
    assert ImportOptions.of(None, 1) == ImportOptions(cid_version=1) != V1
    with pytest.raises(ValueError, match="unixfs-v0-2015, unixfs-v1-2025"):
        ImportOptions.profile("unixfs-v2")


@pytest.mark.parametrize("profile, cid", [("unixfs-v0-2015", "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD"),
                                          ("unixfs-v1-2025", "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e")])
def test_small_file_fixture(profile: str, cid: str) -> None:
    assert str(Importer(ImportOptions.profile(profile)).add_bytes(b"hello world").cid) == cid


@pytest.mark.parametrize("profile, size, seed, cid", FILES, ids=lambda v: str(v)[:12])
def test_file_fixtures(profile: str, size: int, seed: str, cid: str) -> None:
    assert str(Importer(ImportOptions.profile(profile)).add_bytes(deterministic_bytes(size, seed)).cid) == cid


@pytest.mark.slow
@pytest.mark.parametrize("profile, size, seed, cid", BIG_FILES, ids=["at-max-links", "over-max-links"])
def test_one_gib_file_fixtures(profile: str, size: int, seed: str, cid: str) -> None:
    stream = DeterministicStream(size, seed)
    assert str(Importer(ImportOptions.profile(profile)).add_stream(stream).cid) == cid  # type: ignore[arg-type]


@pytest.mark.parametrize("profile, count, length, last, cid", FOLDERS, ids=lambda v: str(v)[:12])
def test_folder_fixtures(profile: str, count: int, length: int, last: int, cid: str) -> None:
    importer = Importer(ImportOptions.profile(profile))
    x = importer.add_bytes(b"x")
    names = file_names(count, length, last, f"hamt-{profile}")
    assert len(set(names)) == count
    assert str(importer.add_directory({name.encode(): x for name in names}).cid) == cid


def test_cid_profile_option_on_a_folder_on_disk(tmp_path: Path) -> None:
    """`nft-toolkit cid --profile` on the v1 folder exactly at the threshold, and one over."""
    for _profile, count, length, last, cid in FOLDERS[2:]:
        folder = tmp_path / str(last)
        folder.mkdir()
        for name in file_names(count, length, last, "hamt-unixfs-v1-2025"):
            (folder / name).write_bytes(b"x")
        result = CliRunner().invoke(main, ["cid", "--profile", "unixfs-v1-2025", str(folder)])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == cid


def test_cid_command_names_its_settings(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(deterministic_bytes(MiB + 1, "chunk-v1-seed"))
    runner = CliRunner()
    result = runner.invoke(main, ["cid", "--profile", "unixfs-v1-2025", "--json", str(tmp_path / "f")])
    assert result.exit_code == 0, result.output
    assert '"cid": "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64"' in result.output
    assert '"profile": "unixfs-v1-2025"' in result.output
    result = runner.invoke(main, ["cid", "--json", str(tmp_path / "f")])
    assert '"profile": "unixfs-v0-2015"' in result.output and '"cid_version": 0' in result.output
    result = runner.invoke(main, ["cid", "--profile", "unixfs-v1-2025", "--cid-version", "0",
                                  str(tmp_path / "f")])
    assert result.exit_code == 2 and "contradicts" in result.output


@pytest.mark.parametrize("setting, profile, version", [
    ("profile: unixfs-v1-2025", "unixfs-v1-2025", 1),
    ("profile: unixfs-v0-2015", "unixfs-v0-2015", 0),
    ("profile: null\n  cid_version: 1", None, 1),  # Kubo's `--cid-version 1`, as before profiles
])
def test_pin_imports_with_the_collections_profile(tmp_path: Path, setting: str,
                                                   profile: str | None, version: int) -> None:
    """collection.yaml's ipfs.profile reaches the importer and the manifest, and a later
    re-import (the royalty's contract metadata) uses the manifest's settings."""
    project = init_project(tmp_path / "p")
    text = project.config_path.read_text()
    project.config_path.write_text(text.replace("profile: unixfs-v0-2015", setting, 1))
    result = CliRunner().invoke(main, ["pin", "--project", str(project.root), "--json"])
    assert result.exit_code == 0, result.output
    manifest = Manifest.load(project.manifest_path)
    assert (manifest.profile, manifest.cid_version) == (profile, version)
    options = ImportOptions.of(profile, version)
    for tid, token in manifest.tokens.items():  # images of 900 or 300,000 bytes
        image = (project.images_dir / f"{tid}.png").read_bytes()
        assert token.image_cid == str(Importer(options).add_bytes(image).cid)
    assert manifest.images_cid == str(Importer(options).add_path(project.images_dir).cid)
    if profile == "unixfs-v1-2025":  # one 1 MiB chunk: a raw leaf, where 256 KiB makes two
        assert all(t.image_cid.startswith("bafkrei") for t in manifest.tokens.values())
    receiver = "0x" + "ab" * 20
    target = state_royalty(project, receiver, 500)
    assert target is not None
    assert str(target.cid) == str(Importer(options).add_file(project.contract_metadata_path).cid)


def test_a_manifest_names_a_known_profile(tmp_path: Path) -> None:
    project = make_build(tmp_path / "p")
    prepare(project, 0)
    assert Manifest.load(project.manifest_path).profile == DEFAULT_PROFILE
    doc = json.loads(project.manifest_path.read_text())
    del doc["profile"]  # a manifest pinned before profiles: Kubo's defaults for cid_version
    assert Manifest.from_json(doc).profile is None
    with pytest.raises(InputError, match="unknown CID profile 'unixfs-v9'"):
        Manifest.from_json({**doc, "profile": "unixfs-v9"})
