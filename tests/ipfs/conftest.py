"""Fixtures of the IPFS tests: Kubo's importer as an oracle; live tests only where configured.

Tests marked ``live("kubo")`` or ``live("pinning-service")`` talk to a real Kubo node or a real
pinning service named in the environment (tests/support/live.py). Without those variables they
are deselected (counted as deselected, not as skipped), so a run never presents them as coverage.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.ipfs.kubo_oracle import KuboOracle
from tests.support.live import LIVE_ENV


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("live")
        if marker is None:
            keep.append(item)
            continue
        needs = LIVE_ENV[marker.args[0]]
        (keep if all(os.environ.get(name) for name in needs) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def kubo() -> Iterator[KuboOracle]:
    oracle = KuboOracle()
    yield oracle
    oracle.close()
