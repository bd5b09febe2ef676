"""Empty yearly files with the right headers for their year (criteria set, unit system), optionally
pre-filled with a province's, district's or commune's communes, for analysts to fill in."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ntm.domain.columns import BY_NAME
from ntm.domain.criteria import criteria_set_for_year, set_choice, set_decision
from ntm.domain.periods import poverty_standards, standard_decision
from ntm.domain.units import REFORM_YEAR, systems_for_year
from ntm.text.spreadsheets import to_csv_bytes, to_xlsx_bytes
from ntm.ingest.columns import template_columns
from ntm.read.units import communes_in
from ntm.text import status_label, t


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
        return _described(pd.DataFrame(columns=headers), columns, year, lang)
    units = communes_in(con, unit_code, year, system)
    df = pd.DataFrame(columns=[c.name for c in columns], index=range(len(units)))
    df["year"], df["commune_code"] = year, units["code"].values
    df["commune_name"], df["province_name"] = units["name"].values, units["province"].values
    if "district_name" in df:
        df["district_name"] = units["district"].values
    df["criteria_set"] = set_choice(criteria_set_for_year(year).key, lang)
    df.columns = headers
    return _described(df, columns, year, lang)


def _described(df: pd.DataFrame, columns, year: int, lang: str) -> pd.DataFrame:
    df.attrs.update(columns=[c.name for c in columns], year=year, lang=lang)
    return df


def write_template(df: pd.DataFrame, path: Path, fmt: str) -> Path:
    """Write the template as CSV (UTF-8 with BOM) or XLSX (a workbook made to fill in, see
    `template_xlsx_bytes`)."""
    data = template_xlsx_bytes(df) if fmt == "xlsx" else to_csv_bytes(df)
    path.write_bytes(data)
    return path


def accepted_values(column: str, year: int, lang: str) -> list[str] | None:
    """The values a drop-down offers for a column, by its kind in the column registry, in the reader's
    words the upload reads back (statuses by name, the criteria set and the poverty standard by the
    document that issued them, a choice's values by their words), or None."""
    col, cset = BY_NAME[column], criteria_set_for_year(year)
    if col.kind == "status":
        return [status_label(s, lang) for s in cset.statuses]
    if col.kind == "flag":
        return [t("template.flag_met", lang), t("template.flag_not_met", lang)]
    if col.kind == "set":
        return [set_choice(cset.key, lang)]
    if col.kind == "standard":
        df = poverty_standards()
        keys = df.loc[(df["first_year"] <= year) & (df["last_year"] >= year), "poverty_standard"]
        return [standard_decision(k) for k in keys]
    return [col.value_words(v, lang) for v in col.values] or None


def column_guide(name: str, year: int, lang: str) -> str:
    """What a column of the year's template holds, for the instructions sheet: its own kind of value
    ('năm, 4 chữ số', 'số tiêu chí đạt, từ 0 đến 10 …'), then the values its drop-down offers."""
    col, cset = BY_NAME[name], criteria_set_for_year(year)
    what = t(f"template.kind_{col.guide or col.kind}", lang, n=cset.n_criteria, decision=set_decision(cset.key),
             decimals=col.decimals)
    values = accepted_values(name, year, lang)
    return f"{what}: {', '.join(values)}" if values else what


def _listed(book, lang: str, values: list[str]) -> str:
    """A drop-down's values written down a column of the hidden lists sheet, and the range that refers to
    them: a value may hold a comma and a list may be long (Excel reads an inline list up to its commas
    and 255 characters)."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    title = t("template.sheet_lists", lang)
    if title not in book.sheetnames:
        book.create_sheet(title).sheet_state = "hidden"
    lists = book[title]
    column = 1 if lists.max_column == 1 and lists["A1"].value is None else lists.max_column + 1
    for row, value in enumerate(values, start=1):
        lists.cell(row, column, value).data_type = "s"          # words, never a formula
    letter = get_column_letter(column)
    return f"{quote_sheetname(title)}!${letter}$1:${letter}${len(values)}"


def template_xlsx_bytes(df: pd.DataFrame) -> bytes:
    """The template as a workbook to fill in: a frozen header, readable widths, codes stored as text,
    drop-down lists in words (NTM status, criteria marks, commune group, criteria set, poverty standard;
    their values on a hidden lists sheet) and an instructions sheet in Vietnamese and English listing every
    column with what it holds and accepts. Text cells are neutralised."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = df.attrs.get("columns") or [None] * len(df.columns)
    year, lang = df.attrs.get("year", REFORM_YEAR), df.attrs.get("lang", "vi")
    book = load_workbook(io.BytesIO(to_xlsx_bytes(df, t("template.sheet_data", lang))))
    sheet = book.active
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(t("template.sheet_guide", lang))      # second: the lists sheet comes after it
    last = max(len(df) + 1, 500)                       # lists reach the rows an analyst adds
    for i, (name, header) in enumerate(zip(columns, df.columns), start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = min(max(len(str(header)) + 2, 10), 42)
        if name == "commune_code":
            for row in range(2, last + 1):
                sheet[f"{letter}{row}"].number_format = "@"        # codes stay text: 02566, not 2566
        values = accepted_values(name, year, lang) if name else None
        if values:
            rule = DataValidation(type="list", formula1=_listed(book, lang, values), allow_blank=True,
                                  showErrorMessage=True, errorTitle=t("template.invalid_title", lang),
                                  error=t("template.invalid_value", lang, values=", ".join(values)))
            rule.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(rule)
    guide.append([t("template.guide_header", "vi"), t("template.guide_header", "en"), t("template.guide_name", lang),
                  t("template.guide_required", lang), t("template.guide_values", "vi"), t("template.guide_values", "en")])
    for name in columns:
        if name is None:
            continue
        col = BY_NAME[name]
        guide.append([col.header("vi"), col.header("en"), name, t("ui.yes", lang) if col.required else "",
                      column_guide(name, year, "vi"), column_guide(name, year, "en")])
    guide.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (40, 34, 26, 10, 56, 56)):
        guide.column_dimensions[letter].width = width
    for cell in (*guide["E"], *guide["F"]):           # what a column holds reads whole, on two lines if need be
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
