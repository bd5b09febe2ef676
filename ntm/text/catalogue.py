"""The one catalogue of user-facing text: every key has a Vietnamese (default) and an English text, and
`t(key, lang, **values)` is the only way to look one up."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from ntm.text.entries import charts, cli, common, findings, pack, pages, targets, upload

LANGS = ("vi", "en")

ENTRY_MODULES = (common, pages, upload, cli, charts, pack, findings, targets)


def _join(modules) -> dict[str, dict[str, str]]:
    """One dict of every entry; a key defined twice is an error (each key means one thing)."""
    out: dict[str, dict[str, str]] = {}
    for module in modules:
        for key, entry in module.ENTRIES.items():
            if key in out:
                raise ValueError(f"catalogue key {key!r} defined twice (second in {module.__name__})")
            out[key] = entry
    return out


MESSAGES: dict[str, dict[str, str]] = _join(ENTRY_MODULES)


def t(key: str, lang: str = "vi", /, **kwargs) -> str:
    """The message `key` in `lang` (Vietnamese when the language is unknown), formatted with kwargs."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**kwargs) if kwargs else text


def has_text(key: str) -> bool:
    """Whether the catalogue has `key` (for keys built from data, e.g. a target's metric)."""
    return key in MESSAGES


def is_missing(value) -> bool:
    """None, NaN or pandas' NA: a figure that is not known."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return False


def fmt_number(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1234.5 → '1.234,5' in Vietnamese, '1,234.5' in English; None/NaN/NA → '–'."""
    if is_missing(value):
        return "–"
    s = f"{value:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_percent(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A value already in per cent: 15.32 → '15,32%'; missing → '–'."""
    return "–" if is_missing(value) else fmt_number(value, lang, decimals) + "%"


def fmt_pp(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A signed change in percentage points: -4.46 → '-4,46 điểm %' / '-4.46 pp'; missing → '–'."""
    if is_missing(value):
        return "–"
    sign = "+" if value > 0 else ""
    return sign + fmt_number(value, lang, decimals) + (" điểm %" if lang == "vi" else " pp")


def fmt_date(value: date | datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English."""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%Y-%m-%d")


def status_label(status: str | None, lang: str = "vi") -> str:
    """Display name of an NTM status."""
    return t(f"status.{status or 'none'}", lang)


