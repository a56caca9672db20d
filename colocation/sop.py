"""The SOP as data: its states, roles, actions, time standards and documents, validated on load.

The SOP file (``colocation/sops/colocation-server.yaml``) is input like any other:
its shape is checked by pydantic models, and the rules that span entries
(every target exists, every state can be reached and can reach an end, the
documents and numbering are complete) by :func:`validate_sop`. A file that
breaks a rule is refused with every problem named by its path.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import string
from collections.abc import Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import networkx as nx
from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from dcim.choices import Role
from dcim.errors import InputError, Problem
from dcim.inventory.pydantic_errors import problems_from
from dcim.inventory.yamlio import read_yaml_file
from dcim.package_data import shipped_path

from .choices import ActionKind, RequestStatus

if TYPE_CHECKING:
    from .actions.base import ActionRegistry

# The registry SOP files are checked against unless one is given; colocation.actions sets it
# when it is imported (the package imports it), so this module never imports the handlers.
_default_actions: list[ActionRegistry] = []

SOP_FILE_ENV = "DCIM_SOP_FILE"
#: The bundled SOP, shipped inside this package; ``$DCIM_SOP_FILE`` points to another.
DEFAULT_SOP_FILE = shipped_path("colocation", "sops", "colocation-server.yaml")

# The roles that act in the SOP; the administrator and the viewer never hold a step.
WORKFLOW_ROLES: tuple[str, ...] = tuple(
    role for role in Role.values() if role not in (Role.ADMIN, Role.VIEWER)
)

# The documents dcim-lite can write; the Lembar Disposisi carries the agenda number, not a letter number.
DOCUMENT_KINDS: tuple[str, ...] = (
    "lembar_disposisi",
    "laporan_pemeriksaan",
    "surat_balasan_penolakan",
    "surat_balasan_penerimaan",
    "laporan_pelaksanaan",
    "berita_acara",
)
UNNUMBERED_DOCUMENTS = ("lembar_disposisi",)
# The withdrawal is an action of every state up to the SOP's limit, listed in none.
WITHDRAW_ACTION = ActionKind.WITHDRAW.value
PATTERN_FIELDS = ("kode_klasifikasi", "nomor_urut", "kode_unit", "tahun", "bulan", "bulan_romawi")


#: The module whose import registers the SOP's action kinds (:data:`colocation.actions.ACTIONS`).
DEFAULT_ACTIONS_MODULE = "colocation.actions"


def use_default_actions(registry: ActionRegistry) -> None:
    """Make ``registry`` the action kinds an SOP is checked against and run with by default."""
    _default_actions[:] = [registry]


def default_actions() -> ActionRegistry:
    """The default registry of action kinds (:data:`colocation.actions.ACTIONS`)."""
    if not _default_actions:
        # The handlers register themselves when their module is loaded, by name like a
        # plugin: on first use, so that a command that never reads the SOP (``dcim check``)
        # does not pay for the workflow's imports, and without this module importing its
        # own dependants.
        importlib.import_module(DEFAULT_ACTIONS_MODULE)
    return _default_actions[0]


def _one_of(choices: tuple[str, ...]) -> AfterValidator:
    """A validator that accepts only the given values, naming them when it refuses."""

    def check(value: str) -> str:
        if value not in choices:
            raise PydanticCustomError(
                "literal_error", "must be one of {expected}", {"expected": ", ".join(choices)}
            )
        return value

    return AfterValidator(check)


WorkflowRole = Annotated[str, _one_of(WORKFLOW_ROLES)]
Key = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Localized(BaseModel):
    """A text in Bahasa Indonesia and in English."""

    model_config = ConfigDict(extra="forbid")

    id: Line
    en: Line

    def get(self, lang: str) -> str:
        """The text in the language (Indonesian unless English is asked for)."""
        return self.en if lang == "en" else self.id


class SopInfo(BaseModel):
    """The SOP's identity, as its cover sheet gives it."""

    model_config = ConfigDict(extra="forbid")

    number: Line
    name: Line
    made_on: dt.date | None = None
    effective_on: dt.date | None = None


class Submission(BaseModel):
    """Who registers a new request, and the state it waits at first."""

    model_config = ConfigDict(extra="forbid")

    roles: list[WorkflowRole] = Field(min_length=1)
    first_state: Key


class Withdrawal(BaseModel):
    """The requesting office may withdraw while the request waits at ``until_step`` or earlier."""

    model_config = ConfigDict(extra="forbid")

    role: WorkflowRole
    until_step: Annotated[int, Ge(1)]
    to: Key


class Delivery(BaseModel):
    """How long the acceptance letter gives the office to deliver its server; the hold lasts as long."""

    model_config = ConfigDict(extra="forbid")

    working_days: Annotated[int, Ge(1), Le(120)]


class AttachmentRules(BaseModel):
    """What a scanned letter may be: its types and its largest size."""

    model_config = ConfigDict(extra="forbid")

    max_bytes: Annotated[int, Ge(1), Le(100 * 1024 * 1024)]
    media_types: list[Literal["application/pdf", "image/jpeg", "image/png"]] = Field(min_length=1)


class Numbering(BaseModel):
    """How letter numbers and agenda numbers are written."""

    model_config = ConfigDict(extra="forbid")

    pattern: Line
    kode_unit: Line
    agenda_pattern: Line


class PrometheusExport(BaseModel):
    """Defaults of the Prometheus ``file_sd`` targets."""

    model_config = ConfigDict(extra="forbid")

    job: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z_][a-zA-Z0-9_:.-]*$")] = "node"
    port: Annotated[int, Ge(1), Le(65535)] = 9100


class ZabbixExport(BaseModel):
    """Defaults of the Zabbix host import file."""

    model_config = ConfigDict(extra="forbid")

    version: Annotated[str, StringConstraints(pattern=r"^[5-9]\.[0-9]$")] = "7.0"
    groups: list[Line] = Field(default_factory=lambda: ["Colocation"], min_length=1)
    templates: list[Line] = Field(default_factory=list)
    agent_port: Annotated[int, Ge(1), Le(65535)] = 10050


class MonitoringRules(BaseModel):
    """How a server is handed to the monitoring system at step 12."""

    model_config = ConfigDict(extra="forbid")

    address_roles: list[Line] = Field(min_length=1)
    prometheus: PrometheusExport = Field(default_factory=PrometheusExport)
    zabbix: ZabbixExport = Field(default_factory=ZabbixExport)


class DocumentSpec(BaseModel):
    """A document the SOP produces: its title and, for numbered letters, its numbering series."""

    model_config = ConfigDict(extra="forbid")

    title: Localized
    series: Key | None = None
    kode_klasifikasi: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    #: The role the letter is written to (``opd`` for the replies): its people are told by
    #: e-mail when it is issued (:mod:`colocation.notifications`).
    addressed_to: WorkflowRole | None = None


class ActionSpec(BaseModel):
    """One thing the role of a state may do, and where it leads."""

    model_config = ConfigDict(extra="forbid")

    name: Key
    kind: Key  # a kind of the registry the SOP is checked against (see validate_sop)
    title: Localized
    to: Key | None = None
    outcomes: dict[Key, Key] | None = None
    document: Key | None = None
    instruction: Localized | None = None

    def targets(self) -> list[str]:
        """Every state or end this action may lead to."""
        if self.outcomes:
            return list(self.outcomes.values())
        return [self.to] if self.to else []


class StateSpec(BaseModel):
    """A place in the SOP where a request waits for one role to act."""

    model_config = ConfigDict(extra="forbid")

    key: Key
    step: Annotated[int, Ge(1), Le(99)]
    role: WorkflowRole
    title: Localized
    working_days: Annotated[int, Ge(0), Le(365)] | None = None
    checklist: dict[Key, Localized] | None = None
    tests: dict[Key, Localized] | None = None
    actions: list[ActionSpec] = Field(min_length=1)

    def action(self, name: str) -> ActionSpec | None:
        """The action of that name, or None."""
        return next((action for action in self.actions if action.name == name), None)


class EndSpec(BaseModel):
    """Where a request stops: done, rejected or withdrawn."""

    model_config = ConfigDict(extra="forbid")

    status: Annotated[
        str, _one_of(tuple(s for s in RequestStatus.values() if s != RequestStatus.OPEN))
    ]
    title: Localized


class Sop(BaseModel):
    """A whole SOP file, checked; the state machine runs on it."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    sop: SopInfo
    roles: dict[WorkflowRole, Localized]
    submission: Submission
    withdrawal: Withdrawal
    delivery: Delivery
    attachment: AttachmentRules
    numbering: Numbering
    monitoring: MonitoringRules
    documents: dict[Key, DocumentSpec]
    states: list[StateSpec] = Field(min_length=1)
    ends: dict[Key, EndSpec]
    # The action kinds the file was checked against, and that perform its actions.
    _actions: ActionRegistry | None = PrivateAttr(default=None)

    @property
    def actions(self) -> ActionRegistry:
        """The registry of action kinds this SOP was validated against (the bundled one by default)."""
        return self._actions or default_actions()

    def state(self, key: str) -> StateSpec | None:
        """The state with that key, or None (for an end or an unknown key)."""
        return self.state_index.get(key)

    @cached_property
    def state_index(self) -> dict[str, StateSpec]:
        """The states by key (built once: lists look a state up for every row)."""
        return {state.key: state for state in self.states}

    def end(self, key: str) -> EndSpec | None:
        """The end with that key, or None."""
        return self.ends.get(key)

    def step_of(self, key: str) -> int:
        """The SOP step a state or end belongs to (an end counts as the last step reached)."""
        state = self.state(key)
        if state is not None:
            return state.step
        return max(s.step for s in self.states)

    def title_of(self, key: str, lang: str) -> str:
        """The title of a state or an end in the language."""
        state = self.state(key)
        if state is not None:
            return state.title.get(lang)
        end = self.end(key)
        return end.title.get(lang) if end else key

    def role_title(self, role: str, lang: str) -> str:
        """The official's title as the SOP writes it."""
        title = self.roles.get(role)
        return title.get(lang) if title else role

    def document_title(self, kind: str, lang: str) -> str:
        """The document's title in the language."""
        spec = self.documents.get(kind)
        return spec.title.get(lang) if spec else kind

    def max_step(self) -> int:
        """The number of the SOP's last step."""
        return max(state.step for state in self.states)

    def main_path(self, start: str) -> list[StateSpec]:
        """The states a request at ``start`` still passes when all goes well.

        The first target of each action is the way forward: the first outcome
        (``available``, ``passed``) or the single ``to``.
        """
        path: list[StateSpec] = []
        seen: set[str] = set()
        current = self.state(start)
        while current is not None and current.key not in seen:
            seen.add(current.key)
            path.append(current)
            targets = current.actions[0].targets()
            current = self.state(targets[0]) if targets else None
        return path

    def iter_actions(self) -> Iterator[tuple[StateSpec, ActionSpec]]:
        """Every state's every action."""
        for state in self.states:
            for action in state.actions:
                yield state, action


def validate_sop(sop: Sop, actions: ActionRegistry | None = None) -> list[Problem]:
    """The rules that span entries of an SOP file; an empty list when it is sound.

    Action kinds are checked against ``actions`` (the bundled registry by
    default), which the SOP then keeps to perform them.
    """
    sop._actions = actions or default_actions()
    problems: list[Problem] = []
    state_keys = [state.key for state in sop.states]
    seen: set[str] = set()
    for index, key in enumerate(state_keys):
        if key in seen:
            problems.append(
                Problem.of(
                    f"states[{index}].key",
                    "sop.duplicate_state",
                    "duplicate state '{key}'",
                    key=key,
                )
            )
        if key in sop.ends:
            problems.append(
                Problem.of(
                    f"states[{index}].key", "sop.state_is_end", "'{key}' is also an end", key=key
                )
            )
        seen.add(key)
    targets = set(state_keys) | set(sop.ends)

    for role in WORKFLOW_ROLES:
        if role not in sop.roles:
            problems.append(
                Problem.of(
                    "roles",
                    "sop.role_title_missing",
                    "the title of role '{role}' is missing",
                    role=role,
                )
            )
    for kind in sop.documents:
        if kind not in DOCUMENT_KINDS:
            problems.append(
                Problem.of(
                    f"documents.{kind}",
                    "sop.unknown_document",
                    "unknown document (one of {kinds})",
                    kinds=", ".join(DOCUMENT_KINDS),
                )
            )
    for kind, spec in sop.documents.items():
        if kind in UNNUMBERED_DOCUMENTS:
            continue
        if spec.series is None:
            problems.append(
                Problem.of(
                    f"documents.{kind}.series",
                    "sop.series_needed",
                    "a numbered letter needs a series",
                )
            )
        if spec.kode_klasifikasi is None:
            problems.append(
                Problem.of(
                    f"documents.{kind}.kode_klasifikasi",
                    "sop.code_needed",
                    "a numbered letter needs a code",
                )
            )
    problems.extend(series_problems(sop))
    if "lembar_disposisi" not in sop.documents:
        problems.append(
            Problem.of(
                "documents",
                "sop.disposition_missing",
                "the Lembar Disposisi (lembar_disposisi) is missing",
            )
        )

    for index, state in enumerate(sop.states):
        where = f"states[{index}]"
        names: set[str] = set()
        for a_index, action in enumerate(state.actions):
            a_where = f"{where}.actions[{a_index}]"
            if action.name in names:
                problems.append(
                    Problem.of(
                        f"{a_where}.name",
                        "sop.duplicate_action",
                        "duplicate action '{name}'",
                        name=action.name,
                    )
                )
            if action.name == WITHDRAW_ACTION:
                problems.append(
                    Problem.of(
                        f"{a_where}.name",
                        "sop.action_reserved",
                        "'{action}' is reserved for withdrawal",
                        action=WITHDRAW_ACTION,
                    )
                )
            names.add(action.name)
            for problem in _action_problems(sop, state, action, where, a_where, targets):
                if problem not in problems:  # a rule of the state, met by two of its actions
                    problems.append(problem)

    if sop.submission.first_state not in state_keys:
        problems.append(
            Problem.of(
                "submission.first_state",
                "sop.unknown_first_state",
                "unknown state '{first_state}'",
                first_state=sop.submission.first_state,
            )
        )
    withdrawn = sop.ends.get(sop.withdrawal.to)
    if withdrawn is None or withdrawn.status != RequestStatus.WITHDRAWN:
        problems.append(
            Problem.of(
                "withdrawal.to", "sop.withdrawal_end", "must name an end with status 'withdrawn'"
            )
        )
    if not any(end.status == RequestStatus.DONE for end in sop.ends.values()):
        problems.append(
            Problem.of("ends", "sop.done_end_missing", "an end with status 'done' is missing")
        )
    problems.extend(numbering_problems(sop.numbering))
    if not problems:
        problems.extend(_graph_problems(sop))
    return problems


def series_problems(sop: Sop, pattern: str | None = None) -> list[Problem]:
    """Documents whose numbers could coincide: the same code (or no code in the pattern), two series."""
    try:
        parsed = list(string.Formatter().parse(pattern or sop.numbering.pattern))
    except ValueError:
        return []  # numbering_problems reports the broken pattern itself
    fields = {f for _, f, _, _ in parsed if f}
    series_by_code: dict[str, str] = {}
    problems: list[Problem] = []
    for kind, spec in sop.documents.items():
        if spec.series is None or spec.kode_klasifikasi is None:
            continue
        code = spec.kode_klasifikasi if "kode_klasifikasi" in fields else ""
        first = series_by_code.setdefault(code, spec.series)
        if first != spec.series:
            problems.append(
                Problem.of(
                    f"documents.{kind}.series",
                    "sop.series_shared",
                    "must be '{first}': documents numbered alike share one series, or their numbers would repeat",
                    first=first,
                )
            )
    return problems


def _action_problems(
    sop: Sop, state: StateSpec, action: ActionSpec, state_where: str, where: str, targets: set[str]
) -> list[Problem]:
    registry = sop.actions
    if action.kind not in registry or action.kind == WITHDRAW_ACTION:
        known = ", ".join(kind for kind in registry.kinds() if kind != WITHDRAW_ACTION)
        return [
            Problem.of(f"{where}.kind", "sop.kind_one_of", "must be one of {known}", known=known)
        ]
    handler = registry.handler(action.kind)
    problems: list[Problem] = []
    expected = handler.outcomes
    if expected:
        if action.to is not None:
            problems.append(
                Problem.of(
                    f"{where}.to",
                    "sop.outcomes_decide",
                    "a {kind} action decides its way by outcomes",
                    kind=action.kind,
                )
            )
        if action.outcomes is None or set(action.outcomes) != set(expected):
            problems.append(
                Problem.of(
                    f"{where}.outcomes",
                    "sop.outcomes_exactly",
                    "must give exactly: {outcomes}",
                    outcomes=", ".join(expected),
                )
            )
    else:
        if action.outcomes is not None:
            problems.append(
                Problem.of(
                    f"{where}.outcomes",
                    "sop.no_outcomes",
                    "a {kind} action has no outcomes",
                    kind=action.kind,
                )
            )
        if action.to is None:
            problems.append(
                Problem.of(
                    f"{where}.to", "sop.to_required", "required: the state or end it leads to"
                )
            )
    for target in action.targets():
        if target not in targets:
            problems.append(
                Problem.of(
                    where,
                    "sop.unknown_target",
                    "leads to unknown state or end '{target}'",
                    target=target,
                )
            )
    allowed = handler.documents
    if allowed:
        if action.document is None:
            problems.append(
                Problem.of(
                    f"{where}.document",
                    "sop.document_needed",
                    "a {kind} action issues one",
                    kind=action.kind,
                )
            )
        elif action.document not in allowed:
            problems.append(
                Problem.of(
                    f"{where}.document",
                    "sop.document_one_of",
                    "must be one of {documents}",
                    documents=", ".join(allowed),
                )
            )
        elif action.document not in sop.documents:
            problems.append(
                Problem.of(
                    f"{where}.document",
                    "sop.document_not_listed",
                    "'{document}' is not in documents",
                    document=action.document,
                )
            )
    elif action.document is not None:
        problems.append(
            Problem.of(
                f"{where}.document",
                "sop.document_not_issued",
                "a {kind} action issues none",
                kind=action.kind,
            )
        )
    problems.extend(handler.sop_problems(sop, state, action, state_where, where))
    return problems


def numbering_problems(numbering: Numbering) -> list[Problem]:
    """What is wrong with a numbering's patterns: unknown fields, no sequence number, bad format."""
    problems: list[Problem] = []
    for name in ("pattern", "agenda_pattern"):
        text = getattr(numbering, name)
        try:
            fields = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        except ValueError as exc:
            problems.append(
                Problem.of(
                    f"numbering.{name}",
                    "sop.pattern_invalid",
                    "not a valid pattern: {exc}",
                    exc=exc,
                )
            )
            continue
        unknown = fields - set(PATTERN_FIELDS)
        if unknown:
            problems.append(
                Problem.of(
                    f"numbering.{name}",
                    "sop.pattern_unknown_field",
                    "unknown field {fields} (use {known})",
                    fields=", ".join(sorted(unknown)),
                    known=", ".join(PATTERN_FIELDS),
                )
            )
        elif "nomor_urut" not in fields:
            problems.append(
                Problem.of(
                    f"numbering.{name}",
                    "sop.pattern_needs_number",
                    "must contain {field}",
                    field="{nomor_urut}",
                )
            )
        else:
            try:
                text.format(**_sample_fields())
            except (ValueError, TypeError) as exc:
                problems.append(
                    Problem.of(
                        f"numbering.{name}",
                        "sop.pattern_invalid",
                        "not a valid pattern: {exc}",
                        exc=exc,
                    )
                )
    return problems


def _sample_fields() -> dict[str, Any]:
    return {
        "kode_klasifikasi": "555",
        "nomor_urut": 1,
        "kode_unit": "X",
        "tahun": 2026,
        "bulan": 1,
        "bulan_romawi": "I",
    }


def _graph_problems(sop: Sop) -> list[Problem]:
    graph = nx.DiGraph()
    graph.add_nodes_from(state.key for state in sop.states)
    graph.add_nodes_from(sop.ends)
    for state, action in sop.iter_actions():
        for target in action.targets():
            graph.add_edge(state.key, target)
    withdrawable = [s.key for s in sop.states if s.step <= sop.withdrawal.until_step]
    for key in withdrawable:
        graph.add_edge(key, sop.withdrawal.to)
    problems: list[Problem] = []
    reachable = nx.descendants(graph, sop.submission.first_state) | {sop.submission.first_state}
    for index, state in enumerate(sop.states):
        if state.key not in reachable:
            problems.append(
                Problem.of(
                    f"states[{index}]",
                    "sop.state_unreachable",
                    "state '{key}' cannot be reached",
                    key=state.key,
                )
            )
        elif not any(nx.has_path(graph, state.key, end) for end in sop.ends):
            problems.append(
                Problem.of(
                    f"states[{index}]",
                    "sop.state_no_end",
                    "from state '{key}' no end can be reached",
                    key=state.key,
                )
            )
    return problems


def parse_sop(data: Any, source: str | None = None, actions: ActionRegistry | None = None) -> Sop:
    """An SOP from parsed YAML; an :class:`InputError` names every wrong field and broken rule.

    ``actions`` is the registry of action kinds the file may use (the bundled one by default).
    """
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem.of(
                    "", "sop.file_not_mapping", "an SOP file must be a mapping with 'version: 1'"
                )
            ],
            source,
        )
    try:
        sop = Sop.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc), source) from exc
    problems = validate_sop(sop, actions)
    if problems:
        raise InputError(problems, source)
    return sop


def read_sop(path: str | Path, actions: ActionRegistry | None = None) -> Sop:
    """An SOP from a YAML file, validated (against ``actions``, the bundled kinds by default)."""
    return parse_sop(read_yaml_file(path), str(path), actions)


def sop_path() -> Path:
    """The SOP file in use: ``$DCIM_SOP_FILE``, else the bundled one."""
    chosen = os.environ.get(SOP_FILE_ENV)
    return Path(chosen) if chosen else DEFAULT_SOP_FILE


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int) -> Sop:
    return read_sop(path)


def current_sop() -> Sop:
    """The SOP in use, read once per version of the file."""
    path = sop_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise InputError([Problem.of("", "sop.no_file", "no such file")], str(path)) from exc
    return _cached(str(path), mtime)
