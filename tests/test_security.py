"""Notes and PDFs from someone else: a build reads nothing outside the project into a package,
ships only images, runs nothing a note holds, escapes text that came from a PDF, and bounds what
a file can cost. Each attack goes through the command line and stops with one line at its place.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from .conftest import Anki, Project
from .pdf_fixtures import Book, png


def _refused(project: Project, text: str, message: str, *, name: str = "notes/n.md") -> str:
    """The note stops the build with `message` at its place; no package is written. The
    message."""
    project.write(name, text)
    result = project.run("build", name)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert message in lines[0], lines[0]
    assert not project.decks.exists() or not list(project.decks.glob("*.apkg"))
    return lines[0]


def _package_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


SECRET = b"root:x:0:0:the builder's secret\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside the project, that no package may carry."""
    path = tmp_path / "secret.png"
    path.write_bytes(png(3, 3) + SECRET)
    return path


@pytest.mark.parametrize(
    "link",
    [
        "../../secret.png",
        "../../../../../../../../{secret}",
        "{secret}",
        "%2E%2E/%2E%2E/secret.png",
        "..%2F..%2Fsecret.png",
        "file://{secret}",
    ],
    ids=["dot-dot", "deep dot-dot", "absolute", "percent-encoded", "encoded slash", "file URL"],
)
def test_an_image_outside_the_project_is_refused(project: Project, secret: Path, link: str) -> None:
    src = link.format(secret=secret)
    texts = [f'Q: Figure?\nA: <img src="{src}">\n']
    if not src.startswith("file:"):  # markdown reads `![x](file:…)` as text, not an image
        texts.append(f"Q: Figure?\nA: ![x]({src})\n")
    for text in texts:
        _refused(project, text, "notes/n.md:2: image")
        result = project.run("build", "notes/n.md")
        assert "outside the project" in result.stderr or "file: address" in result.stderr


def test_a_symlink_out_of_the_project_is_refused(project: Project, secret: Path) -> None:
    (project.root / "notes").mkdir()
    (project.root / "notes" / "link.png").symlink_to(secret)
    _refused(project, "Q: Figure?\nA: ![x](link.png)\n", "notes/n.md:2: image link.png is outside")


def test_a_symlink_inside_the_project_ships_its_image(project: Project, anki: Anki) -> None:
    (project.root / "figures").mkdir()
    (project.root / "figures" / "real.png").write_bytes(png(4, 4))
    (project.root / "notes").mkdir()
    (project.root / "notes" / "link.png").symlink_to(project.root / "figures" / "real.png")
    project.write("notes/n.md", "Q: Figure?\nA: ![x](link.png)\n")
    assert project.run("build", "notes/n.md").exit_code == 0
    anki.import_apkg(project.decks / "n.apkg")
    (media,) = anki.media_files()
    assert media.endswith(".png")


def test_only_images_ship_and_their_bytes_name_their_kind(project: Project, anki: Anki) -> None:
    (project.root / "notes").mkdir()
    (project.root / "notes" / "passwords.png").write_text("user: hunter2\n")
    _refused(project, "Q: Figure?\nA: ![x](passwords.png)\n", "passwords.png is not an image")
    # A PNG saved as .txt ships as .png: the media name never keeps a name's suffix.
    (project.root / "notes" / "figure.txt").write_bytes(png(4, 4))
    project.write("notes/n.md", 'Q: Figure?\nA: <img src="figure.txt" width="300">\n')
    assert project.run("build", "notes/n.md").exit_code == 0
    anki.import_apkg(project.decks / "n.apkg")
    (media,) = anki.media_files()
    assert media.startswith("ankify-") and media.endswith(".png")
    assert f'<img src="{media}" width="300">' in anki.notes()[0]["Answer"]


def test_an_svg_that_could_run_a_script_is_refused(project: Project) -> None:
    (project.root / "notes").mkdir()
    (project.root / "notes" / "f.svg").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'
    )
    _refused(project, "Q: Figure?\nA: ![x](f.svg)\n", "image f.svg holds a script")
    (project.root / "notes" / "f.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    assert project.run("build", "notes/n.md").exit_code == 0


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<script>fetch('https://evil.example')</script>", "<script> is not allowed in a card"),
        ('<img src="https://example.org/x.png" onerror="alert(1)">', "onerror="),
        ('<svg onload="alert(1)"></svg>', "<svg> is not allowed"),
        ('<iframe src="javascript:alert(1)"></iframe>', "<iframe> is not allowed"),
        ('<a href="javascript:alert(1)">click</a>', "a link in a card goes to an http(s)"),
        ('<span style="background: url(https://evil.example/t.png)">x</span>', "style="),
        ("<object data='x.swf'></object>", "<object> is not allowed"),
        ('<form action="https://evil.example"><input name=p></form>', "<form> is not allowed"),
    ],
)
def test_html_in_a_note_that_runs_or_loads_something_stops_the_build(
    project: Project, html: str, message: str
) -> None:
    line = _refused(project, f"Q: What is this?\nA: see\n\n{html}\n", message)
    assert line.startswith("Error: notes/n.md:4: <")


def test_html_that_formats_a_card_reaches_it(project: Project, anki: Anki) -> None:
    html = (
        '<details><summary>Hint</summary><span style="color: red">red</span> '
        '<a href="https://www.deeplearningbook.org">book</a><sup>2</sup></details>'
    )
    project.write("notes/n.md", f"Q: What is this?\nA: see\n\n{html}\n")
    assert project.run("build", "notes/n.md").exit_code == 0
    anki.import_apkg(project.decks / "n.apkg")
    assert html in anki.notes()[0]["Answer"]


def test_html_in_a_pdf_popup_note_is_text(project: Project, anki: Anki) -> None:
    book = Book(title="Shared")
    page = book.page("A random variable is a variable that takes values at random.")
    attacks = [
        "Q: What is <script>alert(1)</script> here?",
        'Q: Why <img src=x onerror="alert(1)">?',
        "Q: And <svg onload=alert(1)> this?",
        'Q: Or <iframe src="javascript:alert(1)"></iframe>?',
    ]
    for occurrence, note in enumerate(attacks):
        book.mark(page, "random", note=note, occurrence=occurrence % 2)
    book.save(project.root / "shared.pdf")
    result = project.run("build", "shared.pdf", "--pages", "1")
    assert result.exit_code == 0, result.output
    anki.import_apkg(next(project.decks.glob("*.apkg")))
    questions = sorted(note["Question"] for note in anki.notes())
    assert len(questions) == len(attacks)
    for question in questions:
        assert "<script" not in question and "<img" not in question
        assert "<svg" not in question and "<iframe" not in question
    assert "<p>What is &lt;script&gt;alert(1)&lt;/script&gt; here?</p>" in questions


def test_an_image_in_a_pdf_popup_note_stays_inside_the_project(
    project: Project, secret: Path
) -> None:
    book = Book()
    page = book.page("A random variable is a variable that takes values at random.")
    book.mark(page, "random", note=f"Q: Which file? ![x]({secret})")
    book.save(project.root / "shared.pdf")
    result = project.run("build", "shared.pdf", "--pages", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: shared.pdf p. 1, the highlight “random”: image ")
    assert "outside the project" in result.stderr
    assert not list(project.decks.glob("*.apkg"))


def test_a_billion_laughs_in_front_matter_stops_at_once(project: Project) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        previous = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "---\n" + "\n".join(levels) + "\n---\nQ: Fine?\nA: yes\n"
    started = time.perf_counter()
    _refused(project, text, "notes/n.md:3: the front matter uses a YAML alias (*name)")
    assert time.perf_counter() - started < 10  # it expanded nothing


def test_a_note_too_large_to_be_written_by_hand_is_refused(project: Project) -> None:
    card = "Q: What is card number {}?\nA: It is card {}.\n\n"
    text = "".join(card.format(i, i) for i in range(120_000))
    assert len(text) > 4 * 2**20
    _refused(project, text, "notes/n.md: the file is 6 MB: a note file may be up to 4 MB: split it")


def test_a_pdf_page_too_large_to_render_is_refused(project: Project) -> None:
    import pymupdf

    doc = pymupdf.open()
    doc.new_page(width=14_000, height=14_000)
    doc.save(project.root / "poster.pdf")
    doc.close()
    _refused(
        project,
        "Q: The poster?\nA: ![p](../poster.pdf#page=1)\n",
        "too large to render: show a region of it with &rect=",
    )


def test_a_formula_too_long_for_a_card_is_refused(project: Project) -> None:
    tex = " + ".join(f"x_{{{i}}}" for i in range(3000))
    _refused(project, f"Q: Sum?\nA: $${tex}$$\n", "notes/n.md:2: formula $x_{0} + x_{1}")
    result = project.run("build", "notes/n.md")
    assert "characters long: a card shows formulas up to 10,000: split it" in result.stderr
