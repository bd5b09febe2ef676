"""Charts and maps as images (PNG, SVG) for slides and reports, rendered offline by kaleido + Chromium.

- `kaleido_session()`: one Chromium for many images. It starts kaleido's sync server on first entry and
  stops it when the last user leaves (re-entrant, shared by threads; Streamlit sessions may overlap).
  MathJax is switched off (kaleido would fetch it from a CDN); plotly.js comes from the plotly package.
- `stamp(fig, ctx, lang)`: the figure as it must leave the dashboard: title, unit, source line, the
  demo notice and the export date INSIDE the image (added when the figure lacks them).
- `to_png(fig)` / `to_svg(fig)`: 16:9, 1920×1080 by default (the 1600×900 layout the charts are
  designed for, at scale 1.2); taller charts keep their height (`frame.export_size`).
- `map_figure(view)`: a static map of an `ntm.present.maps.MapView` drawn with plain scatter polygons on
  x/y axes (no geo subplot, so no topojson from a CDN): classes, district outlines, labels, legend,
  and the schematic-boundary notice.

No streamlit here. Rendering holds a lock: the sync server serves one request at a time.
"""

from __future__ import annotations

import html
import io
import math
import re
import threading
import unicodedata
from contextlib import contextmanager
from datetime import date, datetime
from typing import Iterator

import plotly.graph_objects as go

from ntm.present.charts import frame
from ntm.present.charts.frame import ChartContext
from ntm.text import fmt_date, plotly_separators, t
from ntm.present import maps
from ntm.present.labels import source_line

EXPORT_WIDTH = 1920                     # pixels of a 16:9 PNG (× 1080)
DATE_NAME = "export_date"
NOTICE_NAME = "export_notice"

_state_lock = threading.Lock()
_render_lock = threading.RLock()
_users = 0
_started_here = False


def _server_running() -> bool:
    import kaleido

    server = getattr(kaleido, "_global_server", None)
    return bool(server is not None and server.is_running())


@contextmanager
def kaleido_session() -> Iterator[None]:
    """Keep one headless Chromium (kaleido's sync server) open for every image rendered inside.

    Nested and concurrent sessions share it; the server started here is stopped when the last session
    ends. A server somebody else started is left running."""
    import kaleido

    global _users, _started_here
    with _state_lock:
        if _users == 0 and not _server_running():
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            _started_here = True
        _users += 1
    try:
        yield
    finally:
        with _state_lock:
            _users -= 1
            if _users == 0 and _started_here:
                with _render_lock:
                    kaleido.stop_sync_server(silence_warnings=True)
                _started_here = False


def render(fig: go.Figure, fmt: str = "png", width: int | None = None, height: int | None = None,
           scale: float = 1.0) -> bytes:
    """Raw kaleido rendering of a figure at a layout size (no stamping). Outside `kaleido_session()`
    each call starts its own Chromium (~2 s)."""
    import kaleido

    w, h = frame.export_size(fig)
    opts = dict(format=fmt, width=width or w, height=height or h, scale=scale)
    with _render_lock:
        if _server_running():
            return kaleido.calc_fig_sync(fig.to_dict(), opts=opts, topojson=None)
    with kaleido_session(), _render_lock:
        return kaleido.calc_fig_sync(fig.to_dict(), opts=opts, topojson=None)


# ---------------------------------------------------------------------------------------------
# Stamping: title, unit, source, date and notices inside the image

def _annotation(fig: go.Figure, name: str):
    return next((a for a in fig.layout.annotations or () if a.name == name), None)


def _all_text(fig: go.Figure) -> str:
    parts = [fig.layout.title.text or ""] + [a.text or "" for a in fig.layout.annotations or ()]
    return html.unescape(" ".join(parts))


def export_date_text(when: date | datetime | None = None, lang: str = "vi") -> str:
    when = when or date.today()
    return t("ui.exported_on", lang, date=fmt_date(when, lang))


def stamp(fig: go.Figure, ctx: ChartContext | None = None, lang: str = "vi", when: date | datetime | None = None,
          notices: tuple[str, ...] = (), title: str | None = None, unit: str | None = None) -> go.Figure:
    """A copy of `fig` carrying everything an image needs on its own: a title (from `title`, else the
    figure's, else the context's scope and years), the unit (`unit` as subtitle when it has none), the
    source line and the demo notice (added when missing), extra `notices` (e.g. the schematic
    boundaries notice) and the export date, bottom right."""
    out = go.Figure(fig)
    if title or not out.layout.title.text:
        name = title or (f"{ctx.scope_name}, {ctx.years_label}" if ctx else "")
        out.update_layout(title=dict(text=f"<b>{frame.esc(name)}</b>", x=0.01, xanchor="left", y=0.985,
                                     yanchor="top", font=dict(size=22)))
        out.update_layout(margin=dict(t=max(out.layout.margin.t or 0, frame.MARGIN["t"])))
    if unit and not out.layout.title.subtitle.text:
        out.update_layout(title_subtitle=dict(text=frame.esc(unit), font=dict(size=14)))
    if out.layout.margin.b is None or out.layout.margin.b < frame.MARGIN["b"]:
        out.update_layout(margin=dict(b=frame.MARGIN["b"]))
    if _annotation(out, "source") is None:
        src = frame.source_text(ctx, lang) if ctx else frame.esc(source_line(False, lang))
        out.add_annotation(text=src, name="source", **_bottom(0, "left"))
    text = _all_text(out)
    demo = t("demo_tag", lang)
    extra = [n for n in notices if n and n not in text]
    if ctx is not None and ctx.is_demo and demo not in text:
        extra.append(demo)
    if extra and _annotation(out, NOTICE_NAME) is None:
        out.add_annotation(text="<br>".join(f"<b>{frame.esc(n)}</b>" for n in extra), name=NOTICE_NAME,
                           **_bottom(1, "right", yshift=-frame.SOURCE_SHIFT + 18))
    if _annotation(out, DATE_NAME) is None:
        out.add_annotation(text=frame.esc(export_date_text(when, lang)), name=DATE_NAME, **_bottom(1, "right"))
    return out


def _bottom(x: float, anchor: str, yshift: float | None = None) -> dict:
    return dict(xref="paper", yref="paper", x=x, y=0, xanchor=anchor, yanchor="bottom",
                yshift=-frame.SOURCE_SHIFT if yshift is None else yshift, align=anchor, showarrow=False,
                font=dict(size=12, color="#555555"))


def _scale(fig: go.Figure, width: int) -> tuple[int, int, float]:
    w, h = frame.export_size(fig)
    return w, h, width / w


def to_png(fig: go.Figure, ctx: ChartContext | None = None, lang: str = "vi", width: int = EXPORT_WIDTH,
           when: date | datetime | None = None, notices: tuple[str, ...] = ()) -> bytes:
    """The stamped figure as PNG, `width` pixels wide (default 1920): 1920×1080 for a 16:9 chart,
    taller for charts that need the height (`frame.export_size`)."""
    fig = stamp(fig, ctx, lang, when, notices)
    w, h, scale = _scale(fig, width)
    return render(fig, "png", w, h, scale)


def to_svg(fig: go.Figure, ctx: ChartContext | None = None, lang: str = "vi",
           when: date | datetime | None = None, notices: tuple[str, ...] = ()) -> bytes:
    """The stamped figure as SVG, at its 16:9 layout size (1600×900, taller when needed)."""
    fig = stamp(fig, ctx, lang, when, notices)
    w, h = frame.export_size(fig)
    return render(fig, "svg", w, h, 1.0)


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of a PNG from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def file_stem(*parts) -> str:
    """An ASCII file name from titles and codes ('Tỷ lệ hộ nghèo', 62, 2024 → 'ty-le-ho-ngheo_62_2024')."""
    out = []
    for p in parts:
        s = unicodedata.normalize("NFKD", str(p).replace("đ", "d").replace("Đ", "D"))
        s = s.encode("ascii", "ignore").decode().lower()
        s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
        if s:
            out.append(s[:60])
    return "_".join(out) or "export"


# ---------------------------------------------------------------------------------------------
# Static map of a MapView (offline: scatter polygons on x/y axes, no geo subplot)

def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def _paths(features: list[dict]) -> tuple[list, list]:
    """x and y of every ring of the features, rings separated by None (one SVG path, holes included)."""
    xs, ys = [], []
    for f in features:
        for ring in _rings(f["geometry"]):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _rgb(c) -> str:
    return f"rgb({int(c[0])}, {int(c[1])}, {int(c[2])})"


def _bounds(features: list[dict]) -> tuple[float, float, float, float] | None:
    xs, ys = _paths(features)
    xs, ys = [x for x in xs if x is not None], [y for y in ys if y is not None]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def map_figure(view, scope_name: str | None = None, lang: str | None = None) -> go.Figure:
    """A plotly figure of an `ntm.present.maps.MapView`: the units coloured by class (one legend entry per class
    with its count), the province context, district outlines (mountainous districts thick brown), the
    archipelagos on national maps, unit labels, and a source block that names the boundaries and says
    when they are schematic and when the figures are demo data."""
    lang = lang or view.lang
    fig = go.Figure()
    units = view.units["features"]
    box = _bounds(units) or (102.1, 8.2, 117.8, 23.4)
    if view.level == "province" and len(units) > 40:                 # the whole country: the islands too
        arch = _bounds(view.archipelagos["features"])
        if arch:
            box = (min(box[0], arch[0]), min(box[1], arch[1]), max(box[2], arch[2]), max(box[3], arch[3]))
    pad_x, pad_y = (box[2] - box[0]) * 0.04 + 0.02, (box[3] - box[1]) * 0.04 + 0.02
    x0, x1, y0, y1 = box[0] - pad_x, box[2] + pad_x, box[1] - pad_y, box[3] + pad_y

    def near(f) -> bool:
        b = _bounds([f])
        return bool(b) and b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0

    context = [f for f in view.context["features"] if near(f)]
    if context:
        xs, ys = _paths(context)
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgb(maps.CONTEXT_FILL),
                        line=dict(color=_rgb(maps.CONTEXT_LINE), width=0.8), hoverinfo="skip", showlegend=False)
    by_colour: dict[tuple, list] = {}
    for f in units:
        by_colour.setdefault(tuple(f["properties"]["fill"][:3]), []).append(f)
    for item in view.legend:
        feats = by_colour.get(tuple(item.colour), [])
        if feats:
            xs, ys = _paths(feats)
            fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgb(item.colour), showlegend=False,
                            line=dict(color="rgb(255, 255, 255)", width=0.7), hoverinfo="skip")
        fig.add_scatter(x=[None], y=[None], mode="markers", name=frame.esc(f"{item.label} ({item.count})"),
                        hoverinfo="skip", marker=dict(symbol="square", size=16, color=_rgb(item.colour),
                                                      line=dict(color="#999999", width=1)))
    mountain = tuple(maps.MOUNTAIN_LINE)
    outlines = (view.outlines or {}).get("features", []) if view.outlines else []
    plain = [f for f in outlines if tuple(f["properties"]["line"]) != mountain]
    thick = [f for f in outlines if tuple(f["properties"]["line"]) == mountain]
    emphasised = view.emphasised["features"]
    thick += [f for f in emphasised if tuple(f["properties"]["line"]) == mountain]
    if plain:
        xs, ys = _paths(plain)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="rgb(90, 90, 90)", width=1.5), hoverinfo="skip",
                        showlegend=False)
    if thick:
        xs, ys = _paths(thick)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=_rgb(mountain), width=3), hoverinfo="skip",
                        name=frame.esc(t("ui.mountainous_outline", lang)))
    selected = [f for f in emphasised if tuple(f["properties"]["line"]) == tuple(maps.SELECTED_LINE)]
    if selected:
        xs, ys = _paths(selected)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="rgb(20, 20, 20)", width=4), hoverinfo="skip",
                        showlegend=False)
    arch = [f for f in view.archipelagos["features"] if near(f)]
    if arch:
        xs, ys = _paths(arch)
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgb(maps.ARCHIPELAGO_FILL),
                        line=dict(color="rgb(60, 60, 60)", width=3), hoverinfo="skip", showlegend=False)
    labels = [lb for lb in view.labels if x0 <= lb["position"][0] <= x1 and y0 <= lb["position"][1] <= y1]
    if labels:
        fig.add_scatter(x=[lb["position"][0] for lb in labels], y=[lb["position"][1] for lb in labels],
                        mode="text", text=[frame.esc(lb["text"]).replace("\n", "<br>") for lb in labels],
                        textfont=dict(size=13, color="#1E1E1E"), hoverinfo="skip", showlegend=False)
    lat = math.radians((y0 + y1) / 2)
    fig.update_xaxes(range=[x0, x1], visible=False)
    fig.update_yaxes(range=[y0, y1], visible=False, scaleanchor="x", scaleratio=1 / max(math.cos(lat), 0.2))

    ctx = ChartContext(scope_name or "", (view.year,), view.is_demo)
    unit = f"{t('ui.legend', lang)}: {view.unit_label}" + (f" · {view.legend_note}" if view.legend_note else "")
    sources = ", ".join(t("ui.boundary_schematic", lang) if s == "schematic" else s for s in view.sources)
    src = frame.source_text(ctx, lang)
    lines = [frame.esc(t("ui.boundaries_from", lang, sources=sources))] if sources else []
    if view.schematic:
        lines.append("<b>" + frame.esc(t("schematic_notice", lang)) + "</b>")
    title = f"<b>{frame.esc(view.title)}</b>" + (f" — {frame.esc(scope_name)}" if scope_name else "")
    fig.update_layout(
        template="plotly_white", height=900, width=None, font=dict(family=frame.FONT, size=14, color="#222222"),
        separators=plotly_separators(lang), margin=dict(l=40, r=40, t=110, b=140),
        title=dict(text=title, x=0.01, xanchor="left", y=0.985, yanchor="top", font=dict(size=22),
                   subtitle=dict(text=frame.esc(unit), font=dict(size=14))),
        legend=dict(orientation="v", x=1.0, xanchor="right", y=1.0, yanchor="top", bgcolor="rgba(255,255,255,0.85)",
                    bordercolor="#CCCCCC", borderwidth=1, font=dict(size=14), title_text=frame.esc(view.metric_label)),
        plot_bgcolor="#FFFFFF")
    fig.add_annotation(text="<br>".join(lines + [src]), name="source", **_bottom(0, "left", yshift=-135))
    return fig


def figure_bytes(figs: dict[str, tuple[go.Figure, ChartContext | None]], lang: str = "vi",
                 formats: tuple[str, ...] = ("png", "svg"), progress=None,
                 notices: dict[str, tuple[str, ...]] | None = None) -> dict[str, dict[str, bytes]]:
    """Many figures as images in one Chromium: name → {format: bytes}. `progress(i, n, name)` is called
    before each image."""
    out: dict[str, dict[str, bytes]] = {}
    n = len(figs) * len(formats)
    i = 0
    with kaleido_session():
        for name, (fig, ctx) in figs.items():
            out[name] = {}
            for fmt in formats:
                if progress:
                    progress(i, n, name)
                extra = (notices or {}).get(name, ())
                out[name][fmt] = (to_png(fig, ctx, lang, notices=extra) if fmt == "png"
                                  else to_svg(fig, ctx, lang, notices=extra))
                i += 1
    if progress:
        progress(n, n, "")
    return out


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of file name → bytes."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
