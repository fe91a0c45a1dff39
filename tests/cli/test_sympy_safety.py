"""`ankify build` of someone else's ```sympy and ```exercise blocks: nothing a note holds runs,
nothing it asks for costs more than a bounded amount, and each refusal is one line at its place
(exit 1, no traceback, no package, no file written anywhere)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import Result

from ankify.math import bounds

from ..conftest import Project


def _files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


def _build(project: Project, text: str) -> Result:
    """Build `notes/n.md` holding `text`; only the output and ankify's own state may appear."""
    project.write("notes/n.md", text)
    outside = project.root.parent
    before = _files(outside)
    started = time.monotonic()
    result = project.run("build", "notes/n.md")
    assert time.monotonic() - started < 30
    written = {
        path
        for path in _files(outside) - before
        if path.parts[1] not in ("decks", ".ankify", ".ankify-state.json")
    }
    assert written == set()
    return result


def _refused(project: Project, text: str, message: str) -> str:
    result = _build(project, text)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: notes/n.md:"), result.stderr
    assert message in lines[0], lines[0]
    assert not project.decks.exists() or not list(project.decks.glob("*.apkg"))
    return lines[0]


def _sympy(*lines: str) -> str:
    return "Q: q?\nA: a\n```sympy\ncheck: diff(x**2, x) == 2*x\n" + "\n".join(lines) + "\n```\n"


def _exercise(solution: str, vars: str = "a in 1..3", variants: str = "2") -> str:
    return (
        f"# Drills\n```exercise\nvars: {vars}\nproblem: Compute {{{{a}}}}.\n"
        f"solution: {solution}\nvariants: {variants}\n```\n"
    )


ATTACKS = [
    "__import__('os').system('touch {marker}') == 0",
    "diff(\"__import__('os').system('touch {marker}')\", x) == 0",
    "x.__class__.__mro__[-1].__subclasses__() == 0",
    "(lambda: __import__('os').system('touch {marker}'))() == 0",
    "[open('{marker}', 'w') for i in [1]] == []",
    "getattr(x, '__globals__') == 0",
    "exec(\"open('{marker}', 'w')\") == 0",
    "eval(\"open('{marker}', 'w')\") == 0",
    "sympify(\"open('{marker}', 'w')\") == 0",
    "open('{marker}', 'w') == 0",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_check_line_runs_no_code(project: Project, tmp_path: Path, attack: str) -> None:
    marker = tmp_path / "pwned"
    line = _refused(
        project,
        _sympy("", "check: " + attack.replace("{marker}", str(marker))),
        "is not allowed in a sympy expression: ",
    )
    assert line.startswith("Error: notes/n.md:6: ")
    assert not marker.exists()


@pytest.mark.parametrize("attack", ATTACKS[:2] + ATTACKS[-3:])
def test_an_exercise_solution_runs_no_code(project: Project, tmp_path: Path, attack: str) -> None:
    marker = tmp_path / "pwned"
    solution = attack.replace("{marker}", str(marker)).removesuffix(" == 0")
    line = _refused(project, _exercise(solution), "is not allowed in a sympy expression: ")
    assert line.startswith("Error: notes/n.md:5: ")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_sympy("check: 10**10**10 > 0"), "notes/n.md:5: 10**10**10 would have about"),
        (_sympy("check: factorial(10**7) > 0"), "notes/n.md:5: factorial(10**7) would have"),
        (_sympy("check: (2**n).subs(n, 10**10) > 0"), "notes/n.md:5: 2**10000000000 would have"),
        (_sympy("check: eye(10**6) == 1"), "ankify builds matrices of up to 10,000 entries"),
        (_sympy("check: " + "(" * 500 + "x" + ")" * 500), "as sympy (too many nested parentheses)"),
        (_sympy("check: " + "x + " * 2000 + "x"), "ankify reads up to 4,000"),
        (_exercise("a", variants="1000"), "notes/n.md:6: variants: 1000 is more exercises"),
        (_exercise("a", vars="a in 1..10**12"), "notes/n.md:3: cannot read '1..10**12'"),
        (_exercise("a", vars="a in 1..99999999999"), "99999999999 is too large for an exercise"),
        (_exercise("10**(10**(9 + a))"), "notes/n.md:5: 10**(10**(9 + a)) would have about"),
    ],
)
def test_what_would_exhaust_the_machine_is_refused(
    project: Project, text: str, message: str
) -> None:
    _refused(project, text, message)


def test_a_huge_range_builds_at_once(project: Project) -> None:
    result = _build(project, _exercise("a + 1", vars="a in 1..300000000", variants="3"))
    assert result.exit_code == 0, result.output
    assert "Pen and paper::Drills 3 cards" in result.stdout


def test_a_slow_claim_stops_at_the_time_limit(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "TIME_LIMIT", 0.2)
    line = _refused(project, _sympy("check: expand((x + y + 1)**400) == 0"), "")
    assert line == (
        "Error: notes/n.md:5: sympy took more than 0.2 s to check this: simplify the claim or "
        "split it"
    )
    line = _refused(project, _exercise("expand((x + y + a)**400)"), "")
    assert line == (
        "Error: notes/n.md:5: sympy took more than 0.2 s to compute this solution: simplify it "
        "or use smaller values"
    )


def test_claims_that_crashed_or_were_misjudged_now_build(project: Project) -> None:
    result = _build(
        project,
        _sympy(
            "check: solve(x**2 - 1, x) == [-1, 1]",
            "check: Matrix([[1,0],[0,3]]).eigenvals() == {1: 1, 3: 1}",
            "check: solveset(x**2 - 1, x) == FiniteSet(-1, 1)",
            "check numerically: x**2 >= 0",
        ),
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "check: diff(x**2, x ==",
            "notes/n.md:5: cannot read 'diff(x**2, x ==' as sympy (a bracket is not closed)",
        ),
        ("check: x**2 >= 0", "notes/n.md:5: sympy cannot decide x**2 >= 0: x may be complex;"),
        ("check: solve(x**2 - 1, x) == [1, 2]", "notes/n.md:5: false claim: solve(x**2 - 1, x)"),
    ],
)
def test_broken_and_undecidable_claims_are_one_line(
    project: Project, line: str, message: str
) -> None:
    _refused(project, _sympy(line), message)
