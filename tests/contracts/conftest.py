"""Fixtures of the contract tests: a fresh ZodiacCollection on ganache per test."""

from __future__ import annotations

import pytest

from tests.contracts.params import CAP, FREE, NAME, NON_TRANSFERABLE, ROYALTY_BPS, SYMBOL, YEAR


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    """Every test starts from the same chain snapshot."""


@pytest.fixture(scope="module")
def issuer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def royalty_receiver(accounts):
    return accounts[9]


@pytest.fixture(scope="module")
def deploy(ZodiacCollection, issuer, royalty_receiver):
    def _deploy(cap=CAP, non_transferable=False, sender=None, policy=None, hold_days=0):
        if policy is None:
            policy = NON_TRANSFERABLE if non_transferable else FREE
        return ZodiacCollection.deploy(
            NAME, SYMBOL, YEAR, cap, royalty_receiver, ROYALTY_BPS, policy, hold_days,
            {"from": sender or issuer},
        )
    return _deploy


@pytest.fixture(scope="module")
def collection(deploy):
    return deploy()


@pytest.fixture(scope="module")
def soulbound(deploy):
    return deploy(non_transferable=True)

