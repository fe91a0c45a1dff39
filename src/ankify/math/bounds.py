"""What one sympy line of a note may cost: bounded before it is computed, and in time.

A shared note must not hang or exhaust a build. Three guards, each ending in a SourceError at
the line:

- sizes known before computing: a number of more than ~300,000 digits (`10**10**10`,
  `factorial(10**7)`), a matrix of more than 10,000 entries, more than 10,000 digits asked of
  `evalf`. Powers of exact numbers are guarded inside sympy too, while a line is worked on
  (`(2**n).subs(n, 10**10)` builds one as well): Python computes such a power in one
  uninterruptible step, so no clock could stop it.
- a wall clock: `TIME_LIMIT` seconds per line, by SIGALRM when the line is worked on in a
  process's main thread (builds read sources in worker processes' main threads, or in the main
  process); elsewhere the size guards are what remains.
- Python's own limits: deep recursion and exhausted memory are reported, not raised.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..errors import SourceError
from ..model import SourceSpan

T = TypeVar("T")

#: Seconds sympy may spend on one `check:` line or one exercise's solution.
TIME_LIMIT = 10.0
#: Exact numbers up to this many bits (~300,000 digits) take well under a second.
MAX_BITS = 1_000_000
MAX_DIGITS = int(MAX_BITS * math.log10(2))
#: Larger matrices are tables, not exercises.
MAX_ENTRIES = 10_000
#: Digits of a numerical evaluation (`N(pi, 50)`), and powers of a symbol (`x**100000`).
MAX_PRECISION = 10_000
MAX_DEGREE = 1_000_000


class Oversized(BaseException):
    """A number too large to compute, found inside sympy: a BaseException, so that sympy's
    own `except Exception` cannot swallow it on the way out."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Timeout(BaseException):
    """The wall clock ran out (raised by the SIGALRM handler, wherever sympy is)."""


def describe(number: int) -> str:
    """`12345`, or `a number of 400,000 digits` (Python refuses to print more than 4,300)."""
    digits = max(1, int(abs(number).bit_length() * math.log10(2)))
    return str(number) if digits < 30 else f"a number of about {digits:,} digits"


def too_large(what: str, bits: float) -> str:
    digits = (
        f"about {int(bits * math.log10(2)):,}" if math.isfinite(bits) else "astronomically many"
    )
    return (
        f"{what} would have {digits} digits; ankify computes exact numbers up to "
        f"{MAX_DIGITS:,} digits: use smaller numbers, or a Float like 2.0**1000"
    )


def _ratio(p: int, q: int) -> float:
    """|p| / q as a float, or infinity when it has no float."""
    return abs(p) / q if abs(p).bit_length() - q.bit_length() < 1000 else math.inf


def power_bits(base: Any, exponent: Any) -> float:
    """About how many bits `base**exponent` takes, for exact rational `base` and `exponent`."""
    p, q = abs(int(base.p)), int(base.q)
    if p <= 1 and q == 1:
        return 0.0
    size = max(math.log2(p) if p else 0.0, math.log2(q))
    return size * _ratio(int(exponent.p), int(exponent.q))


def factorial_bits(n: int) -> float:
    """About how many bits n! takes (Stirling, for n too large for lgamma)."""
    if n < 2:
        return 0.0
    if n < 2**50:
        return math.lgamma(n + 1) / math.log(2)
    return _ratio(n, 1) * (math.log2(n) - math.log2(math.e))


def binomial_bits(n: int, k: int) -> float:
    """About how many bits binomial(n, k) takes."""
    k = min(k, n - k)
    if k <= 0:
        return 0.0
    if n < 2**50:
        return factorial_bits(n) - factorial_bits(k) - factorial_bits(n - k)
    return _ratio(k, 1) * (math.log2(n) - math.log2(k) + math.log2(math.e))


def _guarded(original: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    from sympy import Rational

    def _eval_power(self: Any, expt: Any) -> Any:
        if isinstance(expt, Rational):
            bits = power_bits(self, expt)
            if bits > MAX_BITS:
                base = describe(int(self.p))
                if self.q != 1 or self.p < 0:
                    base = f"({base}" + (f"/{describe(int(self.q))})" if self.q != 1 else ")")
                raise Oversized(too_large(f"{base}**{describe(int(expt.p))}", bits))
        return original(self, expt)

    return _eval_power


_lock = threading.Lock()
_users = 0
_originals: dict[type, Any] = {}


@contextmanager
def _exact_powers_guarded() -> Iterator[None]:
    """While inside: sympy refuses powers of exact numbers that would be too large (sympy's
    classes are patched for the process while any line is worked on, then restored)."""
    from sympy import Integer, Rational

    global _users
    with _lock:
        if _users == 0:
            for cls in (Integer, Rational):
                _originals[cls] = cls.__dict__["_eval_power"]
                setattr(cls, "_eval_power", _guarded(_originals[cls]))  # noqa: B010
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                for cls, original in _originals.items():
                    setattr(cls, "_eval_power", original)  # noqa: B010
                _originals.clear()


def bounded(work: Callable[[], T], span: SourceSpan, what: str, advice: str) -> T:
    """`work()`, stopped with a SourceError at `span` when it takes more than TIME_LIMIT s
    ("sympy took more than 10 s to {what}: {advice}"), builds a number too large, recurses too
    deep or exhausts memory."""
    try:
        with _exact_powers_guarded():
            return _timed(work, TIME_LIMIT)
    except _Timeout:
        raise SourceError(
            f"sympy took more than {TIME_LIMIT:g} s to {what}: {advice}", span=span
        ) from None
    except Oversized as error:
        raise SourceError(error.message, span=span) from None
    except RecursionError:
        raise SourceError(f"sympy recursed too deep to {what}: {advice}", span=span) from None
    except MemoryError:
        raise SourceError(f"sympy ran out of memory to {what}: {advice}", span=span) from None


def _timed(work: Callable[[], T], seconds: float) -> T:
    """`work()` with SIGALRM armed for `seconds`, in the main thread; the handler and any
    timer that was running before are restored (the latter with what remains of it)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        return work()

    def alarm(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    earlier, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        try:
            return work()
        finally:
            # The alarm may fire here still: _Timeout then leaves through the caller's except.
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if earlier:
            remaining = max(earlier - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, interval)


# -- sizes known before computing -------------------------------------------------------------

#: Largest argument of functions whose work grows fast with it (larger: minutes or gigabytes).
_MAX_ARGUMENT = {
    "bell": 5_000,
    "bernoulli": 100_000,
    "euler": 100_000,
    "harmonic": 100_000,
    "primorial": 100_000,
    "prime": 10_000_000,
    "primepi": 10**12,
    "catalan": MAX_BITS // 2,
    "fibonacci": MAX_BITS * 10 // 7,
    "lucas": MAX_BITS * 10 // 7,
}
_FACTORIALS = frozenset({"factorial", "factorial2", "subfactorial", "gamma", "loggamma"})
_RISING = frozenset({"RisingFactorial", "FallingFactorial", "rf", "ff"})
_MATRICES = frozenset({"eye", "zeros", "ones", "Matrix", "ImmutableMatrix"})
_PRECISION = {"N": 1, "round": 1, ".evalf": 0, ".n": 0}
_MAX_TERMS = 100_000


def power_problem(base: Any, exponent: Any, text: str) -> str | None:
    """Why `base**exponent` (written `text`) is too large to compute, or None."""
    from sympy import Basic, MatrixBase, Rational

    if not isinstance(exponent, Rational):
        return None
    if isinstance(base, Rational):
        bits = power_bits(base, exponent)
        return too_large(text, bits) if bits > MAX_BITS else None
    size = _ratio(int(exponent.p), int(exponent.q))
    if isinstance(base, MatrixBase) and size > 1_000:
        return f"{text}: ankify raises matrices to powers up to 1,000: use a smaller power"
    if isinstance(base, Basic) and size > MAX_DEGREE:
        return f"{text}: ankify computes powers up to {MAX_DEGREE:,}: use a smaller power"
    return None


def call_problem(name: str, args: list[Any], kwargs: dict[str, Any], text: str) -> str | None:
    """Why calling `name` (a function, or `.method`) with these arguments would cost too much,
    or None. `text` is the call as written."""
    from sympy import FiniteSet, Integer, Number, Rational, Set

    def whole(position: int) -> int | None:
        value = args[position] if len(args) > position else None
        return int(value) if isinstance(value, Integer) else None

    first, second = whole(0), whole(1)
    if name in _MATRICES | {"diag"} and any(
        isinstance(a, Set) and not isinstance(a, FiniteSet) for a in args
    ):
        return f"{text}: a matrix is built from lists of entries, not from a whole set"
    if name == "S" and (len(args) != 1 or kwargs or not isinstance(args[0], (Number, bool))):
        return f"{text}: S(...) turns a number into sympy's, like S(1)/3"
    if name in ("Pow", "pow") and len(args) == 2:
        return power_problem(args[0], args[1], text)
    if name in _FACTORIALS and first is not None and factorial_bits(first) > MAX_BITS:
        return too_large(text, factorial_bits(first))
    if name == "binomial" and first is not None and second is not None and 0 <= second <= first:
        bits = binomial_bits(first, second)
        return too_large(text, bits) if bits > MAX_BITS else None
    if name in _RISING and second is not None and second > 0:
        start = args[0]
        if not isinstance(start, Rational):
            return (
                None if second <= _MAX_TERMS else f"{text}: that is a product of {second:,} factors"
            )
        bits = _ratio(second, 1) * math.log2(abs(int(start.p)) + second + 1)
        return too_large(text, bits) if bits > MAX_BITS else None
    limit = _MAX_ARGUMENT.get(name)
    if limit is not None and first is not None and first > limit:
        return f"{text}: ankify computes {name}(n) for n up to {limit:,}: use a smaller n"
    if name in _MATRICES and first is not None:
        square = 1 if name.endswith("Matrix") else first
        if abs(first * (second if second is not None else square)) > MAX_ENTRIES:
            return f"{text}: ankify builds matrices of up to {MAX_ENTRIES:,} entries"
    if name in _PRECISION:
        digits = kwargs.get("n", args[_PRECISION[name]] if len(args) > _PRECISION[name] else None)
        if isinstance(digits, Integer) and abs(int(digits)) > MAX_PRECISION:
            return f"{text}: ankify evaluates up to {MAX_PRECISION:,} digits"
    return None
