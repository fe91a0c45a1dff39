"""Cards per page, measured from the cards notes build over the pages they cover."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ankify.config import Config
from ankify.model import PageRange
from ankify.pacing.notes import read_notes
from ankify.pacing.rates import HALF_LIFE_PAGES, Rate, measure_rate
from ankify.pacing.report import NotePages


def _note(folder: Path, name: str, pages: str, questions: int, clozes: int = 0) -> None:
    body = "".join(f"Q: Question {i}?\nA: Answer {i}.\n\n" for i in range(questions))
    if clozes:
        body += " ".join(f"{{{{c{i + 1}::word{i}}}}}" for i in range(clozes)) + " make one note.\n"
    header = f"---\npages: {pages}\ndate: 2026-12-0{len(list(folder.iterdir())) + 1}\n---\n"
    (folder / name).write_text(header + "# Chapter\n\n" + body)


def test_cards_are_counted_as_a_build_makes_them(tmp_path: Path) -> None:
    _note(tmp_path, "a.md", "1-10", questions=6, clozes=3)  # 6 questions, 1 note of 3 cards
    _note(tmp_path, "b.md", "11-20", questions=4)
    (tmp_path / "c.md").write_text("Q: No pages?\nA: Not counted.\n")
    # A note a build stops at (the build says why) is not counted, and stops no plan.
    (tmp_path / "d.md").write_text("---\npages: 21-30\n---\nQ: No answer?\n")
    notes = read_notes(tmp_path, count_cards=Config(root=tmp_path))
    assert sorted((n.path.name, n.cards) for n in notes) == [
        ("a.md", 9),
        ("b.md", 4),
        ("d.md", None),
    ]
    rate = measure_rate(notes)
    assert (rate.notes, rate.pages, rate.cards) == (2, 20, 13)
    # b.md ends 10 pages after a.md: a.md weighs 0.5 ** (10 / HALF_LIFE_PAGES).
    weight = 0.5 ** (10 / HALF_LIFE_PAGES)
    assert rate.cards_per_page == pytest.approx((9 * weight + 4) / (10 * weight + 10))
    assert rate.measured
    # Without counting, no rate is measured: the default stands.
    assert measure_rate(read_notes(tmp_path)) == Rate(2.0)


def test_recent_chapters_count_most() -> None:
    early = NotePages(Path("a.md"), (PageRange(1, 50),), date(2026, 12, 1), cards=50)
    late = NotePages(Path("b.md"), (PageRange(301, 350),), date(2027, 1, 1), cards=200)
    rate = measure_rate([early, late])
    assert 3.5 < rate.cards_per_page < 4  # 1 card a page long ago, 4 a page now
    assert measure_rate([], default=1.5) == Rate(1.5)
