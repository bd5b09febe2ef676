"""Messages and number formats in Vietnamese (default) and English, from one catalogue."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from ntm.text.upload import VALIDATION_MESSAGES

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
    "target_group.national": {"vi": "Toàn quốc", "en": "National"},
    "target_group.poor_districts": {"vi": "Huyện nghèo", "en": "Poor districts"},
    "target_group.ethnic_minority": {"vi": "Hộ DTTS", "en": "Ethnic-minority households"},
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
    "cli.no_file": {"vi": "Không tìm thấy tệp {path}. Hãy kiểm tra đường dẫn.",
                    "en": "File {path} not found. Check the path."},
    "batch.unknown": {"vi": "Không có lô nhập số {batch}. Xem danh sách bằng lệnh `batches`.",
                      "en": "There is no import batch {batch}. List them with `batches`."},
    "cli.more_of_kind": {"vi": "… {n} cảnh báo cùng loại nữa (xem --json)", "en": "… {n} more of the same (see --json)"},
    "cli.error_counts": {"vi": "Lỗi / cảnh báo: {errors} / {warnings}", "en": "Errors / warnings: {errors} / {warnings}"},
    "cli.boundary_summary": {"vi": "Ghép theo {method}: khớp {matched}, không khớp {unmatched}, nhập nhằng {ambiguous}",
                             "en": "Joined by {method}: matched {matched}, unmatched {unmatched}, ambiguous {ambiguous}"},
    "cli.boundary_unmatched": {"vi": "  không khớp: {name}", "en": "  unmatched: {name}"},
    "cli.boundary_ambiguous": {"vi": "  nhập nhằng: {name} → {candidates}", "en": "  ambiguous: {name} → {candidates}"},
    "cli.password": {"vi": "Mật khẩu", "en": "password"},
    "cli.password_again": {"vi": "Nhập lại", "en": "repeat"},
    "cli.passwords_differ": {"vi": "Mật khẩu không khớp", "en": "passwords differ"},
    "cli.already_rolled_back": {"vi": "Lô {batch} đã được hoàn tác trước đó; không có gì thay đổi.",
                                "en": "Batch {batch} was already rolled back; nothing changed."},
    "db.foreign": {"vi": "Tệp {path} không phải cơ sở dữ liệu của bảng điều khiển; không ghi đè. Hãy chọn tệp khác "
                         "(--db) hoặc dùng `init --force` nếu chắc chắn muốn tạo lại.",
                   "en": "{path} is not a dashboard database and was not overwritten. Choose another file (--db) "
                         "or run `init --force` if you really want to rebuild it."},
    # ---- dashboard frame, overview and map (app.py, pages/, ntm/maps.py) ----
    "ui.app_title": {"vi": "Nông thôn mới và Giảm nghèo bền vững", "en": "New Rural Development and Sustainable Poverty Reduction"},
    "ui.app_caption": {"vi": "Theo dõi hai Chương trình mục tiêu quốc gia, 2021–2025",
                       "en": "Monitoring two National Target Programmes, 2021–2025"},
    "page.overview": {"vi": "Tổng quan", "en": "Overview"},
    "page.map": {"vi": "Bản đồ", "en": "Map"},
    "page.ntm": {"vi": "Nông thôn mới", "en": "New rural development"},
    "page.poverty": {"vi": "Giảm nghèo", "en": "Poverty reduction"},
    "page.commune": {"vi": "Hồ sơ xã", "en": "Commune profile"},
    "ui.filters": {"vi": "Bộ lọc", "en": "Filters"},
    "ui.language": {"vi": "Ngôn ngữ / Language", "en": "Language / Ngôn ngữ"},
    "ui.province": {"vi": "Tỉnh", "en": "Province"},
    "ui.all_provinces": {"vi": "Toàn quốc (các tỉnh có số liệu)", "en": "National (provinces with data)"},
    "ui.district": {"vi": "Huyện", "en": "District"},
    "ui.all_districts": {"vi": "Tất cả các huyện", "en": "All districts"},
    "ui.year": {"vi": "Năm", "en": "Year"},
    "ui.mountainous_only": {"vi": "Chỉ huyện miền núi", "en": "Mountainous districts only"},
    "ui.em_region": {"vi": "Vùng đồng bào DTTS (khu vực)", "en": "Ethnic-minority area (region)"},
    "ui.em_all": {"vi": "Tất cả các xã", "en": "All communes"},
    "ui.em_option": {"vi": "Xã khu vực {region}", "en": "Region {region} communes"},
    "ui.em_help": {"vi": "Khu vực I/II/III theo QĐ 33/2020/QĐ-TTg (danh sách QĐ 861/QĐ-TTg).",
                   "en": "Regions I/II/III under Decision 33/2020/QĐ-TTg (list in Decision 861/QĐ-TTg)."},
    "ui.reset": {"vi": "Đặt lại bộ lọc", "en": "Reset filters"},
    "ui.share_hint": {"vi": "Đường dẫn trên thanh địa chỉ giữ nguyên bộ lọc: sao chép để chia sẻ đúng màn hình này.",
                      "en": "The address-bar link keeps the filters: copy it to share this exact view."},
    "ui.filter_mountainous": {"vi": "huyện miền núi", "en": "mountainous districts"},
    "ui.filter_em": {"vi": "xã khu vực {region}", "en": "region {region} communes"},
    "ui.filters_active": {"vi": "Đang lọc: {filters}", "en": "Filtered to: {filters}"},
    "ui.scope_year": {"vi": "{scope} · năm {year}", "en": "{scope} · {year}"},
    "ui.no_years": {"vi": "Cơ sở dữ liệu chưa có số liệu năm nào. Hãy nhập số liệu trước.",
                    "en": "The database has no yearly figures yet. Import figures first."},
    "ui.data_source_demo": {"vi": "số liệu minh họa (DEMO) cấp xã, cuối năm {year}",
                            "en": "illustrative (DEMO) commune figures, end of {year}"},
    "ui.data_source": {"vi": "báo cáo rà soát hộ nghèo và đánh giá tiêu chí NTM cấp xã, cuối năm {year}",
                       "en": "commune poverty review and NTM assessment reports, end of {year}"},
    "ui.section_poverty": {"vi": "Giảm nghèo bền vững", "en": "Sustainable poverty reduction"},
    "ui.section_ntm": {"vi": "Nông thôn mới", "en": "New rural development"},
    "ui.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor household rate"},
    "ui.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo", "en": "Near-poor household rate"},
    "ui.poor_near_rate": {"vi": "Tỷ lệ hộ nghèo và cận nghèo", "en": "Poor and near-poor rate"},
    "ui.em_poor_rate": {"vi": "Tỷ lệ hộ nghèo DTTS", "en": "Ethnic-minority poor rate"},
    "ui.n_households": {"vi": "{count} hộ", "en": "{count} households"},
    "ui.n_of_households": {"vi": "{count} / {total} hộ", "en": "{count} of {total} households"},
    "ui.vs_prev_year": {"vi": "so với năm {year}", "en": "vs {year}"},
    "ui.flows_year": {"vi": "Biến động trong năm {year} (hộ)", "en": "Changes during {year} (households)"},
    "ui.rural_communes": {"vi": "Số xã (thuộc diện xét NTM)", "en": "Rural communes (NTM applies)"},
    "ui.recognised": {"vi": "Xã đạt chuẩn NTM (mọi mức)", "en": "Recognised NTM communes"},
    "ui.share_of_communes": {"vi": "{share} số xã", "en": "{share} of communes"},
    "ui.at_risk_count": {"vi": "Xã có nguy cơ bị thu hồi công nhận NTM", "en": "Communes at risk of losing NTM recognition"},
    "ui.at_risk_help": {"vi": "Theo QĐ 18/2022/QĐ-TTg: xã đã đạt chuẩn nhưng không còn đạt từ 50% tiêu chí, hoặc từ 30% kèm một tiêu chí then chốt.",
                        "en": "Decision 18/2022/QĐ-TTg: recognised communes failing at least 50% of criteria, or 30% including a key criterion."},
    "ui.at_risk_link": {"vi": "Xem danh sách xã có nguy cơ", "en": "See the at-risk communes"},
    "ui.see_map": {"vi": "Xem trên bản đồ", "en": "See on the map"},
    "ui.status_table_status": {"vi": "Mức đạt chuẩn", "en": "Status"},
    "ui.status_table_count": {"vi": "Số xã", "en": "Communes"},
    "ui.status_table_share": {"vi": "Tỷ lệ", "en": "Share"},
    "ui.communes_unit": {"vi": "xã", "en": "communes"},
    "ui.criteria_unit": {"vi": "tiêu chí", "en": "criteria"},
    "ui.map_metric": {"vi": "Chỉ tiêu trên bản đồ", "en": "Map indicator"},
    "ui.map_level": {"vi": "Cấp hiển thị", "en": "Map level"},
    "ui.level_opt.province": {"vi": "Tỉnh", "en": "Provinces"},
    "ui.level_opt.district": {"vi": "Huyện", "en": "Districts"},
    "ui.level_opt.commune": {"vi": "Xã", "en": "Communes"},
    "ui.level_unavailable": {"vi": "Bản đồ huyện/xã chỉ vẽ những tỉnh đã có ranh giới (sơ đồ hoặc tệp ranh giới nhập ở trang Tải lên số liệu).",
                             "en": "District/commune maps show only the provinces that have boundaries (schematic, or files imported on the Upload page)."},
    "metric.ntm_status": {"vi": "Mức đạt chuẩn nông thôn mới", "en": "NTM status"},
    "metric.ntm_share": {"vi": "Tỷ lệ xã đạt chuẩn NTM", "en": "Share of communes recognised NTM"},
    "metric.criteria_met": {"vi": "Số tiêu chí NTM đạt", "en": "NTM criteria met"},
    "metric.criteria_avg": {"vi": "Số tiêu chí NTM đạt bình quân/xã", "en": "Average NTM criteria met per commune"},
    "metric.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor household rate"},
    "metric.poor_near_rate": {"vi": "Tỷ lệ hộ nghèo và cận nghèo", "en": "Poor and near-poor household rate"},
    "metric.escaped_per100": {"vi": "Hộ thoát nghèo trên 100 hộ", "en": "Households escaping poverty per 100 households"},
    "metric.fell_back_per100": {"vi": "Hộ tái nghèo trên 100 hộ", "en": "Households falling back into poverty per 100 households"},
    "metric.newly_poor_per100": {"vi": "Hộ nghèo phát sinh trên 100 hộ", "en": "Newly poor households per 100 households"},
    "metric.poor_rate_change": {"vi": "Thay đổi tỷ lệ hộ nghèo so với năm trước", "en": "Change of the poor rate on the previous year"},
    "unit.percent": {"vi": "%", "en": "%"},
    "unit.pp": {"vi": "điểm %", "en": "pp"},
    "unit.per100": {"vi": "hộ/100 hộ", "en": "per 100 households"},
    "unit.criteria": {"vi": "tiêu chí", "en": "criteria"},
    "unit.category": {"vi": "phân loại", "en": "category"},
    "ui.map_title": {"vi": "{metric} ({unit}) theo {level}, năm {year}", "en": "{metric} ({unit}) by {level}, {year}"},
    "ui.map_title_cat": {"vi": "{metric} theo {level}, năm {year}", "en": "{metric} by {level}, {year}"},
    "ui.by_level.province": {"vi": "tỉnh", "en": "province"},
    "ui.by_level.district": {"vi": "huyện", "en": "district"},
    "ui.by_level.commune": {"vi": "xã", "en": "commune"},
    "ui.legend": {"vi": "Chú giải", "en": "Legend"},
    "ui.legend_colour": {"vi": "Màu", "en": "Colour"},
    "ui.legend_class": {"vi": "Khoảng giá trị", "en": "Class"},
    "ui.legend_count": {"vi": "Số đơn vị", "en": "Units"},
    "ui.legend_quantile": {"vi": "Chia theo ngũ phân vị (mỗi lớp ~1/5 số đơn vị)", "en": "Quintile classes (~1/5 of units each)"},
    "ui.legend_fixed": {"vi": "Ngưỡng cố định, so sánh được giữa các năm", "en": "Fixed breaks, comparable across years"},
    "ui.no_data": {"vi": "Không có số liệu", "en": "No data"},
    "ui.no_data_filtered": {"vi": "Không có số liệu / ngoài bộ lọc", "en": "No data / outside the filters"},
    "ui.not_rural": {"vi": "Phường, thị trấn (không xét NTM)", "en": "Wards, townships (NTM does not apply)"},
    "ui.mountainous_outline": {"vi": "Viền nâu đậm: huyện miền núi", "en": "Thick brown outline: mountainous district"},
    "ui.boundaries_from": {"vi": "Ranh giới: {sources}", "en": "Boundaries: {sources}"},
    "ui.boundary_schematic": {"vi": "sơ đồ (không phải ranh giới chính thức)", "en": "schematic (not official boundaries)"},
    "ui.click_hint": {"vi": "Bấm vào một tỉnh hoặc huyện để xem cấp dưới; bấm vào một xã để chọn xã và mở hồ sơ.",
                      "en": "Click a province or district to see the level below; click a commune to select it and open its profile."},
    "ui.up_to": {"vi": "↑ Trở lại {name}", "en": "↑ Back to {name}"},
    "ui.selected_unit": {"vi": "Đang chọn: {name}", "en": "Selected: {name}"},
    "ui.open_profile": {"vi": "Mở hồ sơ xã", "en": "Open the commune profile"},
    "ui.no_prev_year": {"vi": "Chưa có số liệu năm {year} để so sánh.", "en": "No figures for {year} to compare with."},
    "ui.rank_table": {"vi": "Bảng xếp hạng: {metric}", "en": "Ranking: {metric}"},
    "ui.col_code": {"vi": "Mã", "en": "Code"},
    "ui.col_name": {"vi": "Tên đơn vị", "en": "Unit"},
    "ui.col_value": {"vi": "Giá trị", "en": "Value"},
    "ui.col_households": {"vi": "Số hộ", "en": "Households"},
    "ui.col_mountainous": {"vi": "Miền núi", "en": "Mountainous"},
    "ui.yes": {"vi": "Có", "en": "Yes"},
    "ui.no": {"vi": "Không", "en": "No"},
    "ui.tt_households": {"vi": "Số hộ", "en": "Households"},
    "ui.tt_poor": {"vi": "Hộ nghèo", "en": "Poor households"},
    "ui.tt_recognised": {"vi": "Xã đạt chuẩn NTM", "en": "Communes recognised NTM"},
    "ui.tt_mountainous": {"vi": "Huyện miền núi", "en": "Mountainous district"},
    "ui.tt_district_ntm": {"vi": "Huyện đạt chuẩn NTM", "en": "District recognised NTM"},
    "ui.tt_schematic": {"vi": "Ranh giới sơ đồ", "en": "Schematic boundary"},
    "ui.archipelago_label": {"vi": "{name}\n({admin})", "en": "{name}\n(Viet Nam)"},
    "ui.legend_all": {"vi": "Mọi giá trị", "en": "All values"},
    "ui.nav_reports": {"vi": "Báo cáo", "en": "Reports"},
    "ui.nav_data": {"vi": "Quản lý số liệu", "en": "Data management"},
    "page.export": {"vi": "Xuất báo cáo", "en": "Export"},
    # ---- NTM, poverty and commune-profile pages ----
    "ui.ntm_lead": {"vi": "Năm {year}: {recognised}/{rural} xã đạt chuẩn NTM ({share}); {risk} xã có nguy cơ bị thu hồi công nhận.",
                    "en": "{year}: {recognised} of {rural} communes recognised NTM ({share}); {risk} at risk of losing recognition."},
    "ui.at_risk_section": {"vi": "Xã có nguy cơ bị thu hồi công nhận NTM, năm {year}", "en": "Communes at risk of losing NTM recognition, {year}"},
    "ui.criteria_section": {"vi": "Tiêu chí chưa đạt, theo sở, ngành phụ trách", "en": "Criteria not met, by responsible department"},
    "ui.criteria_worst": {"vi": "Hiển thị {n} xã đạt ít tiêu chí nhất trong {total} xã. Chọn một huyện để xem đủ các xã.",
                          "en": "Showing the {n} communes meeting the fewest criteria of {total}. Choose a district to see them all."},
    "ui.choose_province_for_districts": {
        "vi": "Có hơn {n} huyện: chọn một tỉnh để xem trạng thái nông thôn mới của từng huyện.",
        "en": "More than {n} districts: choose a province to see each district's NTM status."},
    "account.bad_name": {"vi": "Tên đăng nhập: 2–40 ký tự gồm chữ, số, dấu chấm, gạch ngang hoặc gạch dưới.",
                         "en": "User name: 2–40 letters, digits, dots, dashes or underscores."},
    "account.short_password": {"vi": "Mật khẩu cần ít nhất 8 ký tự.", "en": "The password needs at least 8 characters."},
    "ui.section.progress": {"vi": "Tiến độ và chỉ tiêu", "en": "Progress and targets"},
    "ui.section.districts": {"vi": "Huyện nông thôn mới", "en": "NTM districts"},
    "ui.section.movements": {"vi": "Chuyển đổi giữa các năm", "en": "Movements between years"},
    "ui.section.criteria": {"vi": "Tiêu chí theo sở, ngành", "en": "Criteria by department"},
    "ui.section.trends": {"vi": "Xu hướng và mục tiêu", "en": "Trends and targets"},
    "ui.section.flows": {"vi": "Thoát nghèo, tái nghèo, phát sinh", "en": "Escaped, fell back, newly poor"},
    "ui.section.groups": {"vi": "Miền núi và đồng bào DTTS", "en": "Mountainous areas and ethnic minorities"},
    "ui.section.ranking": {"vi": "Xếp hạng huyện", "en": "District ranking"},
    "ui.section.ladder": {"vi": "Nông thôn mới", "en": "New rural development"},
    "ui.section.poverty": {"vi": "Giảm nghèo", "en": "Poverty reduction"},
    "ui.by_department": {"vi": "Nhóm theo sở, ngành phụ trách", "en": "Group by responsible department"},
    "ui.movements_need_two_years": {"vi": "Cần số liệu của năm {year} để so sánh chuyển đổi.",
                                    "en": "Figures for {year} are needed to show the movements."},
    "ui.poverty_lead": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate} ({change}); {escaped} hộ thoát nghèo, {fell_back} hộ tái nghèo, {newly} hộ nghèo phát sinh.",
                        "en": "{year}: poor rate {rate} ({change}); {escaped} households escaped, {fell_back} fell back, {newly} newly poor."},
    "ui.reduction_target": {"vi": "Mức giảm tỷ lệ hộ nghèo năm {year}", "en": "Poor-rate reduction in {year}"},
    "ui.target_band": {"vi": "Mục tiêu: {band}", "en": "Target: {band}"},
    "ui.district_table": {"vi": "Danh sách huyện: tỷ lệ hộ nghèo {y0} → {y1}", "en": "Districts: poor rate {y0} → {y1}"},
    "ui.col_district": {"vi": "Huyện", "en": "District"},
    "ui.col_rate_year": {"vi": "Tỷ lệ nghèo {year} (%)", "en": "Poor rate {year} (%)"},
    "ui.col_reduction": {"vi": "Giảm (điểm %)", "en": "Reduction (pp)"},
    "ui.col_rank": {"vi": "Thứ hạng giảm nghèo", "en": "Reduction rank"},
    "ui.col_poor_district": {"vi": "Huyện nghèo", "en": "Poor district"},
    "ui.one_year_only": {"vi": "Chỉ có số liệu một năm: chưa tính được biến động.", "en": "Only one year of figures: no changes to show."},
    "ui.choose_commune": {"vi": "Chọn xã", "en": "Choose a commune"},
    "ui.choose_commune_hint": {"vi": "Chọn một xã trong danh sách, hoặc bấm vào một xã trên trang Bản đồ.",
                               "en": "Choose a commune from the list, or click one on the Map page."},
    "ui.commune_of": {"vi": "{district}, {province}", "en": "{district}, {province}"},
    "ui.status_in_year": {"vi": "Mức đạt chuẩn NTM {year}", "en": "NTM status {year}"},
    "ui.criteria_met_year": {"vi": "Số tiêu chí đạt {year}", "en": "Criteria met {year}"},
    "ui.not_rural_unit": {"vi": "Phường/thị trấn: không xét NTM", "en": "Ward/township: NTM does not apply"},
    "ui.flags": {"vi": "Đặc điểm", "en": "Characteristics"},
    "ui.flag_mountainous": {"vi": "thuộc huyện miền núi", "en": "in a mountainous district"},
    "ui.flag_poor_district": {"vi": "thuộc huyện nghèo", "en": "in a poor district"},
    "ui.flag_em": {"vi": "xã khu vực {region} (vùng DTTS)", "en": "ethnic-minority area, region {region}"},
    "ui.see_commune_on_map": {"vi": "Xem xã trên bản đồ", "en": "See the commune on the map"},
    "ui.commune_at_risk": {"vi": "Năm {year}, xã có nguy cơ bị thu hồi công nhận NTM: {failed} tiêu chí không còn đạt (QĐ 18/2022/QĐ-TTg).",
                           "en": "In {year} the commune is at risk of losing NTM recognition: {failed} criteria no longer met (Decision 18/2022/QĐ-TTg)."},
}

MESSAGES.update(VALIDATION_MESSAGES)


def t(key: str, lang: str = "vi", **kwargs) -> str:
    """The message `key` in `lang` (Vietnamese when the language is unknown), formatted with kwargs."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**kwargs) if kwargs else text


def is_missing(value) -> bool:
    """None, NaN or pandas' NA: a figure that is not known."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return False


def fmt_number(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1234.5 → '1.234,5' in Vietnamese, '1,234.5' in English; None/NaN/NA → '–'."""
    if is_missing(value):
        return "–"
    s = f"{value:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_percent(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A value already in per cent: 15.32 → '15,32%'; missing → '–'."""
    return "–" if is_missing(value) else fmt_number(value, lang, decimals) + "%"


def fmt_pp(value: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A signed change in percentage points: -4.46 → '-4,46 điểm %' / '-4.46 pp'; missing → '–'."""
    if is_missing(value):
        return "–"
    sign = "+" if value > 0 else ""
    return sign + fmt_number(value, lang, decimals) + (" điểm %" if lang == "vi" else " pp")


def fmt_date(value: date | datetime, lang: str = "vi") -> str:
    """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English."""
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%Y-%m-%d")


def status_label(status: str | None, lang: str = "vi") -> str:
    """Display name of an NTM status."""
    return t(f"status.{status or 'none'}", lang)


