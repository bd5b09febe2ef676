"""The one place where figures become text, the reader's way: numbers (1.234,5 in Vietnamese, 1,234.5
in English), percentages, percentage points (signed changes, amounts, target bands), counts with their
unit, dates (dd/mm/yyyy, yyyy-mm-dd) and the separators charts use. A missing figure (or an infinity) is
'–'."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from ntm.text.catalogue import language, t

MISSING = "–"
# (thousands, decimal) separators and date patterns per language.
SEPARATORS = {"vi": (".", ","), "en": (",", ".")}
DATE_FORMAT = {"vi": "%d/%m/%Y", "en": "%Y-%m-%d"}
LOCALE = {"vi": "vi-VN", "en": "en-GB"}


def is_missing(value) -> bool:
    """None, NaN, pandas' NA or an infinity: a figure that is not known (never written 'inf')."""
    if value is None or value is pd.NA:
        return True
    try:
        return not math.isfinite(value)
    except OverflowError:                # an integer beyond any float: no figure is that large
        return True
    except (TypeError, ValueError):
        return False


def fmt_number(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1234.5 → '1.234,5' in Vietnamese, '1,234.5' in English; None/NaN/NA → '–'."""
    if is_missing(value):
        return MISSING
    thousands, point = SEPARATORS[language(lang)]
    return f"{value:,.{decimals}f}".replace(",", "\0").replace(".", point).replace("\0", thousands)


def fmt_short(value, lang: str = "vi") -> str:
    """A number with as few decimals as it needs (up to 2): 1 → '1', 1.5 → '1,5'."""
    if is_missing(value):
        return MISSING
    v = float(value)
    decimals = next((d for d in (0, 1) if abs(round(v, d) - v) < 1e-9), 2)
    return fmt_number(v, lang, decimals)


def decimals_of(values) -> int:
    """The decimals a column of numbers needs (0–2), so every cell of it shows the same number of them."""
    need = 0
    for v in values:
        if is_missing(v) or isinstance(v, (bool, str)):
            continue
        need = max(need, next((d for d in (0, 1) if abs(round(float(v), d) - float(v)) < 1e-9), 2))
    return need


def fmt_cell(value, lang: str = "vi") -> str:
    """A table cell as a reader sees it: years as they are, counts with thousands separators, other
    numbers with as few decimals as they need, yes / blank for flags, '–' for nothing."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (not isinstance(value, str) and is_missing(value)):
        return MISSING
    if isinstance(value, bool):
        return t("ui.yes", lang) if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value) if 1900 <= value <= 2100 else fmt_number(value, lang)
    if isinstance(value, float):
        return fmt_short(value, lang)
    return str(value)


def fmt_signed(value, lang: str = "vi", decimals: int = 0) -> str:
    """A change with its sign: '+20', '−1.234', '±0'."""
    if is_missing(value):
        return MISSING
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + fmt_number(abs(value), lang, decimals)


def fmt_percent(value: float | None, lang: str = "vi", decimals: int = 2, signed: bool = False) -> str:
    """A value already in per cent: 15.32 → '15,32%' ('+35%' with signed=True); missing → '–'."""
    if is_missing(value):
        return MISSING
    return ("+" if signed and value > 0 else "") + fmt_number(value, lang, decimals) + "%"


def fmt_pp(value: float | None, lang: str = "vi", decimals: int = 2, sign: str = "+") -> str:
    """Percentage points with their unit ('điểm %' / 'pp'). sign '+': a signed change ('+1,20', '-4,46');
    '-': as it is, no plus ('4,46', '-0,50'); '': the amount without a sign ('4,46')."""
    if is_missing(value):
        return MISSING
    value = abs(value) if sign == "" else value
    plus = "+" if sign == "+" and value > 0 else ""
    return f"{plus}{fmt_number(value, lang, decimals)} {t('unit.pp', lang)}"


def fmt_band(low, high=None, lang: str = "vi") -> str:
    """A target band in percentage points: '1–1,5 điểm %', or '≥ 3 điểm %' without an upper bound."""
    unit = t("unit.pp", lang)
    if is_missing(low):
        return MISSING
    if is_missing(high) or float(high) == float(low):
        return f"≥ {fmt_short(low, lang)} {unit}"
    return f"{fmt_short(low, lang)}–{fmt_short(high, lang)} {unit}"


def fmt_count(value, unit_key: str, lang: str = "vi") -> str:
    """A count with its unit from the catalogue: '8 xã' / '8 communes'; missing → '–'."""
    if is_missing(value):
        return MISSING
    return f"{fmt_number(value, lang)} {t(unit_key, lang)}"


def fmt_date(value: date | datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English."""
    return value.strftime(DATE_FORMAT[language(lang)])


def fmt_datetime(value: datetime, lang: str = "vi") -> str:
    """The date and the time to the minute: '26/11/2026 14:05'."""
    return f"{fmt_date(value, lang)} {value.strftime('%H:%M')}"


def plotly_separators(lang: str = "vi") -> str:
    """Plotly's `separators` layout value (decimal point, then thousands) for the language."""
    thousands, point = SEPARATORS[language(lang)]
    return point + thousands


def locale(lang: str = "vi") -> str:
    """The language tag of a document written in `lang` ('vi-VN', 'en-GB')."""
    return LOCALE[language(lang)]


def fill_params(params: dict, lang: str = "vi") -> dict:
    """Message parameters in `lang`: a parameter named `<name>_key` is a catalogue key, `<name>_keys` a
    list of them (joined with commas), `<name>_number` a number, `<name>_share` a share to show as a
    signed whole percentage ('+35%'); each fills `{<name>}`."""
    out = {}
    for k, v in params.items():
        if k.endswith("_key"):
            out[k[:-4]] = t(v, lang)
        elif k.endswith("_keys"):
            out[k[:-5]] = ", ".join(t(x, lang) for x in v)
        elif k.endswith("_number"):
            out[k[:-7]] = fmt_number(v, lang)
        elif k.endswith("_share"):
            out[k[:-6]] = fmt_percent(100 * v, lang, 0, signed=True)
        else:
            out[k] = v
    return out
