"""A map in one language, with no query: `label_map` turns a map's boundaries and figures into a
`MapView` — values, classes and colours, title, legend, plain-text tooltips (a template filled from each
unit's short fields), name labels, the selected unit outlined and the ranked table. `build_map` reads
and labels in one call.

A unit feature's properties are what the tooltip and the click handler need:

    {"code": "610", "name": "Huyện Đắk Glei", "fill": [r, g, b, a], "v": "12,30%", "h": "4.531", …}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ntm.domain.metrics import METRICS
from ntm.domain.periods import poverty_standard_for_year
from ntm.domain.units import LEVELS
from ntm.present.findings import FLOW_KEYS, first_review_of
from ntm.present.labels import standard_name
from ntm.present.maps.classes import (LegendItem, format_value, is_categorical, make_classes, metric_label,
                                      metric_values, unit_label)
from ntm.present.maps.geometry import MapGeometry, archipelago_features, collection, gc_paused, map_geometry
from ntm.present.maps.placement import LABEL_SIZE, MIN_ROOM_PX, inside_canvas, place_labels
from ntm.present.maps.style import LABEL_DARK, MOUNTAIN_LINE, NO_DATA_COLOUR, SELECTED_LINE, rgba
from ntm.read.boundaries import archipelagos as read_archipelagos, source_kind
from ntm.read.geography import map_figures
from ntm.domain.units import default_geography
from ntm.read.scope import Scope, national
from ntm.text import fmt_number, localised, t


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
    labels: list[dict]                   # code (None for a note), position, text, anchor, size, color
    legend: list[LegendItem]
    legend_note: str
    view: dict                           # latitude, longitude, zoom
    sources: list[str]
    schematic: bool
    is_demo: bool
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_units: int = 0
    n_with_data: int = 0
    n_unnamed: int = 0                   # units the map could name but leaves unnamed at the initial view
    notice: str = ""                     # why the map has no figures, when a rule says so
    geo: str = "old"                     # the geography: on the new one, districts are former districts

def archipelago_layer_data(lang: str, archipelagos: dict | None = None) -> tuple[dict, list[dict]]:
    """The Hoàng Sa and Trường Sa archipelagos (FeatureCollection; from `MapGeometry.archipelagos`, else
    read from the bundled file) and their labels in `lang`."""
    if archipelagos is None:
        archipelagos = archipelago_features(read_archipelagos())
    features, labels = [], []
    for f in archipelagos["features"]:
        p = f["properties"]
        name = p[localised("name", lang)]
        features.append({"type": "Feature", "properties": {"name": name, "code": p["code"]},
                         "geometry": f["geometry"]})
        labels.append({"code": None, "position": list(p["label"]), "anchor": "middle",
                       "text": t("ui.archipelago_label", lang, name=name, admin=p["admin"]), "size": LABEL_SIZE,
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
    data = _unit_data(geometry, figures, metric)
    vals = data["value"].astype(object).where(data["value"].notna(), None) if categorical \
        else pd.to_numeric(data["value"], errors="coerce")
    classes = make_classes(vals, metric, level, lang)
    label, ulabel = metric_label(metric, level, lang), unit_label(metric, level, lang)
    values = [None if not isinstance(v, str) and pd.isna(v) else v for v in vals]
    notice = baseline_notice(metric, year, values, lang)
    texts = [t("ui.map_baseline_value", lang) for _ in values] if notice else \
        _value_texts(values, data, metric, level, year, lang)
    template, fields = _tooltips(data, texts, f"{label} {year}: ", level, lang, geometry.geo)
    fills = [rgba(classes.colours[c], 235) if c >= 0 else rgba(NO_DATA_COLOUR, 200) for c in classes.index]
    codes, names = data["code"].tolist(), data["name"].tolist()
    features = [{"type": "Feature", "geometry": geom,
                 "properties": {"code": code, "name": name, "fill": fills[i], **{k: v[i] for k, v in fields.items()}}}
                for i, (code, name, geom) in enumerate(zip(codes, names, geometry.shapes))]
    arch, notes = archipelago_layer_data(lang, geometry.archipelagos)
    no_data_key = "ui.map_baseline_class" if notice else "ui.not_rural" if categorical else \
        ("ui.no_data_filtered" if filtered else "ui.no_data")
    legend = [LegendItem(lbl, col, int((classes.index == k).sum()))
              for k, (lbl, col) in enumerate(zip(classes.labels, classes.colours))]
    legend.append(LegendItem(t(no_data_key, lang), NO_DATA_COLOUR, int((classes.index < 0).sum())))
    title = t("ui.map_title_cat" if categorical else "ui.map_title", lang, metric=label, unit=ulabel,
              level=t(f"ui.by_level.{'former_district' if geometry.geo == 'new' and level == 'district' else level}",
                      lang), year=year)
    table = _ranking(codes, names, values, texts, data, classes, lang)
    labels, unnamed = _name_labels(geometry, data, headline_codes(table), selected,
                                   [inside_canvas(note, geometry.view) for note in notes])
    return MapView(level=level, metric=metric, year=year, lang=lang, title=title, metric_label=label,
                   unit_label=ulabel, categorical=categorical, units=collection(features), tooltip=template,
                   emphasised=collection(_emphasised(geometry, data, selected)), context=geometry.context,
                   outlines=geometry.outlines, archipelagos=arch,
                   labels=labels,
                   legend=legend, legend_note=classes.note, view=dict(geometry.view), sources=list(geometry.sources),
                   schematic=geometry.schematic, is_demo=bool(len(figures) and figures["is_demo"].fillna(False).any()),
                   table=table, n_units=len(data), n_with_data=int((classes.index >= 0).sum()), n_unnamed=unnamed,
                   notice=notice, geo=geometry.geo)


def _unit_data(geometry: MapGeometry, figures: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The map's units (in the geometry's order) with their figures and the metric's value. A commune is
    mountainous by its own flag in the figures (on the new units derived from the old communes until
    its own is uploaded: `mountainous_derived`), the one the "mountainous communes" filter reads; a
    district by the district list."""
    values = figures.assign(value=metric_values(figures, metric, geometry.level).to_numpy())
    data = geometry.units.merge(values.drop_duplicates("code"), on="code", how="left")
    own = data["is_mountainous"] if "is_mountainous" in data else pd.Series(None, index=data.index, dtype=object)
    data["mountainous"] = own.where(own.notna(), data["mountainous"]).astype(bool)
    derived = data["mountainous_derived"] if "mountainous_derived" in data else pd.Series(False, index=data.index)
    data["mountainous_derived"] = data["mountainous"] & derived.fillna(False).astype(bool)
    return data


def baseline_notice(metric: str, year: int, values: list, lang: str) -> str:
    """Why a map of household flows (escaped, fell back, newly poor) has no figures, when the year is the
    first review under its poverty standard (a baseline: flows are not compared across two standards);
    '' otherwise."""
    if not set(METRICS[metric].numerator) <= set(FLOW_KEYS) or any(v is not None for v in values):
        return ""
    new = first_review_of(poverty_standard_for_year(year), year)
    return t("finding.baseline", lang, year=year, standard=standard_name(new, lang)) if new else ""


def headline_codes(table: pd.DataFrame) -> list[str]:
    """The units a map's finding names (`ntm.present.findings.map_extremes`): its highest and lowest value."""
    d = table.dropna(subset=["value"]).sort_values("value", ascending=False) if len(table) else table
    return [] if d.empty else list(dict.fromkeys([d.iloc[0]["code"], d.iloc[-1]["code"]]))


def _value_texts(values: list, data: pd.DataFrame, metric: str, level: str, year: int, lang: str) -> list[str]:
    """Each unit's value as text; a change with no figures the year before says so."""
    texts = [format_value(v, metric, level, lang) for v in values]
    if METRICS[metric].change:
        prev = t("ui.no_prev_year", lang, year=year - 1)
        texts = [prev if v is None and not pd.isna(h) else s for v, h, s in zip(values, data["households"], texts)]
    return texts


def _tooltips(data: pd.DataFrame, texts: list[str], value_label: str, level: str,
              lang: str, geo: str = "old") -> tuple[str, dict[str, list[str]]]:
    """The tooltip template and the per-unit fields: value, households, poor, recognised communes (above
    communes), the district's own NTM status (district maps), mountainous (on the new units a commune's
    own flag, said to be derived when it is), schematic boundary."""
    n = len(data)
    households = [None if pd.isna(h) else int(h) for h in data["households"]]
    poor, rural, recognised = data["poor"].to_numpy(), data["rural"].to_numpy(), data["recognised"].to_numpy()
    district_status = data["district_ntm"].to_numpy() if "district_ntm" in data else [None] * n
    mountainous = data["mountainous"].to_numpy(dtype=bool)
    derived = data["mountainous_derived"].to_numpy(dtype=bool)
    commune = level == "commune" and geo == "new"
    mountain_text = {False: t("ui.tt_mountainous_commune" if commune else "ui.tt_mountainous", lang),
                     True: t("ui.tt_mountainous_derived", lang)}
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
        ("m", "", line(lambda i: mountainous[i], lambda i: mountain_text[bool(derived[i] and commune)])),
        ("s", t("ui.tt_schematic", lang), line(lambda i: schematic[i], lambda i: "")),
    ])


def _emphasised(geometry: MapGeometry, data: pd.DataFrame, selected: str | None) -> list[dict]:
    """Outlines that stand out: mountainous districts on a district map, then the selected unit."""
    codes, mountainous = data["code"].tolist(), data["mountainous"].to_numpy(dtype=bool)
    out = [{"type": "Feature", "properties": {"code": code, "line": list(MOUNTAIN_LINE), "line_w": 3}, "geometry": geom}
           for code, geom, m in zip(codes, geometry.shapes, mountainous) if geometry.level == "district" and m]
    return out + [{"type": "Feature", "properties": {"code": code, "line": list(SELECTED_LINE), "line_w": 4},
                   "geometry": geom} for code, geom in zip(codes, geometry.shapes) if selected and code == selected]


def _name_labels(geometry: MapGeometry, data: pd.DataFrame, headline: list[str], selected: str | None = None,
                 notes: tuple | list = ()) -> tuple[list[dict], int]:
    """Unit names at the initial view, each anchored inside its own unit and clear of the others
    (`ntm.present.maps.placement`), named in priority order: the selected unit, the units the map's finding
    names (`headline`), then the larger units. Left out by rule: a unit too small to hold a name at this
    zoom (its widest inner circle under MIN_ROOM_PX; never the selected or a headline unit), a unit whose
    name would cover one placed before it at each of its spots, and provinces without figures on a
    national map; nothing is named on a nation's districts or communes (a pile of names). The `notes`
    (the archipelagos') come first. Returns the labels (a unit's with its code) and how many units they
    leave unnamed."""
    if not any(geometry.label_spots):
        return list(notes), 0
    with_data = data["households"].notna().to_numpy()
    codes = data["code"].tolist()
    first = [c for c in [selected, *headline] if c]
    rank = {c: i for i, c in enumerate(dict.fromkeys(first))}
    named = [i for i in range(len(codes)) if with_data[i] or geometry.level != "province"]
    named.sort(key=lambda i: (rank.get(codes[i], len(rank)), -geometry.areas[i]))
    groups = []
    for i in named:
        small = geometry.label_room[i] < MIN_ROOM_PX and codes[i] not in rank
        groups.append([] if small else [{"code": codes[i], "position": [lon, lat], "anchor": anchor, "text": label,
                                         "size": LABEL_SIZE, "color": list(LABEL_DARK)}
                                        for lon, lat, anchor, label in geometry.label_spots[i]])
    placed = place_labels([[note] for note in notes] + groups, geometry.view)
    return placed, len(named) + len(notes) - len(placed)


def _ranking(codes: list, names: list, values: list, texts: list[str], data: pd.DataFrame, classes,
             lang: str) -> pd.DataFrame:
    """The units with their value (a number, and as text), households, mountainous flag (and whether it is
    derived from the old communes) and class."""
    no_data = t("ui.no_data", lang)
    return pd.DataFrame({
        "code": codes, "name": names,
        "value": [None if v is None or isinstance(v, str) else float(v) for v in values],
        "value_text": texts, "households": [None if pd.isna(h) else int(h) for h in data["households"]],
        "mountainous": data["mountainous"].to_numpy(dtype=bool),
        "mountainous_derived": data["mountainous_derived"].to_numpy(dtype=bool),
        "class": [classes.labels[c] if c >= 0 else no_data for c in classes.index],
    }, columns=["code", "name", "value", "value_text", "households", "mountainous", "mountainous_derived", "class"])

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
        t("ui.col_mountainous", lang): [t("ui.yes_derived" if d else "ui.yes", lang) if m else ""
                                        for m, d in zip(table["mountainous"], table["mountainous_derived"])],
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

    named = {"schematic": "ui.boundary_schematic", "post2025": "ui.boundary_post2025", "pre2025": "ui.boundary_pre2025"}
    out = []
    for s in view.sources:
        kind, upload = source_kind(s)
        if kind == "uploaded":
            out.append(t("ui.boundary_uploaded", lang, file=upload["file"], user=operator(upload["user"], lang)))
        else:
            out.append(t(named[kind], lang) if kind else s)
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
