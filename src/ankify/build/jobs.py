"""What a build is asked to do: the sources named by its paths, and the package each one gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import ConfigError
from ..model import PageLabels, SourceSpan
from ..workspace import find_root, is_note, is_pdf, note_files

#: The PDF settings as messages name them.
_SETTINGS = {"pages": "a page range", "deck": "a deck", "offset": "an offset"}


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """How to read the PDFs of a build: the page range, and the deck, offset and password.

    `deck` is a deck path as `model.parse_deck` gives it.
    """

    pages: PageLabels | None = None
    deck: str | None = None
    offset: int | None = None
    password: str | None = None

    def given(self) -> tuple[str, ...]:
        """The settings given that only a PDF takes. Not the password: it may come from the
        environment, and is harmless for notes."""
        names = [f.name for f in fields(self) if f.name != "password"]
        return tuple(name for name in names if getattr(self, name) is not None)


@dataclass(frozen=True, slots=True)
class Job:
    """One source to build, and the package it gives."""

    path: Path
    output: Path
    pdf: PdfOptions | None = None


def find_jobs(
    paths: Sequence[Path], out_dir: Path | None, pdf: PdfOptions | None = None
) -> tuple[Job, ...]:
    """The note files named by `paths` (folders are searched for notes) and their packages,
    in `out_dir` (None: `decks/` at the root of each path's project).

    A PDF needs `pdf.pages` and gives `<stem>-p<pages>.apkg`; the PDF settings are refused for
    markdown notes, whose pages and deck are in their front matter. A note reached twice (a
    symlink to another note) is built once, under its own name.
    """
    jobs: list[Job] = []
    given = pdf.given() if pdf is not None else ()
    for path in paths:
        span = SourceSpan(path)
        if not path.exists():
            raise ConfigError("no such file or folder: check the path", span=span)
        jobs += _jobs(path, out_dir or find_root(path) / "decks", pdf, given)
    seen: dict[Path, Path] = {}
    for job in jobs:
        other = seen.setdefault(job.output.resolve(), job.path)
        if other.resolve() != job.path.resolve():
            raise ConfigError(
                f"{other} is written to the same package, {job.output}: rename one of them, or "
                "build them into different folders",
                span=SourceSpan(job.path),
                option="output",
            )
    unique: dict[Path, Job] = {}
    for job in jobs:  # the note itself rather than a link to it
        kept = unique.setdefault(job.path.resolve(), job)
        if kept.path.is_symlink() and not job.path.is_symlink():
            unique[job.path.resolve()] = job
    return tuple(unique.values())


def _jobs(path: Path, out_dir: Path, pdf: PdfOptions | None, given: tuple[str, ...]) -> list[Job]:
    """The jobs of one path given (a file or a folder)."""
    jobs: list[Job] = []
    span = SourceSpan(path)
    if given and not (path.is_file() and is_pdf(path)):
        what = "a folder" if path.is_dir() else "a markdown note"
        raise ConfigError(
            f"{_and([_SETTINGS[name] for name in given])} {'is' if len(given) == 1 else 'are'} "
            f"for a PDF, and this is {what}: build PDFs on their own; a note's pages go in its "
            "front matter",
            span=span,
            option=given,
        )
    if path.is_dir():
        found = note_files(path)
        if not found:
            raise ConfigError("no .md note files in this folder", span=span)
        jobs += [Job(p, out_dir / p.relative_to(path).with_suffix(".apkg")) for p in found]
    elif is_note(path):
        jobs.append(Job(path, out_dir / f"{path.stem}.apkg"))
    elif is_pdf(path):
        if pdf is None or pdf.pages is None:
            raise ConfigError(
                "a PDF is built a range of pages at a time: give the pages, e.g. 53-60",
                span=span,
                option="pages",
            )
        output = out_dir / f"{path.stem}-p{pdf.pages.slug}.apkg"
        jobs.append(Job(path, output, pdf))
    else:
        raise ConfigError("not a markdown note: ankify builds .md files", span=span)
    return jobs


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
