"""Which new wordings are old questions reworded: pairs of (card, previous note) to keep together.

A card is a reworded note when its question reads like the note's and its answer has not
changed in substance: "What is the mean of a Poisson distribution? / λ" reworded is the same
note, "What is the mode of a Poisson distribution? / ⌊λ⌋" is a new one. How alike two texts
read is their longest common subsequence, as a share of their lengths (the Indel similarity:
2·LCS / (len a + len b), case aside); the question must be `QUESTION_SIMILARITY` alike and the
answer `ANSWER_SIMILARITY` alike when the note's answer is known. A cloze's "answer" is the
words it hides: hiding one more or one fewer keeps it (a highlight moved onto more words),
hiding others does not. The best pairs are taken first.

Comparing every card with every note would take minutes on a big project whose questions were
all reworded, so each card is compared only with the few notes that share the most of its
words, the rarest weighing most (an inverted index of the notes' words), and the common
subsequence is counted with bit-parallel arithmetic (Hyyrö's), a few big-integer steps a
character.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import CardKind

#: How alike a reworded question must be to its previous wording (0..1).
QUESTION_SIMILARITY = 0.72
#: How alike the answer must stay through a rewording, when the previous one is known.
ANSWER_SIMILARITY = 0.8
#: For a cloze: the share of its hidden words kept (a Dice coefficient of the two sets).
CLOZE_SIMILARITY = 0.6
#: For a cloze whose text with blanks is unchanged: how alike its hidden words must stay for
#: it to be the same note ("The capital of {{c1::France}} is {{c2::Paris}}" -> Italy and Rome
#: is a new one).
SAME_TEXT_CLOZE_SIMILARITY = 0.5
#: The notes whose words a card shares most are compared with it, this many at most.
_COMPARED = 4
#: The notes that share its rare words, ranked then by every word they share.
_POOL = 64
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Wording:
    """A card's or a note's question and answer, as shown; the answer is None when unknown.

    `key` is the question as written in markdown, which a note kept by ankify 0.1 is known by
    instead (its `question` is then None).
    """

    kind: CardKind
    question: str | None
    answer: str | None
    key: str


def match_rewordings(cards: Sequence[Wording], notes: Sequence[Wording]) -> list[tuple[int, int]]:
    """(card index, note index) pairs: each card and note in one pair at most, best first."""
    indexes: dict[CardKind, _Index] = {}
    for kind in {note.kind for note in notes}:
        indexes[kind] = _Index([i for i, note in enumerate(notes) if note.kind is kind], notes)
    pairs: list[tuple[float, int, int]] = []
    for card_index, card in enumerate(cards):
        index = indexes.get(card.kind)
        if index is None:
            continue
        shown = (card.question or card.key).casefold()
        written = card.key.casefold()
        for note_index in index.candidates(shown):
            note = notes[note_index]
            question = similarity(
                shown if note.question is not None else written, index.text[note_index]
            )
            if question < QUESTION_SIMILARITY:
                continue
            answer = answer_similarity(card.kind, card.answer, note.answer)
            if answer < (CLOZE_SIMILARITY if card.kind is CardKind.CLOZE else ANSWER_SIMILARITY):
                continue
            pairs.append((question + answer, card_index, note_index))
    taken_cards: set[int] = set()
    taken_notes: set[int] = set()
    chosen = []
    # Best pairs first; ties go to document order so the result never depends on dict order.
    for _, card_index, note_index in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if card_index in taken_cards or note_index in taken_notes:
            continue
        taken_cards.add(card_index)
        taken_notes.add(note_index)
        chosen.append((card_index, note_index))
    return chosen


def similarity(a: str, b: str) -> float:
    """2·LCS(a, b) / (len a + len b): 1.0 for equal texts, 0.0 for texts sharing nothing."""
    if not a and not b:
        return 1.0
    if 2 * min(len(a), len(b)) < QUESTION_SIMILARITY * (len(a) + len(b)) * 0.5:
        return 2 * min(len(a), len(b)) / (len(a) + len(b))  # an upper bound, low enough
    return 2 * _lcs_length(a, b) / (len(a) + len(b))


def _lcs_length(a: str, b: str) -> int:
    """The length of the longest common subsequence, bit-parallel (Allison and Dix, Hyyrö)."""
    masks: dict[str, int] = {}
    for position, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << position)
    full = (1 << len(a)) - 1
    row = full
    for char in b:
        matched = row & masks.get(char, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()


def answer_similarity(kind: CardKind, answer: str | None, previous: str | None) -> float:
    """How alike an answer stayed (1.0 when the previous one is unknown). A cloze's hidden
    words count as kept when most of them are (one more or fewer), or when they read alike (a
    typo fixed: "mitochondria" -> "mitochondrion")."""
    if previous is None or answer is None:
        return 1.0  # a note kept by ankify 0.1 has no answer to compare: the question decides
    answer, previous = answer.casefold(), previous.casefold()
    if answer == previous:
        return 1.0
    if kind is CardKind.CLOZE:
        words, before = _WORD.findall(answer), _WORD.findall(previous)
        shared = len(set(words) & set(before))
        total = len(set(words)) + len(set(before))
        dice = 2 * shared / total if total else 1.0
        # Letters alike, not the delimiters and separators every cloze's answer has.
        return max(dice, similarity(" ".join(words), " ".join(before)))
    return similarity(answer, previous)


class _Index:
    """Some notes (by their positions in `notes`) by the words of their questions."""

    def __init__(self, positions: Sequence[int], notes: Sequence[Wording]) -> None:
        self.text: dict[int, str] = {}
        self.words: dict[int, frozenset[str]] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        for position in positions:
            note = notes[position]
            text = (note.question if note.question is not None else note.key).casefold()
            self.text[position] = text
            self.words[position] = frozenset(_WORD.findall(text))
            for word in self.words[position]:
                postings[word].append(position)
        self.postings = postings
        total = len(positions)
        self.weight = {word: math.log(1 + total / len(found)) for word, found in postings.items()}
        self.unknown = math.log(1 + total)  # a word no note has: as rare as can be
        # A word in more notes than this tells them apart too little to be looked up first.
        self.common = max(32, int(math.sqrt(total)) * 4)

    def candidates(self, question: str) -> list[int]:
        """The notes that share the most of `question`'s words, the rarest weighing most:
        found through its rare words, ranked by all of them."""
        words = set(_WORD.findall(question))
        known = [word for word in words if word in self.postings]
        if not known:
            return []
        rare = [word for word in known if len(self.postings[word]) <= self.common]
        if not rare:  # only common words: the rarest of them finds the notes
            rare = [min(known, key=lambda word: len(self.postings[word]))]
        found: dict[int, float] = defaultdict(float)
        for word in rare:
            for position in self.postings[word]:
                found[position] += self.weight[word]
        pool = heapq.nlargest(_POOL, found.items(), key=_by_score)
        own = self.weighed(words)
        ranked = []
        for position, _ in pool:  # a weighted Dice coefficient: words missing on either side count
            theirs = self.words[position]
            shared = self.weighed(words & theirs)
            ranked.append((2 * shared / (own + self.weighed(theirs)), position))
        best = heapq.nlargest(_COMPARED, ranked, key=lambda item: (item[0], -item[1]))
        return [position for _, position in best]

    def weighed(self, words: Iterable[str]) -> float:
        weight = self.weight
        return sum(weight.get(word, self.unknown) for word in words)


def _by_score(item: tuple[int, float]) -> tuple[float, int]:
    return item[1], -item[0]
