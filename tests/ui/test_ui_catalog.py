"""Both languages have every message, and every message the app asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import colocation
from dcim.i18n import LANGUAGES, catalog, catalog_dirs

LOCALES = Path(__file__).resolve().parents[2] / "dcim" / "i18n" / "locales"
WORKFLOW_LOCALES = Path(colocation.__file__).resolve().parent / "locales"
UI = Path(__file__).resolve().parents[2] / "dcim_ui"


def test_both_languages_have_the_same_keys_in_every_catalog_file() -> None:
    assert LOCALES.resolve() in catalog_dirs() and WORKFLOW_LOCALES in catalog_dirs()
    for locales in catalog_dirs():
        for path in sorted((locales / "id").glob("*.yaml")):
            keys = {
                lang: _keys(yaml.safe_load((locales / lang / path.name).read_text()))
                for lang in LANGUAGES
            }
            assert keys["id"] == keys["en"], f"{path.name}: {keys['id'] ^ keys['en']}"


def test_the_workflow_words_come_from_the_workflow_catalog_not_the_inventory() -> None:
    assert not (LOCALES / "id" / "workflow.yaml").exists()
    assert catalog("id")["workflow.status.withdrawn"] == "ditarik"
    assert catalog("en")["workflow.status.withdrawn"] == "withdrawn"


def test_both_languages_have_the_same_placeholders() -> None:
    indonesian, english = catalog("id"), catalog("en")
    for key, text in indonesian.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", english[key])), key


def test_every_literal_key_the_app_uses_exists() -> None:
    known = catalog("id")
    used = set()
    for path in [*UI.rglob("*.py"), *(UI.parent / "dcim_cli").glob("*.py")]:
        used |= {f"ui.{k}" for k in re.findall(r'\btr\(\s*"([a-z_.]+)"', path.read_text())}
        used |= set(re.findall(r'\bt\(\s*"(ui\.[a-z_.]+)"', path.read_text()))
    missing = sorted(key for key in used if key not in known)
    assert not missing


def _keys(data: object, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        return set().union(
            *(_keys(v, f"{prefix}.{k}" if prefix else str(k)) for k, v in data.items())
        )
    return {prefix}
