"""Reading a note's parts in one markdown-it call gives what reading each part alone gives."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ankify.errors import SourceError
from ankify.sources.formulas import lift
from ankify.sources.frontmatter import split_front_matter
from ankify.sources.scan import scan
from ankify.sources.syntax import parse, parse_parts

from .test_lossless_property import PIECES, generate


def _parts(text: str) -> tuple[list[tuple[str, int]], object] | None:
    path = Path("n.md")
    try:
        _, body = split_front_matter(text.lstrip("\ufeff").replace("\r\n", "\n"), path)
        lifted = lift(body, 1, path)
        parts = [(p.text, p.index) for p in scan(lifted.text.split("\n"), path, lifted.line)]
    except SourceError:
        return None
    return parts, lifted


def _shape(blocks: list[tuple]) -> list[list[tuple]]:
    return [
        [
            (t.type, t.level, t.map, t.content.rstrip("\n"), [c.type for c in t.children or ()])
            for t in tokens
        ]
        for tokens in blocks
    ]


def _texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [generate(seed * 100 + n)[1] for n in range(20)]
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 200))) for _ in range(40)]
    return texts


@pytest.mark.parametrize("seed", range(5))
def test_parts_read_together_are_read_as_each_alone(seed: int) -> None:
    for text in _texts(seed):
        found = _parts(text)
        if found is None:
            continue
        parts, lifted = found
        together = parse_parts(parts, lifted)  # type: ignore[arg-type]
        alone = [parse(part, start, lifted) for part, start in parts]  # type: ignore[arg-type]
        assert _shape(together) == _shape(alone), text


def test_a_block_that_runs_into_the_next_part_is_read_alone() -> None:
    # An indented code block after a separator runs on into the next part's indented lines
    # when the parts are read together; each part read alone keeps it to its own.
    text = "Q: q\nA: a\n\n    code one\n---\n    code two\n"
    found = _parts(text)
    assert found is not None
    parts, lifted = found
    together = parse_parts(parts, lifted)  # type: ignore[arg-type]
    alone = [parse(part, start, lifted) for part, start in parts]  # type: ignore[arg-type]
    assert _shape(together) == _shape(alone)
    assert [t.content for tokens in together for t in tokens if t.type == "code_block"] == [
        "code one\n",
        "code two\n",
    ]
