"""The domain's values and the parsers of their text forms: pages, decks, the card syntax table."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankify.kinds import MARKER_LETTERS, OPENERS, SYNTAX
from ankify.model import CardKind, PageLabels, PageRange, SourceSpan, parse_deck, parse_page_ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-716", PageRange(1, 716)),
        ("53", PageRange(53, 53)),
        (" 53 \u2013 60 ", PageRange(53, 60)),
        ("53\u221260", PageRange(53, 60)),
    ],
)
def test_page_range_parse(text: str, expected: PageRange) -> None:
    assert PageRange.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("60-53", "runs backwards: write it as 53-60"),
        ("", "is empty: give the pages, e.g. 53-60"),
        ("0-10", "starts at page 0: pages are numbered from 1"),
        ("one", "is not a page range: write it like 53-60"),
        ("53-60-70", "is not a page range: write it like 53-60"),
    ],
)
def test_page_range_errors_say_what_is_wrong_and_how_to_write_it(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        PageRange.parse(text)
    assert str(error.value) == message


def test_page_ranges_are_separated_by_commas() -> None:
    assert parse_page_ranges("53-60, 62") == (PageRange(53, 60), PageRange(62, 62))
    assert parse_page_ranges("53-60, ") == (PageRange(53, 60),)  # a comma too many
    with pytest.raises(ValueError, match="is not a page range"):
        parse_page_ranges(" , ")


def test_page_labels_keep_every_way_of_splitting_a_range() -> None:
    labels = PageLabels.parse(" A-1 \u2013 A-3 ")
    assert labels.text == "A-1-A-3"
    assert labels.splits() == (
        ("A-1-A-3", "A-1-A-3"),
        ("A", "1-A-3"),
        ("A-1", "A-3"),
        ("A-1-A", "3"),
    )
    for bad in ("", "-", "53-", "-53"):
        with pytest.raises(ValueError, match="is not a page range"):
            PageLabels.parse(bad)


def test_deck_paths_are_trimmed_as_anki_trims_them() -> None:
    assert parse_deck(" Deep Learning ::  Chapter 3 ") == "Deep Learning::Chapter 3"
    for bad in ("a::::b", "::a", "a::", " "):
        with pytest.raises(ValueError, match="has an empty part"):
            parse_deck(bad)


def test_a_span_says_where_in_its_file() -> None:
    assert str(SourceSpan(Path("ch3.md"), 12)) == "ch3.md:12"
    assert SourceSpan(Path("ch3.md"), 12).position == "at line 12"
    page = SourceSpan(Path("book.pdf"), page="54", item="the highlight \u201cmean\u201d")
    assert str(page) == "book.pdf p. 54, the highlight \u201cmean\u201d"
    assert page.position == "on p. 54"


def test_one_table_names_every_kind_with_its_article() -> None:
    said = {
        kind: (s.prompt.a, s.answer.a, s.prompt_letter, s.answer_letter)
        for kind, s in SYNTAX.items()
    }
    assert said == {
        CardKind.QUESTION: ("a question", "an answer", "Q", "A"),
        CardKind.EXERCISE: ("an exercise", "a solution", "E", "S"),
        CardKind.CLOZE: ("a cloze", "an extra", None, None),
    }
    assert [
        m.a
        for m in (
            SYNTAX[CardKind.QUESTION].prompt_marker,
            SYNTAX[CardKind.QUESTION].answer_marker,
            SYNTAX[CardKind.EXERCISE].prompt_marker,
            SYNTAX[CardKind.EXERCISE].answer_marker,
        )
    ] == ['a "Q:"', 'an "A:"', 'an "E:"', 'an "S:"']
    assert set(OPENERS) == {"Q", "E"} and {"Q", "A", "E", "S"} == MARKER_LETTERS
