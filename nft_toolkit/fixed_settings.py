"""collection.yaml's settings that a deployment fixed for good, compared with what the file says
now: a contract's transfer policy and hold are immutable, and `deploy` freezes (or not) only the
contract it deploys, so a file changed after deploy describes a collection that does not exist.
`nft-toolkit check` lists each contradiction (deployment records carry what they fixed)."""

from __future__ import annotations

from typing import Any

from nft_toolkit.deployment import DeploymentRecord


def contradicted_settings(cfg: Any, record: DeploymentRecord) -> list[str]:
    """One line per setting of `cfg` (the collection.yaml config) that `record`'s deployment
    fixed otherwise, each saying what the chain holds and what to do; empty when they agree, or
    for settings a record written by an earlier version does not state."""
    where = f"the deployment on {record.network} at {record.address}"
    undo = ("fixed when it was deployed, forever: set collection.yaml back, or deploy a new "
            "contract (`nft-toolkit deploy --force`)")
    lines: list[str] = []
    policy, hold = cfg.contract.transfer_policy, cfg.contract.hold_days
    if record.transfer_policy is not None and record.transfer_policy != policy:
        lines.append(f"{where} has transfer policy {record.transfer_policy}; collection.yaml says "
                     f"transfer_policy: {policy}; {undo}")
    elif record.hold_days is not None and record.transfer_policy == policy and \
            (record.hold_days or 0) != (hold or 0):
        lines.append(f"{where} holds tokens {record.hold_days} day(s) before a gift; "
                     f"collection.yaml says hold_days: {hold}; {undo}")
    if record.frozen is not None and bool(record.frozen) != bool(cfg.contract.freeze):
        if record.frozen:
            lines.append(f"{where} froze its metadata; collection.yaml says freeze: false, but a "
                         "frozen base URI never thaws: set `freeze: true` back (or deploy a new "
                         "contract, `nft-toolkit deploy --force`)")
        else:
            lines.append(f"{where} was deployed with freeze: false (its base URI can still "
                         "change); collection.yaml now says freeze: true, which `deploy` applies "
                         "only to a contract it deploys: set `freeze: false` back, or deploy a "
                         "new contract (`nft-toolkit deploy --force`)")
    return lines
