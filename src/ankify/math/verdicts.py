"""Whether two sides of a claim are equal, or ordered, as a mathematician reads them.

Python's `==` on sympy's results is structural, and `left - right` fails on lists and sets, so
comparing them directly gave TypeErrors and wrong verdicts. Here:

- expressions are equal when their difference simplifies to 0, else when they agree at
  seeded random points (positive ones, unless the symbols' assumptions say otherwise);
- lists and tuples compare element by element, in order; what `solve` returns is a set of
  solutions in sympy's own order, so it compares as a set (`solve(x**2 - 1, x) == [1, -1]`);
- sets and FiniteSets compare without order, dicts key by key, matrices entry by entry;
- booleans and relations compare by truth (`Eq(x, 1) == Eq(1, x)`).

A verdict is true, false (with what tells the sides apart) or undecided: sympy cannot prove
the claim and no point contradicts it. `numerically` (a `check numerically:` line) accepts
agreement at 20 random real points, on both sides of zero, instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .expressions import Solutions
from .sampling import (
    MINIMUM,
    NUMERICAL_POINTS,
    POINTS,
    TOLERANCE,
    TRIES,
    close,
    number,
    samples,
    truths,
    where,
)

ORDERS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """`holds` is None when sympy cannot decide; `detail` says why not, for the message."""

    holds: bool | None
    detail: str = ""
    #: What to do about an undecided claim, when the usual advice does not apply.
    advice: str = ""


HOLDS = Verdict(True)


def _sympy() -> Any:
    import sympy  # only sources with sympy blocks pay for the import

    return sympy


def show(value: Any) -> str:
    """A value as sympy prints it, shortened (and never a number too long to print)."""
    sympy = _sympy()
    try:
        if isinstance(value, sympy.MatrixBase):  # one line, as messages are
            text = f"Matrix({sympy.sstr(value.tolist())})"
        else:
            text = " ".join(str(sympy.sstr(value)).split())
    except ValueError:
        return "a number too long to print"
    return text if len(text) <= 300 else text[:300] + "…"


def kind(value: Any) -> str:
    sympy = _sympy()
    if isinstance(value, (bool, sympy.logic.boolalg.BooleanAtom)):
        return "true or false"
    if isinstance(value, (list, tuple)):
        what = "list" if isinstance(value, list) else "tuple"
        return f"a {what} of {len(value)}"
    if isinstance(value, (set, frozenset, sympy.Set)):
        return "a set"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, sympy.MatrixBase):
        return f"a {value.rows}×{value.cols} matrix"
    if isinstance(value, sympy.Expr):
        return "a number" if value.is_number else "an expression"
    if isinstance(value, sympy.logic.boolalg.Boolean):
        return "a condition"
    return f"a {type(value).__name__}"


def _same(left: Any, right: Any) -> bool:
    try:
        return bool(left == right)
    except Exception:  # sympy refuses to compare some pairs structurally
        return False


def _plain(value: Any) -> Any:
    sympy = _sympy()
    if isinstance(value, sympy.logic.boolalg.BooleanAtom):
        return bool(value)
    if isinstance(value, sympy.Tuple):
        return tuple(value)
    if type(value) is int:  # multiplicities, ranks: Python's, where a note writes sympy's
        return sympy.Integer(value)
    return value


def equal(left: Any, right: Any, numerically: bool = False) -> Verdict:
    """Whether `left` equals `right` (any two values a claim's sides may be)."""
    sympy = _sympy()
    left, right = _plain(left), _plain(right)
    if _same(left, right) and type(left) is type(right):
        return HOLDS
    unordered = (Solutions, set, frozenset, sympy.Set)
    sequences = (list, tuple)
    if isinstance(left, bool) and isinstance(right, bool):
        return Verdict(left == right)
    if isinstance(left, unordered) or isinstance(right, unordered):
        if isinstance(left, (*unordered, *sequences)) and isinstance(
            right, (*unordered, *sequences)
        ):
            return _sets(left, right, numerically)
    elif isinstance(left, dict) and isinstance(right, dict):
        return _dicts(left, right, numerically)
    elif isinstance(left, sequences) and isinstance(right, sequences):
        return _sequences(left, right, numerically)
    elif isinstance(left, sympy.MatrixBase) or isinstance(right, sympy.MatrixBase):
        return _matrices(left, right, numerically)
    elif isinstance(left, sympy.Expr) and isinstance(right, sympy.Expr):
        return _expressions(left, right, numerically)
    elif _logical(left) and _logical(right):
        return _conditions(left, right, numerically)
    if _same(left, right):
        return HOLDS
    return Verdict(False, f" (the left side is {kind(left)}, the right side {kind(right)})")


def _logical(value: Any) -> bool:
    return isinstance(value, (bool, _sympy().logic.boolalg.Boolean))


def _all(verdicts: list[Verdict]) -> Verdict:
    """Every part holds: the first false one, else the first undecided one, else HOLDS."""
    for wanted in (False, None):
        for verdict in verdicts:
            if verdict.holds is wanted:
                return verdict
    return HOLDS


def _sequences(left: Any, right: Any, numerically: bool) -> Verdict:
    if len(left) != len(right):
        return Verdict(
            False, f" (the left side has {len(left)} elements, the right side {len(right)})"
        )
    verdicts = []
    for position, (a, b) in enumerate(zip(left, right, strict=True), start=1):
        verdict = equal(a, b, numerically)
        if verdict.holds is False:
            return Verdict(False, f" (element {position}: {show(a)} vs {show(b)}{verdict.detail})")
        verdicts.append(verdict)
    return _all(verdicts)


def _elements(value: Any) -> list[Any] | None:
    sympy = _sympy()
    if isinstance(value, sympy.FiniteSet):
        return list(value.args)
    if isinstance(value, sympy.Set):
        return None
    return list(value)


def _sets(left: Any, right: Any, numerically: bool) -> Verdict:
    sympy = _sympy()
    mine, theirs = _elements(left), _elements(right)
    if mine is None or theirs is None:
        a, b = (v if isinstance(v, sympy.Set) else sympy.FiniteSet(*v) for v in (left, right))
        try:
            equality = sympy.Eq(a, b)
            if equality in (sympy.true, sympy.false):
                return Verdict(bool(equality))
            empty = sympy.EmptySet
            if sympy.Complement(a, b) == empty and sympy.Complement(b, a) == empty:
                return HOLDS
        except (TypeError, ValueError, NotImplementedError):
            pass
        return Verdict(
            None,
            "sympy does not reduce the sets' differences to the empty set",
            "write both sets in the same form (FiniteSet, Interval, ImageSet)",
        )
    verdicts = []
    for items, others, side in ((mine, theirs, "left"), (theirs, mine, "right")):
        for item in items:
            verdict = _member(item, others, numerically)
            if verdict.holds is False:
                return Verdict(False, f" ({show(item)} is on the {side} side only)")
            verdicts.append(verdict)
    return _all(verdicts)


def _member(item: Any, others: list[Any], numerically: bool) -> Verdict:
    if any(_same(item, other) for other in others):
        return HOLDS
    verdicts = [equal(item, other, numerically) for other in others]
    if any(v.holds for v in verdicts):
        return HOLDS
    undecided = [v for v in verdicts if v.holds is None]
    return undecided[0] if undecided else Verdict(False)


def _dicts(left: dict[Any, Any], right: dict[Any, Any], numerically: bool) -> Verdict:
    if len(left) != len(right):
        return Verdict(False, f" (the left side has {len(left)} keys, the right side {len(right)})")
    verdicts = []
    for key, value in left.items():
        match = next((k for k in right if _same(k, key)), None)
        if match is None:
            match = next((k for k in right if equal(key, k, numerically).holds), None)
        if match is None:
            return Verdict(False, f" (the key {show(key)} is on the left side only)")
        verdict = equal(value, right[match], numerically)
        if verdict.holds is False:
            return Verdict(False, f" (at {show(key)}: {show(value)} vs {show(right[match])})")
        verdicts.append(verdict)
    return _all(verdicts)


def _matrices(left: Any, right: Any, numerically: bool) -> Verdict:
    sympy = _sympy()
    try:
        a, b = sympy.Matrix(left), sympy.Matrix(right)
    except Exception:
        return Verdict(False, f" (the left side is {kind(left)}, the right side {kind(right)})")
    if a.shape != b.shape:
        return Verdict(False, f" (the left side is {kind(a)}, the right side {kind(b)})")
    verdicts = []
    for row in range(a.rows):
        for column in range(a.cols):
            verdict = equal(a[row, column], b[row, column], numerically)
            if verdict.holds is False:
                where = f"row {row + 1}, column {column + 1}"
                shown = f"{show(a[row, column])} vs {show(b[row, column])}"
                return Verdict(False, f" ({where}: {shown})")
            verdicts.append(verdict)
    return _all(verdicts)


def _conditions(left: Any, right: Any, numerically: bool) -> Verdict:
    """Two booleans or relations: equal when they are the same relation (`Eq(x, 1)` and
    `Eq(1, x)`), else when they agree at random points."""
    if _same_relation(left, right):
        return HOLDS
    points = truths(left, right, NUMERICAL_POINTS)
    for point, a, b in points:
        if a != b and right is True:
            return Verdict(False, f" (at {where(point)})")
        if a != b:
            return Verdict(False, f" (at {where(point)}: {a} vs {b})")
    if numerically and len(points) >= MINIMUM[NUMERICAL_POINTS]:
        return HOLDS
    return Verdict(
        None, f"the sides agree at {len(points)} random points, but sympy cannot prove it"
    )


def _same_relation(left: Any, right: Any) -> bool:
    """`Eq(x, 1)` and `Eq(2, 2*x)`, `x < 1` and `1 > x`: one relation, written two ways."""
    sympy = _sympy()
    relational = sympy.core.relational.Relational
    if not (isinstance(left, relational) and isinstance(right, relational)):
        return False
    a, b = left.lhs - left.rhs, right.lhs - right.rhs
    if type(right) is not type(left):
        if type(right.reversed) is not type(left):
            return False
        b = -b
    if b == 0:
        return bool(a == 0)
    ratio = sympy.simplify(a / b)
    symmetric = isinstance(left, (sympy.Eq, sympy.Ne))
    return bool(ratio.is_number and (ratio.is_nonzero if symmetric else ratio.is_positive))


def _expressions(left: Any, right: Any, numerically: bool) -> Verdict:
    sympy = _sympy()
    difference = left - right
    if difference == 0 or sympy.simplify(difference) == 0:
        return HOLDS
    count = NUMERICAL_POINTS if numerically else POINTS
    found = samples(left, right, count, numerically)
    for point, a, b in found:
        if not close(a, b):
            if not point:
                return Verdict(False)
            checked = f"; checked {len(found)} random points" if numerically else ""
            return Verdict(False, f" (at {where(point)}: {number(a)} vs {number(b)}{checked})")
    if len(found) >= MINIMUM[count]:
        return HOLDS
    return Verdict(
        None,
        "their difference does not simplify to 0, and they cannot be evaluated at "
        f"random points (only {len(found)} of {TRIES[count]} gave numbers)",
        "state the claim with functions sympy can evaluate, or simplify it by hand first",
    )


def order(symbol: str, left: Any, right: Any, numerically: bool) -> Verdict:
    """Whether `left symbol right` holds, for < <= > >=."""
    sympy = _sympy()
    for side in (left, right):
        if not isinstance(side, sympy.Expr):
            return Verdict(False, f" (only numbers and expressions are ordered, not {kind(side)})")
    try:
        relation = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}[symbol](
            left, right
        )
    except TypeError:
        return Verdict(False, " (complex numbers are not ordered)")
    if relation in (sympy.true, sympy.false):
        return Verdict(bool(relation))
    signs = {"<": "negative", "<=": "nonpositive", ">": "positive", ">=": "nonnegative"}
    opposite = {"<": "nonnegative", "<=": "positive", ">": "nonpositive", ">=": "negative"}
    difference = sympy.simplify(left - right)
    if getattr(difference, f"is_{signs[symbol]}"):
        return HOLDS
    if getattr(difference, f"is_{opposite[symbol]}"):
        return Verdict(False)
    found = [
        (point, a.real, b.real)
        for point, a, b in samples(left, right, NUMERICAL_POINTS, True)
        if abs(a.imag) <= TOLERANCE and abs(b.imag) <= TOLERANCE
    ]
    held = 0
    for point, a, b in found:
        slack = TOLERANCE * max(1.0, abs(a), abs(b))
        if ORDERS[symbol](a, b) or (symbol in ("<=", ">=") and abs(a - b) <= slack):
            held += 1
        elif abs(a - b) > slack:
            checked = f"; it held at {held} of the {len(found)} points checked"
            return Verdict(False, f" (at {where(point)}: {number(a)} vs {number(b)}{checked})")
    if numerically and len(found) >= MINIMUM[NUMERICAL_POINTS]:
        return HOLDS
    if numerically:
        tries = TRIES[NUMERICAL_POINTS]
        return Verdict(None, f"only {len(found)} of {tries} random real points give real sides")
    unknown = sorted(str(s) for s in difference.free_symbols if not s.is_extended_real)
    if unknown:
        return Verdict(None, f"{', '.join(unknown)} may be complex")
    return Verdict(
        None,
        f"it cannot tell the sign of {show(difference)}",
        f"write 'check numerically:' to accept agreement at {NUMERICAL_POINTS} random real "
        "points, or rewrite the claim",
    )
