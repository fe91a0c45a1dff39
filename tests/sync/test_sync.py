"""ankify sync in real Anki collections: adds, updates in place, moves, removals, edits made in
Anki, review histories, foreign notes, dry runs, the lock and a sync interrupted midway."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ankify.sync.apply import NOTETYPES_KEY
from ankify.sync.collection import Place
from ankify.sync.plan import REMOVED_TAG
from ankify.sync.run import SyncResult, sync_paths
from tests.conftest import NOW, Anki, Project
from tests.pdf_fixtures import png

CHAPTER = """
---
deck: Book
---
Q: What is one?
A: 1

Q: What is two?
A: 2

A {{c1::cloze}} here.
"""


class Opened:
    """The collection opened for a look, and closed again before the next sync."""

    def __init__(self, place: Place) -> None:
        self.anki = Anki(place.path.parent)
        self.col = self.anki.col

    def __enter__(self) -> Opened:
        return self

    def __exit__(self, *_: object) -> None:
        self.anki.close()

    def note(self, text: str) -> Any:
        return self.anki.note_by_field(text)

    def decks(self) -> dict[str, int]:
        return self.anki.deck_cards()


def sync(project: Project, place: Place, *names: str, **options: Any) -> SyncResult:
    paths = [project.root / name for name in names] or [project.root / "notes"]
    return sync_paths(paths, place, now=options.pop("now", NOW), jobs=1, **options)


def counts(result: SyncResult) -> tuple[int, int, int, int, int]:
    plan = result.plans[0]
    written = len(plan.written)
    return (len(plan.add), written, len(plan.moved), len(plan.remove), len(plan.unchanged))


def test_a_sync_adds_the_notes_and_a_second_changes_nothing(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    assert counts(sync(project, place)) == (3, 0, 0, 0, 0)
    with Opened(place) as col:
        assert col.decks() == {"On the go::Book": 3}
        note = col.note("What is one?")
        assert note.note_type()["name"] == "ankify Question"
        before = col.col.mod, col.col.db.all("select id, mod, usn from notes order by id")
        cards = col.col.db.all("select id, mod, usn from cards order by id")
    assert counts(sync(project, place)) == (0, 0, 0, 0, 3)
    with Opened(place) as col:  # nothing for AnkiWeb to sync: no note, card or collection change
        assert (col.col.mod, col.col.db.all("select id, mod, usn from notes order by id")) == before
        assert col.col.db.all("select id, mod, usn from cards order by id") == cards
        assert col.col.fix_integrity()[1]  # Anki's own check finds nothing wrong


def test_history_survives_edits_renames_moves_and_deck_changes(
    project: Project, place: Place
) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:
        note = col.note("What is one?")
        card = note.card_ids()[0]
        col.anki.review(card)
        assert col.anki.revlog(card) == 1
    project.write("notes/ch1.md", CHAPTER.replace("A: 1", "A: one"))
    assert counts(sync(project, place)) == (0, 1, 0, 0, 2)
    with Opened(place) as col:
        edited = col.note("What is one?")
        assert (edited.id, edited["Answer"]) == (note.id, "<p>one</p>")
        assert col.anki.revlog(card) == 1
    (project.root / "notes/ch1.md").rename(project.root / "notes/renamed.md")
    added, _, _, removed, _ = counts(sync(project, place))  # the cards name their file: updated
    assert (added, removed) == (0, 0)
    text = (project.root / "notes/renamed.md").read_text()
    project.write("notes/renamed.md", text.replace("Q: What is one?\nA: one\n", ""))
    project.write("notes/ch2.md", "---\ndeck: Book\n---\nQ: What is one?\nA: one\n")
    result = sync(project, place)
    assert [len(plan.remove) for plan in result.plans] == [0]
    with Opened(place) as col:
        assert col.note("What is one?").id == note.id
        assert col.anki.revlog(card) == 1
    project.write("notes/ch2.md", "---\ndeck: Other\n---\nQ: What is one?\nA: one\n")
    assert counts(sync(project, place, "notes/ch2.md")) == (0, 0, 1, 0, 0)
    with Opened(place) as col:
        assert col.decks() == {"On the go::Book": 2, "On the go::Other": 1}
        assert col.col.get_card(card).did == col.col.decks.id_for_name("On the go::Other")
        assert col.anki.revlog(card) == 1
        assert col.col.fix_integrity()[1]


def test_removed_notes_are_suspended_and_tagged_foreign_notes_untouched(
    project: Project, place: Place
) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:  # the learner's own note, in ankify's deck
        foreign = col.col.new_note(col.col.models.by_name("Basic"))
        foreign["Front"] = "mine"
        col.col.add_note(foreign, col.col.decks.id_for_name("On the go::Book"))
        foreign_row = col.col.db.first("select mod, tags, flds from notes where id = ?", foreign.id)
    project.write("notes/ch1.md", CHAPTER.replace("Q: What is two?\nA: 2\n", ""))
    result = sync(project, place)
    assert counts(result) == (0, 0, 0, 1, 2)
    with Opened(place) as col:
        two = col.note("What is two?")
        assert REMOVED_TAG in two.tags
        assert [c.queue for c in two.cards()] == [-1]
        assert (
            col.col.db.first("select mod, tags, flds from notes where id = ?", foreign.id)
            == foreign_row
        )
    assert counts(sync(project, place)) == (0, 0, 0, 0, 2)  # removed once
    project.write("notes/ch1.md", CHAPTER)  # written again: the same note comes back
    assert counts(sync(project, place)) == (0, 1, 0, 0, 2)
    with Opened(place) as col:
        two = col.note("What is two?")
        assert REMOVED_TAG not in two.tags
        assert [c.queue for c in two.cards()] == [0]
    project.write("notes/ch1.md", CHAPTER.replace("Q: What is two?\nA: 2\n", ""))
    assert counts(sync(project, place, delete=True)) == (0, 0, 0, 1, 2)
    with Opened(place) as col:
        assert [n.fields[0] for n in col.anki.notes()] == [
            "<p>What is one?</p>",
            "<p>A {{c1::cloze}} here.</p>",
            "mine",
        ]


def test_a_deleted_file_removes_its_notes(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    project.write("notes/ch2.md", "Q: Other?\nA: yes\n")
    sync(project, place)
    (project.root / "notes/ch2.md").unlink()
    result = sync(project, place)
    assert [r.text for r in result.plans[0].remove] == ["<p>Other?</p>"]


def test_an_edit_in_anki_stays_until_its_source_changes(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:
        note = col.note("What is one?")
        note["Answer"] = "<p>my own words</p>"
        col.col.update_note(note)
    result = sync(project, place)
    assert counts(result) == (0, 0, 0, 0, 2)
    assert [n.fields[0] for n in result.plans[0].kept] == ["<p>What is one?</p>"]
    with Opened(place) as col:
        assert col.note("What is one?")["Answer"] == "<p>my own words</p>"
    project.write("notes/ch1.md", CHAPTER.replace("A: 1", "A: one"))
    result = sync(project, place)
    assert [u.overwrote for u in result.plans[0].update] == [True]
    with Opened(place) as col:
        assert col.note("What is one?")["Answer"] == "<p>one</p>"


def test_a_package_import_after_a_sync_duplicates_nothing(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:
        log = col.anki.import_apkg(project.decks / "ch1.apkg")
        assert (log.new, log.duplicate) == (0, 3)  # Anki's word for "already there, as is"
        assert len(col.anki.notes()) == 3
        assert len(col.col.models.all_names_and_ids()) == 8  # Anki's 6, ankify's 2 in use


def test_a_sync_after_a_package_import_takes_the_notes_over(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    project.build("notes")
    with Opened(place) as col:
        col.anki.import_apkg(project.decks / "ch1.apkg")
    project.write("notes/ch1.md", CHAPTER.replace("deck: Book", "deck: Moved"))
    assert counts(sync(project, place)) == (0, 0, 3, 0, 0)
    with Opened(place) as col:
        assert col.decks() == {"On the go::Moved": 3}


def _fingerprint(path: Path) -> tuple[int, str]:
    return path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_says_what_it_would_do_and_changes_nothing(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    project.write(
        "notes/ch1.md",
        CHAPTER.replace("A: 1", "A: one").replace("Q: What is two?\nA: 2\n", "")
        + "\nQ: New?\nA: yes\n",
    )
    before, backups = _fingerprint(place.path), sorted(place.backups.iterdir())
    result = project.run("sync", "notes", "--collection", str(place.path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "would add On the go::Book: New?",
        "would update On the go::Book: What is one?",
        "would remove On the go::Book: What is two?",
        f"{place.path} (dry run, nothing written): 1 added, 1 updated, 0 moved, 1 removed, 1 unchanged",
        "  On the go::Book: 1 added, 1 updated, 1 removed, 1 unchanged",
    ]
    assert _fingerprint(place.path) == before
    assert sorted(place.backups.iterdir()) == backups


def test_a_build_error_changes_nothing(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    before = _fingerprint(place.path)
    project.write("notes/ch1.md", "Q: no answer\n")
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: notes/ch1.md:1: ")
    assert _fingerprint(place.path) == before


def test_an_error_midway_leaves_the_collection_as_it_was(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    project.write(
        "notes/ch1.md", CHAPTER.replace("deck: Book", "deck: Moved") + "\nQ: New?\nA: yes\n"
    )

    def fail(stage: str) -> None:
        if stage == "move":  # the new note is added and the answers written by then
            raise RuntimeError("the disk failed")

    with Opened(place) as col:
        before = (
            col.col.db.all("select * from notes order by id"),
            col.col.db.all("select * from cards order by id"),
        )
    with pytest.raises(RuntimeError):
        sync(project, place, step=fail)
    with Opened(place) as col:
        after = (
            col.col.db.all("select * from notes order by id"),
            col.col.db.all("select * from cards order by id"),
        )
        assert after == before
        assert col.decks() == {"On the go::Book": 3}
    assert list(place.backups.glob("*.colpkg"))  # Anki's backup was made first
    assert counts(sync(project, place)) == (1, 0, 3, 0, 0)


def test_a_collection_open_in_anki_is_refused_with_one_line(project: Project, held: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    result = project.run("sync", "notes", "--collection", str(held.path))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {held.path}: the collection is open in Anki: close Anki and run it again\n"
    )


def test_without_anki_one_line_says_what_to_install(
    project: Project, place: Place, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("notes/ch1.md", CHAPTER)
    monkeypatch.setitem(sys.modules, "anki.collection", None)  # as if it were not installed
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert result.exit_code == 1
    assert result.stderr == "Error: syncing needs Anki's library: pip install 'ankify[sync]'\n"


def test_the_summary_names_decks_and_edits_kept(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER + "\nE: Prove it.\nS: Done.\n")
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert result.stdout.splitlines() == [
        f"{place.path}: 4 added, 0 updated, 0 moved, 0 removed, 0 unchanged",
        "  On the go::Book: 3 added",
        "  Pen and paper::Book: 1 added",
    ]
    with Opened(place) as col:
        note = col.note("What is one?")
        note["Answer"] = "mine"
        col.col.update_note(note)
    time.sleep(0)  # the edit is Anki's; the next sync keeps it and says so
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert (
        "Note: 1 note edited in Anki kept as they are (their source did not change): “What is one?”"
        in result.stderr
    )
    assert result.stdout.splitlines()[:2] == [
        f"{place.path}: 0 added, 0 updated, 0 moved, 0 removed, 3 unchanged, "
        "1 kept as edited in Anki",
        "  On the go::Book: 2 unchanged, 1 kept as edited in Anki",
    ]
    assert os.path.exists(place.path)


def test_sync_prints_lint_s_count_and_with_lint_every_finding(
    project: Project, place: Place
) -> None:
    project.write("notes/ch1.md", CHAPTER + "\nQ: Is one odd?\nA: Yes.\n")
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert result.exit_code == 0  # advice: a finding never stops a sync
    assert result.stdout.splitlines()[0].endswith(
        "4 added, 0 updated, 0 moved, 0 removed, 0 unchanged"
    )
    assert result.stderr.splitlines()[0] == (
        "Lint: 1 finding (1 yes-no): see them with 'ankify lint notes' or 'ankify sync --lint'"
    )
    result = project.run("sync", "notes", "--collection", str(place.path), "--lint")
    assert result.stderr.splitlines()[0].startswith("notes/ch1.md:12: [yes-no] ")
    with Opened(place) as col:
        assert col.note("Is one odd?") is not None  # the card is synced all the same


def test_media_ship_once_and_only_when_new(project: Project, place: Place) -> None:
    (project.root / "notes" / "figures").mkdir(parents=True)
    (project.root / "notes" / "figures" / "plot.png").write_bytes(png(4, 4))
    project.write("notes/ch1.md", CHAPTER + "\nQ: Which plot?\nA: ![a plot](figures/plot.png)\n")
    sync(project, place)
    media = place.path.parent / "collection.media"
    shipped = sorted(p.name for p in media.iterdir())
    assert len(shipped) == 1 and shipped[0].startswith("ankify-")
    with Opened(place) as col:
        assert shipped[0] in col.note("Which plot?")["Answer"]
    stamp = (media / shipped[0]).stat().st_mtime_ns
    (project.root / "notes" / "figures" / "other.png").write_bytes(png(5, 5))
    project.write(
        "notes/ch1.md",
        CHAPTER + "\nQ: Which plot?\nA: ![a plot](figures/plot.png) ![b](figures/other.png)\n",
    )
    assert counts(sync(project, place)) == (0, 1, 0, 0, 3)
    assert len(list(media.iterdir())) == 2
    assert (media / shipped[0]).stat().st_mtime_ns == stamp  # not written again


def test_a_note_deleted_in_anki_comes_back_only_when_its_source_changes(
    project: Project, place: Place
) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:
        col.col.remove_notes([col.note("What is two?").id])
    result = sync(project, place)
    assert counts(result) == (0, 0, 0, 0, 2)
    assert [note.fields[0] for note in result.plans[0].gone] == ["<p>What is two?</p>"]
    project.write("notes/ch1.md", CHAPTER.replace("A: 2", "A: two"))
    assert counts(sync(project, place)) == (1, 0, 0, 0, 2)


def test_tags_given_in_anki_stay_and_tags_dropped_from_the_source_go(
    project: Project, place: Place
) -> None:
    project.write("notes/ch1.md", CHAPTER.replace("deck: Book", "deck: Book\ntags: [ch1, old]"))
    sync(project, place)
    with Opened(place) as col:
        note = col.note("What is one?")
        note.tags.append("hard")
        col.col.update_note(note)
    assert counts(sync(project, place)) == (0, 0, 0, 0, 3)  # a tag is no edit to keep
    project.write("notes/ch1.md", CHAPTER.replace("deck: Book", "deck: Book\ntags: [ch1, new]"))
    assert counts(sync(project, place)) == (0, 3, 0, 0, 0)
    with Opened(place) as col:
        assert sorted(col.note("What is one?").tags) == ["ch1", "hard", "new"]
        assert sorted(col.note("What is two?").tags) == ["ch1", "new"]


def test_delete_waits_for_a_sync_of_the_whole_project(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    project.write("notes/ch2.md", "Q: Other?\nA: yes\n")
    sync(project, place)
    project.write("notes/ch1.md", CHAPTER.replace("Q: What is two?\nA: 2\n", ""))
    project.write("notes/ch2.md", "Q: Other?\nA: yes\n\nQ: What is two?\nA: 2\n")
    collection = str(place.path)
    result = project.run("sync", "notes/ch1.md", "--collection", collection, "--delete")
    assert (
        result.stdout.splitlines()[0]
        == "removed (suspended, tagged ankify::removed) On the go::Book: What is two?"
    )
    assert result.stderr == (
        "Note: 1 removed note suspended, not deleted: --delete deletes only when every note "
        "file of the project is synced (a card moved into a file not synced would lose its "
        "history)\n"
    )
    with Opened(place) as col:
        two = col.note("What is two?")
        col.anki.review(two.card_ids()[0])
    result = project.run("sync", "notes", "--collection", collection, "--delete")
    assert result.exit_code == 0, result.output
    with Opened(place) as col:  # the card moved: its note, history and all, is back
        back = col.note("What is two?")
        assert back.id == two.id and REMOVED_TAG not in back.tags
        assert col.anki.revlog(back.card_ids()[0]) == 1
        assert [c.queue for c in back.cards()] != [-1]


def test_note_types_follow_ankify_s_templates(project: Project, place: Place) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:  # as an earlier ankify's templates would be
        model = col.col.models.by_name("ankify Question")
        front = model["tmpls"][0]["qfmt"]
        model["tmpls"][0]["qfmt"] = "{{Question}} (old)"
        col.col.models.update_dict(model)
        col.col.set_config(NOTETYPES_KEY, {str(model["id"]): "an earlier ankify's"})
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert result.stdout.splitlines()[0] == (
        "brought up to date: the templates of note type ankify Question"
    )
    with Opened(place) as col:
        assert col.col.models.by_name("ankify Question")["tmpls"][0]["qfmt"] == front
    result = project.run("sync", "notes", "--collection", str(place.path))
    assert result.stdout.splitlines()[0].endswith(
        ": 0 added, 0 updated, 0 moved, 0 removed, 3 unchanged"
    )


def test_a_card_moved_to_another_file_is_removed_from_there(project: Project, place: Place) -> None:
    head = "---\ndeck: Book\nsource: book.pdf\n---\n"  # the cards show the book, not the file
    question = "Q: What is one?\nA: 1\n"
    project.write("notes/ch1.md", head + question)
    project.write("notes/ch2.md", head + "Q: Other?\nA: yes\n")
    sync(project, place)
    project.write("notes/ch1.md", head + "Q: Stays?\nA: yes\n")
    project.write("notes/ch2.md", head + "Q: Other?\nA: yes\n\n" + question)
    assert counts(sync(project, place))[4] == 2  # moved, and shown as before: unchanged
    project.write("notes/ch2.md", head + "Q: Other?\nA: yes\n")  # deleted from its new file
    result = sync(project, place, "notes/ch2.md")
    assert [removal.text for removal in result.plans[0].remove] == ["<p>What is one?</p>"]


def test_a_pdf_range_syncs_as_build_reads_it_and_another_range_removes_none_of_it(
    project: Project, place: Place
) -> None:
    from ankify.build.jobs import PdfOptions
    from ankify.model import PageLabels
    from tests.pdf_fixtures import chapter_book

    pdf = chapter_book().save(project.root / "books" / "dlbook.pdf")

    def range_of(pages: str) -> PdfOptions:
        return PdfOptions(pages=PageLabels.parse(pages))

    first = sync(project, place, "books/dlbook.pdf", pdf=range_of("53-54"))
    added = len(first.plans[0].add)
    assert added > 0 and not first.plans[0].remove
    second = sync(project, place, "books/dlbook.pdf", pdf=range_of("55-57"))
    assert len(second.plans[0].add) > 0 and not second.plans[0].remove
    with Opened(place) as col:
        notes = col.col.find_notes("")
        assert len(notes) == added + len(second.plans[0].add)
        assert not col.col.find_notes(f"tag:{REMOVED_TAG}")
    assert pdf.exists()


def test_sync_takes_a_pdf_range_on_the_command_line(project: Project, place: Place) -> None:
    from tests.pdf_fixtures import chapter_book

    chapter_book().save(project.root / "books" / "dlbook.pdf")
    args = ["sync", "books/dlbook.pdf", "--collection", str(place.path)]
    result = project.run(*args, "--pages", "53-54")
    assert result.exit_code == 0, result.output
    assert " added" in result.output.splitlines()[0]
    with Opened(place) as col:
        assert col.col.find_notes("")
    missing = project.run(*args)
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: books/dlbook.pdf: ")


def test_a_style_or_a_field_the_learner_adds_in_anki_stays_and_settles(
    project: Project, place: Place
) -> None:
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    with Opened(place) as col:
        model = col.col.models.by_name("ankify Question")
        model["css"] += "\n.card { font-size: 40px; }"
        col.col.models.add_field(model, col.col.models.new_field("My notes"))
        col.col.models.update_dict(model)
        note = col.note("What is one?")
        note["My notes"] = "from the lecture"
        col.col.update_note(note)
        mod = col.col.mod
    again = sync(project, place)
    assert counts(again) == (0, 0, 0, 0, 3) and not again.plans[0].notetypes
    with Opened(place) as col:
        assert col.col.mod == mod  # nothing written, no backup made
        assert "font-size: 40px" in col.col.models.by_name("ankify Question")["css"]
    project.write("notes/ch1.md", CHAPTER.replace("A: 1", "A: one"))
    assert counts(sync(project, place)) == (0, 1, 0, 0, 2)
    with Opened(place) as col:
        note = col.note("What is one?")
        assert (note["Answer"], note["My notes"]) == ("<p>one</p>", "from the lecture")
        assert "font-size: 40px" in col.col.models.by_name("ankify Question")["css"]
        assert col.col.fix_integrity()[1]


def test_delete_is_not_held_back_by_a_pdf_range_synced_before(
    project: Project, place: Place
) -> None:
    from ankify.build.jobs import PdfOptions
    from ankify.model import PageLabels
    from tests.pdf_fixtures import chapter_book

    chapter_book().save(project.root / "books" / "dlbook.pdf")
    project.write("notes/ch1.md", CHAPTER)
    sync(project, place)
    pdf = sync(project, place, "books/dlbook.pdf", pdf=PdfOptions(PageLabels.parse("53-54")))
    highlights = len(pdf.plans[0].add)
    project.write("notes/ch1.md", CHAPTER.replace("Q: What is two?\nA: 2\n", ""))
    result = sync(project, place, delete=True)
    assert counts(result)[3] == 1 and result.withheld == 0
    with Opened(place) as col:
        assert not col.col.find_notes("two")
        assert len(col.col.find_notes("")) == 2 + highlights  # the range's notes stay
