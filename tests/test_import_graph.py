"""The import graph of the shipped packages: layers point down, no cycle inside a package.

The layers (docs/architecture.md) are ``dcim`` < ``capacity`` < ``colocation``
< the interfaces (``dcim_cli``, ``dcim_api``, ``dcim_ui``) and the demo data
centre (``dcim_demo``, which may import every layer below the interfaces, and
which the interfaces load). The graph is read with :mod:`ast` from the source,
without importing anything, so it also sees imports inside functions and under
``TYPE_CHECKING``: a cycle that only a lazy import hides is still a cycle a
reader has to untangle.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Collection
from functools import cache
from pathlib import Path

import networkx as nx

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Rank of each top-level package; a module may import only packages of a lower rank, or
#: of its own package. The interfaces share a rank and may use one another (``dcim serve``
#: starts the API); the demo sits between the workflow and the interfaces.
LAYERS: dict[str, int] = {
    "dcim": 0,
    "capacity": 1,
    "colocation": 2,
    "dcim_demo": 3,
    "dcim_cli": 4,
    "dcim_api": 4,
    "dcim_ui": 4,
}

#: Names too generic to install at the top of site-packages: they collide with other projects.
GENERIC_NAMES = frozenset(
    {
        "api",
        "app",
        "cli",
        "common",
        "core",
        "data",
        "demo",
        "lib",
        "models",
        "scripts",
        "server",
        "tests",
        "ui",
        "utils",
        "web",
    }
)


def shipped_packages() -> list[str]:
    """The top-level packages the wheel installs, as pyproject.toml's ``find`` selects them."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    names = [pattern.removesuffix("*") for pattern in patterns]
    return sorted(name for name in names if (REPO_ROOT / name / "__init__.py").is_file())


def module_name(path: Path, root: Path = REPO_ROOT) -> str:
    """``capacity/check.py`` -> ``capacity.check``; ``dcim/models/__init__.py`` -> ``dcim.models``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules(root: Path = REPO_ROOT) -> dict[str, Path]:
    """Every module of the shipped packages, by dotted name (Alembic revisions included)."""
    return {
        module_name(path, root): path
        for package in shipped_packages()
        for path in sorted((root / package).rglob("*.py"))
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Collects what a module imports when it runs: at the top and inside functions alike.

    Imports under ``if TYPE_CHECKING:`` are left out: they never run, and an ORM model's
    annotations name the other end of each relationship, which is a reference, not a cycle.
    """

    def __init__(self, name: str, is_package: bool, modules: Collection[str]) -> None:
        self.package = name.split(".") if is_package else name.split(".")[:-1]
        self.modules = modules
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            parts = self.package[: len(self.package) - (node.level - 1)]
            base = ".".join([*parts, node.module] if node.module else parts)
        else:
            base = node.module or ""
        submodules = {f"{base}.{alias.name}" for alias in node.names} & set(self.modules)
        self.found.update(submodules)
        # ``from package import name`` runs the package's __init__ for a name defined there;
        # ``from package import module`` only needs the module (its package is its parent).
        if len(submodules) < len(node.names):
            self.found.add(base)


def imported_names(path: Path, name: str, modules: Collection[str]) -> set[str]:
    """Every dotted name a module imports when it runs, relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    collector = _Imports(name, path.name == "__init__.py", modules)
    collector.visit(tree)
    return collector.found


@cache
def import_graph(root: Path = REPO_ROOT) -> nx.DiGraph:
    """Modules of the project and which of them each imports (edges to project modules only)."""
    modules = project_modules(root)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in imported_names(path, name, modules):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def top(module: str) -> str:
    return module.split(".", 1)[0]


def test_every_shipped_package_has_a_layer() -> None:
    assert set(shipped_packages()) == set(LAYERS)


def test_no_generic_top_level_package_is_installed() -> None:
    generic = [name for name in shipped_packages() if name in GENERIC_NAMES]
    assert generic == [], f"generic top-level names would collide in site-packages: {generic}"


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = sorted(
        f"{source} imports {target}"
        for source, target in import_graph().edges
        if LAYERS[top(target)] > LAYERS[top(source)]
    )
    assert upward == []


def test_no_import_cycle_inside_a_package() -> None:
    graph = import_graph()
    cycles = sorted(
        " -> ".join([*cycle, cycle[0]])
        for cycle in nx.simple_cycles(graph)
        if len({top(module) for module in cycle}) == 1
    )
    assert cycles == []


def test_the_graph_sees_imports_inside_functions_but_not_type_only_ones(tmp_path: Path) -> None:
    # A guard for the reader above, on a package made up for it: a lazy import is an edge like
    # any other, a type-only one is not, and ``from . import module`` points at the module.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .a import A\n")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\nA = 1\n"
    )
    (package / "b.py").write_text("def f():\n    from . import a\n")
    (package / "c.py").write_text("from . import A\n")
    modules = {module_name(path, tmp_path): path for path in package.rglob("*.py")}

    def imports(name: str) -> set[str]:
        return imported_names(modules[name], name, modules) & set(modules)

    assert imports("pkg.a") == set()
    assert imports("pkg.b") == {"pkg.a"}
    assert imports("pkg.c") == {"pkg"}
    assert imports("pkg") == {"pkg.a"}
