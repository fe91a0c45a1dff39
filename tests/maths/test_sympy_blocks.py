"""sympy in notes: claims checked at build time, and generated drills."""

from __future__ import annotations

import re
import subprocess
import sys
import time
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
        (
            "check: diff(x**2, x) == 2*x +",
            "cannot read 'diff(x**2, x) == 2*x +' as sympy (invalid syntax)",
        ),
        ("x == x", "a sympy block holds 'check:' lines"),
        ("check: 2 < 1", "false claim: 2 < 1 is False"),
    ],
)
def test_false_or_broken_claims_name_the_line(text: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        check_claims(text, 7, NOTE)
    assert str(error.value).startswith(f"notes.md:7: {message}")


@pytest.mark.parametrize(
    "claim",
    [
        # What sympy returns, compared as a mathematician reads it (each raised or failed).
        "check: solve(x**2 - 1, x) == [-1, 1]",
        "check: solve(x**2 - 1, x) == [1, -1]",  # solve's order is sympy's: a set of solutions
        "check: solve(x**2 - 1, x) == {1, -1}",
        "check: Matrix([[1,0],[0,3]]).eigenvals() == {1: 1, 3: 1}",
        "check: solveset(x**2 - 1, x) == FiniteSet(-1, 1)",
        "check: solveset(x**2 - 1, x) == {1, -1}",
        "check: solveset(x**2 - 1 < 0, x, domain=S.Reals) == Interval.open(-1, 1)",
        "check: solve([x + y - 2, x - y], [x, y]) == {x: 1, y: 1}",
        "check: (1, x) == (1, x)",
        "check: [sin(x)**2 + cos(x)**2, 2] == [1, 2]",
        "check: Matrix([[1, 2], [3, 4]]).inv() == Matrix([[-2, 1], [S(3)/2, -S(1)/2]])",
        "check: isprime(7)",
        "check: isprime(8) == False",
        "check: Eq(x, 1) == Eq(2, 2*x)",
        "check: (x < 1) == (1 > x)",
        "check: Eq(sin(x)**2 + cos(x)**2, 1)",
        "check: limit(1/x, x, 0, '+') == oo",
        "check: 0 < pi < 4",
        "check: 1 != 2",
        "check: x! == gamma(x + 1) and 5! == 120",
        "check: Symbol('x', real=True)**2 >= 0",
        "assume: x real\ncheck: x**2 >= 0",
        "assume: n, m positive integer\ncheck: n >= 1\ncheck: n + m > 0",
        "check numerically: x**2 >= 0",
        "check numerically: sin(x)**2 + cos(x)**2 <= 1",
        "check numerically: (x > 0) | (x <= 0)",
        "check: diff(f(x)*g(x), x) == f(x)*diff(g(x), x) + g(x)*diff(f(x), x)",
    ],
)
def test_claims_about_lists_sets_dicts_and_relations_pass(claim: str) -> None:
    check_claims(claim, 1, NOTE)


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (
            "check: solve(x**2 - 1, x) == [1, 2]",
            "false claim: solve(x**2 - 1, x) == [1, 2]: the left side is [-1, 1], the right side is [1, 2] (-1 is on the left side only)",
        ),
        (
            "check: solveset(x**2 - 1, x) == FiniteSet(-1, 2)",
            "false claim: solveset(x**2 - 1, x) == FiniteSet(-1, 2): the left side is {-1, 1}, the right side is {-1, 2} (1 is on the left side only)",
        ),
        (
            "check: Matrix([[1,0],[0,3]]).eigenvals() == {1: 1, 3: 2}",
            "false claim: Matrix([[1,0],[0,3]]).eigenvals() == {1: 1, 3: 2}: the left side is {1: 1, 3: 1}, the right side is {1: 1, 3: 2} (at 3: 1 vs 2)",
        ),
        (
            "check: Matrix([[1,0],[0,3]]).eigenvals() == {1: 1, 4: 1}",
            "false claim: Matrix([[1,0],[0,3]]).eigenvals() == {1: 1, 4: 1}: the left side is {1: 1, 3: 1}, the right side is {1: 1, 4: 1} (the key 3 is on the left side only)",
        ),
        (
            "check: (1, 2) == (2, 1)",
            "false claim: (1, 2) == (2, 1): the left side is (1, 2), the right side is (2, 1) (element 1: 1 vs 2)",
        ),
        (
            "check: [1, 2] == [1, 2, 3]",
            "false claim: [1, 2] == [1, 2, 3]: the left side is [1, 2], the right side is [1, 2, 3] (the left side has 2 elements, the right side 3)",
        ),
        (
            "check: Matrix([[1, 2], [3, 4]]).T == Matrix([[1, 3], [2, 5]])",
            "false claim: Matrix([[1, 2], [3, 4]]).T == Matrix([[1, 3], [2, 5]]): the left side is Matrix([[1, 3], [2, 4]]), the right side is Matrix([[1, 3], [2, 5]]) (row 2, column 2: 4 vs 5)",
        ),
        (
            "check: [1] == 1",
            "false claim: [1] == 1: the left side is [1], the right side is 1 (the left side is a list of 1, the right side a number)",
        ),
        ("check: isprime(8)", "false claim: isprime(8) is False"),
        ("check: isprime(8) == True", "false claim: isprime(8) == True: the left side is False"),
        (
            "check: (x < 1) == (x < 2)",
            "false claim: (x < 1) == (x < 2): the left side is x < 1, the right side is x < 2 (at x = ",
        ),
        ("check: (x > 0) & (x < 1)", "false claim: (x > 0) & (x < 1) is False (at x = "),
        (
            "check: 0 < pi < 3",
            "false claim: pi < 3 is False: the left side is pi, the right side is 3",
        ),
        ("check: x != x", "false claim: x != x: both sides are x"),
        (
            "check: I < 1",
            "false claim: I < 1 is False: the left side is I, the right side is 1 (complex numbers are not ordered)",
        ),
        # Undecided by sympy, and refuted at a real point.
        (
            "check: x**2 >= 1",
            "false claim: x**2 >= 1 is False: the left side is x**2, the right side is 1 (at x = ",
        ),
        (
            "check: x + 1",
            "a check is a claim, true or false: x + 1 is an expression: compare it with something, like diff(x**2, x) == 2*x",
        ),
    ],
)
def test_false_claims_of_each_kind_say_what_each_side_is(claim: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        check_claims(claim, 3, NOTE)
    assert str(error.value).startswith(f"notes.md:3: {message}")
    assert "\n" not in str(error.value)


def test_an_undecidable_claim_says_so_and_how_to_decide_it() -> None:
    with pytest.raises(SourceError) as error:
        check_claims("check: x**2 >= 0", 3, NOTE)
    assert str(error.value) == (
        "notes.md:3: sympy cannot decide x**2 >= 0: x may be complex; declare the symbols "
        "('assume: x real' before the check, or Symbol('x', real=True)), or write 'check "
        "numerically:' to accept agreement at 20 random real points"
    )
    with pytest.raises(SourceError) as error:
        check_claims("assume: x real\ncheck: exp(x) >= 1 + x", 3, NOTE)
    assert str(error.value) == (
        "notes.md:4: sympy cannot decide exp(x) >= 1 + x: it cannot tell the sign of "
        "-x + exp(x) - 1; write 'check numerically:' to accept agreement at 20 random real "
        "points, or rewrite the claim"
    )
    check_claims("assume: x real\ncheck numerically: exp(x) >= 1 + x", 3, NOTE)
    with pytest.raises(SourceError, match=r"sympy cannot decide f\(x\) == g\(x\): their"):
        check_claims("check: f(x) == g(x)", 3, NOTE)


def test_numerical_evidence_is_checked_on_both_sides_of_zero() -> None:
    with pytest.raises(SourceError) as error:
        check_claims("check numerically: sqrt(x**2) == x", 3, NOTE)
    message = str(error.value)
    assert message.startswith("notes.md:3: false claim: sqrt(x**2) == x: the left side is ")
    assert message.endswith("; checked 20 random points)")
    with pytest.raises(SourceError) as error:
        check_claims("check numerically: x**2 >= 1", 3, NOTE)
    assert re.search(
        r"\(at x = [\d.-]+: [\d.e-]+ vs 1; it held at \d+ of the \d+ points checked\)$",
        str(error.value),
    )
    with pytest.raises(SourceError, match="only 0 of 200 random real points give real sides"):
        check_claims("check numerically: sqrt(-x**2 - 1) >= 0", 3, NOTE)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("assume: x", "notes.md:3: write assumptions like 'assume: x, y real'"),
        ("assume: __x real", "notes.md:3: cannot assume anything of '__x': names starting with _"),
        ("assume: x positive negative", "notes.md:3: cannot assume 'x positive negative'"),
        ("check numerically x > 0", "notes.md:3: a sympy block holds 'check:' lines"),
    ],
)
def test_bad_assumptions_name_the_line(text: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        check_claims(text, 3, NOTE)
    assert str(error.value).startswith(message)


def test_a_huge_range_is_never_materialised() -> None:
    started = time.monotonic()
    exercises = generate_exercises(
        "vars: a in 1..300000000; b in -1000000000..1000000000\nproblem: {{a}}, {{b}}\n"
        "solution: a + b\nvariants: 100",
        1,
        NOTE,
    )
    assert time.monotonic() - started < 5
    assert len({e.values for e in exercises}) == 100
    for exercise in exercises:
        a, b = dict(exercise.values)["a"], dict(exercise.values)["b"]
        assert exercise.solution == str(a + b) and 1 <= a <= 300000000


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "vars: a in 1..3\nproblem: {{a}}\nsolution: a\nvariants: 101",
            23,
            "variants: 101 is more exercises than one block makes (up to 100)",
        ),
        (
            "vars: a in 1..10000000000\nproblem: {{a}}\nsolution: a",
            20,
            "10000000000 is too large for an exercise: values go from -1,000,000,000 to 1,000,000,000",
        ),
        (
            "vars: a in [1, 99999999999999999999999]\nproblem: {{a}}\nsolution: a",
            20,
            "99999999999999999999999 is too large for an exercise",
        ),
        (
            "vars: a in 1..1000000; b in 1..1000000; c in 1..1000000; d in 1..1000000\nproblem: {{a}}\nsolution: a",
            20,
            "the vars allow more than 1,000,000,000,000,000,000 combinations of values",
        ),
        ("vars: __a in 1..3\nproblem: x\nsolution: 1", 20, "cannot name a variable '__a'"),
        (
            "vars: a in 1..3\nproblem: {{a}}\nsolution: __import__('os').system('id')",
            22,
            "__import__() is not allowed in a sympy expression",
        ),
        (
            "vars: a in 5..6\nproblem: {{a}}\nsolution: 10**(10**a)",
            22,
            "10**(10**a) would have about",
        ),
        (
            "vars: a in [4]\nproblem: {{a}}\nsolution: 7**(10**a)",
            22,
            "the solution '7**(10**a)' is a number too long for a card",
        ),
    ],
)
def test_exercises_that_would_cost_too_much_are_refused(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as error:
        generate_exercises(text, 20, NOTE)
    assert str(error.value).startswith(f"notes.md:{line}: {message}")


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
