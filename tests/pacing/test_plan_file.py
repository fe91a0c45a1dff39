"""The [plan] table of ankify.toml: round trips, and every other byte kept."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from ankify.errors import ConfigError
from ankify.model import PageRange
from ankify.pacing.plan import (
    Plan,
)
from ankify.pacing.plan_file import load_plan, plan_table, replace_plan_table, save_plan

TUE = date(2026, 12, 1)  # a Tuesday
SAT, SUN = 5, 6


USER_TOML = """\
# my project
[decks]
on_the_go = "On the go::{deck}"   # phone
pen_and_paper = '''
[plan] in a string is not a table
'''

[plan]
pages = "1-10"
start = 2026-01-01
extra = "mine"   # replaced: [plan] belongs to ankify

[plan.old]
x = 1

# macros follow
[macros]
"\\\\R" = "\\\\mathbb{R}"
"""


def test_plan_table_round_trips_through_tomllib(weekdays_plan: Plan) -> None:
    plan = Plan(PageRange(1, 716), TUE, rest_days=(SAT, SUN), pdf='books/"odd"\\name.pdf')
    data = tomllib.loads(plan_table(plan))
    assert data["plan"] == plan.to_dict()
    assert Plan.from_dict(data["plan"]) == plan
    with_offset = Plan(PageRange(53, 79), TUE, pdf="ch3.pdf", offset=-52)
    data = tomllib.loads(plan_table(with_offset))
    assert data["plan"]["offset"] == -52
    assert Plan.from_dict(data["plan"]) == with_offset


def test_replace_plan_table_keeps_every_other_byte(weekdays_plan: Plan) -> None:
    table = plan_table(weekdays_plan)
    new = replace_plan_table(USER_TOML, table)
    before, after = USER_TOML.split("[plan]\npages")
    assert new == before + table + "\n# macros follow" + after.split("\n# macros follow")[1]
    data = tomllib.loads(new)
    assert Plan.from_dict(data["plan"]) == weekdays_plan
    assert data["decks"]["pen_and_paper"] == "[plan] in a string is not a table\n"
    assert data["macros"] == {"\\R": "\\mathbb{R}"}


def test_replace_plan_table_appends_when_there_is_none(weekdays_plan: Plan) -> None:
    table = plan_table(weekdays_plan)
    assert replace_plan_table("", table) == table
    assert replace_plan_table("[decks]\nx = 1", table) == "[decks]\nx = 1\n\n" + table
    assert replace_plan_table("[decks]\nx = 1\n\n", table) == "[decks]\nx = 1\n\n" + table


def test_save_plan_keeps_the_users_file(tmp_path: Path, weekdays_plan: Plan) -> None:
    config = tmp_path / "ankify.toml"
    user = '[decks]\r\non_the_go = "Phone::{deck}"\r\n'
    config.write_bytes(user.encode())
    config.chmod(0o640)
    save_plan(config, weekdays_plan)
    data = config.read_bytes()
    assert data.startswith(user.encode() + b"\r\n[plan]\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert config.stat().st_mode & 0o777 == 0o640
    assert load_plan(config) == weekdays_plan
    later = Plan(PageRange(5, 9), TUE)
    save_plan(config, later)
    assert load_plan(config) == later
    assert config.read_bytes().startswith(user.encode() + b"\r\n[plan]\r\n")
    assert [p.name for p in tmp_path.iterdir()] == ["ankify.toml"]  # no temporary file left


def test_save_plan_refuses_to_clobber_a_dotted_plan_key(tmp_path: Path) -> None:
    config = tmp_path / "ankify.toml"
    config.write_text('plan.pages = "1-5"\n')
    with pytest.raises(ConfigError, match="cannot save the plan without changing the rest"):
        save_plan(config, Plan(PageRange(1, 5), TUE))
    assert config.read_text() == 'plan.pages = "1-5"\n'


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("", "no saved plan in ankify.toml: run 'ankify plan --pages 1-720 --start 2026-12-01'"),
        ('[plan]\npages = "1-5"\n', r"\[plan\] has no start"),
        ('[plan]\npages = "5-1"\nstart = 2026-12-01\n', r"\[plan\] pages 5-1 runs backwards"),
        ('[plan]\npages = "1-5"\nstart = "2026-12-01"\n', r"\[plan\] start must be a date"),
        (
            '[plan]\npages = "1-5"\nstart = 2026-12-01\nfrom = 0\n',
            r"0 pages on the first day: read at least 1 page a day \(\[plan\] from\)",
        ),
        ('[plan]\npages = "1-5"\nstart = 2026-12-01\nform = 3\n', "did you mean 'from'"),
        ('[plan]\npages = "1-5"\nstart = 2026-12-01\nrest_days = "sat"\n', "must be a list"),
        ("[plan\n", "ankify.toml: invalid TOML"),
        (
            '[plan]\npages = "1-5"\nstart = 2026-12-01\npdf = "a.pdf"\noffset = "-3"\n',
            r"\[plan\] offset must be a whole number, e.g. -52",
        ),
        (
            '[plan]\npages = "1-5"\nstart = 2026-12-01\noffset = -3\n',
            r"an offset is for the pages of a PDF without page labels: give the PDF, or drop the "
            r"offset \(\[plan\] offset, \[plan\] pdf\)",
        ),
    ],
)
def test_load_plan_errors(tmp_path: Path, toml: str, message: str) -> None:
    config = tmp_path / "ankify.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_plan(config)
