"""One claim of a ```sympy block: its verdict, and what a false or undecidable one says.

A claim is a comparison (`a == b`, `a <= b`, chains like `0 < x < 1`, several joined by
`and`) or anything that is true or false (`isprime(7)`, `Eq(a, b)`). A false claim says what
each side is; a claim sympy cannot decide says so, and how to decide it: declare the symbols'
assumptions, or accept numerical evidence with `check numerically:`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..errors import SourceError
from ..model import SourceSpan
from .expressions import Evaluator, reason
from .sampling import NUMERICAL_POINTS
from .syntax import EXAMPLE, read
from .verdicts import HOLDS, ORDERS, Verdict, equal, kind, order, show

T = TypeVar("T")

_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_DECLARE = "declare the symbols ('assume: x real' before the check, or Symbol('x', real=True))"
_NUMERICALLY = (
    f"write 'check numerically:' to accept agreement at {NUMERICAL_POINTS} random real points"
)


def check_claim(
    text: str, span: SourceSpan, *, numerically: bool = False, env: Mapping[str, Any] | None = None
) -> None:
    """Verify one claim; a SourceError at `span` when it is false, undecidable or not maths."""
    expression = read(text, span)
    body = expression.tree.body
    evaluator = Evaluator(expression, span, env or {})
    conjunction = isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And)
    for part in body.values if isinstance(body, ast.BoolOp) and conjunction else [body]:
        _claim(evaluator, part, numerically)


def _claim(evaluator: Evaluator, node: ast.expr, numerically: bool) -> None:
    import sympy

    expression, span = evaluator.expression, evaluator.span
    if isinstance(node, ast.Compare) and all(type(op) in _SYMBOLS for op in node.ops):
        nodes = [node.left, *node.comparators]
        values = [evaluator.value(n) for n in nodes]
        for index, op in enumerate(node.ops):
            symbol = _SYMBOLS[type(op)]
            text = expression.segment(node)
            if len(node.ops) > 1:
                left, right = (expression.segment(n) for n in nodes[index : index + 2])
                text = f"{left} {symbol} {right}"
            _judge(text, symbol, values[index], values[index + 1], span, numerically)
        return
    value = evaluator.value(node)
    text = expression.segment(node)
    relational = isinstance(value, sympy.core.relational.Relational)
    if relational and value.rel_op in _SYMBOLS.values():
        _judge(text, value.rel_op, value.lhs, value.rhs, span, numerically)
    elif value is None:
        raise SourceError(f"sympy cannot decide {text} (it gives None): {_DECLARE}", span=span)
    elif isinstance(value, (bool, sympy.logic.boolalg.Boolean)):
        verdict = _attempt(text, span, lambda: equal(value, True, numerically))
        if verdict.holds is False:
            raise SourceError(f"false claim: {text} is False{verdict.detail}", span=span)
        if verdict.holds is None:
            advice = verdict.advice or _advice(numerically)
            raise SourceError(f"sympy cannot decide {text}: {verdict.detail}; {advice}", span=span)
    else:
        shown = f" ({show(value)})" if show(value) != text else ""
        raise SourceError(
            f"a check is a claim, true or false: {text} is {kind(value)}{shown}: compare it "
            f"with something, like {EXAMPLE}",
            span=span,
        )


def _attempt(text: str, span: SourceSpan, work: Callable[[], T]) -> T:
    try:
        return work()
    except SourceError:
        raise
    except Exception as error:
        raise SourceError(
            f"sympy cannot compare the sides of {text}: {reason(error)}", span=span
        ) from None


def _judge(
    text: str, symbol: str, left: Any, right: Any, span: SourceSpan, numerically: bool
) -> None:
    if symbol == "==":
        verdict = _attempt(text, span, lambda: equal(left, right, numerically))
    elif symbol == "!=":
        verdict = _attempt(text, span, lambda: equal(left, right, numerically))
        if verdict.holds is not None:
            verdict = HOLDS if verdict.holds is False else Verdict(False)
    else:
        verdict = _attempt(text, span, lambda: order(symbol, left, right, numerically))
    if verdict.holds:
        return
    if verdict.holds is None:
        advice = verdict.advice or _advice(numerically)
        raise SourceError(f"sympy cannot decide {text}: {verdict.detail}; {advice}", span=span)
    if symbol == "!=":
        raise SourceError(f"false claim: {text}: both sides are {show(left)}", span=span)
    left, right = _attempt(text, span, lambda: _simplified(left, right))
    false = f"false claim: {text}" + (" is False" if symbol in ORDERS else "")
    raise SourceError(
        f"{false}: the left side is {show(left)}, the right side is {show(right)}{verdict.detail}",
        span=span,
    )


def _simplified(left: Any, right: Any) -> Any:
    """The sides as a false claim's message shows them: expressions simplified."""
    import sympy

    return tuple(
        sympy.simplify(side) if isinstance(side, sympy.Expr) else side for side in (left, right)
    )


def _advice(numerically: bool) -> str:
    if numerically:
        return "rewrite the claim so that both sides are real numbers at most real points"
    return f"{_DECLARE}, or {_NUMERICALLY}"
