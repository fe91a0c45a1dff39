"""`ankify lint` and lint in `ankify build`: findings at file:line, a summary per rule, exit
codes, `[lint]` in ankify.toml, and one-line errors."""

from __future__ import annotations

import pytest

from ..conftest import Anki, Project

BAD = """\
# Chapter 3

Q: Is the KL divergence symmetric?
A: No.

Q: What are the three sources of uncertainty?
A: Inherent stochasticity, incomplete observability and incomplete modeling.

Q: Why can a probability density exceed 1?
A: Only its integral over a region must be at most 1.
"""
GOOD = "# Chapter 4\n\nQ: What does the variance of a random variable measure?\nA: Its spread.\n"
YES_NO = (
    '[yes-no] the question is answered yes or no (answered "No"): ask for what the answer '
    "explains instead (Why …? When …? What …?)"
)
ENUMERATION = (
    "[enumeration] the answer is a list (3 items in a row): make one cloze per item, e.g. a "
    "paragraph with {{c1::…}}, {{c2::…}}, {{c3::…}}"
)


def test_lint_prints_each_finding_at_its_line_then_a_summary(project: Project) -> None:
    project.write("sources/ch3.md", BAD)
    project.write("sources/ch4.md", GOOD)
    result = project.run("lint", "sources")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"sources/ch3.md:3: {YES_NO}",
        f"sources/ch3.md:6: {ENUMERATION}",
        "     1  yes-no",
        "     1  enumeration",
        "2 findings in 4 cards of 2 sources",
    ]
    assert result.stderr == ""
    assert project.run("lint", "sources", "--warn-only").exit_code == 0


def test_lint_with_nothing_to_say_exits_0(project: Project) -> None:
    project.write("sources/ch4.md", GOOD)
    result = project.run("lint")  # the project's sources/ by default
    assert (result.exit_code, result.output) == (0, "No findings in 1 card of 1 source\n")


def test_near_duplicates_across_files_name_both_places(project: Project) -> None:
    project.write("sources/ch3.md", GOOD.replace("Chapter 4", "Chapter 3"))
    project.write("sources/ch4.md", GOOD.replace("measure?", "measure, exactly?"))
    result = project.run("lint", "sources")
    assert result.stdout.splitlines()[0] == (
        "sources/ch4.md:3: [near-duplicate] nearly the same question as sources/ch3.md:3: reword "
        "one so that they ask different things, or delete one"
    )
    assert project.run("lint", "sources").stdout == result.stdout  # from the cache
    (project.root / "sources" / "ch3.md").unlink()
    assert project.run("lint", "sources").exit_code == 0


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[lint]\nyes-no = false\n", ["enumeration"]),
        ("[lint]\nenumeration = 4\n", ["yes-no"]),
        ("[lint]\nlong-answer = 5\n", ["yes-no", "long-answer", "enumeration", "long-answer"]),
    ],
)
def test_lint_table_turns_rules_off_and_sets_thresholds(
    project: Project, toml: str, expected: list[str]
) -> None:
    project.write("ankify.toml", toml)
    project.write("sources/ch3.md", BAD)
    lines = project.run("lint").stdout.splitlines()
    assert [line.split("[")[1].split("]")[0] for line in lines if ": [" in line] == expected


def test_a_rule_off_by_default_is_turned_on(project: Project) -> None:
    note = "Q: Which network is state of the art on ImageNet?\nA: A residual network.\n"
    project.write("sources/a.md", note)
    assert project.run("lint").exit_code == 0
    project.write("ankify.toml", "[lint]\nunstamped = true\n")
    result = project.run("lint")
    assert result.stdout.startswith(
        "sources/a.md:1: [unstamped] the card says something that changes with time, without a "
        'year ("state of the art"): say when'
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[lint]\nyesno = false\n",
            "ankify.toml:2: unknown rule 'yesno' in [lint]: did you mean 'yes-no'?",
        ),
        (
            "[decks]\n\n[lint]\nvague = 3\n",
            "ankify.toml:4: [lint] vague takes no threshold: write vague = false to turn it off",
        ),
        (
            "[lint]\nlong-answer = 'long'\n",
            "ankify.toml:2: [lint] long-answer must be true, false or a threshold above 0 "
            "(long-answer = 40)",
        ),
        ("lint = 3\n", "ankify.toml:1: [lint] must be a table: long-answer = 40, yes-no = false"),
    ],
)
def test_a_bad_lint_table_is_one_error_line(project: Project, toml: str, message: str) -> None:
    project.write("ankify.toml", toml)
    project.write("sources/ch3.md", BAD)
    result = project.run("lint")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "nope: no such file or folder: check the path"),
        (
            [],
            "no sources/ folder at the project's root: name the notes to lint, e.g. ankify lint notes/",
        ),
        (
            ["ankify.toml"],
            "ankify.toml: no .md note files to lint: name notes, or folders of notes",
        ),
    ],
)
def test_lint_errors_on_paths(project: Project, args: list[str], message: str) -> None:
    project.write("ankify.toml", "")
    result = project.run("lint", *args)
    assert result.exit_code == 1
    assert result.stderr.endswith(f"{message}\n") and result.stderr.count("\n") == 1


def test_a_note_that_cannot_be_read_is_its_build_error(project: Project) -> None:
    project.write("sources/ch3.md", BAD)
    project.write("sources/ch5.md", "Q: Where is it?\n\n```python\nQ: inside\n")
    result = project.run("lint", "sources")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: sources/ch5.md:4: this line starts a card inside the code block opened at line "
        "3: close the code block above it with ```, or indent this line\n"
    )


def test_build_prints_the_count_and_never_stops(project: Project, anki: Anki) -> None:
    project.write("sources/ch3.md", BAD)
    result = project.run("build", "sources")
    assert result.exit_code == 0
    assert result.stdout == "decks/ch3.apkg: On the go::Chapter 3 3 cards\n"
    assert result.stderr.splitlines()[0] == (
        "Lint: 2 findings (1 yes-no, 1 enumeration): see them with 'ankify lint sources' or "
        "'ankify build --lint'"
    )
    anki.import_apkg(project.decks / "ch3.apkg")
    assert len(anki.notes()) == 3
    result = project.run("build", "sources", "--lint")
    assert result.stderr.splitlines()[:3] == [
        f"sources/ch3.md:3: {YES_NO}",
        f"sources/ch3.md:6: {ENUMERATION}",
        result.stderr.splitlines()[2],
    ]
    assert result.stderr.splitlines()[2].startswith("Lint: 2 findings")


def test_build_says_nothing_of_lint_when_there_is_nothing(project: Project) -> None:
    project.write("sources/ch4.md", GOOD)
    project.run("build", "sources")
    assert project.run("build", "sources").stderr == ""


def test_a_bad_lint_key_is_a_note_to_a_build(project: Project) -> None:
    project.write("ankify.toml", "[lint]\nyesno = false\n")
    project.write("sources/ch3.md", BAD)
    result = project.run("build", "sources")
    assert result.exit_code == 0
    assert (
        "Note: lint: ankify.toml:2: unknown rule 'yesno' in [lint]: did you mean 'yes-no'?\n"
        in (result.stderr)
    )


def test_the_cache_follows_edits(project: Project) -> None:
    path = project.write("sources/ch3.md", BAD)
    first = project.run("lint").stdout
    assert project.run("lint").stdout == first
    assert list((project.root / ".ankify" / "cache" / "lint").iterdir())
    path.write_text(BAD.replace("A: No.", "A: Not in general: $D(P \\| Q) \\neq D(Q \\| P)$."))
    assert "[yes-no]" not in project.run("lint").stdout


def test_a_damaged_cache_entry_is_read_again(project: Project) -> None:
    project.write("sources/ch3.md", GOOD.replace("Chapter 4", "Chapter 3"))
    project.write("sources/ch4.md", GOOD.replace("measure?", "measure, exactly?"))
    first = project.run("lint").stdout
    for entry in (project.root / ".ankify" / "cache" / "lint").iterdir():
        head, _, _ = entry.read_bytes().partition(b"\n")
        entry.write_bytes(head + b"\n" + (b'["x\\ty"]' if entry.name[0] != "p" else b"[[9, 1]]"))
    assert project.run("lint").stdout == first
    assert project.run("lint").stdout == first
