"""The compiled message catalogs the program reads are the YAML catalogs translators edit."""

from __future__ import annotations

import pytest

import colocation  # noqa: F401  (registers the workflow's catalog folder)
from dcim.i18n import LANGUAGES, catalog, catalog_dirs
from dcim.i18n.compile import compiled_path, from_yaml, render


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("layer", [0, 1], ids=["dcim", "colocation"])
def test_the_compiled_catalog_matches_its_yaml(layer: int, lang: str) -> None:
    # A message edited in YAML but not recompiled would ship the old text.
    directory = catalog_dirs()[layer]
    expected = render(from_yaml(lang, directory))
    shipped = compiled_path(lang, directory).read_text(encoding="utf-8")
    assert shipped == expected, f"run `make catalogs`: {directory}/{lang}.json is stale"


def test_both_languages_have_the_same_keys() -> None:
    # A key only one language has falls back to Indonesian or to the bare key in the other.
    assert set(catalog("id")) == set(catalog("en"))


def test_messages_are_read_without_a_yaml_parser() -> None:
    # Reading the catalog at start-up must not depend on parsing YAML (it was 0.5 s per process).
    import subprocess
    import sys

    probe = "import sys; from dcim.i18n import t; t('cli.loaded'); print('yaml' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
