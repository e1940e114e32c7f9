"""Trait spaces and the deterministic choice of each item's traits (its DNA).

An item's traits are drawn from hashes of (seed, token id, attempt) only, never from a shared
random stream, so the choice for token 17 is the same whatever the number of workers or the
order they run in. Attempts are retried while the choice hits an exclusion or repeats an earlier
token's DNA; after :data:`MAX_DRAWS` draws a deterministic walk over the whole space takes over,
so a nearly full space still finishes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

MAX_DRAWS = 64

Choice = tuple[int, ...]  # one trait index per layer


@dataclass(frozen=True)
class Trait:
    """One value of a layer (a file ``Name#weight.png``, or a theme's option)."""

    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class Layer:
    """A trait type: its name (the metadata ``trait_type``) and its possible values."""

    name: str
    traits: tuple[Trait, ...]

    def index(self, trait: str) -> int:
        for i, t in enumerate(self.traits):
            if t.name == trait:
                return i
        raise KeyError(trait)


@dataclass(frozen=True)
class TraitSpace:
    """Layers back to front and pairs of (layer, trait) indices that never appear together.

    Layers in `bypass` (HashLips' bypassDNA) are drawn and described but left out of the DNA
    and of uniqueness: two items that differ only there are the same item.
    """

    layers: tuple[Layer, ...]
    exclusions: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    bypass: frozenset[int] = frozenset()

    def _key(self, choice: Choice) -> Choice:
        """The part of `choice` that makes an item unique (without bypassed layers)."""
        if not self.bypass:
            return choice
        return tuple(t for n, t in enumerate(choice) if n not in self.bypass)

    def product(self) -> int:
        n = 1
        for layer in self.layers:
            n *= len(layer.traits)
        return n

    def allowed(self, choice: Choice) -> bool:
        return not any(choice[a] == ta and choice[b] == tb for (a, ta), (b, tb) in self.exclusions)

    def capacity(self) -> int:
        """How many distinct allowed combinations exist (inclusion-exclusion over exclusions).

        With bypassed layers, the combinations of the others (and their exclusions).

        Subsets of exclusions that fix one layer to two different traits count zero and so do
        all their supersets, which prunes the search to what the exclusions really share.
        """
        if self.bypass:
            kept = [n for n in range(len(self.layers)) if n not in self.bypass]
            where = {n: i for i, n in enumerate(kept)}
            return TraitSpace(tuple(self.layers[n] for n in kept), tuple(
                ((where[a], ta), (where[b], tb)) for (a, ta), (b, tb) in self.exclusions
                if a in where and b in where)).capacity()
        sizes = [len(layer.traits) for layer in self.layers]
        pairs = self.exclusions

        def violating(start: int, fixed: dict[int, int], sign: int) -> int:
            total = 0
            for k in range(start, len(pairs)):
                merged = dict(fixed)
                ok = True
                for layer, trait in pairs[k]:
                    if merged.setdefault(layer, trait) != trait:
                        ok = False
                        break
                if not ok:
                    continue
                free = 1
                for i, n in enumerate(sizes):
                    if i not in merged:
                        free *= n
                total += sign * free + violating(k + 1, merged, -sign)
            return total

        return self.product() - violating(0, {}, 1)

    def describe(self, choice: Choice) -> list[tuple[str, str]]:
        """(trait type, value) per layer."""
        return [(layer.name, layer.traits[i].name) for layer, i in zip(self.layers, choice)]

    def dna(self, choice: Choice) -> str:
        """sha256 hex of the item's trait values (bypassed layers left out): equal DNA means
        an identical item."""
        text = "\n".join(f"{k}={v}" for n, (k, v) in enumerate(self.describe(choice))
                         if n not in self.bypass)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def draw(self, seed: int, token_id: int, attempt: int) -> Choice:
        """The weighted choice for one (seed, token, attempt): independent of any other draw."""
        stream = hashlib.shake_256(f"nft-toolkit/{seed}/{token_id}/{attempt}".encode()).digest(
            8 * len(self.layers))
        choice = []
        for n, layer in enumerate(self.layers):
            u = int.from_bytes(stream[8 * n:8 * n + 8], "big") / 2.0**64
            target = u * sum(t.weight for t in layer.traits)
            acc, pick = 0.0, len(layer.traits) - 1
            for i, trait in enumerate(layer.traits):
                acc += trait.weight
                if target < acc:
                    pick = i
                    break
            choice.append(pick)
        return tuple(choice)

    def _walk(self, seed: int, token_id: int) -> Iterator[Choice]:
        """Every combination once, starting at a hash-derived offset (the fallback)."""
        total = self.product()
        digest = hashlib.sha256(f"nft-toolkit-walk/{seed}/{token_id}".encode()).digest()
        start = int.from_bytes(digest, "big") % total
        sizes = [len(layer.traits) for layer in self.layers]
        for step in range(total):
            index, choice = (start + step) % total, []
            for n in reversed(sizes):
                index, r = divmod(index, n)
                choice.append(r)
            yield tuple(reversed(choice))

    def plan(self, seed: int, token_ids: Sequence[int],
             avoid: frozenset[str] = frozenset()) -> dict[int, Choice]:
        """A unique, allowed choice for each token, deciding in token order, whose DNA is not
        in `avoid` (the DNA of items planned in another layer configuration).

        The caller checks :meth:`capacity` first; a token's choice depends on the seed, its id
        and the DNA taken by lower ids only.
        """
        taken: set[Choice] = set()
        plan: dict[int, Choice] = {}
        for token_id in token_ids:
            found: Choice | None = None
            for attempt in range(MAX_DRAWS):
                choice = self.draw(seed, token_id, attempt)
                if (self._key(choice) not in taken and self.allowed(choice)
                        and (not avoid or self.dna(choice) not in avoid)):
                    found = choice
                    break
            if found is None:
                found = next((c for c in self._walk(seed, token_id)
                              if self._key(c) not in taken and self.allowed(c)
                              and (not avoid or self.dna(c) not in avoid)), None)
                if found is None:
                    raise ValueError(f"token {token_id}: every combination left repeats an "
                                     "item of another layer configuration")
            taken.add(self._key(found))
            plan[token_id] = found
        return plan
