"""A collection whose base URI names its folder in another multibase verifies like any other.

The contract may hold ``ipfs://<CID>/`` with the CID in base32 upper, base36 or base64url (a
CIDv1 of the pinned CIDv0 folder): verify, audit and verify-file compare CIDs by what they
address (nft_toolkit.ipfs.cid.same_cid), so the pin manifest still applies and every token is
authentic, with no local-build warning.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from nft_toolkit.ipfs.cid import Cid
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.ipfs.store import BlockStore
from nft_toolkit.verify.audit import audit
from nft_toolkit.verify.identify import identify
from nft_toolkit.verify.report import Verdict
from nft_toolkit.verify.sources import ContractFacts, IpfsContent
from nft_toolkit.verify.trust import Trust, trust_from_manifest, verify_token
from tests.support.collection import build_collection
from tests.support.stated import CONTRACT, ISSUER, StatedChain

BASES = ["base32upper", "base36", "base36upper", "base64url", "base58btc", "base16"]


@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory):
    project = build_collection(tmp_path_factory.mktemp("forms") / "c", 4)
    manifest = Manifest.load(project.manifest_path)
    facts = ContractFacts(ISSUER, True, manifest.base_uri, True, manifest.provenance_hash, 4, 4)
    return project, manifest, facts, IpfsContent(BlockStore(project.store_dir))


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("with_manifest", [True, False], ids=["manifest", "chain-only"])
def test_base_uri_in_any_multibase_is_authentic(stated, base: str, with_manifest: bool) -> None:
    project, manifest, facts, content = stated
    folder = Cid.parse(manifest.metadata_cid).to_v1().encode(base)
    assert folder != manifest.metadata_cid
    chain = StatedChain(replace(facts, base_uri=f"ipfs://{folder}/"))
    trust = (trust_from_manifest(CONTRACT, ISSUER, 1337, manifest) if with_manifest
             else Trust(CONTRACT, ISSUER, 1337))
    report = verify_token(chain, content, trust, 2)
    assert report.verdict is Verdict.AUTHENTIC and not report.warnings, report.checks
    assert report.token_uri == f"ipfs://{folder}/2.json"
    audited = audit(chain, content, trust)
    assert audited.verdict is Verdict.AUTHENTIC
    assert [t.verdict for t in audited.tokens] == [Verdict.AUTHENTIC] * 4
    picture = (project.images_dir / "3.png").read_bytes()
    found = identify(chain, content, trust, picture, manifest if with_manifest else None)
    assert (found.verdict, found.token_id) == (Verdict.AUTHENTIC, 3)
