"""Near-duplicate questions across a project: pairs whose content words are nearly the same
set (Jaccard similarity at least the threshold), found without comparing every pair.

Identical sets are grouped by hashing. The others are found by prefix filtering (Chaudhuri,
Ganti and Kaushik 2006; Bayardo, Ma and Srikant 2007): with each set's words sorted rarest
first, two sets of similarity `t` or more share a word among the first `n - ceil(t·n) + 1`
of the larger, so only sets sharing such a rare word are compared; and the places of the
words they share bound their overlap before it is counted (PPJoin's positional filter),
leaving few to compare. A set is looked up by its whole prefix, but kept for the sets after
it (no smaller) by its first `n - ceil(2t/(1+t)·n) + 1` words only (PPJoin's indexing
prefix; Xiao, Wang, Lin and Yu 2008). Template questions ("What is the value of $x_1$ in
case 3?") share only their common words, which sort last, so ten thousand of them cost ten
thousand look-ups, not fifty million comparisons.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain


def near_duplicates(
    sets: Sequence[Sequence[str]], threshold: float
) -> list[tuple[int, int, float]]:
    """(later, earlier, similarity) for each set that is nearly the same as an earlier one
    (the most similar, the earliest on ties); empty sets are never duplicates."""
    words = [frozenset(found) for found in sets]
    best: dict[int, tuple[int, float]] = {}
    first: dict[frozenset[str], int] = {}
    distinct: list[int] = []
    for index, found in enumerate(words):
        if not found:
            continue
        earlier = first.setdefault(found, index)
        if earlier != index:
            best[index] = (earlier, 1.0)
        else:
            distinct.append(index)
    frequency = Counter(chain.from_iterable(words[index] for index in distinct))
    # Every word's place in the order sets are sorted by: rarest first, ties by the word.
    order = sorted(frequency, key=lambda word: (frequency[word], word))
    rank = {word: place for place, word in enumerate(order)}
    sizes = [len(found) for found in words]
    ratio = threshold / (1 + threshold)  # overlap / (size + other size) at the threshold
    seen_by: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (set, its word's place)
    for index in sorted(distinct, key=lambda i: (len(words[i]), i)):
        found = words[index]
        ordered = sorted(found, key=rank.__getitem__)
        size = len(ordered)
        prefix = size - math.ceil(threshold * size - 1e-9) + 1
        # The sets come smallest first, so a later set, as large or larger, needs more of
        # this one's words: only its first `indexed` words can be the first it shares.
        indexed = size - math.ceil(2 * ratio * size - 1e-9) + 1
        shared: dict[int, int] = {}  # candidates: the prefix words they share so far
        needs: dict[int, int] = {}  # the overlap a pair needs, by the other set's size
        for place, word in enumerate(ordered[:prefix]):
            after = size - place - 1
            for other, other_place in seen_by[word]:
                count = shared.get(other, 0)
                if count < 0:
                    continue  # pruned
                other_size = sizes[other]
                needed = needs.get(other_size)
                if needed is None:
                    needed = needs[other_size] = math.ceil(ratio * (size + other_size) - 1e-9)
                # Positional filter (PPJoin): the words after these two places bound the
                # overlap; under the overlap the threshold needs, they cannot be duplicates.
                rest = other_size - other_place - 1
                bound = count + 1 + (after if after < rest else rest)
                shared[other] = count + 1 if bound >= needed else -1
        for other, count in shared.items():
            if count < 0:
                continue
            overlap = len(found & words[other])
            similarity = overlap / (size + len(words[other]) - overlap)
            if similarity >= threshold:
                later, earlier = max(index, other), min(index, other)
                kept = best.get(later)
                if kept is None or (similarity, -earlier) > (kept[1], -kept[0]):
                    best[later] = (earlier, similarity)
        for place, word in enumerate(ordered[:indexed]):
            seen_by[word].append((index, place))
    return sorted((later, earlier, value) for later, (earlier, value) in best.items())
