"""Nothing silently lost: every card a learner writes arrives in Anki as exactly one note with its
formulas intact, or the build stops at the line to fix. One test per way real notes lost cards."""

from __future__ import annotations

import pytest

from ankify.errors import SourceError

from .conftest import Anki, Project


def _imported(project: Project, anki: Anki, text: str) -> list[dict[str, str]]:
    project.write("notes/n.md", text)
    (result,) = project.build()
    assert result.output is not None, result.summary()
    anki.import_apkg(result.output)
    return [dict(note.items()) for note in anki.notes()]


def _fails(project: Project, text: str) -> str:
    path = project.write("notes/n.md", text)
    with pytest.raises(SourceError) as error:
        project.build()
    assert not project.decks.exists()  # nothing half-written
    return str(error.value).replace(f"{path}", "n.md")


def test_an_environment_wrapped_in_dollars_on_lines_of_their_own(project: Project, anki: Anki):
    notes = _imported(
        project,
        anki,
        "Q: What is the covariance matrix?\n"
        "A: The matrix with entries\n$$\n\\begin{align*}\nC_{i,j} &= \\mathrm{Cov}(x_i, x_j)\n"
        "\\end{align*}\n$$\nIts diagonal holds the variances.\n"
        "Q: Next?\nA: $$x$$ once.\n"
        "Q: Last?\nA: Here.\n",
    )
    assert [n["Question"] for n in notes] == [
        "<p>What is the covariance matrix?</p>",
        "<p>Next?</p>",
        "<p>Last?</p>",
    ]
    assert "C_{i,j} &amp;= \\mathrm{Cov}(x_i, x_j)\n\\end{align*}\n\\]</div>" in notes[0]["Answer"]
    assert notes[0]["Answer"].endswith("<p>Its diagonal holds the variances.</p>")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Q: One?\nA: See $$x^2\n\nQ: Two?\nA: 2\n",
            "n.md:2: this displayed formula $$ is never closed: add $$ where it ends (before the "
            "next blank line)",
        ),
        (
            "Q: One?\nA: See $$x^2\nQ: Two?\nA: 2$$\n",
            "n.md:2: this formula runs into the card at line 3: close it ($$) before that line",
        ),
        (
            "Q: One?\nA:\n```python\nx = 1\nQ: Two?\nA: 2\n",
            "n.md:5: this line starts a card inside the code block opened at line 3: close the "
            "code block above it with ```, or indent this line",
        ),
        (
            "Q: One?\nA:\n```python\nx = 1\n",
            "n.md:3: this code block is never closed: add a line ``` where it ends",
        ),
        (
            "Q: One?\nA: ```python\nx = 1\n\nQ: Two?\nA: 2\n",
            "n.md:5: this line starts a card inside the code block opened at line 2",
        ),
        (
            "Q: One?\nA: <pre>\nx = 1\n\nQ: Two?\nA: 2\n",
            "n.md:5: this line starts a card inside the HTML opened at line 2",
        ),
        (
            "Q: One?\nA: 1\n<!-- a comment\nQ: Two?\nA: 2\n",
            "n.md:3: this HTML comment is never closed: add --> where it ends",
        ),
        (
            "Q: One?\nA: see \\(x\n\nQ: Two?\nA: 2\n",
            "n.md:2: this inline formula \\( is never closed",
        ),
        (
            "Q: One?\nA: \\begin{cases} a\n\nQ: Two?\nA: 2\n",
            "n.md:2: \\begin{cases} is never closed",
        ),
    ],
)
def test_a_block_that_would_swallow_the_next_card_stops_at_its_line(
    project: Project, text: str, message: str
) -> None:
    assert _fails(project, text).startswith(message)


def test_an_html_line_under_a_marker_swallows_nothing(project: Project, anki: Anki) -> None:
    lines = [
        "<div>a</div>",
        "<img src='https://example.org/x.png'>",
        "<br>",
        "<details>",
        "<table><tr><td>1</td></tr>",
    ]
    text = "".join(f"Q: Card {i}?\nA:\n{line}\n" for i, line in enumerate(lines))
    notes = _imported(project, anki, text + "Q: Last?\nA: last\n")
    assert [n["Question"] for n in notes] == [f"<p>Card {i}?</p>" for i in range(5)] + [
        "<p>Last?</p>"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "---\nQ: First?\nA: one\n---\nQ: Second?\nA: two\n",
        "---\r\ndeck: CRLF\r\n---\r\nQ: First?\r\nA: one\r\nQ: Second?\r\nA: two\r\n",
    ],
    ids=["a separator at the top", "CRLF front matter"],
)
def test_the_top_of_a_file_never_hides_cards(project: Project, anki: Anki, text: str) -> None:
    notes = _imported(project, anki, text)
    assert [n["Question"] for n in notes] == ["<p>First?</p>", "<p>Second?</p>"]
    if "CRLF" in text:
        assert anki.deck_cards() == {"On the go::CRLF": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "---\ndeck: X\nQ: a?\nA: b\n",
            "n.md:1: the front matter is not closed: add a --- line before the card at line 3",
        ),
        (
            "---\ndeck: X\n\nsome text\n",
            "n.md:1: the front matter is not closed: add a --- line after it",
        ),
    ],
)
def test_front_matter_that_does_not_close_stops_the_build(
    project: Project, text: str, message: str
) -> None:
    assert _fails(project, text) == message


def test_markers_written_almost_right_are_cards(project: Project, anki: Anki) -> None:
    notes = _imported(
        project,
        anki,
        "Q: First?\nA: one\nQ:What no space?\nA: x\n**Q:** Bold?\n**A:** y\n- Q: list?\n- A: z\n"
        "Q : spaced?\nA : w\nQ: Indented?\n  A: v\nQ: Tabbed?\n\tA: $x^2$\n",
    )
    assert [(n["Question"], n["Answer"]) for n in notes] == [
        ("<p>First?</p>", "<p>one</p>"),
        ("<p>What no space?</p>", "<p>x</p>"),
        ("<p>Bold?</p>", "<p>y</p>"),
        ("<p>list?</p>", "<p>z</p>"),
        ("<p>spaced?</p>", "<p>w</p>"),
        ("<p>Indented?</p>", "<p>v</p>"),
        ("<p>Tabbed?</p>", "<p>\\(x^2\\)</p>"),
    ]


def test_markers_from_other_habits_are_cards(project: Project, anki: Anki) -> None:
    notes = _imported(
        project,
        anki,
        "1. Q: Numbered?\n2. A: one\n\n- **Q:** Bold item?\n- **A:** two\n\n"
        "- Q: Loose?\n\n- A: three\n\n- Q: Nested?\n  - A: four\n\n"
        "Q\u00a0: No-break space?\nA: five\n\u200bQ\uff1a Zero width, full width?\nA: six\n"
        "**Q: A whole line in bold?**\nA: seven\nQ: Line\u2028separator?\nA: eight\n\n"
        "Q: Glossary?\nA: Symbols:\n- G: free energy\n- E: internal energy\n- S: entropy\n",
    )
    assert [(n["Question"], n["Answer"]) for n in notes] == [
        ("<p>Numbered?</p>", "<p>one</p>"),
        ("<p>Bold item?</p>", "<p>two</p>"),
        ("<p>Loose?</p>", "<p>three</p>"),
        ("<p>Nested?</p>", "<p>four</p>"),
        ("<p>No-break space?</p>", "<p>five</p>"),
        ("<p>Zero width, full width?</p>", "<p>six</p>"),
        ("<p>A whole line in bold?</p>", "<p>seven</p>"),
        ("<p>Line\nseparator?</p>", "<p>eight</p>"),
        (
            "<p>Glossary?</p>",
            "<p>Symbols:</p>\n<ul>\n<li>G: free energy</li>\n<li>E: internal energy</li>\n"
            "<li>S: entropy</li>\n</ul>",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("> Q: x?\n> A: y\n", 'n.md:1: a card marker inside a quote: remove the ">" before'),
        ("q: x?\na: y\n", 'n.md:1: this reads as a card: write its markers as "Q:" and "A:"'),
        ("Q. x?\nA. y\n", 'n.md:1: this reads as a card: write its markers as "Q:" and "A:"'),
        (
            "Q: x\n## Not sure\nA: y\n",
            'n.md:1: question has no answer: add an "A:" line between it and the heading at line 2',
        ),
        (
            "Q: x\nA: y\nS: not a solution\n",
            'n.md:3: "S:" starts a solution, but the card above is a question (line 1): write '
            '"S\\:" to keep it as text in its answer',
        ),
    ],
)
def test_markers_that_read_two_ways_stop_at_their_line(
    project: Project, text: str, message: str
) -> None:
    assert _fails(project, text).startswith(message)


@pytest.mark.parametrize(
    ("cloze", "message"),
    [
        ("{{c1:x}}", "a cloze needs two colons after its number: {{c1::…}}"),
        ("{c1::x}}", "a cloze opens with two braces: {{c1::…}}"),
        ("{{C1::x}}", "a cloze is written with a small c: {{c1::…}}"),
        ("==x", 'a highlight is not closed: add "==" after the hidden words, e.g. ==mean=='),
        ("== x ==", "a highlight has no space inside its ==: write ==words=="),
    ],
)
def test_a_cloze_written_almost_right_stops_at_its_line(
    project: Project, cloze: str, message: str
) -> None:
    assert _fails(project, f"Q: q?\nA: a\n\nThe {cloze} of it.\n") == f"n.md:4: {message}"


def test_a_cloze_inside_a_formula_is_a_cloze_card(project: Project, anki: Anki) -> None:
    notes = _imported(
        project,
        anki,
        "# Mass\n\nThe mass is $p = {{c1::0.5}}$.\n\n"
        "The {{c1::mean}} is $\\mu = {{c2::\\frac{1}{n}}}$, of $x$ with {{c3::n}} terms.\n",
    )
    assert [n["Text"] for n in notes] == [
        "<p>The mass is \\(p = {{c1::0.5}}\\).</p>",
        "<p>The {{c1::mean}} is \\(\\mu = {{c2::\\frac{1}{n} }}\\), of \\(x\\) with {{c3::n}} terms.</p>",
    ]
    second = anki.notes()[1]
    assert sorted(card.ord for card in second.cards()) == [0, 1, 2]  # three cards, no crash


def test_a_heading_inside_a_solution_is_never_dropped(project: Project) -> None:
    message = _fails(project, "E: Prove it.\nS: First part.\n### Step 2\nSecond part.\n")
    assert message == (
        "n.md:3: this heading is written right under the solution of the exercise at line 1: "
        "leave a blank line above it to start a new section, or write it in bold (**Step 2**) to "
        "keep it in the solution"
    )


def test_a_price_beside_a_cloze_keeps_the_cloze(project: Project, anki: Anki) -> None:
    (note,) = _imported(project, anki, "The book costs $10, and its {{c1::hardcover}} 100$.\n")
    assert note["Text"] == "<p>The book costs $10, and its {{c1::hardcover}} 100$.</p>"


def test_formulas_arrive_whole(project: Project, anki: Anki) -> None:
    notes = _imported(
        project,
        anki,
        "Q: First?\nA: $a$ and 1\n\nQ: Second?\nA: $b$ and \\\n\nQ: Two?\nA: $$a^2$$ and $$b^2$$\n\n"
        "Q: Norms?\nA:\n| n | f |\n| --- | --- |\n| L2 | $\\|x\\|_2$ |\n| abs | $|y|$ |\n",
    )
    answers = [n["Answer"] for n in notes]
    assert answers[0] == "<p>\\(a\\) and 1</p>"
    assert answers[1] == "<p>\\(b\\) and \\</p>"
    assert answers[2] == (
        '<p><span class="ankify-math">\\[a^2\\]</span> and '
        '<span class="ankify-math">\\[b^2\\]</span></p>'
    )
    assert "<td>\\(\\|x\\|_2\\)</td>" in answers[3] and "<td>\\(|y|\\)</td>" in answers[3]


def test_code_keeps_its_dollars_and_the_formulas_after_it_render(
    project: Project, anki: Anki
) -> None:
    notes = _imported(
        project,
        anki,
        "Q: Shell?\nA: Run `echo $HOME` then\n\n"
        "- in a list:\n\n  ```sh\n  cost=$5\n  ```\n\n"
        "Q: After the code, $x^2$?\nA: $2x$, see [the $ page](https://e.org/$x$).\n",
    )
    assert "<code>echo $HOME</code>" in notes[0]["Answer"]
    assert "cost=$5" in notes[0]["Answer"]
    assert notes[1]["Question"] == "<p>After the code, \\(x^2\\)?</p>"
    assert notes[1]["Answer"].startswith('<p>\\(2x\\), see <a href="https://e.org/$x$">')


def test_the_characters_formulas_are_hidden_behind_are_refused(project: Project) -> None:
    message = _fails(project, "Q: What?\nA: One \ue000 two.\n")
    assert message.startswith("n.md:2: this line holds the private-use character U+E000")


def test_a_cloze_in_a_displayed_formula_or_in_html_is_a_cloze_card(
    project: Project, anki: Anki
) -> None:
    notes = _imported(
        project,
        anki,
        "$$p = {{c1::x}}$$\n\n"
        "The {{c1::Gaussian}} density is\n$$p(x) = {{c2::\\frac{1}{2}}}$$\n\n"
        "\\begin{align}\nh &= {{c1::1}}\n\\end{align}\n\n"
        "<div>The {{c1::mean}}</div>\n",
    )
    texts = [n["Text"] for n in notes]
    assert texts[0] == '<div class="ankify-math">\\[p = {{c1::x}}\\]</div>'
    assert texts[1] == (
        "<p>The {{c1::Gaussian}} density is</p>\n"
        '<div class="ankify-math">\\[p(x) = {{c2::\\frac{1}{2} }}\\]</div>'
    )
    assert "h &amp;= {{c1::1}}" in texts[2]
    assert texts[3] == "<div>The {{c1::mean}}</div>"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## The {{c1::Bayes}} rule\n", "n.md:1: a heading cannot hold a cloze"),
        ("Q: q?\nA: It is\n$$p = {{c1::x}}$$\n", "n.md:2: a cloze cannot be part of an answer"),
        ("Q: q?\nA:\n<div>{{c1::x}}</div>\n", "n.md:3: a cloze cannot be part of an answer"),
        (
            "Q: q?\nA:\n| a | b |\n|---|---|\n| 1 | 2 | $x^2$ |\n",
            "n.md:5: this table row has 1 cell more than its header",
        ),
    ],
)
def test_a_cloze_or_cell_that_would_vanish_stops_the_build(
    project: Project, text: str, message: str
) -> None:
    assert _fails(project, text).startswith(message)


def test_quotes_lists_and_words_keep_their_formulas(project: Project, anki: Anki) -> None:
    notes = _imported(
        project,
        anki,
        "Q: Quoted?\nA:\n> $$\n> a = b\n> $$\n\n"
        "Q: Listed?\nA:\n- \\begin{cases} x & a \\\\ y \\end{cases}\n\n"
        "Q: Words?\nA: $posterior \\propto likelihood$ and $f(x) \\le g(x) for all x$\n\n"
        "Q: Backtick?\nA: The backtick (`) key.\n\nQ: Product $x*y*z$?\nA: See <!-- todo\n\n"
        "Q: Arrows?\nA: A ==> B, B <==> A and a==b.\n",
    )
    answers = {n["Question"]: n["Answer"] for n in notes}
    assert answers["<p>Quoted?</p>"] == (
        '<blockquote>\n<div class="ankify-math">\\[\na = b\n\\]</div>\n</blockquote>'
    )
    assert "\\[\\begin{cases} x &amp; a \\\\ y \\end{cases}\\]" in answers["<p>Listed?</p>"]
    assert answers["<p>Words?</p>"] == (
        "<p>\\(posterior \\propto likelihood\\) and \\(f(x) \\le g(x) for all x\\)</p>"
    )
    assert "<p>Product \\(x*y*z\\)?</p>" in answers
    assert answers["<p>Arrows?</p>"] == "<p>A ==&gt; B, B &lt;==&gt; A and a==b.</p>"
