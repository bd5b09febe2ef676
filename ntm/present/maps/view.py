"""A map in one language, with no query: `label_map` turns a map's boundaries and figures into a
`MapView` — values, classes and colours, title, legend, plain-text tooltips (a template filled from each
unit's short fields), name labels, the selected unit outlined and the ranked table. `build_map` reads
and labels in one call.

A unit feature's properties are what the tooltip and the click handler need:

    {"code": "610", "name": "Huyện Đắk Glei", "fill": [r, g, b, a], "v": "12,30%", "h": "4.531", …}
"""

from __future__ import annotations

import math

import re
from dataclasses import dataclass, field

import pandas as pd

from ntm.domain.metrics import METRICS
from ntm.domain.units import LEVELS
from ntm.present.maps.classes import (LegendItem, format_value, is_categorical, make_classes, metric_label,
                                      metric_values, unit_label)
from ntm.present.maps.geometry import (MapGeometry, archipelago_features, collection, degrees_per_pixel, gc_paused,
                                      map_geometry, mercator_degrees)
from ntm.present.maps.style import LABEL_DARK, MOUNTAIN_LINE, NO_DATA_COLOUR, SELECTED_LINE, rgba
from ntm.read.geography import map_figures
from ntm.domain.units import default_geography
from ntm.read.scope import Scope, national
from ntm.store import geo
from ntm.text import fmt_number, language, t


@dataclass
class MapView:
    """Everything needed to draw one map and explain it in one language (plain data, picklable)."""

    level: str
    metric: str
    year: int
    lang: str
    title: str
    metric_label: str
    unit_label: str
    categorical: bool
    units: dict                          # FeatureCollection of the coloured units (code, name, fill, tooltip fields)
    tooltip: str                         # text template filled from each unit's properties (`tooltip_text`)
    emphasised: dict                     # outlines of the selected unit and, on district maps, mountainous districts
    context: dict                        # FeatureCollection of all provinces (background)
    outlines: dict | None                # district outlines over a commune map
    archipelagos: dict
    labels: list[dict]                   # position, text, size, color
    legend: list[LegendItem]
    legend_note: str
    view: dict                           # latitude, longitude, zoom
    sources: list[str]
    schematic: bool
    is_demo: bool
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_units: int = 0
    n_with_data: int = 0

def archipelago_layer_data(lang: str, archipelagos: dict | None = None) -> tuple[dict, list[dict]]:
    """The Hoàng Sa and Trường Sa archipelagos (FeatureCollection; from `MapGeometry.archipelagos`, else
    read from the bundled file) and their labels in `lang`."""
    if archipelagos is None:
        archipelagos = archipelago_features(geo.load_archipelagos())
    features, labels = [], []
    for f in archipelagos["features"]:
        p = f["properties"]
        name = p[f"name_{language(lang)}"]
        features.append({"type": "Feature", "properties": {"name": name, "code": p["code"]},
                         "geometry": f["geometry"]})
        labels.append({"position": list(p["label"]),
                       "text": t("ui.archipelago_label", lang, name=name, admin=p["admin"]), "size": 12,
                       "color": list(LABEL_DARK)})
    return collection(features), labels

TOOLTIP_HEAD = "{name} ({code})"

def tooltip_template(lines: list[tuple[str, str, list[str | None]]]) -> tuple[str, dict[str, list[str]]]:
    """A deck.gl text template and the short per-unit fields that fill it, for tooltip lines given as
    (field, label, value of each unit or None when the unit has no such line). A line every unit has
    keeps its label in the template and only its value in a field (no field when all values are the
    same); a line only some units have goes whole into its field ('' for the others)."""
    template, fields = TOOLTIP_HEAD, {}
    for key, label, values in lines:
        present = [v is not None for v in values]
        if not any(present):
            continue
        if all(present) and len(set(values)) == 1:
            template += "\n" + label + values[0]
        elif all(present):
            template += "\n" + label + "{" + key + "}"
            fields[key] = list(values)
        else:
            template += "{" + key + "}"
            fields[key] = ["" if v is None else "\n" + label + v for v in values]
    return template, fields

def tooltip_text(view: MapView, code: str) -> str:
    """The tooltip the browser shows for a unit: the view's template filled from the unit's properties
    (as Streamlit fills a pydeck text tooltip)."""
    props = next(f["properties"] for f in view.units["features"] if f["properties"]["code"] == code)
    return re.sub(r"{(.*?)}", lambda m: str(props[m.group(1)]) if m.group(1) in props else m.group(0),
                  view.tooltip)

@gc_paused()
def label_map(geometry: MapGeometry, figures: pd.DataFrame, *, metric: str = "poor_rate", lang: str = "vi",
              selected: str | None = None, filtered: bool = False) -> MapView:
    """The map of `metric` in `lang` from its boundaries and figures (no query): classes and colours,
    title, legend, tooltips, labels and the ranked table. `selected` is outlined; `filtered` says
    filters are active."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    level, year = geometry.level, geometry.year
    categorical = is_categorical(metric, level)
    data = geometry.units.merge(figures.assign(value=metric_values(figures, metric, level).to_numpy()), on="code",
                                how="left")
    vals = data["value"].astype(object).where(data["value"].notna(), None) if categorical \
        else pd.to_numeric(data["value"], errors="coerce")
    classes = make_classes(vals, metric, level, lang)
    label, ulabel = metric_label(metric, level, lang), unit_label(metric, level, lang)
    values = [None if not isinstance(v, str) and pd.isna(v) else v for v in vals]
    texts = _value_texts(values, data, metric, level, year, lang)
    template, fields = _tooltips(data, texts, f"{label} {year}: ", level, lang)
    fills = [rgba(classes.colours[c], 235) if c >= 0 else rgba(NO_DATA_COLOUR, 200) for c in classes.index]
    codes, names = data["code"].tolist(), data["name"].tolist()
    features = [{"type": "Feature", "geometry": geom,
                 "properties": {"code": code, "name": name, "fill": fills[i], **{k: v[i] for k, v in fields.items()}}}
                for i, (code, name, geom) in enumerate(zip(codes, names, geometry.shapes))]
    arch, labels = archipelago_layer_data(lang, geometry.archipelagos)
    labels = [inside_canvas(label, geometry.view) for label in labels]
    no_data_key = "ui.not_rural" if categorical else ("ui.no_data_filtered" if filtered else "ui.no_data")
    legend = [LegendItem(lbl, col, int((classes.index == k).sum()))
              for k, (lbl, col) in enumerate(zip(classes.labels, classes.colours))]
    legend.append(LegendItem(t(no_data_key, lang), NO_DATA_COLOUR, int((classes.index < 0).sum())))
    title = t("ui.map_title_cat" if categorical else "ui.map_title", lang, metric=label, unit=ulabel,
              level=t(f"ui.by_level.{'former_district' if geometry.geo == 'new' and level == 'district' else level}",
                      lang), year=year)
    return MapView(level=level, metric=metric, year=year, lang=lang, title=title, metric_label=label,
                   unit_label=ulabel, categorical=categorical, units=collection(features), tooltip=template,
                   emphasised=collection(_emphasised(geometry, data, selected)), context=geometry.context,
                   outlines=geometry.outlines, archipelagos=arch, labels=labels + _name_labels(geometry, data, fills, selected),
                   legend=legend, legend_note=classes.note, view=dict(geometry.view), sources=list(geometry.sources),
                   schematic=geometry.schematic, is_demo=bool(len(figures) and figures["is_demo"].fillna(False).any()),
                   table=_ranking(codes, names, values, texts, data, classes, lang), n_units=len(data),
                   n_with_data=int((classes.index >= 0).sum()))


def _value_texts(values: list, data: pd.DataFrame, metric: str, level: str, year: int, lang: str) -> list[str]:
    """Each unit's value as text; a change with no figures the year before says so."""
    texts = [format_value(v, metric, level, lang) for v in values]
    if METRICS[metric].change:
        prev = t("ui.no_prev_year", lang, year=year - 1)
        texts = [prev if v is None and not pd.isna(h) else s for v, h, s in zip(values, data["households"], texts)]
    return texts


def _tooltips(data: pd.DataFrame, texts: list[str], value_label: str, level: str,
              lang: str) -> tuple[str, dict[str, list[str]]]:
    """The tooltip template and the per-unit fields: value, households, poor, recognised communes (above
    communes), the district's own NTM status (district maps), mountainous, schematic boundary."""
    n = len(data)
    households = [None if pd.isna(h) else int(h) for h in data["households"]]
    poor, rural, recognised = data["poor"].to_numpy(), data["rural"].to_numpy(), data["recognised"].to_numpy()
    district_status = data["district_ntm"].to_numpy() if "district_ntm" in data else [None] * n
    mountainous = data["mountainous"].to_numpy(dtype=bool)
    schematic = data["is_schematic"].fillna(False).to_numpy(dtype=bool)

    def line(show, text_of) -> list[str | None]:
        return [text_of(i) if show(i) else None for i in range(n)]

    return tooltip_template([
        ("v", value_label, texts),
        ("h", f"{t('ui.tt_households', lang)}: ", [None if h is None else fmt_number(h, lang) for h in households]),
        ("p", f"{t('ui.tt_poor', lang)}: ",
         line(lambda i: households[i] is not None and not pd.isna(poor[i]), lambda i: fmt_number(poor[i], lang))),
        ("r", f"{t('ui.tt_recognised', lang)}: ",
         line(lambda i: level != "commune" and not pd.isna(rural[i]) and bool(rural[i]),
              lambda i: f"{fmt_number(recognised[i], lang)}/{fmt_number(rural[i], lang)}")),
        ("d", f"{t('ui.tt_district_ntm', lang)}: ",
         line(lambda i: level == "district" and isinstance(district_status[i], str),
              lambda i: t("ui.no" if district_status[i] == "none" else "ui.yes", lang))),
        ("m", t("ui.tt_mountainous", lang), line(lambda i: mountainous[i], lambda i: "")),
        ("s", t("ui.tt_schematic", lang), line(lambda i: schematic[i], lambda i: "")),
    ])


def _emphasised(geometry: MapGeometry, data: pd.DataFrame, selected: str | None) -> list[dict]:
    """Outlines that stand out: mountainous districts on a district map, then the selected unit."""
    codes, mountainous = data["code"].tolist(), data["mountainous"].to_numpy(dtype=bool)
    out = [{"type": "Feature", "properties": {"code": code, "line": list(MOUNTAIN_LINE), "line_w": 3}, "geometry": geom}
           for code, geom, m in zip(codes, geometry.shapes, mountainous) if geometry.level == "district" and m]
    return out + [{"type": "Feature", "properties": {"code": code, "line": list(SELECTED_LINE), "line_w": 4},
                   "geometry": geom} for code, geom in zip(codes, geometry.shapes) if selected and code == selected]


def _name_labels(geometry: MapGeometry, data: pd.DataFrame, fills: list, selected: str | None = None) -> list[dict]:
    """Unit names that fit at the initial view without overlapping: the selected unit first, then the
    largest. Provinces are named where they have figures; districts and communes on maps of a province
    or a district (a national map of districts or communes would only be a pile of names)."""
    if geometry.level != "province" and geometry.area_level == "national":
        return []
    with_data = data["households"].notna().to_numpy()
    candidates = [(code == selected, area, {"position": list(point), "size": 12, "color": list(LABEL_DARK),
                   "text": row.short_name if isinstance(row.short_name, str) else row.name})
                  for point, row, has, code, area in zip(geometry.label_points, data.itertuples(index=False), with_data,
                                                         data["code"], geometry.areas)
                  if has or geometry.level != "province"]
    candidates.sort(key=lambda c: (not c[0], -c[1]))
    return place_labels([inside_canvas(c[2], geometry.view) for c in candidates], geometry.view["zoom"])


def inside_canvas(label: dict, view: dict, margin_px: float = 6.0) -> dict:
    """The label moved just enough that its whole text lies inside the canvas of `view` (an island at
    the edge of a province keeps its name on screen)."""
    if "width" not in view:
        return label
    per_px = degrees_per_pixel(view["zoom"])
    lon, lat = label["position"]
    half_w = max(len(line) for line in str(label["text"]).split("\n")) * 0.3 * label["size"] + margin_px
    half_h = 0.6 * label["size"] * len(str(label["text"]).split("\n")) + margin_px
    limit_x = (view["width"] / 2 - half_w) * per_px
    lon = min(max(lon, view["longitude"] - limit_x), view["longitude"] + limit_x)
    limit_y = (view["height"] / 2 - half_h) * per_px
    centre = mercator_degrees(view["latitude"])
    y = min(max(mercator_degrees(lat), centre - limit_y), centre + limit_y)
    lat = math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)
    return {**label, "position": [round(float(lon), 4), round(lat, 4)]}


def place_labels(labels: list[dict], zoom: float, gap_px: float = 4.0) -> list[dict]:
    """The labels, in priority order, that do not overlap one already placed at `zoom` (Web Mercator
    pixels; a label's box is estimated from its text and size)."""
    scale = 1 / degrees_per_pixel(zoom)          # deck.gl's world is 512 pixels wide at zoom 0
    placed, boxes = [], []
    for label in labels:
        lon, lat = label["position"]
        x = lon * scale
        y = -mercator_degrees(lat) * scale
        lines = str(label["text"]).split("\n")
        w = max(len(line) for line in lines) * 0.56 * label["size"] / 2 + gap_px
        h = len(lines) * 1.2 * label["size"] / 2 + gap_px
        box = (x - w, y - h, x + w, y + h)
        if any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in boxes):
            continue
        boxes.append(box)
        placed.append(label)
    return placed


def _ranking(codes: list, names: list, values: list, texts: list[str], data: pd.DataFrame, classes,
             lang: str) -> pd.DataFrame:
    """The units with their value (a number, and as text), households, mountainous flag and class."""
    no_data = t("ui.no_data", lang)
    return pd.DataFrame({
        "code": codes, "name": names,
        "value": [None if v is None or isinstance(v, str) else float(v) for v in values],
        "value_text": texts, "households": [None if pd.isna(h) else int(h) for h in data["households"]],
        "mountainous": data["mountainous"].to_numpy(dtype=bool),
        "class": [classes.labels[c] if c >= 0 else no_data for c in classes.index],
    }, columns=["code", "name", "value", "value_text", "households", "mountainous", "class"])

def ranking_table(table: pd.DataFrame, lang: str):
    """The map's ranking (`MapView.table`, in the order given) for display: numbers stay numbers, so a
    click on a header sorts 505 before 1.009, and show in the reader's format (a pandas Styler)."""
    value_col, households_col = t("ui.col_value", lang), t("ui.col_households", lang)
    numeric = bool(table["value"].notna().any())
    shown = pd.DataFrame({
        t("ui.col_code", lang): table["code"].to_numpy(),
        t("ui.col_name", lang): table["name"].to_numpy(),
        value_col: (table["value"] if numeric else table["value_text"]).to_numpy(),
        households_col: table["households"].astype("Float64").to_numpy(),
        t("ui.col_mountainous", lang): [t("ui.yes", lang) if m else "" for m in table["mountainous"]],
    })
    text_of = dict(zip(table["value"], table["value_text"]))
    no_data = t("ui.no_data", lang)
    formats = {households_col: lambda v: fmt_number(v, lang) if pd.notna(v) else "–"}
    if numeric:
        formats[value_col] = lambda v: text_of.get(v, no_data) if pd.notna(v) else no_data
    return shown.style.format(formats)


def source_names(view: MapView, lang: str) -> list[str]:
    """The boundaries' sources in words, in `lang`: schematic, the shipped post-2025 polygons and the old
    provinces assembled from them, an analyst's file (its name and who uploaded it)."""
    from ntm.present.labels import operator

    named = {geo.SCHEMATIC: "ui.boundary_schematic", geo.POST2025_SOURCE: "ui.boundary_post2025",
             geo.PRE2025_SOURCE: "ui.boundary_pre2025"}
    out = []
    for s in view.sources:
        parts = s.split("\t")
        if len(parts) == 3 and parts[0] == geo.UPLOADED:
            out.append(t("ui.boundary_uploaded", lang, file=parts[1], user=operator(parts[2], lang)))
        else:
            out.append(t(named[s], lang) if s in named else s)
    return out


def build_map(con, *, level: str, year: int, scope: Scope | None = None, metric: str = "poor_rate",
              lang: str = "vi", selected: str | None = None, filtered: bool = False) -> MapView:
    """The map of `metric` for the units of `level` inside `scope` (a `FilteredScope` restricts the
    communes counted) in `year`: `map_geometry` + `map_figures` + `label_map`. `selected` is outlined;
    `filtered` says filters are active. Without a scope: the nation in the year's geography."""
    scope = scope or national(default_geography(year))
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    return label_map(map_geometry(con, level, year, scope), map_figures(con, level, year, scope), metric=metric,
                     lang=lang, selected=selected, filtered=filtered)
