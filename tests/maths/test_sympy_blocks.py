"""sympy in notes: claims checked at build time, and generated drills."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ankify.errors import SourceError
from ankify.math.sympy_blocks import check_claims, generate_exercises

from ..conftest import NOW, Anki, Project

NOTE = Path("notes.md")


DRILL = """vars: a in 2..9; b in 1..5
problem: Differentiate $f(x) = {{a}} x^3 + {{b}} x$ with respect to $x$.
solution: f'(x) = diff(a*x**3 + b*x, x)
variants: 3"""


@pytest.mark.parametrize(
    "claim",
    [
        "check: diff(log(1 + exp(x)), x) == 1 / (1 + exp(-x))",
        "check: diff(x^3, x) == 3*x^2",
        "check: sin(x)**2 + cos(x)**2 == 1",
        "check: integrate(x, (x, 0, 1)) == Rational(1, 2)",
        "check: Matrix([[1, 2], [3, 4]]).det() == -2",
        "check: 1 < 2",
        # Equal only numerically after simplify gives up: the random points decide.
        "check: gamma(x + 1) == x*gamma(x)",
    ],
)
def test_true_claims_pass(claim: str) -> None:
    check_claims(claim, 1, NOTE)


def test_several_check_lines_are_all_verified() -> None:
    text = "check: diff(x**2, x) == 2*x\n\ncheck: diff(x**2, x) == 3*x\n"
    with pytest.raises(SourceError) as error:
        check_claims(text, 10, NOTE)
    assert str(error.value).startswith(
        "notes.md:12: false claim: diff(x**2, x) == 3*x: the left side is 2*x, the right side is 3*x (at x = "
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "check: exp(x) == 1 + x",
            "false claim: exp(x) == 1 + x: the left side is exp(x), the right side is x + 1",
        ),
        ("check: diff(x**2, x) == 2*x +", "cannot read '2*x +' as sympy"),
        ("x == x", "a sympy block holds 'check:' lines"),
        ("check: 2 < 1", "false claim: 2 < 1 is False"),
    ],
)
def test_false_or_broken_claims_name_the_line(text: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        check_claims(text, 7, NOTE)
    assert str(error.value).startswith(f"notes.md:7: {message}")


def test_exercises_are_drawn_deterministically_and_solved_by_sympy() -> None:
    first = generate_exercises(DRILL, 20, NOTE)
    assert first == generate_exercises(DRILL, 20, NOTE)
    assert len(first) == 3
    assert len({e.values for e in first}) == 3
    for exercise in first:
        a, b = dict(exercise.values)["a"], dict(exercise.values)["b"]
        assert 2 <= a <= 9 and 1 <= b <= 5
        assert exercise.problem == f"Differentiate $f(x) = {a} x^3 + {b} x$ with respect to $x$."
        assert exercise.solution == f"f'(x) = {3 * a} x^{{2}} + {b}"
        assert exercise.line == 21


def test_list_values_and_a_solution_without_label() -> None:
    (exercise,) = generate_exercises(
        "vars: n in [4]\nproblem: ${{n}}!$\nsolution: factorial(n)\n", 1, NOTE
    )
    assert (exercise.problem, exercise.solution) == ("$4!$", "24")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("vars: a in 9..2\nproblem: {{a}}\nsolution: a", 20, "the values of a (9..2) are empty"),
        (
            "vars: a in 1..3\nproblem: {{c}}\nsolution: a",
            21,
            "unknown variable {{c}} in the problem (variables: a)",
        ),
        (
            "vars: a in 1..3\nproblem: {{a}}\nsolution: diff(a*x**3 +, x)",
            22,
            "cannot read 'diff(a*x**3 +, x)' as sympy",
        ),
        (
            "vars: a in 1..2\nproblem: {{a}}\nsolution: a\nvariants: 5",
            23,
            "variants: 5 asks for more exercises than the 2",
        ),
        ("problem: x", 19, "the exercise block has no solution: add a 'solution:' line"),
        ("vars: a from 1 to 3\nproblem: {{a}}\nsolution: a", 20, "cannot read 'a from 1 to 3'"),
        (
            "prob: x\nsolution: a",
            20,
            "an exercise block holds vars:, problem:, solution:, variants: lines",
        ),
    ],
)
def test_bad_exercise_blocks_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as error:
        generate_exercises(text, 20, NOTE)
    assert str(error.value).startswith(f"notes.md:{line}: {message}")


DRILLS = """
# Calculus
```exercise
vars: a in 2..9; b in 1..5
problem: Differentiate $f(x) = {{a}} x^3 + {{b}} x$ with respect to $x$.
solution: f'(x) = diff(a*x**3 + b*x, x)
variants: 3
```
"""


def test_true_sympy_checks_pass_and_never_show(project: Project, anki: Anki) -> None:
    project.write(
        "notes/m.md",
        "Q: What is the derivative of the softplus?\nA: The logistic sigmoid.\n"
        "```sympy\ncheck: diff(log(1 + exp(x)), x) == 1 / (1 + exp(-x))\n"
        "check: diff(x**2, x) == 2*x\n```\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    assert anki.note_by_field("softplus")["Answer"] == "<p>The logistic sigmoid.</p>"


def test_a_false_claim_fails_at_its_line_with_both_sides(project: Project) -> None:
    project.write(
        "notes/m.md",
        "Q: q?\nA: a\n```sympy\ncheck: diff(x**2, x) == 2*x\ncheck: diff(x**3, x) == 3*x\n```\n",
    )
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).startswith(
        f"{project.root}/notes/m.md:5: false claim: diff(x**3, x) == 3*x: "
        "the left side is 3*x**2, the right side is 3*x (at x = "
    )


def test_generated_exercises_are_pen_and_paper_cards_that_rebuild_identically(
    project: Project, anki: Anki
) -> None:
    project.write("notes/drills.md", DRILLS)
    (result,) = project.build()
    log = anki.import_apkg(result.output)
    assert log.new == 3
    assert anki.deck_cards() == {"Pen and paper::Calculus": 3}
    for note in anki.notes():
        assert note.note_type()["name"] == "ankify Exercise"
        problem = note["Exercise"]
        a = int(problem.split("= ")[1].split(" ")[0])
        b = int(problem.split("+ ")[1].split(" ")[0])
        assert note["Solution"] == (
            f'<div class="ankify-math">\\[\nf\'(x) = {3 * a} x^{{2}} + {b}\n\\]</div>'
        )
    (again,) = project.build(now=NOW + 86400)
    log = anki.import_apkg(again.output)
    assert (log.new, log.updated, log.duplicate) == (0, 0, 3)


def test_a_bad_exercise_block_fails_at_its_line(project: Project) -> None:
    project.write("notes/drills.md", DRILLS.replace("{{b}} x$", "{{c}} x$"))
    with pytest.raises(
        SourceError, match=r"drills.md:4: unknown variable \{\{c\}\} in the problem"
    ):
        project.build()


def test_sympy_is_imported_only_for_sources_that_use_it(project: Project) -> None:
    project.write("notes/plain.md", "Q: What is $x^2$?\nA: A square.\n")
    code = (
        "import sys; from pathlib import Path; from ankify.build.pipeline import build_paths; "
        "build_paths([Path('notes')], Path('decks'), now=0); print('sympy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
