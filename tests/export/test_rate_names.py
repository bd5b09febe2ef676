"""One name per poverty rate, each with its unit: the poor rate among ethnic-minority households (EM poor /
EM households) and the poor rate of the ethnic-minority and mountainous area (every household of the
region I–III communes) are different measures, so the pack for the new Quảng Ngãi in 2026 never shows two
figures under one name, and a target on a rate shows its goal and its result in per cent."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation

from ntm.domain.targets import TARGET_KINDS
from ntm.export import images as E
from ntm.export import pack as P
from ntm.present import labels
from ntm.read.scope import resolve_scope
from ntm.text import t

PERCENT = r"[−+-]?\d[\d.,]*%"


@pytest.fixture(scope="module")
def packs(con, tmp_path_factory):
    """The whole pack of the new Quảng Ngãi for 2026, in Vietnamese and in English."""
    out = {}
    with E.kaleido_session():
        for lang in ("vi", "en"):
            path = P.build_pack(con, resolve_scope(con, "51", 2026), 2026, lang=lang,
                                out_path=tmp_path_factory.mktemp("pack") / f"quang_ngai_2026_{lang}.pptx")
            out[lang] = Presentation(path)
    return out


def _names(lang: str) -> re.Pattern:
    """Every rate's name, the longest first (a name may begin another: 'Tỷ lệ hộ nghèo' …)."""
    names = sorted((labels.rate_name(k, lang) for k in labels.RATES), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)


def _canonical(name: str, lang: str) -> str:
    return next(labels.rate_name(k, lang) for k in labels.RATES if labels.rate_name(k, lang).lower() == name.lower())


def figures_by_name(prs, lang: str) -> dict[str, set[str]]:
    """Each rate name the slides use, with the figures shown under it: a tile (its name, then its value),
    a table row (a target named by the rate, then its result) or a sentence ('tỷ lệ hộ nghèo 4,76%')."""
    names, found = _names(lang), {}

    def note(name: str, text: str) -> None:
        figure = re.search(PERCENT, text)
        if figure:
            found.setdefault(_canonical(name, lang), set()).add(figure.group())

    for slide in prs.slides:
        boxes = [s.text_frame.text.strip() for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
        for label, value in zip(boxes, boxes[1:]):
            if names.fullmatch(label):
                note(label, value)
        for text in boxes:
            for m in names.finditer(text):
                tail = re.match(r"\s*(" + PERCENT + ")", text[m.end():])
                if tail:
                    note(m.group(), tail.group(1))
        for table in (s.table for s in slide.shapes if s.has_table):
            rows = [[c.text for c in row.cells] for row in table.rows]
            result = rows[0].index(t("table.actual", lang)) if t("table.actual", lang) in rows[0] else None
            for row in rows[1:]:
                m = names.match(row[0])
                if m and result is not None:
                    note(m.group(), row[result])
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_2026_pack_gives_one_figure_per_rate_name(packs, lang):
    found = figures_by_name(packs[lang], lang)
    em_households = labels.rate_name("em_poor", lang)
    em_area = labels.rate_name("em_area_poor", lang)
    # both measures are on the pack (the overview tile and the 2030 target), under their own names
    assert em_households in found and em_area in found, found
    assert {name: figures for name, figures in found.items() if len(figures) > 1} == {}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_rate_target_shows_its_goal_and_result_in_per_cent(packs, con, lang):
    rows = [r for s in packs[lang].slides if s.name.startswith("targets") for sh in s.shapes if sh.has_table
            for r in [[c.text for c in row.cells] for row in sh.table.rows]]
    header = rows[0]
    goal, result = header.index(t("table.goal", lang)), header.index(t("table.actual", lang))
    area = [r for r in rows if r[0].startswith(labels.rate_name("em_area_poor", lang))]
    assert area, "the area's 2030 poverty target is on the slide"
    assert all(re.search(PERCENT, r[goal]) and re.search(PERCENT, r[result]) for r in area), area
    # and everywhere a target on a rate is shown (pages, charts, the pack), for every scope
    for scope in (resolve_scope(con, "51", 2026), resolve_scope(con, "VN", 2026)):
        shown = labels.targets_progress(con, scope, lang)
        rates = shown[[TARGET_KINDS[m].shape.key == "rate" for m in shown["metric"]]]
        assert len(rates)
        for col in ("target_display", "actual_display"):
            assert all(v == "–" or v.endswith("%") for v in rates[col]), rates[col].tolist()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_rate_has_its_own_name_and_unit_and_targets_use_them(lang):
    names = [labels.rate_name(k, lang) for k in labels.RATES]
    assert len(set(names)) == len(names)
    for key in labels.RATES:
        assert "%" in labels.rate_name(key, lang, unit=True)
    # a target on a rate is named by the rate, and read on the group the rate counts
    for metric, rate in labels.TARGET_RATES.items():
        assert labels.rate_name(rate, lang).lower() in labels.target_label(metric, None, lang).lower()
    em = labels.group_name("ethnic_minority", None, lang, "em_poor_rate_reduction_pp")
    area = labels.group_name("ethnic_minority", None, lang, "em_area_poor_rate_max")
    assert em != area
