"""The [plan] table of ankify.toml: read, and saved without touching the rest of the file.

Saving a plan rewrites only the [plan] table: every other byte the user wrote (other tables,
comments, layout) is kept, and the file is replaced atomically. The table is found by a small
scanner of TOML's line structure (table headers outside multi-line strings), and the edit is
checked by parsing the result: only [plan] may differ.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..config import read_toml
from ..errors import ConfigError
from ..model import SourceSpan
from ..workspace import CONFIG_NAME, write_atomically
from .plan import Plan

NO_PLAN = (
    f"no saved plan in {CONFIG_NAME}: run 'ankify plan --pages 1-720 --start 2026-12-01' first"
)

# The first key of a table header line: [plan], [ "plan" ], [plan.extra], [[plan.items]] ...
_HEADER = re.compile(r"""[ \t]*\[\[?[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)""")


# -- the [plan] table -------------------------------------------------------------------------


def load_plan(config: Path) -> Plan:
    """The plan saved in `config` (ankify.toml); ConfigError if there is none."""
    if not config.is_file():
        raise ConfigError(NO_PLAN)
    data = read_toml(config)
    table = data.get("plan")
    if table is None:
        raise ConfigError(NO_PLAN)
    if not isinstance(table, dict):
        raise ConfigError(
            "plan must be a [plan] table: run 'ankify plan' again", span=SourceSpan(config)
        )
    try:
        return Plan.from_dict(table)
    except ConfigError as e:
        raise ConfigError(e.message, span=SourceSpan(config)) from None


def save_plan(config: Path, plan: Plan) -> None:
    """Write `plan` as the [plan] table of `config`, keeping everything else in the file (and
    the file itself, when it is a link)."""
    before = read_toml(config) if config.exists() else {}
    text = config.read_bytes().decode("utf-8") if config.exists() else ""  # CRLF stays CRLF
    newline = "\r\n" if "\r\n" in text else "\n"
    new = replace_plan_table(text, plan_table(plan, newline=newline))
    # Check the edit as TOML: only [plan] may change (a `plan.x = ...` key elsewhere would clash).
    try:
        after: dict[str, Any] | None = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
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
    write_atomically(config, new.encode("utf-8"))


def _without_plan(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "plan"}


def plan_table(plan: Plan, *, newline: str = "\n") -> str:
    """The [plan] table as TOML text."""
    lines = ["[plan]", "# Written by 'ankify plan': run it again to change the plan."]
    lines += [f"{key} = {toml_value(value)}" for key, value in plan.to_dict().items()]
    return newline.join(lines) + newline


def replace_plan_table(text: str, table: str) -> str:
    """`text` (a TOML document) with its [plan] table (and [plan.*] tables) replaced by `table`.

    The table is appended when there is none. Comments and blank lines just above the next
    table stay with that table.
    """
    return replace_tables(text, "plan", table)


def replace_tables(text: str, name: str, table: str) -> str:
    """`text` (a TOML document) with its tables named `name` (`[name]`, `[name.*]` and
    `[[name]]`) replaced by `table`, where the first of them was (appended when there is none).
    """
    lines = text.splitlines(keepends=True)
    regions = _regions(lines, name)
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


def _regions(lines: Sequence[str], name: str) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the tables whose first key is `name`."""
    headers = []
    state: str | None = None
    for number, line in enumerate(lines):
        if state is None and (match := _HEADER.match(line)):
            key = match.group(1)
            if key[0] in "\"'":
                key = key[1:-1]
            headers.append((number, key == name))
        state = _string_state(line, state)
    regions = []
    for i, (start, named) in enumerate(headers):
        if not named:
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


def toml_value(value: Any) -> str:
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
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")  # pragma: no cover - a programming error
