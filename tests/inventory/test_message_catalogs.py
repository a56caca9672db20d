"""Every message of both catalogs renders, in its own language, and every key the code asks for
exists.

Renders each message with every placeholder filled, in Bahasa Indonesia and in
English; fails on a key missing from one language, a placeholder left
unfilled, a key YAML read as something else than its name (``no:`` became
``False`` and the report's table header read ``capacity.report.no``), or an
English word in Indonesian output.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from dcim.i18n import LANGUAGES, catalog, t

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "dcim" / "i18n" / "locales"
PACKAGES = ("dcim", "capacity", "colocation", "dcim_cli", "dcim_ui", "dcim_api", "dcim_demo")

#: Words that are English and not Indonesian (nor loanwords an Indonesian IT office uses).
ENGLISH_WORDS = frozenset(
    {
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "not",
        "must",
        "should",
        "required",
        "wrong",
        "empty",
        "larger",
        "than",
        "smaller",
        "field",
        "value",
        "file",
        "files",
        "feed",
        "feeds",
        "of",
        "for",
        "with",
        "without",
        "and",
        "or",
        "but",
        "which",
        "when",
        "where",
        "while",
        "please",
        "cannot",
        "can't",
        "unknown",
        "invalid",
        "missing",
        "allowed",
        "only",
        "more",
        "less",
        "already",
        "none",
        "password",
        "current",
        "new",
        "user",
        "users",
        "request",
        "requests",
        "rack",
        "racks",
        "free",
        "used",
        "yes",
    }
)
#: Where an English word is right in Indonesian: a term the SOP itself uses, a product name,
#: or a keyword the operator types. Each entry says why.
ALLOWED = {
    "free": "the IP address states of the IP map ('free' is the inventory format's word)",
}


def _keys_of(data: object, prefix: str = "") -> list[str]:
    if isinstance(data, dict):
        found: list[str] = []
        for key, value in data.items():
            assert isinstance(key, str), f"{prefix}: key {key!r} is not text (quote it in YAML)"
            found += _keys_of(value, f"{prefix}.{key}" if prefix else key)
        return found
    return [prefix]


def test_every_catalog_key_is_text_in_both_languages() -> None:
    for lang in LANGUAGES:
        for path in sorted((LOCALES / lang).glob("*.yaml")):
            _keys_of(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)


def test_both_languages_have_every_key() -> None:
    indonesian, english = set(catalog("id")), set(catalog("en"))
    assert not indonesian - english, sorted(indonesian - english)
    assert not english - indonesian, sorted(english - indonesian)


def _rendered(lang: str) -> dict[str, str]:
    out = {}
    for key, template in catalog(lang).items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        out[key] = t(key, lang, **{name: "7" for name in fields})
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_renders_with_its_placeholders_filled(lang: str) -> None:
    for key, text in _rendered(lang).items():
        assert text.strip(), f"{lang}:{key} is empty"
        assert not re.search(r"{\w*}", text), f"{lang}:{key} left a placeholder: {text}"


def test_indonesian_messages_have_no_english_words() -> None:
    english = []
    for key, text in _rendered("id").items():
        # Quoted names, commands, paths, metavariables (FILE) and identifiers (file_sd,
        # rack:available) are the operator's words, not the message's.
        prose = re.sub(
            r"`[^`]*`|'[^']*'|\"[^\"]*\"|--[\w-]+|\S*/\S*|\bdcim( [a-z][\w-]*)+|\b[A-Z]{2,}\b"
            r"|\S*[_:=]\S*|\b\w+\.(yaml|yml|csv|xlsx)\b",
            " ",
            text,
        )
        words = {w.lower() for w in re.findall(r"[A-Za-z']+", prose)}
        found = sorted((words & ENGLISH_WORDS) - ALLOWED.keys())
        if found:
            english.append(f"{key}: {found} in {text!r}")
    assert not english, "\n".join(english)


def test_every_literal_key_the_code_asks_for_exists() -> None:
    known = set(catalog("id"))
    asked: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            asked |= set(re.findall(r'\b(?:i18n\.)?t\(\s*"([a-z_]+\.[a-z_.0-9]+)"', source))
            if path.name == "messages.py" and package == "capacity":
                asked |= {f"capacity.{k}" for k in re.findall(r'\btext\(\s*"([a-z_.]+)"', source)}
    assert len(asked) > 200  # the search finds the calls (a broken pattern would find none)
    missing = sorted(key for key in asked if key not in known)
    assert not missing, missing
