"""Every problem a person can see is worded through the catalogs (issue 9: "one language at a
time, everywhere").

A ``Problem(path, "English ...")`` has no catalog key, so an Indonesian user would read it in
English. This test reads (with :mod:`ast`) every module of the layers below the interfaces and
fails on such a call, naming its file and line: a message is written
``Problem.of(path, "area.key", "English {x}", x=...)`` with its words in both catalogs. A
message worded elsewhere (an exception's text, a catalog text already rendered) is not a
literal and is not this test's business.

The behaviour half loads wrong inventories, requests and SOP files in Bahasa Indonesia and
checks that no English word and no internal field path reaches the reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("dcim", "capacity", "colocation")

#: Modules not converted yet, each with why. Keep it short: the import from NetBox is an
#: operator's one-off migration, worded for the operator who runs it, and comes last (brief of
#: issue 9); the others below were not reached in the first pass.
ALLOWED = {
    "dcim/netbox/dump.py": "NetBox import: operator's one-off migration, converted last",
    "dcim/netbox/convert.py": "NetBox import: operator's one-off migration, converted last",
    "dcim/netbox/service.py": "NetBox import: operator's one-off migration, converted last",
}


def _literal_problems(path: Path) -> list[str]:
    """``file:line`` of each ``Problem(...)`` whose message is a string literal or f-string."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id != "Problem":
            continue
        message = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "message":
                message = keyword.value
        literal = isinstance(message, ast.Constant) and isinstance(message.value, str)
        if literal or isinstance(message, ast.JoinedStr):
            found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def _modules() -> list[Path]:
    return sorted(path for layer in LAYERS for path in (ROOT / layer).rglob("*.py"))


def test_no_problem_below_the_interfaces_is_english_without_a_catalog_key() -> None:
    found = [
        where
        for path in _modules()
        if path.relative_to(ROOT).as_posix() not in ALLOWED
        for where in _literal_problems(path)
    ]
    assert not found, "Problem(...) with an English message and no key:\n" + "\n".join(found)


def test_the_check_finds_an_english_problem(tmp_path: Path) -> None:
    # The search itself must see both spellings, or the test above would pass on nothing.
    module = ROOT / "dcim" / "_probe_for_test.py"
    source = 'Problem("a", "plain")\nProblem("b", f"x {y}")\nProblem.of("c", "k.k", "fine")\n'
    module.write_text(source, encoding="utf-8")
    try:
        assert _literal_problems(module) == [
            "dcim/_probe_for_test.py:1",
            "dcim/_probe_for_test.py:2",
        ]
    finally:
        module.unlink()


def test_every_allowed_module_still_exists_and_still_needs_its_exception() -> None:
    # An entry for a module since converted (or removed) must leave the list.
    for name in ALLOWED:
        assert (ROOT / name).is_file(), name
        assert _literal_problems(ROOT / name), f"{name} has no English problem left: remove it"
