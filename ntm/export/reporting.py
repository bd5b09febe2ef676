"""The reporting status as a workbook to send round: a sheet by province and a sheet of every missing unit,
each with the headline (and the demo notice where the figures are demo data) above it.

    status_workbook(con, 2026, "vi")   → XLSX bytes
"""

from __future__ import annotations

from datetime import datetime

from ntm.export.table_downloads import TableExport, workbook_bytes
from ntm.present.coordination import headline, missing_table, status_table
from ntm.read.status import missing_units, reporting_status
from ntm.text import t


def status_workbook(con, year: int, lang: str = "vi", now: datetime | None = None) -> bytes:
    """The year's reporting status as XLSX: by province, then the missing units."""
    df = reporting_status(con, year, now)
    notes = (headline(df, year, lang),) + ((t("demo_notice", lang),) if df["is_demo"].any() else ())
    names = dict(zip(df["province_code"], df["province_name"]))
    return workbook_bytes([
        (t("reporting.sheet_provinces", lang),
         TableExport(f"tinh_hinh_bao_cao_{year}", t("reporting.title", lang, year=year), status_table(df, lang), notes)),
        (t("reporting.sheet_missing", lang),
         TableExport(f"don_vi_chua_bao_cao_{year}", t("reporting.missing_title", lang, year=year),
                     missing_table(missing_units(con, year), names, lang), notes))], lang=lang)
