"""Page numbers: printed labels, physical pages and offsets, ranges and their slugs."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankify.errors import ConfigError, SourceError
from ankify.model import PageLabels
from ankify.sources.pdf.document import open_pdf
from ankify.sources.pdf.pages import LabelRule, PageNumbers, page_numbers, select_pages

from ...conftest import Project
from ...pdf_fixtures import Book, chapter_book


@pytest.fixture
def book(project: Project) -> Path:
    return chapter_book().save(project.root / "books" / "dlbook.pdf")


def test_pages_are_the_printed_labels(book: Path) -> None:
    with open_pdf(book) as doc:
        numbers = page_numbers(doc, book)
        assert [numbers.label(i) for i in range(doc.page_count)] == [
            doc[i].get_label() for i in range(doc.page_count)
        ]
    assert numbers.find("53") == 2 and numbers.find("ii") == 1 and numbers.find("58") == 7
    assert numbers.find("1") is None and numbers.find("59") is None and numbers.find("iii") is None
    selection = select_pages(numbers, PageLabels.parse("54 – 56"), book)
    assert (selection.first, selection.last, selection.labels) == (3, 5, ("54", "55", "56"))
    assert selection.text == "54-56"
    assert select_pages(numbers, PageLabels.parse("i-53"), book).labels == ("i", "ii", "53")
    assert numbers.describe() == "8 pages, labelled i-ii, 53-58"


def test_without_labels_pages_are_physical_and_offset_maps_printed(tmp_path: Path) -> None:
    book = Book()
    for n in range(10):
        book.page(f"Page {n + 1}.")
    path = book.save(tmp_path / "paper.pdf")
    with open_pdf(path) as doc:
        plain = page_numbers(doc, path)
        shifted = page_numbers(doc, path, offset=4)
    assert select_pages(plain, PageLabels.parse("3-5"), path).indices == range(2, 5)
    assert select_pages(shifted, PageLabels.parse("1-2"), path).indices == range(4, 6)
    assert select_pages(shifted, PageLabels.parse("1-2"), path).labels == ("1", "2")
    assert plain.describe() == "10 pages (1-10)"
    assert shifted.describe() == "10 pages, printed 1-6 with an offset of 4"
    with pytest.raises(SourceError) as error:
        select_pages(shifted, PageLabels.parse("5-7"), path)
    assert str(error.value) == (
        f"{path}: no page 7 in this PDF: it has 10 pages, printed 1-6 with an offset of 4: "
        "give pages within those"
    )
    with pytest.raises(SourceError) as error:
        select_pages(plain, PageLabels.parse("55-57"), path)
    assert str(error.value) == (
        f"{path}: no page 55 in this PDF: it has 10 pages (1-10) and no page labels: give "
        "pages within those, or the offset of its printed numbers (-54 if its first page is "
        "printed 55)"
    )
    assert error.value.options == ("pages", "offset")


def test_out_of_range_names_the_page_count_and_the_labels(book: Path) -> None:
    with open_pdf(book) as doc:
        numbers = page_numbers(doc, book)
    with pytest.raises(SourceError) as error:
        select_pages(numbers, PageLabels.parse("57-90"), book)
    assert str(error.value) == (
        f"{book}: no page 90 in this PDF: it has 8 pages, labelled i-ii, 53-58: "
        "give pages within those"
    )
    assert error.value.option == "pages"
    with pytest.raises(ConfigError, match=r"the range 56-54 runs backwards: .* e\.g\. 54-56$"):
        select_pages(numbers, PageLabels.parse("56-54"), book)
    with pytest.raises(ValueError, match="is not a page range: write it like 53-60"):
        PageLabels.parse("53-")


def test_offset_is_refused_for_a_pdf_with_labels(book: Path) -> None:
    with open_pdf(book) as doc, pytest.raises(ConfigError, match="drop the offset") as error:
        page_numbers(doc, book, offset=3)
    assert error.value.option == "offset"


def test_page_slugs_name_files() -> None:
    assert PageLabels.parse(" 53 - 60 ").slug == "53-60"
    assert PageLabels.parse("053–060").slug == "53-60"
    assert PageLabels.parse("7-7").slug == "7"
    assert PageLabels.parse("xi-xiv").slug == "xi-xiv"


@given(number=st.integers(min_value=1, max_value=3999), style=st.sampled_from("DrRaA"))
def test_label_styles_read_back_what_they_write(number: int, style: str) -> None:
    numbers = PageNumbers(5000, (LabelRule(0, "A-", style, 1),))
    label = numbers.label(number - 1)
    assert numbers.find(label) == number - 1
    if style in "DrR":
        assert label == "A-" + pymupdf.utils.construct_label(style, "", number)


def test_letter_labels_follow_the_pdf_standard() -> None:
    # ISO 32000: a to z, then aa to zz, ... (PyMuPDF's own helper counts aa, ab, ... instead).
    numbers = PageNumbers(60, (LabelRule(0, "", "a", 1),))
    assert [numbers.label(i) for i in (0, 25, 26, 27, 52)] == ["a", "z", "aa", "bb", "aaa"]
    assert numbers.find("bb") == 27 and numbers.find("ab") is None
