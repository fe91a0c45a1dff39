"""What a refused sympy expression is told to write instead: one sentence per kind of
refusal, naming what is allowed (see `vocabulary`)."""

from __future__ import annotations

import ast

MATHS = "write numbers, symbols, operators and sympy's maths functions, like diff(x**2, x) == 2*x"
OPERATOR = "use + - * / ** ^ % // @, comparisons, and, or, not, & and |"
STRINGS = (
    "strings are only names, as in Symbol('x'), symbols('x y') or Function('f'), and a "
    "limit's direction '+', '-' or '+-'; write the expression itself, without quotes"
)
CALLS = "ankify calls only sympy's maths functions (diff, integrate, solve, simplify, Matrix, ...)"
METHODS = "of results, ankify calls only maths methods such as .det(), .eigenvals(), .subs(x, 1)"
ATTRIBUTES = "of results, ankify reads only .T, .H, .rhs, .lhs, .shape, .args and is_ properties"
KEYWORDS = "assumptions (real=True, positive=True, ...), dir, evaluate, n and a few others"
#: Python syntax that is not maths, and the maths to write instead.
SYNTAX: dict[type, str] = {
    ast.Lambda: "write Lambda(x, x**2)",
    ast.ListComp: "write Sum(k**2, (k, 1, n)) or the elements one by one",
    ast.SetComp: "write FiniteSet(...) with the elements one by one",
    ast.DictComp: "write the dict's keys and values one by one",
    ast.GeneratorExp: "write Sum(k**2, (k, 1, n)) or the elements one by one",
    ast.IfExp: "write Piecewise((a, condition), (b, True))",
    ast.JoinedStr: STRINGS,
    ast.Starred: "write the arguments one by one",
}
