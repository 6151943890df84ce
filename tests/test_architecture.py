"""The package's shape: layers without cycles, and every late import said to be one on purpose."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "note_extract"
LATE_IMPORT_TAGS = ("# lazy:", "# optional:")


def _late_imports(path: Path) -> list[tuple[int, str]]:
    """(line, text of the whole statement) of every import written inside a function of ``path``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse((lines and "\n".join(lines)) or "")):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append((inner.lineno, " ".join(lines[inner.lineno - 1 : inner.end_lineno])))
    return found


def test_only_the_entry_modules_stand_at_the_top_and_the_rest_is_in_subpackages() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "api.py", "pipeline.py"]
    packages = [p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file() and p.name != "data"]
    assert len(packages) >= 8


def test_no_module_imports_itself_through_others() -> None:
    """No import cycle between any two modules, counting imports written inside functions."""
    graph = grimp.build_graph("note_extract")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        nonlocal counter
        index[module] = low[module] = counter
        counter += 1
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []


def test_every_import_inside_a_function_says_why_it_is_late() -> None:
    """Only optional extras and start-up laziness justify an import inside a function."""
    untagged = [
        f"{path.relative_to(ROOT)}:{line}: {text.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _late_imports(path)
        if not any(tag in text for tag in LATE_IMPORT_TAGS)
    ]
    assert untagged == []


def test_the_layer_contract_holds() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.is_file():
        pytest.fail(f"{lint_imports} is missing: install the dev extra (pip install -e '.[dev]')")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layer_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """The contract is not vacuous: with two layers swapped, the same code breaks it."""
    config = tmp_path / "contract.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "note_extract"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "swapped"\ntype = "layers"\ncontainers = ["note_extract"]\n'
        'layers = ["core", "rules"]\n',
        encoding="utf-8",
    )
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "note_extract.rules" in result.stdout


SPAN_CHECKED = ("read", "layout", "event", "parties", "lexicon", "record")
"""The stage packages whose spans are typed: clean offsets are ``CleanSpan``, raw ones ``RawSpan``."""


def _is_bare_pair(node: ast.AST) -> bool:
    """``tuple[int, int]`` (or ``Tuple[int, int]``), the type that says nothing of what it holds."""
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name | ast.Attribute)
        and (node.value.id if isinstance(node.value, ast.Name) else node.value.attr) in ("tuple", "Tuple")
        and isinstance(node.slice, ast.Tuple)
        and len(node.slice.elts) == 2
        and all(isinstance(e, ast.Name) and e.id == "int" for e in node.slice.elts)
    )


def _bare_pairs(source: str) -> list[int]:
    """The lines of ``source`` that write ``tuple[int, int]``: in an annotation (a quoted one too), an
    alias, a cast, anywhere."""
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if _is_bare_pair(node):
            found.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "tuple[" in node.value:
            try:
                quoted = ast.parse(node.value, mode="eval")
            except SyntaxError:
                continue
            found += [node.lineno for inner in ast.walk(quoted) if _is_bare_pair(inner)]
    return sorted(found)


def test_the_stages_type_their_spans() -> None:
    """No module of a stage package types a value ``tuple[int, int]``: a span is a ``CleanSpan`` or a
    ``RawSpan``, and any other pair of numbers has a type that says what it holds."""
    bare = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in SPAN_CHECKED
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for line in _bare_pairs(path.read_text(encoding="utf-8"))
    ]
    assert bare == []


def test_the_span_check_sees_a_bare_pair_wherever_it_is_written() -> None:
    source = (
        "from typing import Tuple, cast\n"
        "def f(a: tuple[int, int]) -> list[Tuple[int, int]]: ...\n"
        "Alias = tuple[int, int] | str\n"
        "x: 'tuple[int, int]' = cast(tuple[int, int], (1, 2))\n"
        "ok: tuple[int, int, str] | tuple[str, int] | CleanSpan = (1, 2, 'a')\n"
    )
    assert _bare_pairs(source) == [2, 2, 3, 4, 4]


REF_BUILDER_INSIDES = frozenset({"rules", "registry", "countries", "resolver"})
"""What a :class:`~note_extract.parties.refs.RefBuilder` holds; the role readers ask through its methods."""


def _reaches_into_refs(source: str) -> list[int]:
    """The lines of ``source`` that read a RefBuilder's insides (``refs.countries``,
    ``self.refs.registry``, ``refs._anything``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        named_refs = (isinstance(owner, ast.Name) and owner.id == "refs") or (
            isinstance(owner, ast.Attribute) and owner.attr == "refs"
        )
        if named_refs and (node.attr in REF_BUILDER_INSIDES or node.attr.startswith("_")):
            found.append(node.lineno)
    return sorted(found)


def test_the_role_readers_ask_refbuilder_and_do_not_reach_into_it() -> None:
    reached = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((PACKAGE / "parties").glob("*.py"))
        if path.name != "refs.py"
        for line in _reaches_into_refs(path.read_text(encoding="utf-8"))
    ]
    assert reached == []


def test_the_reach_check_sees_a_reach() -> None:
    source = "a = refs.countries.name(code)\nb = self.refs.registry\nc = refs._seen\nd = refs.demonym(w)\n"
    assert _reaches_into_refs(source) == [1, 2, 3]
