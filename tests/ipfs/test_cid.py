"""CIDs: one parser, one writer, compared by what they address (ipfs/cid.py, ipfs/uri.py).

The fast path for the two forms `ipfs add` prints must agree with the `multiformats` library on
every text, and a CID written in any multibase the library knows must compare equal to its
CIDv0 (same codec and multihash), whatever its text.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from multiformats import CID as MfCID
from multiformats import multibase

from nft_toolkit.errors import InputError
from nft_toolkit.ipfs.cid import DAG_PB, RAW, Cid, _fast_parse, is_cid, same_cid
from nft_toolkit.ipfs.uri import ipfs_dir_cid, ipfs_file_cid

V0 = Cid.make(0, DAG_PB, hashlib.sha256(b"Year of the Horse").digest())
# what multiformats 0.3 lists but cannot write as text: identity (binary), base256emoji (no codec)
UNWRITABLE = {"identity", "base256emoji"}


def _writable_bases() -> list[str]:
    names = [e.name for e in multibase.table()]
    assert UNWRITABLE <= set(names)  # a library upgrade that writes them should be noticed
    return [name for name in names if name not in UNWRITABLE]


@pytest.mark.parametrize("base", _writable_bases())
def test_every_multibase_names_the_same_content(base: str) -> None:
    text = V0.to_v1().encode(base)
    assert Cid.parse(text) == V0.to_v1() and is_cid(text)
    assert same_cid(text, str(V0)) and same_cid(text, V0) and same_cid(str(V0.to_v1()), text)
    raw_twin = Cid.make(1, RAW, V0.digest).encode(base)  # same multihash, other codec
    assert not same_cid(text, raw_twin)


def test_a_cidv0_has_one_text() -> None:
    assert V0.encode("base58btc") == str(V0)
    with pytest.raises(ValueError, match="base58btc only"):
        V0.encode("base32")


@given(digest=st.binary(min_size=32, max_size=32), version=st.sampled_from([0, 1]),
       codec=st.sampled_from([DAG_PB, RAW]))
def test_fast_text_is_the_librarys(digest: bytes, version: int, codec: int) -> None:
    cid = Cid.make(version, DAG_PB if version == 0 else codec, digest)
    library = MfCID.decode(cid.raw)
    assert str(cid) == (library.encode("base32") if version == 1 else str(library))
    assert Cid.parse(str(cid)) == cid and _fast_parse(str(cid)) == cid


@given(text=st.one_of(
    st.text(alphabet="123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", min_size=44,
            max_size=44).map(lambda t: "Qm" + t),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=58,
            max_size=58).map(lambda t: "b" + t),
    st.binary(min_size=32, max_size=32).map(lambda d: "bafybei" + str(Cid.make(1, DAG_PB, d))[7:])))
def test_fast_parse_takes_nothing_the_library_refuses(text: str) -> None:
    """Whatever the fast path takes, multiformats takes too, as the same CID."""
    fast = _fast_parse(text)
    if fast is not None:
        assert fast.raw == bytes(MfCID.decode(text))
    try:
        parsed = Cid.parse(text)
    except InputError:
        assert fast is None
    else:
        assert parsed.raw == bytes(MfCID.decode(text))


def test_a_link_must_be_a_sha256_cid() -> None:
    assert Cid.from_raw(V0.raw) == V0 and Cid.from_raw(V0.to_v1().raw) == V0.to_v1()
    sha512_lookalike = b"\x01\x70\x13\x40" + bytes(32) + V0.digest  # ends in V0's digest
    for raw in (sha512_lookalike, V0.raw[:-1], b"\x01\x71" + V0.raw, b""):
        with pytest.raises(ValueError):
            Cid.from_raw(raw)


def _base64url_with_dash_or_underscore() -> str:
    for i in range(1000):
        text = Cid.make(1, DAG_PB, hashlib.sha256(b"%d" % i).digest()).encode("base64url")
        if "-" in text or "_" in text:
            return text
    raise AssertionError("no base64url CID with - or _ in 1000 tries")


@pytest.mark.parametrize("cid", [str(V0), str(V0.to_v1()), V0.to_v1().encode("base32upper"),
                                 V0.to_v1().encode("base36"), _base64url_with_dash_or_underscore()])
def test_ipfs_uris_in_any_path_safe_multibase(cid: str) -> None:
    assert ipfs_dir_cid(f"ipfs://{cid}/") == cid and ipfs_file_cid(f"ipfs://{cid}") == cid
    assert ipfs_dir_cid(f"ipfs://{cid}") is None and ipfs_file_cid(f"ipfs://{cid}/") is None


@pytest.mark.parametrize("uri", [
    f"ipfs://{V0}\n", f"ipfs://{V0}/\n", f"ipfs://{V0}?x", f"ipfs://{V0}#f", f"ipfs://{V0}/a",
    f"ipfs://{V0} ", f"ipfs:// {V0}", f"https://{V0}", "ipfs://", "ipfs:///", "ipfs://Qm/",
    f"ipfs://{V0}x/", f"IPFS://{V0}/",
])
def test_not_an_ipfs_cid_uri(uri: str) -> None:
    """A trailing newline, a path, query, fragment or space, another scheme, or no CID: None."""
    assert ipfs_dir_cid(uri) is None and ipfs_file_cid(uri) is None
