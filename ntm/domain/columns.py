"""The columns of the yearly commune file (the file contract): canonical names, kinds, which are required,
the spellings analysts type (folded, without diacritics) and, for the measures a mistyped separator or unit
turns into another number, the range a commune's value plausibly lies in. Their headers in each language
are catalogue text (`column.<name>`), and so are the words of a choice column's values
(`choice.<name>.<code>`). Everything else follows from an entry here: reading and checking by kind, the
template and its drop-downs, the stored figures (the schema of a new database, the migration step that adds
a column to an existing one), how a new commune's figure is made from the old communes that formed it, and
the column table of docs/file-format.md (checked by a test).

The kinds, what each reads, stores, and how it is merged onto a new commune (`merge_rule`; the rules are
SQL in `ntm.store.figures`):

    int       a whole number ≥ 0; only `values` when given        INTEGER   sum: the predecessors' sum (× weight)
    decimal   a number ≥ 0, rounded to `decimals` places           DOUBLE    mean: weighted by population
                                                                             (households when missing),
                                                                             kept to its places
    flag      met or not (Đạt / Chưa đạt, 1 / 0, x / blank …)      BOOLEAN   all: met only when every
                                                                             predecessor met it
    choice    one of `values`, by its code or its words            VARCHAR   same: the predecessors' common
                                                                             value, none when they differ
    status    an NTM level of the file's criteria set               VARCHAR   lowest_level: the lowest of the
                                                                             predecessors that can hold one
    set       a criteria set (the year's when empty)                VARCHAR   any: one predecessor's
    code, text, standard: the commune's code and names, and the poverty standard, stored apart
"""

from __future__ import annotations

from dataclasses import dataclass

from ntm.domain.rules import CRITERIA
from ntm.text import t


@dataclass(frozen=True)
class Column:
    """One column of the yearly file."""

    name: str                 # canonical (the English template's header)
    kind: str                 # int, decimal, flag, choice, status, set, code, text, standard (above)
    required: bool = False
    aliases: tuple[str, ...] = ()
    # (low, high) a commune's value plausibly lies in (docs/domain.md §6.7): outside it is a warning, a
    # separator the column leaves ambiguous is read so that its values fall inside it, and the value is
    # compared with last year's (`value_jump_factor` in data/settings.csv).
    plausible: tuple[float, float] | None = None
    # What the template's instructions say the column holds (`template.kind_<guide>`), when its kind says
    # too little: a year, households or people, criteria met, a commune group.
    guide: str | None = None
    decimals: int | None = None         # a decimal column: the places a value keeps
    # A choice column: the codes it stores, each also read by its words (catalogue `choice.<name>.<code>`);
    # an int column: the only numbers it takes (a drop-down in the template).
    values: tuple = ()
    merge: str | None = None            # a rule of its own instead of its kind's (`merge_rule`)
    total: str | None = None            # its sum's name where reads total a group of communes

    def __post_init__(self) -> None:
        if self.kind == "decimal" and self.decimals is None:
            raise ValueError(f"column {self.name}: a decimal column says its decimals")
        if self.kind == "choice" and not self.values:
            raise ValueError(f"column {self.name}: a choice column lists its values")

    @property
    def merge_rule(self) -> str | None:
        """How a new commune's figure is made from the old communes that formed it (None: not a figure)."""
        return self.merge or MERGE.get(self.kind)

    @property
    def sql_type(self) -> str:
        """Its type in `commune_year` and the figures tables."""
        return SQL_TYPES[self.kind]

    @property
    def header_vi(self) -> str:
        """The header in the Vietnamese template (catalogue `column.<name>`)."""
        return t(f"column.{self.name}", "vi")

    def header(self, lang: str = "vi") -> str:
        """The header in the template of `lang`."""
        return t(f"column.{self.name}", lang)

    def value_words(self, code, lang: str = "vi") -> str:
        """The words of a choice column's value in `lang` (catalogue `choice.<name>.<code>`); a number as it is."""
        return t(f"choice.{self.name}.{code}", lang) if self.kind == "choice" else str(code)


# The merge rule of each kind of figure (the module docstring); a column may name another (`Column.merge`).
MERGE = {"int": "sum", "decimal": "mean", "flag": "all", "choice": "same", "status": "lowest_level", "set": "any"}

COLUMNS: tuple[Column, ...] = (
    Column("year", "int", True, ("nam bao cao", "nam"), guide="year"),
    Column("commune_code", "code", True, ("ma don vi", "ma dvhc", "ma xa phuong", "ma")),
    Column("commune_name", "text", aliases=("xa", "ten don vi", "xa phuong thi tran", "ten xa phuong",
                                            "ten xa phuong thi tran", "don vi")),
    Column("district_name", "text", aliases=("ten huyen", "quan huyen")),
    Column("province_name", "text", aliases=("ten tinh", "tinh thanh pho")),
    Column("households", "int", True, ("so ho", "tong ho", "tong so ho dan cu"), plausible=(20, 150_000),
           guide="households", total="households"),
    Column("population", "int", aliases=("nhan khau", "dan so", "so khau"), plausible=(50, 600_000), guide="people",
           total="population"),
    Column("poor_households", "int", True, ("ho ngheo", "so ho ngheo cuoi nam"), guide="households", total="poor"),
    Column("near_poor_households", "int", True, ("ho can ngheo", "so ho can ngheo cuoi nam"), guide="households",
           total="near_poor"),
    Column("escaped_poverty", "int", aliases=("ho thoat ngheo", "thoat ngheo"), guide="households", total="escaped"),
    Column("fell_back_into_poverty", "int", aliases=("ho tai ngheo", "tai ngheo"), guide="households",
           total="fell_back"),
    Column("newly_poor", "int",
           aliases=("ho ngheo phat sinh", "phat sinh", "ho ngheo phat sinh moi", "so ho ngheo phat sinh moi"),
           guide="households", total="newly_poor"),
    Column("near_poor_to_poor", "int",
           aliases=("ho can ngheo chuyen thanh ho ngheo", "so ho can ngheo chuyen thanh ho ngheo",
                    "can ngheo thanh ngheo", "can ngheo chuyen ngheo"), guide="households", total="near_to_poor"),
    Column("ethnic_minority_households", "int", aliases=("ho dtts", "so ho dan toc thieu so"), guide="households",
           total="em_households"),
    Column("ethnic_minority_poor_households", "int",
           aliases=("ho ngheo dtts", "so ho ngheo dan toc thieu so"), guide="households", total="em_poor"),
    Column("income_per_capita", "decimal", decimals=4,          # million VND per person per year
           aliases=("thu nhap binh quan", "thu nhap binh quan dau nguoi", "thu nhap"), plausible=(8, 300),
           guide="income"),
    Column("ntm_status", "status",
           aliases=("muc dat chuan", "muc dat chuan nong thon moi", "tinh trang ntm", "dat chuan ntm")),
    # A recognition year is kept when every predecessor was recognised; the criteria met are counted from the
    # merged criteria (the fewest any predecessor met when one is unknown); a group is not carried over.
    Column("ntm_recognition_year", "int", aliases=("nam cong nhan ntm", "nam dat chuan"), guide="recognition_year",
           merge="recognition_year"),
    Column("criteria_met", "int", aliases=("so tieu chi dat chuan", "tieu chi dat", "so tc dat"), guide="criteria_met",
           merge="criteria_met"),
    Column("criteria_set", "set", aliases=("bo tieu chi", "bo tieu chi ntm")),
    Column("commune_group", "int", aliases=("nhom xa", "nhom", "nhom xa qd 51"), guide="commune_group",
           values=(1, 2, 3), merge="none"),
    Column("poverty_standard", "standard", aliases=("chuan ngheo", "chuan ngheo ap dung", "ma chuan ngheo")),
    # A criterion is judged only on the predecessors that can hold an NTM status (wards and townships cannot).
    *(Column(c, "flag", guide="criterion", merge="criterion") for c in CRITERIA),
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
SQL_TYPES = {"int": "INTEGER", "decimal": "DOUBLE", "status": "VARCHAR", "flag": "BOOLEAN", "choice": "VARCHAR",
             "set": "VARCHAR"}
FIGURE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind in SQL_TYPES and c.name != "year")
# The counts among them: summed when old communes form a new one.
COUNTS: tuple[str, ...] = tuple(c for c in FIGURE_COLUMNS if BY_NAME[c].merge_rule == "sum")
