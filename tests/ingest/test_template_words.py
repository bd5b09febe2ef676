"""The yearly template speaks the analyst's words: its drop-downs offer statuses by name, the criteria set
and the poverty standard by the document that issued them ("QĐ 51/2025/QĐ-TTg (10 tiêu chí)", "NĐ
351/2025/NĐ-CP"), never a code; the upload reads those words back (the old codes keep working); the
instructions sheet says what each column holds; and no upload message sends the analyst to a file of the
product's own data."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from ntm.domain.columns import BY_NAME
from ntm.domain.criteria import criteria_set_for_year, criteria_sets
from ntm.domain.periods import poverty_standards
from ntm.ingest.columns import template_columns
from ntm.ingest.template import accepted_values, column_guide
from ntm.ingest.validation import parse_criteria_set, parse_poverty_standard, parse_status
from ntm.ingest.yearly import validate_bytes
from ntm.text import status_label, t
from ntm.text.catalogue import MESSAGES
from tests.ingest.test_poverty_standards import province_rows

STANDARDS = poverty_standards()
CODES = {*criteria_sets(), *STANDARDS["poverty_standard"], "none", "standard", "advanced", "model", "modern"}


def is_code(value: str) -> bool:
    """A code of the product's data rather than a word: a set or standard key ('QD51_2025'), a status key."""
    return value in CODES or bool(re.fullmatch(r"[A-Z]+\d+_\d{4}", value)) or "_" in value


def _standards_of(year: int) -> list[str]:
    return STANDARDS.loc[(STANDARDS["first_year"] <= year) & (STANDARDS["last_year"] >= year),
                         "poverty_standard"].tolist()


@pytest.mark.parametrize("year", [2024, 2026])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_drop_downs_offer_words_that_read_back(year, lang):
    cset = criteria_set_for_year(year)
    offered = {c: accepted_values(c, year, lang) for c in ("ntm_status", "criteria_set", "poverty_standard", "c01")}
    assert not [v for values in offered.values() for v in values if is_code(v)], offered
    statuses, bad = parse_status(pd.Series(offered["ntm_status"]))
    assert not bad.any() and list(statuses) == list(cset.statuses)
    sets, bad = parse_criteria_set(pd.Series(offered["criteria_set"]))
    assert not bad.any() and list(sets) == [cset.key]
    assert offered["criteria_set"] == [f"{cset.decision.split(' (')[0]} ({cset.n_criteria} "
                                       f"{'tiêu chí' if lang == 'vi' else 'criteria'})"]
    standards, bad = parse_poverty_standard(pd.Series(offered["poverty_standard"]))
    assert not bad.any() and list(standards) == _standards_of(year)


def test_the_2026_drop_downs_name_the_documents():
    assert accepted_values("criteria_set", 2026, "vi") == ["QĐ 51/2025/QĐ-TTg (10 tiêu chí)"]
    assert accepted_values("criteria_set", 2024, "en") == ["QĐ 318/QĐ-TTg (19 criteria)"]
    assert accepted_values("poverty_standard", 2026, "vi") == ["NĐ 351/2025/NĐ-CP"]
    assert set(accepted_values("poverty_standard", 2025, "en")) == {"NĐ 07/2021/NĐ-CP",
                                                                   "NQ 13/2023/NQ-HĐND tỉnh Quảng Ninh"}


def test_names_codes_and_short_names_all_read_as_the_same_standard_or_set():
    standards, bad = parse_poverty_standard(pd.Series(["NĐ 351/2025/NĐ-CP", "nd 351/2025", "ND351_2025",
                                                       "Chuẩn nghèo đa chiều 2026–2030 (NĐ 351/2025/NĐ-CP)", "",
                                                       "chuẩn riêng"]))
    assert list(standards.fillna("–")) == ["ND351_2025"] * 4 + ["–", "–"] and list(bad) == [False] * 5 + [True]
    sets, bad = parse_criteria_set(pd.Series(["QĐ 51/2025/QĐ-TTg (10 tiêu chí)", "QD51_2025", "51",
                                              "Bộ tiêu chí xã NTM 2026–2030 (QĐ 51/2025/QĐ-TTg, 10 tiêu chí)",
                                              "QĐ 318/QĐ-TTg (19 criteria)", "QĐ 99/2030"]))
    assert list(sets.fillna("–")) == ["QD51_2025"] * 4 + ["QD318_2022", "–"] and list(bad) == [False] * 5 + [True]


def _quang_ngai_2026(con, words: str | None) -> bytes:
    """The new Quảng Ngãi's 2026 figures as an upload, its criteria set, poverty standard and statuses
    written as codes (None) or in the template's words of a language."""
    raw = pd.read_csv(io.BytesIO(province_rows(con, "51", 2026, "ND351_2025", "post2025")), dtype=str)
    if words:
        raw[BY_NAME["criteria_set"].header_vi] = accepted_values("criteria_set", 2026, words)[0]
        raw[BY_NAME["poverty_standard"].header_vi] = accepted_values("poverty_standard", 2026, words)[0]
        status = BY_NAME["ntm_status"].header_vi
        raw[status] = raw[status].map(lambda s: status_label(s, words) if isinstance(s, str) else s)
    else:
        raw[BY_NAME["criteria_set"].header_vi] = "QD51_2025"
    return raw.to_csv(index=False).encode()


def test_a_2026_file_in_words_validates_like_one_in_codes(db):
    codes = validate_bytes(db, _quang_ngai_2026(db, None), "quang_ngai_2026.csv")
    assert codes.rows is not None and len(codes.rows) > 50
    for lang in ("vi", "en"):
        words = validate_bytes(db, _quang_ngai_2026(db, lang), "quang_ngai_2026.csv")
        assert sorted(i.key for i in words.issues) == sorted(i.key for i in codes.issues)
        assert words.criteria_set == codes.criteria_set == "QD51_2025"
        for col in ("criteria_set", "poverty_standard", "ntm_status", "commune_code", "households"):
            assert words.rows[col].tolist() == codes.rows[col].tolist(), col
        assert set(words.rows["poverty_standard"]) == {"ND351_2025"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_instructions_say_what_each_column_holds(lang):
    """Năm is a year, Năm công nhận a year, Số tiêu chí đạt a count of the year's criteria — not households
    or people; every column has its own words and none is a code."""
    year_text = column_guide("year", 2026, lang)
    assert ("năm" if lang == "vi" else "year") in year_text and "4" in year_text
    assert ("năm" if lang == "vi" else "year") in column_guide("ntm_recognition_year", 2026, lang)
    assert "10" in column_guide("criteria_met", 2026, lang) and "19" in column_guide("criteria_met", 2024, lang)
    households, people = ("hộ", "người") if lang == "vi" else ("households", "people")
    for name in ("year", "ntm_recognition_year", "criteria_met", "commune_group"):
        assert households not in column_guide(name, 2026, lang) and people not in column_guide(name, 2026, lang)
    assert households in column_guide("poor_households", 2026, lang)
    assert people in column_guide("population", 2026, lang)
    assert "QĐ 51/2025/QĐ-TTg" in column_guide("criteria_set", 2026, lang)
    assert "NĐ 351/2025/NĐ-CP" in column_guide("poverty_standard", 2026, lang)
    for year in (2024, 2026):
        for col in template_columns(year):
            assert not re.search(r"\w_\w", column_guide(col.name, year, lang)), col.name       # no 'QD51_2025'


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_unknown_code_says_what_to_do_without_a_file_path(db, lang):
    rows = pd.read_csv(io.BytesIO(province_rows(db, "51", 2026, None, "post2025")), dtype=str)
    rows.loc[2, BY_NAME["commune_code"].header_vi] = "99999"
    report = validate_bytes(db, rows.to_csv(index=False).encode(), "quang_ngai_2026.csv")
    issue = next(i for i in report.errors if i.key == "code.unknown")
    text = issue.message(report.file_name, lang)
    assert "data/" not in text and "unit_changes" not in text
    words = ("quản trị viên", "quyết định", "tên") if lang == "vi" else ("administrator", "decision", "name")
    assert all(w in text for w in words), text


def test_no_text_a_user_reads_names_a_file_of_the_products_data():
    """No catalogue text points at a file under data/ (the pages, the upload, the command line, the pack)."""
    paths = {k: v for k, e in MESSAGES.items() for v in e.values() if re.search(r"\bdata/\w|\w+\.csv\b", v)}
    assert paths == {}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_messages_about_standards_and_sets_name_documents(db, lang):
    """A file naming a standard for years it does not measure is told which document to use, by name."""
    report = validate_bytes(db, province_rows(db, "62", 2021, "QD59_2015", "pre2025"), "kontum_2021.csv")
    error = next(i for i in report.errors if i.key == "poverty_standard.year")
    text = error.message(report.file_name, lang)
    assert "QĐ 59/2015/QĐ-TTg" in text and "NĐ 07/2021/NĐ-CP" in text
    assert "QD59_2015" not in text and "ND07_2021" not in text
    unknown = validate_bytes(db, province_rows(db, "62", 2023, "chuẩn riêng", "pre2025"), "kontum_2023.csv")
    listed = next(i for i in unknown.errors if i.key == "poverty_standard.invalid").message("kontum_2023.csv", lang)
    assert "NĐ 351/2025/NĐ-CP" in listed and "ND351_2025" not in listed
    assert t("template.criteria_set_choice", lang, decision="QĐ 51/2025/QĐ-TTg", n=10).startswith("QĐ 51/2025")
