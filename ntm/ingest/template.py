"""Empty yearly files with the right headers, optionally pre-filled with a province's or district's
communes, for analysts to fill in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ntm.domain.columns import COLUMNS
from ntm.export.safe import to_csv_bytes, to_xlsx_bytes
from ntm.ingest.columns import template_headers
from ntm.read.units import communes_in


def template_frame(con, lang: str = "vi", unit_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    """The template table: headers only, or one row per commune of `unit_code` valid in `year`."""
    headers = template_headers(lang)
    if not unit_code:
        return pd.DataFrame(columns=headers)
    year = year or 2025
    units = communes_in(con, unit_code, year)
    df = pd.DataFrame(columns=[c.name for c in COLUMNS], index=range(len(units)))
    df["year"], df["commune_code"] = year, units["code"].values
    df["commune_name"], df["district_name"], df["province_name"] = (
        units["name"].values, units["district"].values, units["province"].values)
    df.columns = headers
    return df


def write_template(df: pd.DataFrame, path: Path, fmt: str) -> Path:
    """Write the template as CSV (UTF-8 with BOM) or XLSX (codes kept as text)."""
    data = to_xlsx_bytes(df, "Mau") if fmt == "xlsx" else to_csv_bytes(df)
    path.write_bytes(data)
    return path
