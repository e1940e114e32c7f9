"""The declared public API: each package's ``__all__``, held here (as httpx's
tests/test_exported_members.py holds its own), and the README's verification from Python, run.

Adding a public name is a change to this file; removing one is a breaking change.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PUBLIC = {
    "nft_toolkit": [
        "Chain", "Cid", "CollectionConfig", "ImportOptions", "NftToolkitError", "Project",
        "Report", "Trust", "Verdict", "__version__", "audit", "compute_cid", "load_config",
        "verify_token"],
    "nft_toolkit.verify": [
        "AuditReport", "ChainReader", "Check", "ContentReader", "ContractFacts", "IpfsContent",
        "Report", "Setup", "TokenResult", "Trust", "Verdict", "Web3Reader", "audit", "identify",
        "setup", "trust_from_manifest", "verify_token"],
    "nft_toolkit.chain": [
        "Chain", "DEVELOPMENT", "DEV_CHAIN_ID", "DeployPlan", "LocalChain", "MintResult",
        "Minter", "Network", "Signer", "deploy", "deploy_project", "dev_account", "from_env",
        "from_keystore", "load_airdrop", "load_networks", "network_for", "open_chain",
        "plan_for_project", "project_minter", "resolve_network"],
    "nft_toolkit.ipfs": [
        "BlockSource", "BlockStore", "Cid", "DEFAULT_PROFILE", "Entry", "Gateway", "GatewaySource",
        "ImportOptions", "Importer", "KuboRpcSource", "Manifest", "PROFILES", "compute_cid",
        "prepare", "provenance_hash", "read_car", "read_file", "resolve_path", "same_cid",
        "write_car"],
    "nft_toolkit.ipfs.pinning": [
        "BACKENDS", "PinBackend", "PinResult", "PinTarget", "RateLimit", "RetryPolicy",
        "make_backend"],
    "nft_toolkit.art": [
        "GenerationResult", "Layer", "LayerSet", "RarityReport", "Trait", "TraitSpace",
        "animal_of", "contact_sheet", "contract_metadata", "element_of", "load_layer_set",
        "token_metadata"],
    "nft_toolkit.cli": ["main"],
}
# Modules each package's docstring declares internal.
INTERNAL = {
    "nft_toolkit.verify": ["creation"],
    "nft_toolkit.chain": ["pending", "revert"],
    "nft_toolkit.ipfs": ["dagpb", "hamt", "folders", "uri"],
    "nft_toolkit.art": ["render", "names", "sample_layers"],
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_each_package_exports_exactly_its_public_names(package: str) -> None:
    module = __import__(package, fromlist=["__all__"])
    assert sorted(module.__all__) == sorted(PUBLIC[package])
    assert len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        value = getattr(module, name)
        # a public function, never the submodule that happens to share its name
        assert not isinstance(value, types.ModuleType), f"{package}.{name}"
        if name != "__version__" and hasattr(value, "__module__"):
            assert value.__module__.startswith("nft_toolkit."), f"{package}.{name}"
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError):
        getattr(module, "no_such_name")


@pytest.mark.parametrize("package", sorted(INTERNAL))
def test_each_package_names_its_internal_modules(package: str) -> None:
    doc = __import__(package, fromlist=["__doc__"]).__doc__ or ""
    internal = doc[doc.index("Internal"):]
    for name in INTERNAL[package]:
        assert f"{package}.{name}" in internal, name


def test_public_functions_are_the_functions_after_their_modules_load() -> None:
    """`audit` and `identify` share their modules' names: the package attribute stays the function."""
    import nft_toolkit.verify.audit  # noqa: F401  (the submodule loaded first)
    from nft_toolkit import verify
    from nft_toolkit.verify.audit import audit
    from nft_toolkit.verify.identify import identify

    assert verify.audit is audit and verify.identify is identify


def test_the_lazy_packages_do_not_import_web3() -> None:
    """Importing the top-level, chain, ipfs and art packages (and reading their light names) loads
    no web3: `nft-toolkit --version` and `cid` stay fast (tests/cli/test_startup.py)."""
    code = ("import sys, nft_toolkit, nft_toolkit.chain, nft_toolkit.ipfs, nft_toolkit.art\n"
            "nft_toolkit.__version__; nft_toolkit.ipfs.ImportOptions; nft_toolkit.chain.Network\n"
            "nft_toolkit.art.animal_of; nft_toolkit.Cid\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('web3', 'eth_account')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def readme_python_block() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- verify-from-python -->\n```python\n(.*?)```", text, re.S)
    assert match, "README: the verify-from-python block"
    return match.group(1)


def test_the_readme_verifies_a_token_from_python(tmp_path: Path) -> None:
    """The README's block, as written, on a deployed and minted collection served by a gateway."""
    from nft_toolkit.chain.accounts import dev_account
    from nft_toolkit.chain.client import Chain
    from nft_toolkit.chain.local import DEV_CHAIN_ID
    from nft_toolkit.chain.minter import Minter
    from nft_toolkit.ipfs.gateway import Gateway
    from nft_toolkit.ipfs.store import BlockStore
    from nft_toolkit.journal import Journal
    from tests.support.harness import LocalChainProcess, deployed_project

    local = LocalChainProcess(tmp_path / "home")
    url = local.start()
    try:
        project, record = deployed_project(tmp_path / "official", url, max_supply=8)
        Minter(Chain(url, DEV_CHAIN_ID), dev_account(0), record.address,
               Journal(project.journal_dir / "mint-development.jsonl")).mint(
            [(dev_account(1).address, 7)], batch_size=7)
        with Gateway(BlockStore(project.store_dir)) as gw:
            out = io.StringIO()
            namespace = {"rpc_url": url, "chain_id": DEV_CHAIN_ID, "gateway": gw.url,
                         "contract": record.address, "issuer": record.issuer}
            with contextlib.redirect_stdout(out):
                exec(compile(readme_python_block(), "README.md", "exec"), namespace)
        assert out.getvalue().splitlines() == ["authentic", "[]"]
        assert namespace["report"].token_id == 7  # type: ignore[union-attr]
    finally:
        local.stop()
