"""Configurable rule parameters, read from `data/settings.csv` (editable data, not code)."""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

from ntm.paths import data_file


@lru_cache(maxsize=4)
def load_settings(path: Path | None = None) -> dict[str, float]:
    """Key → numeric value from the settings file."""
    with open(path or data_file("settings.csv"), encoding="utf-8") as f:
        return {row["key"]: float(row["value"]) for row in csv.DictReader(f)}


def flow_tolerances() -> tuple[int, float]:
    """(households, share) tolerance of the poverty flow balance."""
    s = load_settings()
    return int(s["flow_tolerance_households"]), s["flow_tolerance_share"]


@lru_cache(maxsize=4)
def _deadline_exceptions(path: Path | None = None) -> dict[int, date]:
    """Year → deadline named in `data/reporting_deadlines.csv` (years it does not name follow the rule)."""
    with open(path or data_file("reporting_deadlines.csv"), encoding="utf-8") as f:
        return {int(row["year"]): date.fromisoformat(row["deadline"]) for row in csv.DictReader(f) if row["year"]}


def reporting_deadline(year: int) -> date:
    """When a year's commune files are due: the date `data/reporting_deadlines.csv` names for the year, else
    the settings' day of the following year (`reporting_deadline_month` / `_day`: 15 January)."""
    s = load_settings()
    return _deadline_exceptions().get(year) or date(year + 1, int(s["reporting_deadline_month"]),
                                                    int(s["reporting_deadline_day"]))
