"""The columns of the yearly commune file (the file contract): canonical names, kinds, which are required,
the spellings analysts type (folded, without diacritics) and, for the measures a mistyped separator or unit
turns into another number, the range a commune's value plausibly lies in. Their headers in each language
are catalogue text (`column.<name>`). The figures stored per commune and year follow from these columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from ntm.domain.rules import CRITERIA
from ntm.text import t


@dataclass(frozen=True)
class Column:
    """One column of the yearly file."""

    name: str                 # canonical (the English template's header)
    kind: str                 # int, decimal, code, text, status, flag, choice, standard
    required: bool = False
    aliases: tuple[str, ...] = ()
    # (low, high) a commune's value plausibly lies in (docs/domain.md §6.7): outside it is a warning, a
    # separator the column leaves ambiguous is read so that its values fall inside it, and the value is
    # compared with last year's (`value_jump_factor` in data/settings.csv).
    plausible: tuple[float, float] | None = None
    # What the template's instructions say the column holds (`template.kind_<guide>`), when its kind says
    # too little: a year, households or people, criteria met, a commune group.
    guide: str | None = None

    @property
    def header_vi(self) -> str:
        """The header in the Vietnamese template (catalogue `column.<name>`)."""
        return t(f"column.{self.name}", "vi")

    def header(self, lang: str = "vi") -> str:
        """The header in the template of `lang`."""
        return t(f"column.{self.name}", lang)


COLUMNS: tuple[Column, ...] = (
    Column("year", "int", True, ("nam bao cao", "nam"), guide="year"),
    Column("commune_code", "code", True, ("ma don vi", "ma dvhc", "ma xa phuong", "ma")),
    Column("commune_name", "text", aliases=("xa", "ten don vi", "xa phuong thi tran", "ten xa phuong",
                                            "ten xa phuong thi tran", "don vi")),
    Column("district_name", "text", aliases=("ten huyen", "quan huyen")),
    Column("province_name", "text", aliases=("ten tinh", "tinh thanh pho")),
    Column("households", "int", True, ("so ho", "tong ho", "tong so ho dan cu"), plausible=(20, 150_000),
           guide="households"),
    Column("population", "int", aliases=("nhan khau", "dan so", "so khau"), plausible=(50, 600_000), guide="people"),
    Column("poor_households", "int", True, ("ho ngheo", "so ho ngheo cuoi nam"), guide="households"),
    Column("near_poor_households", "int", True, ("ho can ngheo", "so ho can ngheo cuoi nam"), guide="households"),
    Column("escaped_poverty", "int", aliases=("ho thoat ngheo", "thoat ngheo"), guide="households"),
    Column("fell_back_into_poverty", "int", aliases=("ho tai ngheo", "tai ngheo"), guide="households"),
    Column("newly_poor", "int",
           aliases=("ho ngheo phat sinh", "phat sinh", "ho ngheo phat sinh moi", "so ho ngheo phat sinh moi"),
           guide="households"),
    Column("near_poor_to_poor", "int",
           aliases=("ho can ngheo chuyen thanh ho ngheo", "so ho can ngheo chuyen thanh ho ngheo",
                    "can ngheo thanh ngheo", "can ngheo chuyen ngheo"), guide="households"),
    Column("ethnic_minority_households", "int", aliases=("ho dtts", "so ho dan toc thieu so"), guide="households"),
    Column("ethnic_minority_poor_households", "int",
           aliases=("ho ngheo dtts", "so ho ngheo dan toc thieu so"), guide="households"),
    Column("income_per_capita", "decimal",          # million VND per person per year
           aliases=("thu nhap binh quan", "thu nhap binh quan dau nguoi", "thu nhap"), plausible=(8, 300)),
    Column("ntm_status", "status",
           aliases=("muc dat chuan", "muc dat chuan nong thon moi", "tinh trang ntm", "dat chuan ntm")),
    Column("ntm_recognition_year", "int", aliases=("nam cong nhan ntm", "nam dat chuan"), guide="recognition_year"),
    Column("criteria_met", "int", aliases=("so tieu chi dat chuan", "tieu chi dat", "so tc dat"), guide="criteria_met"),
    Column("criteria_set", "choice", aliases=("bo tieu chi", "bo tieu chi ntm")),
    Column("commune_group", "int", aliases=("nhom xa", "nhom", "nhom xa qd 51"), guide="commune_group"),
    Column("poverty_standard", "standard", aliases=("chuan ngheo", "chuan ngheo ap dung", "ma chuan ngheo")),
    *(Column(c, "flag") for c in CRITERIA),
)
BY_NAME = {c.name: c for c in COLUMNS}


@dataclass(frozen=True)
class Ratio:
    """One column per another within a commune, with the range it plausibly lies in (docs/domain.md §6.7);
    its warning is catalogue text `range.<key>` on the numerator's column."""

    key: str
    numerator: str
    denominator: str
    low: float
    high: float


RATIOS: tuple[Ratio, ...] = (Ratio("people_per_household", "population", "households", 1.5, 8.0),)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
# The figures stored per commune and year (in `commune_year`, in this order), and their SQL types.
SQL_TYPES = {"int": "INTEGER", "decimal": "DOUBLE", "status": "VARCHAR", "flag": "BOOLEAN", "choice": "VARCHAR"}
FIGURE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind in SQL_TYPES and c.name != "year")
