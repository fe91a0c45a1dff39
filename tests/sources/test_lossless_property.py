"""The rule, as a property: a note mixing every construct real notes have either builds with every
card it holds present exactly once and every formula intact, or fails at the line of its one
mistake. Notes come from a seeded generator: 300 in every run, 3,000 with `pytest -m slow`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown_it.common.utils import escapeHtml

from ankify.config import load_config
from ankify.errors import SourceError
from ankify.identity import make_notes
from ankify.render import render_cards
from ankify.sources.markdown import read_markdown
from ankify.validate import validate_source

from ..conftest import Anki, Project

WORDS = ("entropy", "mean", "variance", "tensor", "gradient", "Jacobian", "logit", "prior")
UNICODE = ("café", "naïve", "Σ-algebra", "μ and σ", "→", "≤", "日本")
INLINE = (r"x^2", r"\frac{a}{b}", r"\|x\|_2", r"p(x \mid y)", r"\mathbb{E}[X]", r"a_{i,j}")
DISPLAY = (r"\sum_{k=1}^n k", r"\int_0^1 x\,dx", r"e^{i\pi} + 1 = 0")
ENVIRONMENTS = ("align*", "aligned", "bmatrix", "cases")


@dataclass
class Note:
    """A generated note: its lines, the cards it holds, its formulas, and its one mistake."""

    lines: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)  # a word only that card's front holds
    formulas: list[str] = field(default_factory=list)  # TeX that must reach a card whole
    fault: int | None = None  # the line (1-based) the build must stop at

    def add(self, *lines: str) -> int:
        """Append lines; the line number of the first."""
        self.lines.extend(lines)
        return len(self.lines) - len(lines) + 1


def _inline(rng: random.Random, note: Note, in_card: bool) -> str:
    """A line of answer text: words, unicode, inline formulas, a price, code."""
    parts = [rng.choice(WORDS)]
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        if kind == 0:
            tex = rng.choice(INLINE)
            parts.append(f"${tex}$")
            if in_card:
                note.formulas.append(tex)
        elif kind == 1:
            tex = rng.choice(INLINE)
            parts.append(f"\\({tex}\\)")
            if in_card:
                note.formulas.append(tex)
        elif kind == 2:
            parts.append(rng.choice(UNICODE))
        elif kind == 3:
            parts.append("costs $5 and $10")
        elif kind == 4:
            parts.append("`echo $HOME | grep Q:`")
        else:
            parts.append(f"*{rng.choice(WORDS)}*")
    return " ".join(parts)


def _body(rng: random.Random, note: Note) -> None:
    """An answer's or solution's lines after its marker line."""
    for _ in range(rng.randint(0, 3)):
        kind = rng.randrange(9)
        if kind == 0:
            note.add(_inline(rng, note, True))
        elif kind == 1:  # display math on lines of its own, wrapping an environment
            env = rng.choice(ENVIRONMENTS)
            tex = f"\n\\begin{{{env}}}\na & b \\\\\nc & d\n\\end{{{env}}}\n"
            note.add("$$", *tex.strip("\n").split("\n"), "$$")
            note.formulas.append(tex)
        elif kind == 2:
            tex = rng.choice(DISPLAY)
            note.add(f"see $${tex}$$ and $${tex}$$ here")
            note.formulas.append(tex)
        elif kind == 3:
            note.add("\\[", rng.choice(DISPLAY), "\\]")
            note.formulas.append(f"\n{note.lines[-2]}\n")
        elif kind == 4:
            note.add(f"- {_inline(rng, note, True)}", f"- {rng.choice(UNICODE)}")
        elif kind == 5:
            tex = rng.choice(INLINE)
            note.add("", "| a | b |", "| --- | --- |", f"| ${tex}$ | {rng.choice(WORDS)} |", "")
            note.formulas.append(tex)
        elif kind == 6:
            note.add("```python", "# a comment, not a heading", "x = '$not math$'", "```")
        elif kind == 7:
            note.add(
                rng.choice(
                    (
                        "<div>html</div>",
                        "<br>",
                        "<img src='https://example.org/web.png'>",
                        "<details>",
                    )
                )
            )
        else:
            note.add(f"\t{rng.choice(WORDS)} indented with a tab")


def _card(rng: random.Random, note: Note, number: int) -> None:
    word = f"card{number}"
    kind = rng.randrange(3)
    if kind == 2:  # a cloze paragraph
        note.add("")
        style = rng.randrange(3)
        if style == 0:
            note.add(f"The {word} has a {{{{c1::{rng.choice(WORDS)}}}}} and a ==highlight==.")
        elif style == 1:
            tex = f"p = {{{{c1::{rng.choice(INLINE)}}}}}"
            note.add(f"The {word} is ${tex}$.")
        else:
            note.add(f"The {word} costs $10, and its {{{{c1::hardcover}}}} 100$.")
        note.add("")
        note.cards.append(word)
        return
    question, answer = ("Q", "A") if kind == 0 else ("E", "S")
    spelling = rng.choice(("{}: ", "{}:", "**{}:** ", "{} : ")) if rng.random() < 0.2 else "{}: "
    note.add(spelling.format(question) + f"What about {word} and {_inline(rng, note, True)}?")
    answer_first = spelling.format(answer) if rng.random() < 0.9 else f"  {answer}: "
    note.add(answer_first + _inline(rng, note, True))
    _body(rng, note)
    note.cards.append(word)


def _fault(rng: random.Random, note: Note) -> None:
    """One mistake, at the end of a card: the build must stop at its line."""
    kind = rng.randrange(5)
    if kind == 0:
        note.fault = note.add(f"Q: Broken {rng.choice(WORDS)}?", "A: See $$x^2 and")
        note.fault += 1
        note.add("")
    elif kind == 1:
        note.fault = note.add("The {{c1:typo}} here.") if note.add("") else None
    elif kind == 2:
        note.add("E: Prove it.", "S: First part.")
        note.fault = note.add("### Step 2")
        note.add("Second part.")
    elif kind == 3:
        note.add("Q: Why?", "A: Because")
        note.fault = note.add("```python")
        note.add("x = 1")
        note.lines.extend(())  # the fence stays open to the end of the note
    else:
        note.add("")
        note.fault = note.add("A {c1::single} brace.")


def generate(seed: int) -> tuple[Note, str]:
    """A note, and its text as a file would hold it (CRLF, a BOM, headings, separators)."""
    rng = random.Random(seed)
    note = Note()
    if rng.random() < 0.3:
        note.add("---", f"deck: Generated {seed}", "tags: [gen]", "---")
    elif rng.random() < 0.1:
        note.add("---")  # a separator at the top
    number = 0
    for _ in range(rng.randint(1, 8)):
        kind = rng.randrange(10)
        if kind == 0:
            note.add("", f"## {rng.choice(WORDS).title()} ${rng.choice(INLINE)}$", "")
        elif kind == 1:
            note.add("", f"Some prose about {_inline(rng, note, False)}.", "")
        elif kind == 2:
            note.add("", "---", "")
        elif kind == 3:
            note.add("", "<!--", "Q: Commented out?", "A: never a card", "-->", "")
        else:
            _card(rng, note, number)
            number += 1
            if rng.random() < 0.5:
                note.add("")
    last_is_fence = False
    if rng.random() < 0.25:
        _fault(rng, note)
        last_is_fence = note.lines[-1] == "x = 1"
    text = "\n".join(note.lines) + "\n"
    if not last_is_fence and rng.random() < 0.15:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return note, text


def _check(root: Path, seed: int) -> None:
    note, text = generate(seed)
    path = root / f"n{seed}.md"
    path.write_bytes(text.encode("utf-8"))
    config = load_config(path)
    try:
        source = read_markdown(path, config)
        validate_source(source, config)
        cards = make_notes(render_cards(source, config))
    except SourceError as error:
        assert note.fault is not None, f"seed {seed}: {error}\n{text}"
        assert error.span is not None and error.span.line == note.fault, (
            f"seed {seed}: expected line {note.fault}, got {error}\n{text}"
        )
        return
    assert note.fault is None, f"seed {seed}: the mistake at line {note.fault} built\n{text}"
    fronts = [card.fields[0] for card in cards]
    for word in note.cards:
        found = [front for front in fronts if f"{word} " in front or f"{word}<" in front]
        assert len(found) == 1, f"seed {seed}: {word} is on {len(found)} cards\n{text}"
    assert len(cards) == len(note.cards), f"seed {seed}: {len(cards)} cards\n{text}"
    shown = "".join(field for card in cards for field in card.fields)
    for tex in note.formulas:
        assert escapeHtml(tex) in shown or escapeHtml(tex).replace("}}", "} }") in shown, (
            f"seed {seed}: formula {tex!r} is not whole\n{text}"
        )


@pytest.mark.parametrize("seed", range(300))
def test_every_card_arrives_once_or_the_build_stops_at_the_mistake(
    tmp_path: Path, seed: int
) -> None:
    (tmp_path / ".git").mkdir()
    _check(tmp_path, seed)


@pytest.mark.slow
def test_the_same_over_three_thousand_notes(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for seed in range(300, 3300):
        _check(tmp_path, seed)


def test_generated_notes_import_into_anki_whole(project: Project, anki: Anki) -> None:
    built = 0
    for seed in range(40):
        note, text = generate(seed)
        if note.fault is not None:
            continue
        path = project.root / "notes" / f"n{seed}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        built += len(note.cards)
    for result in project.build():
        if result.output is not None:
            anki.import_apkg(result.output)
    assert built > 20
    assert len(anki.notes()) == built


#: Pieces of note syntax, for notes made of them at random.
PIECES = [
    *"QAES:*_$\\{}[]()=#-`~<>!|^ \t\n\nabcxyz01",
    "{{c1::", "}}", "==", "$$", "\\[", "\\]", "\\(", "\\)", "\\begin{align}", "\\end{align}",
    "```", "<!--", "-->", "<div>", "---", "\nQ: ", "\nA: ", "\nE: ", "\nS: ", "\n# ", "\n### ",
    "\n- Q: ", "\n- A: ", "**Q:**", "\r\n", "\ufeff", "é", "∑",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(10))
def test_any_text_builds_or_stops_with_a_message(tmp_path: Path, seed: int) -> None:
    """Never a traceback: whatever a note holds, it builds or raises a SourceError."""
    (tmp_path / ".git").mkdir()
    rng = random.Random(seed)
    path = tmp_path / "n.md"
    config = load_config(path)
    for _ in range(100):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 200)))
        path.write_text(text, encoding="utf-8")
        try:
            source = read_markdown(path, config)
            validate_source(source, config)
            make_notes(render_cards(source, config))
        except SourceError:
            pass
