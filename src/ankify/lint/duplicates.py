"""Near-duplicate questions across a project: pairs whose content words are nearly the same
set (Jaccard similarity at least the threshold), found without comparing every pair.

Identical sets are grouped by hashing. The others are found by prefix filtering (Chaudhuri,
Ganti and Kaushik 2006; Bayardo, Ma and Srikant 2007): with each set's words sorted rarest
first, two sets of similarity `t` or more share a word among the first `n - ceil(t·n) + 1`
of the larger, so only sets sharing such a rare word are compared. Template questions ("What
is the value of $x_1$ in case 3?") share only their common words, which sort last, so ten
thousand of them cost ten thousand look-ups, not fifty million comparisons.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence


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
    frequency = Counter(word for index in distinct for word in words[index])
    seen_by: dict[str, list[int]] = defaultdict(list)
    for index in sorted(distinct, key=lambda i: (len(words[i]), i)):
        found = words[index]
        ordered = sorted(found, key=lambda word: (frequency[word], word))
        size = len(ordered)
        prefix = size - math.ceil(threshold * size - 1e-9) + 1
        compared: set[int] = set()
        for word in ordered[:prefix]:
            for other in seen_by[word]:
                if other in compared:
                    continue
                compared.add(other)
                if len(words[other]) < threshold * size:
                    continue
                shared = len(found & words[other])
                similarity = shared / (size + len(words[other]) - shared)
                if similarity >= threshold:
                    later, earlier = max(index, other), min(index, other)
                    kept = best.get(later)
                    if kept is None or (similarity, -earlier) > (kept[1], -kept[0]):
                        best[later] = (earlier, similarity)
        for word in ordered[:prefix]:
            seen_by[word].append(index)
    return sorted((later, earlier, value) for later, (earlier, value) in best.items())
