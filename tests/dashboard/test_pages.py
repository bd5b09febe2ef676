"""Every page through Streamlit's AppTest (headless, no browser) on a copy of the demo database:
no exceptions, the demo notice, Vietnamese by default and English after switching, filters that
reach the queries and the URL, invalid links that fall back silently."""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ntm.present.state import PAGE_LIST
from ntm.store.connection import SNAPSHOT_TABLE, connect, transaction
from ntm.store.figures import refresh_figures
from ntm.text import status_label, t
from ntm.store.copy import clone_local

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# The leaders' report pages (`ntm.present.state.PAGE_LIST`: group "reports"), by key → file.
PAGES = {p.key: f"pages/{p.file}" for p in PAGE_LIST if p.group == "reports"}
TIMEOUT_S = 60
ANALYST, QUANG_NINH = "lan_test", "quang_ninh_test"      # the accounts of `app_db`


@pytest.fixture(scope="module")
def app_db(demo_db_path, tmp_path_factory):
    """NTM_DB pointing at a private copy of the demo database for this module's app runs."""
    path = tmp_path_factory.mktemp("app-db") / "ntm.ducklake"
    clone_local(demo_db_path, path)
    from tests.conftest import with_account

    with_account(path, ANALYST, "mat-khau-dai-123")                          # a coordinator
    with_account(path, QUANG_NINH, "mat-khau-dai-123", "analyst", ["22"])    # an analyst of Quảng Ninh only
    old = os.environ.get("NTM_DB")
    os.environ["NTM_DB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("NTM_DB", None)
    else:
        os.environ["NTM_DB"] = old


def open_page(page: str, **params) -> AppTest:
    """Run the app on `page` with URL query parameters; fail on any exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in params.items():
        at.query_params[key] = str(value)
    if page != "overview":
        at.switch_page(PAGES[page])
    at.run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's short tables (Markdown tables) as frames of their cells, escaped as sent."""
    out = []
    for element in at.markdown:
        lines = element.value.splitlines()
        if len(lines) >= 2 and lines[0].startswith("| ") and set(lines[1]) <= set("|-:"):
            rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
            out.append(pd.DataFrame(rows[2:], columns=rows[0]))
    return out


# -------------------------------------------------------------------------------------------------
# Every page, both languages


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_vietnamese_by_default(app_db, page):
    at = open_page(page)
    assert at.title[0].value == t(f"page.{page}", "vi")
    assert t("demo_notice", "vi") in warnings(at)
    assert url(at) == {"year": "2026"}                       # the canonical URL names the year
    assert at.sidebar.segmented_control(key="w_geo").value == "new"       # the newest year: the new units
    labels = [s.label for s in at.sidebar.selectbox]
    assert labels == ["Tỉnh", "Huyện cũ (lịch sử)", "Năm", "Vùng đồng bào DTTS (khu vực)"]
    assert at.sidebar.toggle[0].label == "Chỉ xã miền núi"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english(app_db, page):
    at = open_page(page, lang="en", province="62", year="2024")
    assert at.title[0].value == t(f"page.{page}", "en")
    assert t("demo_notice", "en") in warnings(at)
    assert [s.label for s in at.sidebar.selectbox][:3] == ["Province", "District", "Year"]
    assert url(at)["lang"] == "en"


def test_switching_the_language(app_db):
    at = open_page("overview")
    at.sidebar.segmented_control(key="w_lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == "Overview"
    assert "Poor household rate" in metrics(at)
    assert url(at)["lang"] == "en"
    at.sidebar.segmented_control(key="w_lang").set_value("vi").run()
    assert at.title[0].value == "Tổng quan" and "lang" not in url(at)


@pytest.fixture
def queries_run(monkeypatch):
    """(SQL, parameters) of every DuckDB call made from now on (connections and cursors alike),
    except the store's own bookkeeping: the snapshot check that decides whether cached results are
    still valid (and the in-memory copy current)."""
    seen: list[tuple[str, str]] = []
    for name in ("execute", "sql", "query"):
        original = getattr(duckdb.DuckDBPyConnection, name)

        def counted(self, query, *args, _original=original, **kwargs):
            text = " ".join(str(query).split())
            if not (SNAPSHOT_TABLE in text or "ducklake_current_snapshot" in text
                    or text in ("BEGIN TRANSACTION", "ROLLBACK", "COMMIT")):
                seen.append((text, repr(args[0] if args else kwargs.get("parameters"))))
            return _original(self, query, *args, **kwargs)
        monkeypatch.setattr(duckdb.DuckDBPyConnection, name, counted)
    return seen


@pytest.mark.parametrize("page", PAGES)
def test_a_new_year_runs_only_queries_whose_inputs_changed(app_db, page, queries_run):
    """From the first view to another year: no query already answered (same SQL, same parameters)
    runs again — all-years series, unit lookups and boundaries come from the caches."""
    open_page("overview")                                      # loads the page modules
    sys.modules["dashboard.session"].clear_caches()
    queries_run.clear()
    at = open_page(page, province="62", year="2024", **({"commune": "23353"} if page == "commune" else {}))
    first = set(queries_run)
    assert first                                               # the caches were empty
    queries_run.clear()
    at.sidebar.selectbox(key="w_year").set_value(2023).run()
    assert_ok(at)
    assert queries_run and not set(queries_run) & first


@pytest.mark.parametrize("page", PAGES)
def test_a_seen_year_or_another_language_runs_no_query(app_db, page, queries_run):
    """Going back to a year already shown, or switching the language, is answered from the caches:
    no query runs again (only the figures' labels change)."""
    at = open_page(page, province="62", year="2024", **({"commune": "23353"} if page == "commune" else {}))
    at.sidebar.selectbox(key="w_year").set_value(2023).run()
    assert_ok(at)
    queries_run.clear()
    at.sidebar.selectbox(key="w_year").set_value(2024).run()
    assert_ok(at)
    assert queries_run == []
    at.sidebar.segmented_control(key="w_lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == t(f"page.{page}", "en")
    assert queries_run == []


@pytest.fixture
def figures_built(monkeypatch):
    """Names of the registered charts drawn (figures built) from now on."""
    from dataclasses import replace

    from ntm.present.charts import CHARTS

    built: list[str] = []
    for name, spec in list(CHARTS.items()):
        def draw(*args, _draw=spec.draw, _name=name, **kwargs):
            built.append(_name)
            return _draw(*args, **kwargs)
        monkeypatch.setitem(CHARTS, name, replace(spec, draw=draw))
    return built


@pytest.mark.parametrize("page", PAGES)
def test_the_next_leader_on_a_page_gets_the_figures_already_built(app_db, page, figures_built):
    """A second session opening the same view (another leader, a reload) builds no chart again: the
    figures are kept for their inputs' content, whatever the memory layout of the frames read."""
    params = dict(province="62", year="2024", **({"commune": "23353"} if page == "commune" else {}))
    open_page(page, **params)
    first = list(figures_built)
    figures_built.clear()
    open_page(page, **params)
    assert figures_built == [], f"built again: {figures_built} (first session built {first})"


# -------------------------------------------------------------------------------------------------
# Filters reach the URL and the queries


def test_sidebar_filters_write_the_url_and_change_the_figures(app_db):
    at = open_page("overview", year="2024")
    national = metrics(at)
    assert national["Tỷ lệ hộ nghèo"] == "2,18%"               # Vietnamese number format

    at.sidebar.selectbox(key="w_province").set_value("62").run()
    assert_ok(at)
    assert url(at) == {"province": "62", "year": "2024"}
    kon_tum = metrics(at)
    assert kon_tum["Tỷ lệ hộ nghèo"] != national["Tỷ lệ hộ nghèo"]
    assert at.caption[0].value == "Tỉnh Kon Tum · năm 2024 · Địa giới cũ (trước 1/7/2025)"
    assert "Huyện Đắk Glei" in at.sidebar.selectbox(key="w_district").options

    at.sidebar.selectbox(key="w_district").set_value("610").run()
    assert url(at) == {"province": "62", "district": "610", "year": "2024"}
    assert metrics(at)["Tỷ lệ hộ nghèo"] != kon_tum["Tỷ lệ hộ nghèo"]

    at.sidebar.selectbox(key="w_year").set_value(2022).run()
    assert url(at)["year"] == "2022"

    at.sidebar.selectbox(key="w_province").set_value("38").run()        # a new province clears the district
    assert url(at) == {"province": "38", "year": "2022"}
    before = metrics(at)["Tỷ lệ hộ nghèo"]
    at.sidebar.toggle(key="w_mountain").set_value(True).run()
    assert url(at)["mountain"] == "1"
    assert metrics(at)["Tỷ lệ hộ nghèo"] != before
    assert "Đang lọc: huyện miền núi" in at.caption[0].value
    at.sidebar.selectbox(key="w_em").set_value("III").run()
    assert url(at)["em"] == "III"
    assert_ok(at)

    at.sidebar.button[0].click().run()                                   # reset
    assert url(at) == {"year": "2026"}
    assert at.sidebar.toggle(key="w_mountain").value is False


def test_a_copied_link_restores_the_view(app_db):
    params = {"province": "38", "district": "384", "year": "2023", "mountain": "1", "em": "III", "lang": "en"}
    at = open_page("overview", **params)
    assert url(at) == params
    assert at.sidebar.selectbox(key="w_province").value == "38"
    assert at.sidebar.selectbox(key="w_district").value == "384"
    assert at.sidebar.selectbox(key="w_year").value == 2023
    assert at.sidebar.toggle(key="w_mountain").value is True
    assert at.sidebar.selectbox(key="w_em").value == "III"
    assert at.caption[0].value.startswith("Huyện Mường Lát · 2023 · Old units (before 1 July 2025) · "
                                          "Filtered to: mountainous districts")


@pytest.mark.parametrize("params", [
    {"province": "99", "year": "1900", "lang": "xx", "metric": "<script>", "level": "galaxy"},
    {"district": "abc", "em": "IX", "mountain": "perhaps", "commune": "'; DROP TABLE units; --"},
    {"province": "62", "district": "384"},                    # a district of another province
])
def test_invalid_links_fall_back_silently(app_db, params):
    for page in PAGES:
        at = open_page(page, **params)
        assert at.title[0].value == t(f"page.{page}", "vi")
        assert not at.error
        assert set(url(at)) <= {"province", "year"}


@pytest.mark.parametrize("page", ["ntm", "poverty", "map"])
@pytest.mark.parametrize("params", [
    {"year": "2021"},                                          # first year: no flows, no change
    {"province": "22", "year": "2023"},
    {"province": "38", "district": "388", "mountain": "1"},
    {"province": "51", "em": "II"},
    {"mountain": "1", "em": "III", "lang": "en"},
    {"province": "62", "em": "I", "year": "2022"},
])
def test_filter_combinations(app_db, page, params):
    at = open_page(page, **params)
    assert t("demo_notice", params.get("lang", "vi")) in warnings(at)


# -------------------------------------------------------------------------------------------------
# Pages


def test_overview_headlines(app_db):
    at = open_page("overview", province="62", year="2024")
    m = metrics(at)
    assert m["Tỷ lệ hộ nghèo"] == "4,70%"
    assert m["Xã có nguy cơ bị thu hồi công nhận NTM"] == "4"
    poor = next(x for x in at.metric if x.label == "Tỷ lệ hộ nghèo")
    assert poor.delta.startswith("-") and "điểm %" in poor.delta
    assert [s.value for s in at.main.subheader] == ["Giảm nghèo bền vững", "Nông thôn mới"]
    status = tables(at)[0]                                   # rural communes by NTM status, with shares
    assert list(status.iloc[:, 0]) == [status_label(k, "vi") for k in ("none", "standard", "advanced", "model")]
    counts = [int(c.replace("\\.", "")) for c in status.iloc[:, 1]]
    recognised, rural = (int(x.replace(".", "")) for x in m[t("ui.recognised", "vi")].split(" / "))
    assert sum(counts) == rural and sum(counts[1:]) == recognised


def test_ntm_page_lists_the_communes_at_risk(app_db):
    at = open_page("ntm", province="62", year="2024")
    table = tables(at)[0]
    # docs/domain.md §9.3: Ia Chim (TP Kon Tum), Đắk Pék, Đắk Kroong, Đắk Môn (Đắk Glei); names as the unit list spells them
    assert list(table["Xã"]) == ["Xã Ia Chim", "Xã Đăk Pék", "Xã Đăk Kroong", "Xã Đăk Môn"]
    assert chart_keys(at) == ["ntm-status", "ntm-targets"]           # the first section: progress
    en = open_page("ntm", province="62", year="2024", lang="en")
    assert list(tables(en)[0].columns)[0] == "Commune"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ntm_page_of_2026_states_the_recognition_rule(app_db, demo_db_path, lang):
    """2026 recognition starts anew under QĐ 51/2025 (docs/domain.md §1.9): the page says so, labelled
    unconfirmed, with the communes recognised under the new criteria and those only under the old ones;
    no commune is at risk; 2024 (QĐ 318, earlier recognitions carried over) says nothing of it."""
    con = connect(demo_db_path, read_only=True)                        # the same figures as the app's copy
    recognised, earlier = con.execute("""
        SELECT count(*) FILTER (WHERE n.ntm_status IN ('standard', 'modern')),
               count(*) FILTER (WHERE n.ntm_status = 'none' AND o.ntm_status IN ('standard', 'advanced', 'model'))
        FROM figures_new n JOIN figures_new o ON o.commune_code = n.commune_code AND o.year = 2025
        WHERE n.year = 2026 AND n.province_code = '51' AND n.is_rural""").fetchone()
    con.close()
    at = open_page("ntm", province="51", year="2026", lang=lang)
    captions = [c.value for c in at.caption]
    rule = [c for c in captions if t("ui.unconfirmed_rule", lang) in c]
    assert len(rule) == 1 and "QĐ 51/2025" in rule[0]
    assert f" {recognised} " in rule[0] and f" {earlier} " in rule[0] and 0 < recognised < earlier
    assert t("at_risk_none", lang) in [s.value for s in at.success]
    before = [c.value for c in open_page("ntm", province="51", year="2024", lang=lang).caption]
    assert before and not [c for c in before if t("ui.unconfirmed_rule", lang) in c]


def test_poverty_page(app_db):
    charts = []
    for view in SECTION_CHARTS["poverty"]:
        at = open_page("poverty", province="51", year="2024", view=view)
        charts += at.get("plotly_chart")
    assert len(charts) == 7
    specs = [json.loads(c.proto.spec) for c in charts]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert all("Tỉnh Quảng Ngãi" in title for title in titles)
    assert all(s["layout"]["separators"] == ",." for s in specs)
    assert tables(at)[0].columns[1] == "Huyện"                       # the ranking section's table
    config = json.loads(charts[0].proto.config)
    assert config["toImageButtonOptions"] == {"format": "png", "width": 1920, "height": 1080, "scale": 1}


SECTION_CHARTS = {
    "ntm": {"progress": ["ntm-status", "ntm-targets"], "districts": ["ntm-districts"],
            "movements": ["ntm-sankey"], "criteria": ["ntm-criteria"]},
    "poverty": {"trends": ["pov-rates", "pov-reduction"], "flows": ["pov-waterfall", "pov-fallback"],
                "groups": ["pov-terrain", "pov-em"], "ranking": ["pov-ranking"]},
    "commune": {"ladder": ["com-history", "com-scorecard"], "poverty": ["com-rates", "com-peers", "com-waterfall"]},
}


def chart_keys(at: AppTest) -> list[str]:
    return [c.key for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page, view", [(p, v) for p, views in SECTION_CHARTS.items() for v in views])
def test_each_section_draws_only_its_charts_and_lives_in_the_url(app_db, page, view):
    """A page's sections are tabs: only the open one is computed and drawn; `view=` in a copied link
    opens it (the first section is the default and is not written)."""
    at = open_page(page, province="62", year="2024", view=view, **({"commune": "23353"} if page == "commune" else {}))
    assert chart_keys(at) == SECTION_CHARTS[page][view]
    first = next(iter(SECTION_CHARTS[page]))
    assert url(at).get("view") == (None if view == first else view)
    assert [tab.label for tab in at.tabs] == [t(f"ui.section.{v}", "vi") for v in SECTION_CHARTS[page]]


def test_map_page_choosers_and_notices(app_db):
    at = open_page("map", year="2024")
    assert at.subheader[0].value == "Tỷ lệ hộ nghèo (%) theo tỉnh, năm 2024"
    assert not at.info                                            # provinces: no schematic polygons
    deck = at.get("deck_gl_json_chart")[0]
    spec = json.loads(deck.proto.json)
    assert json.loads(deck.proto.tooltip)["text"].startswith("{name} ({code})\n")   # a plain-text template
    assert [layer["id"] for layer in spec["layers"]] == ["context", "units", "unit-lines", "archipelagos",
                                                         "archipelago-lines", "labels"]

    at.selectbox(key="w_metric").set_value("fell_back_per100").run()
    assert_ok(at)
    assert url(at)["metric"] == "fell_back_per100"
    at.segmented_control(key="w_level").set_value("district").run()
    assert_ok(at)
    assert url(at)["level"] == "district"
    assert t("schematic_notice", "vi") in [i.value for i in at.info]   # schematic polygons are labelled
    assert at.subheader[0].value.startswith("Hộ tái nghèo trên 100 hộ")
    legend = at.table[0].value                   # colour swatch, class (number of units); escaped Markdown
    assert list(legend.columns) == ["Màu", r"Khoảng giá trị \(số đơn vị\)"]
    assert legend.iloc[-1, 1].startswith("Không có số liệu \\(")


def test_map_drill_up(app_db):
    at = open_page("map", province="62", district="610", year="2024")
    assert at.subheader[0].value.endswith("theo xã, năm 2024")
    up = next(b for b in at.button if b.label.startswith("↑"))
    up.click().run()
    assert_ok(at)
    assert url(at) == {"province": "62", "year": "2024"}
    assert at.subheader[0].value.endswith("theo huyện, năm 2024")


def test_map_selected_commune_offers_the_profile(app_db):
    at = open_page("map", province="62", commune="23326", level="commune", year="2024")
    assert "Đang chọn: Xã Ia Chim" in [x.value for x in at.get("text")]
    link = at.get("page_link")[0].proto
    assert (link.page, link.label) == ("commune_profile", "Mở hồ sơ xã")
    assert link.query_string == "province=62&commune=23326&year=2024&level=commune"


def test_commune_profile(app_db):
    at = open_page("commune", province="62", year="2024")
    assert t("ui.choose_commune_hint", "vi") in [i.value for i in at.info]
    at.selectbox(key="w_commune").set_value("23353").run()
    assert_ok(at)
    assert url(at)["commune"] == "23353"
    assert at.subheader[0].value == "Xã Đăk Pék"
    assert any("nguy cơ bị thu hồi" in w for w in warnings(at))       # docs/domain.md §9.3: at risk in 2024
    assert chart_keys(at) == SECTION_CHARTS["commune"]["ladder"]
    assert metrics(at)["Số tiêu chí đạt 2024"] == "12/19"


@pytest.mark.parametrize("view", SECTION_CHARTS["commune"])
def test_a_commune_merged_away_keeps_its_own_profile(app_db, view):
    """Xuân Lộc (15739) was merged on 1 December 2024: on the old units its 2024 profile says there are
    no figures for the year and still shows its own earlier years (never the whole country's)."""
    at = open_page("commune", commune="15739", year="2024", view=view)
    assert at.subheader[0].value == "Xã Xuân Lộc"
    assert t("no_data", "vi", name="Xã Xuân Lộc", year=2024) in [i.value for i in at.info]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles and all("Xã Xuân Lộc" in title for title in titles)


def test_no_demo_notice_without_demo_rows(demo_db_path, tmp_path):
    path = tmp_path / "official.ducklake"
    clone_local(demo_db_path, path)
    con = connect(path)
    with transaction(con) as cur:
        cur.execute("UPDATE import_batches SET is_demo = FALSE")
        refresh_figures(cur)
    con.close()
    old = os.environ.get("NTM_DB")
    os.environ["NTM_DB"] = str(path)
    try:
        for page in ("overview", "ntm"):
            at = open_page(page, province="62")
            assert t("demo_notice", "vi") not in warnings(at)
    finally:
        if old is None:
            os.environ.pop("NTM_DB", None)
        else:
            os.environ["NTM_DB"] = old


def test_unit_names_are_never_markup(demo_db_path, tmp_path):
    path = tmp_path / "names.ducklake"
    clone_local(demo_db_path, path)
    con = connect(path)
    with transaction(con) as cur:
        cur.execute("UPDATE units SET name = '[Kon Tum](javascript:alert(1)) <b>*x*</b>' "
                    "WHERE system = 'pre2025' AND level = 'province' AND code = '62'")
        cur.execute("UPDATE units SET name = '![x](http://example.invalid/a.png) _Ia Chim_' "
                    "WHERE system = 'pre2025' AND level = 'commune' AND code = '23326'")   # at risk in 2024
    con.close()
    old = os.environ.get("NTM_DB")
    os.environ["NTM_DB"] = str(path)
    try:
        at = open_page("overview", province="62", year="2024")
        caption = at.caption[0].value
        assert caption.startswith(r"\[Kon Tum\]\(javascript\:alert\(1\)\) \<b\>\*x\*\</b\>")
        assert "[Kon Tum](javascript:alert(1)) <b>*x*</b>" in at.sidebar.selectbox(key="w_province").options
        at_risk = tables(open_page("ntm", province="62", year="2024"))[0]       # Markdown: escaped
        assert r"\!\[x\]\(http\:" "\u2060" r"//example\.invalid/a\.png\) \_Ia Chim\_" in list(at_risk.iloc[:, 0])
    finally:
        if old is None:
            os.environ.pop("NTM_DB", None)
        else:
            os.environ["NTM_DB"] = old


def test_login_required_shows_only_the_sign_in(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("NTM_REQUIRE_LOGIN", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.query_params["province"] = "62"
    at.run()
    assert_ok(at)
    assert at.title[0].value == t("page.upload", "vi")
    assert not at.metric and not at.get("plotly_chart")      # no figures before signing in


def test_the_export_and_upload_pages_are_routed(app_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.query_params["province"] = "62"
    at.query_params["year"] = "2024"
    at.switch_page("pages/meeting_pack.py")
    at.run()
    assert_ok(at)
    assert at.title[0].value == t("page.export", "vi")
    assert url(at) == {"province": "62", "year": "2024"}           # the filters carry over
    at.switch_page("pages/upload.py")
    at.run()
    assert_ok(at)
    assert at.title[0].value == t("page.upload", "vi")


def test_a_database_without_yearly_figures_says_so_on_every_report_page(demo_db_path, tmp_path):
    """Before the first import every report page (the export page too) explains there are no figures;
    only the upload page works as usual."""
    path = tmp_path / "empty.ducklake"
    clone_local(demo_db_path, path)
    con = connect(path)
    with transaction(con) as cur:
        cur.execute("DELETE FROM commune_year")
        refresh_figures(cur)
    con.close()
    old = os.environ.get("NTM_DB")
    os.environ["NTM_DB"] = str(path)
    try:
        for page in [*PAGES, "export"]:
            at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
            if page != "overview":
                at.switch_page(PAGES.get(page, "pages/meeting_pack.py"))
            at.run()
            assert_ok(at)
            assert t("ui.no_years", "vi") in [i.value for i in at.info], page
    finally:
        if old is None:
            os.environ.pop("NTM_DB", None)
        else:
            os.environ["NTM_DB"] = old


# -------------------------------------------------------------------------------------------------
# Across the 2025 reform


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_reads_2026_on_the_new_units(app_db, page, lang):
    at = open_page(page, province="51", year="2026", lang=lang, **({"commune": "23374"} if page == "commune" else {}))
    assert t("geo.new", lang) in at.caption[0].value
    assert t("programme.2026_2035", lang) in [c.value for c in at.caption]
    assert t("demo_notice", lang) in warnings(at)


def test_the_overview_of_2026_speaks_of_the_2026_2030_criteria(app_db, demo_db_path):
    at = open_page("overview", province="51", year="2026")
    m = metrics(at)
    con = connect(demo_db_path, read_only=True)                        # the same figures as the app's copy
    modern = con.execute("SELECT count(*) FROM figures_new WHERE year = 2026 AND province_code = '51' "
                         "AND ntm_status = 'modern'").fetchone()[0]
    con.close()
    assert modern >= 1 and m[status_label("modern", "vi")] == str(modern)     # Bờ Y is in the pilot
    assert m["Số tiêu chí bình quân/xã"].endswith("/10")
    assert status_label("advanced", "vi") not in m                      # not a level of QĐ 51/2025
    statuses = [re.sub(r"\\(.)", r"\1", v) for v in tables(at)[0].iloc[:, 0]]      # as read: escapes undone
    assert statuses == [status_label(s, "vi") for s in ("none", "standard", "modern")]
    assert any(t("ui.at_risk_rule_default", "vi") == c.value for c in at.caption)


def test_an_old_province_after_the_reform_is_its_former_area_with_a_link_to_the_new_one(app_db):
    at = open_page("overview", province="62", year="2026")
    assert at.caption[0].value.replace("\\", "").startswith("Tỉnh Kon Tum (địa bàn cũ) · năm 2026")
    notice = [i.value for i in at.info]
    assert any("nay thuộc Tỉnh Quảng Ngãi (51)" in n for n in notice)
    former_rate = metrics(at)["Tỷ lệ hộ nghèo"]
    button = next(b for b in at.button if b.label == t("ui.open_new_unit", "vi", name="Tỉnh Quảng Ngãi"))
    button.click().run()
    assert url(at) == {"province": "51", "year": "2026"}
    assert metrics(at)["Tỷ lệ hộ nghèo"] != former_rate                      # the whole, not the former part


def test_an_old_commune_code_after_the_reform_says_where_it_went(app_db):
    at = open_page("commune", commune="23353", year="2026")
    assert any("Xã Đăk Pék (23341)" in i.value for i in at.info)
    assert "commune" not in url(at)


def test_a_year_before_the_reform_on_the_new_units_is_marked_converted_and_can_switch(app_db):
    at = open_page("overview", province="51", year="2023", geo="new")
    assert url(at) == {"province": "51", "year": "2023", "geo": "new"}
    assert t("ui.converted_notice", "vi", year=2023) in [i.value for i in at.info]
    new_households = metrics(at)["Tổng số hộ"]
    at.sidebar.segmented_control(key="w_geo").set_value("old").run()
    assert_ok(at)
    assert url(at) == {"province": "51", "year": "2023"}                # the old units are 2023's default
    assert t("geo.old", "vi") in at.caption[0].value
    assert metrics(at)["Tổng số hộ"] != new_households                    # old Quảng Ngãi, without Kon Tum


def test_a_commune_profile_crosses_the_reform(app_db):
    at = open_page("commune", commune="23374", year="2026")
    assert at.subheader[0].value == "Xã Đăk Môn"
    assert t("ui.commune_history_converted", "vi", year=2025) in [i.value for i in at.info]
    assert metrics(at)[t("ui.criteria_met_year", "vi", year=2026)] == "7/10"
    # recognised under the 2021–2025 criteria, not yet under QĐ 51/2025: history, never at risk (unconfirmed rule)
    assert metrics(at)[t("ui.status_in_year", "vi", year=2026)] == t("status.not_again", "vi")
    assert not any("nguy cơ" in w for w in warnings(at))
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles and all("Xã Đăk Môn" in title for title in titles)


def test_a_year_change_keeps_the_new_units(app_db):
    at = open_page("overview", province="51", year="2026")
    at.sidebar.selectbox(key="w_year").set_value(2022).run()
    assert_ok(at)
    assert url(at) == {"province": "51", "year": "2022", "geo": "new"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_unreachable_store_reads_as_a_message_then_the_page_comes_back(demo_db_path, tmp_path, monkeypatch,
                                                                         lang):
    """The shared store's PostgreSQL server is down (stopped, or restarting): the page says so in the
    reader's language — no traceback, no address, no error text — and shows the figures once it is up."""
    from ntm.store.copy import copy_store
    from ntm.store.location import SHARED, Location
    from tests.postgres import PostgresServer

    server = PostgresServer(Path(tempfile.mkdtemp(prefix="ntm-postgres-"))).create()
    try:
        store = Location(SHARED, server.database("ntm"), str(tmp_path / "files") + "/")
        copy_store(demo_db_path, store)
        server.stop()
        monkeypatch.setenv("NTM_STORE", store.catalog)
        monkeypatch.setenv("NTM_STORE_FILES", store.files)
        at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
        at.query_params["lang"] = lang
        at.run()
        assert_ok(at)
        shown = " ".join(w.value for w in at.warning)
        assert t("db.unreachable_page", lang) in shown and not at.error
        assert str(server.port) not in shown and "127.0.0.1" not in shown and "postgres" not in shown.lower()
        assert not at.metric
        server.start()
        at.button(key="db_retry").click().run()
        assert_ok(at)
        assert at.metric and not any(t("db.unreachable_page", lang) in w.value for w in at.warning)
    finally:
        server.remove()


def test_a_store_lost_after_the_page_loaded_keeps_the_figures_and_says_so(demo_db_path, tmp_path, monkeypatch):
    """The shared store's server stops after a page has its figures (a restart): the page keeps showing
    them from the copy the dashboard holds and says the store cannot be reached (the upload page too);
    once the server is back the notice goes by itself."""
    from ntm.store.copy import copy_store
    from ntm.store.location import SHARED, Location
    from tests.postgres import PostgresServer

    server = PostgresServer(Path(tempfile.mkdtemp(prefix="ntm-postgres-"))).create()
    try:
        store = Location(SHARED, server.database("ntm"), str(tmp_path / "files") + "/")
        copy_store(demo_db_path, store)
        monkeypatch.setenv("NTM_STORE", store.catalog)
        monkeypatch.setenv("NTM_STORE_FILES", store.files)
        at = open_page("overview", province="62", year="2024")
        shown = metrics(at)
        server.stop()
        time.sleep(2.1)                                        # past the 2 s between checks of the store
        at.run()
        assert_ok(at)
        assert metrics(at) == shown
        assert any(t("db.unreachable_kept", "vi") in w for w in warnings(at))
        upload = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
        upload.switch_page("pages/upload.py")
        upload.run()
        assert_ok(upload)
        assert any(t("db.unreachable_kept", "vi") in w for w in warnings(upload))
        server.start()
        time.sleep(2.1)
        at.run()
        assert_ok(at)
        assert metrics(at) == shown and not any(t("db.unreachable_kept", "vi") in w for w in warnings(at))
    finally:
        server.remove()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_2026_poverty_lead_says_it_is_the_baseline_under_the_new_standard(app_db, lang):
    """2026 is the first review under NĐ 351/2025 (unconfirmed), a baseline without flows (docs/domain.md
    §2.7): the poverty page's lead says so instead of '–' households escaping, falling back or newly poor;
    the overview says it where the flow tiles stand; 2025 keeps its counts."""
    first = {"vi": "Năm 2026 là lần rà soát đầu tiên theo NĐ 351/2025 [năm áp dụng chưa xác nhận]",
             "en": "2026 is the first review under NĐ 351/2025 [years applied unconfirmed]"}[lang]
    empty_flows = {"vi": "– hộ thoát nghèo", "en": "– households escaped"}[lang]
    at = open_page("poverty", province="51", year="2026", lang=lang)
    lead = next(m.value for m in at.markdown if first in m.value)
    assert lead.startswith({"vi": "Năm 2026: tỷ lệ hộ nghèo ", "en": "2026: poor rate "}[lang])
    assert t("ui.rate_across_standards", lang, year=2026) in lead and "–" not in lead
    assert not any(empty_flows in m.value for m in at.markdown)
    overview = open_page("overview", province="51", year="2026", lang=lang)
    assert any(first in i.value for i in overview.info)
    assert t("escaped", lang) not in metrics(overview)
    y25 = open_page("poverty", province="51", year="2025", lang=lang)
    assert not any(first[:20] in m.value for m in y25.markdown)
    assert metrics(open_page("overview", province="51", year="2025", lang=lang))[t("escaped", lang)] != "–"


def test_a_rate_across_two_poverty_standards_is_not_shown_as_a_change(app_db):
    """2026 is the first review under NĐ 351/2025: the poverty page's lead and a commune's poor-rate tile say
    the year is not compared with 2025 instead of a change in points; 2025 still shows its change."""
    note = t("ui.rate_across_standards", "vi", year=2026)
    at = open_page("poverty", province="51", year="2026")
    assert any(note in m.value for m in at.markdown)
    assert not any(t("ui.rate_across_standards", "vi", year=2025) in m.value
                   for m in open_page("poverty", province="51", year="2025").markdown)
    profile = open_page("commune", commune="23374", year="2026")
    tile = next(m for m in profile.metric if m.label == t("ui.poor_rate", "vi"))
    assert not tile.delta and note in (tile.proto.help or "")


def signed_in_page(page_file: str, name: str, **params) -> AppTest:
    """A data page (`pages/…`) signed in as the account `name`."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state["analyst"] = name
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.switch_page(page_file)
    at.run()
    assert_ok(at)
    return at


def test_an_analyst_of_another_province_is_told_and_the_import_button_stays_off(app_db):
    """Quảng Ninh's analyst sends Kon Tum's file: the page says whose data it is and who may change it,
    offers no import, and the history offers no batch of another province to roll back."""
    from ntm.store.connection import connect
    from tests.ingest.test_yearly import kon_tum_rows, to_csv

    con = connect(app_db, read_only=True)
    rows = kon_tum_rows(con)
    con.close()
    at = signed_in_page("pages/upload.py", QUANG_NINH)
    at.file_uploader(key="upload_file").set_value(("kon_tum_2024.csv", to_csv(rows), "text/csv"))
    at.run()
    assert_ok(at)
    refusal = [e.value for e in at.error if "Kon Tum" in e.value]
    assert refusal and "Quảng Ninh" in refusal[0] and "lan" in refusal[0]      # whose it is, who may change it
    confirm = [b for b in at.button if b.key and b.key.startswith("upload_confirm_")]
    assert confirm and all(b.disabled for b in confirm)
    assert not [c for c in at.checkbox if c.key and c.key.startswith("upload_ack_")]
    offered = [s for s in at.selectbox if s.key and s.key.startswith("rb_choice_")]
    assert not offered                                   # every batch of the demo covers other provinces
    assert any(t("upload.rollback_only_yours", "vi", n="").split("(")[0] in c.value for c in at.caption)
    coordinator = signed_in_page("pages/upload.py", ANALYST)
    coordinator.file_uploader(key="upload_file").set_value(("kon_tum_2024.csv", to_csv(rows), "text/csv"))
    coordinator.run()
    assert not [e.value for e in coordinator.error if "Kon Tum" in e.value]
    assert [b for b in coordinator.button if b.key and b.key.startswith("upload_confirm_")]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_reporting_page_lists_every_province_and_the_audit_log(app_db, lang):
    at = signed_in_page("pages/reporting.py", ANALYST, lang=lang)
    assert at.title[0].value == t("page.reporting", lang)
    assert [m.label for m in at.metric][:3] == [t(f"reporting.metric_{k}", lang) for k in ("complete", "partial", "none")]
    year = at.selectbox(key="reporting_year").value
    assert at.dataframe[0].value.shape[0] == (34 if year >= 2025 else 63)
    assert at.get("deck_gl_json_chart")                   # the national map
    log = at.dataframe[-1].value                          # the audit log's tab comes last
    assert t("audit.col_by", lang) in log.columns and len(log) >= 2      # the demo's batches, the accounts made
    assert len(at.tabs) == 2
    analyst = signed_in_page("pages/reporting.py", QUANG_NINH, lang=lang)   # the status, not the audit log
    assert len(analyst.tabs) == 1 and analyst.metric


