"""The meeting pack: a 16:9 PowerPoint for a scope and a year (giao ban, quarterly reviews), in
Vietnamese or English.

    build_pack(con, scope, 2024, sections=None, lang="vi", out_path="kon_tum_2024.pptx", progress=None)

A title slide (scope, period, date, demo notice), then one slide per section in `SECTIONS` order of
the caller's list: a title, the finding of the slide in one sentence computed from the data
(`ntm.findings`), the chart (PNG rendered by kaleido) or a native PowerPoint table, and a footer with
the source line and the demo notice. The last section lists sources, notices and the legal documents
behind the targets.

Two steps, so the same content feeds the page downloads: `collect()` reads the data and builds the
figures, tables and findings (no rendering); `render_pptx()` draws the slides. `chart_figures()` and
`tables()` give the page its PNG/SVG and XLSX/CSV downloads.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ntm.present import charts
from ntm.present import findings
from ntm.present import maps
from ntm.export import images
from ntm.present.charts import ChartContext
from ntm.text import fmt_count, fmt_date, fmt_number, fmt_percent, fmt_pp, fmt_short, locale, status_label, t
from ntm.read.scope import Scope
from ntm.domain.rules import N_CRITERIA
from ntm.present.state import name_with_filters
from ntm.export.tables import TableExport
from ntm.present import labels
from ntm.read import ntm as ntm_q
from ntm.read import poverty as poverty_q
from ntm.read import scope as scope_q
from ntm.read import summary as summary_q

SECTIONS = ("overview", "ntm_status", "targets", "movements", "at_risk", "criteria_departments",
            "poverty_waterfall", "poverty_trend", "mountainous", "reduction_target", "district_ranking",
            "fallback", "map", "sources")
CHART_SECTIONS = ("ntm_status", "movements", "poverty_waterfall", "poverty_trend", "mountainous", "reduction_target",
                  "district_ranking", "fallback", "map")
TABLE_SECTIONS = ("targets", "at_risk", "criteria_departments", "district_ranking")
TABLE_ROWS = 12                       # rows of a native table on one slide (all rows: in the XLSX)
RANKING_ROWS = 14                     # districts on the ranking slide (best and worst halves)

Progress = Callable[[int, int, str], None]

# The legal basis on the sources slide (catalogue keys), in slide order.
LEGAL = ("pack.legal.qd318", "pack.legal.qd319", "pack.legal.qd18", "pack.legal.nq25", "pack.legal.nq24",
         "pack.legal.nd07", "pack.legal.qd24")
NATIONAL_DOCS = ("NQ 24/2021/QH15", "NQ 25/2021/QH15", "QĐ 90/QĐ-TTg", "QĐ 263/QĐ-TTg")


def section_title(key: str, lang: str = "vi", year: int | None = None) -> str:
    """The slide title of a section (for a year)."""
    year = year or 0
    return t(f"pack.section.{key}", lang, year=year, y0=year - 1, y1=year)


# ---------------------------------------------------------------------------------------------
# Content (no rendering)

@dataclass
class Tile:
    label: str
    value: str
    note: str = ""
    tone: str = "neutral"             # good / bad / neutral


@dataclass
class Section:
    """One slide's content. `figure` is the full chart (title, unit, source on it: the download);
    `table` the native table; `tiles` the overview figures; `blocks` the sources slide text."""

    key: str
    title: str
    finding: str
    tone: str = "neutral"
    caption: str = ""
    figure: go.Figure | None = None
    ctx: ChartContext | None = None
    slide_fig: go.Figure | None = None  # the slide's version when it shows less than the download
    table: TableExport | None = None
    table_note: str = ""
    tiles: list[Tile] = field(default_factory=list)
    blocks: list[tuple[str, list[str]]] = field(default_factory=list)
    notices: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()
    status_column: str | None = None
    max_rows: int = TABLE_ROWS
    slide_drop: tuple[str, ...] = ()  # columns kept for the XLSX only (codes, documents, attainment)

    @property
    def has_content(self) -> bool:
        return bool(self.figure is not None or self.table is not None or self.tiles or self.blocks)


@dataclass
class Pack:
    scope: Scope
    scope_label: str
    year: int
    years: tuple[int, ...]
    lang: str
    is_demo: bool
    created: datetime
    sections: list[Section]

    @property
    def source(self) -> str:
        return labels.source_line(False, self.lang)

    @property
    def demo_tag(self) -> str:
        return t("demo_tag", self.lang)


@dataclass
class _Ctx:
    con: object
    scope: Scope
    scope_label: str
    year: int
    years: tuple[int, ...]
    lang: str
    is_demo: bool

    def chart_ctx(self, years) -> ChartContext:
        return ChartContext(self.scope_label, tuple(int(y) for y in years), self.is_demo)

    def caption(self, years_label: str, unit_key: str) -> str:
        return f"{self.scope_label}, {years_label} · {t(unit_key, self.lang)}"


def normalise_sections(sections: Sequence[str] | str | None) -> list[str]:
    """The sections to build, in the caller's order without repeats (all of SECTIONS when None).
    Raises ValueError naming unknown sections."""
    if sections is None:
        return list(SECTIONS)
    if isinstance(sections, str):
        sections = [s for s in sections.split(",")]
    wanted = [s.strip() for s in sections if s and s.strip()]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return list(dict.fromkeys(wanted))


def scope_label(scope: Scope, lang: str = "vi") -> str:
    """The scope's name, with the mountainous / ethnic-minority filters when it has them."""
    name = scope.name if scope.level != "national" else t("level.national", lang)
    return name_with_filters(name, getattr(scope, "mountainous_only", False), getattr(scope, "em_region", None),
                             lang)


def collect(con, scope: Scope, year: int, sections: Sequence[str] | str | None = None, lang: str = "vi",
            progress: Progress | None = None) -> Pack:
    """Read the data and build every section's finding, figure or table (nothing is rendered)."""
    keys = normalise_sections(sections)
    years = tuple(y for y in summary_q.available_years(con) if y <= year) or (year,)
    demo = summary_q.is_demo(con, scope, years)
    c = _Ctx(con, scope, scope_label(scope, lang), int(year), years, lang, demo)
    built: list[Section] = []
    for i, key in enumerate(keys):
        if progress:
            progress(i, len(keys), t("pack.reading", lang, name=section_title(key, lang, year)))
        built.append(BUILDERS[key](c) if key != "sources" else _sources(c, keys))
    return Pack(scope, c.scope_label, c.year, years, lang, demo, datetime.now(), built)


def _empty(c: _Ctx, key: str, message: str | None = None) -> Section:
    return Section(key, section_title(key, c.lang, c.year), message or t("finding.no_data", c.lang, year=c.year))


def _overview(c: _Ctx) -> Section:
    """Eight figures of the year: poor, near-poor and EM poor rates with their change, escapes and
    flows; communes recognised, advanced / model, criteria per commune, communes at risk."""
    lg = c.lang
    s = summary_q.summary(c.con, c.scope, c.year)
    if not s.get("has_data"):
        return _empty(c, "overview")
    prev = summary_q.summary(c.con, c.scope, c.year - 1) if c.year - 1 in c.years else {}
    prev = prev if prev.get("has_data") else {}

    def rate_tile(key: str, tile: str) -> Tile:
        now, before = (s.get(key) or {}), (prev.get(key) or {})
        notes = [t("pack.tile.households", lg, n=fmt_number(now.get("count"), lg))] if now else []
        tone = "neutral"
        if now.get("percent") is not None and before.get("percent") is not None:
            d = now["percent"] - before["percent"]
            notes.append(t("pack.tile.vs", lg, change=("−" if d < 0 else "+") + fmt_pp(d, lg, sign=""), year=c.year - 1))
            tone = "good" if d < 0 else "bad" if d > 0 else "neutral"
        return Tile(t(f"pack.tile.{tile}", lg), fmt_percent(now.get("percent"), lg), " · ".join(notes), tone)

    tiles = [rate_tile("poor", "poor_rate"), rate_tile("near_poor", "near_poor_rate"),
             rate_tile("ethnic_minority_poor", "em_poor_rate"),
             Tile(t("pack.tile.escaped", lg), fmt_number(s.get("escaped"), lg),
                  t("pack.tile.flows", lg, fell_back=fmt_number(s.get("fell_back"), lg),
                        newly=fmt_number(s.get("newly_poor"), lg)))]
    ntm = s.get("ntm") or {}
    rural, rec = ntm.get("rural_communes") or 0, ntm.get("recognised") or 0
    if rural:
        note, tone = t("pack.tile.share", lg, share=fmt_percent(100 * rec / rural, lg, 1)), "neutral"
        before = (prev.get("ntm") or {}).get("recognised")
        if before is not None:
            d = rec - before
            note += " · " + t("pack.tile.vs", lg, change=("+" if d >= 0 else "−") + fmt_number(abs(d), lg),
                                  year=c.year - 1)
            tone = "good" if d > 0 else "bad" if d < 0 else "neutral"
        by, risk = ntm.get("by_status") or {}, ntm.get("at_risk") or 0
        tiles += [Tile(t("pack.tile.recognised", lg), f"{fmt_number(rec, lg)}/{fmt_number(rural, lg)}", note, tone),
                  Tile(t("pack.tile.advanced_model", lg),
                       f"{fmt_number(by.get('advanced', 0), lg)} / {fmt_number(by.get('model', 0), lg)}",
                       f"{status_label('advanced', lg)} / {status_label('model', lg)}"),
                  Tile(t("pack.tile.avg_criteria", lg), fmt_number(ntm.get("avg_criteria"), lg, 1),
                       t("pack.tile.of19", lg, n=N_CRITERIA)),
                  Tile(t("pack.tile.at_risk", lg), fmt_number(risk, lg), t("pack.tile.rule", lg), "bad" if risk else "good")]
    change = s.get("poor_rate_change_pp")
    tone = "neutral" if change is None else "good" if change < 0 else "bad"
    return Section("overview", section_title("overview", lg, c.year), findings.overview(s, lg), tone,
                   caption=f"{c.scope_label}, {c.year}", tiles=tiles)


def _chart(c: _Ctx, key: str, fig: go.Figure, ctx: ChartContext, finding: str, unit_key: str, tone: str = "neutral",
           years_label: str | None = None) -> Section:
    return Section(key, section_title(key, c.lang, c.year), finding, tone,
                   caption=c.caption(years_label or ctx.years_label, unit_key), figure=fig, ctx=ctx)


def _yearly_chart(c: _Ctx, key: str, read, draw, find, unit_key: str) -> Section:
    """A section charting a series over all years: read(con, scope, years) → draw(df, ctx, lang), with
    the finding find(df, year, lang)."""
    df = read(c.con, c.scope, c.years)
    if df.empty:
        return _empty(c, key)
    ctx = c.chart_ctx(df["year"].unique())
    return _chart(c, key, draw(df, ctx, c.lang), ctx, find(df, c.year, c.lang), unit_key)


def _ntm_status(c: _Ctx) -> Section:
    return _yearly_chart(c, "ntm_status", ntm_q.ntm_status_by_year, charts.ntm_status_by_year, findings.ntm_status,
                         "chart.unit.communes")


def _movements(c: _Ctx) -> Section:
    if c.year - 1 not in c.years:
        return _empty(c, "movements", t("ui.movements_need_two_years", c.lang, year=c.year - 1))
    df = ntm_q.status_flows(c.con, c.scope, c.year - 1, c.year)
    if df.empty:
        return _empty(c, "movements")
    ctx = c.chart_ctx((c.year - 1, c.year))
    bad = bool(df.loc[df["movement"].isin(["down", "revoked"]), "communes"].sum())
    return _chart(c, "movements", charts.status_sankey(df, ctx, c.lang), ctx, findings.movements(df, c.lang),
                  "chart.unit.sankey", "bad" if bad else "good", years_label=f"{c.year - 1} → {c.year}")


def _poverty_waterfall(c: _Ctx) -> Section:
    df = poverty_q.poverty_flows(c.con, c.scope, c.years)
    row = df[(df["year"] == c.year) & df["poor_start"].notna()]
    if row.empty:
        return _empty(c, "poverty_waterfall")
    ctx = c.chart_ctx((c.year,))
    r = row.iloc[0]
    return _chart(c, "poverty_waterfall", charts.poverty_waterfall(df, ctx, c.lang, year=c.year), ctx,
                  findings.poverty_waterfall(df, c.year, c.lang), "chart.unit.households",
                  "good" if r["poor_end"] < r["poor_start"] else "bad")


def _poverty_trend(c: _Ctx) -> Section:
    return _yearly_chart(c, "poverty_trend", poverty_q.poverty_rates, charts.poverty_rate_trend, findings.poverty_trend,
                         "chart.unit.rate")


def _mountainous(c: _Ctx) -> Section:
    return _yearly_chart(c, "mountainous", poverty_q.poverty_by_terrain, charts.mountainous_vs_other,
                         findings.mountainous, "chart.unit.rate")


def _reduction_target(c: _Ctx) -> Section:
    df = poverty_q.poverty_reduction(c.con, c.scope, c.years)
    d = df.dropna(subset=["reduction_pp"])
    if d.empty:
        return _empty(c, "reduction_target", findings.reduction_target(df, c.year, c.lang))
    ctx = c.chart_ctx(d["year"].unique())
    row = df[df["year"] == c.year]
    status = row["status"].iloc[0] if len(row) else "no_data"
    tone = {"met": "good", "not_met": "bad"}.get(status, "neutral")
    return _chart(c, "reduction_target", charts.reduction_vs_target(df, ctx, c.lang), ctx,
                  findings.reduction_target(df, c.year, c.lang), "chart.unit.pp", tone)


def _district_ranking(c: _Ctx) -> Section:
    first = min(c.years)
    if c.year <= first:
        return _empty(c, "district_ranking", t("ui.one_year_only", c.lang))
    scope, ctx = c.scope, c.chart_ctx((first, c.year))
    if scope.level in ("district", "commune"):         # a district is ranked among its province's districts
        scope = scope_q.resolve_scope(c.con, scope.province_code, c.year) or scope
        ctx = ChartContext(scope.name, (first, c.year), c.is_demo)
    df = poverty_q.district_ranking(c.con, scope, first, c.year)
    if df.empty:
        return _empty(c, "district_ranking")
    sec = _chart(c, "district_ranking", charts.district_ranking(df, ctx, c.lang), ctx,
                 findings.district_ranking(df, c.lang), "chart.unit.ranking_pp", years_label=f"{first}–{c.year}")
    sec.caption = f"{ctx.scope_name}, {first}–{c.year} · {t('chart.unit.ranking_pp', c.lang)}"
    if len(df) > RANKING_ROWS:                         # the slide: the best and the worst halves
        k = RANKING_ROWS // 2
        ordered = df.sort_values("reduction_pp", ascending=False)
        sec.slide_fig = charts.district_ranking(pd.concat([ordered.head(k), ordered.tail(k)]), ctx, c.lang)
        sec.table_note = t("pack.ranking_cut", c.lang, shown=2 * k, n=len(df), k=k)
    sec.table = TableExport(f"district_ranking_{scope.code or 'VN'}_{first}_{c.year}",
                            f"{sec.title} — {ctx.scope_name}, {first}–{c.year}",
                            _ranking_frame(df, first, c.year, c.lang), _notes(c))
    return sec


def _fallback(c: _Ctx) -> Section:
    df = poverty_q.fallback_share(c.con, c.scope, c.years)
    if df.empty or c.year not in set(df["year"]):
        return _empty(c, "fallback")
    ctx = c.chart_ctx(df["year"].unique())
    return _chart(c, "fallback", charts.fallback_share(df, ctx, c.lang), ctx, findings.fallback(df, c.year, c.lang),
                  "chart.unit.fallback")


MAP_LEVEL = {"national": "province", "province": "district", "district": "commune", "commune": "commune"}


def _map(c: _Ctx) -> Section:
    scope, selected = c.scope, None
    if scope.level == "commune":                       # the commune within its district
        selected = scope.code
        scope = Scope("district", scope.district_code, scope.name, scope.province_code, scope.district_code)
    level = MAP_LEVEL[scope.level]
    view = maps.build_map(c.con, level=level, year=c.year, scope=scope, metric="poor_rate", lang=c.lang,
                          selected=selected, filtered=bool(getattr(c.scope, "mountainous_only", False)))
    if view.n_with_data == 0:
        return _empty(c, "map")
    fig = images.map_figure(view, c.scope_label, c.lang)
    ctx = c.chart_ctx((c.year,))
    notices = (t("schematic_notice", c.lang),) if view.schematic else ()
    return Section("map", section_title("map", c.lang, c.year), findings.map_extremes(view.table, view.metric_label,
                                                                                        c.year, c.lang),
                   caption=f"{c.scope_label}, {c.year} · {view.title}", figure=fig, ctx=ctx, notices=notices)


# --- tables ---------------------------------------------------------------------------------------

def _notes(c: _Ctx) -> tuple[str, ...]:
    return tuple(x for x in (labels.source_line(False, c.lang), t("demo_notice", c.lang) if c.is_demo else "") if x)


def _targets_rows(c: _Ctx) -> pd.DataFrame:
    """Targets due in the year, then the later ones with their value in the year (never a value from
    a later year)."""
    df = labels.targets_progress(c.con, c.scope, c.lang, as_of=c.year)
    df = df[df["year"] >= c.year].copy()
    df["_due"] = (df["year"] > c.year).astype(int)
    return df.sort_values(["_due", "year"], kind="stable").drop(columns="_due").reset_index(drop=True)


def _targets(c: _Ctx) -> Section:
    lg = c.lang
    df = _targets_rows(c)
    if df.empty:
        return _empty(c, "targets", findings.targets(df, c.year, lg))
    state = {"met": t("state.met", lg), "not_met": t("state.not_met", lg),
             "pending": t("state.pending_later", lg), "no_data": t("state.no_data", lg)}
    bench = [t("pack.benchmark", lg) if r.scope_level == "national" else "" for r in df.itertuples()]
    actual = [r.actual_display + (f" ({r.actual_year})" if r.actual_display != "–" and r.actual_year != r.year else "")
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
    return Section("targets", section_title("targets", lg, c.year), findings.targets(df, c.year, lg), tone,
                   caption=f"{c.scope_label}, {c.year}",
                   table=TableExport(f"targets_{c.scope.code or 'VN'}_{c.year}",
                                     f"{section_title('targets', lg)} — {c.scope_label}, {c.year}", frame, _notes(c)),
                   widths=(3.6, 2.1, 0.7, 1.4, 1.6, 1.4), status_column=t("table.assessment", lg), max_rows=8,
                   slide_drop=(t("table.document", lg), t("table.attainment", lg)))


def _at_risk(c: _Ctx) -> Section:
    lg = c.lang
    df = labels.at_risk_list(c.con, c.scope, c.year, lg)
    frame = pd.DataFrame({
        t("table.commune", lg): df["commune_name"],
        t("table.district", lg): df["district_name"],
        t("table.status", lg): [status_label(s, lg) for s in df["ntm_status"]],
        t("table.recognised", lg): df["ntm_recognition_year"].astype("Int64"),
        t("table.criteria_met19", lg): df["criteria_met"].astype("Int64"),
        t("table.failed", lg): df["failed_criteria"],
        t("table.failed_key", lg): df["failed_key_criteria"],
        t("table.code", lg): df["commune_code"],
    })
    sec = Section("at_risk", section_title("at_risk", lg, c.year), findings.at_risk(df, c.year, lg),
                  "bad" if len(df) else "good", caption=f"{c.scope_label}, {c.year} · {t('ui.at_risk_help', lg)}",
                  table=TableExport(f"at_risk_{c.scope.code or 'VN'}_{c.year}",
                                    f"{section_title('at_risk', lg)} — {c.scope_label}, {c.year}", frame, _notes(c)),
                  widths=(1.5, 1.6, 1.2, 1.0, 1.0, 4.2, 2.2), max_rows=6, slide_drop=(t("table.code", lg),))
    return sec


def department_table(matrix: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Per responsible department (from `series.criteria_matrix`, one year): the criteria it owns, the
    communes not meeting one of them, the unmet criterion cases, and its most often unmet criterion.
    Departments with the most cases first."""
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
        rows.append((dept, ", ".join(t("criterion.short", lang, n=n) for n in owned), missed["commune_code"].nunique(), len(missed),
                     most, min(owned)))
    out = pd.DataFrame(rows, columns=cols + ["_first"]).sort_values([cols[3], cols[2], "_first"],
                                                                     ascending=[False, False, True])
    return out.drop(columns="_first").reset_index(drop=True)


def _criteria_departments(c: _Ctx) -> Section:
    m = labels.criteria_matrix(c.con, c.scope, c.year, c.lang)
    if m.empty:
        return _empty(c, "criteria_departments")
    frame = department_table(m, c.lang)
    n = m["commune_code"].nunique()
    caption = f"{c.scope_label}, {c.year} · {t('pack.rural_communes', c.lang, n=fmt_number(n, c.lang))}"
    return Section("criteria_departments", section_title("criteria_departments", c.lang, c.year),
                   findings.criteria_departments(m, c.year, c.lang), caption=caption,
                   table=TableExport(f"criteria_by_department_{c.scope.code or 'VN'}_{c.year}",
                                     f"{section_title('criteria_departments', c.lang)} — {c.scope_label}, {c.year}",
                                     frame, _notes(c)),
                   widths=(3.0, 2.0, 1.3, 1.5, 4.2))


def _ranking_frame(df: pd.DataFrame, y0: int, y1: int, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("ui.col_rank", lang): df["reduction_rank"],
        t("ui.col_district", lang): df["district_name"],
        t("ui.col_rate_year", lang, year=y0): df["rate_from_pct"].round(2),
        t("ui.col_rate_year", lang, year=y1): df["rate_to_pct"].round(2),
        t("ui.col_reduction", lang): df["reduction_pp"].round(2),
        t("ui.col_mountainous", lang): [t("ui.yes", lang) if v else "" for v in df["is_mountainous"]],
        t("ui.col_poor_district", lang): [t("ui.yes", lang) if v else "" for v in df["is_poor_district"]],
    })


def _sources(c: _Ctx, keys: Sequence[str]) -> Section:
    lg = c.lang
    years = f"{min(c.years)}–{max(c.years)}" if len(c.years) > 1 else str(c.years[0])
    data = [labels.source_line(False, lg), t("pack.src.scope", lg, scope=c.scope_label, years=years, year=c.year)]
    notes = []
    if c.is_demo:
        notes.append(t("demo_notice", lg))
    if "map" in keys:
        notes.append(t("schematic_notice", lg))
    notes += [t("pack.src.at_risk_rule", lg), t("pack.src.reduction", lg)]
    targets = labels.targets_progress(c.con, c.scope, lg)
    local = sorted({d for d in targets["source_document"].dropna() if not any(n in d for n in NATIONAL_DOCS)})
    legal = [t(key, lg) for key in LEGAL]
    if local:
        legal.append(t("pack.src.local_docs", lg, docs="; ".join(local)))
    if len(targets) and not targets["verified"].all():
        notes.append(t("pack.src.unverified", lg))
    return Section("sources", section_title("sources", lg, c.year), "", blocks=[
        (t("pack.src.data", lg), data), (t("pack.src.notes", lg), notes), (t("pack.src.legal", lg), legal)])


BUILDERS: dict[str, Callable[[_Ctx], Section]] = {
    "overview": _overview, "ntm_status": _ntm_status, "targets": _targets, "movements": _movements,
    "at_risk": _at_risk, "criteria_departments": _criteria_departments, "poverty_waterfall": _poverty_waterfall,
    "poverty_trend": _poverty_trend, "mountainous": _mountainous, "reduction_target": _reduction_target,
    "district_ranking": _district_ranking, "fallback": _fallback, "map": _map,
}
assert set(BUILDERS) | {"sources"} == set(SECTIONS)


def chart_figures(pack: Pack) -> dict[str, tuple[go.Figure, ChartContext, tuple[str, ...]]]:
    """section → (full figure, its context, extra notices) for the sections drawn as charts."""
    return {s.key: (s.figure, s.ctx, s.notices) for s in pack.sections if s.figure is not None}


def tables(pack: Pack) -> dict[str, TableExport]:
    """section → table for download (targets, at-risk list, criteria by department, district ranking)."""
    return {s.key: s.table for s in pack.sections if s.table is not None}


# ---------------------------------------------------------------------------------------------
# Rendering (python-pptx; every shape placed by hand on a 13.333 × 7.5 in slide)

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
FONT_NAME = "Arial"                 # on every office PC, with Vietnamese glyphs (Liberation Sans in LibreOffice)
NAVY = RGBColor(0x25, 0x34, 0x94)   # charts.STATUS_COLORS["model"]
BLUE = RGBColor(0x00, 0x72, 0xB2)
DARK = RGBColor(0x22, 0x22, 0x22)
GREY = RGBColor(0x55, 0x55, 0x55)
LIGHT = RGBColor(0xF3, 0xF6, 0xFA)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
DEMO_RED = RGBColor(0xB3, 0x3C, 0x00)
TONE = {"good": RGBColor(0x00, 0x9E, 0x73), "bad": RGBColor(0xD5, 0x5E, 0x00), "neutral": BLUE}
STATE_FILL = {"met": RGBColor(0xD5, 0xEF, 0xE4), "not_met": RGBColor(0xFB, 0xDD, 0xC8),
              "pending": RGBColor(0xEE, 0xEE, 0xEE), "no_data": RGBColor(0xEE, 0xEE, 0xEE)}
MARGIN_X = Inches(0.5)
CONTENT_W = Emu(SLIDE_W - 2 * MARGIN_X)
PICTURE_TOP, PICTURE_BOTTOM = Inches(2.3), Inches(6.85)
RENDER_WIDTH = 1500                 # layout pixels of a chart on a slide (fonts sized for this width)
RENDER_SCALE = 2                    # PNG pixels per layout pixel: sharp on a projector
OFFICE_LANGUAGE = {"vi-VN": MSO_LANGUAGE_ID.VIETNAMESE, "en-GB": MSO_LANGUAGE_ID.ENGLISH_UK}


def _lang_id(lang: str):
    return OFFICE_LANGUAGE[locale(lang)]


def _text(slide, left, top, width, height, paragraphs, lang: str, anchor=MSO_ANCHOR.TOP, name: str | None = None):
    """A text box. `paragraphs`: [(text, size_pt, bold, colour, align)]."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    tf.margin_top = tf.margin_bottom = Inches(0.03)
    for i, (text, size, bold, colour, align) in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = text
        _font(run.font, size, bold, colour, lang)
    return box


def _font(font, size, bold, colour, lang):
    font.name = FONT_NAME
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour
    font.language_id = _lang_id(lang)


def _rect(slide, left, top, width, height, fill, line=None):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = line
    style = shape._element.find(qn("p:style"))          # the theme's style adds a shadow in LibreOffice
    if style is not None:
        shape._element.remove(style)
    return shape


def _to_back(slide, shape) -> None:
    """Draw `shape` behind everything else on the slide."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)


def _title(slide, text: str, lang: str) -> None:
    """The slide title in the layout's title placeholder (outline view, accessibility), placed by hand."""
    ph = slide.shapes.title
    ph.left, ph.top, ph.width, ph.height = MARGIN_X, Inches(0.28), CONTENT_W, Inches(0.7)
    tf = ph.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf.margin_left = Inches(0.05)
    tf.text = ""
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    run = p.add_run()
    run.text = text
    _font(run.font, 28, True, NAVY, lang)


def _finding(slide, text: str, tone: str, lang: str) -> None:
    top, height = Inches(1.02), Inches(0.86)
    _rect(slide, MARGIN_X, top, CONTENT_W, height, LIGHT)
    _rect(slide, MARGIN_X, top, Inches(0.09), height, TONE.get(tone, BLUE))
    size = 20 if len(text) <= 190 else 17
    _text(slide, MARGIN_X + Inches(0.2), top, CONTENT_W - Inches(0.25), height, [(text, size, True, DARK, PP_ALIGN.LEFT)],
          lang, MSO_ANCHOR.MIDDLE, name="Finding")


def _footer(slide, pack: Pack, page: int, pages: int, extra: tuple[str, ...] = ()) -> None:
    lg = pack.lang
    paras = [(pack.source, 10.5, False, GREY, PP_ALIGN.LEFT)]
    for note in extra:
        paras.append((note, 10.5, True, DEMO_RED, PP_ALIGN.LEFT))
    if pack.is_demo:
        paras.append((pack.demo_tag, 10.5, True, DEMO_RED, PP_ALIGN.LEFT))
    top = Inches(6.9) if len(paras) <= 2 else Inches(6.78)
    _text(slide, MARGIN_X, top, CONTENT_W - Inches(1.0), SLIDE_H - top - Inches(0.05), paras, lg, MSO_ANCHOR.BOTTOM,
          name="Footer")
    _text(slide, SLIDE_W - MARGIN_X - Inches(0.9), Inches(7.0), Inches(0.9), Inches(0.4),
          [(t("pack.page", lg, i=page, n=pages), 11, False, GREY, PP_ALIGN.RIGHT)], lg, MSO_ANCHOR.BOTTOM,
          name="Page number")
    _rect(slide, 0, 0, SLIDE_W, Inches(0.1), NAVY)


def _caption(slide, text: str, lang: str, top=Inches(1.93)) -> None:
    _text(slide, MARGIN_X, top, CONTENT_W, Inches(0.34), [(text, 13, False, GREY, PP_ALIGN.LEFT)], lang, name="Caption")


def slide_figure(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A chart made for a slide: no title or source inside (the slide has them as text), larger type,
    tight margins, sized to the picture box."""
    out = go.Figure(fig)
    keep = [a for a in out.layout.annotations or () if a.name not in ("source", images.DATE_NAME, images.NOTICE_NAME)]
    out.layout.annotations = keep
    horizontal = any(tr.type == "bar" and tr.orientation == "h" for tr in out.data)
    out.update_layout(title=dict(text="", subtitle=dict(text="")), width=width, height=height,
                      margin=dict(l=70, r=150 if horizontal else 30, t=60, b=40), font=dict(size=19),
                      legend=dict(font=dict(size=18)))
    if out.layout.uniformtext.minsize:                 # labels inside stacked bars: readable or hidden
        out.update_layout(uniformtext=dict(minsize=15, mode="hide"))
    if any(tr.type == "sankey" for tr in out.data):
        out.update_layout(margin=dict(t=70, b=20, l=20, r=20))
    if out.layout.yaxis.scaleanchor == "x":            # a map: as large as the box allows
        out.update_layout(margin=dict(t=8, b=8, l=8, r=8))
    return out


def _picture(slide, png: bytes, left, top, width, height) -> None:
    w, h = images.png_size(png)
    scale = min(width / w, height / h)
    pw, ph = int(w * scale), int(h * scale)
    slide.shapes.add_picture(io.BytesIO(png), left + (width - pw) // 2, top + (height - ph) // 2, pw, ph)


def _chart_slide(slide, sec: Section, pack: Pack) -> None:
    _caption(slide, sec.caption + (f" · {sec.table_note}" if sec.table_note else ""), pack.lang)
    width, height = CONTENT_W, PICTURE_BOTTOM - PICTURE_TOP
    px_h = int(RENDER_WIDTH * height / width)
    fig = slide_figure(sec.slide_fig if sec.slide_fig is not None else sec.figure, RENDER_WIDTH, px_h)
    png = images.render(fig, "png", RENDER_WIDTH, px_h, RENDER_SCALE)
    _picture(slide, png, MARGIN_X, PICTURE_TOP, width, height)


def _cell_text(v, lang: str) -> str:
    """A table value as slide text: years as they are, counts with thousands separators."""
    if hasattr(v, "item"):
        v = v.item()
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "–"
    if isinstance(v, bool):
        return t("ui.yes", lang) if v else ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return str(v) if 1900 <= v <= 2100 else fmt_number(v, lang)
    if isinstance(v, float):
        return fmt_short(v, lang)
    return str(v)


def _fit_table(frame: pd.DataFrame, widths_in: list[float], available_in: float, lang: str) -> tuple[int, list[float]]:
    """The largest font size (pt) at which the table fits the height, and each row's height (in).
    Lines per cell are estimated from the text length and the column width."""
    texts = [[str(c) for c in frame.columns]]
    texts += [[_cell_text(v, lang) for v in row] for row in frame.itertuples(index=False)]
    for size in (16, 15, 14, 13, 12, 11, 10):
        char_in = 0.5 * size / 72                      # average glyph width of Arial, in inches
        line_in = 1.18 * size / 72
        heights = []
        for row in texts:
            lines = max(max(1, -(-len(text) * char_in // max(w - 0.14, 0.2))) for text, w in zip(row, widths_in))
            heights.append(lines * line_in + 0.1)
        if sum(heights) <= available_in or size == 10:
            return size, heights
    raise AssertionError("unreachable")


def _table_slide(slide, sec: Section, pack: Pack) -> None:
    lg = pack.lang
    frame = sec.table.frame
    frame = frame[[c for c in frame.columns if c not in sec.slide_drop]]
    _caption(slide, sec.caption, lg)
    if frame.empty:
        _text(slide, MARGIN_X, PICTURE_TOP + Inches(0.5), CONTENT_W, Inches(1.0),
              [(sec.finding, 22, False, GREY, PP_ALIGN.CENTER)], lg, MSO_ANCHOR.MIDDLE)
        return
    shown = frame.head(sec.max_rows)
    more = len(frame) - len(shown)
    rows, cols = len(shown) + 1, len(shown.columns)
    widths = sec.widths if len(sec.widths) == cols else (1.0,) * cols
    widths_in = [CONTENT_W.inches * w / sum(widths) for w in widths]
    available = Emu(PICTURE_BOTTOM - PICTURE_TOP).inches - (0.35 if more else 0.0)
    size, heights = _fit_table(shown, widths_in, available, lg)
    gf = slide.shapes.add_table(rows, cols, MARGIN_X, PICTURE_TOP, CONTENT_W, Inches(sum(heights)))
    gf.name = f"Table {sec.key}"
    tbl = gf.table
    tbl.horz_banding = False
    for j, w in enumerate(widths_in):
        tbl.columns[j].width = Inches(w)
    status_j = list(shown.columns).index(sec.status_column) if sec.status_column in shown.columns else None
    state_of = {t("state.pending_later", lg): "pending", t("state.met", lg): "met",
                t("state.not_met", lg): "not_met", t("state.no_data", lg): "no_data"}
    for j, col in enumerate(shown.columns):
        _cell(tbl.cell(0, j), str(col), size, True, WHITE, NAVY, lg)
    for i, row in enumerate(shown.itertuples(index=False), start=1):
        fill = WHITE if i % 2 else LIGHT
        for j, v in enumerate(row):
            text = _cell_text(v, lg)
            cell_fill = STATE_FILL.get(state_of.get(text, ""), fill) if j == status_j else fill
            _cell(tbl.cell(i, j), text, size, j == status_j or j == 0, DARK, cell_fill, lg)
    for r, h in enumerate(heights):
        tbl.rows[r].height = Inches(h)
    if more:
        _text(slide, MARGIN_X, PICTURE_TOP + Inches(sum(heights) + 0.03), CONTENT_W, Inches(0.3),
              [(t("pack.more_rows", lg, n=more), 12, False, GREY, PP_ALIGN.LEFT)], lg, name="More rows")


def _cell(cell, text: str, size, bold, colour, fill, lang) -> None:
    cell.text = ""
    p = cell.text_frame.paragraphs[0]
    run = p.add_run()
    run.text = text
    _font(run.font, size, bold, colour, lang)
    cell.text_frame.word_wrap = True
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE


def _tiles_slide(slide, sec: Section, pack: Pack) -> None:
    lg = pack.lang
    _caption(slide, sec.caption, lg)
    per_row, gap = 4, Inches(0.2)
    width = int((CONTENT_W - gap * (per_row - 1)) / per_row)
    height = Inches(2.1)
    for k, tile in enumerate(sec.tiles):
        r, col = divmod(k, per_row)
        left = MARGIN_X + col * (width + gap)
        top = PICTURE_TOP + r * (height + gap)
        _rect(slide, left, top, width, height, LIGHT)
        _rect(slide, left, top, width, Inches(0.08), TONE.get(tile.tone, BLUE))
        _text(slide, left + Inches(0.12), top + Inches(0.15), width - Inches(0.24), Inches(0.5),
              [(tile.label, 14, True, GREY, PP_ALIGN.LEFT)], lg)
        _text(slide, left + Inches(0.12), top + Inches(0.62), width - Inches(0.24), Inches(0.8),
              [(tile.value, 36, True, NAVY, PP_ALIGN.LEFT)], lg, MSO_ANCHOR.MIDDLE)
        _text(slide, left + Inches(0.12), top + Inches(1.42), width - Inches(0.24), Inches(0.6),
              [(tile.note, 13, False, DARK, PP_ALIGN.LEFT)], lg)


def _sources_slide(slide, sec: Section, pack: Pack) -> None:
    lg = pack.lang
    top = Inches(1.1)
    paras = []
    for heading, lines in sec.blocks:
        paras.append((heading, 17, True, NAVY, PP_ALIGN.LEFT))
        paras += [("• " + line, 13, False, DARK, PP_ALIGN.LEFT) for line in lines if line]
    paras.append((t("pack.generated_by", lg) + " · " + t("pack.prepared", lg, date=fmt_date(pack.created, lg)),
                  12, False, GREY, PP_ALIGN.LEFT))
    box = _text(slide, MARGIN_X, top, CONTENT_W, Inches(5.6), paras, lg, name="Sources")
    for p in box.text_frame.paragraphs:
        p.space_after = Pt(4)


def _no_data_slide(slide, sec: Section, pack: Pack) -> None:
    _text(slide, MARGIN_X, Inches(3.2), CONTENT_W, Inches(1.0),
          [(t("pack.no_data_slide", pack.lang), 20, False, GREY, PP_ALIGN.CENTER)], pack.lang, MSO_ANCHOR.MIDDLE)


def _title_slide(prs, pack: Pack) -> None:
    lg = pack.lang
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _to_back(slide, _rect(slide, 0, 0, SLIDE_W, Inches(4.6), NAVY))
    _title(slide, t("pack.title", lg), lg)
    ph = slide.shapes.title
    ph.top, ph.height = Inches(1.0), Inches(1.0)
    for run in ph.text_frame.paragraphs[0].runs:
        _font(run.font, 44, True, WHITE, lg)
    _text(slide, MARGIN_X, Inches(2.05), CONTENT_W, Inches(0.8),
          [(t("pack.programmes", lg), 26, False, WHITE, PP_ALIGN.LEFT)], lg)
    _text(slide, MARGIN_X, Inches(2.9), CONTENT_W, Inches(1.3),
          [(pack.scope_label, 34, True, WHITE, PP_ALIGN.LEFT)], lg, name="Scope")
    _text(slide, MARGIN_X, Inches(4.85), CONTENT_W, Inches(1.0),
          [(t("pack.period", lg, year=pack.year), 22, True, DARK, PP_ALIGN.LEFT),
           (t("pack.prepared", lg, date=fmt_date(pack.created, lg)), 18, False, GREY, PP_ALIGN.LEFT)], lg,
          name="Period")
    if pack.is_demo:
        _rect(slide, MARGIN_X, Inches(6.05), CONTENT_W, Inches(0.9), RGBColor(0xFF, 0xF1, 0xE6), TONE["bad"])
        _text(slide, MARGIN_X + Inches(0.15), Inches(6.05), CONTENT_W - Inches(0.3), Inches(0.9),
              [(t("demo_notice", lg), 17, True, DEMO_RED, PP_ALIGN.LEFT)], lg, MSO_ANCHOR.MIDDLE, name="Demo notice")


def render_pptx(pack: Pack, out_path: Path | str, progress: Progress | None = None, step0: int = 0,
                steps: int | None = None) -> Path:
    """Draw the slides of a collected pack and save them."""
    out_path = Path(out_path)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    lg = pack.lang
    cp = prs.core_properties
    cp.title = f"{t('pack.title', lg)} — {pack.scope_label}, {pack.year}"
    cp.subject = t("pack.programmes", lg)
    cp.author = cp.last_modified_by = t("pack.generated_by", lg)
    cp.language = locale(lg)
    cp.created = cp.modified = pack.created.replace(microsecond=0)
    pages = len(pack.sections) + 1
    steps = steps or pages + 1                          # each slide, then saving
    with images.kaleido_session():
        if progress:
            progress(step0, steps, t("pack.drawing", lg, i=1, n=pages, name=t("pack.title", lg)))
        _title_slide(prs, pack)
        for i, sec in enumerate(pack.sections, start=2):
            if progress:
                progress(step0 + i - 1, steps, t("pack.drawing", lg, i=i, n=pages, name=sec.title))
            slide = prs.slides.add_slide(prs.slide_layouts[5])
            _title(slide, sec.title, lg)
            if sec.key != "sources":
                _finding(slide, sec.finding, sec.tone, lg)
            if not sec.has_content:
                _no_data_slide(slide, sec, pack)
            elif sec.figure is not None:
                _chart_slide(slide, sec, pack)
            elif sec.table is not None:
                _table_slide(slide, sec, pack)
            elif sec.tiles:
                _tiles_slide(slide, sec, pack)
            else:
                _sources_slide(slide, sec, pack)
            _footer(slide, pack, i, pages, sec.notices)
            slide.notes_slide.notes_text_frame.text = "\n".join(x for x in (sec.finding, sec.caption) if x)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if progress:
        progress(steps - 1, steps, t("pack.saving", lg, name=out_path.name))
    prs.save(out_path)
    if progress:
        progress(steps, steps, t("pack.saved", lg, name=out_path.name))
    return out_path


def build_pack(con, scope: Scope, year: int, sections: Sequence[str] | str | None = None, lang: str = "vi",
               out_path: Path | str | None = None, progress: Progress | None = None) -> Path:
    """Build the meeting pack for `scope` and `year` and save it to `out_path` (a temporary file when
    None); returns the path. `sections`: names from SECTIONS (list or comma-separated; default all).
    `progress(i, n, label)` is called before each step (reading the data, then each slide) and once
    at the end with i == n."""
    keys = normalise_sections(sections)
    if out_path is None:
        out_path = Path(tempfile.mkdtemp(prefix="ntm-pack-")) / f"{images.file_stem('pack', scope.code or 'VN', year)}.pptx"
    steps = len(keys) * 2 + 2                          # read each section, draw the title and each slide, save

    def collecting(i, n, text):
        if progress:
            progress(i, steps, text)

    pack = collect(con, scope, year, keys, lang, collecting)
    return render_pptx(pack, out_path, progress, step0=len(keys), steps=steps)


def pack_bytes(con, scope: Scope, year: int, sections: Sequence[str] | str | None = None, lang: str = "vi",
               progress: Progress | None = None) -> bytes:
    """The meeting pack as bytes (for a download button)."""
    path = build_pack(con, scope, year, sections, lang, None, progress)
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass


def pack_file_name(scope: Scope, year: int, lang: str = "vi") -> str:
    """'bao-cao-giao-ban_tinh-kon-tum_2024.pptx'."""
    return images.file_stem(t("pack.title", lang), scope.name if scope.level != "national" else "VN", year) + ".pptx"

