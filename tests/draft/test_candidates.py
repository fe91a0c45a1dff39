"""What `ankify draft` proposes on the layouts of real books and papers: terms whole, answered by
their sentence (or a picture of it when it holds math), and nothing from running headers, page
numbers, headings, captions, author lines or margin stamps; cards in reading order."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf

from ankify.build.pipeline import build_paths

from ..conftest import NOW, Anki, Project

FONTS = {"": "tiro", "b": "tibo", "i": "tiit", "m": "mathit"}
_MARKUP = re.compile(r"\*\*(.+?)\*\*|_(.+?)_|\$(.+?)\$")


def _styled(text: str) -> list[tuple[str, str]]:
    """`**bold**`, `_italic_` and `$math$` runs of a row, in order."""
    runs: list[tuple[str, str]] = []
    position = 0
    for match in _MARKUP.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], ""))
        bold, italic, formula = match.groups()
        runs.append((bold or italic or formula, "b" if bold else "i" if italic else "m"))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], ""))
    return runs


def row(
    page: pymupdf.Page, x: float, y: float, text: str, *, size: float = 10, late: str = ""
) -> None:
    """A row as a browser's print stores it: each word and each space a span of its own
    (MuPDF splits spans where the colour changes); words of style `late` are written after
    the rest of the row, as a browser stores bold words."""
    pieces = [
        (piece, style)
        for chunk, style in _styled(text)
        for piece in re.split(r"( )", chunk)
        if piece
    ]
    placed = []
    for number, (piece, style) in enumerate(pieces):
        placed.append((x, piece, style, number))
        x += pymupdf.get_text_length(piece, fontname=_BASE[style], fontsize=size)
    for x, piece, style, number in sorted(placed, key=lambda p: p[2] == late and bool(late)):
        colour = (0, 0, 0.004 * (number % 2))
        page.insert_text((x, y), piece, fontsize=size, fontname=FONTS[style], color=colour)


_BASE = {"": "tiro", "b": "tibo", "i": "tiit", "m": "tiit"}


def new_page(doc: pymupdf.Document, width: float = 420, height: float = 595) -> pymupdf.Page:
    page = doc.new_page(width=width, height=height)
    page.insert_font(fontname="mathit", fontbuffer=pymupdf.Font("tiit").buffer)
    return page


def save(doc: pymupdf.Document, path: Path) -> Path:
    """Save, the math font named as TeX names it (CMMI10): text in it is math."""
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "FontName")[1] == "/Nimbus#20Roman#20Italic":
            doc.xref_set_key(xref, "FontName", "/CMMI10")
        if doc.xref_get_key(xref, "Subtype")[1] == "/CIDFontType0":
            doc.xref_set_key(xref, "BaseFont", "/CMMI10")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def draft(project: Project, pdf: Path, pages: str, *options: str) -> str:
    out = project.root / "notes" / f"{pdf.stem}.md"
    result = project.run("draft", str(pdf), "--pages", pages, "-o", str(out), "--force", *options)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8").split("-->\n", 1)[1]


def chapter(path: Path) -> Path:
    """Three pages of a book printed from its web edition: a slanted running header in
    capitals and a page number on each, one bold term per page."""
    doc = pymupdf.open()
    bodies = [
        "A **random variable** is a variable that can take on different values.",
        "A **probability distribution** says how likely each state is.",
        "The **expectation** of a function is its average value.",
    ]
    for number, body in enumerate(bodies, 54):
        page = new_page(doc)
        row(page, 50, 30, "_CHAPTER 3. PROBABILITY AND INFORMATION THEORY_", size=8)
        row(page, 50, 80, body)
        row(page, 205, 560, str(number))
    return save(doc, path)


def test_running_headers_and_page_numbers_ask_nothing(project: Project) -> None:
    pdf = chapter(project.root / "books" / "chapter.pdf")
    assert draft(project, pdf, "54-56", "--offset", "-53") == (
        "\n"
        "Q: What is meant by *random variable*? #review\n"
        "A: A random variable is a variable that can take on different values.\n"
        "\n"
        "Q: What is meant by *probability distribution*? #review\n"
        "A: A probability distribution says how likely each state is.\n"
        "\n"
        "Q: What is meant by *expectation*? #review\n"
        "A: The expectation of a function is its average value.\n"
    )
    # One page shows no repetition: its place and shape give the header away.
    assert draft(project, pdf, "55", "--offset", "-53") == (
        "\n"
        "Q: What is meant by *probability distribution*? #review\n"
        "A: A probability distribution says how likely each state is.\n"
    )


def test_terms_are_whole_across_spans_line_breaks_and_hyphens(project: Project) -> None:
    doc = pymupdf.open()
    page = new_page(doc)
    rows = [
        "In the case of the doctor, we use probability to represent a **degree of belief**,",
        "with 1 indicating certainty. A distribution over discrete variables is described",
        "by a **probability mass function** (PMF). A variable is described by a **proba-**",
        "**bility density function (PDF**) when it is **con-**",
        "**tinuous**. Two variables are **conditionally**",
        "**independent** when their distribution factorizes.",
    ]
    for number, text in enumerate(rows):
        row(page, 40, 80 + 14 * number, text, late="b")
    pdf = save(doc, project.root / "books" / "terms.pdf")
    assert draft(project, pdf, "1") == (
        "\n"
        "Q: What is meant by *degree of belief*? #review\n"
        "A: In the case of the doctor, we use probability to represent a degree of belief, "
        "with 1 indicating certainty.\n"
        "\n"
        "Q: What is meant by *probability mass function*? #review\n"
        "A: A distribution over discrete variables is described by a probability mass "
        "function (PMF).\n"
        "\n"
        "Q: What is meant by *probability density function*? #review\n"
        "A: A variable is described by a probability density function (PDF) when it is "
        "continuous.\n"
        "\n"
        "Q: What is meant by *continuous*? #review\n"
        "A: A variable is described by a probability density function (PDF) when it is "
        "continuous.\n"
        "\n"
        "Q: What is meant by *conditionally independent*? #review\n"
        "A: Two variables are conditionally independent when their distribution factorizes.\n"
    )


def test_headings_keep_their_numbers_and_ask_nothing_nor_do_captions(
    project: Project,
) -> None:
    doc = pymupdf.open()
    page = new_page(doc)
    row(page, 40, 60, "**Chapter 3**", size=18)
    row(page, 40, 90, "**Probability and Information Theory**", size=22)
    row(page, 40, 120, "This chapter is about **uncertainty** and how to reason with it.")
    row(page, 40, 150, "**3.1**", size=14)
    row(page, 80, 150, "**Why Probability?**", size=14)
    row(page, 40, 175, "Probability is the **extension of logic** to uncertainty.")
    row(page, 40, 200, "**3.1.1 Discrete Variables and Probability Mass Functions**")
    row(page, 40, 222, "A **discrete** variable has countably many states.")
    row(page, 40, 244, "**Residual Representations.** In image recognition, VLAD is")
    row(page, 40, 258, "a representation that encodes by residual vectors.")
    page.insert_image(pymupdf.Rect(60, 280, 220, 400), stream=_png())
    row(page, 60, 414, "Figure 3.1: The **normal distribution** with mean 0.", size=9)
    row(page, 40, 450, "A **Gaussian** is also called a normal distribution.")
    pdf = save(doc, project.root / "books" / "headings.pdf")
    assert draft(project, pdf, "1") == (
        "\n"
        "# 3 Probability and Information Theory\n"
        "\n"
        "Q: What is meant by *uncertainty*? #review\n"
        "A: This chapter is about uncertainty and how to reason with it.\n"
        "\n"
        "## 3.1 Why Probability?\n"
        "\n"
        "Q: What is meant by *extension of logic*? #review\n"
        "A: Probability is the extension of logic to uncertainty.\n"
        "\n"
        "### 3.1.1 Discrete Variables and Probability Mass Functions\n"
        "\n"
        "Q: What is meant by *discrete*? #review\n"
        "A: A discrete variable has countably many states.\n"
        "\n"
        "Q: What does this figure show? #review\n"
        "![Figure 3.1](../books/headings.pdf#page=1&rect=60,280,220,400)\n"
        "A: Figure 3.1: The normal distribution with mean 0.\n"
        "\n"
        "Q: What is meant by *Gaussian*? #review\n"
        "A: A Gaussian is also called a normal distribution.\n"
    )


def test_a_papers_authors_and_arxiv_stamp_are_no_headings(project: Project) -> None:
    doc = pymupdf.open()
    page = new_page(doc, 612, 792)
    row(page, 150, 80, "**Deep Residual Learning for Image Recognition**", size=16)
    row(page, 170, 110, "**Kaiming He**")
    row(page, 330, 110, "**Xiangyu Zhang**")
    row(page, 250, 124, "Microsoft Research")
    row(page, 230, 138, "{kahe, v-xiangz}@microsoft.com")
    row(page, 280, 170, "**Abstract**", size=12)
    row(page, 100, 190, "_Deeper neural networks are more difficult to train. We present a_")
    row(page, 100, 204, "_residual learning framework to ease the training of networks._")
    row(page, 100, 240, "**1. Introduction**", size=12)
    row(page, 100, 260, "We call this _residual learning_ and study it on ImageNet.")
    page.insert_text((30, 560), "arXiv:1512.03385v1 [cs.CV] 10 Dec 2015", fontsize=20, rotate=90)
    pdf = save(doc, project.root / "books" / "paper.pdf")
    assert draft(project, pdf, "1") == (
        "\n"
        "# Deep Residual Learning for Image Recognition\n"
        "\n"
        "# Abstract\n"
        "\n"
        "# 1. Introduction\n"
        "\n"
        "Q: What is meant by *residual learning*? #review\n"
        "A: We call this residual learning and study it on ImageNet.\n"
    )


def test_two_columns_are_read_column_by_column(project: Project) -> None:
    doc = pymupdf.open()
    page = new_page(doc, 612, 792)
    row(page, 150, 60, "**Deep Residual Learning for Image Recognition**", size=16)
    left = [
        "Deep networks have led to a series of",
        "breakthroughs for image classification.",
        "We call this **residual learning** here.",
        "It is easy to optimize deep networks",
        "with it, on several datasets we tried.",
        "Our results are good on all of them.",
    ]
    right = [
        "Earlier work used residual vectors for",
        "image retrieval and for classification.",
        "They use **shortcut connections** too.",
        "Practices like these have been studied",
        "by many authors in the neural literature.",
        "We compare with them in section four.",
    ]
    row(page, 50, 100, "**1. Introduction**", size=12)
    row(page, 320, 100, "**2. Related Work**", size=12)
    for number, (a, b) in enumerate(zip(left, right, strict=True)):
        row(page, 320, 120 + 12 * number, b)  # the right column first, as a PDF may store it
        row(page, 50, 120 + 12 * number, a)
    pdf = save(doc, project.root / "books" / "columns.pdf")
    assert draft(project, pdf, "1") == (
        "\n"
        "# Deep Residual Learning for Image Recognition\n"
        "\n"
        "# 1. Introduction\n"
        "\n"
        "Q: What is meant by *residual learning*? #review\n"
        "A: We call this residual learning here.\n"
        "\n"
        "# 2. Related Work\n"
        "\n"
        "Q: What is meant by *shortcut connections*? #review\n"
        "A: They use shortcut connections too.\n"
    )


def test_math_in_a_defining_sentence_is_shown_as_the_page(project: Project, anki: Anki) -> None:
    doc = pymupdf.open()
    page = new_page(doc)
    row(page, 40, 80, "The **sum rule** says that $P(x)=SP(x,y)$ for every value of x.")
    row(page, 40, 100, "A **parameter** $p$ is a number that the model learns.")
    pdf = save(doc, project.root / "books" / "math.pdf")
    text = draft(project, pdf, "53", "--offset", "-52")  # printed page 53 is its first
    front = (project.root / "notes" / "math.md").read_text(encoding="utf-8").split("---\n")[1]
    assert front == 'deck: "math"\nsource: "math.pdf"\npages: 53\noffset: -52\n'
    assert text == (
        "\n"
        "Q: What is meant by *sum rule*? #review\n"
        "A: ![sum rule](../books/math.pdf#page=53&rect=38,69,275,84)\n"
        "\n"
        "Q: What is meant by *parameter*? #review\n"
        "A: A parameter p is a number that the model learns.\n"
    )
    (result,) = build_paths([project.root / "notes" / "math.md"], project.decks, now=NOW)
    anki.import_apkg(result.output)
    (media,) = anki.media_files()
    assert f'src="{media}"' in anki.note_by_field("sum rule")["Answer"]


def _png() -> bytes:
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 32, 24), False)
    pixmap.set_rect(pixmap.irect, (40, 80, 200))
    return bytes(pixmap.tobytes("png"))


def test_a_highlight_around_a_formula_shows_the_formula_as_the_page(
    project: Project, anki: Anki
) -> None:
    doc = pymupdf.open()
    page = new_page(doc)
    row(page, 40, 80, "The sum rule says that $P(x)=SP(x,y)$ for every value of x.")
    page.add_highlight_annot(page.search_for("sum rule", quads=True)[0]).update()
    pdf = save(doc, project.root / "books" / "marked.pdf")
    assert draft(project, pdf, "1") == (
        "\n"
        "The {{c1::sum rule}} says that "
        "![formula](../books/marked.pdf#page=1&rect=130,68,188,85) for every value of x.\n"
    )
    (result,) = build_paths([project.root / "notes" / "marked.md"], project.decks, now=NOW)
    anki.import_apkg(result.output)
    (media,) = anki.media_files()
    assert f'src="{media}"' in anki.note_by_field("sum rule")["Text"]


def test_an_answer_goes_on_over_the_page_turn_past_the_header(project: Project) -> None:
    doc = pymupdf.open()
    first = new_page(doc)
    row(first, 50, 30, "_CHAPTER 3. PROBABILITY AND INFORMATION THEORY_", size=8)
    row(first, 50, 80, "Random variables come first in this chapter. A **random variable**")
    row(first, 50, 94, "is a variable that can take on")
    row(first, 205, 560, "54")
    second = new_page(doc)
    row(second, 50, 30, "_CHAPTER 3. PROBABILITY AND INFORMATION THEORY_", size=8)
    row(second, 50, 80, "different values randomly. They may be discrete or continuous.")
    row(second, 205, 560, "55")
    pdf = save(doc, project.root / "books" / "turn.pdf")
    assert draft(project, pdf, "54-55", "--offset", "-53") == (
        "\n"
        "Q: What is meant by *random variable*? #review\n"
        "A: A random variable is a variable that can take on different values randomly.\n"
    )


def test_list_items_and_a_formula_set_apart(project: Project) -> None:
    doc = pymupdf.open()
    page = new_page(doc)
    row(page, 50, 80, "\u2022 **Scalars**: A scalar is just a single number.")
    row(page, 50, 96, "\u2022 **Vectors**: A vector is an array of numbers, written")
    row(page, 62, 110, "in a column, one under the other.")
    row(page, 50, 134, "The size of a matrix is measured by the **Frobenius norm**:")
    row(page, 150, 156, "$||A||=SQRT(S A)$")
    row(page, 50, 178, "which is like the length of a vector.")
    pdf = save(doc, project.root / "books" / "lists.pdf")
    assert draft(project, pdf, "1") == (
        "\n"
        "Q: What is meant by *Scalars*? #review\n"
        "A: Scalars: A scalar is just a single number.\n"
        "\n"
        "Q: What is meant by *Vectors*? #review\n"
        "A: Vectors: A vector is an array of numbers, written in a column, one under the other.\n"
        "\n"
        "Q: What is meant by *Frobenius norm*? #review\n"
        "A: ![Frobenius norm](../books/lists.pdf#page=1&rect=48,123,284,181)\n"
    )
