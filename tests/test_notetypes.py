"""The note types Anki keeps: their ids, fields and templates never change.

Changing a note type's fields or templates (their number, names or order) makes Anki ask for
a one-way full sync, which can throw away reviews a phone has not synced yet. Styling changes
go into the CSS and the templates' HTML only; these tests fail if anything else moves.
"""

from __future__ import annotations

from ankify.model import CardKind
from ankify.notetypes import NOTE_TYPES, card_html

from .conftest import Anki, Project

#: As released: (id, name, fields in order, card templates in order, cloze).
PINNED = {
    "ankify Question": (
        1763712001,
        ("Question", "Answer", "Context", "Source"),
        ("Card 1",),
        False,
    ),
    "ankify Cloze": (1763712002, ("Text", "Extra", "Context", "Source"), ("Cloze",), True),
    "ankify Exercise": (
        1763712003,
        ("Exercise", "Solution", "Context", "Source"),
        ("Card 1",),
        False,
    ),
}


def test_note_types_are_pinned_in_the_code() -> None:
    got = {
        t.name: (t.id, t.fields, (t.card_name,), t.cloze)
        for t in (NOTE_TYPES[kind] for kind in CardKind)
    }
    assert got == PINNED


def test_note_types_in_anki_have_the_pinned_fields_and_templates(
    project: Project, anki: Anki
) -> None:
    project.write(
        "notes/all.md",
        "# Kinds\n\nQ: A question?\nA: An answer.\n\nE: An exercise.\nS: A solution.\n\n"
        "A {{c1::cloze}} and ==another==.\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    models = {m["name"]: m for m in anki.col.models.all() if m["name"].startswith("ankify ")}
    got = {
        name: (
            m["id"],
            tuple(f["name"] for f in m["flds"]),
            tuple(t["name"] for t in m["tmpls"]),
            m["type"] == 1,  # Anki's MODEL_CLOZE
        )
        for name, m in models.items()
    }
    assert got == PINNED
    # Each side of each template refers only to the pinned fields.
    for name, m in models.items():
        fields = set(PINNED[name][1]) | {"FrontSide"}
        for template in m["tmpls"]:
            for side in ("qfmt", "afmt"):
                used = {ref.split(":")[-1].lstrip("#^/") for ref in _references(template[side])}
                assert used <= fields, (name, side, used - fields)


def _references(template: str) -> list[str]:
    import re

    return re.findall(r"\{\{([^}]+)\}\}", template)


def test_every_template_side_ends_with_the_math_fitting_script() -> None:
    for note_type in NOTE_TYPES.values():
        for side in ("front", "back"):
            html = card_html(note_type, side)
            assert html.count("<script>") == 1 and html.rstrip().endswith("</script>")
            assert "ResizeObserver" in html and ".ankify-math" in html
