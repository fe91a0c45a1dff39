"""Books to pace: the bundled profile and a PDF's labels and outline."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from ankify.errors import ConfigError, SourceError
from ankify.model import PageRange
from ankify.pacing.books import Book, Section, load_book, parse_contents, read_pdf_book


def sections(pages: str) -> list[str]:
    return [s.label for s in load_book("dlbook").sections_in(PageRange.parse(pages))]


def test_dlbook_profile() -> None:
    book = load_book("dlbook")
    assert book.pages == PageRange(1, 720)
    assert len(book.sections) == 189  # with the Bibliography and the Index, which end the text
    assert book.sections[0] == Section(1, "1 Introduction", 1)
    assert book.sections[-2:] == (Section(1, "Bibliography", 721), Section(1, "Index", 777))


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("1-5", ["1 Introduction"]),
        ("29-30", ["Part I: Applied Math and Machine Learning Basics"]),
        (
            "31-35",
            [
                "2 Linear Algebra",
                "2.1 Scalars, Vectors, Matrices and Tensors",
                "2.2 Multiplying Matrices and Vectors",
            ],
        ),
        ("35", ["2.2 Multiplying Matrices and Vectors"]),  # 2.3 starts on 36
        ("53", ["3 Probability and Information Theory"]),  # the online edition's own contents
        ("80", ["4 Numerical Computation", "4.1 Overflow and Underflow"]),  # both start on 80
        ("245-252", ["7.7 Multi-Task Learning", "7.8 Early Stopping"]),
        ("247-252", ["7.8 Early Stopping"]),  # 7.9 starts on 253
        ("720", ["20.15 Conclusion"]),  # the Bibliography starts on 721
    ],
)
def test_dlbook_sections_of_pages(pages: str, expected: list[str]) -> None:
    assert sections(pages) == expected


def test_dlbook_ships_inside_the_package() -> None:
    data = resources.files("ankify.pacing").joinpath("dlbook.tsv")
    assert data.is_file()
    # The workplace keeps the reference contents beside the repository; a clone elsewhere
    # (CI) has only the copy shipped in the package.
    shared = Path(__file__).parents[3] / "shared" / "books" / "dlbook-contents.tsv"
    if not shared.is_file():
        pytest.skip("../shared/books/dlbook-contents.tsv is not beside this clone")
    assert data.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("dlbok", "unknown book profile 'dlbok': did you mean 'dlbook'? (or give the book's PDF)"),
        ("sicp", "unknown book profile 'sicp': use one of: dlbook (or give the book's PDF)"),
    ],
)
def test_unknown_book_profile(name: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_book(name)
    assert str(e.value) == message


def test_parse_contents_reports_bad_lines() -> None:
    with pytest.raises(ConfigError, match=r"x\.tsv:2: expected 'level<TAB>number"):
        parse_contents("# header\n1\tone\n", "x.tsv")


def test_sections_of_a_book_without_contents() -> None:
    assert Book("b", "b", PageRange(1, 9)).sections_in(PageRange(1, 9)) == ()


def make_pdf(path: Path, pages: int, *, labels: bool, toc: list[list[object]]) -> Path:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page()
    if labels:  # two pages of front matter in roman numerals, then 1, 2, 3 ...
        doc.set_page_labels(
            [
                {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
                {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 1},
            ]
        )
    doc.set_toc(toc)
    doc.save(path)
    doc.close()
    return path


def test_pdf_book_uses_printed_page_labels_and_outline(tmp_path: Path) -> None:
    toc = [[1, "Preface", 1], [1, "1  Intro", 3], [2, "1.1 Details", 5], [1, "2 More", 8]]
    book = read_pdf_book(make_pdf(tmp_path / "book.pdf", 10, labels=True, toc=toc))
    assert book.pages == PageRange(1, 8)
    assert book.sections == (
        Section(1, "1 Intro", 1),
        Section(2, "1.1 Details", 3),
        Section(1, "2 More", 6),
    )
    assert [s.label for s in book.sections_in(PageRange(2, 3))] == ["1 Intro", "1.1 Details"]


def test_pdf_book_without_labels_counts_from_1(tmp_path: Path) -> None:
    book = read_pdf_book(make_pdf(tmp_path / "b.pdf", 5, labels=False, toc=[]))
    assert (book.pages, book.sections) == (PageRange(1, 5), ())


def test_pdf_book_errors(tmp_path: Path) -> None:
    pytest.importorskip("pymupdf")
    with pytest.raises(ConfigError, match="no such PDF"):
        read_pdf_book(tmp_path / "missing.pdf")
    (tmp_path / "notes.pdf").write_text("not a pdf")
    with pytest.raises(SourceError, match=re.escape("notes.pdf: is not a PDF")):
        read_pdf_book(tmp_path / "notes.pdf")


# A book of 20 pages: i-ii, then 1-18; chapters, an appendix, then back matter.
BOOK_TOC: list[list[object]] = [
    [1, "Contents", 1],
    [1, "1 Intro", 3],
    [2, "1.1 Details", 4],
    [1, "2 Body", 8],
    [1, "Appendix A Maths", 12],
    [1, "Bibliography", 15],
    [1, "Index", 18],
    [2, "A", 18],
    [2, "B", 19],
]


def test_pdf_book_main_text_ends_before_the_back_matter(tmp_path: Path) -> None:
    book = read_pdf_book(make_pdf(tmp_path / "book.pdf", 20, labels=True, toc=BOOK_TOC))
    assert book.pages == PageRange(1, 12)  # the appendix is text to read: it is kept
    assert book.extent == PageRange(1, 18)  # the back matter is there to plan, if asked
    assert [s.label for s in book.back_matter] == ["Bibliography", "Index"]
    assert [s.label for s in book.sections_in(PageRange(12, 13))] == [
        "Appendix A Maths",
        "Bibliography",
    ]


@pytest.mark.parametrize(
    ("toc", "last"),
    [
        # A paper: its references, then appendices: all of it is read.
        ([[1, "1 Intro", 1], [1, "References", 6], [1, "A Proofs", 8]], 10),
        # Acknowledgements and references end it.
        ([[1, "1 Intro", 1], [1, "Acknowledgements", 6], [1, "7 References", 7]], 5),
        # The conclusion starts on the page the references start on: that page is read.
        ([[1, "1 Intro", 1], [1, "5 Conclusion", 6], [1, "References", 6]], 6),
        # Nothing but back matter: nothing to leave out.
        ([[1, "Bibliography", 1], [2, "A", 3]], 10),
        # Back matter inside a chapter, followed by more chapters, is read with them.
        ([[1, "1 Intro", 1], [2, "1.9 References", 3], [1, "2 More", 4]], 10),
        # A last chapter's own references, then the book's index.
        ([[1, "1 Intro", 1], [2, "1.9 References", 8], [1, "Index", 9]], 7),
        # Headings that only look like back matter.
        ([[1, "1 Indexing", 1], [1, "2 Reference frames", 6]], 10),
    ],
)
def test_pdf_book_back_matter_is_the_outline_s_closing_entries(
    tmp_path: Path, toc: list[list[object]], last: int
) -> None:
    book = read_pdf_book(make_pdf(tmp_path / "b.pdf", 10, labels=False, toc=toc))
    assert book.pages == PageRange(1, last)
    assert book.extent == PageRange(1, 10)


def test_pdf_book_without_labels_takes_an_offset(tmp_path: Path) -> None:
    toc: list[list[object]] = [[1, "3 Probability", 1], [2, "3.1 Why", 2], [1, "Bibliography", 5]]
    path = make_pdf(tmp_path / "ch3.pdf", 6, labels=False, toc=toc)
    book = read_pdf_book(path, offset=-52)  # printed page 53 is physical page 1
    assert (book.pages, book.extent) == (PageRange(53, 56), PageRange(53, 58))
    assert book.sections == (
        Section(1, "3 Probability", 53),
        Section(2, "3.1 Why", 54),
        Section(1, "Bibliography", 57),
    )
    # A positive offset: printed page 1 is physical page 3; pages before it have no number.
    assert read_pdf_book(path, offset=2).extent == PageRange(1, 4)
    with pytest.raises(ConfigError) as e:
        read_pdf_book(make_pdf(tmp_path / "l.pdf", 4, labels=True, toc=[]), offset=-52)
    assert e.value.option == "offset"
    assert e.value.message.startswith("an offset is for PDFs without page labels")
