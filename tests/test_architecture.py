"""The shape of the code: no import cycles, small modules, functions of few parameters.

These read the source with `ast`; nothing is imported or run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "diaspora_book"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Return the package's modules `path` imports, anywhere in it but `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for statement in block.body
        for node in ast.walk(statement)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in known}
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle in `graph` (module -> modules it imports), or []."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        stack.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return stack[stack.index(imported) :] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        stack.pop()
        state[module] = "done"
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_module_imports_itself_through_others():
    """A package's __init__ is left out: importing a.b.c runs a/__init__ and a/b/__init__,
    which here hold only docstrings."""
    assert _cycle(_graph()) == []


# The stages, lowest first: a module may import its own stage and the ones below it,
# never one above. `model` is the data passed between stages and imports no stage;
# the entry points loose at the top (cli, build, check, watch, book) may import any.
STAGES = (
    "model",
    "plumbing",
    "languages",
    "project",
    "read",
    "annotate",
    "chapters",
    "assemble",
    "render",
)
ENTRY_POINTS = {"__main__", "book", "build", "check", "cli", "watch"}


def _stage(module: str) -> int:
    """Return the stage's rank (entry points rank above every stage)."""
    first = module.split(".")[1] if "." in module else ""
    if first in STAGES:
        return STAGES.index(first)
    assert first in ENTRY_POINTS, f"{module} is in no stage: add it to STAGES or ENTRY_POINTS"
    return len(STAGES)


def _graph() -> dict[str, set[str]]:
    known = {_module_name(path) for path in MODULES}
    graph = {
        _module_name(path): _imports(path, known) - {_module_name(path)}
        for path in MODULES
        if path.name != "__init__.py"
    }
    return {module: {m for m in imported if m in graph} for module, imported in graph.items()}


def test_imports_point_down_the_pipeline():
    upward = sorted(
        f"{module} -> {imported}"
        for module, imports in _graph().items()
        for imported in imports
        if _stage(imported) > _stage(module)
    )
    assert upward == []


def test_the_data_model_imports_no_stage():
    assert _graph()["diaspora_book.model"] == set()


def test_at_most_eight_modules_loose_at_the_top():
    """Everything else lives in its stage's package (the README's map of the code)."""
    loose = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(loose) <= 8, loose
    assert {name.removesuffix(".py") for name in loose} <= ENTRY_POINTS | {"__init__", "model"}


def test_every_package_is_a_stage():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(STAGES) - {"model"}


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_package_inits_hold_no_code():
    for path in MODULES:
        if path.name == "__init__.py":
            body = ast.parse(path.read_text(encoding="utf-8")).body
            code = [
                n
                for n in body
                if not isinstance(n, (ast.Expr, ast.Import, ast.ImportFrom, ast.Assign))
            ]
            assert code == [], path


@pytest.mark.parametrize(
    "path",
    [PACKAGE / "build.py", *sorted((PACKAGE / "render").rglob("*.py"))],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_functions_take_at_most_seven_parameters(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wide = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            count = len(arguments.posonlyargs + arguments.args + arguments.kwonlyargs)
            count += bool(arguments.vararg) + bool(arguments.kwarg)
            if arguments.args and arguments.args[0].arg in ("self", "cls"):
                count -= 1
            if count > 7:
                wide.append(f"{node.name}: {count}")
    assert wide == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small_and_say_what_they_are_for(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 500
    if path.name != "__init__.py" or text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path} has no docstring"


def test_source_date_epoch_is_read_in_one_place():
    """config.build_time() gives the printed date, the PDF's and the EPUB's dates; the
    cache only folds the raw value into its key."""
    readers = sorted(
        str(path.relative_to(PACKAGE))
        for path in MODULES
        if "SOURCE_DATE_EPOCH"
        in "".join(
            ast.unparse(node)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
        )
    )
    assert readers == ["plumbing/cache.py", "project/config.py"]


def test_the_script_to_face_table_is_only_in_fonts_py():
    """base.css, the EPUB's font embedding and the cover all take it from project.fonts.FACES."""
    styles = (PACKAGE / "styles").glob("*.css")
    assert [p.name for p in styles if ":lang(" in p.read_text(encoding="utf-8")] == []
    families = [
        str(path.relative_to(PACKAGE))
        for path in MODULES
        if '"Noto Naskh Arabic"' in path.read_text(encoding="utf-8")
    ]
    assert families == ["project/fonts.py"]
