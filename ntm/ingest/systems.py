"""What a yearly file is on, across the 2025 reform: its unit system (detected from its codes and names,
the year a hint — a 2025 file may be on either; a file mixing systems is refused with the rows named; an
old code in a file on the new units says which new commune it became) and its NTM criteria set (the
`criteria_set` column, else the year's), with the checks that depend on the set: statuses of the set,
criterion columns the set does not have, districts on the new units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ntm.domain.criteria import CriteriaSet, criteria_set, criteria_set_for_year, set_decision
from ntm.domain.periods import (is_local, local_standards, poverty_standard_for_year, poverty_standards,
                                standard_decision, standard_province, years_confirmed)
from ntm.domain.rules import CRITERIA
from ntm.domain.units import POST, PRE, systems_for_year
from ntm.ingest.validation import Issue
from ntm.read.units import match_systems, new_communes_of


def _fits(m: pd.DataFrame, system: str) -> pd.Series:
    """Rows whose code names a commune of `system` and whose name (when given) agrees."""
    return (m[f"code_{system}"] & m[f"name_{system}"].fillna(True)).astype(bool)


def detect_system(con, rows: pd.DataFrame, header: dict[str, str], year: int, issues: list[Issue]) -> tuple[str, set[int]]:
    """The unit system of a file's codes, and the Excel rows already reported as being on the other one."""
    candidates = systems_for_year(year)
    m = match_systems(con, rows)
    system = candidates[0]
    if len(candidates) > 1:
        named = {s: int(m[f"name_{s}"].fillna(False).sum()) for s in candidates}
        fits = {s: int(_fits(m, s).sum()) for s in candidates}
        districts = "district_name" in rows and rows["district_name"].notna().any()
        system = max(candidates, key=lambda s: (named[s], fits[s], (s == PRE) == districts))
        issues.append(Issue("info", "system.detected", params={"system_key": f"system.{system}", "year": year}))
    other = POST if system == PRE else PRE
    only_other = (m[f"code_{other}"] & m[f"name_{other}"].fillna(False) & ~_fits(m, system)).to_numpy(dtype=bool)
    er = rows["excel_row"].to_numpy()
    code_col = header.get("commune_code")
    reported: set[int] = set()
    moved = new_communes_of(con, rows.loc[only_other & (other == PRE), "commune_code"].tolist()) if other == PRE else {}
    for i in np.flatnonzero(only_other):
        code = str(rows["commune_code"].iloc[i])
        if other in candidates:
            issues.append(Issue("error", "system.mixed", int(er[i]), code_col, code,
                                {"system_key": f"system.{other}", "file_system_key": f"system.{system}"}))
        elif code in moved:
            new_code, new_name = moved[code]
            issues.append(Issue("error", "code.old_unit", int(er[i]), code_col, code,
                                {"year": year, "new_code": new_code, "new_name": new_name}))
        else:
            continue
        reported.add(int(er[i]))
    return system, reported


def resolve_criteria_set(rows: pd.DataFrame, header: dict[str, str], year: int, issues: list[Issue]) -> CriteriaSet:
    """The file's criteria set: its `criteria_set` column (one value for the whole file, in force in the
    year), else the year's set."""
    default = criteria_set_for_year(year)
    given = rows["criteria_set"] if "criteria_set" in rows else pd.Series(None, index=rows.index, dtype=object)
    if given.notna().any():
        chosen = criteria_set(given.dropna().mode().iloc[0])
    else:
        chosen = default
    er = rows["excel_row"].to_numpy()
    col = header.get("criteria_set")
    for i in np.flatnonzero((given.notna() & given.ne(chosen.key)).to_numpy()):
        issues.append(Issue("error", "criteria_set.mixed", int(er[i]), col, set_decision(given.iloc[i]),
                            {"set": set_decision(chosen.key)}))
    if not chosen.first_year <= year <= chosen.last_year:
        issues.append(Issue("error", "criteria_set.year", column=col, value=set_decision(chosen.key),
                            params={"year": year, "first": chosen.first_year, "last": chosen.last_year,
                                    "expected": set_decision(default.key)}))
    return chosen


def resolve_poverty_standard(rows: pd.DataFrame, header: dict[str, str], year: int, system: str,
                             issues: list[Issue]) -> str:
    """The standard the file's poverty figures are measured with: its `poverty_standard` column (one for
    the file, measuring the year's review; a province's own standard only for that province's communes),
    else the year's national standard — with a warning when the file's province has its own standard then
    (docs/domain.md §2.6: Quảng Ninh 2023–2025), so the analyst says which one the figures follow, and a
    note when the year's national standard is not confirmed for that review (§2.7: NĐ 351/2025 from 2026)."""
    national = poverty_standard_for_year(year)
    given = rows["poverty_standard"] if "poverty_standard" in rows else pd.Series(None, index=rows.index, dtype=object)
    col, er = header.get("poverty_standard"), rows["excel_row"].to_numpy()
    provinces = sorted(p for p in rows["province_code"].dropna().unique()) if "province_code" in rows else []
    if not given.notna().any():
        for code in provinces:
            for r in local_standards(code, year, system).itertuples():
                issues.append(Issue("warning", "poverty_standard.local_available", value=code,
                                    params={"standard": r.decision, "national": standard_decision(national),
                                            "first": r.first_year, "last": r.last_year}))
        if not years_confirmed(national):
            spec = poverty_standards().set_index("poverty_standard").loc[national]
            issues.append(Issue("info", "poverty_standard.assumed", column=col, params={
                "year": year, "standard": spec["decision"],
                "rural_number": int(spec["income_rural_vnd"]), "urban_number": int(spec["income_urban_vnd"])}))
        return national
    chosen = given.dropna().mode().iloc[0]
    for i in np.flatnonzero((given.notna() & given.ne(chosen)).to_numpy()):
        issues.append(Issue("error", "poverty_standard.mixed", int(er[i]), col, standard_decision(given.iloc[i]),
                            {"standard": standard_decision(chosen)}))
    _check_standard_year(chosen, year, national, col, issues)
    spec = poverty_standards().set_index("poverty_standard").loc[chosen]
    own = standard_province(spec, system)
    if is_local(spec):                        # a province's own: only for its communes (in the file's system)
        other = rows["province_code"].notna() & rows["province_code"].ne(own)
        key = "poverty_standard.other_province" if own else "poverty_standard.other_system"
        where = standard_province(spec, PRE if system == POST else POST)
        for i in np.flatnonzero(other.to_numpy()):
            issues.append(Issue("error", key, int(er[i]), col, standard_decision(chosen),
                                {"province": own or where, "national": standard_decision(national),
                                 "system_key": f"system.{PRE if system == POST else POST}"}))
    return chosen


def _check_standard_year(chosen: str, year: int, national: str, col: str | None, issues: list[Issue]) -> None:
    """A standard named for a review year it does not measure is an error — a warning only when the year's
    national standard is itself unconfirmed for that review and the file names the one it replaced (the
    review of 2026 under NĐ 07/2021): the file may be right, so it is recorded as written."""
    specs = poverty_standards().set_index("poverty_standard")
    first, last = int(specs.at[chosen, "first_year"]), int(specs.at[chosen, "last_year"])
    if first <= year <= last:
        return
    if not years_confirmed(national) and not is_local(specs.loc[chosen]) and last == year - 1:
        issues.append(Issue("warning", "poverty_standard.year_unconfirmed", column=col, value=standard_decision(chosen),
                            params={"year": year, "expected": standard_decision(national)}))
        return
    issues.append(Issue("error", "poverty_standard.year", column=col, value=standard_decision(chosen),
                        params={"year": year, "first": first, "last": last, "expected": standard_decision(national)}))


def check_set(rows: pd.DataFrame, header: dict[str, str], cset: CriteriaSet, system: str,
              issues: list[Issue]) -> None:
    """Statuses the set does not have, criterion columns beyond the set, and districts given for units that
    have none."""
    er = rows["excel_row"].to_numpy()
    status = rows["ntm_status"]
    wrong = status.notna() & ~status.isin(list(cset.statuses))
    allowed = [f"status.{s}" for s in cset.statuses]
    for i in np.flatnonzero(wrong.to_numpy()):
        issues.append(Issue("error", "status.not_in_set", int(er[i]), header.get("ntm_status"), None,
                            {"status_key": f"status.{status.iloc[i]}", "set": set_decision(cset.key),
                             "allowed_keys": allowed}))
    for c in CRITERIA[cset.n_criteria:]:
        if c in header and rows[c].notna().any():
            issues.append(Issue("error", "criteria.column_not_in_set", column=header[c],
                                params={"set": set_decision(cset.key), "n": cset.n_criteria}))
        rows[c] = pd.NA
    if system == POST and "district_name" in header and rows["district_name"].notna().any():
        issues.append(Issue("info", "district.ignored", column=header["district_name"]))
        rows["district_name"] = None
