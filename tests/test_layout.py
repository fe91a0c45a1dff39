"""The package layout shows the pipeline: imports point one way, with no cycle, and no module does
several jobs (none is long). Imports inside functions count: a lazy import is still an arrow."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ankify"

#: The rooms of the package, lowest first: a module may import its own room and lower ones.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "model", "kinds"),
    ("workspace", "config", "progress", "__init__"),
    ("sources", "math"),
    (
        *("validate", "render", "media", "identity", "rewording"),
        *("shown", "stamps", "notetypes", "export"),
    ),
    ("build", "draft", "pacing", "lint"),
    ("sync",),
    ("cli", "__main__"),
)
#: Third-party libraries, and the only rooms that may import them.
ONLY = {
    "click": ("cli",),
    "genanki": ("export",),
    "pymupdf": ("sources",),
    "sympy": ("math",),
    "matplotlib": ("pacing",),
    "watchfiles": ("sync",),
}
#: More lines than this means a module does several jobs (the issue says "~400").
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """Every module `path` imports (anywhere in it), as a full name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            if origin != name:
                yield origin
            for alias in node.names:  # `from . import build`: a submodule
                if f"{origin}.{alias.name}" in modules:
                    yield f"{origin}.{alias.name}"
        elif (  # importlib.import_module("pymupdf")
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield str(node.args[0].value)


def _room(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _rank(name: str) -> int:
    room = _room(name).removesuffix(".py")
    return next(i for i, layer in enumerate(LAYERS) if room in layer)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {imported for imported in _imports(name, path, modules) if imported in modules}
        for name, path in modules.items()
    }


def test_every_module_belongs_to_a_room() -> None:
    rooms = {room for layer in LAYERS for room in layer}
    assert {_room(name) for name in _modules()} <= rooms


def test_imports_point_one_way_down_the_rooms() -> None:
    upward = [
        f"{name} imports {imported}"
        for name, imports in _graph().items()
        for imported in imports
        if _rank(imported) > _rank(name)
    ]
    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            cycles.append([*trail[trail.index(name) :], name])
            return
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, [*trail, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []


@pytest.mark.parametrize(("library", "rooms"), sorted(ONLY.items()))
def test_heavy_libraries_stay_in_their_room(library: str, rooms: tuple[str, ...]) -> None:
    modules = _modules()
    users = {
        name
        for name, path in modules.items()
        for imported in _imports(name, path, modules)
        if imported == library or imported.startswith(f"{library}.")
    }
    assert users, f"nothing imports {library}: update ONLY"
    assert {name for name in users if _room(name) not in rooms} == set()


def test_no_module_is_long_enough_to_do_several_jobs() -> None:
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_checker_sees_imports_inside_functions() -> None:
    # pipeline.py imports notetypes only inside a function: the graph must still see it.
    assert "ankify.notetypes" in _graph()["ankify.build.pipeline"]
