"""Scenario helpers: write an inventory and a request, run the command line, read its JSON.

A :class:`Scenario` works on the test's own database (``db_url``: SQLite,
and PostgreSQL when available) through the in-process command line. Every
``check`` and ``reserve`` it runs is held to the shape of a check result
(one JSON document on stdout with ``feasible``, ``evaluated_on``, the six
checks each with ``ok`` true, false or null and a message, ``proposal``
null exactly when not feasible, exit code 0 or 1 to match; see
``docs/architecture.md``) and every proposal it prints is re-validated
against the capacity rules by :func:`proposal_rules.proposal_violations`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from proposal_rules import proposal_violations
from scenario_data import DAY, write_yaml
from sqlalchemy import Engine

Doc = dict[str, Any]
CHECKS = ("space", "power", "ups", "bandwidth", "ip", "domain")
PROPOSAL_KEYS = {
    "site",
    "rack",
    "position",
    "u_height",
    "face",
    "full_depth",
    "feeds",
    "ups",
    "uplink",
    "ipv4",
    "ipv6",
    "fqdns",
}


def one_json_document(stdout: str) -> Doc:
    """The single JSON document on stdout; fails when there is anything else there."""
    try:
        return json.loads(stdout)
    except json.JSONDecodeError as exc:
        pytest.fail(f"stdout is not exactly one JSON document ({exc}):\n{stdout}")


def assert_result_shape(document: Doc, on: str) -> None:
    """What every check result has: six verdicts with messages, a full proposal exactly when feasible."""
    assert isinstance(document["feasible"], bool)
    assert document["evaluated_on"] == on
    assert set(document["checks"]) == set(CHECKS), "checks must have exactly the six keys"
    for name, outcome in document["checks"].items():
        assert outcome["ok"] in (True, False, None), f"checks.{name}.ok"
        assert isinstance(outcome["message"], str) and outcome["message"].strip(), (
            f"checks.{name}.message must explain the verdict"
        )
    if document["feasible"]:
        assert all(document["checks"][name]["ok"] is True for name in CHECKS)
        assert isinstance(document["proposal"], dict)
        missing = PROPOSAL_KEYS - set(document["proposal"])
        assert not missing, f"proposal lacks {sorted(missing)}"
    else:
        assert document["proposal"] is None, "proposal must be null when not feasible"


# --- scenarios --------------------------------------------------------------------------------


class Scenario:
    """One database, the inventory loaded into it, and the commands run against it."""

    def __init__(self, db_url: str, run_cli: Callable[..., Any], folder: Path) -> None:
        self.db_url = db_url
        self.run_cli = run_cli
        self.folder = folder
        self.inventory: Doc | None = None
        self.changed_by_commands = False
        self._files = 0

    def file(self, stem: str, document: Doc) -> Path:
        """Write a document to a new YAML file of the scenario's folder."""
        self._files += 1
        return write_yaml(self.folder / f"{stem}-{self._files}.yaml", document)

    def run(self, *args: str | Path) -> Any:
        """Run ``dcim --db URL ARGS...`` in this process."""
        return self.run_cli("--db", self.db_url, *args)

    def load(self, inventory: Doc) -> Scenario:
        """Load an inventory document; it must load."""
        done = self.run("load", self.file("inventory", inventory))
        assert done.exit_code == 0, f"the scenario's inventory did not load:\n{done.stderr}"
        self.inventory = inventory
        return self

    def current_inventory(self) -> Doc:
        """The inventory the rules apply to: the loaded one, or the export once commands changed it."""
        if self.changed_by_commands or self.inventory is None:
            return self.export()
        return self.inventory

    def check_run(self, request: Doc | Path, *options: str) -> Any:
        """Run ``check REQUEST OPTIONS...`` and return what it did, unchecked."""
        path = request if isinstance(request, Path) else self.file("request", request)
        return self.run("check", path, *options)

    def check(
        self, request: Doc, *, on: str = DAY, lang: str | None = None, server: Doc | None = None
    ) -> Doc:
        """``check --on DATE --json``: the parsed result, held to the contract and re-validated."""
        options = ["--on", on, "--json"] + (["--lang", lang] if lang else [])
        done = self.check_run(request, *options)
        return self._judged(done, request, on, server)

    def reserve(self, request: Doc, *, on: str = DAY, server: Doc | None = None) -> Doc:
        """``reserve --on DATE --json``: the parsed result, held to the contract and re-validated."""
        before = self.current_inventory()
        done = self.run("reserve", self.file("request", request), "--on", on, "--json")
        document = self._judged(done, request, on, server, inventory=before)
        self.changed_by_commands = True
        return document

    def _judged(
        self, done: Any, request: Doc, on: str, server: Doc | None, inventory: Doc | None = None
    ) -> Doc:
        assert done.exit_code in (0, 1), f"exit {done.exit_code}:\n{done.stderr}"
        document = one_json_document(done.stdout)
        assert_result_shape(document, on)
        assert done.exit_code == (0 if document["feasible"] else 1), "exit code must match feasible"
        if document["feasible"]:
            basis = inventory if inventory is not None else self.current_inventory()
            wrong = proposal_violations(basis, request, on, document["proposal"], server)
            assert not wrong, "the proposal breaks the rules:\n- " + "\n- ".join(wrong)
        return document

    def export(self) -> Doc:
        """The inventory as ``dcim export`` writes it."""
        done = self.run("export")
        assert done.exit_code == 0, done.stderr
        return yaml.safe_load(done.stdout)


@pytest.fixture
def scenario(
    engine: Engine, db_url: str, run_cli: Callable[..., Any], tmp_path: Path
) -> Iterator[Scenario]:
    """A scenario on the test's own migrated database (``engine``), once per backend.

    After the test, whatever it loaded, held, committed or released, the totals
    the database maintains must still equal a recomputation from the base rows
    (``dcim verify``): a trigger that missed a write would fail here.
    """
    yield Scenario(db_url, run_cli, tmp_path)
    from dcim.aggregates import verify
    from dcim.db import read_session

    with read_session(engine) as session:
        assert verify(session) == [], "a maintained total drifted from its base rows"
