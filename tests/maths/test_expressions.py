"""sympy expressions are read as maths, never run as Python, and cost a bounded amount."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sympy

from ankify.errors import SourceError
from ankify.math import bounds
from ankify.math.expressions import Solutions, evaluate
from ankify.math.sympy_blocks import check_claims
from ankify.math.syntax import read
from ankify.model import SourceSpan

SPAN = SourceSpan(Path("notes.md"), 4)
x, y, n = sympy.symbols("x y n")


def value(text: str, env: dict[str, Any] | None = None) -> Any:
    return bounds.bounded(lambda: evaluate(read(text, SPAN), SPAN, env), SPAN, "check it", "stop")


def refused(text: str) -> str:
    """The message (after the place) of the SourceError `text` raises."""
    with pytest.raises(SourceError) as error:
        value(text)
    message = str(error.value)
    assert message.startswith("notes.md:4: ") and "\n" not in message
    return message.removeprefix("notes.md:4: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diff(x^3, x)", 3 * x**2),
        ("x^2 + 1", x**2 + 1),
        ("1/2", sympy.Rational(1, 2)),
        ("0.1", sympy.Float("0.1")),
        ("2j", 2 * sympy.I),
        ("x!", sympy.factorial(x)),
        ("(x + 1)!", sympy.factorial(x + 1)),
        ("5!!", 15),
        ("(n!)!", sympy.factorial(sympy.factorial(n))),
        ("2^n!", 2 ** sympy.factorial(n)),
        ("f(x)!", sympy.factorial(sympy.Function("f")(x))),
        ("abs(-3) + max(1, 2) + min(4, 5)", 9),
        ("pow(2, 100, 7) + len([1, 2]) + sum([1, 2, 3])", 2 + 2 + 6),
        ("S.Half + S(1)/3", sympy.Rational(5, 6)),
        ("Symbol('t', positive=True) > 0", True),
        ("symbols('a b')", sympy.symbols("a b")),
        ("Function('g')(x)", sympy.Function("g")(x)),
        ("Lambda(x, x**2)(3)", 9),
        ("limit(1/x, x, 0, '+')", sympy.oo),
        ("limit(1/x, x, 0, dir='-')", -sympy.oo),
        ("Matrix([[1, 2], [3, 4]]).T[0, 1]", 3),
        ("Matrix([[1, 0], [0, 3]]).eigenvals()", {1: 1, 3: 1}),
        ("solve(x**2 - 1, x)[0]", -1),
        ("Eq(x, 1).rhs", 1),
        ("x.subs(x, 2)", 2),
        ("Interval.open(0, 1)", sympy.Interval.open(0, 1)),
        ("{1: 2}[1]", 2),
        ("0 < pi < 4", True),
        ("1 in FiniteSet(1, 2)", True),
        ("E + I + pi", sympy.E + sympy.I + sympy.pi),
        ("Q + lex", sympy.Symbol("Q") + sympy.Symbol("lex")),  # sympy's other names: symbols
    ],
)
def test_maths_is_read_as_sympy_parser_read_it(text: str, expected: Any) -> None:
    assert value(text) == expected


def test_solve_returns_solutions_and_values_stand_for_names() -> None:
    assert isinstance(value("solve(x**2 - 1, x)"), Solutions)
    assert value("a*x + b", {"a": sympy.Integer(2), "b": sympy.Integer(3)}) == 2 * x + 3


@pytest.fixture
def marker(tmp_path: Path) -> Iterator[Path]:
    """A file the attacks try to create; it must never exist."""
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "an expression ran code"


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        (
            "__import__('os').system('touch {marker}')",
            "__import__() is not allowed in a sympy expression: ankify calls only sympy's maths",
        ),
        ("x.__class__", "the attribute .__class__ is not allowed"),
        ("x.__class__.__mro__", "the attribute .__class__ is not allowed"),
        ("diff.__globals__", "the attribute .__globals__ is not allowed"),
        ("().__class__.__base__.__subclasses__()", "the attribute .__class__ is not allowed"),
        ("x.subs.__self__", ".subs without brackets is not allowed"),
        ("Matrix.eigenvals(x)", ".eigenvals of a function is not allowed"),
        (
            "(lambda: open('{marker}', 'w'))()",
            "is not allowed in a sympy expression: write Lambda(",
        ),
        (
            "[open('{marker}', 'w') for i in [1]]",
            "is not allowed in a sympy expression: write Sum(",
        ),
        (
            "diff(\"__import__('os').system('touch {marker}')\", x)",
            "the string \"__import__('os').system('touch ",
        ),
        ("x.subs('x', 1)", "the string 'x' is not allowed"),
        ("Symbol('x; import os')", "the name 'x; import os' is not allowed"),
        ("symbols('x:1000000000')", "the name 'x:1000000000' is not allowed"),
        ("Function('__import__')", "the name '__import__' is not allowed"),
        ("getattr(x, '__class__')", "getattr() is not allowed"),
        ("open('{marker}', 'w')", "open() is not allowed"),
        ("exec(\"open('{marker}', 'w')\")", "exec() is not allowed"),
        ("eval(\"open('{marker}', 'w')\")", "eval() is not allowed"),
        ("sympify(\"open('{marker}', 'w')\")", "sympify() is not allowed"),
        ("parse_expr(\"open('{marker}', 'w')\")", "parse_expr() is not allowed"),
        ("lambdify(x, x)", "lambdify() is not allowed"),
        ("x.evalf(subs={'x': 1})", "the string 'x' is not allowed"),
        ("Symbol('x', cls=Function)", "the keyword cls= is not allowed"),
        ("diff(**{'x': 1})", "* and ** in a call is not allowed"),
        ("open", "open is not allowed in a sympy expression: open is Python's"),
        ("_x + 1", "_x is not allowed in a sympy expression: names starting with _"),
        ("x if x else 1", "write Piecewise("),
        ("f'{x}'", "strings are only names"),
        ("S.__class__", "S.__class__ is not allowed"),
        ("S('1/3')", "the string '1/3' is not allowed"),
        ("[0] * 10**9", "arithmetic on a list in '[0] * 10**9' is not allowed"),
        ("1 << 10**10", "the operator in '1 << 10**10' is not allowed"),
        ("x[0]", "indexing 'x' is not allowed"),
        ("x is x", "'is' is not allowed"),
    ],
)
def test_anything_but_maths_is_refused_before_it_runs(
    attack: str, message: str, marker: Path
) -> None:
    assert message in refused(attack.replace("{marker}", str(marker)))


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        ("10**10**10", "10**10**10 would have about 10,000,000,000 digits; ankify computes exact"),
        ("2**2**2**2**2**2", "2**2**2**2**2**2 would have astronomically many digits"),
        ("factorial(10**400)", "factorial(10**400) would have astronomically many digits"),
        ("binomial(10**100, 10**50)", "binomial(10**100, 10**50) would have about"),
        ("rf(3, 10**400)", "would have astronomically many digits"),
        ("factorial(10**7)", "factorial(10**7) would have about 65,657,059 digits"),
        ("(10**7)!", "would have about 65,657,059 digits"),
        ("gamma(10**8)", "gamma(10**8) would have about"),
        ("binomial(10**9, 5*10**8)", "would have about 301,029,"),
        ("Pow(10, 10**10)", "Pow(10, 10**10) would have about"),
        ("pow(10, 10**10)", "pow(10, 10**10) would have about"),
        ("Rational(1, 3)**(10**7)", "would have about 4,771,212 digits"),
        ("(2**n).subs(n, 10**10)", "2**10000000000 would have about 3,010,299,956 digits"),
        ("sqrt(2)**(10**10)", "ankify computes powers up to 1,000,000"),
        ("expand((x + 1)**(10**9))", "ankify computes powers up to 1,000,000"),
        ("Matrix([[2]])**(10**6)", "ankify raises matrices to powers up to 1,000"),
        ("eye(10**5)", "eye(10**5): ankify builds matrices of up to 10,000 entries"),
        ("zeros(10**3, 10**3)", "ankify builds matrices of up to 10,000 entries"),
        ("N(pi, 10**6)", "N(pi, 10**6): ankify evaluates up to 10,000 digits"),
        ("pi.evalf(10**6)", "ankify evaluates up to 10,000 digits"),
        ("fibonacci(10**9)", "ankify computes fibonacci(n) for n up to 1,428,571"),
        ("prime(10**12)", "ankify computes prime(n) for n up to 10,000,000"),
        ("x" * 5000, "this expression is 5,000 characters long; ankify reads up to 4,000"),
        ("(" * 300 + "x" + ")" * 300, "as sympy (too many nested parentheses)"),
        ("-" * 3000 + "x", "as sympy (it is nested too deeply)"),
        ("1+" * 500 + "1", "(it nests more than 200 operations or brackets deep)"),
        ("diff(x**2, x ==", "cannot read 'diff(x**2, x ==' as sympy (a bracket is not closed)"),
        ("x\x00", "as sympy ("),
        ("import os", "cannot read 'import os' as sympy (invalid syntax)"),
    ],
)
def test_resource_bombs_are_refused_before_they_cost(bomb: str, message: str) -> None:
    started = time.monotonic()
    assert message in refused(bomb)
    assert time.monotonic() - started < 2


def test_powers_of_exact_numbers_are_guarded_only_while_a_line_is_worked_on() -> None:
    original = sympy.Integer.__dict__["_eval_power"]
    with pytest.raises(SourceError, match="would have about"):
        value("(3**n).subs(n, 10**9)")
    assert sympy.Integer.__dict__["_eval_power"] is original
    assert sympy.Integer(2) ** 10 == 1024


def test_a_line_that_takes_too_long_stops_and_the_clock_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bounds, "TIME_LIMIT", 0.2)
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        started = time.monotonic()
        with pytest.raises(SourceError) as error:
            check_claims("check: expand((x + y + 1)**400) == 0", 4, Path("notes.md"))
        assert time.monotonic() - started < 5
        assert str(error.value) == (
            "notes.md:4: sympy took more than 0.2 s to check this: simplify the claim or split it"
        )
        handler = signal.getsignal(signal.SIGALRM)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert callable(handler) and handler is not previous and 20 < remaining <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_without_the_main_thread_there_is_no_clock_but_the_work_is_done() -> None:
    import threading

    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(value("diff(x**3, x)")))
    thread.start()
    thread.join()
    assert results == [3 * x**2]
