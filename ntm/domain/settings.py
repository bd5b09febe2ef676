"""Configurable rule parameters, read from `data/settings.csv` (editable data, not code)."""

from __future__ import annotations

import csv
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
