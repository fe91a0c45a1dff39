"""A card's source text as the rules read it: its words (a formula is one word), sentences,
list items, display formulas, and what its clozes hide."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..sources.formulas import OPEN, PLACEHOLDER, Formula


def word_set(text: str) -> frozenset[str]:
    """The words of a text written as a table of words."""
    return frozenset(text.split())


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_CLOZE_HINT = re.compile(r"::[^{}]*?\}\}")
_CLOZE_OPENER = re.compile(r"\{\{c\d+::")
_CLOZE_MARKUP = re.compile(r"\}\}|==")
_WORD = re.compile(r"\ue000\d+\ue001|[^\W_]+(?:['’.\-][^\W_]+)*")
#: A cloze and what it hides: `{{c1::hidden::hint}}` or `==hidden==`.
_CLOZE = re.compile(
    r"\{\{c(?P<number>\d+)::(?P<hidden>.*?)(?:::[^{}]*?)?\}\}"
    r"|(?<![\w=<!])==(?P<marked>(?=[^\s=>]).*?(?<=[^\s=<!]))==(?![=>\w])",
    re.DOTALL,
)
_ITEM_STARTS = frozenset("-*+0123456789")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_TERMINATOR = re.compile(r"[.!?]+(?=[\s\"')\]]|$)")
#: Words a full stop follows without ending a sentence.
_ABBREVIATIONS = word_set(
    "e.g i.e etc cf vs eq eqs fig figs resp approx al sec ch p pp no nos mr dr st vol"
)
_DISPLAY_ROWS = re.compile(r"\\\\(?!\w)")
_MULTILINE_ENVS = re.compile(r"\\begin\{(?:align|aligned|eqnarray|gather|gathered|split|multline)")

#: Words too common to tell two questions apart, or to give an answer away.
STOPWORDS = word_set(
    """a an the of in on at to for from by with without as is are was were be been being
    it its this that these those there their they them we you your i he she his her our
    does do did done can could should would will shall may might must has have had and or
    but not no nor if then than so such
    into onto over under about between through during each every any all some one two
    also only very more most less least much many same other another give name state
    called call term used use using way ways given get gets e.g i.e"""
)

#: Question words: not stopwords (they say what is asked), but not enough alone.
QUESTION_WORDS = word_set("what which who whom whose when where why how")


@dataclass(frozen=True, slots=True)
class Hidden:
    """A cloze number of a paragraph, and the words its blanks hide (all of them together)."""

    number: int
    words: tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def visible(text: str) -> str:
    """Source text without markdown's markup: images gone, links as their text, HTML tags
    gone, clozes as the words they hide (hints dropped); formulas stay placeholders."""
    # Each pattern only where its first character is (most cards have none of them).
    if "](" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub(" ", text))
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "}}" in text or "==" in text:
        text = _CLOZE_MARKUP.sub("", _CLOZE_HINT.sub("", _CLOZE_OPENER.sub("", text)))
    return text


@functools.lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of source text; a formula is one word (its placeholder)."""
    return tuple(_WORD.findall(visible(text)))


@functools.lru_cache(maxsize=4096)
def lowered(text: str) -> tuple[str, ...]:
    """The words of source text in lower case."""
    return tuple(word.lower() for word in words(text))


def has_image(text: str) -> bool:
    return bool(_IMAGE.search(text)) or "<img" in text.lower()


@functools.lru_cache(maxsize=1024)
def sentences(text: str) -> int:
    """How many sentences a stretch of prose holds: full stops, question and exclamation marks
    that end one (not `e.g.`, `Fig. 3`, `3.5`), and words after the last one."""
    text = visible(text)
    count = 0
    last = 0
    for found in _TERMINATOR.finditer(text):
        before = text[last : found.start()].split()
        if not before:
            continue
        word = before[-1].lower().rstrip(".")
        if found.group() == "." and (word in _ABBREVIATIONS or len(word) == 1):
            continue
        count += 1
        last = found.end()
    return count + (1 if _WORD.search(text[last:]) else 0)


@functools.lru_cache(maxsize=1024)
def list_items(text: str) -> tuple[str, ...]:
    """The items of the lists in source text, as their lines (an item's continuation lines
    are not counted apart)."""
    return tuple(
        line
        for line in text.split("\n")
        if line.lstrip()[:1] in _ITEM_STARTS and _LIST_ITEM.match(line)
    )


@functools.lru_cache(maxsize=1024)
def prose(text: str) -> str:
    """Source text without its list items and its display formulas on lines of their own."""
    kept = []
    for line in text.split("\n"):
        bare = line.strip()
        if bare[:1] in _ITEM_STARTS and _LIST_ITEM.match(line):
            continue
        if bare[:1] == OPEN and PLACEHOLDER.fullmatch(bare):
            continue
        kept.append(line)
    return "\n".join(kept)


def formulas_in(text: str, formulas: Sequence[Formula]) -> list[Formula]:
    return [formulas[int(found.group(1))] for found in PLACEHOLDER.finditer(text)]


def display_rows(text: str, formulas: Sequence[Formula]) -> int:
    """How many rows of displayed math the text holds: each display formula counts its rows
    (`\\\\` breaks), and an `align`-like environment at least two."""
    rows = 0
    for formula in formulas_in(text, formulas):
        if not formula.display:
            continue
        breaks = len(_DISPLAY_ROWS.findall(formula.tex))
        multi = bool(_MULTILINE_ENVS.search(formula.source))
        rows += max(breaks + 1, 2 if multi else 1)
    return rows


def hidden(text: str) -> list[Hidden]:
    """What each cloze number of a paragraph hides (all its blanks together), in order of
    number; `==…==` takes the next free number."""
    found: dict[int, list[str]] = {}
    explicit = [int(m.group("number")) for m in _CLOZE.finditer(text) if m.group("number")]
    next_number = max(explicit, default=0)
    for match in _CLOZE.finditer(text):
        if match.group("number"):
            number, content = int(match.group("number")), match.group("hidden")
        else:
            next_number += 1
            number, content = next_number, match.group("marked")
        found.setdefault(number, []).extend(words(content))
    return [Hidden(number, tuple(found[number])) for number in sorted(found)]


def shown_for(text: str, number: int) -> str:
    """What the card of cloze `number` shows of its paragraph: that cloze's blanks taken out,
    the other clozes as the words they hide."""
    explicit = [int(m.group("number")) for m in _CLOZE.finditer(text) if m.group("number")]
    next_number = max(explicit, default=0)

    def show(match: re.Match[str]) -> str:
        nonlocal next_number
        if match.group("number"):
            found, content = int(match.group("number")), match.group("hidden")
        else:
            next_number += 1
            found, content = next_number, match.group("marked")
        return " " if found == number else content

    return _CLOZE.sub(show, text)


def stem(word: str) -> str:
    """A word folded for comparison: lower case, a plural's `s` dropped."""
    word = word.lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _folded(word: str) -> str:
    """A word as content words hold it (`stem`), or "" for a word that carries no meaning."""
    if word.lower() in STOPWORDS:
        return ""
    folded = stem(word)
    return folded if folded not in STOPWORDS and (len(folded) > 1 or folded.isdigit()) else ""


#: `_folded` of the words seen so far (a project's vocabulary is some thousands of words).
_FOLDED: dict[str, str] = {}


def content_words(text: str, formulas: Sequence[Formula]) -> list[str]:
    """The words that carry meaning, folded (`stem`); a formula is its TeX without spaces."""
    found = _content(text)
    if OPEN not in text:
        return list(found)
    return [
        _formula_word(formulas[int(word[1:-1])].tex) if word[0] == OPEN else word for word in found
    ]


@functools.lru_cache(maxsize=4096)
def _formula_word(tex: str) -> str:
    return "$" + "".join(tex.split())


@functools.lru_cache(maxsize=4096)
def _content(text: str) -> tuple[str, ...]:
    result = []
    for word in words(text):
        if word[0] == OPEN:
            result.append(word)
            continue
        folded = _FOLDED.get(word)
        if folded is None:
            if len(_FOLDED) > 100_000:
                _FOLDED.clear()
            folded = _FOLDED[word] = _folded(word)
        if folded:
            result.append(folded)
    return tuple(result)
