"""Series written out in the reader's language, with no query: criteria named ('TC10 Thu nhập'), targets
worded with their goal and result, the at-risk list's failed criteria, the source line. Each labelled
series is a language-free read series plus a labelling function (`LOCALISED`), so a language switch
re-labels without querying again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ntm.domain.columns import BY_NAME
from ntm.domain.criteria import criteria_set, criterion_names, key_criteria, load_criteria
from ntm.domain.periods import poverty_standards, split_standards, years_confirmed
from ntm.domain.targets import (BINARY_TARGETS, COUNT_TARGETS, GROUP_LEVELS, PP_TARGETS, SHARE_TARGETS, TARGET_KINDS,
                                UNIT_LEVELS)
from ntm.read.commune import commune_scorecard_codes
from ntm.read.ntm import at_risk_codes, criteria_matrix_codes
from ntm.read.scope import Scope
from ntm.read.series import SERIES
from ntm.read.targets import TARGET_COLUMNS, targets_progress_values
from ntm.text import (decimals_of, fmt_band, fmt_cell, fmt_count, fmt_number, fmt_percent, fmt_pp, has_text,
                      is_missing, localised, status_label, t)


def source_line(is_demo: bool, lang: str = "vi", source: str | None = None) -> str:
    """'Nguồn: …' (plain text), ending with the demo tag when the figures are demo data."""
    text = t("source_line", lang, source=source or t("source.default", lang))
    return f"{text} · {t('demo_tag', lang)}" if is_demo else text


def criteria_catalogue(lang: str = "vi") -> pd.DataFrame:
    """criteria_set, criterion, number, criterion_name ('TC10 Thu nhập'), group, department, is_key,
    verified — in `lang`, for every criteria set."""
    c = load_criteria()
    names = [criterion_names(lang, k)[code] for k, code in zip(c["criteria_set"], c["criterion"])]
    return pd.DataFrame({
        "criteria_set": c["criteria_set"], "criterion": c["criterion"], "number": c["number"],
        "criterion_name": names, "group": c[localised("group", lang)], "department": c[localised("department", lang)],
        "is_key": c["is_key"], "verified": c["verified"],
    })


def name_criteria(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A long frame with `criteria_set` and `criterion` columns, plus number, name, group, department and
    key flag of that set's criterion in `lang`, ordered by commune (or year) and criterion number; no query."""
    order = [c for c in ("commune_code", "year") if c in df.columns][:1] + ["number"]
    out = df.merge(criteria_catalogue(lang).drop(columns="verified"), on=["criteria_set", "criterion"], how="left")
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def _target_level(level) -> str:
    """A target's level; 'standard' when its file left the cell empty (NULL or NaN once read)."""
    return level if isinstance(level, str) and level else "standard"


def _level_phrase(level: str | None, lang: str) -> str:
    text = status_label(_target_level(level), lang)
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def district_heading(geo: str | None, lang: str = "vi") -> str:
    """The heading of a table's district column: on the new geography there are no districts, only the
    former district a commune lies in."""
    return t("table.former_district" if geo == "new" else "table.district", lang)


def terrain_of(df: pd.DataFrame) -> str:
    """What a `poverty_by_terrain` frame calls mountainous: 'commune' on the new units (each commune's own
    flag), 'district' on the old ones."""
    return str(df["terrain_of"].iloc[0]) if len(df) and "terrain_of" in df else "district"


def terrain_key(df: pd.DataFrame, districts: str, communes: str) -> str:
    """Of two catalogue keys of a text about mountainous areas, the one worded for what `df` compares."""
    return communes if terrain_of(df) == "commune" else districts


def ranking_level(df: pd.DataFrame) -> str:
    """The level of the units a ranking frame compares: `district_ranking` ranks districts, `unit_ranking`
    names its level (province / commune)."""
    if "unit_code" not in df:
        return "district"
    return str(df["level"].iloc[0]) if len(df) else "commune"


def ranking_title(level: str, lang: str = "vi") -> str:
    """The title of a ranking by poor-rate reduction of the units of `level` ('Xếp hạng xã theo …')."""
    return t("chart.title.ranking" if level == "district" else f"chart.title.ranking_{level}", lang)


def ranking_heading(level: str, lang: str = "vi") -> str:
    """The heading of a ranking table's name column: Tỉnh, Huyện or Xã."""
    return t(f"table.{level}", lang)


def ranking_units(level: str, lang: str = "vi") -> str:
    """The units a ranking counts, in the plural ('xã', 'communes')."""
    return t(f"ui.{level}s_unit", lang)


def ranking_frame(df: pd.DataFrame, lang: str = "vi", geo: str | None = None) -> pd.DataFrame:
    """A non-empty ranking (`district_ranking` or `unit_ranking`) as a table in `lang`: rank, unit, the poor
    rate in both years and the reduction (numbers, 2 decimals), mountainous (districts and communes) and
    poor district (districts)."""
    level = ranking_level(df)
    y0, y1 = int(df["year_from"].iloc[0]), int(df["year_to"].iloc[0])

    def yes(column: str) -> list[str]:
        return [t("ui.yes", lang) if v else "" for v in df[column].fillna(False).astype(bool)]

    columns = {
        t("ui.col_rank", lang): df["reduction_rank"],
        district_heading(geo, lang) if level == "district" else ranking_heading(level, lang):
            df["district_name" if level == "district" else "unit_name"],
        t("ui.col_rate_year", lang, year=y0): df["rate_from_pct"].round(2),
        t("ui.col_rate_year", lang, year=y1): df["rate_to_pct"].round(2),
        t("ui.col_reduction", lang): df["reduction_pp"].round(2),
    }
    if level != "province":
        columns[t("ui.col_mountainous", lang)] = yes("is_mountainous")
    if level == "district":
        columns[t("ui.col_poor_district", lang)] = yes("is_poor_district")
    return pd.DataFrame(columns).reset_index(drop=True)


def recognition_anew_text(restart, lang: str = "vi") -> str | None:
    """What a year's criteria set does with earlier recognitions, with the scope's counts (a row of the
    `recognition_restart` series), when recognition under it starts anew; None when it carries them over."""
    cset = criteria_set(restart["criteria_set"], int(restart["year"]))
    if cset.recognition_carries_over:
        return None
    before = criteria_set(None, cset.first_year - 1)
    return t("ui.recognition_anew", lang, name=cset.name(lang), recognised=fmt_number(restart["recognised"], lang),
             earlier=fmt_number(restart["earlier_only"], lang), previous=f"{before.first_year}–{before.last_year}",
             years=f"{cset.first_year}–{cset.last_year}",
             label="" if cset.recognition_verified else t("ui.unconfirmed_rule", lang))


@dataclass(frozen=True)
class Rate:
    """A poverty rate shown on the pages, the targets and the pack under one name: `rate.<key>` (what it
    counts) and `rate.<key>.of` (its unit: per cent of which households). `summary`: its entry in
    `ntm.read.summary.summary`, when the summary has it; `group`: the group of units a target on it is
    read on (`target_group.<group>`), when it is read on a group."""

    key: str
    summary: str | None = None
    group: str | None = None


RATES: dict[str, Rate] = {r.key: r for r in (
    Rate("poor", "poor"), Rate("near_poor", "near_poor"),
    Rate("em_poor", "ethnic_minority_poor", "ethnic_minority"),     # EM poor households / EM households
    Rate("em_area_poor", group="em_area"),          # poor / all households of the communes of regions I–III
)}
# The rate each kind of target on a rate reads.
TARGET_RATES = {"poor_rate_reduction_pp": "poor", "em_poor_rate_reduction_pp": "em_poor",
                "em_area_poor_rate_max": "em_area_poor"}


def rate_name(key: str, lang: str = "vi", unit: bool = False) -> str:
    """A rate's one name ('Tỷ lệ hộ nghèo trong các hộ DTTS'), with its unit when asked ('… (% số hộ
    DTTS)')."""
    name = t(f"rate.{RATES[key].key}", lang)
    return f"{name} ({t(f'rate.{key}.of', lang)})" if unit else name


def target_label(metric: str, level: str | None, lang: str = "vi") -> str:
    """What a target measures, in words ('Tỷ lệ xã đạt chuẩn NTM trở lên'); a target on a rate names the
    rate as everywhere else, with its unit ('Tỷ lệ hộ nghèo của vùng … (% mọi hộ …), tối đa')."""
    key = f"target.{metric}"
    if not has_text(key):
        return metric
    rate = TARGET_RATES.get(metric)
    name = rate_name(rate, lang) if rate else ""
    text = t(key, lang, level=_level_phrase(level, lang), measure=name[:1].lower() + name[1:],
             unit=t(f"rate.{rate}.of", lang) if rate else "")
    return text[:1].upper() + text[1:]


def _is_rate(metric: str) -> bool:
    return metric in TARGET_KINDS and TARGET_KINDS[metric].shape.key == "rate"


def format_target_value(metric: str, value: float | None, lang: str = "vi", value_max: float | None = None,
                        level: str | None = None) -> str:
    """A target or actual value in the target's unit ('80%', '8 xã', '1–1,5 điểm %', 'Đạt chuẩn NTM',
    a rate '10%'); '–' for a value not known or not finite."""
    if is_missing(value):
        return "–"
    if metric in SHARE_TARGETS:
        return fmt_percent(100 * value, lang, 1)
    if metric in COUNT_TARGETS:
        return fmt_count(value, TARGET_KINDS[metric].unit, lang)
    if metric in BINARY_TARGETS:
        return status_label(_target_level(level), lang) if value >= 1 else t("state.not_reached", lang)
    if metric in PP_TARGETS:
        return fmt_band(value, value_max, lang)
    if _is_rate(metric):
        return fmt_percent(value, lang, decimals_of([value]))
    return fmt_number(value, lang, 2)


def group_name(scope_level: str, name, lang: str = "vi", metric: str | None = None) -> str:
    """A target's scope in `lang`: the nation, poor districts and the group its measure is read on (the
    ethnic-minority households, or every household of the ethnic-minority and mountainous area) from the
    catalogue; a unit's own name otherwise."""
    if scope_level not in GROUP_LEVELS:
        return name
    group = RATES[TARGET_RATES[metric]].group if metric in TARGET_RATES else None
    return t(f"target_group.{group or scope_level}", lang)


def _evaluated_on(row, lang: str) -> str:
    """Where a target is read: its unit, or the scope and the group; said when the group's communes were
    taken from the old communes that formed new ones."""
    if row.scope_level in UNIT_LEVELS:
        return row.evaluated_on
    base = row.evaluated_on if isinstance(row.evaluated_on, str) else t("level.national", lang)
    group = group_name(row.scope_level, None, lang, row.metric)
    where = base if row.scope_level == "national" else f"{base} – {group}"
    return f"{where} ({t('ui.flags_derived', lang)})" if getattr(row, "attributes_derived", False) else where


def name_targets(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """`targets_progress_values` with the target's label, the target and the actual value written out
    in `lang`; no query."""
    rows = list(df.itertuples(index=False))
    out = df.assign(
        scope_name=[group_name(r.scope_level, r.scope_name, lang, r.metric) for r in rows],
        evaluated_on=[_evaluated_on(r, lang) for r in rows],
        target=[target_label(r.metric, r.level, lang) for r in rows],
        target_display=[format_target_value(r.metric, r.target_value, lang, r.target_max, r.level) for r in rows],
        actual_display=[_actual_display(r, lang) for r in rows])
    return out[TARGET_COLUMNS + [c for c in ("as_of",) if c in out]]


def _actual_display(row, lang: str) -> str:
    if row.metric == "commune_status" and isinstance(row.actual_status, str):
        return status_label(row.actual_status, lang)
    value = row.actual_value
    if row.metric in PP_TARGETS and not pd.isna(value):
        return fmt_pp(value, lang, sign="-")
    if _is_rate(row.metric) and not is_missing(value):
        return fmt_percent(value, lang, 2)            # a rate read from the figures, as on every page
    return format_target_value(row.metric, value, lang, level=row.level)


def with_headers(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A frame of yearly-file columns (commune_code, commune_name, households…) with the headers of the
    file in `lang` and its numbers as the reader writes them (text: the frame is for display)."""
    out = df.rename(columns={c: BY_NAME[c].header(lang) for c in df.columns if c in BY_NAME})
    return out.apply(lambda col: col.map(lambda v: fmt_cell(v, lang)))


def standards_note(used: pd.DataFrame, lang: str = "vi") -> str:
    """'' — or, when some figures follow a province's own poverty standard (`local_standards_used`), which
    province, years and standard, so rates are not compared across provinces as if alike."""
    if used is None or used.empty:
        return ""
    specs = poverty_standards().set_index("poverty_standard")
    parts = []
    for (name, std), g in used.groupby(["province_name", "poverty_standard"], sort=False):
        spec = specs.loc[std]
        years = sorted(int(y) for y in g["year"])
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        parts.append(t("standards.local_part", lang, province=name, years=span, decision=spec["decision"],
                       rural=fmt_number(int(spec["income_rural_vnd"]) / 1e6, lang, 1),
                       urban=fmt_number(int(spec["income_urban_vnd"]) / 1e6, lang, 1)))
    return t("standards.local_note", lang, parts="; ".join(parts))


def standard_name(value, lang: str = "vi", lines: bool = False, flag: bool = True) -> str:
    """The poverty standard(s) of a year's figures by their short names ('NĐ 07/2021', 'NĐ 07/2021 + NQ
    13/2023 Quảng Ninh'), with their income lines when asked, and (unless `flag` is off, for a label that
    sits beside one that has it) the 'review years unconfirmed' label when a public text does not confirm
    them (NĐ 351/2025 from the review of 2026, docs/domain.md §2.7)."""
    specs = poverty_standards().set_index("poverty_standard")
    names = []
    for key in split_standards(value):
        name = specs.at[key, "short_name"] if key in specs.index else key
        if lines and key in specs.index:
            name = t("standards.lines", lang, name=name,
                     rural=fmt_number(int(specs.at[key, "income_rural_vnd"]) / 1e6, lang, 1),
                     urban=fmt_number(int(specs.at[key, "income_urban_vnd"]) / 1e6, lang, 1))
        names.append(name)
    text = " + ".join(names)
    return t("standards.unconfirmed", lang, name=text) if text and flag and not years_confirmed(value) else text


def moved_text(moved: dict, lang: str, literal: Callable[[str], str] = str) -> str:
    """Where an old unit went at the reform (`ntm.read.units.successors`), in words, and whether its area
    can be shown on its own. `literal` writes each unit name (a page passes its Markdown escaping)."""
    provinces = ", ".join(f"{literal(name)} ({code})" for code, name in moved["provinces"])
    communes = moved["communes"]
    if moved["exact"]:
        return t("unit.moved_exact", lang, name=literal(moved["name"]), code=moved["code"], new=provinces,
                 n=fmt_number(len(communes), lang))
    listed = "; ".join(f"{literal(name)} ({code})" for code, name in communes[:8])
    listed += "; …" if len(communes) > 8 else ""
    return t("unit.moved_partial", lang, name=literal(moved["name"]), code=moved["code"], new=listed,
             first=communes[0][0] if communes else "")


def name_failed_criteria(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """`at_risk_codes` with the failed criteria of each row's set named in `lang` (all, and the key ones)
    and the number of criteria in that set (`n_criteria`); no query."""
    sets = list(df["criteria_set"])
    names = {k: criterion_names(lang, k) for k in set(sets)}
    keys = {k: key_criteria(k) for k in set(sets)}
    failed = [list(f) for f in df["failed"]]
    out = df.copy()
    out["criteria_failed"] = [len(f) for f in failed]
    out["n_criteria"] = [criteria_set(k).n_criteria for k in sets]
    out["failed_criteria"] = ["; ".join(names[k][c] for c in f) for k, f in zip(sets, failed)]
    out["failed_key_criteria"] = ["; ".join(names[k][c] for c in f if c in keys[k]) for k, f in zip(sets, failed)]
    return out.drop(columns=["failed"]).reset_index(drop=True)


# Series whose text depends on the language, built from a language-free series (cached on its own, so
# a language switch re-labels without querying): name → (language-free series, labelling function).
LOCALISED: dict[str, tuple[str, Callable[[pd.DataFrame, str], pd.DataFrame]]] = {
    "criteria_matrix": ("criteria_matrix_codes", name_criteria),
    "commune_scorecard": ("commune_scorecard_codes", name_criteria),
    "at_risk_list": ("at_risk_codes", name_failed_criteria),
    "targets_progress": ("targets_progress_values", name_targets),
    "targets_by_year": ("targets_progress_by_year", name_targets),
}


# ---------------------------------------------------------------------------------------------
# Labelled series: a read series and its labelling, in one call

def criteria_matrix(con, scope: Scope, year: int, lang: str = "vi") -> pd.DataFrame:
    """Rural communes × 19 criteria (long), the criteria named in `lang` (`ntm.read.ntm.criteria_matrix_codes`)."""
    return name_criteria(criteria_matrix_codes(con, scope, year), lang)


def commune_scorecard(con, scope: Scope, lang: str = "vi", years: Sequence[int] | None = None) -> pd.DataFrame:
    """A commune's 19 criteria per year, named in `lang` (`ntm.read.commune.commune_scorecard_codes`)."""
    return name_criteria(commune_scorecard_codes(con, scope, years), lang)


def at_risk_list(con, scope: Scope, year: int, lang: str = "vi") -> pd.DataFrame:
    """Recognised communes at risk of revocation (QĐ 18/2022) with the criteria they no longer meet,
    named in `lang` (`ntm.read.ntm.at_risk_codes`)."""
    return name_failed_criteria(at_risk_codes(con, scope, year), lang)


def targets_progress(con, scope: Scope, lang: str = "vi", years: Sequence[int] | None = None,
                     benchmarks: bool = True, as_of: int | None = None) -> pd.DataFrame:
    """`ntm.read.targets.targets_progress_values` with the targets and values written out in `lang`."""
    return name_targets(targets_progress_values(con, scope, years, benchmarks, as_of), lang)


def series_frame(con, name: str, scope: Scope, lang: str = "vi", **options) -> pd.DataFrame:
    """A series by name (`ntm.read.series.SERIES`, or a labelled one of `LOCALISED` written in `lang`)."""
    if name in LOCALISED:
        data_name, label = LOCALISED[name]
        return label(SERIES[data_name](con, scope, **options), lang)
    return SERIES[name](con, scope, **options)


BATCH_KINDS = ("commune_year", "district_year", "unit_attributes", "targets", "boundaries_district",
               "boundaries_commune")
BATCH_STATUSES = ("active", "superseded", "rolled_back")


def file_label(file_name, lang: str = "vi") -> str:
    """A batch's file as a reader names it: the generated demo ('demo:<seed>:<year>…') in words."""
    name = "" if file_name is None or (isinstance(file_name, float) and pd.isna(file_name)) else str(file_name)
    if name.startswith("demo:"):
        return t("history.demo_file", lang, new=t("history.demo_new_units", lang) if "new-units" in name else "")
    return name


def operator(value, lang: str = "vi") -> str:
    """Who imported or undid a batch: an analyst account as it is, a command-line operator ("cli:lan")
    as "lan (dòng lệnh)"; '' when nobody is recorded."""
    from ntm.store.access import COMMAND_LINE

    if not isinstance(value, str):
        return ""
    return t("history.command_line", lang, name=value[len(COMMAND_LINE):]) if value.startswith(COMMAND_LINE) \
        else value


def import_history(batches: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The import batches (`store.batches.list_batches`) as the reader reads them: headers, kinds and
    statuses in words, dates as dd/mm/yyyy HH:mm, numbers as numbers."""
    from datetime import datetime

    from ntm.text import fmt_datetime

    def when(v) -> str:
        return fmt_datetime(pd.Timestamp(v).to_pydatetime(), lang) if pd.notna(v) and isinstance(
            v, (datetime, pd.Timestamp)) else ""

    def kind(value) -> str:
        return t(f"batch_kind.{value}", lang) if value in BATCH_KINDS else str(value)


    def status(value) -> str:
        return t(f"batch_status.{value}", lang) if value in BATCH_STATUSES else str(value)

    replaced = [", ".join(str(int(b)) for b in (ids if ids is not None else [])) for ids in batches["replaced_batch_ids"]]
    return pd.DataFrame({
        t("history.batch", lang): batches["batch_id"].astype(int).to_numpy(),
        t("history.kind", lang): [kind(k) for k in batches["kind"]],
        t("history.year", lang): batches["year"].astype("Int64").astype(str).replace("<NA>", "").to_numpy(),
        t("history.provinces", lang): [", ".join(p) if isinstance(p, (list, tuple, np.ndarray)) else ""
                                       for p in batches["provinces"]],
        t("history.file", lang): [file_label(f, lang) for f in batches["file_name"]],
        t("history.by", lang): [operator(v, lang) for v in batches["imported_by"]],
        t("history.at", lang): [when(v) for v in batches["imported_at"]],
        t("history.rows", lang): batches["n_rows"].astype("Int64").to_numpy(),
        t("history.status", lang): [status(s) for s in batches["status"]],
        t("history.replaced", lang): replaced,
        t("history.demo", lang): [t("ui.yes", lang) if d else "" for d in batches["is_demo"]],
        t("history.rolled_back", lang): [" · ".join(x for x in (when(a), operator(b, lang)) if x)
                                         for a, b in zip(batches["rolled_back_at"], batches["rolled_back_by"])],
    })
