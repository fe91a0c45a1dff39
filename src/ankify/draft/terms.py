"""Candidate questions for the terms a page defines: its bold or italic phrases, whole.

A term is a run of emphasised text in the body: one span or many (a browser's print gives each
word its own span, and the spaces spans of their own), across a line break, a hyphen joined
("proba-" + "bility mass function"). What looks like a term but is not is left out: headings
and run-in headings ("Residual Representations." opening a paragraph), captions, labels
("Theorem 4.1"), pseudo-code keywords, and emphasised passages (an abstract or a theorem set in
italics). The answer is the sentence around the term, or, when that sentence holds math whose
text layer says something else than the page, a picture of the sentence on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..sources.pdf.highlights import Box, covered_words, sentence_around
from ..sources.pdf.text import PageText, TextSpan, join_spans
from .context import Passage, sentence_positions
from .layout import HEADING_SCALE, ITEM_MARKS, Layout, Place, Row, RowKind
from .markdown import Cards, escape_markdown

#: A term has at most this many words: more is an emphasised passage.
TERM_WORDS = 6
#: A paragraph with this share of its letters emphasised is an emphasised passage (an abstract
#: or a theorem in italics), not text with terms in it.
PASSAGE_SHARE = 0.5

_LETTERS = re.compile(r"[^\W\d_]{3,}")
_TERM_TRIM = ".,;:!?()[]{}\"'\u2018\u2019\u201c\u201d*\u2020\u2021"
_LABEL = re.compile(r"^[A-Z][a-z]+\.?\s+(?:[\dIVX]+|[A-Z])(?:\.\d+)*[a-z]?$")
_FUNCTION_TEXT = """a an the and or not nor but if then else end do does did is are was were be
been for while return to of in on at by with from as all any each every no only must may can
cannot should would will shall before after above below very much more most less least one two
first last same other this that these those it its we our us you your they their some such also
both either neither yes true false input output require ensure repeat until foreach left right
top bottom e.g i.e et al"""
#: Emphasis on these alone is stress or pseudo-code, not a term.
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())

#: An italic phrase is a term where the sentence names or introduces it.
_DEFINING = re.compile(
    r"\b(?:called|call|calls|known as|referred to|refer to|termed|dubbed|defined?|"
    r"denoted?|named|introduced?|introduces|proposed?|proposes|i\.e\.|that is)\b",
    re.IGNORECASE,
)
#: An italic word is a term where a naming verb comes right before it.
_NAMING = re.compile(
    r"\b(?:called|call|known as|referred to as|termed|dubbed|named)\b", re.IGNORECASE
)

#: The link to a region of a page: physical page (0-based), box in points.
PdfRegion = Callable[[int, Box], str]


@dataclass
class _Run:
    """Emphasised spans of one style in reading order, maybe over rows of one paragraph."""

    bold: bool
    rows: list[int] = field(default_factory=list)
    pieces: list[list[TextSpan]] = field(default_factory=list)  # spans per row
    at_paragraph_start: bool = False
    whole_rows: bool = False
    after: str = ""  # the text right after the run
    by_math: bool = False  # a formula right before or after it

    @property
    def spans(self) -> list[TextSpan]:
        return [span for piece in self.pieces for span in piece]

    @property
    def text(self) -> str:
        text = ""
        for piece in self.pieces:
            part = " ".join(join_spans(piece).split())
            if re.search(r"[^\W\d_][-\u00ad]$", text) and part[:1].islower():
                text = text[:-1] + part  # a word hyphenated at the line's end
            else:
                text = f"{text} {part}" if text else part
        return text


def term_questions(
    page: PageText,
    layout: Layout,
    passage: Passage,
    marked: set[str],
    cards: Cards,
    region: PdfRegion,
) -> Iterable[tuple[Place, list[str]]]:
    """Candidate questions for the terms a page defines: short bold or italic phrases."""
    words = passage.words
    for run in _runs(layout):
        term = _term(run)
        if term is None:
            continue
        key = term.casefold()
        if key in cards.terms or key.rstrip("s") in cards.terms or key + "s" in cards.terms:
            continue
        if any(key in text for text in marked):
            continue
        found = covered_words(words[passage.start : passage.end], [s.box for s in run.spans])
        if found is None:
            continue
        first, last = (position + passage.start for position in found)
        before, middle, after = sentence_around(words, first, last)
        if not run.bold and not _defined(term, before, after):
            continue  # italics for stress ("has *fewer* filters"), not for a term
        cards.terms.add(key)
        question = f"What is meant by *{escape_markdown(term)}*?"
        place = layout.rows[run.rows[0]].place
        place = (*place[:3], min(span.box[1] for span in run.pieces[0]))
        sentence = sentence_positions(words, first, last, before, after) or range(0)
        sentence, rest = passage.displayed(sentence)
        after += "".join(f" {words[i].text}" for i in rest)
        if any(passage.garbled[i] for i in sentence):
            images = []
            for index in sorted({passage.pages[i] for i in sentence}):
                box = passage.region(sentence, index)
                if box is not None:
                    images.append(f"![{escape_markdown(term)}]({region(index, box)})")
            yield place, cards.question(question, "", page.label, answer_markdown=" ".join(images))
        else:
            answer = f"{before}{middle}{after}".lstrip(ITEM_MARKS + " ")
            yield place, cards.question(question, answer, page.label)


def _emphasised(span: TextSpan, body: float) -> bool:
    return (
        (span.bold or span.italic)
        and not span.math
        and not (body and span.size > body * HEADING_SCALE)
    )


def _runs(layout: Layout) -> list[_Run]:
    """The emphasised runs of a page's body text, in reading order."""
    rows = layout.rows
    passages = _passages(rows, layout.body)
    runs: list[_Run] = []
    current: _Run | None = None
    for position, row in enumerate(rows):
        if row.kind is not RowKind.BODY or row.starts_paragraph or position in passages:
            current = None  # a run goes on over a line break, not into another paragraph
        if row.kind is not RowKind.BODY or position in passages:
            continue
        spans = row.line.spans
        for number, span in enumerate(spans):
            if not _emphasised(span, layout.body):
                if current is not None:
                    current.after = span.text
                    current.by_math = current.by_math or span.math
                current = None
                continue
            if (
                current is None
                or current.bold != span.bold
                or (current.rows[-1] != position and number != 0)
            ):
                current = _Run(span.bold, at_paragraph_start=row.starts_paragraph and not number)
                current.by_math = number > 0 and spans[number - 1].math
                runs.append(current)
            if not current.rows or current.rows[-1] != position:
                current.rows.append(position)
                current.pieces.append([])
            current.pieces[-1].append(span)
        if current is not None and current.pieces[-1][0] is spans[0]:
            current.whole_rows = True  # it fills a row: a heading set as body text
    return runs


def _passages(rows: Sequence[Row], body: float) -> set[int]:
    """The rows of paragraphs set mostly in bold or italics."""
    found: set[int] = set()
    paragraph: list[int] = []
    for position in [*range(len(rows)), len(rows)]:
        if position == len(rows) or rows[position].starts_paragraph:
            letters = emphasised = 0
            for index in paragraph:
                for span in rows[index].line.spans:
                    if span.math:
                        continue
                    count = sum(1 for c in span.text if c.isalpha())
                    letters += count
                    emphasised += count if _emphasised(span, body) else 0
            if letters and len(paragraph) > 1 and emphasised >= PASSAGE_SHARE * letters:
                found.update(paragraph)
            paragraph = []
        if position < len(rows):
            paragraph.append(position)
    return found


def _term(run: _Run) -> str | None:
    """The term a run sets, or None when it is no term."""
    raw = run.text
    term = raw.strip(_TERM_TRIM + " ")
    if term.count("(") > term.count(")"):
        term = term[: term.rindex("(")]  # "probability density function (PDF)": no "(PDF"
    term = " ".join(term.strip(_TERM_TRIM + " ").split())
    words = term.split()
    if not (1 <= len(words) <= TERM_WORDS) or not _LETTERS.search(term):
        return None
    if run.whole_rows and len(run.rows) == 1 and not run.after.strip():
        return None  # a row on its own: a heading
    if run.at_paragraph_start and (
        re.search(r"[.:]$", raw.strip()) or re.match(r"[.:]", run.after.strip())
    ):
        return None  # a run-in heading: "Residual Representations. We ..."
    if raw.rstrip().endswith(":") or _LABEL.match(term):
        return None  # "Require:", "Theorem 4.1"
    if not run.bold and run.by_math:
        return None  # a theorem set in italics, around its formulas
    if all(word.casefold().strip(".") in _FUNCTION_WORDS for word in words):
        return None
    return term


def _defined(term: str, before: str, after: str) -> bool:
    """Whether the sentence around an italic phrase reads as defining it. A phrase: the
    sentence names or introduces it ("we call", "known as", "we introduce"), or an article
    opens it ("a *trust region*"). One word needs more ("a *single* function" is stress): a
    naming verb right before it, or an apposition or abbreviation after it ("*AdaMax*, a
    variant of Adam", "(SNR)")."""
    if re.match(r"\s*(?:\([A-Z][A-Za-z]{0,7}\)|,\s+(?:a|an|the|i\.e\.)\s)", after):
        return True
    if " " not in term:
        return bool(_NAMING.search(" ".join(before.split()[-8:])))
    previous = before.split()[-1:] if before.strip() else []
    if previous and previous[0].casefold() in ("a", "an", "the"):
        return True
    return bool(_DEFINING.search(f"{before} {after}"))
