"""What `nft-toolkit check` runs: every rule of :mod:`nft_toolkit.consistency` over a project,
collected as findings instead of stopping at the first, plus what deploy and mint would do.

Nothing here writes a file, signs or sends a transaction: the same rules `pin`, `deploy` and
`mint` enforce where they start, run ahead of time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nft_toolkit.consistency import (Finding, build_ids, check_cap, check_contract_metadata,
                                     check_manifest, check_repin, check_royalty, check_store,
                                     check_unchanged, deployment_records, superseded_records)
from nft_toolkit.chain.minter import plan_batches
from nft_toolkit.deployment import DeploymentRecord
from nft_toolkit.errors import InputError, NftToolkitError
from nft_toolkit.fixed_settings import contradicted_settings
from nft_toolkit.ipfs.manifest import Manifest
from nft_toolkit.project import Project


@dataclass
class Preflight:
    """The findings of a check, and the deployment and mint they describe."""

    findings: list[Finding] = field(default_factory=list)
    deploy: dict[str, Any] | None = None
    mint: dict[str, Any] | None = None
    network: dict[str, Any] | None = None  # name, chain_id, and the deployment when there is one
    issuer: str | None = None  # the deployment's issuer (its record), else the signing account
    signer: str | None = None  # the signing account, when the network was read

    @property
    def ok(self) -> bool:
        """Whether no rule failed (warnings allowed)."""
        return all(f.ok for f in self.findings)

    def rule(self, name: str, fn: Callable[[], str | None]) -> bool:
        """Runs one rule: its detail when it holds, its error's line when it does not."""
        try:
            detail = fn()
        except NftToolkitError as exc:
            self.findings.append(Finding(name, False, str(exc)))
            return False
        self.findings.append(Finding(name, True, detail or "holds"))
        return True

    def warn(self, name: str, detail: str) -> None:
        self.findings.append(Finding(name, True, detail, warning=True))

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.__dict__ for f in self.findings],
                "deploy": self.deploy, "mint": self.mint, "network": self.network,
                "issuer": self.issuer, "signer": self.signer}


def check_build(project: Project) -> Preflight:
    """The rules of `pin` and `deploy` for `project`, and the deployment it would make."""
    out = Preflight()
    cfg = project.load_config()
    cap = cfg.contract.max_supply
    ids: list[int] = []

    def build() -> str:
        ids.extend(build_ids(project))
        return f"token IDs 1..{len(ids)} in build/images and build/metadata, no gap"

    if out.rule("build", build):
        out.rule("cap", lambda: check_cap(len(ids), cap, str(project.config_path)))
    check_fixed_settings(out, project, cfg)
    manifest: Manifest | None = None

    def pinned() -> str:
        nonlocal manifest
        manifest = Manifest.load(project.manifest_path)
        n = check_manifest(manifest, cap, str(project.manifest_path))
        return f"{manifest.base_uri}: tokens 1..{n}, provenance {manifest.provenance_hash[:18]}…"

    if not out.rule("pinned", pinned) or manifest is None:
        return out
    m: Manifest = manifest

    def unchanged() -> str:
        check_unchanged(project, m)
        return "the build is what `pin` computed"

    def content() -> str:
        check_store(project, m)
        return (f"the local store holds 1..{len(m.tokens)}.json and their images; they reproduce "
                "the provenance hash")

    out.rule("build_unchanged", unchanged)
    out.rule("content", content)
    out.rule("contract_metadata", lambda: check_contract_metadata(project, m, cfg.royalty.receiver,
                                                                  cfg.royalty.bps))

    def deployments() -> str:
        warnings = check_repin(project, cfg.contract.freeze, m.base_uri, m.provenance_hash)
        for w in warnings:
            out.warn("deployments", w)
        return "no deployment commits to other content"

    out.rule("deployments", deployments)

    def superseded() -> str:
        kept = superseded_records(project)
        for path, rec in kept:
            out.warn("superseded", f"the deployment on {rec.network} at {rec.address} was "
                     f"replaced by `deploy --force` (record kept in {path.relative_to(project.root)}"
                     "): not official; its tokens keep the content it committed to")
        return f"{len(kept)} replaced deployment(s) kept in deployments/history/, not official"

    if project.superseded_record_paths():
        out.rule("superseded", superseded)
    def royalty() -> str:
        check_royalty(project, cfg.royalty.receiver, cfg.royalty.bps)
        return "every recorded deployment pays the royalty collection.yaml states"

    out.rule("royalty", royalty)
    out.deploy = {
        "name": cfg.name, "symbol": cfg.symbol, "year": cfg.year, "max_supply": cap,
        "items": len(m.tokens), "base_uri": m.base_uri, "provenance_hash": m.provenance_hash,
        "contract_uri": f"ipfs://{m.contract_metadata_cid}" if m.contract_metadata_cid else None,
        "royalty_receiver": cfg.royalty.receiver or "the issuer (the deploying account)",
        "royalty_bps": cfg.royalty.bps, "freeze": cfg.contract.freeze,
        "non_transferable": cfg.contract.non_transferable,
        "transfer_policy": cfg.contract.transfer_policy, "hold_days": cfg.contract.hold_days,
    }
    return out


def check_fixed_settings(out: Preflight, project: Project, cfg: Any) -> None:
    """A failed "fixed_settings" finding for each setting collection.yaml now contradicts in a
    recorded deployment (:mod:`nft_toolkit.fixed_settings`), or one held finding."""
    try:
        records: list[DeploymentRecord] = deployment_records(project)
    except NftToolkitError:
        return  # a damaged record: its network's "record" rule names it
    if not records:
        return
    lines = [line for rec in records for line in contradicted_settings(cfg, rec)]
    for line in lines:
        out.findings.append(Finding("fixed_settings", False, line))
    if not lines:
        out.findings.append(Finding("fixed_settings", True, "collection.yaml states the transfer "
                                    "policy and freeze every recorded deployment fixed"))


def check_fresh_mint(out: Preflight, allocations: Sequence[tuple[str, int]],
                     batch_size: int) -> None:
    """Adds the mint that would follow a deployment of the checked build (none yet): IDs from 1,
    within the cap and the items pinned; recipients that are contracts are checked once the
    contract exists (`check` again after deploy)."""
    def mint() -> str:
        if out.deploy is None:
            raise InputError("the build is not ready to deploy, so no mint can be checked")
        total = sum(n for _, n in allocations)
        limit = min(out.deploy["items"], out.deploy["max_supply"])
        if total < 1:
            raise InputError("nothing to mint")
        if total > limit:
            raise InputError(f"minting {total} token(s) into the fresh deployment would reach ID "
                             f"{total}, but only IDs 1..{limit} have content within the cap")
        batches = plan_batches(allocations, 1, batch_size)
        out.mint = {"contract": None, "chain_id": None, "first": 1, "last": total,
                    "count": total, "recipients": len({a for a, _ in allocations}),
                    "transactions": len(batches)}
        return (f"after deploy, would mint IDs 1..{total} to {out.mint['recipients']} "
                f"recipient(s) in {len(batches)} transaction(s)")

    out.rule("mint", mint)


def check_mint(out: Preflight, minter: Any, chain_id: int,
               allocations: Sequence[tuple[str, int]], batch_size: int,
               where: Callable[[int], str] | None = None) -> None:
    """Adds the mint a :class:`~nft_toolkit.chain.minter.Minter` would run now (cap, content
    behind the base URI, recipients) to `out`, without journaling or sending."""
    def mint() -> str:
        plan = minter.draft(chain_id, allocations, batch_size, where)
        out.mint = {"contract": plan.contract, "chain_id": chain_id, "first": plan.first,
                    "last": plan.last, "count": plan.count,
                    "recipients": len({a for a, _ in plan.allocations}),
                    "transactions": len(plan.batches)}
        return (f"would mint IDs {plan.first}..{plan.last} to {out.mint['recipients']} "
                f"recipient(s) in {len(plan.batches)} transaction(s)")

    out.rule("mint", mint)

