"""An indicator on a map: its value for each unit (`ntm.domain.metrics`), its legend classes (fixed breaks,
quintiles or NTM statuses) with their colours and labels, and its values, name and unit as text."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm.domain.metrics import METRICS
from ntm.domain.rules import STATUS_LADDER
from ntm.present.maps.style import PALETTES, RGB, STATUS_COLOURS
from ntm.text import fmt_number, fmt_percent, fmt_pp, status_label, t


@dataclass(frozen=True)
class LegendItem:
    """One legend class: its label, colour and number of units."""

    label: str
    colour: RGB
    count: int

def metric_values(figures: pd.DataFrame, metric: str, level: str) -> pd.Series:
    """The indicator for each row of `unit_figures` (float; object of statuses for commune NTM status)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    return METRICS[metric].values(figures, level)

def is_categorical(metric: str, level: str) -> bool:
    """Whether the indicator is a category (NTM status of communes) rather than a number."""
    return METRICS[metric].is_categorical(level)

ZERO_BREAK = 1e-9   # class limit that puts exact zeros in a class of their own

def quantile_breaks(values: np.ndarray, n: int = 5, decimals: int = 2) -> tuple[float, ...]:
    """Inner class limits splitting `values` into about `n` equal-count classes, rounded to the
    displayed decimals (duplicates dropped). When some values are exactly 0 (common for household
    flows), zeros get a class of their own and the positive values share the other n − 1."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return ()
    zero = bool((values == 0).any()) and values.min() >= 0
    pool = values[values > 0] if zero else values
    k = n - 1 if zero else n
    breaks: set[float] = set()
    if len(pool) and k > 1:
        qs = np.quantile(pool, np.linspace(0, 1, k + 1)[1:-1])
        breaks = {round(float(q), decimals) for q in qs}
        breaks = {b for b in breaks if b > round(float(pool.min()), decimals) and b > 0}
    if zero and len(pool):
        breaks.add(ZERO_BREAK)
    return tuple(sorted(breaks))

def classify(values: np.ndarray, breaks: tuple[float, ...]) -> np.ndarray:
    """Class index of each value (0 … len(breaks)); -1 for missing values."""
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(breaks, dtype=float), values, side="right")
    return np.where(np.isfinite(values), idx, -1)

def pick_colours(palette: tuple[RGB, ...], n: int) -> list[RGB]:
    """`n` colours spread over a palette (light to dark)."""
    if n <= 0:
        return []
    if n >= len(palette):
        return list(palette[:n])
    if n == 1:
        return [palette[len(palette) // 2]]
    return [palette[round(i * (len(palette) - 1) / (n - 1))] for i in range(n)]

def _decimals_needed(breaks, max_decimals: int) -> int:
    for d in range(max_decimals + 1):
        if all(abs(round(b, d) - b) < 1e-9 for b in breaks):
            return d
    return max_decimals

def class_labels(breaks: tuple[float, ...], decimals: int, lang: str) -> list[str]:
    """'< 2', '2 – < 5', …, '≥ 30' with the language's number format ('0' and '> 0 – < x' when
    zeros have their own class)."""
    if not breaks:
        return [t("ui.legend_all", lang)]
    zero = breaks[0] == ZERO_BREAK
    inner = breaks[1:] if zero else breaks
    d = _decimals_needed(inner, decimals)
    f = [fmt_number(b, lang, d) for b in inner]
    if zero:
        if not f:
            return ["0", "> 0"]
        return ["0", f"> 0 – < {f[0]}"] + [f"{a} – < {b}" for a, b in itertools.pairwise(f)] + [f"≥ {f[-1]}"]
    return [f"< {f[0]}"] + [f"{a} – < {b}" for a, b in itertools.pairwise(f)] + [f"≥ {f[-1]}"]

@dataclass(frozen=True)
class Classes:
    """The legend classes of one map: each unit's class, and each class's colour and label."""

    index: np.ndarray                  # class of each unit, -1 = no data
    colours: list[RGB]
    labels: list[str]
    note: str

def make_classes(values: pd.Series, metric: str, level: str, lang: str) -> Classes:
    """Legend classes for the values of one indicator (fixed breaks, quintiles or NTM statuses)."""
    spec = METRICS[metric]
    if spec.is_categorical(level):
        # The 2021–2025 rungs, and the 2026–2030 pilot level when a unit holds it.
        order = [s for s in STATUS_LADDER if s != "modern" or (values == "modern").any()]
        lookup = {s: i for i, s in enumerate(order)}
        index = np.array([lookup.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=int)
        return Classes(index, [STATUS_COLOURS[s] for s in order], [status_label(s, lang) for s in order], "")
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    if spec.breaks is not None:
        breaks, note = spec.breaks, t("ui.legend_fixed", lang)
    else:
        breaks, note = quantile_breaks(numeric, 5, spec.decimals), t("ui.legend_quantile", lang)
    colours = pick_colours(PALETTES[spec.palette], len(breaks) + 1)
    return Classes(classify(numeric, breaks), colours, class_labels(breaks, spec.decimals, lang), note)

def format_value(value, metric: str, level: str, lang: str) -> str:
    """An indicator value as text with its unit ('12,34%', '+1,20 điểm %', 'Đạt chuẩn NTM')."""
    if is_categorical(metric, level):
        return status_label(value, lang) if isinstance(value, str) else t("ui.not_rural", lang)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return t("ui.no_data", lang)
    spec = METRICS[metric]
    if spec.unit == "unit.percent":
        return fmt_percent(value, lang, spec.decimals)
    if spec.unit == "unit.pp":
        return fmt_pp(value, lang, spec.decimals)
    return f"{fmt_number(value, lang, spec.decimals)} {t(spec.unit, lang)}"

def metric_label(metric: str, level: str, lang: str) -> str:
    """Display name of an indicator at a level (NTM status above communes is a share)."""
    return t(METRICS[metric].name_key(level), lang)

def unit_label(metric: str, level: str, lang: str) -> str:
    """Display name of an indicator's unit ('%', 'điểm %', …; 'category' for NTM statuses)."""
    return t("unit.category", lang) if is_categorical(metric, level) else t(METRICS[metric].unit, lang)
