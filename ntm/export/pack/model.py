"""What a meeting pack holds before it is drawn: a title slide's facts, then one `Section` per slide —
its title, the one-sentence finding, and a chart, a native table, overview tiles or the sources text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

import plotly.graph_objects as go

from ntm.export.table_downloads import TableExport
from ntm.present.charts.frame import ChartContext
from ntm.present.labels import source_line, standards_note
from ntm.read.poverty import local_standards_used
from ntm.read.scope import Scope
from ntm.text import has_text, t

Progress = Callable[[int, int, str], None]
TABLE_ROWS = 12                       # rows of a native table on one slide (all rows: in the XLSX)


def section_title(key: str, lang: str = "vi", year: int | None = None, geo: str | None = None) -> str:
    """The slide title of a section (for a year), worded for the geography when it has its own
    ('pack.section.<key>.new': communes, not districts, on the new units)."""
    year = year or 0
    own = f"pack.section.{key}.{geo}"
    return t(own if geo and has_text(own) else f"pack.section.{key}", lang, year=year, y0=year - 1, y1=year)


@dataclass
class Tile:
    """One overview figure: what it is, its value, a note under it and whether it is good news."""

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
    boundaries: tuple[str, ...] = ()  # a map's boundary layers, their sources in words (`maps.source_names`)
    schematic: bool = False           # a map drawing a schematic layer (not official boundaries)

    @property
    def has_content(self) -> bool:
        """Whether the slide shows anything besides its finding."""
        return bool(self.figure is not None or self.table is not None or self.tiles or self.blocks)


@dataclass
class PackFacts:
    """What a pack is about: the scope and its label, the reporting year and the years with figures up
    to it, the language and whether the figures are demo data."""

    scope: Scope
    scope_label: str
    year: int
    years: tuple[int, ...]
    lang: str
    is_demo: bool


@dataclass
class Pack(PackFacts):
    """A collected pack: its facts, when it was made and its sections."""

    created: datetime = field(default_factory=datetime.now)
    sections: list[Section] = field(default_factory=list)

    @property
    def source(self) -> str:
        """The source line of every slide's footer."""
        return source_line(False, self.lang)

    @property
    def demo_tag(self) -> str:
        """The demo-data notice of every slide's footer (when the figures are demo data)."""
        return t("demo_tag", self.lang)


@dataclass
class PackContext(PackFacts):
    """What every section builder reads: the pack's facts, the connection, the sections asked for and
    those already built (the sources slide reads the map's boundary layers)."""

    con: object = None
    sections: tuple[str, ...] = ()      # the sections of the pack, in slide order
    built: dict[str, Section] = field(default_factory=dict)

    def chart_ctx(self, years, rates: bool = False) -> ChartContext:
        """The chart context of a figure of this pack for `years` (for a chart of poverty rates, with the
        note naming a province's own poverty standard where figures follow one)."""
        years = tuple(int(y) for y in years)
        note = standards_note(local_standards_used(self.con, self.scope, years), self.lang) if rates else ""
        return ChartContext(self.scope_label, years, self.is_demo, note=note)

    def caption(self, years_label: str, unit_key: str) -> str:
        """'Tỉnh Kon Tum, 2021–2024 · Đơn vị: …' under a slide's title."""
        return f"{self.scope_label}, {years_label} · {t(unit_key, self.lang)}"

    def notes(self) -> tuple[str, ...]:
        """The source line and, for demo figures, the demo notice (on top of every table download)."""
        return tuple(x for x in (source_line(False, self.lang), t("demo_notice", self.lang) if self.is_demo else "")
                     if x)

    def empty(self, key: str, message: str | None = None) -> Section:
        """A slide that says there are no figures (or `message`)."""
        return Section(key, section_title(key, self.lang, self.year, self.scope.geo),
                       message or t("finding.no_data", self.lang, year=self.year))
