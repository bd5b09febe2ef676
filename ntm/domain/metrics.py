"""The map indicators, one registry entry each: what they divide, their unit, how their classes are cut,
which palette colours them and which direction is better. The map's read, the map, its legend, its table
and the URL state all read `METRICS`; adding an indicator is one entry here plus its name in the
catalogue (`metric.<key>`).

An indicator's value for a unit is 100 × sum(numerator columns) / denominator over the commune figures
summed per unit (`ntm.read.geography.unit_figures`), the numerator itself when there is no denominator,
or — for a `change` — that rate minus the same rate the year before (percentage points). A figure is a
name the map's read already sums (households, poor, rural, recognised …) or a count column of the yearly
file (`ntm.domain.columns`), summed under its own name; a `change` has its figures read for the year
before too. At commune level an indicator with `commune_column` shows that column instead (a commune's
own NTM status or criteria met).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ntm.domain.rules import pct


@dataclass(frozen=True)
class Metric:
    """One map indicator (see the module's docstring)."""

    key: str
    numerator: tuple[str, ...]
    denominator: str | None = "households"
    unit: str = "unit.percent"                   # catalogue key of the unit
    decimals: int = 2
    breaks: tuple[float, ...] | None = None      # inner class limits (v in class i when b[i-1] <= v < b[i]); None: quintiles
    palette: str = "YlOrRd"                      # ColorBrewer name (`ntm.present.maps.PALETTES`)
    higher_is_better: bool = False
    change: bool = False
    commune_column: str | None = None
    categorical_at_commune: bool = False         # a category (NTM status), not a number, at commune level
    name_above_commune: str | None = None        # catalogue key of its name above the commune level

    @property
    def figures(self) -> tuple[str, ...]:
        """The unit figures the indicator divides: its numerator columns, then its denominator."""
        return self.numerator + ((self.denominator,) if self.denominator else ())

    def is_categorical(self, level: str) -> bool:
        """Whether the indicator is a category rather than a number at `level`."""
        return self.categorical_at_commune and level == "commune"

    def name_key(self, level: str) -> str:
        """Catalogue key of the indicator's name at `level`."""
        return self.name_above_commune if self.name_above_commune and level != "commune" else f"metric.{self.key}"

    def values(self, figures: pd.DataFrame, level: str) -> pd.Series:
        """The indicator for each row of the unit figures (statuses as objects for a category)."""
        if level == "commune" and self.commune_column:
            column = figures[self.commune_column]
            if self.categorical_at_commune:
                return column.astype(object).where(column.notna(), None)
            return pd.to_numeric(column, errors="coerce").astype(float)
        value = self._rate(figures, "")
        return value - self._rate(figures, "_prev") if self.change else value

    def _rate(self, figures: pd.DataFrame, suffix: str) -> pd.Series:
        num = sum(pd.to_numeric(figures[c + suffix], errors="coerce") for c in self.numerator)
        if self.denominator is None:
            return num.astype(float)
        return pct(num, figures[self.denominator + suffix])


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("ntm_status", ("recognised",), "rural", decimals=1, breaks=(20, 40, 60, 80), palette="Greens",
           higher_is_better=True, commune_column="status", categorical_at_commune=True,
           name_above_commune="metric.ntm_share"),
    Metric("criteria_met", ("criteria_avg",), None, "unit.criteria", 1, (10, 13, 16, 19), "Greens", True,
           commune_column="criteria_met", name_above_commune="metric.criteria_avg"),
    Metric("poor_rate", ("poor",), breaks=(2, 5, 10, 20, 30)),
    Metric("poor_near_rate", ("poor", "near_poor"), breaks=(5, 10, 20, 30, 50)),
    Metric("escaped_per100", ("escaped",), unit="unit.per100", palette="Greens", higher_is_better=True),
    Metric("fell_back_per100", ("fell_back",), unit="unit.per100", palette="Oranges"),
    Metric("newly_poor_per100", ("newly_poor",), unit="unit.per100", palette="Purples"),
    Metric("poor_rate_change", ("poor",), unit="unit.pp", breaks=(-3, -1.5, -0.5, 0.5, 1.5), palette="RdYlGn",
           change=True),
)}
DEFAULT_METRIC = "poor_rate"
