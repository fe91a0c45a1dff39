"""sympy in note files: claims checked at build time, and generated pen-and-paper drills.

    ```sympy
    check: diff(log(1 + exp(x)), x) == 1 / (1 + exp(-x))
    ```

is verified symbolically, then numerically at seeded random points; a false claim fails the
build at its line and says what each side is.

    ```exercise
    vars: a in 2..9; b in 1..5
    problem: Differentiate $f(x) = {{a}} x^3 + {{b}} x$ with respect to $x$.
    solution: f'(x) = diff(a*x**3 + b*x, x)
    variants: 3
    ```

gives `variants` exercises with values drawn deterministically from the block itself, so a
rebuild gives the same exercises. sympy costs about 0.3 s to import: only sources that use
these blocks pay for it.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import SourceSpan

#: Expressions are Python/sympy syntax; `^` also means a power, as on paper.
_EXAMPLE = "check: diff(x**2, x) == 2*x"
_POINTS = 6
_TOLERANCE = 1e-9
_VAR = re.compile(r"^\s*([A-Za-z_]\w*)\s+in\s+(.+?)\s*$")
_RANGE = re.compile(r"^(-?\d+)\s*\.\.\s*(-?\d+)$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_KEYS = ("vars", "problem", "solution", "variants")


@dataclass(frozen=True, slots=True)
class Exercise:
    """One generated exercise: markdown for the problem, LaTeX for the solution."""

    problem: str
    solution: str
    line: int
    values: tuple[tuple[str, int], ...]


def _sympy() -> Any:
    import sympy  # only sources with sympy blocks pay for the import

    return sympy


def _parse(text: str, span: SourceSpan, local: dict[str, Any] | None = None) -> Any:
    sympy = _sympy()
    from sympy.parsing.sympy_parser import (
        convert_xor,
        parse_expr,
        standard_transformations,
    )

    try:
        return parse_expr(
            text, local_dict=local or {}, transformations=(*standard_transformations, convert_xor)
        )
    except (SyntaxError, TypeError, ValueError, AttributeError, sympy.SympifyError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise SourceError(
            f"cannot read {text!r} as sympy ({reason}): write it like {_EXAMPLE.split(': ')[1]}",
            span=span,
        ) from None


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


def check_claims(text: str, first_line: int, path: Path) -> None:
    """Verify every `check:` line of a ```sympy block (its text starts at `first_line`)."""
    for number, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        span = SourceSpan(path, number)
        key, _, claim = line.partition(":")
        if key.strip() != "check" or not claim.strip():
            raise SourceError(f"a sympy block holds 'check:' lines: write {_EXAMPLE}", span=span)
        _check(claim.strip(), span)


def _check(claim: str, span: SourceSpan) -> None:
    sympy = _sympy()
    split = _top_level(claim, "==")
    if split < 0:
        value = _parse(claim, span)
        if value is sympy.true or value is True:
            return
        raise SourceError(f"false claim: {claim} is {value}", span=span)
    left_text, right_text = claim[:split].strip(), claim[split + 2 :].strip()
    left, right = _parse(left_text, span), _parse(right_text, span)
    if _equal(left, right):
        return
    left_value, right_value = sympy.simplify(left), sympy.simplify(right)
    where = _counterexample(left, right)
    raise SourceError(
        f"false claim: {left_text} == {right_text}: the left side is {sympy.sstr(left_value)}, "
        f"the right side is {sympy.sstr(right_value)}{where}",
        span=span,
    )


def _equal(left: Any, right: Any) -> bool:
    sympy = _sympy()
    if isinstance(left, sympy.MatrixBase) or isinstance(right, sympy.MatrixBase):
        try:
            return bool(sympy.simplify(left - right) == sympy.zeros(*left.shape))
        except (TypeError, ValueError, AttributeError, sympy.ShapeError):
            return False
    difference = left - right
    if difference == 0 or sympy.simplify(difference) == 0:
        return True
    samples = _samples(left, right)
    return len(samples) >= 3 and all(_close(a, b) for _, a, b in samples)


def _samples(left: Any, right: Any) -> list[tuple[dict[Any, float], complex, complex]]:
    """Both sides at seeded random points (points where either side is undefined are skipped)."""
    symbols = sorted((left - right).free_symbols, key=str)
    rng = random.Random(f"{left}|{right}")
    samples = []
    for _ in range(_POINTS * 3):
        point = {symbol: round(rng.uniform(0.1, 2.0), 3) for symbol in symbols}
        try:
            a = complex(left.subs(point).evalf())
            b = complex(right.subs(point).evalf())
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if all(math.isfinite(v.real) and math.isfinite(v.imag) for v in (a, b)):
            samples.append((point, a, b))
        if len(samples) == _POINTS:
            break
    return samples


def _close(a: complex, b: complex) -> bool:
    return abs(a - b) <= _TOLERANCE * max(1.0, abs(a), abs(b))


def _counterexample(left: Any, right: Any) -> str:
    for point, a, b in _samples(left, right):
        if not _close(a, b):
            at = ", ".join(f"{symbol} = {value}" for symbol, value in point.items())
            prefix = f" (at {at}: " if at else " ("
            return f"{prefix}{_number(a)} vs {_number(b)})"
    return ""


def _number(value: complex) -> str:
    return f"{value.real:.6g}" if abs(value.imag) < 1e-12 else f"{value:.6g}"


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
    label, expression = _split_label(solution)

    sizes = [len(values) for values in variables.values()]
    total = math.prod(sizes)
    if count > total:
        raise SourceError(
            f"variants: {count} asks for more exercises than the {total} distinct value choices "
            "the vars allow: widen a range or ask for fewer",
            span=SourceSpan(path, fields["variants"][1]),
        )
    rng = random.Random(hashlib.sha256(text.encode()).hexdigest())
    exercises = []
    for index in rng.sample(range(total), count):
        values = []
        for name, choices in variables.items():
            index, position = divmod(index, len(choices))
            values.append((name, choices[position]))
        exercises.append(
            _exercise(problem, label, expression, tuple(values), problem_line, solution_line, path)
        )
    return tuple(exercises)


def _variables(text: str, line: int, path: Path) -> dict[str, tuple[int, ...]]:
    variables: dict[str, tuple[int, ...]] = {}
    for part in filter(str.strip, text.split(";")):
        span = SourceSpan(path, line)
        match = _VAR.match(part)
        if not match:
            raise SourceError(
                f"cannot read {part.strip()!r}: write variables like 'a in 2..9; b in 1..5'",
                span=span,
            )
        name, choices = match.groups()
        bounds = _RANGE.match(choices)
        if bounds:
            low, high = int(bounds.group(1)), int(bounds.group(2))
            values = tuple(range(low, high + 1))
        elif choices.startswith("[") and choices.endswith("]"):
            try:
                values = tuple(dict.fromkeys(int(v) for v in choices[1:-1].split(",") if v.strip()))
            except ValueError:
                values = ()
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
    return variables


def _variants(text: str, line: int, path: Path) -> int:
    if not text.isdigit() or int(text) < 1:
        raise SourceError(
            f"variants must be a whole number from 1, not {text!r}", span=SourceSpan(path, line)
        )
    return int(text)


def _split_label(solution: str) -> tuple[str, str]:
    """`f'(x) = diff(...)`: a LaTeX label, then the sympy expression."""
    split = _top_level(solution, "=")
    if split < 0:
        return "", solution
    return solution[:split].strip(), solution[split + 1 :].strip()


def _exercise(
    problem: str,
    label: str,
    expression: str,
    values: tuple[tuple[str, int], ...],
    problem_line: int,
    solution_line: int,
    path: Path,
) -> Exercise:
    sympy = _sympy()
    lookup = dict(values)
    text = _PLACEHOLDER.sub(lambda m: str(lookup[m.group(1)]), problem)
    local = {name: sympy.Integer(value) for name, value in values}
    result = _parse(expression, SourceSpan(path, solution_line), local)
    latex = sympy.latex(result)
    return Exercise(
        problem=text,
        solution=f"{label} = {latex}" if label else latex,
        line=problem_line,
        values=values,
    )
