"""Empty yearly files with the right headers for their year (criteria set, unit system), optionally
pre-filled with a province's, district's or commune's communes, for analysts to fill in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ntm.domain.criteria import criteria_set_for_year
from ntm.domain.units import REFORM_YEAR, systems_for_year
from ntm.export.safe import to_csv_bytes, to_xlsx_bytes
from ntm.ingest.columns import template_columns
from ntm.read.units import communes_in


def template_frame(con, lang: str = "vi", unit_code: str | None = None, year: int | None = None,
                   system: str | None = None) -> pd.DataFrame:
    """The template table of a year (default the reform year) on a unit system (default the year's
    likelier one): headers only, or one row per commune of `unit_code` valid then, with the criteria set
    filled in."""
    year = year or REFORM_YEAR
    system = system or systems_for_year(year)[0]
    columns = template_columns(year, system)
    headers = [c.header(lang) for c in columns]
    if not unit_code:
        return pd.DataFrame(columns=headers)
    units = communes_in(con, unit_code, year, system)
    df = pd.DataFrame(columns=[c.name for c in columns], index=range(len(units)))
    df["year"], df["commune_code"] = year, units["code"].values
    df["commune_name"], df["province_name"] = units["name"].values, units["province"].values
    if "district_name" in df:
        df["district_name"] = units["district"].values
    df["criteria_set"] = criteria_set_for_year(year).key
    df.columns = headers
    return df


def write_template(df: pd.DataFrame, path: Path, fmt: str) -> Path:
    """Write the template as CSV (UTF-8 with BOM) or XLSX (codes kept as text)."""
    data = to_xlsx_bytes(df, "Mau") if fmt == "xlsx" else to_csv_bytes(df)
    path.write_bytes(data)
    return path
