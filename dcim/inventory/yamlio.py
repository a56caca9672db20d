"""Reading and writing YAML the way the inventory and request files need it.

Every file and form of dcim-lite is parsed here, behind one gate (see
docs/input-limits.md): a size limit checked before parsing, then a walk over
the parsed document that bounds its depth and the number of elements it
expands to. YAML aliases (``*name``) share one parsed value, so a 500-byte
file can stand for a billion elements; the walk counts each alias as the
whole value it stands for and stops at the bound, so such a file is refused
in milliseconds and before anything downstream expands it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from dcim.errors import Phrase

from .problems import InputError, Problem

# libyaml's parser when PyYAML was built with it: a national-scale inventory parses
# several times faster. The constructor (and so the duplicate-key rule) stays in Python.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MIB = 1024 * 1024


@dataclass(frozen=True)
class YamlLimits:
    """How big a YAML document of one kind may be: bytes, nesting depth, elements once expanded."""

    kind: str
    max_bytes: int
    max_depth: int
    max_elements: int


# An inventory of 1,000 racks and 25,000 devices is 8 MB and about a million elements.
INVENTORY_LIMITS = YamlLimits("inventory", max_bytes=20 * MIB, max_depth=32, max_elements=3_000_000)
# A request, a device-type file or an action's data fits in a few kilobytes.
DOCUMENT_LIMITS = YamlLimits("document", max_bytes=1 * MIB, max_depth=32, max_elements=50_000)


class _StrictLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """A safe loader that refuses a mapping with the same key twice (YAML would keep the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (list, dict)):
            continue
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date or time as YAML reads it; one the calendar does not have (2026-13-45) stays the
    text it is, so that the schema of the file refuses it naming its field and the parser does
    not refuse the whole file naming none."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def shape_problem(data: Any, limits: YamlLimits) -> Problem | None:
    """Why parsed data is too deep or expands to too many elements, or None when it fits.

    Lists and mappings are walked as they will be used: a value that aliases
    share is counted once per alias, and a value that contains itself grows
    deeper at every turn, so both stop at a bound after at most
    ``max_elements`` steps.
    """
    elements = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limits.max_depth:
            return Problem.of(
                "",
                "loader.too_deep",
                "nested deeper than {depth} levels",
                depth=limits.max_depth,
            )
        elements += len(value)
        if elements > limits.max_elements:
            return Problem.of(
                "",
                "loader.too_many_elements",
                "has more than {count} elements (a YAML alias counts as every element it repeats)",
                count=f"{limits.max_elements:,}",
            )
        children = value.values() if type(value) is dict else value
        stack.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return None


def _size_problem(size: int, limits: YamlLimits) -> Problem | None:
    if size > limits.max_bytes:
        return Problem.of(
            "",
            f"loader.too_large.{limits.kind.lower().replace(' ', '_')}",
            f"the file is larger than the {{mb}} MB a {limits.kind} file may be ({{size}} bytes)",
            mb=limits.max_bytes // MIB,
            size=f"{size:,}",
        )
    return None


_DUPLICATE_KEY = re.compile(r"^duplicate key (?P<key>.*)$", re.DOTALL)


def _parser_reason(problem: str | None) -> Phrase:
    """The YAML parser's own words; a repeated key (this module's check) in the reader's language."""
    found = _DUPLICATE_KEY.match(problem or "")
    if found is None:
        return Phrase.library(problem or "")
    return Phrase.of("loader.yaml_duplicate_key", "duplicate key {key}", key=found.group("key"))


def parse_yaml(text: str, source: str, limits: YamlLimits = DOCUMENT_LIMITS) -> Any:
    """Parse YAML text behind the input gate; anything wrong becomes an :class:`InputError`.

    A syntax error names its line and column; a document over the size,
    depth or element bound is refused before anything uses it.
    """
    too_big = _size_problem(len(text.encode("utf-8", "surrogatepass")), limits)
    if too_big is not None:
        raise InputError([too_big], source)
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is None:
            problem = Problem.of(
                "",
                "loader.yaml_invalid_somewhere",
                "not valid YAML at somewhere: {reason}",
                reason=_parser_reason(exc.problem),
            )
        else:
            problem = Problem.of(
                "",
                "loader.yaml_invalid_at",
                "not valid YAML at line {line}, column {column}: {reason}",
                line=mark.line + 1,
                column=mark.column + 1,
                reason=_parser_reason(exc.problem),
            )
        raise InputError([problem], source) from exc
    except yaml.YAMLError as exc:
        raise InputError(
            [
                Problem.of(
                    "",
                    "loader.yaml_invalid",
                    "not valid YAML: {reason}",
                    reason=Phrase.library(exc),
                )
            ],
            source,
        ) from exc
    except (ValueError, OverflowError) as exc:
        # A value YAML recognises but Python cannot hold, such as an integer of 5,000 digits
        # (an impossible date stays text: _construct_timestamp).
        raise InputError(
            [
                Problem.of(
                    "", "loader.value_unreadable", "a value cannot be read: {reason}", reason=exc
                )
            ],
            source,
        ) from exc
    except RecursionError as exc:
        raise InputError(
            [
                Problem.of(
                    "",
                    "loader.too_deep",
                    "nested deeper than {depth} levels",
                    depth=limits.max_depth,
                )
            ],
            source,
        ) from exc
    if isinstance(data, (dict, list)):
        problem = shape_problem(data, limits)
        if problem is not None:
            raise InputError([problem], source)
    return data


def read_yaml_file(path: str | Path, limits: YamlLimits = DOCUMENT_LIMITS) -> Any:
    """Read and parse a YAML file behind the input gate; unreadable files become an :class:`InputError`.

    At most one byte more than the limit is read, so that neither a huge file
    nor an endless one (a device, a pipe) is held in memory.
    """
    return parse_yaml(read_bounded_text(path, limits), str(path), limits)


def read_bounded_text(path: str | Path, limits: YamlLimits) -> str:
    """The UTF-8 text of a file no larger than the limits; an :class:`InputError` otherwise.

    At most one byte more than the limit is read, so that neither a huge file
    nor an endless one (a device, a pipe) is held in memory. Every file reader
    of the project (YAML, a NetBox dump) goes through here.
    """
    source = str(path)
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
        too_big = _size_problem(len(raw), limits)
        if too_big is not None:
            raise InputError([too_big], source)
        return raw.decode("utf-8")
    except FileNotFoundError as exc:
        raise InputError([Problem.of("", "loader.no_file", "no such file")], source) from exc
    except IsADirectoryError as exc:
        raise InputError(
            [Problem.of("", "loader.is_directory", "is a directory, not a file")], source
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Problem.of("", "loader.not_utf8", "not UTF-8 text")], source) from exc
    except OSError as exc:
        raise InputError(
            [Problem.of("", "loader.unreadable", "cannot read: {reason}", reason=exc.strerror)],
            source,
        ) from exc


class _Dumper(yaml.SafeDumper):
    """Writes block lists indented under their key, as people write inventory files by hand.

    Values that happen to be shared are written out in full, never as
    anchors and aliases, so that an export reads the same to people and tools.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> Any:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_float(float(value))


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, yaml.SafeDumper.represent_date)
# A value of a choice set (the models hold enum members) is written as its plain text.
_Dumper.add_multi_representer(StrEnum, lambda dumper, value: dumper.represent_str(value.value))


def dump_yaml(data: Any) -> str:
    """YAML text with keys in the order given, unicode kept, block style."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
