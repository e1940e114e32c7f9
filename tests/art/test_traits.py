"""Trait spaces: capacity under exclusions (against brute force), draws, unique plans."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from nft_toolkit.art.traits import Layer, Trait, TraitSpace


@st.composite
def spaces(draw: st.DrawFn) -> TraitSpace:
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    layers = tuple(Layer(f"L{i}", tuple(Trait(f"t{j}", draw(st.sampled_from([1, 2.5, 10])))
                                        for j in range(n))) for i, n in enumerate(sizes))
    ref = st.integers(0, len(sizes) - 1).flatmap(
        lambda i: st.tuples(st.just(i), st.integers(0, sizes[i] - 1)))
    pairs = draw(st.lists(st.tuples(ref, ref).filter(lambda p: p[0][0] != p[1][0]),
                          max_size=6))
    return TraitSpace(layers, tuple(pairs))


def brute_force(space: TraitSpace) -> list[tuple[int, ...]]:
    ranges = [range(len(layer.traits)) for layer in space.layers]
    return [c for c in itertools.product(*ranges) if space.allowed(c)]


@settings(max_examples=150, deadline=None)
@given(spaces())
def test_capacity_counts_the_allowed_combinations(space: TraitSpace) -> None:
    assert space.capacity() == len(brute_force(space))


@settings(max_examples=60, deadline=None)
@given(spaces(), st.integers(0, 2**32))
def test_a_full_plan_uses_every_allowed_combination_once(space: TraitSpace, seed: int) -> None:
    allowed = brute_force(space)
    plan = space.plan(seed, range(1, len(allowed) + 1))
    assert sorted(plan.values()) == sorted(allowed)


def test_draws_depend_on_seed_and_id_only() -> None:
    space = TraitSpace((Layer("A", tuple(Trait(str(i)) for i in range(50))),
                        Layer("B", tuple(Trait(str(i)) for i in range(50)))))
    a = space.plan(1, range(1, 101))
    b = space.plan(1, range(1, 51))
    assert all(a[i] == b[i] for i in b)  # a longer run does not change earlier items
    assert space.plan(2, range(1, 101)) != a


def test_weights_shape_the_draws() -> None:
    space = TraitSpace((Layer("A", (Trait("rare", 1), Trait("common", 99))),))
    draws = [space.draw(0, i, 0)[0] for i in range(2000)]
    assert 5 <= draws.count(0) <= 45  # about 20 expected
