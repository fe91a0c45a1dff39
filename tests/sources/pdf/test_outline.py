"""Outlines: bookmarks placed at their headings, whichever way their targets measure y (or none),
and draft ranges filed under the chapter in force where their text begins."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from ankify.sources.pdf.outline import OutlineEntry, read_outline, text_start
from ankify.sources.pdf.pages import PageSelection
from ankify.sources.pdf.text import read_page_text

from ...conftest import Anki, Project

WIDTH, HEIGHT = 420, 595
#: A page: its lines top to bottom as (text, type size); "" is a blank line; a tab splits a
#: line into pieces set apart (a heading's number and its title).
Page = Sequence[tuple[str, float]]
Toc = Sequence[tuple[int, str, int]]  # level, title, physical page (0-based)

BODY = 10.0
PAPER: list[Page] = [
    [
        ("Attention Is What You Need", 16),
        ("", BODY),
        ("1 Introduction", 12),
        ("Recurrent models compute one step at a time.", BODY),
        ("Our model relies on attention alone instead.", BODY),
    ],
    [
        ("The introduction ends here with a claim.", BODY),
        ("", BODY),
        ("2 Background", 12),
        ("Reducing sequential computation is an old goal.", BODY),
        ("Convolutions compute hidden states in parallel.", BODY),
        ("", BODY),
        ("3 Model Architecture", 12),
        ("Most sequence models have an encoder and a decoder.", BODY),
        ("The model is auto-regressive at each step.", BODY),
    ],
    [
        ("3.1 Encoder and Decoder Stacks", BODY),
        ("The encoder is a stack of six identical layers.", BODY),
        ("Each layer has two sub-layers.", BODY),
        ("", BODY),
        ("3.2 Attention", BODY),
        ("An attention function maps a query to an output.", BODY),
    ],
    [
        ("3.2.1 Scaled Dot-Product Attention", BODY),
        ("We divide each product by a square root.", BODY),
    ],
]
PAPER_TOC: Toc = [
    (1, "1 Introduction", 0),
    (1, "2 Background", 1),
    (1, "3 Model Architecture", 1),
    (2, "3.1 Encoder and Decoder Stacks", 2),
    (2, "3.2 Attention", 2),
    (3, "3.2.1 Scaled Dot-Product Attention", 3),
]

HEADER_2 = ("CHAPTER 2. LINEAR ALGEBRA", 8.0)
HEADER_3 = ("CHAPTER 3. PROBABILITY AND INFORMATION THEORY", 8.0)
#: Pages i, 51-56 of a book printed as the Deep Learning Book is: running headers, a chapter
#: opening at the top of its page, a heading's number set apart from its title, a heading in
#: capitals, a heading hyphenated over two lines.
BOOK: list[Page] = [
    [("Contents.", BODY)],
    [
        HEADER_2,
        ("The trace operator gives the sum of the diagonal entries.", BODY),
        ("", BODY),
        ("2.12 Example: Principal Components Analysis", 13),
        ("Principal components analysis is a simple algorithm.", BODY),
    ],
    [
        HEADER_2,
        ("The decoder uses a matrix with orthonormal columns.", BODY),
        ("This completes the derivation of PCA.", BODY),
    ],
    [
        ("", 20),
        ("Chapter 3", 20),
        ("Probability and", 24),
        ("Information Theory", 24),
        ("", BODY),
        ("In this chapter we describe probability theory.", BODY),
        ("Probability represents a degree of belief in a claim.", BODY),
    ],
    [
        HEADER_3,
        ("3.1\tWhy Probability?", 14),
        ("Computer science deals mostly with certain entities.", BODY),
        ("Uncertainty has three possible sources.", BODY),
        ("", BODY),
        ("3.2 RANDOM VARIABLES", 14),
        ("A random variable can take on different values randomly.", BODY),
    ],
    [
        HEADER_3,
        ("Random variables may be discrete or continuous.", BODY),
        ("", BODY),
        ("3.3 Proba-", 14),
        ("bility Distributions", 14),
        ("A probability distribution says how likely each state is.", BODY),
    ],
    [HEADER_3, ("The end of the section.", BODY)],
]
BOOK_TOC: Toc = [
    (1, "2 Linear Algebra", 1),
    (2, "2.12 Example: Principal Components Analysis", 1),
    (1, "3 Probability and Information Theory", 3),
    (2, "3.1 Why Probability?", 4),
    (2, "3.2 Random Variables", 4),
    (2, "3.3 Probability Distributions", 5),
]
BOOK_LABELS = [
    {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
    {"startpage": 1, "prefix": "", "style": "D", "firstpagenum": 51},
]


def write_pages(pages: Sequence[Page]) -> Any:
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=WIDTH, height=HEIGHT)
        y = 30.0
        for text, size in lines:
            x = 50.0
            for piece in text.split("\t"):
                if piece:
                    page.insert_text((x, y + size), piece, fontsize=size, fontname="helv")
                x += pymupdf.get_text_length(piece, fontname="helv", fontsize=size) + 3 * size
            y += size * 1.6
    return doc


def heading_top(doc: Any, index: int, text: str) -> float:
    """The top of the line of `index` that starts with `text`."""
    found = [r for r in doc[index].search_for(text) if r.x0 < 60]
    return float(found[0].y0)


def new_object(doc: Any, text: str) -> int:
    xref = int(doc.get_new_xref())
    doc.update_object(xref, text)
    return xref


def target_tops(doc: Any, toc: Toc, pages: Sequence[Page]) -> list[float]:
    """Where each entry's heading starts (the first piece of its first line)."""
    tops = []
    for _, title, index in toc:
        lines = [t for t, _ in pages[index] if t and title.split()[0] == t.split()[0]]
        lines += [t for t, size in pages[index] if t and size > BODY]  # "Chapter 3"
        tops.append(heading_top(doc, index, lines[0].split("\t")[0]))
    return tops


def set_outline(doc: Any, toc: Toc, tops: Sequence[float], way: str) -> None:
    """Bookmarks whose targets are written `way`:

    - "named": as LaTeX's hyperref writes them, named destinations `[page /XYZ x y null]` in a
      name tree, y from the page's bottom, 8 points above the heading;
    - "top-down": explicit `[page /XYZ x y null]` with y measured from the top (wrongly);
    - "fit": the page only, `[page /Fit]`.
    """
    doc.set_toc([[level, title, index + 1] for level, title, index in toc])
    items = [item[3]["xref"] for item in doc.get_toc(simple=False)]
    names = []
    for n, ((_, _, index), top, item) in enumerate(zip(toc, tops, items, strict=True)):
        page = doc[index].xref
        if way == "named":
            dest = new_object(doc, f"<</D [{page} 0 R /XYZ 72 {HEIGHT - top + 8:.3f} null]>>")
            names.append(f"(section.{n:03d}) {dest} 0 R")
            action = f"<</S /GoTo /D (section.{n:03d})>>"
        elif way == "top-down":
            action = f"<</S /GoTo /D [{page} 0 R /XYZ 72 {top - 8:.3f} null]>>"
        else:
            action = f"<</S /GoTo /D [{page} 0 R /Fit]>>"
        doc.xref_set_key(item, "A", f"{new_object(doc, action)} 0 R")
    if names:
        limits = f"[(section.000) (section.{len(names) - 1:03d})]"
        leaf = new_object(doc, f"<</Limits {limits} /Names [{' '.join(names)}]>>")
        tree = new_object(doc, f"<</Kids [{leaf} 0 R]>>")
        catalog = new_object(doc, f"<</Dests {tree} 0 R>>")
        doc.xref_set_key(doc.pdf_catalog(), "Names", f"{catalog} 0 R")


def highlight(doc: Any, marks: dict[int, Sequence[str]]) -> None:
    for index, texts in marks.items():
        page = doc[index]
        for text in texts:
            page.add_highlight_annot(page.search_for(text, quads=True)[0]).update()


def save(doc: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def outline_pdf(path: Path, pages: Sequence[Page], toc: Toc, way: str, **marks: Any) -> Path:
    doc = write_pages(pages)
    set_outline(doc, toc, target_tops(doc, toc, pages), way)
    highlight(doc, marks.get("marks", {}))
    if "labels" in marks:
        doc.set_page_labels(marks["labels"])
        doc.set_metadata({"title": "Deep Learning"})
    return save(doc, path)


@pytest.fixture
def paper(project: Project) -> Path:
    marks = {
        1: ["old goal", "auto-regressive"],
        2: ["six identical layers", "maps a query"],
        3: ["square root"],
    }
    return outline_pdf(
        project.root / "papers" / "attention.pdf", PAPER, PAPER_TOC, "named", marks=marks
    )


@pytest.fixture
def book(project: Project) -> Path:
    marks = {
        2: ["orthonormal columns"],
        3: ["degree of belief"],
        4: ["three possible sources", "different values"],
        5: ["discrete or continuous", "how likely"],
    }
    path = project.root / "books" / "dlbook.pdf"
    return outline_pdf(path, BOOK, BOOK_TOC, "fit", marks=marks, labels=BOOK_LABELS)


def placed(outline: Sequence[OutlineEntry]) -> list[tuple[str, int, float]]:
    return [(e.title, e.index, round(e.top, 1)) for e in outline]


def expected(path: Path, toc: Toc, pages: Sequence[Page]) -> list[tuple[str, int, float]]:
    with pymupdf.open(path) as doc:
        tops = target_tops(doc, toc, pages)
    return [(title, index, round(top, 1)) for (_, title, index), top in zip(toc, tops, strict=True)]


@pytest.mark.parametrize("way", ["named", "top-down", "fit"])
def test_bookmarks_are_placed_at_their_headings_in_the_pages_read(tmp_path: Path, way: str) -> None:
    path = outline_pdf(tmp_path / "p.pdf", PAPER, PAPER_TOC, way)
    with pymupdf.open(path) as doc:
        assert placed(read_outline(doc, range(0, 4))) == expected(path, PAPER_TOC, PAPER)


def test_a_heading_in_pieces_capitals_or_hyphenated_is_found(tmp_path: Path) -> None:
    path = outline_pdf(tmp_path / "b.pdf", BOOK, BOOK_TOC, "fit")
    with pymupdf.open(path) as doc:
        found = placed(read_outline(doc, range(3, 6)))
    assert found[2:] == expected(path, BOOK_TOC, BOOK)[2:]
    assert found[:2] == [(t, 1, 0.0) for _, t, _ in BOOK_TOC[:2]]  # page 51 is not read


def test_a_title_spaced_or_worded_otherwise_is_placed_at_its_numbered_heading(
    tmp_path: Path,
) -> None:
    pages = [
        [
            ("Some results come first.", BODY),
            ("4 Results and Discussion", 12),
            ("We discuss them here: conclusions follow.", BODY),
            ("5 Conclusion", 12),
            ("We conclude.", BODY),
        ]
    ]
    doc = write_pages(pages)
    tops = [heading_top(doc, 0, "4 Results"), heading_top(doc, 0, "5 Conclusion")]
    # The outline's own spelling: no space after the number; a longer title than printed.
    toc = [(1, "4Results and Discussion", 0), (1, "5 Conclusions and Future Work", 0)]
    set_outline(doc, toc, tops, "named")
    path = save(doc, tmp_path / "t.pdf")
    with pymupdf.open(path) as doc:
        found = placed(read_outline(doc, range(0, 1)))
    assert found == [
        (title, 0, round(top, 1)) for (_, title, _), top in zip(toc, tops, strict=True)
    ]


@pytest.mark.parametrize(("way", "right"), [("named", {0, 1, 2, 3}), ("top-down", {1, 2})])
def test_targets_outside_the_pages_read_keep_their_order(
    tmp_path: Path, way: str, right: set[int]
) -> None:
    """Without reading a page, a target is placed at its y: MuPDF measures named destinations
    from the top too; y written from the top (read as from the bottom) is turned round on a
    page whose targets would otherwise run backwards, and only there."""
    path = outline_pdf(tmp_path / f"{way}.pdf", PAPER, PAPER_TOC, way)
    with pymupdf.open(path) as doc:
        found = placed(read_outline(doc))
    anchors = [
        (title, index, top - 8 if index in right else HEIGHT - top + 8)
        for title, index, top in expected(path, PAPER_TOC, PAPER)
    ]
    assert [(t, i) for t, i, _ in found] == [(t, i) for t, i, _ in anchors]
    assert all(abs(f[2] - a[2]) < 0.2 for f, a in zip(found, anchors, strict=True))


def test_a_target_at_the_foot_of_the_page_before_moves_to_its_heading(tmp_path: Path) -> None:
    doc = write_pages([[("Some text.", BODY)], [("4 Results", 12), ("Text.", BODY)]])
    top = heading_top(doc, 1, "4 Results")
    toc = [(1, "4 Results", 0)]
    set_outline(doc, toc, [HEIGHT - 20], "named")  # LaTeX left the target on page 1's foot
    path = save(doc, tmp_path / "foot.pdf")
    with pymupdf.open(path) as doc:
        assert placed(read_outline(doc, range(1, 2))) == [("4 Results", 1, round(top, 1))]
        assert placed(read_outline(doc)) == [("4 Results", 0, HEIGHT - 20 - 8)]


def test_only_pages_of_the_range_and_the_page_before_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pages = [[(f"{n} Section {n}", 12), ("Text.", BODY)] for n in range(1, 41)]
    toc = [(1, f"{n} Section {n}", n - 1) for n in range(1, 41)]
    path = outline_pdf(tmp_path / "long.pdf", pages, toc, "named")
    loaded: list[int] = []
    original = pymupdf.Document.load_page

    def load_page(self: pymupdf.Document, number: int = 0) -> pymupdf.Page:
        loaded.append(number)
        return original(self, number)

    monkeypatch.setattr(pymupdf.Document, "load_page", load_page)
    with pymupdf.open(path) as doc:
        assert len(read_outline(doc)) == 40 and loaded == []
        read_outline(doc, range(20, 22))
    assert sorted(loaded) == [19, 20, 21]


def test_a_range_begins_below_its_running_header_and_opening_headings(tmp_path: Path) -> None:
    path = outline_pdf(tmp_path / "b.pdf", BOOK, BOOK_TOC, "fit")
    with pymupdf.open(path) as doc:
        outline = read_outline(doc, range(4, 6))
        texts = read_page_text(doc, PageSelection(4, 5, ("54", "55")), path)
        body = heading_top(doc, 4, "Computer science")
        header = heading_top(doc, 5, "CHAPTER 3.")
    index, top = text_start(outline, texts)
    assert index == 4 and top == pytest.approx(body, abs=0.5)
    index, top = text_start(outline, texts[1:])  # one page alone: its header reads as text
    assert index == 5 and top == pytest.approx(header, abs=0.5)


def contexts(anki: Anki, words: Sequence[str]) -> list[str]:
    return [anki.note_by_field(f"{{{{c1::{w}}}}}")["Context"] for w in words]


def test_a_cards_context_is_the_heading_it_sits_under(
    project: Project, paper: Path, book: Path, anki: Anki
) -> None:
    result = project.run("build", "papers/attention.pdf", "--pages", "2-4")
    assert result.exit_code == 0, result.output
    anki.import_apkg(project.decks / "attention-p2-4.apkg")
    assert contexts(
        anki,
        ["old goal", "auto-regressive", "six identical layers", "maps a query", "square root"],
    ) == [
        "2 Background",
        "3 Model Architecture",
        "3 Model Architecture › 3.1 Encoder and Decoder Stacks",
        "3 Model Architecture › 3.2 Attention",
        "3 Model Architecture › 3.2 Attention › 3.2.1 Scaled Dot-Product Attention",
    ]
    result = project.run("build", "books/dlbook.pdf", "--pages", "52-55")
    assert result.exit_code == 0, result.output
    anki.import_apkg(project.decks / "dlbook-p52-55.apkg")
    chapter = "3 Probability and Information Theory"
    assert contexts(
        anki,
        [
            "orthonormal columns",
            "degree of belief",
            "three possible sources",
            "different values",
            "discrete or continuous",
            "how likely",
        ],
    ) == [
        "2 Linear Algebra › 2.12 Example: Principal Components Analysis",
        chapter,
        f"{chapter} › 3.1 Why Probability?",
        f"{chapter} › 3.2 Random Variables",
        f"{chapter} › 3.2 Random Variables",
        f"{chapter} › 3.3 Probability Distributions",
    ]


def draft(project: Project, pdf: str, pages: str) -> tuple[str, list[str]]:
    """The deck of the draft of `pages`, and its headings and highlighted words in order."""
    out = f"sources/{pages}.md"
    result = project.run("draft", pdf, "--pages", pages, "-o", out)
    assert result.exit_code == 0, result.output
    text = (project.root / out).read_text(encoding="utf-8")
    deck = re.search(r'^deck: "(.*)"$', text, re.MULTILINE)
    assert deck is not None
    return deck.group(1), list(_outline_and_marks(text))


def _outline_and_marks(text: str) -> Iterator[str]:
    for line in text.split("---\n", 2)[2].splitlines():
        if line.startswith("#"):
            yield line
        yield from re.findall(r"\{\{c1::(.*?)\}\}", line)


def test_a_draft_orders_headings_as_printed(project: Project, paper: Path) -> None:
    assert draft(project, "papers/attention.pdf", "2-4") == (
        "attention::1 Introduction",
        [
            "# 1 Introduction",
            "# 2 Background",
            "old goal",
            "# 3 Model Architecture",
            "auto-regressive",
            "## 3.1 Encoder and Decoder Stacks",
            "six identical layers",
            "## 3.2 Attention",
            "maps a query",
            "### 3.2.1 Scaled Dot-Product Attention",
            "square root",
        ],
    )


CH3 = "# 3 Probability and Information Theory"


@pytest.mark.parametrize(
    ("pages", "deck", "lines"),
    [
        (
            "53-55",
            "Deep Learning::3 Probability and Information Theory",
            [
                CH3,
                "degree of belief",
                "## 3.1 Why Probability?",
                "three possible sources",
                "## 3.2 Random Variables",
                "different values",
                "discrete or continuous",
                "## 3.3 Probability Distributions",
                "how likely",
            ],
        ),
        (
            "53",
            "Deep Learning::3 Probability and Information Theory",
            [CH3, "degree of belief"],
        ),
        (  # 3.1 opens page 54 below its running header: 3 is the only section still open
            "54-55",
            "Deep Learning::3 Probability and Information Theory",
            [
                CH3,
                "## 3.1 Why Probability?",
                "three possible sources",
                "## 3.2 Random Variables",
                "different values",
                "discrete or continuous",
                "## 3.3 Probability Distributions",
                "how likely",
            ],
        ),
        (  # page 55 starts inside 3.2
            "55",
            "Deep Learning::3 Probability and Information Theory",
            [
                CH3,
                "## 3.2 Random Variables",
                "discrete or continuous",
                "## 3.3 Probability Distributions",
                "how likely",
            ],
        ),
        (  # the range's text begins in chapter 2
            "52-53",
            "Deep Learning::2 Linear Algebra",
            [
                "# 2 Linear Algebra",
                "## 2.12 Example: Principal Components Analysis",
                "orthonormal columns",
                CH3,
                "degree of belief",
            ],
        ),
    ],
)
def test_a_draft_is_filed_under_the_chapter_where_its_text_begins(
    project: Project, book: Path, pages: str, deck: str, lines: list[str]
) -> None:
    assert draft(project, "books/dlbook.pdf", pages) == (deck, lines)


def test_on_a_page_of_two_columns_a_card_sits_under_the_heading_of_its_own_column(
    tmp_path: Path,
) -> None:
    from ...conftest import pdf_notes

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((50, 80), "1 Introduction", fontsize=12, fontname="hebo")
    page.insert_text((320, 80), "2 Related Work", fontsize=12, fontname="hebo")
    left = "Deep networks are hard to train well. " * 12
    right = "Residual learning has a long history. " * 12
    for column, x in ((left, 50), (right, 320)):
        words, y, line = column.split(), 110.0, ""
        for word in words:
            if pymupdf.get_text_length(f"{line} {word}", fontsize=10) > 240:
                page.insert_text((x, y), line, fontsize=10)
                y, line = y + 13, word
            else:
                line = f"{line} {word}".strip()
        page.insert_text((x, y), line, fontsize=10)
    quads = page.search_for("train well", quads=True)
    page.add_highlight_annot(quads[-1]).update()  # low in the left column
    doc.set_toc([[1, "1 Introduction", 1, 80.0], [1, "2 Related Work", 1, 80.0]])
    path = tmp_path / "paper.pdf"
    doc.save(path)
    _, notes = pdf_notes(path, "1")
    (note,) = notes
    assert note.fields[2] == "1 Introduction"
