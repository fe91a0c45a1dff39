"""sympy in note files: claims checked at build time, and generated pen-and-paper drills.

    ```sympy
    check: diff(log(1 + exp(x)), x) == 1 / (1 + exp(-x))
    assume: x real
    check numerically: x**2 >= 0
    ```

is verified symbolically, then numerically at seeded random points; a false claim fails the
build at its line and says what each side is. `assume:` gives the symbols after it
assumptions (`assume: n positive integer`); `check numerically:` accepts agreement at random
real points where sympy cannot decide.

    ```exercise
    vars: a in 2..9; b in 1..5
    problem: Differentiate $f(x) = {{a}} x^3 + {{b}} x$ with respect to $x$.
    solution: f'(x) = diff(a*x**3 + b*x, x)
    variants: 3
    ```

gives `variants` exercises with values drawn deterministically from the block itself, so a
rebuild gives the same exercises. Expressions are maths, never Python (see `expressions`), and
what each line may cost is bounded (see `bounds`). sympy costs about 0.3 s to import: only
sources that use these blocks pay for it.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import SourceSpan
from .bounds import bounded
from .claims import check_claim
from .expressions import evaluate, reason
from .syntax import EXAMPLE, Expression, read
from .vocabulary import ASSUMPTIONS, name_problem

_VAR = re.compile(r"^\s*([A-Za-z_]\w*)\s+in\s+(.+?)\s*$")
_RANGE = re.compile(r"^(-?\d+)\s*\.\.\s*(-?\d+)$")
_NUMBER = re.compile(r"^\s*-?\d+\s*$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_KEYS = ("vars", "problem", "solution", "variants")
_CHECKS = {"check": False, "check numerically": True}
#: Values a person computes by hand, and how many exercises one block may make.
MAX_VALUE = 10**9
MAX_VARIANTS = 100
MAX_COMBINATIONS = 10**18


@dataclass(frozen=True, slots=True)
class Exercise:
    """One generated exercise: markdown for the problem, LaTeX for the solution."""

    problem: str
    solution: str
    line: int
    values: tuple[tuple[str, int], ...]


def check_claims(text: str, first_line: int, path: Path) -> None:
    """Verify every `check:` line of a ```sympy block (its text starts at `first_line`)."""
    env: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        span = SourceSpan(path, number)
        key, _, claim = line.partition(":")
        key = " ".join(key.split())
        if key == "assume":
            env |= _assumed(claim, span)
            continue
        if key not in _CHECKS or not claim.strip():
            raise SourceError(
                "a sympy block holds 'check:' lines (and 'check numerically:', 'assume:'): "
                f"write check: {EXAMPLE}",
                span=span,
            )
        check = functools.partial(
            check_claim, claim.strip(), span, numerically=_CHECKS[key], env=dict(env)
        )
        bounded(check, span, "check this", "simplify the claim or split it")


def _assumed(text: str, span: SourceSpan) -> dict[str, Any]:
    """`assume: x, y real` or `assume: n positive integer`: those symbols, so assumed."""
    import sympy

    words = [w for w in re.split(r"[\s,]+", text) if w]
    names = [w for w in words if w not in ASSUMPTIONS]
    facts = {w: True for w in words if w in ASSUMPTIONS}
    if not names or not facts:
        known = ", ".join(sorted(ASSUMPTIONS))
        raise SourceError(
            f"write assumptions like 'assume: x, y real' or 'assume: n positive integer' "
            f"(assumptions: {known})",
            span=span,
        )
    for name in names:
        if problem := name_problem(name):
            raise SourceError(f"cannot assume anything of {name!r}: {problem}", span=span)
    try:
        return {name: sympy.Symbol(name, **facts) for name in names}
    except Exception as error:  # contradictory assumptions, such as positive and negative
        raise SourceError(f"cannot assume {text.strip()!r}: {reason(error)}", span=span) from None


# -- generated exercises ----------------------------------------------------------------------


def generate_exercises(text: str, first_line: int, path: Path) -> tuple[Exercise, ...]:
    """The exercises an ```exercise block describes (its text starts at `first_line`)."""
    fields: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in _KEYS:
            raise SourceError(
                f"an exercise block holds {', '.join(k + ':' for k in _KEYS)} lines; "
                f"{line.strip()!r} is none of them",
                span=SourceSpan(path, number),
            )
        fields[key] = (value.strip(), number)
    block = SourceSpan(path, first_line - 1)
    for required in ("problem", "solution"):
        if required not in fields or not fields[required][0]:
            raise SourceError(
                f"the exercise block has no {required}: add a '{required}:' line", span=block
            )
    variables = _variables(*fields.get("vars", ("", first_line)), path)
    count = _variants(*fields.get("variants", ("1", first_line)), path)
    problem, problem_line = fields["problem"]
    solution, solution_line = fields["solution"]
    for name in _PLACEHOLDER.findall(problem):
        if name not in variables:
            known = ", ".join(variables) or "none: add a 'vars:' line"
            raise SourceError(
                f"unknown variable {{{{{name}}}}} in the problem (variables: {known})",
                span=SourceSpan(path, problem_line),
            )
    label, text_of_solution = _split_label(solution)
    solution_span = SourceSpan(path, solution_line)
    expression = read(text_of_solution, solution_span)

    total = math.prod(len(values) for values in variables.values())
    if count > total:
        raise SourceError(
            f"variants: {count} asks for more exercises than the {total} distinct value choices "
            "the vars allow: widen a range or ask for fewer",
            span=SourceSpan(path, fields["variants"][1]),
        )
    rng = random.Random(hashlib.sha256(text.encode()).hexdigest())
    exercises = []
    # Indices into the choices, never the choices themselves: a range stays a range.
    for index in rng.sample(range(total), count):
        values = []
        for name, choices in variables.items():
            index, position = divmod(index, len(choices))
            values.append((name, choices[position]))
        exercises.append(
            Exercise(
                problem=_fill(problem, dict(values)),
                solution=_solution(label, expression, tuple(values), solution_span),
                line=problem_line,
                values=tuple(values),
            )
        )
    return tuple(exercises)


def _variables(text: str, line: int, path: Path) -> dict[str, Sequence[int]]:
    """`a in 2..9; c in [1, 2, 5]`: each variable's values, a range kept as a range."""
    variables: dict[str, Sequence[int]] = {}
    span = SourceSpan(path, line)
    for part in filter(str.strip, text.split(";")):
        match = _VAR.match(part)
        if not match:
            raise SourceError(
                f"cannot read {part.strip()!r}: write variables like 'a in 2..9; b in 1..5'",
                span=span,
            )
        name, choices = match.groups()
        if problem := name_problem(name):
            raise SourceError(f"cannot name a variable {name!r}: {problem}", span=span)
        bounds = _RANGE.match(choices)
        values: Sequence[int]
        if bounds:
            low, high = _value(bounds.group(1), span), _value(bounds.group(2), span)
            values = range(low, high + 1)
        elif choices.startswith("[") and choices.endswith("]"):
            items = [v for v in choices[1:-1].split(",") if v.strip()]
            if not all(_NUMBER.match(v) for v in items):
                raise SourceError(
                    f"cannot read {choices!r}: a list holds whole numbers, like [1, 2, 5]",
                    span=span,
                )
            values = tuple(dict.fromkeys(_value(v, span) for v in items))
        else:
            raise SourceError(
                f"cannot read {choices!r}: write a range like 2..9 or a list like [1, 2, 5]",
                span=span,
            )
        if not values:
            raise SourceError(
                f"the values of {name} ({choices}) are empty: write a range like 2..9", span=span
            )
        variables[name] = values
    if math.prod(len(values) for values in variables.values()) > MAX_COMBINATIONS:
        raise SourceError(
            f"the vars allow more than {MAX_COMBINATIONS:,} combinations of values: "
            "narrow the ranges",
            span=span,
        )
    return variables


def _value(text: str, span: SourceSpan) -> int:
    digits = text.strip().lstrip("-")
    if len(digits) > 10 or abs(int(text)) > MAX_VALUE:
        raise SourceError(
            f"{text.strip()} is too large for an exercise: values go from {-MAX_VALUE:,} to "
            f"{MAX_VALUE:,}",
            span=span,
        )
    return int(text)


def _variants(text: str, line: int, path: Path) -> int:
    if not text.isdigit() or int(text) < 1:
        raise SourceError(
            f"variants must be a whole number from 1, not {text!r}", span=SourceSpan(path, line)
        )
    if len(text) > 4 or int(text) > MAX_VARIANTS:
        raise SourceError(
            f"variants: {text} is more exercises than one block makes (up to {MAX_VARIANTS}): "
            "ask for fewer, or write another block",
            span=SourceSpan(path, line),
        )
    return int(text)


def _fill(problem: str, values: dict[str, int]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), problem)


def _top_level(text: str, operator: str) -> int:
    """Where `operator` stands outside brackets in `text` (-1 when it does not)."""
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(operator, index):
            before = text[index - 1] if index else ""
            after = text[index + len(operator) : index + len(operator) + 1]
            if operator != "=" or (before not in "=<>!" and after != "="):
                return index
            index += 1
        index += 1
    return -1


def _split_label(solution: str) -> tuple[str, str]:
    """`f'(x) = diff(...)`: a LaTeX label, then the sympy expression."""
    split = _top_level(solution, "=")
    if split < 0:
        return "", solution
    return solution[:split].strip(), solution[split + 1 :].strip()


def _solution(
    label: str, expression: Expression, values: tuple[tuple[str, int], ...], span: SourceSpan
) -> str:
    """The solution for these values, computed by sympy and written as LaTeX."""
    import sympy

    env = {name: sympy.Integer(value) for name, value in values}

    def solve() -> str:
        result = evaluate(expression, span, env)
        try:
            return str(sympy.latex(result))
        except ValueError as error:  # Python prints no integer of more than 4,300 digits
            raise SourceError(
                f"the solution {expression.text!r} is a number too long for a card (more than "
                "4,300 digits): use smaller values",
                span=span,
            ) from error
        except Exception as error:
            raise SourceError(
                f"sympy cannot write the solution {expression.text!r} as LaTeX: {reason(error)}",
                span=span,
            ) from None

    latex = bounded(solve, span, "compute this solution", "simplify it or use smaller values")
    return f"{label} = {latex}" if label else latex
