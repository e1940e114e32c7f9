"""Fixtures of the IPFS tests: Kubo's importer as an oracle, seeded content generators."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ipfs.kubo_oracle import KuboOracle


@pytest.fixture(scope="session")
def kubo() -> Iterator[KuboOracle]:
    oracle = KuboOracle()
    yield oracle
    oracle.close()
