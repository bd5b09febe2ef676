"""Matching the headers analysts type to the yearly file's columns (`ntm.domain.columns`), on a normalised
form (case, spacing, diacritics, Unicode form, a unit in brackets, 'TC 1' / 'Tiêu chí 01')."""

from __future__ import annotations

import re

from ntm.domain.columns import COLUMNS
from ntm.domain.names import header_key
from ntm.domain.rules import CRITERIA

IGNORED_HEADERS = {"stt", "tt", "sothutu", "ghichu", "note", "notes"}

_CRITERION = re.compile(r"^(?:tc|c|tieuchi|tieuchiso|criterion)0?(\d{1,2})(?:[a-z][a-z0-9]*)?$")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for col in COLUMNS:
        for text in (col.name, col.header_vi, *col.aliases):
            lookup.setdefault(header_key(text), col.name)
    return lookup


_LOOKUP = _build_lookup()


def canonical_column(header: str) -> str | None:
    """Canonical column for a header as typed ("MÃ XÃ", "Ma xa", "TC 1", "Tiêu chí 01" …), or None."""
    key = header_key(header)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    bare = header_key(_PARENTHESES.sub(" ", header))      # "Tổng số hộ (hộ)" → "Tổng số hộ"
    if bare in _LOOKUP:
        return _LOOKUP[bare]
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


def template_headers(lang: str = "vi") -> list[str]:
    """Header row of the yearly template in the language."""
    return [c.header(lang) for c in COLUMNS]
