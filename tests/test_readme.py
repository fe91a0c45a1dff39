"""The README's examples work as printed: each note example, copied into a file, builds into
notes Anki imports."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import Anki, Project

ROOT = Path(__file__).resolve().parents[1]
#: The README's markdown examples: ````markdown fences, indented or not.
_EXAMPLE = re.compile(r"^( *)````markdown\n(.*?)^\1````$", re.MULTILINE | re.DOTALL)


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for match in _EXAMPLE.finditer(text):
        indent = len(match.group(1))
        found.append("".join(line[indent:] for line in match.group(2).splitlines(keepends=True)))
    return found


def test_the_readme_has_its_examples() -> None:
    examples = _examples()
    assert len(examples) >= 3
    assert any("```exercise" in example for example in examples)


@pytest.mark.parametrize("number", range(len(_examples())))
def test_each_example_builds_as_printed(project: Project, anki: Anki, number: int) -> None:
    example = _examples()[number]
    if example.startswith("```sympy"):  # a check goes under an answer
        example = "Q: The derivative of $\\log(1 + e^x)$?\nA: The logistic function.\n\n" + example
    path = project.root / "notes" / "example.md"
    path.parent.mkdir(parents=True)
    path.write_text(example, encoding="utf-8")
    shutil.copytree(ROOT / "sources" / "figures", path.parent / "figures")
    (result,) = project.build()
    assert result.output is not None
    anki.import_apkg(result.output)
    cards = re.findall(r"^[QE]:", example, re.MULTILINE)
    clozes = re.findall(r"^(?![QAES]:).*(?:\{\{c\d::|==\S)", example, re.MULTILINE)
    variants = re.search(r"^variants: (\d+)", example, re.MULTILINE)
    expected = len(cards) + len(clozes) + (int(variants.group(1)) if variants else 0)
    assert expected > 0
    assert len(anki.notes()) == expected
