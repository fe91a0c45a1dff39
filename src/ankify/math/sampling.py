"""Seeded random points where a claim's two sides are compared as numbers.

When sympy cannot simplify a difference to 0, or decide an inequality, agreement at random
points is evidence and disagreement is a counterexample. The points are drawn from the claim's
own text, so a rebuild checks the same points: positive in [0.1, 2] for `check:` (as ankify
always did), of either sign from 0.1 to 10 for `check numerically:`, whole numbers for integer
symbols, and of the sign a symbol's assumptions give.
"""

from __future__ import annotations

import math
import random
from typing import Any

#: Points a numerical check needs: `check:` equalities (as before), `check numerically:`.
POINTS = 6
NUMERICAL_POINTS = 20
TRIES = {POINTS: POINTS * 3, NUMERICAL_POINTS: NUMERICAL_POINTS * 10}
MINIMUM = {POINTS: 3, NUMERICAL_POINTS: NUMERICAL_POINTS // 2}
TOLERANCE = 1e-9


def _sympy() -> Any:
    import sympy  # only sources with sympy blocks pay for the import

    return sympy


def truths(left: Any, right: Any, count: int) -> list[tuple[dict[Any, float], bool, bool]]:
    """Both sides' truth at seeded random real points (where both are true or false)."""
    sympy = _sympy()
    found = []
    for point in _points(left, right, count, numerically=True):
        try:
            a, b = (sympy.sympify(side).subs(point) for side in (left, right))
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            continue
        if isinstance(a, sympy.logic.boolalg.BooleanAtom) and isinstance(
            b, sympy.logic.boolalg.BooleanAtom
        ):
            found.append((point, bool(a), bool(b)))
        if len(found) == count:
            break
    return found


def samples(
    left: Any, right: Any, count: int, numerically: bool
) -> list[tuple[dict[Any, float], complex, complex]]:
    """Both sides at seeded random points (points where either side is undefined are
    skipped)."""
    found = []
    for point in _points(left, right, count, numerically):
        try:
            a = complex(left.subs(point).evalf())
            b = complex(right.subs(point).evalf())
        except (TypeError, ValueError, ArithmeticError, AttributeError):
            continue
        if all(math.isfinite(v.real) and math.isfinite(v.imag) for v in (a, b)):
            found.append((point, a, b))
        if len(found) == count:
            break
    return found


def _points(left: Any, right: Any, count: int, numerically: bool) -> list[dict[Any, float]]:
    sympy = _sympy()
    symbols: set[Any] = set()
    for side in (left, right):
        symbols |= getattr(sympy.sympify(side), "free_symbols", set())
    ordered = sorted(symbols, key=str)
    try:
        seed = f"{left}|{right}"
    except ValueError:  # a number too long to print
        seed = sympy.srepr(type(left)) + sympy.srepr(type(right))
    rng = random.Random(seed)
    return [{s: _draw(rng, s, numerically) for s in ordered} for _ in range(TRIES[count])]


def _draw(rng: random.Random, symbol: Any, numerically: bool) -> float:
    """A value for `symbol`: positive in [0.1, 2] for `check:` (as before); for `check
    numerically:` of either sign, from 0.1 to 10; whole for integer symbols; of the sign the
    symbol's assumptions give."""
    if symbol.is_integer:
        magnitude: float = rng.randint(1, 9)
    elif numerically:
        magnitude = float(f"{10 ** rng.uniform(-1, 1):.3g}")
    else:
        magnitude = round(rng.uniform(0.1, 2.0), 3)
    if symbol.is_nonnegative:
        return magnitude
    if symbol.is_nonpositive:
        return -magnitude
    return magnitude * rng.choice((1, -1)) if numerically else magnitude


def close(a: complex, b: complex) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def where(point: dict[Any, float]) -> str:
    return ", ".join(f"{symbol} = {value}" for symbol, value in point.items())


def number(value: complex | float) -> str:
    value = complex(value)
    return f"{value.real:.6g}" if abs(value.imag) < 1e-12 else f"{value:.6g}"
