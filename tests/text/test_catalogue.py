"""The one catalogue: every text in Vietnamese and English with the same placeholders, every key used by
the code, and the formats the reader's way."""

from __future__ import annotations

import ast
import re
import string
from datetime import date, datetime
from pathlib import Path

import pytest

from ntm.text import (
    fill_params,
    fmt_band,
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_percent,
    fmt_pp,
    fmt_short,
    fmt_signed,
    plotly_separators,
    t,
)
from ntm.text.catalogue import LANGS, MESSAGES, _join

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for p in [*ROOT.glob("ntm/**/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/*.py"), ROOT / "app.py"]
        if "text/entries" not in p.as_posix()]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# Placeholders only one language needs: English plural endings; the administering unit of an archipelago.
GRAMMAR = {"s", "s1", "s2", "s3", "admin"}


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key
        assert placeholders(entry["vi"]) ^ placeholders(entry["en"]) <= GRAMMAR, key


def test_a_key_defined_twice_is_refused():
    class A:
        ENTRIES = {"x": {"vi": "a", "en": "a"}}

    with pytest.raises(ValueError, match="'x'"):
        _join([A, A])


def _code_strings() -> tuple[set[str], set[str]]:
    """String constants in the code, and the literal heads of f-strings and of concatenations."""
    constants, heads = set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                heads.add(node.values[0].value)
    heads |= {c for c in constants if c.endswith((".", "_"))}
    return constants, {h for h in heads if re.fullmatch(r"[a-z][a-z0-9_.]*[._]", h)}


def _data_keys() -> set[str]:
    """Catalogue keys named in the data files (e.g. the legal basis of each programme period)."""
    data = Path(__file__).resolve().parents[2] / "data"
    return {word for path in data.glob("*.csv") for word in re.findall(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+",
                                                                      path.read_text(encoding="utf-8"))}


def test_every_key_is_used_by_the_code_or_the_data():
    constants, heads = _code_strings()
    constants |= _data_keys()
    unused = [k for k in MESSAGES if k not in constants and not any(k.startswith(h) for h in heads)]
    assert unused == []


def test_no_bilingual_table_outside_the_catalogue():
    found = []
    for path in CODE:
        if "ntm/text/" in path.as_posix():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if set(LANGS) <= keys:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_unknown_language_falls_back_to_vietnamese():
    assert t("ui.app_title", "fr") == t("ui.app_title", "vi")


@pytest.mark.parametrize("value, lang, decimals, text", [
    (1234.5, "vi", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"), (None, "vi", 0, "–"), (float("nan"), "en", 2, "–"),
])
def test_numbers(value, lang, decimals, text):
    assert fmt_number(value, lang, decimals) == text


def test_percentages_points_bands_and_counts():
    assert fmt_percent(15.32, "vi") == "15,32%" and fmt_percent(35, "en", 0, signed=True) == "+35%"
    assert fmt_pp(-4.46, "vi") == "-4,46 điểm %" and fmt_pp(1.2, "en") == "+1.20 pp"
    assert fmt_pp(-4.46, "vi", sign="") == "4,46 điểm %" and fmt_pp(-0.5, "en", sign="-") == "-0.50 pp"
    assert fmt_band(1, 1.5, "vi") == "1–1,5 điểm %" and fmt_band(3, None, "en") == "≥ 3 pp"
    assert fmt_count(8, "ui.communes_unit", "vi") == "8 xã" and fmt_count(1200, "ui.communes_unit", "en") == "1,200 communes"
    assert fmt_short(1.0, "vi") == "1" and fmt_short(1.25, "en") == "1.25"
    assert fmt_signed(20, "vi") == "+20" and fmt_signed(-1234, "vi") == "−1.234" and fmt_signed(0, "en") == "±0"


def test_dates_and_chart_separators():
    assert fmt_date(date(2026, 11, 26), "vi") == "26/11/2026" and fmt_date(date(2026, 11, 26), "en") == "2026-11-26"
    assert fmt_datetime(datetime(2026, 11, 26, 14, 5), "vi") == "26/11/2026 14:05"
    assert plotly_separators("vi") == ",." and plotly_separators("en") == ".,"


def test_message_parameters_in_the_readers_language():
    params = {"level_key": "level.district", "limit_number": 100_000_000, "change_share": 0.35, "row": 12}
    assert fill_params(params, "vi") == {"level": "Huyện", "limit": "100.000.000", "change": "+35%", "row": 12}
    assert fill_params(params, "en")["limit"] == "100,000,000"


def test_every_kind_of_target_in_the_data_is_named_in_both_languages():
    """A target on the progress chart reads as words, never as its metric key."""
    import csv

    from ntm.present.labels import target_label
    data = Path(__file__).resolve().parents[2] / "data" / "targets.csv"
    metrics = {row["metric"] for row in csv.DictReader(data.open(encoding="utf-8"))}
    raw = [(m, lang) for m in sorted(metrics) for lang in LANGS if target_label(m, "standard", lang) == m]
    assert metrics and raw == []
