"""The pack's chart slides: any registered chart (`ntm.present.charts.CHARTS`) drawn from its series for
the pack's scope and years, with the chart's finding and tone; the movements, the ranking (the districts
of a province on the old units, its communes on the new ones, the provinces nationally; the slide shows
the best and worst halves, the download every unit) and the poor-rate map (by district on the old units,
by commune on the new ones, by province nationally)."""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ntm.export.map_image import map_figure
from ntm.export.pack.model import PackContext, Section, section_title
from ntm.export.table_downloads import TableExport
from ntm.present import findings, maps
from ntm.present.charts import CHARTS
from ntm.present.charts.frame import ChartContext
from ntm.present.charts.poverty import RANKING_CHARTS
from ntm.present.labels import ranking_frame, ranking_level, ranking_title, ranking_units, series_frame
from ntm.present.state import default_level
from ntm.read.scope import Scope, resolve_scope
from ntm.text import t

RANKING_ROWS = 14                     # units on the ranking slide (best and worst halves)
Ready = Callable[[pd.DataFrame, int], bool]


def chart_slide(key: str, chart: str | None = None, ready: Ready | None = None,
                say_why: bool = False) -> Callable[[PackContext], Section]:
    """A section builder drawing registered chart `chart` (default: the section's key). `ready(df, year)`
    says whether the frame has what the slide needs; when it has not, the slide says there are no
    figures — or, with `say_why`, what the chart's finding says about it."""
    def build(c: PackContext) -> Section:
        spec = CHARTS[chart or key]
        df = series_frame(c.con, spec.series, c.scope, c.lang,
                          **spec.series_options(c.year, c.years, through_year=True))
        if df.empty or (ready is not None and not ready(df, c.year)):
            return c.empty(key, spec.finding(df, c.year, c.lang) if say_why and spec.finding else None)
        ctx = c.chart_ctx(spec.title_years(df, c.year), spec.rates)
        years = f"{c.year - 1} → {c.year}" if spec.span == "pair" else ctx.years_label
        return Section(key, section_title(key, c.lang, c.year, c.scope.geo),
                       spec.finding(df, c.year, c.lang) if spec.finding else "",
                       spec.tone(df, c.year) if spec.tone else "neutral",
                       caption=c.caption(years, spec.unit), figure=spec.draw(df, ctx, c.lang, **spec.options(c.year)),
                       ctx=ctx, notices=break_notices(df, ctx.years, c.lang))
    return build


def break_notices(df: pd.DataFrame, years, lang: str) -> tuple[str, ...]:
    """The poverty-standard breaks among the years a slide shows, one sentence each (its footer says
    them beside the dashed line on the chart)."""
    lo, hi = min(years), max(years)
    return tuple(note for (y0, *_), note in zip(findings.breaks_in(df, hi), findings.break_notes(df, lang, hi))
                 if y0 >= lo - 1)


def has_year(column: str | None = None) -> Ready:
    """Ready when the frame has the reporting year (with a value in `column`, when given)."""
    return lambda df, year: bool(((df["year"] == year) & (df[column].notna() if column else True)).any())


def movements(c: PackContext) -> Section:
    """Movements on the ladder from the year before (needs that year's figures)."""
    if c.year - 1 not in c.years:
        return c.empty("movements", t("ui.movements_need_two_years", c.lang, year=c.year - 1))
    return chart_slide("movements")(c)


def district_ranking(c: PackContext) -> Section:
    """The units a leader compares ranked by the poor-rate reduction since the first year (`ranking_scope`),
    titled by what it ranks, with the table for download."""
    first = min(c.years)
    if c.year <= first:
        return c.empty("district_ranking", t("ui.one_year_only", c.lang))
    scope, name = ranking_scope(c)
    spec = CHARTS[RANKING_CHARTS[scope.geo]]
    df = series_frame(c.con, spec.series, scope, **spec.series_options(c.year, c.years))
    if df.empty:
        return c.empty("district_ranking")
    ctx = ChartContext(name, (first, c.year), c.is_demo)
    title = ranking_title(ranking_level(df), c.lang)
    sec = Section("district_ranking", title, spec.finding(df, c.year, c.lang),
                  caption=f"{name}, {first}–{c.year} · {t(spec.unit, c.lang)}", figure=spec.draw(df, ctx, c.lang), ctx=ctx,
                  notices=break_notices(df, (first, c.year), c.lang))
    if len(df) > RANKING_ROWS:                         # the slide: the best and the worst halves
        k = RANKING_ROWS // 2
        ordered = df.sort_values("reduction_pp", ascending=False)
        sec.slide_fig = spec.draw(pd.concat([ordered.head(k), ordered.tail(k)]), ctx, c.lang)
        sec.table_note = t("pack.ranking_cut", c.lang, shown=2 * k, n=len(df), k=k,
                           units=ranking_units(ranking_level(df), c.lang))
    sec.table = TableExport(f"ranking_{scope.code or 'VN'}_{first}_{c.year}", f"{title} — {name}, {first}–{c.year}",
                            ranking_frame(df, c.lang, scope.geo), c.notes())
    return sec


def ranking_scope(c: PackContext) -> tuple[Scope, str]:
    """The scope whose units the ranking compares, and its name: the pack's own, except that on the old
    units a district or commune is ranked among its province's districts, and on the new units a commune
    among its province's communes."""
    scope = c.scope
    if scope.level == "commune" or (scope.level == "district" and scope.geo == "old"):
        province = resolve_scope(c.con, scope.province_code, c.year, scope.geo)
        return (province, province.name) if province else (scope, c.scope_label)
    return scope, c.scope_label


def poverty_map(c: PackContext) -> Section:
    """The poor-household rate by the units of the scope's default map level (`default_level`: communes
    of a province on the new units, districts on the old; a commune within its province on the new units,
    within its district on the old, outlined), titled by that level."""
    scope, selected = c.scope, None
    if scope.level == "commune":                       # the commune among its neighbours
        selected = scope.code
        scope = (resolve_scope(c.con, scope.province_code, c.year, scope.geo) if scope.geo == "new" else
                 Scope("district", scope.district_code, scope.name, scope.province_code, scope.district_code, geo="old"))
        scope = scope or c.scope
    level = default_level(scope.level, scope.geo)
    view = maps.build_map(c.con, level=level, year=c.year, scope=scope, metric="poor_rate",
                          lang=c.lang, selected=selected, filtered=bool(getattr(c.scope, "mountainous_only", False)))
    if view.n_with_data == 0:
        return c.empty("map")
    notices = (t("schematic_notice", c.lang),) if view.schematic else ()
    return Section("map", t(f"pack.map_by.{level}", c.lang),
                   findings.map_extremes(view.table, view.metric_label, c.year, c.lang),
                   caption=f"{c.scope_label}, {c.year} · {view.title}",
                   figure=map_figure(view, c.scope_label, c.lang), ctx=c.chart_ctx((c.year,)), notices=notices,
                   boundaries=tuple(maps.source_names(view, c.lang)), schematic=view.schematic)
