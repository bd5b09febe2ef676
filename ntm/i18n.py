"""Messages and number formats in Vietnamese (default) and English, from one catalogue."""

from __future__ import annotations

import math
from datetime import date, datetime

LANGS = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "demo_notice": {
        "vi": "DỮ LIỆU MINH HỌA (demo): số liệu được sinh ngẫu nhiên có kiểm soát, không phải số liệu chính thức.",
        "en": "DEMO DATA: generated illustrative figures, not official statistics.",
    },
    "schematic_notice": {
        "vi": "Ranh giới huyện/xã là SƠ ĐỒ (Voronoi từ tọa độ xã), không phải ranh giới hành chính chính thức.",
        "en": "District/commune boundaries are SCHEMATIC (Voronoi cells of commune points), not official boundaries.",
    },
    "status.none": {"vi": "Chưa đạt chuẩn", "en": "Not yet NTM"},
    "status.standard": {"vi": "Đạt chuẩn NTM", "en": "NTM standard"},
    "status.advanced": {"vi": "NTM nâng cao", "en": "Advanced NTM"},
    "status.model": {"vi": "NTM kiểu mẫu", "en": "Model NTM"},
    "level.national": {"vi": "Toàn quốc", "en": "National"},
    "level.province": {"vi": "Tỉnh", "en": "Province"},
    "level.district": {"vi": "Huyện", "en": "District"},
    "level.commune": {"vi": "Xã", "en": "Commune"},
    "households": {"vi": "Tổng số hộ", "en": "Households"},
    "population": {"vi": "Số nhân khẩu", "en": "Population"},
    "poor": {"vi": "Hộ nghèo", "en": "Poor households"},
    "near_poor": {"vi": "Hộ cận nghèo", "en": "Near-poor households"},
    "poor_and_near_poor": {"vi": "Hộ nghèo và cận nghèo", "en": "Poor and near-poor households"},
    "escaped": {"vi": "Thoát nghèo", "en": "Escaped poverty"},
    "fell_back": {"vi": "Tái nghèo", "en": "Fell back into poverty"},
    "newly_poor": {"vi": "Nghèo phát sinh", "en": "Newly poor"},
    "em_poor": {"vi": "Hộ nghèo DTTS", "en": "Ethnic-minority poor households"},
    "communes_by_status": {"vi": "Số xã theo mức đạt chuẩn NTM", "en": "Communes by NTM status"},
    "avg_criteria": {"vi": "Số tiêu chí bình quân/xã", "en": "Average criteria met per commune"},
    "at_risk": {"vi": "Xã có nguy cơ bị thu hồi quyết định công nhận", "en": "Communes at risk of revocation"},
    "at_risk_none": {"vi": "Không có xã nào có nguy cơ bị thu hồi.", "en": "No commune is at risk of revocation."},
    "criteria_not_met": {"vi": "Tiêu chí không còn đạt", "en": "Criteria no longer met"},
    "rate_of": {"vi": "tỷ lệ", "en": "rate"},
    "change_pp": {"vi": "thay đổi so với năm trước (điểm %)", "en": "change on previous year (pp)"},
    "unit_not_found": {
        "vi": "Không tìm thấy đơn vị có mã {code} trong năm {year}. Kiểm tra lại mã (2 số: tỉnh, 3 số: huyện, 5 số: xã).",
        "en": "No unit with code {code} in {year}. Check the code (2 digits: province, 3: district, 5: commune).",
    },
    "no_data": {"vi": "Chưa có số liệu cho {name} năm {year}.", "en": "No figures for {name} in {year}."},
    "source_line": {"vi": "Nguồn: {source}", "en": "Source: {source}"},
}


def t(key: str, lang: str = "vi", **kwargs) -> str:
    """The message `key` in `lang` (Vietnamese when the language is unknown), formatted with kwargs."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**kwargs) if kwargs else text


def fmt_number(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1234.5 → '1.234,5' in Vietnamese, '1,234.5' in English; None/NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    s = f"{value:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_percent(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A value already in per cent: 15.32 → '15,32%'."""
    return "–" if value is None else fmt_number(value, lang, decimals) + "%"


def fmt_pp(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A signed change in percentage points: -4.46 → '-4,46 điểm %' / '-4.46 pp'."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return sign + fmt_number(value, lang, decimals) + (" điểm %" if lang == "vi" else " pp")


def fmt_date(value: date | datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English."""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%Y-%m-%d")


def status_label(status: str | None, lang: str = "vi") -> str:
    """Display name of an NTM status."""
    return t(f"status.{status or 'none'}", lang)
