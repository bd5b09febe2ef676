"""The meeting pack's sections, one registry entry each, in slide order: how a section is built (from the
pack's context) and what it gives — a chart (an image on the slide and a PNG/SVG download), a table (a
native table on the slide and an XLSX/CSV download), tiles or text. Adding a section is one entry
here, its slide title in the catalogue (`pack.section.<key>`) and — unless it is a registered chart
(`chart_slide`) — its builder: a table in `tables`, a chart in `figures`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ntm.export.pack import figures, summary, tables
from ntm.export.pack.figures import chart_slide, has_year
from ntm.export.pack.model import PackContext, Section


@dataclass(frozen=True)
class SectionSpec:
    """One section: its builder and whether it gives a chart and / or a table."""

    build: Callable[[PackContext], Section]
    chart: bool = False
    table: bool = False


SECTIONS: dict[str, SectionSpec] = {
    "overview": SectionSpec(summary.overview),
    "ntm_status": SectionSpec(chart_slide("ntm_status"), chart=True),
    "targets": SectionSpec(tables.targets, table=True),
    "movements": SectionSpec(figures.movements, chart=True),
    "at_risk": SectionSpec(tables.at_risk, table=True),
    "criteria_departments": SectionSpec(tables.criteria_departments, table=True),
    "poverty_waterfall": SectionSpec(chart_slide("poverty_waterfall", ready=has_year("poor_start")), chart=True),
    "poverty_trend": SectionSpec(chart_slide("poverty_trend"), chart=True),
    "mountainous": SectionSpec(chart_slide("mountainous"), chart=True),
    "reduction_target": SectionSpec(chart_slide("reduction_target", ready=lambda df, year: df["reduction_pp"].notna().any(),
                                                say_why=True), chart=True),
    "district_ranking": SectionSpec(figures.district_ranking, chart=True, table=True),
    "fallback": SectionSpec(chart_slide("fallback", ready=has_year(), say_why=True), chart=True),
    "map": SectionSpec(figures.poverty_map, chart=True),
    "sources": SectionSpec(summary.sources),
}
CHART_SECTIONS = tuple(k for k, s in SECTIONS.items() if s.chart)
TABLE_SECTIONS = tuple(k for k, s in SECTIONS.items() if s.table)
