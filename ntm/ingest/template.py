"""Empty yearly files with the right headers, optionally pre-filled with a province's or district's
communes, for analysts to fill in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ntm.ingest.columns import COLUMNS, template_headers
from ntm.export.safe import to_csv_bytes, to_xlsx_bytes
from ntm.domain.settings import reform_code_year
from ntm.domain.units import reference_date, system_for_year


def template_frame(con, lang: str = "vi", unit_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    """The template table: headers only, or one row per commune of `unit_code` valid in `year`."""
    headers = template_headers(lang)
    if not unit_code:
        return pd.DataFrame(columns=headers)
    year = year or 2025
    system = system_for_year(year, reform_code_year())
    level_col = {2: "province_code", 3: "district_code", 5: "code"}[len(unit_code)]
    ref = reference_date(year, system)
    units = con.cursor().execute(f"""
        SELECT c.code, c.name, d.name AS district, p.name AS province FROM units c
        LEFT JOIN units d ON d.system = c.system AND d.level = 'district' AND d.code = c.district_code
        LEFT JOIN units p ON p.system = c.system AND p.level = 'province' AND p.code = c.province_code
        WHERE c.system = ? AND c.level = 'commune' AND c.{level_col} = ?
          AND (c.valid_from IS NULL OR c.valid_from <= ?) AND (c.valid_to IS NULL OR c.valid_to >= ?)
        ORDER BY c.code""", [system, unit_code, ref, ref]).df()
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
