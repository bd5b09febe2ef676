"""The unit list loaded into the database: every unit version of both systems, from the
`vietnamadminunits` package (MIT; SQLite tables `admin_units_legacy` and `admin_units` and
`converter_2025.json`), the old→new crosswalk of 1 July 2025, and the project's own
`data/unit_changes.csv` for units that no longer exist (e.g. communes merged before 2025). The
package's coordinates are approximate (geocoded).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from importlib import resources
from pathlib import Path

import pandas as pd

from ntm.domain.names import name_key
from ntm.domain.units import POST, PRE, PRE_END, REFORM_CHANGE, REFORM_DATE, unit_id
from ntm.paths import data_file
from ntm.store.crosswalk import refresh_crosswalk

PACKAGE_SOURCE = "vietnamadminunits 1.0.4 (MIT)"
UNIT_COLUMNS = ["unit_id", "system", "level", "code", "name", "short_name", "unit_type", "is_rural",
                "district_code", "province_code", "lat", "lon", "area_km2", "valid_from", "valid_to",
                "name_key", "source"]
LINEAGE_COLUMNS = ["predecessor_id", "successor_id", "change_date", "change_type", "is_default",
                   "decision", "source"]


def _package_file(name: str) -> Path:
    return Path(str(resources.files("vietnamadminunits") / "data" / name))


def _read_package_table(table: str) -> pd.DataFrame:
    with sqlite3.connect(_package_file("dataset.db")) as con:
        return pd.read_sql(f"SELECT * FROM {table}", con)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    df["name_key"] = df["name"].map(name_key)
    return df


def legacy_units(raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """Provinces, districts and communes as they stood before 1 July 2025."""
    raw = _read_package_table("admin_units_legacy") if raw is None else raw
    rows: list[dict] = []
    common = dict(system=PRE, valid_from=None, valid_to=PRE_END, source=PACKAGE_SOURCE, area_km2=None)
    for r in raw.drop_duplicates("provinceCode").itertuples():
        rows.append(dict(common, unit_id=unit_id(PRE, "province", r.provinceCode), level="province",
                         code=r.provinceCode, name=r.province, short_name=r.provinceShort,
                         unit_type=r.province.split(" ")[0] if r.province.startswith("Tỉnh") else "Thành phố",
                         is_rural=None, district_code=None, province_code=r.provinceCode,
                         lat=r.provinceLat, lon=r.provinceLon))
    for r in raw.drop_duplicates("districtCode").itertuples():
        rows.append(dict(common, unit_id=unit_id(PRE, "district", r.districtCode), level="district",
                         code=r.districtCode, name=r.district, short_name=r.districtShort,
                         unit_type=r.districtType, is_rural=None, district_code=r.districtCode,
                         province_code=r.provinceCode, lat=r.districtLat, lon=r.districtLon))
    for r in raw.dropna(subset=["wardCode"]).itertuples():
        rows.append(dict(common, unit_id=unit_id(PRE, "commune", r.wardCode), level="commune",
                         code=r.wardCode, name=r.ward, short_name=r.wardShort, unit_type=r.wardType,
                         is_rural=r.wardType == "Xã", district_code=r.districtCode,
                         province_code=r.provinceCode, lat=r.wardLat, lon=r.wardLon))
    return _frame(rows)


def post2025_units(raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 34 provinces and 3,321 commune-level units from 1 July 2025 (no district level)."""
    raw = _read_package_table("admin_units") if raw is None else raw
    rows: list[dict] = []
    common = dict(system=POST, valid_from=REFORM_DATE, valid_to=None, source=PACKAGE_SOURCE, district_code=None)
    for r in raw.drop_duplicates("provinceCode").itertuples():
        rows.append(dict(common, unit_id=unit_id(POST, "province", r.provinceCode), level="province",
                         code=r.provinceCode, name=r.province, short_name=r.provinceShort,
                         unit_type="Tỉnh" if r.province.startswith("Tỉnh") else "Thành phố",
                         is_rural=None, province_code=r.provinceCode, lat=r.provinceLat, lon=r.provinceLon,
                         area_km2=None))
    for r in raw.itertuples():
        rows.append(dict(common, unit_id=unit_id(POST, "commune", r.wardCode), level="commune",
                         code=r.wardCode, name=r.ward, short_name=r.wardShort, unit_type=r.wardType,
                         is_rural=r.wardType == "Xã", province_code=r.provinceCode,
                         lat=r.wardLat, lon=r.wardLon, area_km2=r.wardAreaKm2))
    return _frame(rows)


def reform_crosswalk(legacy_raw: pd.DataFrame | None = None, post_raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """Lineage rows from each pre-reform commune to the post-reform commune(s) it became (1 July 2025).

    A commune split between several new communes gets one row each; `is_default` marks the one the
    package names as the main successor.
    """
    legacy_raw = _read_package_table("admin_units_legacy") if legacy_raw is None else legacy_raw
    post_raw = _read_package_table("admin_units") if post_raw is None else post_raw
    conv = json.loads(_package_file("converter_2025.json").read_text(encoding="utf-8"))
    old_by_key = {f"{r.provinceKey}_{r.districtKey}_{r.wardKey}": r.wardCode
                  for r in legacy_raw.dropna(subset=["wardCode"]).itertuples()}
    new_by_key = {(r.provinceKey, r.wardKey): r.wardCode for r in post_raw.itertuples()}
    pairs: dict[tuple[str, str], bool] = {}
    for new_prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            new_code = new_by_key.get((new_prov, new_ward))
            for old in olds:
                old_code = old_by_key.get(old)
                if new_code and old_code:
                    pairs[(old_code, new_code)] = True
    for new_prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            old_code = old_by_key.get(old)
            for t in targets:
                new_code = new_by_key.get((new_prov, t["newWardKey"]))
                if new_code and old_code:
                    pairs[(old_code, new_code)] = bool(t.get("isDefaultNewWard"))
    rows = [dict(predecessor_id=unit_id(PRE, "commune", o), successor_id=unit_id(POST, "commune", n),
                 change_date=REFORM_DATE, change_type=REFORM_CHANGE, is_default=d,
                 decision="NQ 202/2025/QH15; NQ of UBTVQH on commune arrangement", source=PACKAGE_SOURCE)
            for (o, n), d in sorted(pairs.items())]
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def province_crosswalk(legacy_raw: pd.DataFrame | None = None, post_raw: pd.DataFrame | None = None) -> dict[str, str]:
    """Old (63) province code → new (34) province code."""
    legacy_raw = _read_package_table("admin_units_legacy") if legacy_raw is None else legacy_raw
    post_raw = _read_package_table("admin_units") if post_raw is None else post_raw
    conv = json.loads(_package_file("converter_2025.json").read_text(encoding="utf-8"))
    old_code = dict(zip(legacy_raw["provinceKey"], legacy_raw["provinceCode"]))
    new_code = dict(zip(post_raw["provinceKey"], post_raw["provinceCode"]))
    return {old_code[o]: new_code[n] for n, olds in conv["DICT_PROVINCE"].items() for o in olds}


def read_unit_changes(path: Path | None = None) -> pd.DataFrame:
    """The project's unit-changes file (merges, renames before 2025 that the package list lacks)."""
    df = pd.read_csv(path or data_file("unit_changes.csv"), dtype=str, keep_default_na=False)
    df["change_date"] = pd.to_datetime(df["change_date"]).dt.date
    return df


def read_former_districts(path: Path | None = None) -> pd.DataFrame:
    """Districts of earlier official lists that the last list before the reform no longer has, with the
    district they went into (`data/former_districts.csv`, built by scripts/build_former_districts.py)."""
    return pd.read_csv(path or data_file("former_districts.csv"), dtype=str, keep_default_na=False)


def apply_unit_changes(units: pd.DataFrame, changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the ended versions named in the changes file, start their successors at the change date,
    and return (units, lineage rows)."""
    units = units.copy()
    added, lineage = [], []
    for ch in changes.itertuples():
        level = ch.level or "commune"
        ended = ch.change_date - timedelta(days=1)
        old_id = unit_id(PRE, level, ch.old_code, ended)
        new_id = unit_id(PRE, level, ch.new_code)
        if old_id not in set(units["unit_id"]) and old_id not in {a["unit_id"] for a in added}:
            parent = units[units["unit_id"] == new_id]
            lat = parent["lat"].iloc[0] if len(parent) else None
            lon = parent["lon"].iloc[0] if len(parent) else None
            added.append(dict(unit_id=old_id, system=PRE, level=level, code=ch.old_code, name=ch.old_name,
                              short_name=ch.old_name.split(" ", 1)[-1], unit_type=ch.old_type or "Xã",
                              is_rural=(ch.old_type or "Xã") == "Xã", district_code=ch.district_code or None,
                              province_code=ch.province_code or None, lat=lat, lon=lon, area_km2=None,
                              valid_from=None, valid_to=ended, source="data/unit_changes.csv"))
        mask = units["unit_id"] == new_id
        units.loc[mask, "valid_from"] = ch.change_date
        lineage.append(dict(predecessor_id=old_id, successor_id=new_id, change_date=ch.change_date,
                            change_type=ch.change_type, is_default=True, decision=ch.decision,
                            source="data/unit_changes.csv"))
    if added:
        units = pd.concat([units, _frame(added)], ignore_index=True)
    return units, pd.DataFrame(lineage, columns=LINEAGE_COLUMNS)


def build_units(changes_path: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every unit version (both systems) and every lineage row, ready to load into DuckDB."""
    legacy_raw = _read_package_table("admin_units_legacy")
    post_raw = _read_package_table("admin_units")
    units = pd.concat([legacy_units(legacy_raw), post2025_units(post_raw)], ignore_index=True)
    units, change_lineage = apply_unit_changes(units, read_unit_changes(changes_path))
    lineage = pd.concat([change_lineage, reform_crosswalk(legacy_raw, post_raw)], ignore_index=True)
    return units, lineage


def load_units(con, changes_path: Path | None = None) -> tuple[int, int]:
    """Replace the units and lineage tables and rebuild the crosswalk; returns (units, lineage rows)."""
    units, lineage = build_units(changes_path)
    con.execute("DELETE FROM units")
    con.execute("DELETE FROM unit_lineage")
    con.register("units_df", units)
    con.execute(f"INSERT INTO units SELECT {', '.join(UNIT_COLUMNS)} FROM units_df")
    con.unregister("units_df")
    con.register("lineage_df", lineage)
    con.execute(f"INSERT INTO unit_lineage SELECT {', '.join(LINEAGE_COLUMNS)} FROM lineage_df")
    con.unregister("lineage_df")
    refresh_crosswalk(con)
    return len(units), len(lineage)
