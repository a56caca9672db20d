"""Numbers are written the local way, exactly as babel writes them, without loading babel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import Locale
from babel.numbers import parse_pattern
from hypothesis import given
from hypothesis import strategies as st

from dcim import i18n
from dcim.i18n import LANGUAGES, LOCALES, NUMBER_SYMBOLS_FILE
from dcim.i18n.compile import number_symbols


def babel_number(value: Decimal | float | int, lang: str, decimals: int) -> str:
    """What babel writes for the pattern :func:`dcim.i18n.number` follows."""
    pattern = parse_pattern(f"#,##0.{'#' * decimals}" if decimals else "#,##0")
    return str(pattern.apply(round(Decimal(str(value)), decimals), Locale.parse(LOCALES[lang])))


def test_the_compiled_number_symbols_are_babels() -> None:
    # Symbols edited by hand, or a babel whose locale data changed, would write other numbers.
    shipped = (i18n._CATALOG_DIR / NUMBER_SYMBOLS_FILE).read_text(encoding="utf-8")
    assert shipped == number_symbols(), "run `make catalogs`: locales/numbers.json is stale"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (2944.5, "id", 2, "2.944,5"),
        (2944.5, "en", 2, "2,944.5"),
        (1234567.891, "id", 2, "1.234.567,89"),
        (0.1, "id", 1, "0,1"),
        (12.0, "id", 2, "12"),
        (-1234.565, "en", 2, "-1,234.56"),
        (-0.001, "id", 2, "-0"),
        (1500000, "id", 0, "1.500.000"),
    ],
)
def test_a_number_is_grouped_and_its_decimals_trimmed(
    value: float, lang: str, decimals: int, expected: str
) -> None:
    assert i18n.number(value, lang, decimals) == expected == babel_number(value, lang, decimals)


_amounts = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4),
)


@given(value=_amounts, lang=st.sampled_from(LANGUAGES), decimals=st.integers(0, 3))
def test_every_number_is_written_as_babel_writes_it(
    value: Decimal | float | int, lang: str, decimals: int
) -> None:
    assert i18n.number(value, lang, decimals) == babel_number(value, lang, decimals)


def test_a_percentage_keeps_one_decimal() -> None:
    assert i18n.percent(81.25, "id") == "81,2%"
    assert i18n.percent(81.25, "en") == "81.2%"
