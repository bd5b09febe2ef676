"""The dashboard's pages: navigation, sidebar filters, headers, tiles, map, tables and the export page."""

ENTRIES: dict[str, dict[str, str]] = {
    "ui.app_title": {"vi": "Nông thôn mới và Giảm nghèo bền vững",
                     "en": "New Rural Development and Sustainable Poverty Reduction"},
    "ui.app_caption.2021_2025": {"vi": "Theo dõi hai Chương trình mục tiêu quốc gia, 2021–2025",
                                 "en": "Monitoring two National Target Programmes, 2021–2025"},
    "ui.app_caption.2026_2035": {"vi": "Theo dõi Chương trình MTQG hợp nhất 2026–2035 (NTM, giảm nghèo bền vững, "
                                       "vùng đồng bào DTTS và miền núi)",
                                 "en": "Monitoring the merged National Target Programme 2026–2035 (new rural "
                                       "development, poverty reduction, ethnic-minority and mountainous areas)"},
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
    "ui.mountainous_only.old": {"vi": "Chỉ huyện miền núi", "en": "Mountainous districts only"},
    "ui.mountainous_only.new": {"vi": "Chỉ xã miền núi", "en": "Mountainous communes only"},
    "ui.em_region": {"vi": "Vùng đồng bào DTTS (khu vực)", "en": "Ethnic-minority area (region)"},
    "ui.em_all": {"vi": "Tất cả các xã", "en": "All communes"},
    "ui.em_option": {"vi": "Xã khu vực {region}", "en": "Region {region} communes"},
    "ui.em_help": {"vi": "Khu vực I/II/III theo QĐ 33/2020/QĐ-TTg (danh sách QĐ 861/QĐ-TTg).",
                   "en": "Regions I/II/III under Decision 33/2020/QĐ-TTg (list in Decision 861/QĐ-TTg)."},
    "ui.derived_filter_help": {"vi": "Với xã mới (từ 1/7/2025), thuộc tính này suy ra từ các xã cũ hợp thành cho đến khi "
                                     "danh sách mới được tải lên (trang Tải lên → Thuộc tính & mục tiêu).",
                               "en": "For the new communes (from 1 July 2025) this attribute is derived from the old "
                                     "communes that formed them until a new list is uploaded (upload page → "
                                     "Attributes & targets)."},
    "ui.derived_groups_note": {"vi": "Xã mới (từ 1/7/2025) là miền núi hay thuộc vùng DTTS khu vực I/II/III theo các "
                                     "xã cũ hợp thành, cho đến khi danh sách mới được tải lên.",
                               "en": "Whether a new commune (from 1 July 2025) is mountainous or in ethnic-minority "
                                     "region I/II/III follows the old communes that formed it, until a new list is "
                                     "uploaded."},
    "ui.not_again_help": {"vi": "Đạt chuẩn theo bộ tiêu chí 2021–2025 (năm {year}); theo QĐ 51/2025 việc công nhận "
                                "được tính lại từ đầu (quy tắc chưa xác nhận), xã chưa được công nhận lại.",
                          "en": "Recognised under the 2021–2025 criteria ({year}); under QĐ 51/2025 recognition "
                                "starts anew (unconfirmed rule) and the commune is not yet recognised again."},
    "ui.rate_across_standards": {"vi": "không so sánh với năm trước: năm {year} theo chuẩn nghèo khác",
                                 "en": "not compared with the year before: {year} follows another poverty standard"},
    "ui.reset": {"vi": "Đặt lại bộ lọc", "en": "Reset filters"},
    "ui.share_hint": {"vi": "Đường dẫn trên thanh địa chỉ giữ nguyên bộ lọc: sao chép để chia sẻ đúng màn hình này.",
                      "en": "The address-bar link keeps the filters: copy it to share this exact view."},
    "ui.filter_mountainous.old": {"vi": "huyện miền núi", "en": "mountainous districts"},
    "ui.filter_mountainous.new": {"vi": "xã miền núi", "en": "mountainous communes"},
    "ui.filter_em": {"vi": "xã khu vực {region}", "en": "region {region} communes"},
    "ui.filters_active": {"vi": "Đang lọc: {filters}", "en": "Filtered to: {filters}"},
    "ui.scope_year": {"vi": "{scope} · năm {year}", "en": "{scope} · {year}"},
    "ui.no_years": {"vi": "Cơ sở dữ liệu chưa có số liệu năm nào. Hãy nhập số liệu trước.",
                    "en": "The database has no yearly figures yet. Import figures first."},
    "ui.section_poverty": {"vi": "Giảm nghèo bền vững", "en": "Sustainable poverty reduction"},
    "ui.section_ntm": {"vi": "Nông thôn mới", "en": "New rural development"},
    "ui.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor household rate"},
    "ui.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo", "en": "Near-poor household rate"},
    "ui.em_poor_rate": {"vi": "Tỷ lệ hộ nghèo DTTS", "en": "Ethnic-minority poor rate"},
    "ui.n_of_households": {"vi": "{count} / {total} hộ", "en": "{count} of {total} households"},
    "ui.vs_prev_year": {"vi": "so với năm {year}", "en": "vs {year}"},
    "ui.flows_year": {"vi": "Biến động trong năm {year} (hộ)", "en": "Changes during {year} (households)"},
    "ui.recognised": {"vi": "Xã đạt chuẩn NTM (mọi mức)", "en": "Recognised NTM communes"},
    "ui.share_of_communes": {"vi": "{share} số xã", "en": "{share} of communes"},
    "ui.at_risk_count": {"vi": "Xã có nguy cơ bị thu hồi công nhận NTM",
                         "en": "Communes at risk of losing NTM recognition"},
    "ui.at_risk_help": {"vi": "Theo QĐ 18/2022/QĐ-TTg: xã đã đạt chuẩn nhưng không còn đạt từ 50% tiêu chí, hoặc từ "
                              "30% kèm một tiêu chí then chốt.",
                        "en": "Decision 18/2022/QĐ-TTg: recognised communes failing at least 50% of criteria, or "
                              "30% including a key criterion."},
    "ui.at_risk_link": {"vi": "Xem danh sách xã có nguy cơ", "en": "See the at-risk communes"},
    "ui.see_map": {"vi": "Xem trên bản đồ", "en": "See on the map"},
    "ui.status_table_status": {"vi": "Mức đạt chuẩn", "en": "Status"},
    "ui.status_table_count": {"vi": "Số xã", "en": "Communes"},
    "ui.status_table_share": {"vi": "Tỷ lệ", "en": "Share"},
    "ui.communes_unit": {"vi": "xã", "en": "communes"},
    "ui.map_metric": {"vi": "Chỉ tiêu trên bản đồ", "en": "Map indicator"},
    "ui.map_level": {"vi": "Cấp hiển thị", "en": "Map level"},
    "ui.level_opt.province": {"vi": "Tỉnh", "en": "Provinces"},
    "ui.level_opt.district": {"vi": "Huyện", "en": "Districts"},
    "ui.level_opt.commune": {"vi": "Xã", "en": "Communes"},
    "ui.level_unavailable": {"vi": "Bản đồ huyện/xã chỉ vẽ những tỉnh đã có ranh giới (sơ đồ hoặc tệp ranh giới "
                                   "nhập ở trang Tải lên số liệu).",
                             "en": "District/commune maps show only the provinces that have boundaries (schematic, "
                                   "or files imported on the Upload page)."},
    "ui.map_title": {"vi": "{metric} ({unit}) theo {level}, năm {year}",
                     "en": "{metric} ({unit}) by {level}, {year}"},
    "ui.map_title_cat": {"vi": "{metric} theo {level}, năm {year}", "en": "{metric} by {level}, {year}"},
    "ui.by_level.province": {"vi": "tỉnh", "en": "province"},
    "ui.by_level.district": {"vi": "huyện", "en": "district"},
    "ui.by_level.commune": {"vi": "xã", "en": "commune"},
    "ui.legend": {"vi": "Chú giải", "en": "Legend"},
    "ui.legend_colour": {"vi": "Màu", "en": "Colour"},
    "ui.legend_class": {"vi": "Khoảng giá trị", "en": "Class"},
    "ui.legend_count": {"vi": "Số đơn vị", "en": "Units"},
    "ui.legend_quantile": {"vi": "Chia theo ngũ phân vị (mỗi lớp ~1/5 số đơn vị)",
                           "en": "Quintile classes (~1/5 of units each)"},
    "ui.legend_fixed": {"vi": "Ngưỡng cố định, so sánh được giữa các năm",
                        "en": "Fixed breaks, comparable across years"},
    "ui.no_data": {"vi": "Không có số liệu", "en": "No data"},
    "ui.no_data_filtered": {"vi": "Không có số liệu / ngoài bộ lọc", "en": "No data / outside the filters"},
    "ui.not_rural": {"vi": "Phường, thị trấn (không xét NTM)", "en": "Wards, townships (NTM does not apply)"},
    "ui.mountainous_outline": {"vi": "Viền nâu đậm: huyện miền núi",
                               "en": "Thick brown outline: mountainous district"},
    "ui.boundaries_from": {"vi": "Ranh giới: {sources}", "en": "Boundaries: {sources}"},
    "ui.boundary_schematic": {"vi": "sơ đồ (không phải ranh giới chính thức)",
                              "en": "schematic (not official boundaries)"},
    "ui.click_hint": {"vi": "Bấm vào một tỉnh hoặc huyện để xem cấp dưới; bấm vào một xã để chọn xã và mở hồ sơ.",
                      "en": "Click a province or district to see the level below; click a commune to select it and "
                            "open its profile."},
    "ui.up_to": {"vi": "↑ Trở lại {name}", "en": "↑ Back to {name}"},
    "ui.selected_unit": {"vi": "Đang chọn: {name}", "en": "Selected: {name}"},
    "ui.open_profile": {"vi": "Mở hồ sơ xã", "en": "Open the commune profile"},
    "ui.no_prev_year": {"vi": "Chưa có số liệu năm {year} để so sánh.",
                        "en": "No figures for {year} to compare with."},
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
    "ui.tt_mountainous_commune": {"vi": "Xã miền núi", "en": "Mountainous commune"},
    "ui.tt_mountainous_derived": {"vi": "Xã miền núi (suy ra từ các xã cũ)",
                                  "en": "Mountainous commune (derived from the old communes)"},
    "ui.yes_derived": {"vi": "Có (suy ra)", "en": "Yes (derived)"},
    "ui.mountainous_derived_note": {"vi": "Miền núi “Có (suy ra)”: xã mới chưa có danh sách riêng, suy ra từ các xã cũ "
                                          "hợp thành (miền núi khi ít nhất một nửa số xã cũ là miền núi) — như bộ lọc "
                                          "“Chỉ xã miền núi”.",
                                    "en": "Mountainous “Yes (derived)”: a new commune with no list of its own yet, "
                                          "derived from the old communes that formed it (mountainous when at least "
                                          "half of them were) — as the “Mountainous communes only” filter reads it."},
    "ui.map_baseline_class": {"vi": "Đầu kỳ chuẩn nghèo mới: không tính", "en": "New standard's baseline: not counted"},
    "ui.map_baseline_value": {"vi": "không tính (năm đầu kỳ của chuẩn nghèo mới)",
                              "en": "not counted (baseline year of the new poverty standard)"},
    "ui.names_omitted": {"vi": "Không ghi tên {n} đơn vị: quá nhỏ ở mức phóng này, hoặc tên sẽ đè lên tên của đơn vị "
                               "lớn hơn — rê chuột lên bản đồ để xem tên.",
                         "en": "Units not named at this zoom: {n} (too small, or the name would cover a larger "
                               "unit's) — hover over the map to see a name."},
    "ui.archipelago_label": {"vi": "{name}\n({admin})", "en": "{name}\n(Viet Nam)"},
    "ui.legend_all": {"vi": "Mọi giá trị", "en": "All values"},
    "ui.nav_reports": {"vi": "Báo cáo", "en": "Reports"},
    "ui.nav_data": {"vi": "Quản lý số liệu", "en": "Data management"},
    "page.export": {"vi": "Xuất báo cáo", "en": "Export"},
    "ui.ntm_lead": {"vi": "Năm {year}: {recognised}/{rural} xã đạt chuẩn NTM ({share}); {risk} xã có nguy cơ bị thu "
                          "hồi công nhận.",
                    "en": "{year}: {recognised} of {rural} communes recognised NTM ({share}); {risk} at risk of "
                          "losing recognition."},
    "ui.at_risk_section": {"vi": "Xã có nguy cơ bị thu hồi công nhận NTM, năm {year}",
                           "en": "Communes at risk of losing NTM recognition, {year}"},
    "ui.criteria_worst": {"vi": "Hiển thị {n} xã đạt ít tiêu chí nhất trong {total} xã. Chọn một huyện để xem đủ "
                                "các xã.",
                          "en": "Showing the {n} communes meeting the fewest criteria of {total}. Choose a district "
                                "to see them all."},
    "ui.choose_province_for_districts": {"vi": "Có hơn {n} huyện: chọn một tỉnh để xem trạng thái nông thôn mới của "
                                               "từng huyện.",
                                         "en": "More than {n} districts: choose a province to see each district's "
                                               "NTM status."},
    "ui.section.progress": {"vi": "Tiến độ và chỉ tiêu", "en": "Progress and targets"},
    "ui.section.districts": {"vi": "Huyện nông thôn mới (đến 2024)", "en": "NTM districts (to 2024)"},
    "ui.section.movements": {"vi": "Chuyển đổi giữa các năm", "en": "Movements between years"},
    "ui.section.criteria": {"vi": "Tiêu chí theo sở, ngành", "en": "Criteria by department"},
    "ui.section.trends": {"vi": "Xu hướng và mục tiêu", "en": "Trends and targets"},
    "ui.section.flows": {"vi": "Thoát nghèo, tái nghèo, phát sinh", "en": "Escaped, fell back, newly poor"},
    "ui.section.groups": {"vi": "Miền núi và đồng bào DTTS", "en": "Mountainous areas and ethnic minorities"},
    "ui.section.ranking": {"vi": "Xếp hạng giảm nghèo", "en": "Poverty-reduction ranking"},
    "ui.section.ladder": {"vi": "Nông thôn mới", "en": "New rural development"},
    "ui.section.poverty": {"vi": "Giảm nghèo", "en": "Poverty reduction"},
    "ui.by_department": {"vi": "Nhóm theo sở, ngành phụ trách", "en": "Group by responsible department"},
    "ui.movements_need_two_years": {"vi": "Cần số liệu của năm {year} để so sánh chuyển đổi.",
                                    "en": "Figures for {year} are needed to show the movements."},
    "ui.poverty_lead": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate} ({change}); {escaped} hộ thoát nghèo, {fell_back} "
                              "hộ tái nghèo, {newly} hộ nghèo phát sinh.",
                        "en": "{year}: poor rate {rate} ({change}); {escaped} households escaped, {fell_back} fell "
                              "back, {newly} newly poor."},
    "ui.ranking_table.district": {"vi": "Danh sách huyện: tỷ lệ hộ nghèo {y0} → {y1}",
                                  "en": "Districts: poor rate {y0} → {y1}"},
    "ui.ranking_table.commune": {"vi": "Danh sách xã: tỷ lệ hộ nghèo {y0} → {y1}",
                                 "en": "Communes: poor rate {y0} → {y1}"},
    "ui.ranking_table.province": {"vi": "Danh sách tỉnh: tỷ lệ hộ nghèo {y0} → {y1}",
                                  "en": "Provinces: poor rate {y0} → {y1}"},
    "ui.col_rate_year": {"vi": "Tỷ lệ nghèo {year} (%)", "en": "Poor rate {year} (%)"},
    "ui.col_reduction": {"vi": "Giảm (điểm %)", "en": "Reduction (pp)"},
    "ui.col_rank": {"vi": "Thứ hạng giảm nghèo", "en": "Reduction rank"},
    "ui.col_poor_district": {"vi": "Huyện nghèo", "en": "Poor district"},
    "ui.one_year_only": {"vi": "Chỉ có số liệu một năm: chưa tính được biến động.",
                         "en": "Only one year of figures: no changes to show."},
    "ui.choose_commune": {"vi": "Chọn xã", "en": "Choose a commune"},
    "ui.choose_commune_hint": {"vi": "Chọn một xã trong danh sách, hoặc bấm vào một xã trên trang Bản đồ.",
                               "en": "Choose a commune from the list, or click one on the Map page."},
    "ui.commune_of": {"vi": "{district}, {province}", "en": "{district}, {province}"},
    "ui.status_in_year": {"vi": "Mức đạt chuẩn NTM {year}", "en": "NTM status {year}"},
    "ui.criteria_met_year": {"vi": "Số tiêu chí đạt {year}", "en": "Criteria met {year}"},
    "ui.not_rural_unit": {"vi": "Phường/thị trấn: không xét NTM", "en": "Ward/township: NTM does not apply"},
    "ui.flag_mountainous": {"vi": "thuộc huyện miền núi", "en": "in a mountainous district"},
    "ui.flag_poor_district": {"vi": "thuộc huyện nghèo", "en": "in a poor district"},
    "ui.flag_em": {"vi": "xã khu vực {region} (vùng DTTS)", "en": "ethnic-minority area, region {region}"},
    "ui.see_commune_on_map": {"vi": "Xem xã trên bản đồ", "en": "See the commune on the map"},
    "ui.commune_at_risk": {"vi": "Năm {year}, xã có nguy cơ bị thu hồi công nhận NTM: {failed} tiêu chí không còn "
                                 "đạt ({rule}).",
                           "en": "In {year} the commune is at risk of losing NTM recognition: {failed} criteria no "
                                 "longer met ({rule})."},
    "ui.pack_heading": {"vi": "Báo cáo giao ban (PowerPoint 16:9)", "en": "Meeting pack (16:9 PowerPoint)"},
    "ui.pack_help": {"vi": "Mỗi mục là một trang: nhận định một câu tính từ số liệu, biểu đồ hoặc bảng, nguồn và "
                           "ghi chú dữ liệu minh họa. Địa bàn, năm và bộ lọc lấy theo thanh bên trái.",
                     "en": "One slide per section: a one-line finding computed from the figures, a chart or table, "
                           "the source and the demo-data notice. Area, year and filters follow the sidebar."},
    "ui.sections": {"vi": "Các mục (theo thứ tự trang)", "en": "Sections (in slide order)"},
    "ui.pack_lang": {"vi": "Ngôn ngữ của báo cáo", "en": "Language of the pack"},
    "ui.build": {"vi": "Tạo báo cáo PowerPoint", "en": "Build the PowerPoint"},
    "ui.building": {"vi": "Đang tạo báo cáo…", "en": "Building the pack…"},
    "ui.built": {"vi": "Đã tạo {n} trang trong {s} giây.", "en": "{n} slides built in {s} s."},
    "ui.download_pptx": {"vi": "Tải báo cáo (.pptx)", "en": "Download the pack (.pptx)"},
    "ui.no_sections": {"vi": "Chọn ít nhất một mục.", "en": "Choose at least one section."},
    "ui.images_heading": {"vi": "Ảnh biểu đồ và bản đồ (PNG 1920×1080, SVG)",
                          "en": "Chart and map images (PNG 1920×1080, SVG)"},
    "ui.images_help": {"vi": "Mỗi ảnh có tiêu đề, đơn vị, nguồn, ngày xuất và ghi chú dữ liệu minh họa.",
                       "en": "Each image carries its title, unit, source, export date and the demo-data notice."},
    "ui.prepare_images": {"vi": "Chuẩn bị ảnh", "en": "Prepare the images"},
    "ui.preparing_images": {"vi": "Đang xuất ảnh: {name}", "en": "Rendering: {name}"},
    "ui.download_zip": {"vi": "Tải tất cả ảnh (.zip)", "en": "Download all images (.zip)"},
    "ui.tables_heading": {"vi": "Bảng số liệu (Excel, CSV)", "en": "Tables (Excel, CSV)"},
    "ui.tables_help": {"vi": "Tệp Excel có tiêu đề, nguồn và ghi chú ở đầu trang; tệp CSV mã hóa UTF-8 (có BOM).",
                       "en": "The Excel files carry the title, source and notes on top; the CSV files are UTF-8 "
                             "(with BOM)."},
    "ui.browser_title": {"vi": "NTM · Giảm nghèo", "en": "NTM · Poverty reduction"},
    "ui.geography": {"vi": "Địa giới", "en": "Units"},
    "ui.geo_short.new": {"vi": "Mới (34 tỉnh)", "en": "34 provinces"},
    "ui.geo_short.old": {"vi": "Cũ (63 tỉnh)", "en": "63 provinces"},
    "ui.geography_help": {"vi": "Mới: 34 tỉnh, 3.321 xã từ 1/7/2025; các năm trước được quy đổi (cộng các xã cũ hợp "
                                "thành mỗi xã mới) để so sánh cùng địa bàn. Cũ: 63 tỉnh, có cấp huyện, như trước "
                                "1/7/2025 (2021–2025).",
                          "en": "New: 34 provinces and 3,321 communes from 1 July 2025; earlier years are "
                                "re-aggregated (the old communes that formed each new one, summed) so the same "
                                "places are compared. Old: 63 provinces with districts, as before 1 July 2025 "
                                "(2021–2025)."},
    "ui.former_district": {"vi": "Huyện cũ (lịch sử)", "en": "Former district (history)"},
    "ui.former_district_help": {"vi": "Từ 1/7/2025 không còn cấp huyện. Huyện cũ là nhóm các xã mới mà phần lớn các "
                                      "xã hợp thành thuộc huyện đó, để xem lại lịch sử.",
                                "en": "Districts were abolished on 1 July 2025. A former district groups the new "
                                      "communes most of whose predecessors lay in it, for history."},
    "unit.former_district": {"vi": "{name} (huyện cũ)", "en": "{name} (former district)"},
    "ui.converted_notice": {"vi": "Số liệu năm {year} được quy đổi theo địa giới mới: mỗi xã mới là tổng các xã cũ "
                                  "hợp thành; mức đạt chuẩn NTM và từng tiêu chí chỉ tính là đạt khi mọi xã hợp thành "
                                  "đều đạt (CV 5424/BNN-VPĐP), nên số tiêu chí bình quân thấp hơn so với đơn vị cũ. "
                                  "Thuộc tính miền núi, vùng DTTS suy ra từ các xã hợp thành. Chọn “Cũ” để xem đúng "
                                  "như đã báo cáo.",
                            "en": "The {year} figures are re-aggregated onto the new units: each new commune is the "
                                  "sum of the old communes that formed it; an NTM level and each criterion count as "
                                  "met only when every one of them met it (CV 5424/BNN-VPĐP), so the average number "
                                  "of criteria is lower than on the old units. Mountainous and ethnic-minority "
                                  "attributes are derived from the communes that formed it. Choose “Old” to see "
                                  "them as reported."},
    "ui.open_new_unit": {"vi": "Xem {name} (địa giới mới)", "en": "Open {name} (new units)"},
    "programme.2021_2025": {"vi": "CTMTQG xây dựng nông thôn mới và CTMTQG giảm nghèo bền vững giai đoạn 2021–2025",
                            "en": "National Target Programmes on New Rural Development and Sustainable Poverty "
                                  "Reduction, 2021–2025"},
    "programme.2026_2035": {"vi": "CTMTQG xây dựng nông thôn mới, giảm nghèo bền vững và phát triển KT-XH vùng đồng "
                                  "bào DTTS và miền núi giai đoạn 2026–2035",
                            "en": "National Target Programme on New Rural Development, Sustainable Poverty "
                                  "Reduction and Ethnic-Minority and Mountainous Development, 2026–2035"},
    "ui.former_districts_map": {"vi": "Huyện cũ (trước 1/7/2025), để xem lịch sử: số liệu là tổng các xã mới mà "
                                      "phần lớn các xã hợp thành thuộc huyện đó.",
                                "en": "Former districts (before 1 July 2025), as history: each shows the new "
                                      "communes most of whose predecessors lay in it."},
    "ui.at_risk_rule_default": {"vi": "Chưa xác nhận được quy định thu hồi cho giai đoạn 2026–2030: danh sách dùng "
                                      "tỷ lệ của QĐ 18/2022/QĐ-TTg áp dụng cho 10 tiêu chí (≥ 5 tiêu chí không đạt, "
                                      "hoặc ≥ 3 "
                                      "có tiêu chí then chốt); quản trị viên có thể đổi quy tắc này.",
                                "en": "No revocation rule for 2026–2030 is confirmed: the list applies QĐ "
                                      "18/2022/QĐ-TTg’s shares to the 10 criteria (≥ 5 not met, or ≥ 3 including a "
                                      "key criterion); the administrator can change this rule."},
    "ui.recognition_anew": {"vi": "Công nhận theo {name} được tính lại từ đầu{label}: {recognised} xã đã được công "
                                  "nhận theo bộ tiêu chí này; {earlier} xã đạt chuẩn theo bộ tiêu chí {previous} chưa "
                                  "được công nhận lại — đó là lịch sử, không tính vào mục tiêu {years} và không thuộc "
                                  "diện nguy cơ bị thu hồi. Quy tắc do quản trị viên cấu hình.",
                            "en": "Recognition under the {name} starts anew{label}: {recognised} communes are "
                                  "recognised against these criteria; {earlier} communes recognised under the "
                                  "{previous} criteria are not yet recognised again — that is history, not counted "
                                  "toward the {years} targets and never at risk of revocation. The rule is set by the "
                                  "administrator."},
    "ui.unconfirmed_rule": {"vi": " (quy tắc chưa xác nhận)", "en": " (unconfirmed rule)"},
    "ui.reassess_count": {"vi": "Cần đánh giá lại (sáp nhập)", "en": "To be re-assessed (merged)"},
    "ui.reassess_help": {"vi": "Xã mới hình thành từ các xã có mức đạt chuẩn khác nhau: theo CV 5424/BNN-VPĐP phải "
                               "đánh giá lại, chưa tính là đạt chuẩn.",
                         "en": "New communes formed from communes at different levels: under CV 5424/BNN-VPĐP they "
                               "are re-assessed and not counted as recognised."},
    "ui.movements_across_sets": {"vi": "Năm {year} xét theo {set_from}, năm nay theo {set_to}: chỉ so sánh đạt "
                                       "chuẩn hay chưa; xã chưa được công nhận lại theo bộ tiêu chí mới không tính "
                                       "là bị thu hồi.",
                                 "en": "{year} was assessed against {set_from}, this year against {set_to}: only "
                                       "recognition is compared; a commune not yet recognised under the new set is "
                                       "not counted as revoked."},
    "ui.flags_derived": {"vi": "thuộc tính suy ra từ các xã cũ hợp thành",
                         "en": "attributes derived from the old communes that formed it"},
    "ui.commune_of_new": {"vi": "{province} · huyện cũ: {district}",
                          "en": "{province} · former district: {district}"},
    "ui.commune_history_converted": {"vi": "Các năm trước {year}: số liệu là tổng các xã cũ hợp thành xã này (quy "
                                           "đổi theo địa giới mới); mức đạt chuẩn chỉ giữ khi mọi xã hợp thành đều "
                                           "đạt (CV 5424/BNN-VPĐP).",
                                     "en": "Years before {year}: the figures are the sums of the old communes that "
                                           "formed this one (re-aggregated onto the new units); a level is kept "
                                           "only when every one of them held it (CV 5424/BNN-VPĐP)."},
    "ui.level_opt.former_district": {"vi": "Huyện cũ (lịch sử)", "en": "Former districts"},
    "ui.year_moved": {"vi": "{geo} không có số liệu năm {asked}: đang xem năm {year}, năm gần nhất có số liệu.",
                      "en": "{geo} have no figures for {asked}: showing {year}, the latest year they have."},
    "ui.districts_history": {"vi": "Cấp huyện không còn từ 1/7/2025: đây là lịch sử đạt chuẩn nông thôn mới cấp huyện "
                                   "đến năm 2024, theo huyện cũ. Nay xét theo xã và tỉnh.",
                             "en": "Districts were abolished on 1 July 2025: this is the history of district NTM "
                                   "status up to 2024, by former district. Communes and provinces are the units now."},
    "ui.criteria_worst_first": {"vi": "{n} xã đạt ít tiêu chí nhất trong {total} xã, xã đạt ít nhất ở trên.",
                                "en": "The {n} communes meeting the fewest criteria of {total}, the fewest first."},
    "ui.criteria_show_all": {"vi": "Xem đủ {total} xã", "en": "Show all {total} communes"},
    "ui.criteria_narrow": {"vi": "Chọn một tỉnh để xem đủ các xã.", "en": "Choose a province to see all its communes."},
    "ui.mountainous_outline_new": {"vi": "Viền nâu đậm: huyện cũ miền núi (trước 1/7/2025, để xem lịch sử)",
                                   "en": "Thick brown outline: former mountainous districts (before 1 July 2025, as "
                                         "history)"},
    "ui.boundary_pre2025": {"vi": "Tỉnh cũ ghép từ các xã mới của bản đồ sáp nhập 2025 (sapnhap.bando.com.vn), qua "
                                  "thanglequoc/vietnamese-provinces-database (MIT), theo tỉnh cũ của các xã hợp thành",
                            "en": "Old provinces assembled from the communes of the 2025 merger map "
                                  "(sapnhap.bando.com.vn), via thanglequoc/vietnamese-provinces-database (MIT), by the "
                                  "old province of the communes that formed them"},
    "ui.boundary_post2025": {"vi": "Bản đồ sáp nhập đơn vị hành chính 2025 (sapnhap.bando.com.vn), qua "
                                   "thanglequoc/vietnamese-provinces-database (MIT); đã đơn giản hóa, sai lệch vài "
                                   "trăm mét",
                             "en": "2025 administrative merger map (sapnhap.bando.com.vn), via "
                                   "thanglequoc/vietnamese-provinces-database (MIT); simplified, off by up to a few "
                                   "hundred metres"},
    "ui.by_level.former_district": {"vi": "huyện cũ", "en": "former district"},
    "ui.districts_unit": {"vi": "huyện", "en": "districts"},
    "ui.provinces_unit": {"vi": "tỉnh", "en": "provinces"},
    "ui.criteria_unit": {"vi": "tiêu chí", "en": "criteria"},
    "plotly.download_png": {"vi": "Tải ảnh PNG của biểu đồ", "en": "Download plot as a PNG"},
    "plotly.download": {"vi": "Tải biểu đồ", "en": "Download plot"},
    "plotly.zoom": {"vi": "Phóng to vùng chọn", "en": "Zoom"},
    "plotly.pan": {"vi": "Kéo biểu đồ", "en": "Pan"},
    "plotly.box_select": {"vi": "Chọn theo khung", "en": "Box Select"},
    "plotly.lasso_select": {"vi": "Chọn tự do", "en": "Lasso Select"},
    "plotly.zoom_in": {"vi": "Phóng to", "en": "Zoom in"},
    "plotly.zoom_out": {"vi": "Thu nhỏ", "en": "Zoom out"},
    "plotly.autoscale": {"vi": "Tự căn tỷ lệ", "en": "Autoscale"},
    "plotly.reset_axes": {"vi": "Đặt lại trục", "en": "Reset axes"},
    "plotly.reset_view": {"vi": "Đặt lại khung nhìn", "en": "Reset view"},
    "plotly.spikes": {"vi": "Bật/tắt đường gióng", "en": "Toggle Spike Lines"},
    "plotly.hover_closest": {"vi": "Hiện số liệu điểm gần nhất", "en": "Show closest data on hover"},
    "plotly.hover_compare": {"vi": "So sánh số liệu khi rê chuột", "en": "Compare data on hover"},
    "plotly.double_click": {"vi": "Nhấp đúp để trở về khung ban đầu", "en": "Double-click to zoom back out"},
    "plotly.snapshot_wait": {"vi": "Đang tạo ảnh, xin chờ vài giây",
                             "en": "Taking snapshot - this may take a few seconds"},
    "plotly.snapshot_ok": {"vi": "Đã tạo ảnh", "en": "Snapshot succeeded"},
    "plotly.snapshot_failed": {"vi": "Không tải được ảnh, hãy thử lại",
                               "en": "Sorry, there was a problem downloading your snapshot!"},
    "ui.upload_button": {"vi": "Chọn tệp", "en": "Choose a file"},
    "ui.upload_limit": {"vi": "Tối đa {mb} MB mỗi tệp", "en": "Up to {mb} MB per file"},
    "ui.fullscreen": {"vi": "Xem toàn màn hình", "en": "Fullscreen"},
    "ui.fullscreen_close": {"vi": "Thoát toàn màn hình", "en": "Close fullscreen"},
    "ui.table_more": {"vi": "… và {n} dòng khác (có trong tệp Excel/CSV tải xuống).",
                      "en": "… and {n} more rows (in the Excel/CSV download)."},
    "db.unreachable_page": {"vi": "Chưa kết nối được kho dữ liệu (máy chủ cơ sở dữ liệu không trả lời hoặc đang khởi "
                                  "động lại). Trang sẽ tự hiển thị khi kết nối lại được; bạn cũng có thể bấm “Thử lại”.",
                            "en": "The data store cannot be reached yet (its database server does not answer or is "
                                  "restarting). The page will show by itself once it can; you may also press “Try "
                                  "again”."},
    "db.unreachable_kept": {"vi": "Tạm thời không kết nối được kho dữ liệu: trang đang hiển thị số liệu đã tải trước đó "
                                  "và sẽ tự cập nhật khi kết nối lại. Chưa thể tải lên hay hoàn tác lúc này.",
                            "en": "The data store cannot be reached for now: the page shows the figures it loaded "
                                  "before and will update by itself once it can. Uploads and rollbacks must wait."},
    "db.unreachable_write": {"vi": "Không ghi được: chưa kết nối được kho dữ liệu (máy chủ cơ sở dữ liệu không trả lời). "
                                   "Không có gì được ghi; hãy thử lại sau ít phút.",
                             "en": "Not written: the data store cannot be reached (its database server does not "
                                   "answer). Nothing was written; try again in a few minutes."},
    "db.retry": {"vi": "Thử lại", "en": "Try again"},
    "ui.press_enter": {"vi": "Nhấn Enter để xác nhận", "en": "Press Enter to confirm"},
    "ui.boundary_uploaded": {"vi": "tệp {file} do {user} tải lên", "en": "file {file}, uploaded by {user}"},
    "ui.upload_refused": {"vi": "Không nhận tệp này: loại tệp không phù hợp với ô này, hoặc tệp lớn hơn {mb} MB.",
                          "en": "This file is not taken: its type does not fit this box, or it is larger than {mb} "
                                "MB."},
    "ui.poverty_lead_no_flows": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}{change}. {note}",
                                 "en": "{year}: poor rate {rate}{change}. {note}"},
}
