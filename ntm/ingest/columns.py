"""The columns of the yearly commune file (CSV_CONTRACT.md): canonical names, Vietnamese headers and
the spellings analysts type, matched on a normalised form (case, spacing, diacritics, Unicode form)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ntm.domain.names import header_key
from ntm.text import t
from ntm.domain.rules import CRITERIA


@dataclass(frozen=True)
class Column:
    """One column of the yearly file."""

    name: str                 # canonical (the English template's header)
    kind: str                 # int, decimal, code, text, status, flag
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def header_vi(self) -> str:
        """The header in the Vietnamese template (catalogue `column.<name>`)."""
        return t(f"column.{self.name}", "vi")

    def header(self, lang: str = "vi") -> str:
        """The header in the template of `lang`."""
        return t(f"column.{self.name}", lang)


COLUMNS: tuple[Column, ...] = (
    Column("year", "int", True, ("nam bao cao", "nam")),
    Column("commune_code", "code", True, ("ma don vi", "ma dvhc", "ma xa phuong", "ma")),
    Column("commune_name", "text", aliases=("xa", "ten don vi", "xa phuong thi tran", "ten xa phuong",
                                            "ten xa phuong thi tran", "don vi")),
    Column("district_name", "text", aliases=("ten huyen", "quan huyen")),
    Column("province_name", "text", aliases=("ten tinh", "tinh thanh pho")),
    Column("households", "int", True, ("so ho", "tong ho", "tong so ho dan cu")),
    Column("population", "int", aliases=("nhan khau", "dan so", "so khau")),
    Column("poor_households", "int", True, ("ho ngheo", "so ho ngheo cuoi nam")),
    Column("near_poor_households", "int", True, ("ho can ngheo", "so ho can ngheo cuoi nam")),
    Column("escaped_poverty", "int", aliases=("ho thoat ngheo", "thoat ngheo")),
    Column("fell_back_into_poverty", "int", aliases=("ho tai ngheo", "tai ngheo")),
    Column("newly_poor", "int",
           aliases=("ho ngheo phat sinh", "phat sinh", "ho ngheo phat sinh moi", "so ho ngheo phat sinh moi")),
    Column("ethnic_minority_households", "int", aliases=("ho dtts", "so ho dan toc thieu so")),
    Column("ethnic_minority_poor_households", "int",
           aliases=("ho ngheo dtts", "so ho ngheo dan toc thieu so")),
    Column("income_per_capita", "decimal",
           aliases=("thu nhap binh quan", "thu nhap binh quan dau nguoi", "thu nhap")),
    Column("ntm_status", "status",
           aliases=("muc dat chuan", "muc dat chuan nong thon moi", "tinh trang ntm", "dat chuan ntm")),
    Column("ntm_recognition_year", "int", aliases=("nam cong nhan ntm", "nam dat chuan")),
    Column("criteria_met", "int", aliases=("so tieu chi dat chuan", "tieu chi dat", "so tc dat")),
    *(Column(c, "flag") for c in CRITERIA),
)
BY_NAME = {c.name: c for c in COLUMNS}
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
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
