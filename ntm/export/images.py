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

No streamlit here. Rendering holds a lock: the sync server serves one request at a time. Chromium is
found once (`browser_path`), started with flags that keep it off the network (`QUIET_FLAGS`), and given
`START_TIMEOUT_S` to start and `RENDER_TIMEOUT_S` per image: without it, or when it stops answering,
`ExportUnavailable` says so in the reader's language instead of waiting for ever.
"""

from __future__ import annotations

import functools
import html
import io
import os
import re
import shlex
import shutil
import tempfile
import threading
import unicodedata
from contextlib import contextmanager
from datetime import date, datetime
from typing import Iterator

import plotly.graph_objects as go

from ntm.errors import ExportUnavailable
from ntm.present.charts import frame
from ntm.present.charts.frame import ChartContext
from ntm.present.labels import source_line
from ntm.text import fmt_date, t

EXPORT_WIDTH = 1920                     # pixels of a 16:9 PNG (× 1080)
DATE_NAME = "export_date"
NOTICE_NAME = "export_notice"

_state_lock = threading.Lock()
_render_lock = threading.RLock()
_users = 0
_started_here = False

RENDER_TIMEOUT_S = 120          # one image (a national map is the slowest, ~10 s): beyond this, give up
START_TIMEOUT_S = 30            # Chromium up and answering
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium reaches nothing outside this machine while it draws: no background networking, component or
# safe-browsing updates, sync, metrics, pings or DNS prefetch, and every host name but localhost unresolvable.
QUIET_FLAGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
               "--disable-default-apps", "--dns-prefetch-disable", "--metrics-recording-only",
               "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
               "NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater,WebRtcHideLocalIpsWithMdns",
               "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1")


def browser_path() -> str | None:
    """The Chromium exports draw with: `NTM_CHROMIUM`, else one on the PATH, else kaleido's own copy."""
    env = os.environ.get("NTM_CHROMIUM")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    for name in BROWSER_NAMES:
        if found := shutil.which(name):
            return found
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:                              # noqa: BLE001 (any failure means: no browser)
        return None
    return str(found) if found and os.path.isfile(found) else None


@functools.lru_cache(maxsize=4)
def _quiet_launcher(path: str) -> str:
    """A small executable that starts `path` with `QUIET_FLAGS` (kaleido takes a browser path, not flags)."""
    folder = tempfile.mkdtemp(prefix="ntm-chromium-")
    launcher = os.path.join(folder, "chromium")
    with open(launcher, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in (path, *QUIET_FLAGS)) + ' "$@"\n')
    os.chmod(launcher, 0o755)
    return launcher


def _bounded(seconds: float, what: str, fn, *args, **kwargs):
    """`fn(*args, **kwargs)` given `seconds` to answer; ExportUnavailable otherwise (a Chromium that died
    leaves kaleido waiting for ever)."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:               # noqa: BLE001 (handed to the caller)
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name=f"ntm-{what}")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise ExportUnavailable("export.timeout", seconds=int(seconds))
    if "error" in box:
        if type(box["error"]).__name__ == "ChromeNotFoundError":
            raise ExportUnavailable("export.no_browser") from None
        raise box["error"]
    return box.get("value")


def _start_server() -> None:
    """kaleido's sync server on the quiet Chromium, up within `START_TIMEOUT_S` or ExportUnavailable."""
    import kaleido

    path = browser_path()
    if path is None:
        raise ExportUnavailable("export.no_browser")
    _bounded(START_TIMEOUT_S, "start", kaleido.start_sync_server, mathjax=False, silence_warnings=True,
             path=_quiet_launcher(path))
    if not _server_running():
        raise ExportUnavailable("export.no_browser")


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
            _start_server()
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
            return _bounded(RENDER_TIMEOUT_S, "render", kaleido.calc_fig_sync, fig.to_dict(), opts=opts, topojson=None)
    with kaleido_session(), _render_lock:
        return _bounded(RENDER_TIMEOUT_S, "render", kaleido.calc_fig_sync, fig.to_dict(), opts=opts, topojson=None)


# ---------------------------------------------------------------------------------------------
# Stamping: title, unit, source, date and notices inside the image

def _annotation(fig: go.Figure, name: str):
    return next((a for a in fig.layout.annotations or () if a.name == name), None)


def _all_text(fig: go.Figure) -> str:
    parts = [fig.layout.title.text or ""] + [a.text or "" for a in fig.layout.annotations or ()]
    return html.unescape(" ".join(parts))


def export_date_text(when: date | datetime | None = None, lang: str = "vi") -> str:
    """'Xuất ngày 26/11/2026' / 'Exported 2026-11-26' (today by default)."""
    when = when or date.today()
    return t("ui.exported_on", lang, date=fmt_date(when, lang))


def stamp(fig: go.Figure, ctx: ChartContext | None = None, lang: str = "vi", when: date | datetime | None = None,
          notices: tuple[str, ...] = (), title: str | None = None, unit: str | None = None) -> go.Figure:
    """A copy of `fig` carrying everything an image needs on its own: a title (from `title`, else the
    figure's, else the context's scope and years), the unit (`unit` as subtitle when it has none), the
    source line and the demo notice (added when missing), extra `notices` (e.g. the schematic
    boundaries notice) and the export date, bottom right."""
    out = for_projector(go.Figure(fig))
    if title or not out.layout.title.text:
        name = title or (f"{ctx.scope_name}, {ctx.years_label}" if ctx else "")
        out.update_layout(title=dict(text=f"<b>{frame.esc(name)}</b>", x=0.01, xanchor="left", y=0.985,
                                     yanchor="top", font=dict(size=PROJECTOR_FONT["title"])))
        out.update_layout(margin=dict(t=max(out.layout.margin.t or 0, frame.MARGIN["t"])))
    if unit and not out.layout.title.subtitle.text:
        out.update_layout(title_subtitle=dict(text=frame.esc(unit), font=dict(size=PROJECTOR_FONT["subtitle"])))
    if out.layout.margin.b is None or out.layout.margin.b < frame.MARGIN["b"]:
        out.update_layout(margin=dict(b=frame.MARGIN["b"]))
    if _annotation(out, "source") is None:
        src = frame.source_text(ctx, lang) if ctx else frame.esc(source_line(False, lang))
        out.add_annotation(text=src, name="source", **bottom_annotation(0, "left"))
    text = _all_text(out)
    demo = t("demo_tag", lang)
    extra = [n for n in notices if n and n not in text]
    if ctx is not None and ctx.is_demo and demo not in text:
        extra.append(demo)
    if extra and _annotation(out, NOTICE_NAME) is None:
        out.add_annotation(text="<br>".join(f"<b>{frame.esc(n)}</b>" for n in extra), name=NOTICE_NAME,
                           **bottom_annotation(1, "right", yshift=-frame.SOURCE_SHIFT + 18))
    if _annotation(out, DATE_NAME) is None:
        out.add_annotation(text=frame.esc(export_date_text(when, lang)), name=DATE_NAME, **bottom_annotation(1, "right"))
    return out


# Type sizes of an exported image, in layout pixels (× 1.2 in a 1920-px PNG): tick and legend labels
# ≥ 18 px and titles ≥ 28 px on the image, as a room reads them on a projector.
PROJECTOR_FONT = {"base": 15, "title": 24, "axis_title": 16, "subtitle": 15}


def for_projector(fig: go.Figure) -> go.Figure:
    """`fig` with the type sizes of an image shown in a meeting room (never smaller than it had)."""
    size = lambda current, floor: max(current or 0, floor)           # noqa: E731
    fig.update_layout(font_size=size(fig.layout.font.size, PROJECTOR_FONT["base"]),
                      legend_font_size=size(fig.layout.legend.font.size, PROJECTOR_FONT["base"]))
    if fig.layout.title.text:
        fig.update_layout(title_font_size=size(fig.layout.title.font.size, PROJECTOR_FONT["title"]),
                          title_subtitle_font_size=size(fig.layout.title.subtitle.font.size, PROJECTOR_FONT["subtitle"]))
    fig.for_each_xaxis(lambda a: a.update(tickfont_size=size(a.tickfont.size, PROJECTOR_FONT["base"]),
                                          title_font_size=size(a.title.font.size, PROJECTOR_FONT["axis_title"])))
    fig.for_each_yaxis(lambda a: a.update(tickfont_size=size(a.tickfont.size, PROJECTOR_FONT["base"]),
                                          title_font_size=size(a.title.font.size, PROJECTOR_FONT["axis_title"])))
    return fig


def bottom_annotation(x: float, anchor: str, yshift: float | None = None) -> dict:
    """Placement and style of a note under the plot area (the source line, the export date, notices)."""
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
