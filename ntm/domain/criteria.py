"""The NTM criteria sets and their criteria, as data: QĐ 318/QĐ-TTg (19 criteria, 2021–2025) and
QĐ 51/2025/QĐ-TTg (10 criteria, 2026–2030) in `data/criteria_sets.csv` (years, statuses, the revocation
shares, whether a recognition under an earlier set carries over, and whether each rule is confirmed) and
`data/criteria.csv` (names, groups, key criteria and responsible departments per set). A figure row says
which set it was assessed against (`criteria_set`); the same column `c03` means a different criterion in
each set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ntm.domain.rules import CRITERIA, RevocationRule
from ntm.paths import data_file
from ntm.text import localised, t

QD318, QD51 = "QD318_2022", "QD51_2025"


@dataclass(frozen=True)
class CriteriaSet:
    """One set of commune NTM criteria and the rules that go with it."""

    key: str
    first_year: int
    last_year: int
    n_criteria: int
    statuses: tuple[str, ...]          # the ladder of this set, lowest first ("none" included)
    decision: str
    revocation_share_any: float
    revocation_share_with_key: float
    revocation_basis: str
    revocation_verified: bool
    recognition_carries_over: bool     # False: a commune counts as recognised only once recognised against this set
    recognition_basis: str
    recognition_verified: bool
    name_vi: str
    name_en: str

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criterion columns of this set (c01 … c19, or c01 … c10)."""
        return CRITERIA[: self.n_criteria]

    @property
    def recognised(self) -> tuple[str, ...]:
        """The recognised statuses of this set, lowest first."""
        return self.statuses[1:]

    def name(self, lang: str = "vi") -> str:
        """The set's name in the language."""
        return getattr(self, localised("name", lang))

    def holds(self, status: str | None, recognition_year: int | None) -> bool:
        """Does a row of this set with this status and recognition year count as recognised? Under a set
        where recognition starts anew, a recognition dated before the set's first year is history (an
        undated one is taken as the file states it)."""
        if status not in self.recognised:
            return False
        if self.recognition_carries_over or recognition_year is None or pd.isna(recognition_year):
            return True
        return int(recognition_year) >= self.first_year

    def revocation_rule(self) -> RevocationRule:
        """The at-risk rule of this set (shares from the data file, key criteria from the catalogue)."""
        return RevocationRule(share_any=self.revocation_share_any, share_with_key=self.revocation_share_with_key,
                              key_criteria=key_criteria(self.key), n_criteria=self.n_criteria)


@lru_cache(maxsize=1)
def criteria_sets() -> dict[str, CriteriaSet]:
    """Every criteria set, by key, oldest first."""
    df = pd.read_csv(data_file("criteria_sets.csv"), dtype=str, keep_default_na=False)
    out = {}
    for r in df.sort_values("first_year").itertuples():
        out[r.criteria_set] = CriteriaSet(
            r.criteria_set, int(r.first_year), int(r.last_year), int(r.n_criteria), tuple(r.statuses.split()),
            r.decision, float(r.revocation_share_any), float(r.revocation_share_with_key), r.revocation_basis,
            r.revocation_verified.lower() == "true", r.recognition_carries_over.lower() == "true",
            r.recognition_basis, r.recognition_verified.lower() == "true", r.name_vi, r.name_en)
    return out


def criteria_set_for_year(year: int) -> CriteriaSet:
    """The set a reporting year is assessed against (the newest set that has started by then; the
    oldest for years before any set)."""
    sets = list(criteria_sets().values())
    started = [s for s in sets if s.first_year <= year]
    return started[-1] if started else sets[0]


def criteria_set(key: str | None, year: int | None = None) -> CriteriaSet:
    """A set by key, or the year's set when `key` is empty."""
    if key:
        return criteria_sets()[key]
    return criteria_set_for_year(year or 0)


def set_decision(key: str) -> str:
    """The decision a criteria set was issued by, as a reader cites it ('QĐ 51/2025/QĐ-TTg',
    'QĐ 318/QĐ-TTg'): the first document of its `decision`, without the date."""
    return criteria_set(key).decision.split(";")[0].split(" (")[0].strip()


def set_choice(key: str, lang: str = "vi") -> str:
    """A criteria set as a file names it: its decision and its number of criteria ('QĐ 51/2025/QĐ-TTg (10
    tiêu chí)')."""
    return t("template.criteria_set_choice", lang, decision=set_decision(key), n=criteria_set(key).n_criteria)


@lru_cache(maxsize=1)
def load_criteria() -> pd.DataFrame:
    """One row per criterion of each set: criteria_set, criterion, number, VI/EN names and groups, key
    flag, responsible department, verified."""
    df = pd.read_csv(data_file("criteria.csv"), dtype=str, keep_default_na=False)
    df["number"] = df["number"].astype(int)
    df["is_key"] = df["is_key"].str.lower().eq("true")
    df["verified"] = df["verified"].str.lower().eq("true")
    return df


def _of_set(key: str) -> pd.DataFrame:
    df = load_criteria()
    return df[df["criteria_set"] == key]


def key_criteria(key: str = QD318) -> frozenset[str]:
    """The key criteria of a set: with ≥ 30% failed, one of them failing puts recognition at risk
    (QĐ 18/2022: Income, Environment & food safety, Defence & security)."""
    df = _of_set(key)
    return frozenset(df.loc[df["is_key"], "criterion"])


def criterion_names(lang: str = "vi", key: str = QD318) -> dict[str, str]:
    """Criterion code → display name in the language ("TC10 Thu nhập") for one set."""
    df = _of_set(key)
    names = df[localised("name", lang)]
    return {code: f"{t('criterion.short', lang, n=n)} {name}" for code, n, name in zip(df["criterion"], df["number"], names)}
