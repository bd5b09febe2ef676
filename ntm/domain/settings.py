"""Configurable rule parameters, read from `data/settings.csv` (editable data, not code)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ntm.domain.rules import RevocationRule
from ntm.paths import data_file


@lru_cache(maxsize=4)
def load_settings(path: Path | None = None) -> dict[str, float]:
    """Key → numeric value from the settings file."""
    with open(path or data_file("settings.csv"), encoding="utf-8") as f:
        return {row["key"]: float(row["value"]) for row in csv.DictReader(f)}


def revocation_rule(key_criteria: frozenset[str] | None = None) -> RevocationRule:
    """The revocation rule with thresholds from the settings file and key criteria from the catalogue."""
    s = load_settings()
    if key_criteria is None:
        from ntm.domain.criteria import key_criteria as catalogue_keys
        key_criteria = catalogue_keys()
    return RevocationRule(share_any=s["revocation_share_any"], share_with_key=s["revocation_share_with_key"],
                          key_criteria=frozenset(key_criteria))


def flow_tolerances() -> tuple[int, float]:
    """(households, share) tolerance of the poverty flow balance."""
    s = load_settings()
    return int(s["flow_tolerance_households"]), s["flow_tolerance_share"]


def reform_code_year() -> int:
    """First reporting year that uses post-July-2025 commune codes."""
    return int(load_settings()["reform_code_year"])
