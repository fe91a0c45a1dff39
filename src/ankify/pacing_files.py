"""The files pacing reads and writes: the [plan] table of ankify.toml, notes' `pages:`, a plot.

Saving a plan rewrites only the [plan] table of ankify.toml: every other byte the user wrote
(other tables, comments, layout) is kept, and the file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from .books import load_book, read_pdf_book
from .errors import AnkifyError, BuildErrors, ConfigError
from .model import SourceSpan
from .pacing import Book, NotePages, Plan, ProgressPoint, Schedule, make_plan, make_schedule
from .sources.frontmatter import parse_front_matter, read_text, split_front_matter

CONFIG_NAME = "ankify.toml"
NO_PLAN = (
    f"no saved plan in {CONFIG_NAME}: run 'ankify plan --pages 1-716 --start 2026-12-01' first"
)

# The first key of a table header line: [plan], [ "plan" ], [plan.extra], [[plan.items]] ...
# `date: 2026-12-03` (quoted or not, maybe followed by a time) in a front matter header.
_DATE = re.compile(r"""^date[ \t]*:[ \t]*["']?(\d{4}-\d{2}-\d{2})\b""", re.MULTILINE)
_HEADER = re.compile(r"""[ \t]*\[\[?[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)""")


# -- the [plan] table -------------------------------------------------------------------------


def load_plan(config: Path) -> Plan:
    """The plan saved in `config` (ankify.toml); ConfigError if there is none."""
    if not config.is_file():
        raise ConfigError(NO_PLAN)
    data = _parse_toml(config.read_bytes(), config)
    table = data.get("plan")
    if table is None:
        raise ConfigError(NO_PLAN)
    if not isinstance(table, dict):
        raise ConfigError(
            "plan must be a [plan] table: run 'ankify plan' again", span=SourceSpan(config)
        )
    return Plan.from_dict(table)


def save_plan(config: Path, plan: Plan) -> None:
    """Write `plan` as the [plan] table of `config`, keeping everything else in the file."""
    if config.is_symlink():
        config = config.resolve()
    old = config.read_bytes() if config.exists() else b""
    before = _parse_toml(old, config)
    text = old.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    new = replace_plan_table(text, plan_table(plan, newline=newline))
    # Check the edit as TOML: only [plan] may change (a `plan.x = ...` key elsewhere would clash).
    try:
        after: dict[str, Any] | None = _parse_toml(new.encode("utf-8"), config)
    except ConfigError:
        after = None
    if (
        after is None
        or after.get("plan") != plan.to_dict()
        or _without_plan(after) != _without_plan(before)
    ):
        raise ConfigError(
            f"cannot save the plan without changing the rest of {CONFIG_NAME}: write the plan "
            "as a [plan] table on its own (no 'plan.' keys elsewhere), or remove it by hand"
        )
    _write_atomically(config, new.encode("utf-8"))


def _without_plan(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "plan"}


def plan_table(plan: Plan, *, newline: str = "\n") -> str:
    """The [plan] table as TOML text."""
    lines = ["[plan]", "# Written by 'ankify plan': run it again to change the plan."]
    lines += [f"{key} = {_toml_value(value)}" for key, value in plan.to_dict().items()]
    return newline.join(lines) + newline


def replace_plan_table(text: str, table: str) -> str:
    """`text` (a TOML document) with its [plan] table (and [plan.*] tables) replaced by `table`.

    The table is appended when there is none. Comments and blank lines just above the next
    table stay with that table.
    """
    lines = text.splitlines(keepends=True)
    regions = _plan_regions(lines)
    if not regions:
        if not text:
            return table
        newline = "\r\n" if text.endswith("\r\n") else "\n"
        sep = "" if text.endswith(("\n", "\r")) else newline
        blank = "" if text.endswith(("\n\n", "\r\n\r\n")) else newline
        return text + sep + blank + table
    # A [plan.*] table further down goes with the blank lines that set it apart.
    for i, (start, end) in enumerate(regions[1:], start=1):
        while start > regions[i - 1][1] and not lines[start - 1].strip():
            start -= 1
        regions[i] = (start, end)
    out = []
    for number, line in enumerate(lines):
        if number == regions[0][0]:
            out.append(table)
        if not any(start <= number < end for start, end in regions):
            out.append(line)
    return "".join(out)


def _plan_regions(lines: Sequence[str]) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the [plan] and [plan.*] tables."""
    headers = []
    state: str | None = None
    for number, line in enumerate(lines):
        if state is None and (match := _HEADER.match(line)):
            key = match.group(1)
            if key[0] in "\"'":
                key = key[1:-1]
            headers.append((number, key == "plan"))
        state = _string_state(line, state)
    regions = []
    for i, (start, is_plan) in enumerate(headers):
        if not is_plan:
            continue
        end = headers[i + 1][0] if i + 1 < len(headers) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip()[0] == "#"):
            end -= 1
        regions.append((start, end))
    return regions


def _string_state(line: str, state: str | None) -> str | None:
    """Whether a multi-line string (`\"\"\"` or `'''`) is still open at the end of `line`."""
    i = 0
    while i < len(line):
        if state is not None:
            if state == '"""' and line[i] == "\\":
                i += 2
                continue
            if line.startswith(state, i):
                while i < len(line) and line[i] == state[0]:
                    i += 1  # up to two quotes may end the string's content
                state = None
                continue
            i += 1
            continue
        char = line[i]
        if char == "#":
            break
        if line.startswith(('"""', "'''"), i):
            state = line[i : i + 3]
            i += 3
        elif char == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
        elif char == "'":
            close = line.find("'", i + 1)
            i = len(line) if close < 0 else close + 1
        else:
            i += 1
    return state


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        escaped = []
        for char in value:
            if char in '"\\':
                escaped.append("\\" + char)
            elif ord(char) < 0x20 or ord(char) == 0x7F:
                escaped.append(f"\\u{ord(char):04x}")
            else:
                escaped.append(char)
        return '"' + "".join(escaped) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")  # pragma: no cover - a programming error


def _parse_toml(data: bytes, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text: save it as UTF-8", span=SourceSpan(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"invalid TOML: {e}: fix it first", span=SourceSpan(path)) from None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path` (keeping its mode)."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    with _temporary_beside(path, mode=mode) as tmp, tmp.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


# -- books, notes ---------------------------------------------------------------------------


def book_of(plan: Plan, base: Path) -> Book | None:
    """The book a saved plan names (a bundled profile or a PDF relative to `base`), if any."""
    if plan.book is not None:
        return load_book(plan.book)
    if plan.pdf is not None:
        path = base / plan.pdf
        if not path.is_file():
            raise ConfigError(
                f"{path}: the PDF named by [plan] pdf in {CONFIG_NAME} is missing: move it back "
                "or run 'ankify plan --pdf BOOK.pdf' again"
            )
        return read_pdf_book(path)
    return None


def read_notes(sources: Path) -> tuple[NotePages, ...]:
    """The notes under `sources` that record pages read (`pages:` in their front matter).

    A note was written on its front matter's `date:` if it has one, else on the day the file was
    last modified.
    """
    if not sources.is_dir():
        raise ConfigError(
            f"{sources}: no such folder of notes: write your notes there, or pass --sources DIR"
        )
    notes = []
    errors: list[AnkifyError] = []
    for path in sorted(sources.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(sources).parts):
            continue
        try:
            header, _ = split_front_matter(read_text(path))
            front = parse_front_matter(header, path)
            if front.pages:
                written = _date_in(header) or date.fromtimestamp(path.stat().st_mtime)
                notes.append(NotePages(path, front.pages, written))
        except AnkifyError as e:
            errors.append(e)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(tuple(errors))
    return tuple(notes)


def _date_in(header: str | None) -> date | None:
    """The `date:` of a front matter header (as note-taking apps write it), if it has one.

    Other tools' dates in other forms ("Dec 3, 2026") are theirs: the file's date is used then.
    """
    match = _DATE.search(header or "")
    if match is None:
        return None
    with contextlib.suppress(ValueError):
        return date.fromisoformat(match.group(1))
    return None


# -- what the commands do -------------------------------------------------------------------


def create_plan(
    config: Path,
    *,
    pages: str | None,
    start: date,
    from_pages: int,
    to_pages: int,
    ramp_days: int,
    rest_days: str,
    book: str | None,
    pdf: Path | None,
) -> Schedule:
    """Make a plan from command-line values, save it to `config` and lay it out day by day."""
    if book is not None and pdf is not None:
        raise ConfigError("--book and --pdf both name the book: give only one of them")
    the_book = load_book(book) if book is not None else None
    if pdf is not None:
        the_book = read_pdf_book(pdf)
    plan = make_plan(
        pages=pages,
        start=start,
        from_pages=from_pages,
        to_pages=to_pages,
        ramp_days=ramp_days,
        rest_days=rest_days,
        book=the_book,
        pdf=_relative_to(pdf, config.parent) if pdf is not None else None,
    )
    schedule = make_schedule(plan, the_book)
    save_plan(config, plan)
    return schedule


def load_progress(config: Path, sources: Path) -> tuple[Schedule, tuple[NotePages, ...]]:
    """The saved plan laid out, and the notes that record the reading."""
    plan = load_plan(config)
    schedule = make_schedule(plan, book_of(plan, config.parent))
    return schedule, read_notes(sources)


def _relative_to(path: Path, base: Path) -> str:
    """`path` as ankify.toml should name it: relative to the project when it is inside it."""
    resolved = path.resolve()
    with contextlib.suppress(ValueError):
        return resolved.relative_to(base.resolve()).as_posix()
    return resolved.as_posix()


# -- the plot -------------------------------------------------------------------------------


def write_plot(path: Path, points: Sequence[ProgressPoint], *, title: str) -> None:
    """A chart of planned against done pages over time, saved to `path` (.png, .svg, .pdf)."""
    try:
        from matplotlib.dates import date2num
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError(
            "--plot needs matplotlib: pip install 'ankify[plot]' (or leave out --plot)"
        ) from None
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.add_subplot()
    axes.xaxis_date()
    to_numbers = cast("Callable[[list[date]], list[float]]", date2num)  # untyped in matplotlib
    days = list(to_numbers([p.date for p in points]))
    axes.plot(days, [p.planned for p in points], label="planned", color="tab:blue")
    done = [(day, p.done) for day, p in zip(days, points, strict=True) if p.done is not None]
    if done:
        axes.plot([d for d, _ in done], [n for _, n in done], label="done", color="tab:green")
        axes.axvline(done[-1][0], color="grey", linestyle=":", linewidth=1, label="today")
    axes.set_title(title)
    axes.set_ylabel("pages")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    figure.autofmt_xdate()
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in figure.canvas.get_supported_filetypes():
        raise ConfigError(f"--plot {path}: use a .png, .svg or .pdf file name")
    with _temporary_beside(path) as tmp:
        figure.savefig(tmp, format=suffix)


@contextlib.contextmanager
def _temporary_beside(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it if the block succeeds.

    The file gets `mode`, or what a new file would get: mkstemp's 0600 would hide it from others.
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
