"""Random sequences of mint, airdrop, transfer, burn and pause against a model of the ledger.

Invariants after every step: total supply equals the sum of balances and the number of live
tokens; every minted, unburned ID has exactly the owner the model says; no ID is minted twice
(each mint's Transfer events name exactly the next unused IDs); nothing above the cap.

Brownie's own `state_machine` fixture fails in eth-brownie 1.22.2 (its mypyc build rejects
the dynamically created machine class), so this is a plain hypothesis RuleBasedStateMachine on
the Brownie chain, each example isolated by a chain snapshot.
"""

from __future__ import annotations

import brownie
from brownie import ZERO_ADDRESS, chain
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

CAP = 40
holder_ids = st.integers(min_value=0, max_value=3)
quantities = st.integers(min_value=1, max_value=9)
tokens = st.integers(min_value=1, max_value=CAP + 2)


class CollectionLedger(RuleBasedStateMachine):
    contract = issuer = None
    holders: list = []

    def __init__(self):
        super().__init__()
        chain.snapshot()
        self.owner_of: dict[int, str | None] = {}  # None once burned
        self.paused = False

    def teardown(self):
        chain.revert()

    def _expect_mint(self, tx, recipients_quantities):
        next_id = len(self.owner_of) + 1
        expected = []
        for to, quantity in recipients_quantities:
            for token in range(next_id, next_id + quantity):
                assert token not in self.owner_of, "an ID minted twice"
                expected.append((to, token))
                self.owner_of[token] = to
            next_id += quantity
        events = [(e["to"], e["tokenId"]) for e in tx.events["Transfer"]]
        assert all(e["from"] == ZERO_ADDRESS for e in tx.events["Transfer"])
        assert events == expected

    def _mint_allowed(self, total):
        return not self.paused and len(self.owner_of) + total <= CAP

    @rule(holder=holder_ids, quantity=quantities)
    def mint(self, holder, quantity):
        to = self.holders[holder]
        if self._mint_allowed(quantity):
            tx = self.contract.mint(to, quantity, {"from": self.issuer})
            self._expect_mint(tx, [(to, quantity)])
        else:
            with brownie.reverts():
                self.contract.mint(to, quantity, {"from": self.issuer})

    @rule(holder=holder_ids, other=holder_ids, quantity=quantities)
    def airdrop(self, holder, other, quantity):
        pairs = [(self.holders[holder], quantity), (self.holders[other], 1)]
        args = ([p[0] for p in pairs], [p[1] for p in pairs], {"from": self.issuer})
        if self._mint_allowed(quantity + 1):
            self._expect_mint(self.contract.airdrop(*args), pairs)
        else:
            with brownie.reverts():
                self.contract.airdrop(*args)

    @rule(token=tokens, other=holder_ids)
    def transfer(self, token, other):
        owner, to = self.owner_of.get(token), self.holders[other]
        if owner is None:
            with brownie.reverts():
                self.contract.transferFrom(self.holders[0], to, token, {"from": self.holders[0]})
            return
        self.contract.transferFrom(owner, to, token, {"from": owner})
        self.owner_of[token] = to

    @rule(token=tokens)
    def burn(self, token):
        owner = self.owner_of.get(token)
        if owner is None:
            with brownie.reverts():
                self.contract.burn(token, {"from": self.holders[0]})
            return
        self.contract.burn(token, {"from": owner})
        self.owner_of[token] = None

    @rule()
    def toggle_pause(self):
        if self.paused:
            self.contract.unpauseMinting({"from": self.issuer})
        else:
            self.contract.pauseMinting({"from": self.issuer})
        self.paused = not self.paused

    @invariant()
    def ledger_matches(self):
        live = [t for t, o in self.owner_of.items() if o is not None]
        assert self.contract.totalSupply() == len(live)
        assert self.contract.totalSupply() == sum(self.contract.balanceOf(h) for h in self.holders)
        assert self.contract.totalMinted() == len(self.owner_of) <= CAP
        # One call reads every owner (zero once burned); ownerOf agrees on a sample.
        owners = self.contract.ownersInRange(1, CAP + 5)
        assert owners == [self.owner_of[t] or ZERO_ADDRESS for t in range(1, len(self.owner_of) + 1)]
        if live:
            assert self.contract.ownerOf(live[-1]) == self.owner_of[live[-1]]
        assert self.contract.mintingPaused() == self.paused


def test_ledger_invariants_hold(deploy, accounts, issuer):
    CollectionLedger.contract = deploy(cap=CAP)
    CollectionLedger.issuer = issuer
    CollectionLedger.holders = list(accounts[1:5])
    run_state_machine_as_test(CollectionLedger, settings=settings(
        max_examples=15, stateful_step_count=20, deadline=None,
        suppress_health_check=list(HealthCheck)))
