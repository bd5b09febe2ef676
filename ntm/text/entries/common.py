"""Words shared by every part of the dashboard: notices, NTM statuses, unit levels, poverty measures,
map indicators and their units, and the short messages the command line and pages share."""

ENTRIES: dict[str, dict[str, str]] = {
    "demo_notice": {"vi": "DỮ LIỆU MINH HỌA (demo): số liệu được sinh ngẫu nhiên có kiểm soát, không phải số liệu "
                          "chính thức.",
                    "en": "DEMO DATA: generated illustrative figures, not official statistics."},
    "schematic_notice": {"vi": "Ranh giới huyện/xã là SƠ ĐỒ (vẽ gần đúng quanh vị trí trụ sở mỗi xã), không phải ranh giới "
                               "hành chính chính thức.",
                         "en": "District/commune boundaries are SCHEMATIC (drawn roughly around each commune's seat), "
                               "not official boundaries."},
    "status.none": {"vi": "Chưa đạt chuẩn", "en": "Not yet NTM"},
    "status.standard": {"vi": "Đạt chuẩn NTM", "en": "NTM standard"},
    "status.advanced": {"vi": "NTM nâng cao", "en": "Advanced NTM"},
    "status.model": {"vi": "NTM kiểu mẫu", "en": "Model NTM"},
    "level.national": {"vi": "Toàn quốc", "en": "National"},
    "level.province": {"vi": "Tỉnh", "en": "Province"},
    "level.district": {"vi": "Huyện", "en": "District"},
    "level.commune": {"vi": "Xã", "en": "Commune"},
    "target_group.national": {"vi": "Toàn quốc", "en": "National"},
    "target_group.poor_districts": {"vi": "Huyện nghèo", "en": "Poor districts"},
    "target_group.ethnic_minority": {"vi": "Hộ DTTS", "en": "Ethnic-minority households"},
    "target_group.em_area": {"vi": "Vùng đồng bào DTTS và miền núi", "en": "Ethnic-minority and mountainous area"},
    # One name per rate (`ntm.present.labels.RATES`), the same on the pages, the targets and the pack.
    "rate.poor": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor household rate"},
    "rate.poor.of": {"vi": "% số hộ", "en": "% of households"},
    "rate.near_poor": {"vi": "Tỷ lệ hộ cận nghèo", "en": "Near-poor household rate"},
    "rate.near_poor.of": {"vi": "% số hộ", "en": "% of households"},
    "rate.em_poor": {"vi": "Tỷ lệ hộ nghèo trong các hộ DTTS", "en": "Poor rate among ethnic-minority households"},
    "rate.em_poor.of": {"vi": "% số hộ DTTS", "en": "% of ethnic-minority households"},
    "rate.em_area_poor": {"vi": "Tỷ lệ hộ nghèo của vùng đồng bào DTTS và miền núi",
                          "en": "Poor rate of the ethnic-minority and mountainous area"},
    "rate.em_area_poor.of": {"vi": "% mọi hộ ở các xã khu vực I–III",
                             "en": "% of all households in region I–III communes"},
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
    "change_pp": {"vi": "thay đổi so với năm trước (điểm %)", "en": "change on previous year (pp)"},
    "unit_not_found": {"vi": "Không tìm thấy đơn vị có mã {code} trong năm {year}. Kiểm tra lại mã (2 số: tỉnh, 3 "
                             "số: huyện, 5 số: xã).",
                       "en": "No unit with code {code} in {year}. Check the code (2 digits: province, 3: district, "
                             "5: commune)."},
    "no_data": {"vi": "Chưa có số liệu cho {name} năm {year}.", "en": "No figures for {name} in {year}."},
    "source_line": {"vi": "Nguồn: {source}", "en": "Source: {source}"},
    "metric.ntm_status": {"vi": "Mức đạt chuẩn nông thôn mới", "en": "NTM status"},
    "metric.ntm_share": {"vi": "Tỷ lệ xã đạt chuẩn NTM", "en": "Share of communes recognised NTM"},
    "metric.criteria_met": {"vi": "Số tiêu chí NTM đạt", "en": "NTM criteria met"},
    "metric.criteria_avg": {"vi": "Số tiêu chí NTM đạt bình quân/xã", "en": "Average NTM criteria met per commune"},
    "metric.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor household rate"},
    "metric.poor_near_rate": {"vi": "Tỷ lệ hộ nghèo và cận nghèo", "en": "Poor and near-poor household rate"},
    "metric.escaped_per100": {"vi": "Hộ thoát nghèo trên 100 hộ",
                              "en": "Households escaping poverty per 100 households"},
    "metric.fell_back_per100": {"vi": "Hộ tái nghèo trên 100 hộ",
                                "en": "Households falling back into poverty per 100 households"},
    "metric.newly_poor_per100": {"vi": "Hộ nghèo phát sinh trên 100 hộ",
                                 "en": "Newly poor households per 100 households"},
    "metric.poor_rate_change": {"vi": "Thay đổi tỷ lệ hộ nghèo so với năm trước",
                                "en": "Change of the poor rate on the previous year"},
    "unit.percent": {"vi": "%", "en": "%"},
    "unit.pp": {"vi": "điểm %", "en": "pp"},
    "unit.per100": {"vi": "hộ/100 hộ", "en": "per 100 households"},
    "unit.criteria": {"vi": "tiêu chí", "en": "criteria"},
    "unit.category": {"vi": "phân loại", "en": "category"},
    "demo_tag": {"vi": "DỮ LIỆU MINH HỌA / DEMO — không phải số liệu chính thức",
                 "en": "DEMO DATA — illustrative, not official figures"},
    "source.default": {"vi": "CSDL Chương trình MTQG xây dựng NTM và Giảm nghèo bền vững (rà soát hộ nghèo, cận "
                             "nghèo; đánh giá tiêu chí NTM cấp xã)",
                       "en": "NTP database, New Rural Development and Sustainable Poverty Reduction (poor-household "
                             "review; commune NTM criteria assessment)"},
    "state.not_reached": {"vi": "Chưa đạt", "en": "Not reached"},
    "criterion.short": {"vi": "TC{n}", "en": "C{n}"},
    "ui.exported_on": {"vi": "Xuất ngày {date}", "en": "Exported {date}"},
    "language.vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "language.en": {"vi": "Tiếng Anh", "en": "English"},
    "status.not_again": {"vi": "Chưa được công nhận lại", "en": "Not yet recognised again"},
    "status.modern": {"vi": "NTM hiện đại (thí điểm)", "en": "Modern NTM (pilot)"},
    "geo.new": {"vi": "Địa giới mới (từ 1/7/2025)", "en": "New units (from 1 July 2025)"},
    "geo.old": {"vi": "Địa giới cũ (trước 1/7/2025)", "en": "Old units (before 1 July 2025)"},
    "unit.former_area": {"vi": "{name} (địa bàn cũ)", "en": "{name} (former area)"},
    "unit.moved_exact": {"vi": "{name} ({code}) là đơn vị trước ngày 1/7/2025; nay thuộc {new}. Số liệu dưới đây là "
                               "của địa bàn {name} cũ, cộng từ {n} đơn vị mới nằm trọn trong địa bàn này.",
                         "en": "{name} ({code}) is a unit from before 1 July 2025; it is now part of {new}. The "
                               "figures below are for the former area of {name}, summed over the {n} new units that "
                               "lie wholly within it."},
    "unit.moved_partial": {"vi": "{name} ({code}) là đơn vị trước ngày 1/7/2025; địa bàn nay thuộc: {new}. Các đơn "
                                 "vị mới này gồm cả địa bàn ngoài {name} nên không tách riêng được số liệu của "
                                 "{name} cũ; hãy xem từng đơn vị mới (ví dụ mã {first}).",
                           "en": "{name} ({code}) is a unit from before 1 July 2025; its area is now part of: "
                                 "{new}. These new units also cover areas outside {name}, so the former unit cannot "
                                 "be shown on its own; look at the new units (for example code {first})."},
    "summary.compared_converted": {"vi": "Năm {year} được quy đổi theo địa giới mới (cộng các xã cũ hợp thành mỗi "
                                         "xã mới) để so sánh cùng địa bàn.",
                                   "en": "{year} is re-aggregated onto the new units (the old communes that formed "
                                         "each new one, summed) so that the same places are compared."},
    "summary.criteria_all_parts": {"vi": "quy đổi: một tiêu chí chỉ tính là đạt khi mọi xã cũ hợp thành đều đạt",
                                   "en": "re-aggregated: a criterion counts as met only when every old commune that "
                                         "formed the new one met it"},
    "summary.approximate": {"vi": "So sánh gần đúng: có xã cũ bị chia cho nhiều xã mới (số liệu tính cho xã kế thừa "
                                  "chính).",
                            "en": "An approximate comparison: an old commune was split between new ones (its "
                                  "figures go to its main successor)."},
    "summary.reassess": {"vi": "{n} xã mới hình thành từ các xã có mức đạt chuẩn khác nhau: cần đánh giá lại (CV "
                               "5424/BNN-VPĐP), chưa tính là đạt chuẩn.",
                         "en": "{n} new communes were formed from communes at different levels: to be re-assessed "
                               "(CV 5424/BNN-VPĐP), not counted as recognised."},
    "level.national_partial": {"vi": "Toàn quốc ({n}/{total} tỉnh có số liệu)",
                               "en": "National ({n} of {total} provinces with figures)"},
    "export.no_browser": {"vi": "Không xuất được ảnh và báo cáo: máy này chưa có trình duyệt Chromium (cần để vẽ "
                                "ảnh). Cách khắc phục: chạy “bash scripts/setup.sh” (cài chromium và phông chữ "
                                "tiếng Việt), hoặc đặt biến NTM_CHROMIUM trỏ tới một Chromium có sẵn, rồi thử lại.",
                          "en": "Images and packs cannot be exported: this machine has no Chromium browser (it "
                                "draws them). To fix: run “bash scripts/setup.sh” (installs chromium and Vietnamese "
                                "fonts), or set NTM_CHROMIUM to an installed Chromium, then try again."},
    "export.timeout": {"vi": "Không xuất được: Chromium không trả lời sau {seconds} giây. Hãy thử lại; nếu vẫn lỗi, "
                             "khởi động lại bảng điều khiển hoặc chạy “bash scripts/setup.sh”.",
                       "en": "Export failed: Chromium did not answer within {seconds} seconds. Try again; if it "
                             "keeps failing, restart the dashboard or run “bash scripts/setup.sh”."},
}
