"""Build step: turn the YAML message catalogs into the JSON files the program reads.

The catalogs are written in YAML (``locales/<lang>/<area>.yaml``) because
that is pleasant to translate; parsing them at every start cost half a second
with the pure-Python loader. They are therefore flattened once, here, into
``locales/<lang>.json`` (``area.key`` -> message), which :func:`dcim.i18n.catalog`
reads with the standard library alone. Every layer's folder is compiled the
same way (``colocation/locales/<lang>.json`` for the workflow's words).
``tests/inventory/test_i18n_compiled.py`` fails when a JSON file no longer matches its
YAML, so an edited message cannot ship stale. The languages' number symbols are
taken from babel into ``locales/numbers.json`` the same way. Run ``make catalogs`` (``python
-m dcim.i18n.compile colocation``: the packages named are imported so that
their folders register) after editing.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from . import _CATALOG_DIR, LANGUAGES, LOCALES, NUMBER_SYMBOLS_FILE, catalog_dirs


def _flatten(prefix: str, value: Any, into: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), inner, into)
    else:
        into[prefix] = str(value)


def from_yaml(lang: str, directory: Path = _CATALOG_DIR) -> dict[str, str]:
    """Every message of a language read from its YAML files, keyed ``area.key``."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    messages: dict[str, str] = {}
    for path in sorted((directory / lang).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        _flatten(path.stem, data, messages)
    return messages


def render(messages: dict[str, str]) -> str:
    """The JSON text of a compiled catalog (sorted keys, so a rebuild diffs cleanly)."""
    return json.dumps(messages, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def compiled_path(lang: str, directory: Path = _CATALOG_DIR) -> Path:
    """Where the compiled catalog of a language lives."""
    return directory / f"{lang}.json"


def number_symbols() -> str:
    """The JSON text of every language's decimal sign, group separator and minus sign, as
    babel's locale data gives them (read at run time by :func:`dcim.i18n.number`)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    symbols = {
        lang: {
            "decimal": get_decimal_symbol(LOCALES[lang]),
            "group": get_group_symbol(LOCALES[lang]),
            "minus": get_minus_sign_symbol(LOCALES[lang]),
        }
        for lang in LANGUAGES
    }
    return json.dumps(symbols, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _write_if_changed(target: Path, text: str) -> None:
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {target}\n")


def main(argv: list[str] | None = None) -> int:
    """Write ``<folder>/<lang>.json`` for every registered folder and language; print what changed.

    The arguments name packages to import first (their folders register when imported).
    """
    for package in sys.argv[1:] if argv is None else argv:
        importlib.import_module(package)
    for directory in catalog_dirs():
        for lang in LANGUAGES:
            _write_if_changed(compiled_path(lang, directory), render(from_yaml(lang, directory)))
    _write_if_changed(_CATALOG_DIR / NUMBER_SYMBOLS_FILE, number_symbols())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
