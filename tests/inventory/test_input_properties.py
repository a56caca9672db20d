"""Property tests of the input gate: random and hostile documents end in acceptance or a field-named refusal.

Documents are mutations of the contract's examples (a request, an
inventory, a device type, the workflow's action data): one value somewhere
replaced by a hostile one (huge and non-finite numbers, booleans for
numbers, control and bidi characters, zone ids, deep structures, wrong
types), written as YAML and read back through the gate, then validated by
the same services the commands and the app call. Every run must end in
acceptance or in an :class:`InputError` whose problems name a field,
never in another exception, and within the hypothesis deadline. A few
examples go through the real ``dcim`` console script as well.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.request import parse_request
from capacity.rules import normalise_requested
from colocation.action_data import parse_data
from colocation.actions import ACTIONS
from dcim.accounts import operator
from dcim.addressing import AddressError, parse_address, parse_range
from dcim.catalog import DeviceTypeFile
from dcim.errors import InputError
from dcim.inventory import rules
from dcim.inventory.load import parse_inventory
from dcim.inventory.yamlio import INVENTORY_LIMITS, parse_yaml

# The top-level conftest's names, without importing it (tests/capacity has a conftest too).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]
CliResult = Any  # conftest.CliResult: exit_code, stdout, stderr

SPEC = FIXTURES / "spec-example"
REQUEST = yaml.safe_load((SPEC / "request-simpeg.yaml").read_text(encoding="utf-8"))
INVENTORY = yaml.safe_load((SPEC / "inventory.yaml").read_text(encoding="utf-8"))
DEVICE_TYPE = yaml.safe_load(
    (FIXTURES / "devicetypes" / "Dell-PowerEdge-R650.yaml").read_text(encoding="utf-8")
)
DEADLINE = dt.timedelta(seconds=5)  # a loaded CI machine; a document takes milliseconds
INTERNAL = ("kesalahan internal", "internal error", "Traceback")

HOSTILE_SCALARS = st.one_of(
    st.sampled_from(
        [
            9_300_000_000_000_000,
            10**19,
            2**63,
            -1,
            0,
            1e308,
            -1e308,
            float("nan"),
            float("inf"),
            True,
            False,
            None,
            "",
            " x",
            "x" * 300,
            "\x00",
            "\x1b[2J",
            "a\u202eb",
            "fe80::1%eth0",
            "FE80::0001",
            "xn--zz",
            "1.0",
            1.0,
            "2026-13-45",
        ]
    ),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
HOSTILE_VALUES = st.recursive(
    HOSTILE_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


def node_paths(document: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document below its root: keys and list indexes."""
    if isinstance(document, dict):
        items: Any = document.items()
    elif isinstance(document, list):
        items = enumerate(document)
    else:
        return
    for key, value in items:
        yield (*prefix, key)
        yield from node_paths(value, (*prefix, key))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of the document with the value at ``path`` replaced."""
    changed = copy.deepcopy(document)
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return changed


@st.composite
def mutations(draw: st.DrawFn, document: Any) -> Any:
    """The document with one value replaced by a hostile one, or one unknown key added."""
    places = list(node_paths(document))
    path = draw(st.sampled_from(places))
    if draw(st.booleans()):
        return replaced(document, path, draw(HOSTILE_VALUES))
    parent = path[:-1]
    target = document
    for part in parent:
        target = target[part]
    if isinstance(target, dict):
        return replaced(
            document, (*parent, draw(st.text(min_size=1, max_size=8))), draw(HOSTILE_SCALARS)
        )
    return replaced(document, path, draw(HOSTILE_VALUES))


def through_the_gate(document: Any, *, as_yaml: bool, limits: Any = None) -> Any:
    """The document as a service receives it: written to YAML and read back, or as a form gives it."""
    if not as_yaml:
        return document
    text = yaml.safe_dump(document, allow_unicode=True)
    return parse_yaml(text, "hostile.yaml", limits) if limits else parse_yaml(text, "hostile.yaml")


def assert_names_fields(error: InputError) -> None:
    """Each problem of a refused mapping names the field it is about, in words."""
    assert error.problems
    for problem in error.problems:
        assert problem.path, f"a problem without a field: {problem}"
        assert problem.message.strip()


FAST = settings(deadline=DEADLINE, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(document=mutations(REQUEST), as_yaml=st.booleans())
def test_a_mutated_request_is_accepted_or_refused_naming_a_field(
    document: Any, as_yaml: bool
) -> None:
    data = through_the_gate(document, as_yaml=as_yaml)
    try:
        request = parse_request(data, "hostile.yaml")
    except InputError as error:
        assert_names_fields(error)
        return
    for name in request.domains:  # the domain check's rule judges any text without raising
        normal, problem = normalise_requested(name)
        assert problem is not None or normal


@FAST
@given(document=mutations(INVENTORY), as_yaml=st.booleans())
def test_a_mutated_inventory_is_accepted_or_refused_naming_a_field(
    document: Any, as_yaml: bool
) -> None:
    data = through_the_gate(document, as_yaml=as_yaml, limits=INVENTORY_LIMITS)
    try:
        inventory = parse_inventory(data, "hostile.yaml")
    except InputError as error:
        assert_names_fields(error)
        return
    for problem in rules.check(inventory):  # the cross-entry rules never raise either
        assert problem.path and problem.message


@FAST
@given(document=mutations(DEVICE_TYPE))
def test_a_mutated_device_type_is_accepted_or_refused_naming_a_field(document: Any) -> None:
    from pydantic import ValidationError

    from dcim.inventory.pydantic_errors import problems_from

    data = through_the_gate(document, as_yaml=True)
    if not isinstance(data, dict):
        return
    try:
        item = DeviceTypeFile.model_validate(data)
    except ValidationError as exc:
        for problem in problems_from(exc):
            assert problem.path and problem.message
        return
    item.weight_kg()
    item.power_budget()


@FAST
@given(kind=st.sampled_from(sorted(ACTIONS.kinds())), data=HOSTILE_VALUES)
def test_hostile_action_data_is_accepted_or_refused_naming_a_field(kind: str, data: Any) -> None:
    model = ACTIONS.handler(kind).data_model
    try:
        parse_data(model, through_the_gate(data, as_yaml=True), "data.yaml")
    except InputError as error:
        assert_names_fields(error)


@FAST
@given(
    text=st.text(max_size=60) | st.sampled_from(["fe80::1%eth0", "FE80::0001", "1.2.3.4-1.2.3.3"])
)
def test_any_text_is_an_address_or_an_address_error(text: str) -> None:
    for parse in (parse_address, parse_range):
        try:
            parse(text)
        except AddressError as error:
            assert str(error)


@settings(deadline=DEADLINE, max_examples=200)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "a: ",
                "&x ",
                "*x",
                "[",
                "]",
                "{",
                "}",
                "- ",
                "\n",
                "  ",
                "b",
                ", ",
                "!!binary ",
                "? ",
                "<<: *x",
                "2026-13-45",
                ".nan",
                "\t",
                '"\\0"',
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_any_yaml_text_is_parsed_or_refused_as_input(text: str) -> None:
    try:
        parse_yaml(text, "fuzz.yaml")
    except InputError as error:
        assert error.problems and error.source == "fuzz.yaml"


@pytest.fixture(scope="module")
def checked_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding the contract's example inventory, for read-only checks."""
    from dcim.db import get_engine
    from dcim.inventory.load import load_file

    url = f"sqlite:///{tmp_path_factory.mktemp('properties') / 'dcim.db'}"
    engine = get_engine(url)
    load_file(engine, SPEC / "inventory.yaml", actor=operator())
    engine.dispose()
    return url


@settings(
    deadline=None,  # a subprocess; the time bound is the run's timeout below
    max_examples=6,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=mutations(REQUEST))
def test_a_mutated_request_through_the_console_script_ends_in_0_1_or_2(
    checked_database: str, run_dcim: Callable[..., CliResult], tmp_path: Path, document: Any
) -> None:
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = run_dcim("--db", checked_database, "check", path, "--on", "2026-11-27")
    assert result.exit_code in (0, 1, 2)
    assert not any(marker in result.stderr + result.stdout for marker in INTERNAL)
    if result.exit_code == 2:
        assert str(path) in result.stderr
