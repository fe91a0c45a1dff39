"""What a sympy expression in a note may name: the whole vocabulary, in one place to review.

Notes come from others (a study group's repository, a course's notes), so a ```sympy or
```exercise line is maths, never a program. Everything named here is a sympy function,
class or constant that computes and returns mathematical objects: none reads or writes a file,
starts a process, imports a module, or turns a string into code. A name not listed here is a
symbol (`x`, `theta`) or, when called, an undefined function (`f(x)`), as sympy's own parser
reads them; Python's built-in names and sympy's other names are refused, so that a note cannot
reach them under another spelling. Adding a name here is a security decision: check that it
cannot run code or take a string that sympy would parse.
"""

from __future__ import annotations

import builtins
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: sympy functions and classes a note may call (and name, e.g. `rewrite(exp)`).
FUNCTIONS = _words(
    # elementary functions
    "exp log ln sqrt cbrt root real_root sin cos tan cot sec csc asin acos atan acot asec acsc "
    "atan2 sinh cosh tanh coth sech csch asinh acosh atanh acoth asech acsch sinc Abs sign arg "
    "re im conjugate floor ceiling frac Max Min Heaviside DiracDelta LambertW Piecewise "
    "KroneckerDelta "
    # special functions and combinatorics
    "factorial factorial2 subfactorial binomial gamma loggamma lowergamma uppergamma digamma "
    "polygamma beta zeta dirichlet_eta harmonic fibonacci lucas bernoulli euler catalan bell "
    "RisingFactorial FallingFactorial rf ff erf erfc erfi erfinv Ei Si Ci li Li expint fresnels "
    "fresnelc besselj bessely besseli besselk hankel1 hankel2 airyai airybi legendre "
    "assoc_legendre chebyshevt chebyshevu hermite laguerre jacobi gegenbauer elliptic_k "
    "elliptic_e elliptic_f elliptic_pi "
    # number theory
    "isprime prime primepi nextprime prevprime divisors factorint totient gcd lcm igcd ilcm "
    "mod_inverse Mod primorial divisor_count mobius "
    # calculus and algebra
    "diff integrate limit summation product series Sum Integral Derivative Limit Product Order O "
    "residue apart together cancel collect expand factor simplify trigsimp expand_trig powsimp "
    "powdenest radsimp ratsimp logcombine expand_log expand_complex nsimplify N solve solveset "
    "linsolve nonlinsolve dsolve roots real_roots Poly degree div quo rem discriminant resultant "
    # relations and logic
    "Eq Ne Lt Le Gt Ge And Or Not Xor Implies Equivalent Contains "
    # sets
    "FiniteSet Interval Union Intersection Complement SymmetricDifference ImageSet ConditionSet "
    "ProductSet Range "
    # matrices
    "Matrix ImmutableMatrix eye zeros ones diag det trace transpose "
    # numbers and symbols (a string only as a name: see NAMING)
    "Rational Integer Symbol symbols Function Lambda Tuple Pow Mul Add S"
)

#: sympy constants and sets, by the name a note writes.
CONSTANTS = _words(
    "pi E I oo zoo nan EulerGamma GoldenRatio Catalan true false EmptySet Reals Integers "
    "Naturals Naturals0 Rationals Complexes UniversalSet"
)

#: The constants `S` holds (`S.Half`, `S.Reals`): `S` itself only turns a number into sympy's.
S_ATTRIBUTES = _words(
    "Half One Zero NegativeOne Infinity NegativeInfinity ComplexInfinity NaN Pi Exp1 "
    "ImaginaryUnit EulerGamma GoldenRatio Catalan EmptySet Reals Integers Naturals Naturals0 "
    "Rationals Complexes UniversalSet true false"
)

#: Python's built-in functions that sympy's parser gave notes, as the sympy function each is.
BUILTINS = {"abs": "Abs", "max": "Max", "min": "Min"}
#: Python built-ins computed by the evaluator itself (on sympy values only).
COMPUTED = frozenset({"pow", "round", "sum", "len"})

#: Methods of results a note may call: `Matrix(...).eigenvals()`, `expr.subs(x, 1)`.
METHODS = _words(
    "eigenvals eigenvects det inv transpose subs xreplace doit expand simplify factor rank "
    "trace norm evalf n diff integrate limit series coeff removeO together apart cancel collect "
    "trigsimp rewrite adjugate charpoly nullspace columnspace rowspace rref diagonalize "
    "is_symmetric dot cross exp conjugate as_numer_denom as_real_imag equals contains intersect "
    "union is_subset all_coeffs"
)

#: Constructors of sympy classes a note may call: `Interval.open(0, 1)`, as sympy prints it.
CLASS_METHODS = {"Interval": frozenset({"open", "Lopen", "Ropen"})}

#: Attributes of results a note may read: `M.T`, `Eq(a, b).rhs`.
ATTRIBUTES = _words(
    "T H rhs lhs shape rows cols args free_symbols start end inf sup boundary measure "
    "is_positive is_negative is_zero is_nonnegative is_nonpositive is_real is_integer "
    "is_rational is_finite is_empty"
)

#: Symbol assumptions, as keyword arguments (`Symbol('x', real=True)`) and `assume:` words.
ASSUMPTIONS = _words(
    "real positive negative integer rational complex nonnegative nonpositive nonzero zero "
    "finite commutative odd even prime imaginary extended_real"
)

#: Keyword arguments a note may pass to a function or method.
KEYWORDS = ASSUMPTIONS | _words(
    "dir evaluate n x0 deep force dict domain chop manual simplify rational subs simultaneous"
)

#: The only strings a note may write: a name for these (`Symbol('x')`, `symbols('x y')`)...
NAMING = frozenset({"Symbol", "symbols", "Function"})
#: ... and a one-sided limit's direction: `dir=`, or the argument at this position.
DIRECTED = {"limit": 3, "Limit": 3, "series": 4}
DIRECTIONS = frozenset({"+", "-", "+-"})

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def name_problem(name: str) -> str | None:
    """Why `name` may not name a symbol, or None when it may."""
    if name.startswith("_") or "__" in name:
        return "names starting with _ or holding __ are Python's internals"
    if not _IDENTIFIER.match(name):
        return "a name is letters, digits and _, starting with a letter"
    if name in PYTHON and name not in BUILTINS and name not in COMPUTED:
        return f"{name} is Python's, not maths, and ankify runs no Python"
    return None


#: Python's own names (open, eval, getattr, ...): never symbols, never called.
PYTHON = frozenset(dir(builtins)) | frozenset({"lambda", "import"})
