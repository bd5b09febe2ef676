"""The crosswalk every cross-year figure goes through: which post-reform commune each pre-reform commune
version's figures belong to (`unit_map`), and the former district and province each new commune is
grouped under as history (`former_areas`).

A pre-reform commune that went whole into one new commune maps to it with weight 1. One split between
several new communes maps to its default successor with weight 1, or by the weights stated in
`data/split_weights.csv`; either way its rows are marked `is_split` and comparisons that use them are
approximate. Versions ended by an earlier merge (e.g. Xã Xuân Thịnh, 2024) follow their successor.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ntm.domain.units import POST, PRE, REFORM_CHANGE
from ntm.paths import data_file
from ntm.store.figures import refresh_figures

MAP_COLUMNS = ["pre_unit_id", "pre_code", "pre_district_code", "pre_province_code", "post_code",
               "post_province_code", "post_is_rural", "weight", "is_split", "weight_source"]
FORMER_COLUMNS = ["post_code", "former_district_code", "former_province_code", "n_predecessors"]


def read_split_weights(path: Path | None = None) -> pd.DataFrame:
    """Stated shares of split communes (old_code, new_code, weight, source); each old code's weights
    must add up to 1."""
    df = pd.read_csv(path or data_file("split_weights.csv"), dtype=str, keep_default_na=False)
    df["weight"] = pd.to_numeric(df["weight"], errors="raise")
    bad = df.groupby("old_code")["weight"].sum().sub(1).abs() > 1e-6
    if bad.any():
        raise ValueError(f"split_weights.csv: the weights of {', '.join(bad[bad].index)} do not add up to 1")
    return df


def build_crosswalk(units: pd.DataFrame, lineage: pd.DataFrame,
                    weights: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit_map, former_areas) from the unit versions and lineage rows (as loaded into the database)."""
    weights = read_split_weights() if weights is None else weights
    pre = units[(units["system"] == PRE) & (units["level"] == "commune")]
    post = units[(units["system"] == POST) & (units["level"] == "commune")]
    inside = lineage[lineage["change_type"] != REFORM_CHANGE]
    pre_next = dict(zip(inside["predecessor_id"], inside["successor_id"]))
    final = pre["unit_id"]
    for _ in range(10):                      # follow earlier merges to the version the reform ended
        final = final.map(lambda u: pre_next.get(u, u))
    reform = lineage[lineage["change_type"] == REFORM_CHANGE].copy()
    reform["post_code"] = reform["successor_id"].str.split(":").str[2]
    reform["n_successors"] = reform.groupby("predecessor_id")["post_code"].transform("nunique")
    reform = reform.sort_values(["predecessor_id", "is_default"], ascending=[True, False])
    default = reform.drop_duplicates("predecessor_id")[["predecessor_id", "post_code", "n_successors"]]
    m = pre[["unit_id", "code", "district_code", "province_code"]].assign(final_id=final.to_numpy())
    m["final_code"] = m["final_id"].str.split(":").str[2].str.split("@").str[0]
    m = m.merge(default, left_on="final_id", right_on="predecessor_id")
    m["is_split"] = m["n_successors"] > 1
    m["weight"] = 1.0
    m["weight_source"] = m["is_split"].map({True: "default successor", False: "whole"})
    if len(weights):
        stated = m.merge(weights.rename(columns={"old_code": "final_code", "new_code": "stated_code"}),
                         on="final_code", suffixes=("_default", ""))
        stated = stated.assign(post_code=stated["stated_code"], weight_source=stated["source"], is_split=True)
        m = pd.concat([m[~m["final_code"].isin(weights["old_code"])], stated], ignore_index=True)
    p = post[["code", "province_code", "unit_type"]].rename(
        columns={"code": "post_code", "province_code": "post_province_code"})
    m = m.merge(p, on="post_code")
    m["post_is_rural"] = m["unit_type"].eq("Xã")
    m = m.rename(columns={"unit_id": "pre_unit_id", "code": "pre_code", "district_code": "pre_district_code",
                          "province_code": "pre_province_code"})
    unit_map = m[m["weight"] > 0][MAP_COLUMNS].sort_values(["pre_unit_id", "post_code"]).reset_index(drop=True)
    return unit_map, _former_areas(reform, pre.set_index("unit_id"))


def _former_areas(reform: pd.DataFrame, pre: pd.DataFrame) -> pd.DataFrame:
    """Each new commune's former district and province: those of most of its predecessors (ties: the
    lowest code)."""
    r = reform.merge(pre[["district_code", "province_code"]], left_on="predecessor_id", right_index=True)
    n = r.groupby("post_code").size().rename("n_predecessors")

    def main(col: str) -> pd.Series:
        c = r.groupby(["post_code", col]).size().rename("n").reset_index()
        c = c.sort_values(["post_code", "n", col], ascending=[True, False, True]).drop_duplicates("post_code")
        return c.set_index("post_code")[col]

    out = pd.concat([main("district_code").rename("former_district_code"),
                     main("province_code").rename("former_province_code"), n], axis=1).reset_index()
    return out.rename(columns={"index": "post_code"})[FORMER_COLUMNS]


def refresh_crosswalk(cur, weights: pd.DataFrame | None = None) -> tuple[int, int]:
    """Rebuild `unit_map` and `former_areas` from the units and lineage in the database (inside the
    caller's transaction), and the figures that go through them. Returns their row counts."""
    units = cur.execute("SELECT unit_id, system, level, code, unit_type, district_code, province_code "
                        "FROM units").df()
    lineage = cur.execute("SELECT predecessor_id, successor_id, change_type, is_default FROM unit_lineage").df()
    unit_map, former = build_crosswalk(units, lineage, weights)
    for table, frame in (("unit_map", unit_map), ("former_areas", former)):
        cur.execute(f"DELETE FROM {table}")
        cur.register("crosswalk_df", frame)
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM crosswalk_df")
        cur.unregister("crosswalk_df")
    refresh_figures(cur)                 # the new geography's earlier years go through the crosswalk
    return len(unit_map), len(former)
