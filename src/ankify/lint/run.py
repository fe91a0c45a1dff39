"""Linting sources: each note's cards checked against the rules (kept in `.ankify/cache/lint/`
by the note's bytes, the project's settings and lint's own code, so a build lints only what
changed), then near-duplicate questions across each project, into one report."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..build.pool import Pool
from ..config import Config, load_config
from ..errors import AnkifyError, BuildErrors, ConfigError
from ..model import SourceSpan
from ..progress import Progress
from ..workspace import Workspace, find_root, is_note, note_files, shown
from .duplicates import near_duplicates
from .rules import RULE_IDS, Settings, rule, settings, suggest

if TYPE_CHECKING:
    from .cards import Card

#: Bumped whenever a cache entry's layout changes.
_FORMAT = 3
#: The finding of a `lint-ok` comment that names no rule.
LINT_OK = "lint-ok"
#: The finding of a `#lint-ok` that nothing reads where it stands.
UNREAD = (
    "this #lint-ok is not read here, and silences nothing: write #lint-ok=rule,rule at the "
    "end of the question's line or of a cloze paragraph of its own, or <!-- lint-ok: rule --> "
    "on a line of its own in the card"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule a card breaks, at the card's line: `file:line: [rule] message (found): fix`."""

    span: SourceSpan
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{_shown(self.span)}: [{self.rule}] {self.text}"


@dataclass(frozen=True, slots=True)
class Report:
    """What lint found in some sources, in file and line order."""

    findings: tuple[Finding, ...]
    cards: int
    sources: int

    def counts(self) -> tuple[tuple[str, int], ...]:
        """(rule, findings) for each rule that found something, in the rules' order."""
        counted = Counter(finding.rule for finding in self.findings)
        return tuple((name, counted[name]) for name in (*RULE_IDS, LINT_OK) if counted[name])


@dataclass(frozen=True, slots=True)
class _Question:
    """What near-duplicate compares of a card: its content words, and whether it is silenced."""

    line: int
    words: tuple[str, ...]
    silenced: bool


@dataclass(frozen=True, slots=True)
class _Linted:
    """One source linted on its own: its findings (line, rule, text) and its questions."""

    path: Path
    key: str  # of its cache entry: its bytes, the settings and lint's code
    cards: int
    findings: tuple[tuple[int, str, str], ...]
    questions: tuple[_Question, ...] | bytes  # bytes: as the cache keeps them, unread

    def read_questions(self) -> tuple[_Question, ...]:
        """Its questions, read from the cache's bytes when they come from there (only when
        near-duplicate needs them: most builds do not)."""
        if not isinstance(self.questions, bytes):
            return self.questions
        # One string a question, `line<TAB>silenced<TAB>words`: words hold no whitespace
        # (a formula's is its TeX without it), and strings read far faster than lists.
        found = []
        for text in json.loads(self.questions):
            line, silenced, said = str(text).split("\t")
            found.append(
                _Question(int(line), tuple(said.split(" ")) if said else (), silenced == "1")
            )
        return tuple(found)


@dataclass(frozen=True, slots=True)
class _Task:
    """A source to lint, whose cache entry was missing: its bytes and the key to keep it by."""

    path: Path
    data: bytes
    key: str
    chosen: Settings


def lint_paths(
    paths: Sequence[Path], *, cache: bool = True, jobs: int | None = None, fresh: bool = False
) -> Report:
    """Lint every note file under `paths` (folders are searched; PDFs are left alone), each
    from the cache when it is there, the others in worker processes when there is enough to
    read (`jobs` as for a build). ConfigError for a path that is not there or a `[lint]`
    table naming no rule, BuildErrors with every source that cannot be read. `fresh`: read
    every source again and write its cache entry anew (`cache=False`: no cache at all)."""
    files = _files(paths)
    configs: dict[Path, tuple[Config, Settings]] = {}
    found: dict[Path, tuple[Config, Settings, _Linted | None]] = {}
    tasks: list[_Task] = []
    for path in files:
        folder = path.resolve().parent
        if folder not in configs:
            config = load_config(path)
            configs[folder] = (config, settings(config))
        config, chosen = configs[folder]
        data = path.read_bytes()
        key = _key(data, chosen)
        kept = _load(_entry(config, key), path, key) if cache and not fresh else None
        found[path] = (config, chosen, kept)
        if kept is None:
            tasks.append(_Task(path, data, key, chosen))
    with Pool(jobs) as pool:
        size = sum(len(task.data) for task in tasks)
        done = pool.map(
            _lint_task, tasks, size=size, progress=Progress(), label="Linting", place=_place
        )
    errors = [result for result in done if isinstance(result, AnkifyError)]
    if errors:
        raise BuildErrors(tuple(errors))
    for task, result in zip(tasks, done, strict=True):
        if isinstance(result, AnkifyError):
            continue  # raised above
        config, chosen, _ = found[task.path]
        found[task.path] = (config, chosen, result)
        if cache:
            _save(_entry(config, task.key), result, config.workspace)
    linted = [(config.root, chosen, item) for config, chosen, item in found.values() if item]
    findings = [
        Finding(SourceSpan(item.path, line), name, text)
        for _, _, item in linted
        for line, name, text in item.findings
    ]
    projects: dict[Path, list[tuple[Settings, _Linted]]] = {}
    for root, chosen, item in linted:
        projects.setdefault(root, []).append((chosen, item))
    for root, items in projects.items():
        try:
            findings.extend(_near_duplicates(items, Workspace(root), cache=cache and not fresh))
        except ValueError:  # a damaged entry's questions: read every source again
            return lint_paths(paths, cache=cache, jobs=jobs, fresh=True)
    order = {name: index for index, name in enumerate((*RULE_IDS, LINT_OK))}
    place = {path: index for index, path in enumerate(files)}
    findings.sort(key=lambda f: (place[f.span.path], f.span.line or 0, order[f.rule]))
    cards = sum(item.cards for _, _, item in linted)
    return Report(tuple(findings), cards, len(linted))


def _files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ConfigError("no such file or folder: check the path", span=SourceSpan(path))
        if path.is_dir():
            files.extend(note_files(path))
        elif is_note(path):
            files.append(path)
    return list(dict.fromkeys(files))


def lint_cards(cards: Sequence[Card], chosen: Settings) -> list[tuple[int, str, str]]:
    """The findings of the card rules on some cards: (line, rule, text)."""
    found: list[tuple[int, str, str]] = []
    checks = [
        (checked, checked.function(), threshold)
        for checked, threshold in chosen.rules
        if checked.check is not None
    ]
    for card in cards:
        silenced = {name for name, _ in card.ok}
        found.extend((line, LINT_OK, UNREAD) for line in card.unread)
        for name, line in card.ok:
            if name not in RULE_IDS:
                found.append(
                    (line, LINT_OK, f"no rule is named {name!r}: {suggest(name)}"),
                )
        for checked, function, threshold in checks:
            if checked.id in silenced:
                continue
            said = function(card, threshold)
            if said is not None:
                found.append((card.span.line or 0, checked.id, checked.says(said)))
    return found


def question_words(card: Card) -> tuple[str, ...]:
    """The content words near-duplicate compares: a question's or exercise's, a cloze's whole
    paragraph as its back shows it."""
    from .text import QUESTION_WORDS

    found = card.prompt_words
    # `What is b?` (one letter is no word): nothing to tell two questions apart by.
    return found if any(word not in QUESTION_WORDS for word in found) else ()


def _key(data: bytes, chosen: Settings) -> str:
    """A source's cache key: its bytes, the settings and lint's own code."""
    head = f"{_FORMAT}\x00{_code()}\x00{chosen.key}\x00".encode()
    return hashlib.sha256(head + data).hexdigest()


def _entry(config: Config, key: str) -> Path:
    return config.workspace.cache("lint") / f"{key}.json"


def _place(task: _Task) -> Path:
    return task.path


def _lint_task(task: _Task) -> _Linted:
    """One source linted on its own (in a worker process, or in this one)."""
    from .cards import read_cards  # a build whose sources are all in the cache never reads

    cards = read_cards(task.path, task.data)
    return _Linted(
        task.path,
        task.key,
        len(cards),
        tuple(lint_cards(cards, task.chosen)),
        tuple(
            _Question(
                card.span.line or 0,
                question_words(card),
                any(name == "near-duplicate" for name, _ in card.ok),
            )
            for card in cards
        ),
    )


def _near_duplicates(
    items: Sequence[tuple[Settings, _Linted]], workspace: Workspace, *, cache: bool
) -> list[Finding]:
    """The near-duplicate questions of one project's sources: the pairs are kept in the cache
    by the sources' entries, so an unchanged project costs no comparison."""
    threshold = items[0][0].threshold("near-duplicate") if items else None
    if threshold is None:
        return []
    keys = "".join(item.key for _, item in items)
    entry = workspace.cache("lint") / (
        "pairs-" + hashlib.sha256(f"{threshold!r}\x00{keys}".encode()).hexdigest() + ".json"
    )
    pairs = _load_pairs(entry) if cache else None
    if pairs == []:
        return []  # the common case: nothing to read
    questions = [(item.path, question) for _, item in items for question in item.read_questions()]
    if pairs is not None and not all(b < a < len(questions) for a, b in pairs):
        pairs = None
    if pairs is None:
        words = [question.words for _, question in questions]
        pairs = [(later, earlier) for later, earlier, _ in near_duplicates(words, threshold)]
        if cache:
            with contextlib.suppress(AnkifyError):
                workspace.write(entry, json.dumps(pairs).encode())
    found = []
    named = rule("near-duplicate")
    for later, earlier in pairs:
        (path, question), (other_path, other) = questions[later], questions[earlier]
        if question.silenced or other.silenced:
            continue
        place = _shown(SourceSpan(other_path, other.line))
        text = f"{named.message} {place}: {named.fix}"
        found.append(Finding(SourceSpan(path, question.line), named.id, text))
    return found


def _shown(span: SourceSpan) -> str:
    return str(SourceSpan(shown(span.path), span.line))


# -- the cache --------------------------------------------------------------------------------


@functools.cache
def _code() -> str:
    """Lint's own code and the readers it cuts notes with: a change invalidates every entry."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    readers = here.parent / "sources"
    names = ("scan.py", "formulas.py", "frontmatter.py", "code.py")
    for path in (*sorted(here.glob("*.py")), *(readers / name for name in names)):
        digest.update(path.name.encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def _load_pairs(entry: Path) -> list[tuple[int, int]] | None:
    try:
        pairs = [(int(a), int(b)) for a, b in json.loads(entry.read_bytes())]
    except (OSError, ValueError, TypeError):
        return None
    return pairs if all(0 <= b < a for a, b in pairs) else None


def _load(entry: Path, path: Path, key: str) -> _Linted | None:
    """A source's entry: a line of its cards and findings, then a line of its questions (read
    only when needed, see `_Linted.read_questions`)."""
    try:
        head, _, questions = entry.read_bytes().partition(b"\n")
        data = json.loads(head)
        findings = tuple((int(a), str(b), str(c)) for a, b, c in data["findings"])
        return _Linted(path, key, int(data["cards"]), findings, questions)
    except (OSError, ValueError, TypeError, KeyError):
        return None  # not there, or not what `_save` writes: lint the file again


def _save(entry: Path, linted: _Linted, workspace: Workspace) -> None:
    head = {"cards": linted.cards, "findings": [list(finding) for finding in linted.findings]}
    questions = [
        f"{q.line}\t{int(q.silenced)}\t{' '.join(q.words)}" for q in linted.read_questions()
    ]
    data = f"{json.dumps(head, ensure_ascii=False)}\n{json.dumps(questions, ensure_ascii=False)}"
    with contextlib.suppress(AnkifyError):  # a cache that cannot be written only costs time
        workspace.write(entry, data.encode())


def default_sources(start: Path) -> Path:
    """The notes `ankify lint` reads when given none: `sources/` at the project's root."""
    folder = find_root(start) / "sources"
    if not folder.is_dir():
        raise ConfigError(
            "no sources/ folder at the project's root: name the notes to lint, e.g. "
            "ankify lint notes/",
            span=SourceSpan(find_root(start)),
        )
    return folder
