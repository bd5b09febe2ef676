"""Collecting a meeting pack (no rendering): the sections asked for, each built from the data with its
finding, figure or table, and the figures and tables the export page offers for download."""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

import plotly.graph_objects as go

from ntm.export.pack.model import Pack, PackContext, Progress, section_title
from ntm.export.pack.sections import SECTIONS
from ntm.export.table_downloads import TableExport
from ntm.present.charts.frame import ChartContext
from ntm.present.state import name_with_filters, national_name
from ntm.read.options import province_total
from ntm.read.scope import Scope
from ntm.read.summary import available_years, is_demo, provinces_with_data
from ntm.text import t


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


def scope_label(con, scope: Scope, lang: str = "vi") -> str:
    """The scope's name (a former district or area said so; the nation with how many provinces have
    figures), with the mountainous / ethnic-minority filters when it has them."""
    name = scope.name
    if scope.level == "national":
        name = national_name(len(provinces_with_data(con, scope.geo)), province_total(con, scope.geo), lang)
    if scope.former:
        name = t("unit.former_district", lang, name=name)
    elif scope.level == "area":
        name = t("unit.former_area", lang, name=name)
    return name_with_filters(name, getattr(scope, "mountainous_only", False), getattr(scope, "em_region", None),
                             lang, scope.geo)


def collect(con, scope: Scope, year: int, sections: Sequence[str] | str | None = None, lang: str = "vi",
            progress: Progress | None = None) -> Pack:
    """Read the data and build every section's finding, figure or table (nothing is rendered)."""
    keys = normalise_sections(sections)
    years = tuple(y for y in available_years(con) if y <= year) or (year,)
    demo = is_demo(con, scope, years)
    c = PackContext(scope, scope_label(con, scope, lang), int(year), years, lang, demo, con=con, sections=tuple(keys))
    for i, key in enumerate(sorted(keys, key=lambda k: k == "sources")):     # the sources slide reads the others
        if progress:
            progress(i, len(keys), t("pack.reading", lang, name=section_title(key, lang, year, scope.geo)))
        c.built[key] = SECTIONS[key].build(c)
    return Pack(scope, c.scope_label, c.year, years, lang, demo, datetime.now(), [c.built[k] for k in keys])


def chart_figures(pack: Pack) -> dict[str, tuple[go.Figure, ChartContext, tuple[str, ...]]]:
    """section → (full figure, its context, extra notices) for the sections drawn as charts."""
    return {s.key: (s.figure, s.ctx, s.notices) for s in pack.sections if s.figure is not None}


def tables(pack: Pack) -> dict[str, TableExport]:
    """section → table for download (targets, at-risk list, criteria by department, district ranking)."""
    return {s.key: s.table for s in pack.sections if s.table is not None}
