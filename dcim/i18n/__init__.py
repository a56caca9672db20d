"""Bahasa Indonesia first, English as a choice: message catalogs and Indonesian formatting.

Catalogs are written in ``locales/<lang>/<area>.yaml``; every file of a
language is merged, and a key is ``<area>.<key>`` (``cli.loaded``). Both
languages must have the same keys, which a test checks. At run time the
program reads ``locales/<lang>.json``, compiled from the YAML by
:mod:`dcim.i18n.compile` (a test keeps it current): parsing YAML at every
start was the largest part of the command line's start-up. Dates are formatted
with babel for ``id_ID`` or ``en_US``, imported only when one is formatted;
numbers with babel's pattern and the symbols compiled from it.

Each layer owns its words: this package holds the inventory's catalog, and
an upper layer adds its own folder with :func:`register_catalog` when it is
imported (the workflow registers ``colocation/locales``), so that this
bottom layer never imports, nor names, the layers above it. An area belongs
to one folder only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from dcim.package_data import shipped_path

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES = {"id": "id_ID", "en": "en_US"}
# Shipped inside this package (dcim.package_data explains why a path).
_CATALOG_DIR = shipped_path(__name__, "locales")
# Every layer's catalog folder, this one first; see register_catalog.
_CATALOG_DIRS: list[Path] = [_CATALOG_DIR]
#: Each language's number symbols, written by :mod:`dcim.i18n.compile` from babel.
NUMBER_SYMBOLS_FILE = "numbers.json"


class UnknownLanguage(ValueError):
    """A language code other than ``id`` or ``en``."""


def resolve_language(lang: str | None = None) -> str:
    """The language to use: the one given, else ``$DCIM_LANG``, else Bahasa Indonesia."""
    chosen = (lang or os.environ.get("DCIM_LANG") or DEFAULT_LANGUAGE).lower()
    chosen = chosen.split("_")[0].split("-")[0]
    if chosen not in LANGUAGES:
        raise UnknownLanguage(f"unknown language '{lang}' (use one of: {', '.join(LANGUAGES)})")
    return chosen


def register_catalog(directory: Path) -> None:
    """Add a layer's catalog folder (``<directory>/<lang>.json``); registering it again does nothing."""
    resolved = directory.resolve()
    if resolved not in _CATALOG_DIRS:
        _CATALOG_DIRS.append(resolved)
        catalog.cache_clear()


def catalog_dirs() -> tuple[Path, ...]:
    """The catalog folders registered so far, this layer's first."""
    return tuple(_CATALOG_DIRS)


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of a language from every registered folder, keyed ``area.key``."""
    messages: dict[str, str] = {}
    owners: dict[str, Path] = {}
    for directory in _CATALOG_DIRS:
        compiled: dict[str, str] = json.loads((directory / f"{lang}.json").read_text("utf-8"))
        for key, text in compiled.items():
            area = key.partition(".")[0]
            # Two layers writing the same area would overwrite each other's words silently.
            if owners.setdefault(area, directory) != directory:
                raise ValueError(f"message area '{area}' is in {owners[area]} and {directory}")
            messages[key] = text
    return messages


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The message ``key`` in the language, with ``{params}`` filled in.

    A key missing from the language falls back to Bahasa Indonesia, then to
    the key itself, so a missing translation shows rather than crashes.
    """
    language = resolve_language(lang)
    template = catalog(language).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def number(value: Decimal | float | int, lang: str | None = None, decimals: int = 2) -> str:
    """A number the local way: ``2.944,5`` in Indonesian, ``2,944.5`` in English.

    Babel's pattern ``#,##0.##`` (as many ``#`` as ``decimals``) with the language's symbols,
    which :mod:`dcim.i18n.compile` takes from babel into ``locales/numbers.json``: loading
    babel's locale data for them was half of a ``dcim check`` process's check (58 ms of
    110). ``tests/inventory/test_i18n_numbers.py`` holds the two to the same text.
    """
    decimal_sign, group, minus = _number_symbols(resolve_language(lang))
    rounded = round(Decimal(str(value)), decimals)
    whole, _, fraction = f"{abs(rounded):,f}".partition(".")
    fraction = fraction.rstrip("0")
    text = whole.replace(",", group) + (decimal_sign + fraction if fraction else "")
    # As babel does: the sign of a negative number rounded to zero stays ("-0").
    return minus + text if rounded.is_signed() else text


@cache
def _number_symbols(lang: str) -> tuple[str, str, str]:
    """The decimal sign, group separator and minus sign of a language, compiled from babel."""
    symbols = json.loads((_CATALOG_DIR / NUMBER_SYMBOLS_FILE).read_text("utf-8"))[lang]
    return symbols["decimal"], symbols["group"], symbols["minus"]


def percent(value: Decimal | float, lang: str | None = None) -> str:
    """A percentage with one decimal: ``81,2 %`` in Indonesian (value 81.2 means 81.2 %)."""
    return f"{number(value, lang, decimals=1)}%"


def date(value: dt.date, lang: str | None = None, style: str = "long") -> str:
    """A date: ``27 November 2026`` in Indonesian, ``November 27, 2026`` in English."""
    from babel.dates import format_date

    return format_date(value, format=style, locale=LOCALES[resolve_language(lang)])


def datetime(value: dt.datetime, lang: str | None = None) -> str:
    """A date and time, in the time zone the value carries."""
    from babel.dates import format_datetime

    return format_datetime(value, format="d MMM yyyy HH:mm", locale=LOCALES[resolve_language(lang)])
