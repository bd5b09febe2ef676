"""The pack's table slides — targets due in the year, communes at risk of revocation, unmet criteria by
responsible department — and the district ranking's table. Each is also a download (XLSX/CSV) with
every row, the source and the demo notice on top; a slide shows the first rows and says how many more."""

from __future__ import annotations

import pandas as pd

from ntm.domain.criteria import criteria_set
from ntm.export.pack.model import PackContext, Section, section_title
from ntm.export.table_downloads import TableExport
from ntm.present import findings, labels
from ntm.present.labels import standard_name
from ntm.read.poverty import target_standard_breaks
from ntm.read.scope import Scope
from ntm.text import fmt_count, fmt_number, status_label, t


def _export(c: PackContext, key: str, stem: str, frame: pd.DataFrame, title: str | None = None) -> TableExport:
    """A section's table for download: file stem, title with the scope and year, notes on top."""
    return TableExport(f"{stem}_{c.scope.code or 'VN'}_{c.year}",
                       title or f"{section_title(key, c.lang)} — {c.scope_label}, {c.year}", frame, c.notes())


def _targets_rows(c: PackContext) -> pd.DataFrame:
    """Targets due in the year, then the later ones with their value in the year (never a value from
    a later year); a poverty target that compares two poverty standards is marked (`standard_before`,
    `standard_after`; its status is `standard_break`: not judged)."""
    df = labels.targets_progress(c.con, c.scope, c.lang, as_of=c.year)
    df = target_standard_breaks(c.con, c.scope, df[df["year"] >= c.year])
    df["_due"] = (df["year"] > c.year).astype(int)
    return df.sort_values(["_due", "year"], kind="stable").drop(columns="_due").reset_index(drop=True)


def targets(c: PackContext) -> Section:
    """Targets due in the year (and later ones, with this year's value) against their goal."""
    lg = c.lang
    df = _targets_rows(c)
    if df.empty:
        return c.empty("targets", findings.targets(df, c.year, lg))
    state = {"met": t("state.met", lg), "not_met": t("state.not_met", lg),
             "pending": t("state.pending_later", lg), "no_data": t("state.no_data", lg),
             "standard_break": t("state.standard_break", lg)}
    bench = [t("pack.benchmark", lg) if r.scope_level == "national" else "" for r in df.itertuples()]
    actual = [r.actual_display + (f" ({r.actual_year})" if r.actual_display != "–" and r.actual_year != r.year else "")
              + (t("pack.standard_mark", lg, year=r.compared_year, before=standard_name(r.standard_before, lg, flag=False),
                   after=standard_name(r.standard_after, lg, flag=False)) if isinstance(r.standard_before, str) else "")
              for r in df.itertuples()]
    frame = pd.DataFrame({
        t("table.target", lg): [f"{r.target}{b}" for r, b in zip(df.itertuples(), bench)],
        t("table.applies_to", lg): df["evaluated_on"],
        t("table.due", lg): df["year"].astype(int),
        t("table.goal", lg): df["target_display"],
        t("table.actual", lg): actual,
        t("table.assessment", lg): [state.get(s, s) for s in df["status"]],
        t("table.document", lg): df["source_document"],
        t("table.attainment", lg): df["progress_pct"].round(1),
    })
    tone = "bad" if (df["status"] == "not_met").any() else "good" if (df["status"] == "met").any() else "neutral"
    marked = df.dropna(subset=["standard_before"]).drop_duplicates(["compared_year", "standard_before", "standard_after"])
    notices = tuple(t("standards.break_notice", lg, y0=r.compared_year, y1=r.actual_year,
                      before=standard_name(r.standard_before, lg), after=standard_name(r.standard_after, lg))
                    for r in marked.itertuples())
    return Section("targets", section_title("targets", lg, c.year), findings.targets(df, c.year, lg), tone,
                   caption=f"{c.scope_label}, {c.year}", table=_export(c, "targets", "targets", frame), notices=notices,
                   widths=(3.6, 2.1, 0.7, 1.4, 1.6, 1.4), status_column=t("table.assessment", lg), max_rows=24,
                   slide_drop=(t("table.document", lg), t("table.attainment", lg)))


def at_risk(c: PackContext) -> Section:
    """The recognised communes at risk of revocation and the criteria they no longer meet."""
    lg = c.lang
    df = labels.at_risk_list(c.con, c.scope, c.year, lg)
    frame = pd.DataFrame({
        t("table.commune", lg): df["commune_name"],
        labels.district_heading(c.scope.geo, lg): df["district_name"],
        t("table.status", lg): [status_label(s, lg) for s in df["ntm_status"]],
        t("table.recognised", lg): df["ntm_recognition_year"].astype("Int64"),
        t("table.criteria_met_of", lg, n=criteria_set(None, c.year).n_criteria): df["criteria_met"].astype("Int64"),
        t("table.failed", lg): df["failed_criteria"],
        t("table.failed_key", lg): df["failed_key_criteria"],
        t("table.code", lg): df["commune_code"],
    })
    return Section("at_risk", section_title("at_risk", lg, c.year), findings.at_risk(df, c.year, lg),
                   "bad" if len(df) else "good", caption=f"{c.scope_label}, {c.year} · {t('ui.at_risk_help', lg)}",
                   table=_export(c, "at_risk", "at_risk", frame),
                   widths=(1.3, 1.2, 1.1, 1.1, 0.9, 5.3, 1.8), max_rows=16, slide_drop=(t("table.code", lg),))


def department_table(matrix: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Per responsible department (from `criteria_matrix`, one year): the criteria it owns, the communes
    not meeting one of them, the unmet criterion cases, and its most often unmet criterion. Departments
    with the most cases first."""
    cols = [t(k, lang) for k in ("table.department", "table.owned", "table.communes_missing", "table.cases",
                                 "table.most_missed")]
    if matrix.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for dept, g in matrix.groupby("department", sort=False):
        owned = sorted(g["number"].unique())
        missed = g[g["met"].fillna(True).astype(bool) == False]  # noqa: E712 (nullable booleans)
        top = missed.groupby("criterion_name")["commune_code"].nunique().sort_values(ascending=False)
        most = f"{top.index[0]} ({fmt_count(top.iloc[0], 'ui.communes_unit', lang)})" if len(top) else "–"
        rows.append((dept, ", ".join(t("criterion.short", lang, n=n) for n in owned),
                     missed["commune_code"].nunique(), len(missed), most, min(owned)))
    out = pd.DataFrame(rows, columns=cols + ["_first"]).sort_values([cols[3], cols[2], "_first"],
                                                                     ascending=[False, False, True])
    return out.drop(columns="_first").reset_index(drop=True)


def criteria_departments(c: PackContext) -> Section:
    """Unmet criteria grouped by the department responsible for them (for quarterly reviews)."""
    m = labels.criteria_matrix(c.con, c.scope, c.year, c.lang)
    if m.empty:
        return c.empty("criteria_departments")
    n = m["commune_code"].nunique()
    caption = f"{c.scope_label}, {c.year} · {t('pack.rural_communes', c.lang, n=fmt_number(n, c.lang))}"
    return Section("criteria_departments", section_title("criteria_departments", c.lang, c.year),
                   findings.criteria_departments(m, c.year, c.lang), caption=caption,
                   table=_export(c, "criteria_departments", "criteria_by_department", department_table(m, c.lang)),
                   widths=(3.0, 2.0, 1.3, 1.5, 4.2))


def ranking_table(c: PackContext, df: pd.DataFrame, scope: Scope, first: int, title: str, name: str) -> TableExport:
    """The district ranking as a download: every district, rates and reduction kept as numbers."""
    lang = c.lang
    frame = pd.DataFrame({
        t("ui.col_rank", lang): df["reduction_rank"],
        labels.district_heading(scope.geo, lang): df["district_name"],
        t("ui.col_rate_year", lang, year=first): df["rate_from_pct"].round(2),
        t("ui.col_rate_year", lang, year=c.year): df["rate_to_pct"].round(2),
        t("ui.col_reduction", lang): df["reduction_pp"].round(2),
        t("ui.col_mountainous", lang): [t("ui.yes", lang) if v else "" for v in df["is_mountainous"]],
        t("ui.col_poor_district", lang): [t("ui.yes", lang) if v else "" for v in df["is_poor_district"]],
    })
    return TableExport(f"district_ranking_{scope.code or 'VN'}_{first}_{c.year}", f"{title} — {name}, {first}–{c.year}",
                       frame, c.notes())
