"""A PDF's page numbers: its printed page labels, resolved from its label rules.

Labels are read from the PDF's rules, never by visiting pages, so three pages of an 800-page
book cost what three pages of a paper do. Without labels, pages are physical pages, shifted by
an offset when the printed numbers start later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ConfigError, SourceError
from ...model import PageLabels, PageRange, SourceSpan
from ...progress import PageCallback


@dataclass(frozen=True, slots=True)
class LabelRule:
    """A page label rule of the PDF: pages from `start` are numbered `prefix` + style(n)."""

    start: int  # first physical page, 0-based
    prefix: str
    style: str  # D decimal, r/R roman, a/A letters, "" prefix only
    first_number: int


@dataclass(frozen=True, slots=True)
class PageNumbers:
    """How a PDF numbers its pages: its printed labels, else physical pages minus an offset."""

    count: int
    rules: tuple[LabelRule, ...] = ()
    offset: int = 0

    def label(self, index: int) -> str:
        """The printed label of the physical page `index` (0-based)."""
        rule = self._rule(index)
        if rule is None:
            return str(index + 1 - self.offset)
        number = rule.first_number + index - rule.start
        return rule.prefix + _format_number(number, rule.style)

    def find(self, label: str) -> int | None:
        """The physical page (0-based) printed as `label`, or None."""
        if not self.rules:
            if not label.isascii() or not label.isdigit():
                return None
            index = int(label) - 1 + self.offset
            return index if 0 <= index < self.count else None
        for position, rule in enumerate(self.rules):
            end = self.rules[position + 1].start if position + 1 < len(self.rules) else self.count
            if not label.startswith(rule.prefix):
                continue
            rest = label[len(rule.prefix) :]
            if not rule.style:
                if not rest and rule.start < end:
                    return rule.start
                continue
            number = _parse_number(rest, rule.style)
            if number is None:
                continue
            index = rule.start + number - rule.first_number
            if rule.start <= index < end:
                return index
        return None

    def describe(self) -> str:
        """`800 pages, labelled i-xx, 1-780`: for messages about pages out of range."""
        pages = f"{self.count} page{'s' * (self.count != 1)}"
        if self.rules:
            spans = []
            for position, rule in enumerate(self.rules):
                end = (
                    self.rules[position + 1].start if position + 1 < len(self.rules) else self.count
                )
                if rule.start < end:
                    first, last = self.label(rule.start), self.label(end - 1)
                    spans.append(first if first == last else f"{first}-{last}")
            if len(spans) > 6:
                spans = [*spans[:5], "…"]
            return f"{pages}, labelled {', '.join(spans)}"
        if self.offset:
            lowest, highest = max(1, 1 - self.offset), self.count - self.offset
            return f"{pages}, printed {lowest}-{highest} with an offset of {self.offset}"
        return f"{pages} (1-{self.count})"

    def _rule(self, index: int) -> LabelRule | None:
        found = None
        for rule in self.rules:
            if rule.start <= index:
                found = rule
        return found


def page_numbers(doc: Any, path: Path, *, offset: int | None = None) -> PageNumbers:
    """The page numbering of an open PDF: its label rules (read once, no page is visited)."""
    rules = tuple(
        sorted(
            (
                LabelRule(
                    start=int(rule.get("startpage", 0)),
                    prefix=str(rule.get("prefix", "")),
                    style=str(rule.get("style", "")),
                    first_number=max(1, int(rule.get("firstpagenum", 1))),
                )
                for rule in doc.get_page_labels()
            ),
            key=lambda r: r.start,
        )
    )
    count = int(doc.page_count)
    if rules and offset is not None:
        numbers = PageNumbers(count, rules)
        raise ConfigError(
            "an offset is for PDFs without page labels, and this one has them "
            f"({numbers.describe()}): drop the offset and give the printed pages",
            span=SourceSpan(path),
            option="offset",
        )
    return PageNumbers(count, rules, offset or 0)


def _format_number(number: int, style: str) -> str:
    if style == "D":
        return str(number)
    if style in ("r", "R"):
        roman = _roman(number)
        return roman.lower() if style == "r" else roman
    if style in ("a", "A"):
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.lower() if style == "a" else letter
    return ""


def _parse_number(text: str, style: str) -> int | None:
    if style == "D":
        return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None
    if style in ("r", "R"):
        if not text or not re.fullmatch(r"[ivxlcdm]+" if style == "r" else r"[IVXLCDM]+", text):
            return None
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
        digits = [values[c] for c in text.lower()]
        number = sum(-d if d < n else d for d, n in zip(digits, [*digits[1:], 0], strict=True))
        return number if number > 0 and _format_number(number, style) == text else None
    if style in ("a", "A"):
        if (
            not text
            or len(set(text)) != 1
            or not (text.islower() if style == "a" else text.isupper())
        ):
            return None
        if not text.isascii() or not text.isalpha():
            return None
        return (len(text) - 1) * 26 + ord(text[0].upper()) - ord("A") + 1
    return None


def _roman(number: int) -> str:
    parts = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class PageSelection:
    """The physical pages of a range, inclusive, with their printed labels."""

    first: int  # 0-based
    last: int
    labels: tuple[str, ...]

    @property
    def text(self) -> str:
        """`53-60` (or `53`): the range as printed."""
        first, last = self.labels[0], self.labels[-1]
        return first if self.first == self.last else f"{first}-{last}"

    @property
    def indices(self) -> range:
        return range(self.first, self.last + 1)

    def label(self, index: int) -> str:
        return self.labels[index - self.first]

    def page_range(self) -> PageRange | None:
        """The range as plain printed numbers (for front matter), when the labels are numbers."""
        first, last = self.labels[0], self.labels[-1]
        numeric = all(label.isascii() and label.isdigit() for label in (first, last))
        if numeric and 0 < int(first) <= int(last):
            return PageRange(int(first), int(last))
        return None


def select_pages(numbers: PageNumbers, pages: PageLabels, path: Path) -> PageSelection:
    """Resolve a range of printed labels (physical pages when the PDF has no labels)."""
    candidates = pages.splits()
    for first_label, last_label in candidates:
        first, last = numbers.find(first_label), numbers.find(last_label)
        if first is None or last is None:
            continue
        if last < first:
            raise ConfigError(
                f"the range {pages} runs backwards: write the first page first, "
                f"e.g. {last_label}-{first_label}",
                span=SourceSpan(path),
                option="pages",
            )
        labels = tuple(numbers.label(index) for index in range(first, last + 1))
        return PageSelection(first, last, labels)
    missing = next(
        (
            label
            for label in (candidates[1] if len(candidates) == 2 else candidates[0])
            if numbers.find(label) is None
        ),
        pages.text,
    )
    if not numbers.rules and not numbers.offset and missing.isdigit() and int(missing) > 1:
        # A chapter printed on its own: its first page is printed 53, not 1.
        first = int(pages.splits()[0][0]) if pages.splits()[0][0].isdigit() else int(missing)
        raise SourceError(
            f"no page {missing} in this PDF: it has {numbers.describe()} and no page labels: "
            f"give pages within those, or the offset of its printed numbers ({1 - first} if "
            f"its first page is printed {first})",
            span=SourceSpan(path),
            option=("pages", "offset"),
        )
    raise SourceError(
        f"no page {missing} in this PDF: it has {numbers.describe()}: give pages within those",
        span=SourceSpan(path),
        option="pages",
    )


def each_page(selection: PageSelection, on_page: PageCallback | None) -> Iterator[tuple[int, str]]:
    """The (index, label) of each selected page, with `on_page(done, total)` after each."""
    total = len(selection.indices)
    for done, index in enumerate(selection.indices):
        if on_page is not None and done:
            on_page(done, total)
        yield index, selection.label(index)
    if on_page is not None:
        on_page(total, total)
