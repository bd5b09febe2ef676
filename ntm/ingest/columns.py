"""Matching the headers analysts type to the yearly file's columns (`ntm.domain.columns`), on a normalised
form (case, spacing, diacritics, Unicode form, a unit in brackets, 'TC 1' / 'Tiêu chí 01')."""

from __future__ import annotations

import re
from functools import lru_cache

from ntm.domain.columns import COLUMNS, Column
from ntm.domain.criteria import QD51, criteria_set_for_year
from ntm.domain.names import header_key
from ntm.domain.rules import CRITERIA
from ntm.domain.units import POST, REFORM_YEAR, systems_for_year

IGNORED_HEADERS = {"stt", "tt", "sothutu", "ghichu", "note", "notes"}

_CRITERION = re.compile(r"^(?:tc|c|tieuchi|tieuchiso|criterion)0?(\d{1,2})(?:[a-z][a-z0-9]*)?$")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Folded header (name, Vietnamese header or alias) → column name."""
    lookup: dict[str, str] = {}
    for col in COLUMNS:
        for text in (col.name, col.header_vi, *col.aliases):
            lookup.setdefault(header_key(text), col.name)
    return lookup


def canonical_column(header: str) -> str | None:
    """Canonical column for a header as typed ("MÃ XÃ", "Ma xa", "TC 1", "Tiêu chí 01" …), or None."""
    key = header_key(header)
    if not key:
        return None
    lookup = _lookup()
    if key in lookup:
        return lookup[key]
    bare = header_key(_PARENTHESES.sub(" ", header))      # "Tổng số hộ (hộ)" → "Tổng số hộ"
    if bare in lookup:
        return lookup[bare]
    m = _CRITERION.match(bare)
    if m and 1 <= int(m.group(1)) <= len(CRITERIA):
        return f"c{int(m.group(1)):02d}"
    return None


def is_known_header(header: str) -> bool:
    """True for a header that names a known column (used to find the header row)."""
    return canonical_column(header) is not None


def is_ignored_header(header: str) -> bool:
    """Row-number and notes columns that are dropped without a warning."""
    return header_key(header) in IGNORED_HEADERS or not header.strip()


def template_columns(year: int | None = None, system: str | None = None) -> list[Column]:
    """The columns of a year's template: the year's criteria set's criteria (TC1–TC19 to 2025, TC1–TC10
    from 2026) and, from 2026, the commune group; no district column for the new units."""
    year = year or REFORM_YEAR
    system = system or systems_for_year(year)[0]
    cset = criteria_set_for_year(year)
    out = []
    for c in COLUMNS:
        if c.name in CRITERIA[cset.n_criteria:] or (c.name == "district_name" and system == POST):
            continue
        if c.name == "commune_group" and cset.key != QD51:
            continue
        out.append(c)
    return out

