"""Reading and writing YAML the way the inventory and request files need it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .problems import InputError, Problem

# libyaml's parser when PyYAML was built with it: a national-scale inventory parses
# several times faster. The constructor (and so the duplicate-key rule) stays in Python.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text; a syntax error becomes an :class:`InputError` with line and column."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise InputError(
            [Problem("", f"not valid YAML at {where}: {exc.problem}")], source
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError([Problem("", f"not valid YAML: {exc}")], source) from exc


def read_yaml_file(path: str | Path) -> Any:
    """Read and parse a YAML file; unreadable files become an :class:`InputError`."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError([Problem("", "no such file")], source) from exc
    except IsADirectoryError as exc:
        raise InputError([Problem("", "is a directory, not a file")], source) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Problem("", "not UTF-8 text")], source) from exc
    except OSError as exc:
        raise InputError([Problem("", f"cannot read: {exc.strerror}")], source) from exc
    return parse_yaml(text, source)


class _Dumper(yaml.SafeDumper):
    """Writes block lists indented under their key, as people write inventory files by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> Any:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_float(float(value))


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, yaml.SafeDumper.represent_date)


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
