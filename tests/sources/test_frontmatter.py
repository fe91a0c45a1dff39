"""Front matter: the keys ankify reads, and errors at the line of the key."""

from __future__ import annotations

import pytest

from ankify.config import load_config
from ankify.errors import SourceError
from ankify.model import PageRange
from ankify.sources.frontmatter import parse_front_matter, read_text, split_front_matter
from ankify.sources.markdown import read_markdown

from ..conftest import Project


def test_front_matter_is_read_with_all_its_keys(project: Project) -> None:
    path = project.write(
        "ch3.md",
        r"""
        ---
        deck: Deep Learning::Chapter 3
        tags: [dlbook, ch3]
        source: dlbook.pdf
        pages: 53-60, 62
        macros:
          \R: \mathbb{R}
          E: \mathbb{E}
        title: kept for other tools
        ---
        Q: q?
        A: a
        """,
    )
    header, _ = split_front_matter(read_text(path), path)
    front = parse_front_matter(header, path)
    assert front.deck == "Deep Learning::Chapter 3"
    assert front.tags == ("dlbook", "ch3")
    assert front.source == "dlbook.pdf"
    assert front.pages == (PageRange(53, 60), PageRange(62, 62))
    assert front.macros == (("\\E", "\\mathbb{E}"), ("\\R", "\\mathbb{R}"))
    # Line numbers below the front matter are those of the file.
    assert read_markdown(path, load_config(path)).drafts[0].span.line == 11


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("deck: [a\n", 2, "invalid front matter"),
        ("- a list\n", 2, "expected 'key: value' lines"),
        ("tag: [a]\n", 2, "unknown front matter key 'tag': did you mean 'tags'?"),
        ("tags: [two words]\n", 2, "tag 'two words' is not one word"),
        ("deck: A\npages: 60-53\n", 3, "runs backwards"),
        ("pages: chapter three\n", 2, "is not a page range"),
        ("deck: A::::B\n", 2, "has an empty part"),
    ],
)
def test_invalid_front_matter(project: Project, header: str, line: int, message: str) -> None:
    path = project.write("bad.md", f"---\n{header}---\nQ: q?\nA: a\n")
    with pytest.raises(SourceError) as error:
        read_markdown(path, load_config(path))
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert message in str(error.value)


def test_a_macro_cut_by_a_yaml_comment_says_to_quote_it(project: Project) -> None:
    project.write("notes/m.md", "---\nmacros:\n  \\norm: \\lVert #1 \\rVert\n---\nQ: q?\nA: a\n")
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).endswith(
        "m.md:3: macro \\norm: YAML reads ' #' as the start of a comment: quote the LaTeX, "
        "e.g. \\norm: '\\lVert #1 \\rVert'"
    )
