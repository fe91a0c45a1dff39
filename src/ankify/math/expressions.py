"""sympy expressions from notes, read as maths and never run as Python.

sympy's own parser (`parse_expr`) evaluates Python: a shared note's
`check: __import__('os').system(...) == 0` would run a command while someone builds it. This
module reads an expression with Python's `ast` and computes only what `vocabulary` names:
numbers (exact, as sympy's parser makes them: `1/2` is a half), symbols, operators (`^` is a
power, as on paper; `n!` a factorial), literal lists, tuples, sets and dicts, calls of sympy's
maths functions and of a few methods of their results. A string reaches sympy only as a checked
name (`Symbol('x')`) or a limit's direction: sympy turns other strings into code. Anything else
is a SourceError at the note's line that says what is not allowed and what to write instead.
"""

from __future__ import annotations

import ast
import functools
import inspect
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import SourceError
from ..model import SourceSpan
from . import advice, bounds, vocabulary
from .syntax import Expression
from .vocabulary import name_problem

_SEPARATORS = re.compile(r"[\s,]+")


class Solutions(list[Any]):
    """What `solve` returned: a list whose order is sympy's, compared as a set of solutions."""


def evaluate(expression: Expression, span: SourceSpan, env: Mapping[str, Any] | None = None) -> Any:
    """The value of a whole expression (`env`: names with given values, e.g. exercise vars)."""
    return Evaluator(expression, span, env or {}).value(expression.tree.body)


def _sympy() -> Any:
    import sympy  # only sources with sympy blocks pay for the import

    return sympy


def reason(error: BaseException) -> str:
    try:
        text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    except ValueError:  # a message quoting a number too long to print
        text = ""
    text = text or type(error).__name__
    return text if len(text) <= 200 else text[:200] + "…"


class Evaluator:
    """Computes an expression's syntax tree, node by node, refusing what is not maths."""

    def __init__(self, expression: Expression, span: SourceSpan, env: Mapping[str, Any]) -> None:
        self.expression = expression
        self.span = span
        self.env = env
        self.sympy = _sympy()

    def refuse(self, what: str, advice: str) -> SourceError:
        return SourceError(f"{what} is not allowed in a sympy expression: {advice}", span=self.span)

    def attempt(self, node: ast.AST, work: Callable[[], Any]) -> Any:
        """`work()`, its failure reported as sympy failing on `node`."""
        try:
            return work()
        except SourceError:
            raise
        except Exception as error:
            raise SourceError(
                f"sympy cannot evaluate {self.expression.segment(node)!r}: {reason(error)}",
                span=self.span,
            ) from None

    def value(self, node: ast.expr) -> Any:
        if type(node) not in _NODES:
            raise self.refuse(
                repr(self.expression.segment(node)), advice.SYNTAX.get(type(node), advice.MATHS)
            )
        return getattr(self, f"_{type(node).__name__}")(node)

    # -- atoms ----------------------------------------------------------------------------

    def _Constant(self, node: ast.Constant) -> Any:
        value, sympy = node.value, self.sympy
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return sympy.Integer(value)
        text = self.expression.segment(node).replace("_", "")
        if isinstance(value, float):
            return sympy.Float(text)  # from its text, as sympy's parser does: 0.1 is 0.1
        if isinstance(value, complex):
            digits = text.rstrip("jJ")
            real = sympy.Float(digits) if any(c in digits for c in ".eE") else sympy.Integer(digits)
            return real * sympy.I
        if isinstance(value, str):
            raise self.refuse(f"the string {value[:40]!r}", advice.STRINGS)
        raise self.refuse(repr(self.expression.segment(node)), advice.MATHS)

    def _Name(self, node: ast.Name) -> Any:
        name = node.id
        if name in self.env:
            return self.env[name]
        if name in vocabulary.BUILTINS:
            return getattr(self.sympy, vocabulary.BUILTINS[name])
        if name in vocabulary.COMPUTED:
            raise self.refuse(f"{name} without brackets", f"call it, like {name}(...)")
        problem = name_problem(name)
        if problem:
            raise self.refuse(name, f"{problem}; name symbols with letters, like x, x1 or theta")
        if name in vocabulary.FUNCTIONS or name in vocabulary.CONSTANTS:
            return getattr(self.sympy, name)
        return self.sympy.Symbol(name)  # as sympy's parser reads an unknown name

    def _Attribute(self, node: ast.Attribute) -> Any:
        receiver, name = self.value(node.value), node.attr
        if receiver is self.sympy.S:
            if name not in vocabulary.S_ATTRIBUTES:
                raise self.refuse(f"S.{name}", "S holds constants such as S.Half and S.Reals")
            return getattr(receiver, name)
        if name not in vocabulary.ATTRIBUTES:
            if name in vocabulary.METHODS:
                raise self.refuse(f".{name} without brackets", f"call it, like .{name}()")
            raise self.refuse(f"the attribute .{name}", advice.ATTRIBUTES)
        self._of_a_result(receiver, name)
        return self.exact(self.attempt(node, lambda: getattr(receiver, name)))

    def exact(self, value: Any) -> Any:
        """Python's whole numbers (`M.rank()`, `M.shape`) as sympy's, as literals are."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.sympy.Integer(value)
        if isinstance(value, tuple) and all(type(v) is int for v in value):
            return tuple(self.sympy.Integer(v) for v in value)
        return value

    def _of_a_result(self, receiver: Any, name: str) -> None:
        if isinstance(receiver, type) or inspect.isroutine(receiver):
            raise self.refuse(f".{name} of a function", "use methods of results, like M.det()")

    # -- operators ------------------------------------------------------------------------

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not):
            if isinstance(operand, bool):
                return not operand
            return self.attempt(node, lambda: self.sympy.Not(operand))
        self._not_a_container(node, operand)
        operators: dict[type, Callable[[Any], Any]] = {
            ast.USub: lambda v: -v,
            ast.UAdd: lambda v: +v,
            ast.Invert: lambda v: ~v,
        }
        return self.attempt(node, lambda: operators[type(node.op)](operand))

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.value(node.left), self.value(node.right)
        operator = _OPERATORS.get(type(node.op))
        if operator is None:
            raise self.refuse(f"the operator in {self.expression.segment(node)!r}", advice.OPERATOR)
        for side in (left, right):
            self._not_a_container(node, side)
        if isinstance(node.op, ast.Pow):
            self.guard(bounds.power_problem(left, right, self.expression.segment(node)))
        return self.attempt(node, lambda: operator(left, right))

    def _not_a_container(self, node: ast.AST, value: Any) -> None:
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            raise self.refuse(
                f"arithmetic on a {type(value).__name__} in {self.expression.segment(node)!r}",
                "for vectors and matrices write Matrix([...])",
            )

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        values = [self.value(v) for v in node.values]
        function = self.sympy.And if isinstance(node.op, ast.And) else self.sympy.Or
        return self.attempt(node, lambda: function(*values))

    def _Compare(self, node: ast.Compare) -> Any:
        sides = [self.value(node.left), *(self.value(c) for c in node.comparators)]
        results = [
            self.relation(node, op, a, b)
            for op, a, b in zip(node.ops, sides, sides[1:], strict=False)
        ]
        if len(results) == 1:
            return results[0]
        return self.attempt(node, lambda: self.sympy.And(*results))

    def relation(self, node: ast.AST, op: ast.cmpop, left: Any, right: Any) -> Any:
        """`left op right` as sympy states it (Eq, Lt, Contains, ...)."""
        sympy = self.sympy
        if isinstance(op, (ast.In, ast.NotIn)):
            if isinstance(right, (list, tuple, set, frozenset)):
                right = sympy.FiniteSet(*right)
            inside = self.attempt(node, lambda: sympy.Contains(left, right))
            if isinstance(op, ast.In):
                return inside
            return self.attempt(node, lambda: sympy.Not(inside))
        relations = {ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne, ast.Lt: sympy.Lt}
        relations |= {ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge}
        relation = relations.get(type(op))
        if relation is None:
            raise self.refuse("'is'", "compare with == or !=")
        return self.attempt(node, lambda: relation(left, right))

    # -- containers -----------------------------------------------------------------------

    def _List(self, node: ast.List) -> Any:
        return [self.value(e) for e in node.elts]

    def _Tuple(self, node: ast.Tuple) -> Any:
        return tuple(self.value(e) for e in node.elts)

    def _Set(self, node: ast.Set) -> Any:
        elements = [self.value(e) for e in node.elts]
        return self.attempt(node, lambda: set(elements))

    def _Dict(self, node: ast.Dict) -> Any:
        if any(key is None for key in node.keys):
            raise self.refuse("** in a dict", "write its keys and values")
        pairs = [
            (self.value(k), self.value(v))
            for k, v in zip(node.keys, node.values, strict=True)
            if k is not None
        ]
        return self.attempt(node, lambda: dict(pairs))

    def _Subscript(self, node: ast.Subscript) -> Any:
        container = self.value(node.value)
        if not isinstance(container, (list, tuple, dict, self.sympy.MatrixBase, self.sympy.Tuple)):
            raise self.refuse(
                f"indexing {self.expression.segment(node.value)!r}",
                "index lists, tuples, dicts and matrices, like M[0, 1] or solve(...)[0]",
            )
        index = self.index(node.slice, keyed=isinstance(container, dict))
        return self.attempt(node, lambda: container[index])

    def index(self, node: ast.expr, keyed: bool = False) -> Any:
        if isinstance(node, ast.Slice):
            return slice(
                *(None if n is None else self.index(n) for n in (node.lower, node.upper, node.step))
            )
        if isinstance(node, ast.Tuple) and not keyed:
            return tuple(self.index(e) for e in node.elts)
        value = self.value(node)
        if keyed:
            return value
        if not isinstance(value, self.sympy.Integer):
            raise self.refuse(
                f"the index {self.expression.segment(node)!r}", "an index is a whole number"
            )
        return int(value)

    # -- calls ----------------------------------------------------------------------------

    def guard(self, problem: str | None) -> None:
        if problem:
            raise SourceError(problem, span=self.span)

    def _Call(self, node: ast.Call) -> Any:
        """A call of a sympy function, of a method of a result, of a Lambda or of an undefined
        function (`f(x)`): what is called is checked before any argument is computed."""
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            raise self.refuse("* and ** in a call", "write the arguments one by one")
        for key in node.keywords:
            if key.arg not in vocabulary.KEYWORDS:
                raise self.refuse(f"the keyword {key.arg}=", f"keywords are {advice.KEYWORDS}")
        function = node.func
        if isinstance(function, ast.Attribute):
            return self.method(node, function)
        name = function.id if isinstance(function, ast.Name) else None
        if name is None or name in self.env:
            target = self.value(function)
            if not isinstance(
                target, (self.sympy.Lambda, self.sympy.core.function.UndefinedFunction)
            ):
                raise self.refuse(f"calling {self.expression.segment(function)!r}", advice.CALLS)
        elif name in vocabulary.COMPUTED:
            target = None
        elif name in vocabulary.BUILTINS:
            target = getattr(self.sympy, vocabulary.BUILTINS[name])
        elif name in vocabulary.FUNCTIONS:
            target = getattr(self.sympy, name)
        elif name_problem(name) or hasattr(self.sympy, name):
            raise self.refuse(f"{name}()", advice.CALLS)
        else:  # an undefined function, f(x), as sympy's parser reads it
            target = self.sympy.Function(name)
        args = [self.argument(name, i, a) for i, a in enumerate(node.args)]
        kwargs = {k.arg: self.keyword(k) for k in node.keywords if k.arg}
        if target is None:
            return self.attempt(node, lambda: self.computed(node, str(name), args, kwargs))
        if name is not None:
            self.guard(bounds.call_problem(name, args, kwargs, self.expression.segment(node)))
        result = self.attempt(node, lambda: target(*args, **kwargs))
        return Solutions(result) if name == "solve" and isinstance(result, list) else result

    def argument(self, name: str | None, position: int, node: ast.expr) -> Any:
        """An argument's value; strings only where a name or a direction is due."""
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return self.value(node)
        text = node.value
        if name in vocabulary.NAMING and position == 0:
            names = [n for n in _SEPARATORS.split(text) if n]
            problems = [p for n in names if (p := name_problem(n))]
            if not names or problems or (name != "symbols" and len(names) > 1):
                advice = problems[0] if problems else "write Symbol('x') or symbols('x y')"
                raise self.refuse(f"the name {text[:40]!r}", advice)
            if len(names) > 100:
                raise self.refuse("more than 100 symbols at once", "declare fewer")
            return text
        if vocabulary.DIRECTED.get(str(name)) == position and text in vocabulary.DIRECTIONS:
            return text
        return self.value(node)  # refused, with the message about strings

    def keyword(self, node: ast.keyword) -> Any:
        value = node.value
        if (
            node.arg == "dir"
            and isinstance(value, ast.Constant)
            and value.value in vocabulary.DIRECTIONS
        ):
            return value.value
        return self.value(node.value)

    def method(self, node: ast.Call, function: ast.Attribute) -> Any:
        name = function.attr
        receiver = self.value(function.value)  # itself checked: `__import__('os').system()`
        owner = function.value.id if isinstance(function.value, ast.Name) else ""
        constructors = vocabulary.CLASS_METHODS.get(owner, frozenset())
        if name in constructors and receiver is getattr(self.sympy, owner):
            args = [self.value(a) for a in node.args]
            return self.attempt(node, lambda: getattr(receiver, name)(*args))
        if name not in vocabulary.METHODS:
            raise self.refuse(f"the method .{name}()", advice.METHODS)
        if receiver is self.sympy.S:
            raise self.refuse(f"S.{name}()", "S holds constants such as S.Half and S.Reals")
        self._of_a_result(receiver, name)
        args = [self.value(a) for a in node.args]
        kwargs = {k.arg: self.keyword(k) for k in node.keywords if k.arg}
        self.guard(bounds.call_problem(f".{name}", args, kwargs, self.expression.segment(node)))
        bound = self.attempt(node, lambda: getattr(receiver, name))
        return self.exact(self.attempt(node, lambda: bound(*args, **kwargs)))

    def computed(self, node: ast.Call, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """pow, round, sum and len, as Python gave them to sympy's parser, on sympy values."""
        sympy = self.sympy
        if kwargs:
            raise self.refuse(f"keywords to {name}()", f"write {name}(...) with arguments only")
        if name == "pow" and len(args) == 3 and all(isinstance(a, sympy.Integer) for a in args):
            return sympy.Integer(pow(*(int(a) for a in args)))
        if name == "pow" and len(args) == 2:
            self.guard(bounds.power_problem(args[0], args[1], self.expression.segment(node)))
            return args[0] ** args[1]
        if name == "round" and 1 <= len(args) <= 2:
            self.guard(bounds.call_problem("round", args, kwargs, self.expression.segment(node)))
            return round(*args)
        if name == "len" and len(args) == 1:
            return sympy.Integer(len(args[0]))
        if name == "sum" and len(args) == 1 and isinstance(args[0], (list, tuple, set)):
            return functools.reduce(operator.add, args[0], sympy.S.Zero)
        raise self.refuse(repr(self.expression.segment(node)), f"write {name}(...) on numbers")


#: The syntax an expression may use (each has its method `_Name` above); the rest is refused.
_NODES = frozenset(
    {ast.Constant, ast.Name, ast.Attribute, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare}
    | {ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Subscript, ast.Call}
)
_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    **{ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul},
    **{ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: operator.mod},
    **{ast.FloorDiv: operator.floordiv, ast.MatMult: operator.matmul},
    **{ast.BitAnd: operator.and_, ast.BitOr: operator.or_},
}
