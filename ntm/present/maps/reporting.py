"""The national map of who has reported a year: each province of the year's unit system coloured by how
complete its figures are (complete / partial / none), its tooltip the units reported out of those
expected and the deadline status. No query: the province geometry and `ntm.read.status.reporting_status`."""

from __future__ import annotations

import pandas as pd

from ntm.present.maps.classes import LegendItem
from ntm.present.maps.geometry import MapGeometry, collection
from ntm.present.maps.style import rgba
from ntm.present.maps.view import MapView, _name_labels, archipelago_layer_data
from ntm.text import fmt_percent, t

# completeness → fill (green: complete, amber: partial, light grey: nothing yet)
COMPLETENESS_COLOURS = {"complete": (26, 150, 65), "partial": (253, 174, 97), "none": (215, 215, 215)}


def reporting_map(geometry: MapGeometry, status: pd.DataFrame, lang: str = "vi") -> MapView:
    """The provinces of `geometry` coloured by their completeness in `status`, named where they have figures."""
    data = geometry.units.merge(status, left_on="code", right_on="province_code", how="left")
    data["completeness"] = data["completeness"].fillna("none")
    # provinces with figures are named on the map (`_name_labels` names those with households)
    data["households"] = (data["completeness"] != "none").map({True: 1.0, False: None})
    features = []
    for i, r in data.iterrows():
        expected = int(r.get("communes_expected", 0) or 0) + int(r.get("wards_expected", 0) or 0)
        reported = int(r.get("communes_reported", 0) or 0) + int(r.get("wards_reported", 0) or 0)
        share = fmt_percent(100 * reported / expected, lang, 0) if expected else "–"
        line = t("reporting.map_tooltip", lang, reported=reported, expected=expected, share=share,
                 completeness=t(f"reporting.{r['completeness']}", lang),
                 timeliness=t(f"reporting.{r['timeliness']}", lang) if isinstance(r.get("timeliness"), str) else "–")
        features.append({"type": "Feature", "geometry": geometry.shapes[i],
                         "properties": {"code": r["code"], "name": r["name"], "v": line,
                                        "fill": rgba(COMPLETENESS_COLOURS[r["completeness"]], 235)}})
    arch, notes = archipelago_layer_data(lang, geometry.archipelagos)
    labels, unnamed = _name_labels(geometry, data, [], None, notes)
    counts = data["completeness"].value_counts()
    legend = [LegendItem(t(f"reporting.{k}", lang), colour, int(counts.get(k, 0)))
              for k, colour in COMPLETENESS_COLOURS.items()]
    title = t("reporting.map_title", lang, year=geometry.year)
    return MapView(level="province", metric="reporting", year=geometry.year, lang=lang, title=title,
                   metric_label=title, unit_label="", categorical=True, units=collection(features),
                   tooltip="{name} ({code})\n{v}", emphasised=collection([]), context=geometry.context,
                   outlines=None, archipelagos=arch, labels=labels, legend=legend, legend_note="",
                   view=dict(geometry.view), sources=list(geometry.sources), schematic=geometry.schematic,
                   is_demo=bool(status["is_demo"].any()) if len(status) else False, n_units=len(data),
                   n_with_data=int((data["completeness"] != "none").sum()), n_unnamed=unnamed, geo=geometry.geo)
