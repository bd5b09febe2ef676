"""Reading and validating uploaded files (each message says what is wrong and what to do; the location —
file, row, column, value — is added by `ntm.ingest.validation.Issue.message`) and the upload page."""

ENTRIES: dict[str, dict[str, str]] = {
    "loc.file": {"vi": "Tệp {file}", "en": "File {file}"},
    "loc.row": {"vi": "dòng {row}", "en": "row {row}"},
    "loc.column": {"vi": "cột “{column}”", "en": "column “{column}”"},
    "loc.value": {"vi": "giá trị “{value}”", "en": "value “{value}”"},
    "severity.error": {"vi": "Lỗi", "en": "Error"},
    "severity.warning": {"vi": "Cảnh báo", "en": "Warning"},
    "severity.info": {"vi": "Thông tin", "en": "Info"},
    "read.encoding": {"vi": "Không đọc được bảng mã của tệp (byte thứ {position}). Hãy mở tệp bằng Excel và lưu lại "
                            "dạng “CSV UTF-8 (Comma delimited)” hoặc XLSX rồi tải lên lại.",
                      "en": "The file's text encoding cannot be read (byte {position}). Open it in Excel, save it "
                            "as “CSV UTF-8 (Comma delimited)” or XLSX, and upload it again."},
    "read.empty": {"vi": "Tệp rỗng, không có dữ liệu. Hãy chọn đúng tệp số liệu năm.",
                   "en": "The file is empty. Choose the yearly figures file."},
    "read.no_header": {"vi": "Không tìm thấy dòng tiêu đề trong {rows} dòng đầu (cần ít nhất các cột “Mã xã”, “Tổng "
                             "số hộ”). Hãy dùng tệp mẫu (nút “Tải tệp mẫu” trên trang Tải lên, hoặc lệnh `python -m ntm template`).",
                       "en": "No header row found in the first {rows} rows (expected at least “commune_code”, "
                             "“households”). Use the template (the “Download the template” button on the upload page, or "
                             "`python -m ntm template`)."},
    "read.no_rows": {"vi": "Tệp có dòng tiêu đề nhưng không có dòng số liệu nào. Hãy nhập số liệu các xã.",
                     "en": "The file has a header but no data rows. Add the communes' figures."},
    "read.xlsx": {"vi": "Không mở được tệp Excel (.xlsx). Tệp có thể bị hỏng hoặc được đặt mật khẩu; hãy lưu lại "
                        "bằng Excel rồi tải lên lại.",
                  "en": "The Excel (.xlsx) file cannot be opened. It may be damaged or password-protected; save it "
                        "again in Excel and upload it again."},
    "read.xls": {"vi": "Định dạng Excel cũ (.xls) không được hỗ trợ. Hãy lưu lại thành .xlsx hoặc CSV UTF-8.",
                 "en": "The old Excel format (.xls) is not supported. Save it as .xlsx or CSV UTF-8."},
    "read.too_large": {"vi": "Tệp lớn hơn {limit_mb} MB. Hãy tách tệp theo tỉnh.",
                       "en": "The file is larger than {limit_mb} MB. Split it by province."},
    "read.line_break": {"vi": "Dòng {row} có ô chứa ký tự xuống dòng hoặc dấu ngoặc kép (\") không đóng, làm các "
                              "dòng sau bị gộp lại. Hãy xóa dấu ngoặc kép thừa hoặc lưu lại tệp từ Excel.",
                        "en": "Row {row} has a cell with a line break or an unclosed double quote (\"), which "
                              "merges the following rows. Remove the stray quote or save the file again from Excel."},
    "read.column_numbers": {"vi": "Dòng đánh số cột (A, B, 1, 2, …) được bỏ qua.",
                            "en": "Column-number row (A, B, 1, 2, …) skipped."},
    "read.outside_table": {"vi": "Dòng không có mã xã và không có số liệu (tiêu đề nhóm, ngày tháng, chữ ký) được "
                                 "bỏ qua.",
                           "en": "Row without a commune code or any figure (group heading, date, signature) skipped."},
    "read.totals_row": {"vi": "Dòng tổng cộng được bỏ qua (không nhập vào cơ sở dữ liệu).",
                        "en": "Totals row skipped (not imported)."},
    "col.missing": {"vi": "Thiếu cột bắt buộc “{column_vi}” ({column}). Hãy thêm cột này theo mẫu.",
                    "en": "Required column “{column}” (“{column_vi}”) is missing. Add it as in the template."},
    "col.unknown": {"vi": "Cột không thuộc mẫu nên được bỏ qua. Nếu đây là cột số liệu, hãy đổi tên tiêu đề theo "
                          "mẫu.",
                    "en": "Unknown column, ignored. If it holds figures, rename its header as in the template."},
    "col.duplicate": {"vi": "Cột “{column}” xuất hiện hai lần (cũng ở cột số {other}). Hãy xóa một cột.",
                      "en": "Column “{column}” appears twice (also column {other}). Delete one of them."},
    "year.missing": {"vi": "Không có cột “Năm” và chưa chọn năm báo cáo. Hãy thêm cột Năm hoặc chọn năm khi tải lên.",
                     "en": "No “year” column and no reporting year given. Add a year column or choose the year."},
    "year.mismatch": {"vi": "Năm {value} khác với năm báo cáo {year}. Mỗi tệp chỉ chứa số liệu của một năm; hãy sửa "
                            "năm hoặc chọn đúng năm báo cáo.",
                      "en": "Year {value} differs from the reporting year {year}. A file holds one year only; fix "
                            "the year or choose the right reporting year."},
    "year.range": {"vi": "Năm phải nằm trong khoảng {low}–{high}. Hãy sửa lại năm.",
                   "en": "The year must be between {low} and {high}. Fix the year."},
    "value.not_number": {"vi": "Ô phải là số nhưng đang chứa chữ hoặc một giá trị không dùng được như số (inf, nan, "
                               "số quá lớn). Hãy nhập số (ví dụ 1.234) hoặc để trống nếu không có.",
                         "en": "A number is expected but the cell holds text or something that is not a usable number "
                               "(inf, nan, a number too large). Enter a number (e.g. 1,234) or leave it empty."},
    "value.not_integer": {"vi": "Cột này chỉ nhận số nguyên. Hãy bỏ phần thập phân.",
                          "en": "This column takes whole numbers only. Remove the decimal part."},
    "value.negative": {"vi": "Giá trị không được âm. Hãy sửa lại số liệu.",
                       "en": "The value cannot be negative. Correct the figure."},
    "value.too_large": {"vi": "Giá trị quá lớn (trên {limit}). Hãy kiểm tra lại số liệu.",
                        "en": "The value is too large (over {limit}). Check the figure."},
    "value.required": {"vi": "Ô bắt buộc đang trống. Hãy nhập số liệu (nhập 0 nếu không có).",
                       "en": "A required cell is empty. Enter the figure (0 if none)."},
    "code.invalid": {"vi": "Mã xã phải gồm tối đa 5 chữ số theo danh mục hành chính (ví dụ 02566). Hãy sửa mã.",
                     "en": "A commune code is up to 5 digits from the official list (e.g. 02566). Fix the code."},
    "code.unknown": {"vi": "Không có xã nào mang mã này trong năm {year} theo {system}. Hãy đối chiếu mã và tên xã "
                           "với danh mục đơn vị hành chính (xã đã sáp nhập hoặc đổi tên: dùng mã có hiệu lực trong "
                           "năm đó). Nếu là xã mới thành lập, hãy đề nghị quản trị viên bổ sung xã vào danh mục, gửi "
                           "kèm mã xã, tên xã, số và ngày của quyết định thành lập xã.",
                     "en": "No commune of {system} has this code in {year}. Check the code and the name against the "
                           "list of administrative units (for a merged or renamed commune, use the code valid that "
                           "year). If the commune is new, ask the administrator to add it to the list, sending its "
                           "code, its name, and the number and date of the decision that created it."},
    "code.duplicate": {"vi": "Mã xã bị lặp (cũng ở dòng {other}). Mỗi xã chỉ một dòng; hãy xóa hoặc gộp dòng trùng.",
                       "en": "Duplicate commune (also row {other}). One row per commune; delete or merge the "
                             "duplicate."},
    "check.poor_gt_households": {"vi": "Số hộ nghèo ({poor}) lớn hơn tổng số hộ ({households}). Hãy kiểm tra lại "
                                       "hai cột này.",
                                 "en": "Poor households ({poor}) exceed households ({households}). Check both "
                                       "columns."},
    "check.poor_near_gt_households": {"vi": "Hộ nghèo + cận nghèo ({total}) lớn hơn tổng số hộ ({households}). Hãy "
                                            "kiểm tra lại.",
                                      "en": "Poor + near-poor households ({total}) exceed households "
                                            "({households}). Check the figures."},
    "check.em_gt_households": {"vi": "Số hộ DTTS ({em}) lớn hơn tổng số hộ ({households}). Hãy kiểm tra lại.",
                               "en": "Ethnic-minority households ({em}) exceed households ({households}). Check "
                                     "them."},
    "check.em_poor_gt_poor": {"vi": "Số hộ nghèo DTTS ({em_poor}) lớn hơn số hộ nghèo ({poor}). Hãy kiểm tra lại.",
                              "en": "Ethnic-minority poor households ({em_poor}) exceed poor households ({poor}). "
                                    "Check them."},
    "criteria.range": {"vi": "Số tiêu chí đạt phải từ 0 đến {n}. Hãy sửa lại.",
                       "en": "Criteria met must be between 0 and {n}. Correct it."},
    "criteria.mismatch": {"vi": "Số tiêu chí đạt ({count}) khác số tiêu chí được đánh dấu đạt ở các cột TC1–TC{n} "
                                "({flags}). Hãy sửa cho khớp.",
                          "en": "Criteria met ({count}) differs from the number of criteria marked met in columns "
                                "TC1–TC{n} ({flags}). Make them agree."},
    "flag.invalid": {"vi": "Giá trị đánh dấu (đạt hay chưa) không hợp lệ. Hãy dùng 1/0, Đạt/Chưa đạt, x/để trống, "
                           "Có/Không.",
                     "en": "Invalid mark (met or not). Use 1/0, Đạt/Chưa đạt, x/blank, TRUE/FALSE or Có/Không."},
    "value.not_accepted": {"vi": "Cột này chỉ nhận một trong các giá trị: {values}. Hãy sửa lại hoặc để trống.",
                           "en": "This column takes only one of: {values}. Correct it or leave it empty."},
    "status.invalid": {"vi": "Mức đạt chuẩn không hợp lệ. Hãy dùng: Chưa đạt, Đạt chuẩn, Nâng cao, Kiểu mẫu (đến "
                             "2025), NTM hiện đại (từ 2026).",
                       "en": "Unknown NTM status. Use Not yet NTM, NTM standard, Advanced NTM, Model NTM (to 2025) or "
                             "Modern NTM (from 2026) (or the Vietnamese words: Chưa đạt, Đạt chuẩn, Nâng cao, Kiểu "
                             "mẫu, NTM hiện đại)."},
    "status.on_ward": {"vi": "{unit_type} không xét công nhận nông thôn mới (chỉ xã). Hãy để trống mức đạt chuẩn.",
                       "en": "{unit_type} units cannot hold an NTM status (rural communes only). Leave the status "
                             "empty."},
    "recognition.after_year": {"vi": "Năm công nhận ({value}) sau năm báo cáo ({year}). Hãy sửa năm công nhận.",
                               "en": "Recognition year ({value}) is after the reporting year ({year}). Fix it."},
    "name.mismatch": {"vi": "Tên “{value}” không khớp với mã {code} ({expected}). Hãy kiểm tra lại mã xã.",
                      "en": "Name “{value}” does not match code {code} ({expected}). Check the commune code."},
    "flow.imbalance": {"vi": "{name} (mã {code}): biến động hộ nghèo không cân đối với năm trước: {prev} − {escaped} thoát nghèo + "
                             "{fell_back} tái nghèo + {newly} phát sinh + {near_to_poor} cận nghèo thành nghèo = {expected}, nhưng cuối năm là {actual} "
                             "(lệch {gap}, cho phép ±{tolerance}). Hãy kiểm tra số thoát nghèo, tái nghèo, phát "
                             "sinh.",
                       "en": "{name} (code {code}): poverty flows do not balance with last year: {prev} − {escaped} escaped + {fell_back} "
                             "fell back + {newly} newly poor + {near_to_poor} near-poor become poor = {expected}, but the year ends with {actual} (gap "
                             "{gap}, allowed ±{tolerance}). Check escaped, fell-back and newly-poor counts."},
    "jump.households": {"vi": "Tổng số hộ thay đổi {change} so với năm trước ({prev} → {actual}). Hãy kiểm tra (có "
                              "thể do sáp nhập hoặc nhập sai).",
                        "en": "Households changed by {change} against last year ({prev} → {actual}). Check it (a "
                              "merger or a typing error?)."},
    "flow.escaped_gt_start": {"vi": "{name} (mã {code}): số hộ thoát nghèo ({escaped}, cột “{escaped_column}”) "
                                    "nhiều hơn số hộ nghèo đầu năm ({start}: số hộ nghèo cuối năm {prev_year} của "
                                    "xã). Không thể có nhiều hộ thoát nghèo hơn số hộ đang nghèo. Hãy sửa cột "
                                    "“{escaped_column}” (có thể đã tính cả hộ cận nghèo thoát cận nghèo) hoặc kiểm tra "
                                    "số hộ nghèo năm {prev_year} đang dùng.",
                              "en": "{name} (code {code}): households escaping poverty ({escaped}, column "
                                    "“{escaped_column}”) exceed the poor households at the start of the year "
                                    "({start}: the commune's poor households at the end of {prev_year}). No more "
                                    "households can escape poverty than were poor. Correct “{escaped_column}” "
                                    "(near-poor households leaving near-poverty may have been counted) or check the "
                                    "{prev_year} poor households in force."},
    "flow.escaped_gt_start_approx": {"vi": "{name} (mã {code}): số hộ thoát nghèo ({escaped}, cột "
                                           "“{escaped_column}”) nhiều hơn số hộ nghèo đầu năm ước tính ({start}: so "
                                           "sánh gần đúng, năm {prev_year} có xã cũ bị chia cho nhiều xã mới). Hãy "
                                           "kiểm tra cột “{escaped_column}”.",
                                     "en": "{name} (code {code}): households escaping poverty ({escaped}, "
                                           "column “{escaped_column}”) exceed the estimated poor households at the "
                                           "start of the year ({start}: an approximate comparison, {prev_year} "
                                           "includes an old commune split between new ones). Check "
                                           "“{escaped_column}”."},
    "flow.inflows_gt_end": {"vi": "{name} (mã {code}): cuối năm chỉ có {end} hộ nghèo (cột “{poor_column}”) nhưng "
                                  "trong năm có {inflow} hộ vào diện nghèo ({fell_back} tái nghèo + {newly} phát "
                                  "sinh + {near_to_poor} cận nghèo thành nghèo; cột {inflow_columns}). Hộ tái nghèo "
                                  "và hộ nghèo phát sinh được xác định khi rà soát nên đều có trong số hộ nghèo cuối "
                                  "năm. Hãy sửa số hộ nghèo cuối năm hoặc các cột đó.",
                            "en": "{name} (code {code}): the year ends with {end} poor households (column "
                                  "“{poor_column}”) but {inflow} households became poor during it ({fell_back} fell "
                                  "back + {newly} newly poor + {near_to_poor} near-poor became poor; columns "
                                  "{inflow_columns}). Households found poor at the review are on the end-of-year "
                                  "list, so the end cannot be smaller. Correct the end-of-year poor households or "
                                  "those columns."},
    "jump.factor": {"vi": "Giá trị {direction} {times} lần so với năm {prev_year} của cùng xã ({prev} → {actual}). "
                          "Thường là do nhầm dấu phân cách thập phân / hàng nghìn (36,8 thành 36.800) hoặc nhầm đơn "
                          "vị. Hãy kiểm tra ô này.",
                    "en": "The value is {times} times {direction} than the same commune's in {prev_year} ({prev} → "
                          "{actual}). This is usually a decimal / thousands separator mistake (36.8 becoming 36,800) "
                          "or a wrong unit. Check the cell."},
    "jump.factor_approx": {"vi": "Giá trị {direction} {times} lần so với năm {prev_year} ({prev} → {actual}; so sánh "
                                 "gần đúng: năm trước có xã cũ bị chia cho nhiều xã mới). Thường là do nhầm dấu phân "
                                 "cách thập phân / hàng nghìn hoặc nhầm đơn vị. Hãy kiểm tra ô này.",
                           "en": "The value is {times} times {direction} than in {prev_year} ({prev} → {actual}; an "
                                 "approximate comparison: last year includes an old commune split between new "
                                 "ones). This is usually a decimal / thousands separator mistake or a wrong unit. "
                                 "Check the cell."},
    "jump.more": {"vi": "cao gấp", "en": "higher"},
    "jump.less": {"vi": "thấp hơn", "en": "lower"},
    "number.ambiguous_range": {"vi": "Cột có {n} ô viết như “{value}”: một dấu phân cách và đúng ba chữ số sau, có "
                                     "thể là số thập phân hoặc hàng nghìn, và không ô nào khác trong cột cho biết dấu "
                                     "nào là dấu thập phân. Cả cột được đọc với {decimal}: “{value}” là {read}, vì "
                                     "cách đọc kia ({alt}) nằm ngoài khoảng hợp lý của cột ({low}–{high}). Nếu đọc "
                                     "sai, hãy ghi số sao cho chỉ đọc được một cách (ví dụ 36,83 hoặc 36.828,0) hoặc "
                                     "để ô ở dạng số trong Excel, rồi tải lên lại.",
                               "en": "{n} cells of this column are written like “{value}”: one separator followed by "
                                     "exactly three digits, which may be a decimal or a thousands group, and no other "
                                     "cell of the column tells which separator is the decimal one. The whole column "
                                     "was read with {decimal}: “{value}” is {read}, because the other reading "
                                     "({alt}) lies outside the column's plausible range ({low}–{high}). If that is "
                                     "wrong, write the numbers so they read one way only (e.g. 36.83 or 36,828.0) or "
                                     "as number cells in Excel, and upload again."},
    "number.ambiguous_file": {"vi": "Cột có {n} ô viết như “{value}”: một dấu phân cách và đúng ba chữ số sau, có "
                                    "thể là số thập phân hoặc hàng nghìn, và không ô nào khác trong cột cho biết dấu "
                                    "nào là dấu thập phân. Cả cột được đọc theo cách viết số của cả tệp, với "
                                    "{decimal}: “{value}” là {read} (cách đọc kia: {alt}). Hãy kiểm tra; nếu sai, hãy "
                                    "ghi số sao cho chỉ đọc được một cách (ví dụ 36,83 hoặc 36.828,0) hoặc để ô ở "
                                    "dạng số trong Excel, rồi tải lên lại.",
                              "en": "{n} cells of this column are written like “{value}”: one separator followed by "
                                    "exactly three digits, which may be a decimal or a thousands group, and no other "
                                    "cell of the column tells which separator is the decimal one. The whole column "
                                    "was read the way the rest of the file writes numbers, with {decimal}: “{value}” "
                                    "is {read} (the other reading: {alt}). Check it; if it is wrong, write the numbers "
                                    "so they read one way only (e.g. 36.83 or 36,828.0) or as number cells in Excel, "
                                    "and upload again."},
    "number.decimal_point": {"vi": "dấu chấm là dấu thập phân (dấu phẩy phân cách hàng nghìn)",
                             "en": "the point as the decimal separator (commas between thousands)"},
    "number.decimal_comma": {"vi": "dấu phẩy là dấu thập phân (dấu chấm phân cách hàng nghìn)",
                             "en": "the comma as the decimal separator (points between thousands)"},
    "range.income_per_capita": {"vi": "Thu nhập bình quân {amount} triệu đồng/người/năm nằm ngoài khoảng hợp lý của "
                                      "một xã ({low}–{high} triệu đồng/người/năm). Hãy kiểm tra đơn vị (triệu "
                                      "đồng/người/năm, không phải đồng, nghìn đồng hay theo tháng) và dấu phân cách "
                                      "thập phân.",
                                "en": "Income per capita of {amount} million VND per person per year is outside the "
                                      "plausible range for a commune ({low}–{high} million VND per person per year). "
                                      "Check the unit (million VND per person per year, not VND, thousand VND or per "
                                      "month) and the decimal separator."},
    "range.households": {"vi": "Tổng số hộ {amount} nằm ngoài khoảng hợp lý của một xã ({low}–{high} hộ). Hãy kiểm tra "
                               "dấu phân cách hàng nghìn và xem có nhầm với số nhân khẩu hay số của cả huyện, tỉnh "
                               "không.",
                         "en": "{amount} households is outside the plausible range for a commune ({low}–{high}). Check "
                               "the thousands separator, and that this is not the population or a district's or "
                               "province's total."},
    "range.population": {"vi": "Số nhân khẩu {amount} nằm ngoài khoảng hợp lý của một xã ({low}–{high} người). Hãy "
                               "kiểm tra dấu phân cách hàng nghìn và xem có nhầm với số hộ hay số của cả huyện, tỉnh "
                               "không.",
                         "en": "A population of {amount} is outside the plausible range for a commune ({low}–{high} "
                               "people). Check the thousands separator, and that this is not the number of "
                               "households or a district's or province's total."},
    "range.people_per_household": {"vi": "Số nhân khẩu ({numerator}) chia cho tổng số hộ ({denominator}, cột "
                                         "“{denominator_column}”) là {ratio} người/hộ, ngoài khoảng hợp lý "
                                         "({low}–{high} người/hộ). Hãy kiểm tra hai cột này (nhầm cột, nhầm dấu phân "
                                         "cách hàng nghìn).",
                                   "en": "The population ({numerator}) divided by the households ({denominator}, "
                                         "column “{denominator_column}”) is {ratio} people per household, outside "
                                         "the plausible range ({low}–{high}). Check both columns (swapped columns or "
                                         "a thousands separator mistake)."},
    "group.should_be_3": {"vi": "{name} (mã {code}) thuộc khu vực {region} vùng đồng bào DTTS và miền núi "
                                "({source}) nên thuộc nhóm 3 theo QĐ 51/2025/QĐ-TTg, nhưng tệp ghi nhóm {group}. Hãy "
                                "sửa thành nhóm 3, hoặc tải lên danh sách khu vực mới nếu xã không còn thuộc khu vực "
                                "{region}.",
                          "en": "{name} (code {code}) is a region {region} commune of the ethnic-minority and "
                                "mountainous area ({source}), so it is in group 3 under QĐ 51/2025/QĐ-TTg, but the "
                                "file gives group {group}. Change it to group 3, or upload the new region list if the "
                                "commune is no longer in region {region}."},
    "group.not_3": {"vi": "{name} (mã {code}) thuộc khu vực {region} ({source}); nhóm 3 theo QĐ 51/2025/QĐ-TTg "
                          "chỉ gồm các xã khu vực II và III vùng đồng bào DTTS và miền núi, nên xã thuộc nhóm 1 hoặc "
                          "2. Hãy sửa nhóm xã, hoặc tải lên danh sách khu vực mới nếu xã nay thuộc khu vực II hoặc "
                          "III.",
                    "en": "{name} (code {code}) is a region {region} commune ({source}); group 3 under QĐ "
                          "51/2025/QĐ-TTg holds only region II and III communes of the ethnic-minority and "
                          "mountainous area, so it is in group 1 or 2. Correct the group, or upload the new region "
                          "list if the commune is now in region II or III."},
    "group.region_listed": {"vi": "theo danh sách khu vực đã tải lên", "en": "from the uploaded region list"},
    "group.region_derived": {"vi": "suy ra từ các xã cũ hợp thành, chưa có danh sách khu vực 2026–2030",
                             "en": "derived from the old communes that formed it; no 2026–2030 region list yet"},
    "risk.revocation": {"vi": "Xã đã được công nhận ({status}) nhưng chỉ đạt {count}/{n} tiêu chí; không còn đạt: "
                              "{failed}. {rule}, xã có nguy cơ bị thu hồi quyết định công nhận.",
                        "en": "Recognised commune ({status}) meets only {count}/{n} criteria; no longer met: "
                              "{failed}. {rule}, it is at risk of revocation."},
    "import.has_errors": {"vi": "Tệp còn {n} lỗi nên chưa nhập. Hãy sửa các lỗi trong báo cáo rồi tải lên lại.",
                          "en": "The file has {n} errors and was not imported. Fix them and upload again."},
    "import.needs_ack": {"vi": "Tệp có {n} cảnh báo. Hãy xem lại và xác nhận (--accept-warnings) để nhập.",
                         "en": "The file has {n} warnings. Review them and acknowledge (--accept-warnings) to "
                               "import."},
    "import.clash": {"vi": "Chưa nhập: trong lúc tệp này đang được ghi, {user} đã nhập số liệu năm {year} cho cùng các "
                           "xã (lô {batch}, tệp {other_file}). Không có gì của tệp này được ghi. Hãy xem số liệu đang "
                           "dùng, rồi nhập lại nếu tệp của bạn vẫn đúng hơn.",
                     "en": "Not imported: while this file was being written, {user} imported {year} figures for the "
                           "same communes (batch {batch}, file {other_file}). Nothing of this file was written. Look "
                           "at the figures in force, then import again if your file is still the right one."},
    "import.done": {"vi": "Đã nhập {rows} dòng năm {year}, mã lô {batch}.",
                    "en": "Imported {rows} rows for {year}, batch {batch}."},
    "reference.choice": {"vi": "Giá trị không hợp lệ. Hãy dùng một trong: {allowed}.",
                         "en": "Invalid value. Use one of: {allowed}."},
    "reference.boolean": {"vi": "Giá trị đúng/sai không hợp lệ. Hãy dùng true/false, 1/0 hoặc Có/Không.",
                          "en": "Invalid yes/no value. Use true/false, 1/0 or Có/Không."},
    "reference.duplicate": {"vi": "Khóa bị lặp trong tệp. Hãy giữ một dòng cho mỗi đơn vị/mục tiêu.",
                            "en": "Duplicate key in the file. Keep one row per unit/target."},
    "reference.unknown_unit": {"vi": "Không có đơn vị cấp {level} mang mã này trong {system}. Hãy kiểm tra mã theo "
                                     "danh mục, hoặc cột system (pre2025 / post2025).",
                               "en": "No unit at level {level} of {system} has this code. Check the code against the "
                                     "official list, or the system column (pre2025 / post2025)."},
    "reference.rollback_blocked": {"vi": "Một lô nhập sau đã thay thế số liệu của lô này; hãy hoàn tác lô sau trước.",
                                   "en": "A later batch replaced rows of this one; roll that one back first."},
    "boundary.too_large": {"vi": "Tệp ranh giới lớn hơn {limit_mb} MB. Hãy đơn giản hóa hoặc tách theo tỉnh.",
                           "en": "The boundary file is larger than {limit_mb} MB. Simplify it or split it by "
                                 "province."},
    "boundary.format": {"vi": "Định dạng không được hỗ trợ. Hãy tải lên GeoJSON, Shapefile nén .zip hoặc GeoPackage.",
                        "en": "Unsupported format. Upload GeoJSON, a zipped Shapefile or a GeoPackage."},
    "boundary.unreadable": {"vi": "Không đọc được tệp ranh giới “{file}”. Hãy kiểm tra tệp có mở được bằng QGIS không.",
                            "en": "The boundary file “{file}” cannot be read. Check that it opens in QGIS."},
    "boundary.zip_entries": {"vi": "Tệp .zip có quá nhiều tệp con (tối đa {limit}). Hãy chỉ nén các tệp của một lớp.",
                             "en": "The .zip holds too many files (at most {limit}). Zip only one layer's files."},
    "boundary.zip_path": {"vi": "Tệp .zip chứa đường dẫn không an toàn ({name}). Hãy nén lại các tệp trong một thư "
                                "mục phẳng.",
                          "en": "The .zip contains an unsafe path ({name}). Zip the files again in a flat folder."},
    "boundary.zip_bomb": {"vi": "Tệp .zip giải nén quá lớn ({name}). Hãy tải lên tệp nhỏ hơn.",
                          "en": "The .zip expands to too much data ({name}). Upload a smaller file."},
    "boundary.no_layer": {"vi": "Trong tệp .zip không có lớp .shp, .gpkg hoặc .geojson. Hãy nén đủ .shp, .shx, "
                                ".dbf, .prj.",
                          "en": "The .zip has no .shp, .gpkg or .geojson layer. Include .shp, .shx, .dbf and .prj."},
    "boundary.empty": {"vi": "Tệp ranh giới không có đối tượng nào.", "en": "The boundary file has no features."},
    "boundary.too_many": {"vi": "Tệp có quá nhiều đối tượng (tối đa {limit}). Hãy tách theo tỉnh.",
                          "en": "Too many features (at most {limit}). Split the file by province."},
    "boundary.no_polygons": {"vi": "Tệp không có vùng (polygon). Hãy tải lên lớp ranh giới dạng vùng.",
                             "en": "The file has no polygons. Upload a polygon boundary layer."},
    "boundary.no_column": {"vi": "Không có cột “{column}”. Các cột có trong tệp: {columns}.",
                           "en": "There is no column “{column}”. Columns in the file: {columns}."},
    "boundary.no_join": {"vi": "Không tìm thấy cột mã hoặc cột tên đơn vị để ghép (các cột trong tệp: {columns}). Hãy "
                               "chỉ ra cột chứa mã đơn vị (--code-column TÊN_CỘT).",
                         "en": "No code or name column to join on was found (columns in the file: {columns}). Name the "
                               "column holding the unit codes (--code-column NAME)."},
    "boundary.nothing_matched": {"vi": "Không ghép được đối tượng nào với danh mục đơn vị; không có gì được lưu.",
                                 "en": "No feature matched a unit; nothing was stored."},
    "page.upload": {"vi": "Tải lên số liệu", "en": "Upload data"},
    "page.reporting": {"vi": "Tình hình báo cáo", "en": "Reporting status"},
    "upload.no_users": {"vi": "Chưa có tài khoản nào. Người vận hành máy chủ tạo tài khoản quản trị viên (rồi các tài "
                              "khoản khác, với vai trò và tỉnh) bằng lệnh:",
                        "en": "No account exists yet. The server's operator creates an administrator account (then the "
                              "others, with their roles and provinces) with:"},
    "upload.username": {"vi": "Tên đăng nhập", "en": "User name"},
    "upload.password": {"vi": "Mật khẩu", "en": "Password"},
    "upload.sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "upload.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "upload.signed_in": {"vi": "Đang đăng nhập: {name}", "en": "Signed in as {name}"},
    "upload.bad_login": {"vi": "Sai tên đăng nhập hoặc mật khẩu.", "en": "Wrong user name or password."},
    "upload.throttled": {"vi": "Đăng nhập sai quá nhiều lần. Hãy thử lại sau {seconds} giây.",
                         "en": "Too many failed sign-ins. Try again in {seconds} seconds."},
    "upload.tab_yearly": {"vi": "Số liệu năm", "en": "Yearly figures"},
    "upload.tab_boundaries": {"vi": "Ranh giới", "en": "Boundaries"},
    "upload.tab_reference": {"vi": "Thuộc tính & mục tiêu", "en": "Attributes & targets"},
    "upload.tab_history": {"vi": "Lịch sử nhập", "en": "Import history"},
    "upload.yearly_help": {"vi": "Tệp CSV hoặc Excel, mỗi dòng một xã, một năm mỗi tệp. Chưa có gì được ghi cho đến "
                                 "khi bấm “Nhập”.",
                           "en": "CSV or Excel file, one row per commune, one year per file. Nothing is written "
                                 "until you press “Import”."},
    "upload.year": {"vi": "Năm báo cáo", "en": "Reporting year"},
    "upload.year_help": {"vi": "Để “—” nếu tệp có cột Năm.", "en": "Leave “—” when the file has a year column."},
    "upload.template_download": {"vi": "Tải tệp mẫu năm {year} ({scope})", "en": "Download the {year} template ({scope})"},
    "upload.template_headers_only": {"vi": "chỉ có tiêu đề cột", "en": "column headers only"},
    "upload.template_help": {"vi": "Tệp Excel đúng cột của năm đã chọn (đơn vị hành chính, bộ tiêu chí), mỗi xã của "
                                   "tỉnh đang chọn ở thanh bên một dòng, có danh sách chọn và trang hướng dẫn.",
                             "en": "An Excel file with the chosen year's columns (unit system, criteria set), one row "
                                   "per commune of the province chosen in the sidebar, with drop-down lists and an "
                                   "instructions sheet."},
    "upload.choose_file": {"vi": "Chọn tệp", "en": "Choose a file"},
    "upload.rows": {"vi": "Số dòng", "en": "Rows"},
    "upload.no_issues": {"vi": "Không có lỗi hay cảnh báo.", "en": "No errors or warnings."},
    "upload.download_xlsx": {"vi": "Tải báo cáo (Excel)", "en": "Download report (Excel)"},
    "upload.download_csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "upload.preview": {"vi": "Xem trước thay đổi so với số liệu năm {year}", "en": "Preview against {year} figures"},
    "upload.new": {"vi": "Xã mới", "en": "New communes"},
    "upload.col_code": {"vi": "Mã xã", "en": "Commune code"},
    "upload.col_column": {"vi": "Chỉ tiêu", "en": "Column"},
    "upload.col_old": {"vi": "Giá trị cũ", "en": "Old value"},
    "upload.col_new": {"vi": "Giá trị mới", "en": "New value"},
    "upload.changed": {"vi": "Xã thay đổi", "en": "Changed communes"},
    "upload.unchanged": {"vi": "Không đổi", "en": "Unchanged"},
    "upload.missing": {"vi": "Có năm trước, thiếu năm nay", "en": "In last year, missing now"},
    "upload.missing_help": {"vi": "Các xã có số liệu năm trước nhưng không có trong tệp:",
                            "en": "Communes with figures last year that the file does not contain:"},
    "upload.ack": {"vi": "Tôi đã xem {n} cảnh báo và xác nhận số liệu đúng.",
                   "en": "I have reviewed the {n} warnings and confirm the figures."},
    "upload.confirm": {"vi": "Nhập {rows} dòng năm {year}", "en": "Import {rows} rows for {year}"},
    "upload.already_imported": {"vi": "Tệp này vừa được nhập trong phiên làm việc này.",
                                "en": "This file was just imported in this session."},
    "upload.see_figures": {"vi": "Xem số liệu vừa nhập", "en": "See the imported figures"},
    "upload.boundaries_help": {"vi": "GeoJSON, Shapefile nén .zip hoặc GeoPackage; hệ tọa độ bất kỳ. Ghép theo cột "
                                     "mã (tự nhận) hoặc theo tên trong tỉnh.",
                               "en": "GeoJSON, zipped Shapefile or GeoPackage, any CRS. Joined by a code column "
                                     "(detected) or by name within the province."},
    "upload.level": {"vi": "Cấp", "en": "Level"},
    "upload.code_column": {"vi": "Cột mã (để trống để tự nhận)", "en": "Code column (empty to detect)"},
    "upload.choose_boundaries": {"vi": "Chọn tệp ranh giới", "en": "Choose a boundary file"},
    "upload.unmatched": {"vi": "Không khớp / không lưu", "en": "Unmatched / not stored"},
    "upload.ambiguous": {"vi": "Nhập nhằng", "en": "Ambiguous"},
    "upload.join_method": {"vi": "Cách ghép: {method}; ghép với {system}", "en": "Joined by: {method}; to {system}"},
    "upload.confirm_boundaries": {"vi": "Lưu {n} ranh giới", "en": "Store {n} boundaries"},
    "upload.boundaries_done": {"vi": "Đã lưu {n} ranh giới, mã lô {batch}. Bản đồ sẽ dùng ranh giới này.",
                               "en": "Stored {n} boundaries, batch {batch}. Maps now use them."},
    "upload.reference_kind": {"vi": "Bảng", "en": "Table"},
    "upload.kind_unit_attributes": {"vi": "Thuộc tính đơn vị", "en": "Unit attributes"},
    "upload.kind_targets": {"vi": "Mục tiêu", "en": "Targets"},
    "upload.reference_help_unit_attributes": {"vi": "Cột: level, code, name, is_mountainous, is_island, "
                                                    "is_poor_district, em_region, decision, verified, note: các cột của bảng "
                                                    "thuộc tính đang dùng (hỏi quản trị viên nếu cần một bản để "
                                                    "làm mẫu).",
                                              "en": "Columns: level, code, name, is_mountainous, is_island, "
                                                    "is_poor_district, em_region, decision, verified, note: the columns "
                                                    "of the attribute table in use (ask the administrator for a copy "
                                                    "to start from)."},
    "upload.reference_help_targets": {"vi": "Cột: target_id, scope_level, scope_code, scope_name, year, metric, "
                                            "level, value_min, value_max, unit, source_document, verified, note: "
                                            "các cột của bảng mục tiêu đang dùng (hỏi quản trị viên nếu cần một "
                                            "bản để làm mẫu).",
                                      "en": "Columns: target_id, scope_level, scope_code, scope_name, year, metric, "
                                            "level, value_min, value_max, unit, source_document, verified, note: "
                                            "the columns of the targets table in use (ask the administrator for a "
                                            "copy to start from)."},
    "upload.confirm_reference": {"vi": "Nhập {n} dòng", "en": "Import {n} rows"},
    "upload.reference_done": {"vi": "Đã nhập {n} dòng, mã lô {batch}.", "en": "Imported {n} rows, batch {batch}."},
    "upload.rollback_choose": {"vi": "Lô cần hoàn tác", "en": "Batch to undo"},
    "upload.rollback_sure": {"vi": "Tôi chắc chắn muốn hoàn tác lô {batch} (số liệu trước đó sẽ được khôi phục).",
                             "en": "I am sure I want to undo batch {batch} (the previous figures come back)."},
    "upload.rollback": {"vi": "Hoàn tác", "en": "Undo"},
    "upload.rollback_done": {"vi": "Đã hoàn tác lô {batch}; khôi phục lô: {restored}.",
                             "en": "Batch {batch} undone; restored batches: {restored}."},
    "report.severity": {"vi": "Mức độ", "en": "Severity"},
    "report.file": {"vi": "Tệp", "en": "File"},
    "report.row": {"vi": "Dòng", "en": "Row"},
    "report.column": {"vi": "Cột", "en": "Column"},
    "report.value": {"vi": "Giá trị", "en": "Value"},
    "report.message": {"vi": "Nội dung", "en": "Message"},
    "report.code": {"vi": "Mã lỗi", "en": "Code"},
    "report.count": {"vi": "Số lượng", "en": "Count"},
    "report.example": {"vi": "Ví dụ", "en": "Example"},
    "column.year": {"vi": "Năm", "en": "year"},
    "column.commune_code": {"vi": "Mã xã", "en": "commune_code"},
    "column.commune_name": {"vi": "Tên xã", "en": "commune_name"},
    "column.district_name": {"vi": "Huyện", "en": "district_name"},
    "column.province_name": {"vi": "Tỉnh", "en": "province_name"},
    "column.households": {"vi": "Tổng số hộ", "en": "households"},
    "column.population": {"vi": "Số nhân khẩu", "en": "population"},
    "column.poor_households": {"vi": "Số hộ nghèo", "en": "poor_households"},
    "column.near_poor_households": {"vi": "Số hộ cận nghèo", "en": "near_poor_households"},
    "column.escaped_poverty": {"vi": "Số hộ thoát nghèo", "en": "escaped_poverty"},
    "column.fell_back_into_poverty": {"vi": "Số hộ tái nghèo", "en": "fell_back_into_poverty"},
    "column.newly_poor": {"vi": "Số hộ nghèo phát sinh", "en": "newly_poor"},
    "column.near_poor_to_poor": {"vi": "Số hộ cận nghèo chuyển thành hộ nghèo", "en": "near_poor_to_poor"},
    "column.ethnic_minority_households": {"vi": "Số hộ DTTS", "en": "ethnic_minority_households"},
    "column.ethnic_minority_poor_households": {"vi": "Số hộ nghèo DTTS", "en": "ethnic_minority_poor_households"},
    "column.income_per_capita": {"vi": "Thu nhập bình quân (triệu đồng/người/năm)", "en": "income_per_capita"},
    "column.ntm_status": {"vi": "Mức đạt chuẩn NTM", "en": "ntm_status"},
    "column.ntm_recognition_year": {"vi": "Năm công nhận", "en": "ntm_recognition_year"},
    "column.criteria_met": {"vi": "Số tiêu chí đạt", "en": "criteria_met"},
    "column.c01": {"vi": "TC1", "en": "c01"},
    "column.c02": {"vi": "TC2", "en": "c02"},
    "column.c03": {"vi": "TC3", "en": "c03"},
    "column.c04": {"vi": "TC4", "en": "c04"},
    "column.c05": {"vi": "TC5", "en": "c05"},
    "column.c06": {"vi": "TC6", "en": "c06"},
    "column.c07": {"vi": "TC7", "en": "c07"},
    "column.c08": {"vi": "TC8", "en": "c08"},
    "column.c09": {"vi": "TC9", "en": "c09"},
    "column.c10": {"vi": "TC10", "en": "c10"},
    "column.c11": {"vi": "TC11", "en": "c11"},
    "column.c12": {"vi": "TC12", "en": "c12"},
    "column.c13": {"vi": "TC13", "en": "c13"},
    "column.c14": {"vi": "TC14", "en": "c14"},
    "column.c15": {"vi": "TC15", "en": "c15"},
    "column.c16": {"vi": "TC16", "en": "c16"},
    "column.c17": {"vi": "TC17", "en": "c17"},
    "column.c18": {"vi": "TC18", "en": "c18"},
    "column.c19": {"vi": "TC19", "en": "c19"},
    "column.criteria_set": {"vi": "Bộ tiêu chí", "en": "criteria_set"},
    "column.commune_group": {"vi": "Nhóm xã", "en": "commune_group"},
    "system.pre2025": {"vi": "đơn vị hành chính cũ (trước 1/7/2025: 63 tỉnh, có cấp huyện)",
                       "en": "the old units (before 1 July 2025: 63 provinces, with districts)"},
    "system.post2025": {"vi": "đơn vị hành chính mới (từ 1/7/2025: 34 tỉnh, 3.321 xã, không có cấp huyện)",
                        "en": "the new units (from 1 July 2025: 34 provinces, 3,321 communes, no districts)"},
    "system.detected": {"vi": "Tệp năm {year} được đọc theo {system} (nhận ra từ mã và tên xã).",
                        "en": "The {year} file is read on {system} (recognised from its codes and commune names)."},
    "system.mixed": {"vi": "Mã và tên xã ở dòng này thuộc {system}, trong khi tệp dùng {file_system}. Một tệp chỉ "
                           "dùng một hệ đơn vị; hãy tách thành hai tệp hoặc sửa mã theo danh mục mới.",
                     "en": "This row’s code and name belong to {system}, while the file uses {file_system}. One "
                           "file uses one unit system; split the file or correct the code to the new list."},
    "code.old_unit": {"vi": "Đây là mã xã cũ (trước 1/7/2025). Năm {year} xã này thuộc {new_name} (mã {new_code}). "
                            "Hãy dùng mã và tên xã mới.",
                      "en": "This is an old commune code (before 1 July 2025). In {year} this commune is part of "
                            "{new_name} (code {new_code}). Use the new code and name."},
    "criteria_set.invalid": {"vi": "Bộ tiêu chí không hợp lệ. Hãy dùng một trong: {sets} (hoặc để trống để theo năm "
                                   "báo cáo).",
                             "en": "Unknown criteria set. Use one of: {sets} (or leave it empty to follow the "
                                   "reporting year)."},
    "criteria_set.mixed": {"vi": "Bộ tiêu chí khác với phần còn lại của tệp ({set}). Mỗi tệp chỉ theo một bộ tiêu "
                                 "chí; hãy sửa lại.",
                           "en": "The criteria set differs from the rest of the file ({set}). A file follows one "
                                 "criteria set; correct it."},
    "criteria_set.year": {"vi": "Bộ tiêu chí này áp dụng cho các năm {first}–{last}, không áp dụng cho năm {year}. "
                                "Hãy dùng {expected} hoặc để trống cột Bộ tiêu chí.",
                          "en": "This criteria set applies to {first}–{last}, not to {year}. Use {expected} or "
                                "leave the criteria-set column empty."},
    "status.not_in_set": {"vi": "Mức “{status}” không có trong bộ tiêu chí {set}. Hãy dùng: {allowed}.",
                          "en": "The level “{status}” does not exist in criteria set {set}. Use: {allowed}."},
    "criteria.column_not_in_set": {"vi": "Bộ tiêu chí {set} chỉ có {n} tiêu chí (TC1–TC{n}); cột này có số liệu. "
                                         "Hãy xóa cột hoặc để trống.",
                                   "en": "Criteria set {set} has only {n} criteria (TC1–TC{n}); this column holds "
                                         "values. Delete the column or leave it empty."},
    "district.ignored": {"vi": "Đơn vị hành chính mới không còn cấp huyện; cột này được bỏ qua.",
                         "en": "The new units have no districts; this column is ignored."},
    "flow.imbalance_approx": {"vi": "{name} (mã {code}): biến động hộ nghèo không cân đối với năm trước (so sánh gần đúng: năm trước có "
                                    "xã cũ bị chia cho nhiều xã mới): {prev} − {escaped} thoát nghèo + {fell_back} "
                                    "tái nghèo + {newly} phát sinh + {near_to_poor} cận nghèo thành nghèo = {expected}, nhưng cuối năm là {actual} (lệch "
                                    "{gap}, cho phép ±{tolerance}). Hãy kiểm tra số thoát nghèo, tái nghèo, phát "
                                    "sinh.",
                              "en": "{name} (code {code}): poverty flows do not balance with last year (an approximate comparison: last "
                                    "year includes an old commune split between new ones): {prev} − {escaped} "
                                    "escaped + {fell_back} fell back + {newly} newly poor + {near_to_poor} near-poor become poor = {expected}, but the "
                                    "year ends with {actual} (gap {gap}, allowed ±{tolerance}). Check escaped, "
                                    "fell-back and newly-poor counts."},
    "jump.households_approx": {"vi": "Tổng số hộ thay đổi {change} so với năm trước ({prev} → {actual}; so sánh gần "
                                     "đúng: năm trước có xã cũ bị chia cho nhiều xã mới). Hãy kiểm tra.",
                               "en": "Households changed by {change} against last year ({prev} → {actual}; an "
                                     "approximate comparison: last year includes an old commune split between new "
                                     "ones). Check it."},
    "risk.below_all": {"vi": "Xã đã được công nhận ({status}) nhưng chỉ đạt {count}/{n} tiêu chí; cần duy trì đủ "
                             "tiêu chí. Không còn đạt: {failed}.",
                       "en": "Recognised commune ({status}) meets {count}/{n} criteria; criteria must be "
                             "maintained. No longer met: {failed}."},
    "risk.rule_confirmed": {"vi": "Theo QĐ 18/2022/QĐ-TTg", "en": "Under QĐ 18/2022/QĐ-TTg"},
    "risk.rule_default": {"vi": "Theo tỷ lệ của QĐ 18/2022/QĐ-TTg áp dụng cho 10 tiêu chí (chưa có quy định thu hồi "
                                "cho 2026–2030)",
                          "en": "Under QĐ 18/2022/QĐ-TTg’s shares applied to the 10 criteria (no revocation rule "
                                "for 2026–2030 is confirmed)"},
    "reference.system_assumed": {"vi": "Không rõ mã này thuộc đơn vị cũ hay mới: được hiểu là đơn vị cũ (trước "
                                       "1/7/2025). Nếu là đơn vị mới, hãy thêm cột system với giá trị post2025 "
                                       "(hoặc ghi tên đơn vị).",
                                 "en": "It is not clear whether this code is an old or a new unit: it is read as an "
                                       "old unit (before 1 July 2025). For a new unit add a system column with "
                                       "post2025 (or give the unit’s name)."},
    "upload.read_as": {"vi": "Tệp được đọc theo {system}; bộ tiêu chí {criteria_set}.",
                       "en": "The file is read on {system}; criteria set {criteria_set}."},
    "upload.replaces_other_system": {"vi": "Tệp này thay thế số liệu năm {year} của {n} đơn vị theo {system} trên "
                                           "cùng địa bàn ({households} hộ), để không tính trùng hộ. Số liệu cũ được "
                                           "giữ lại và khôi phục được bằng cách hoàn tác lô này.",
                                     "en": "This file replaces the {year} figures of {n} units on {system} in the "
                                           "same area ({households} households), so that no household is counted "
                                           "twice. The replaced figures are kept and come back if this batch is "
                                           "rolled back."},
    "boundary.col_feature": {"vi": "Đối tượng", "en": "Feature"},
    "boundary.col_name": {"vi": "Tên trong tệp", "en": "Name in the file"},
    "boundary.col_code": {"vi": "Mã trong tệp", "en": "Code in the file"},
    "boundary.col_outcome": {"vi": "Kết quả", "en": "Result"},
    "boundary.col_unit": {"vi": "Đơn vị nhận ranh giới", "en": "Unit it is stored on"},
    "boundary.col_note": {"vi": "Ghi chú", "en": "Note"},
    "boundary.outcome_matched": {"vi": "Khớp", "en": "Matched"},
    "boundary.outcome_renamed": {"vi": "Đơn vị đã đổi tên / đổi loại", "en": "Unit renamed / changed type"},
    "boundary.outcome_assembled": {"vi": "Ghép từ các đơn vị đã sáp nhập", "en": "Assembled from merged units"},
    "boundary.outcome_dissolved": {"vi": "Đơn vị không còn (đã sáp nhập)", "en": "Unit no longer exists (merged)"},
    "boundary.outcome_incomplete": {"vi": "Thiếu phần sáp nhập — không lưu",
                                    "en": "Merged parts missing — not stored"},
    "boundary.outcome_unmatched": {"vi": "Không khớp", "en": "Unmatched"},
    "boundary.outcome_ambiguous": {"vi": "Nhập nhằng — không lưu", "en": "Ambiguous — not stored"},
    "boundary.note_renamed": {"vi": "đổi tên", "en": "renamed"},
    "boundary.note_type_changed": {"vi": "đổi loại đơn vị (huyện → thị xã / thành phố / quận)",
                                   "en": "changed type (district → town / city / urban district)"},
    "boundary.note_merged": {"vi": "đã sáp nhập vào đơn vị này; vùng của nó được ghép vào đơn vị khi tệp có đủ các "
                                   "phần",
                             "en": "merged into this unit; its polygon joins the unit when the file has every part"},
    "boundary.note_dissolved": {"vi": "không còn trong danh mục; không rõ đơn vị kế thừa",
                                "en": "no longer in the list; successor unknown"},
    "boundary.note_missing": {"vi": "tệp thiếu: {parts}. Hãy thêm các phần này hoặc dùng tệp sau sáp nhập.",
                              "en": "the file lacks: {parts}. Add them or use a file drawn after the merger."},
    "boundary.note_unmatched_code": {"vi": "mã không có trong danh mục cấp này. Hãy kiểm tra mã, cấp hoặc cột mã.",
                                     "en": "no unit of this level has this code. Check the code, the level or the "
                                           "code column."},
    "boundary.note_unmatched_name": {"vi": "không có đơn vị tên này trong tỉnh. Hãy kiểm tra tên và tỉnh.",
                                     "en": "no unit of this name in the province. Check the name and the province."},
    "boundary.note_ambiguous": {"vi": "trùng: {candidates}. Hãy thêm cột mã để phân biệt.",
                                "en": "candidates: {candidates}. Add a code column to tell them apart."},
    "upload.boundary_units": {"vi": "Đơn vị có ranh giới", "en": "Units with a boundary"},
    "upload.boundary_former": {"vi": "Đơn vị cũ (đổi tên, sáp nhập)", "en": "Former units (renamed, merged)"},
    "boundary.note_former_code": {"vi": "; mã cũ {code}", "en": "; former code {code}"},
    "upload.boundary_all_features": {"vi": "Tất cả {n} đối tượng trong tệp", "en": "All {n} features in the file"},
    "history.batch": {"vi": "Lô", "en": "Batch"},
    "history.kind": {"vi": "Loại", "en": "Kind"},
    "history.year": {"vi": "Năm", "en": "Year"},
    "history.file": {"vi": "Tệp", "en": "File"},
    "history.by": {"vi": "Người nhập", "en": "Imported by"},
    "history.at": {"vi": "Thời điểm nhập", "en": "Imported at"},
    "history.rows": {"vi": "Số dòng", "en": "Rows"},
    "history.status": {"vi": "Trạng thái", "en": "Status"},
    "history.replaced": {"vi": "Thay thế lô", "en": "Replaced batches"},
    "history.demo": {"vi": "Dữ liệu minh họa", "en": "Demo data"},
    "history.rolled_back": {"vi": "Hoàn tác (lúc · bởi)", "en": "Rolled back (when · by)"},
    "batch_kind.commune_year": {"vi": "Số liệu xã theo năm", "en": "Yearly commune figures"},
    "batch_kind.district_year": {"vi": "Số liệu huyện theo năm", "en": "Yearly district figures"},
    "batch_kind.unit_attributes": {"vi": "Thuộc tính đơn vị", "en": "Unit attributes"},
    "batch_kind.targets": {"vi": "Mục tiêu", "en": "Targets"},
    "batch_kind.boundaries_district": {"vi": "Ranh giới huyện", "en": "District boundaries"},
    "batch_kind.boundaries_commune": {"vi": "Ranh giới xã", "en": "Commune boundaries"},
    "batch_status.active": {"vi": "Đang dùng", "en": "In force"},
    "batch_status.superseded": {"vi": "Đã được thay thế", "en": "Replaced"},
    "batch_status.rolled_back": {"vi": "Đã hoàn tác", "en": "Rolled back"},
    "template.sheet_data": {"vi": "Số liệu", "en": "Figures"},
    "template.sheet_guide": {"vi": "Hướng dẫn", "en": "Instructions"},
    "template.sheet_lists": {"vi": "Danh mục", "en": "Lists"},
    "template.guide_header": {"vi": "Cột (tiếng Việt)", "en": "Column (English)"},
    "template.guide_name": {"vi": "Tên chuẩn", "en": "Canonical name"},
    "template.guide_required": {"vi": "Bắt buộc", "en": "Required"},
    "template.guide_values": {"vi": "Giá trị được chấp nhận", "en": "Accepted values"},
    "template.flag_met": {"vi": "Đạt", "en": "yes"},
    "template.flag_not_met": {"vi": "Chưa đạt", "en": "no"},
    "template.invalid_title": {"vi": "Giá trị không hợp lệ", "en": "Invalid value"},
    "template.invalid_value": {"vi": "Hãy chọn một trong: {values}.", "en": "Choose one of: {values}."},
    # What a column of the template holds (`Column.guide`, else its kind); {n} and {decision}: the year's
    # criteria set.
    "template.kind_year": {"vi": "năm báo cáo, 4 chữ số (ví dụ 2026)", "en": "reporting year, 4 digits (e.g. 2026)"},
    "template.kind_households": {"vi": "số hộ, số nguyên ≥ 0", "en": "number of households, a whole number ≥ 0"},
    "template.kind_people": {"vi": "số người, số nguyên ≥ 0", "en": "number of people, a whole number ≥ 0"},
    "template.kind_recognition_year": {"vi": "năm được công nhận đạt chuẩn NTM, 4 chữ số (để trống nếu chưa đạt)",
                                       "en": "year the commune was recognised NTM, 4 digits (empty if not recognised)"},
    "template.kind_criteria_met": {"vi": "số tiêu chí đạt, từ 0 đến {n} (bộ tiêu chí {decision})",
                                   "en": "number of criteria met, 0 to {n} (criteria set {decision})"},
    "template.kind_commune_group": {"vi": "nhóm xã theo bộ tiêu chí {decision}",
                                    "en": "commune group under criteria set {decision}"},
    "template.criteria_set_choice": {"vi": "{decision} ({n} tiêu chí)", "en": "{decision} ({n} criteria)"},
    "template.kind_code": {"vi": "mã GSO 5 chữ số, giữ số 0 ở đầu (02566)",
                           "en": "5-digit GSO code, leading zeros kept (02566)"},
    "template.kind_text": {"vi": "chữ (đối chiếu với mã)", "en": "text (checked against the code)"},
    "template.kind_income": {"vi": "số thập phân ≥ 0 (triệu đồng/người/năm)",
                             "en": "decimal ≥ 0 (million VND per person per year)"},
    "template.kind_decimal": {"vi": "số thập phân ≥ 0, giữ {decimals} chữ số sau dấu thập phân",
                              "en": "decimal ≥ 0, kept to {decimals} decimal places"},
    "template.kind_status": {"vi": "mức đạt chuẩn NTM", "en": "NTM status"},
    "template.kind_criterion": {"vi": "tiêu chí đạt hay chưa (cũng nhận 1 / 0, x)",
                                "en": "whether the criterion is met (1 / 0, x also read)"},
    "template.kind_flag": {"vi": "đạt hay chưa (cũng nhận Có / Không, 1 / 0, x)",
                           "en": "met or not (Có / Không, 1 / 0, x also read)"},
    "template.kind_set": {"vi": "bộ tiêu chí NTM (để trống: bộ tiêu chí của năm báo cáo)",
                          "en": "NTM criteria set (empty: the reporting year's set)"},
    "template.kind_choice": {"vi": "một giá trị trong danh sách", "en": "one value of the list"},
    "poverty_standard.invalid": {"vi": "Chuẩn nghèo không hợp lệ. Hãy dùng một trong: {standards} (hoặc để trống để "
                                       "theo chuẩn quốc gia của năm).",
                                 "en": "Unknown poverty standard. Use one of: {standards} (or leave it empty for "
                                       "the year's national standard)."},
    "poverty_standard.mixed": {"vi": "Chuẩn nghèo khác với phần còn lại của tệp ({standard}). Mỗi tệp chỉ theo một "
                                     "chuẩn nghèo; hãy sửa lại.",
                               "en": "The poverty standard differs from the rest of the file ({standard}). A file "
                                     "follows one standard; correct it."},
    "poverty_standard.year": {"vi": "Chuẩn nghèo này dùng cho kết quả rà soát các năm {first}–{last}, không dùng "
                                    "cho rà soát năm {year}. Hãy dùng {expected} hoặc để trống cột Chuẩn nghèo.",
                              "en": "This poverty standard measures the reviews of {first}–{last}, not the review of "
                                    "{year}. Use {expected} or leave the poverty-standard column empty."},
    "poverty_standard.year_unconfirmed": {"vi": "Tệp ghi chuẩn {value} cho rà soát năm {year}; phần mềm coi rà soát "
                                                "năm {year} theo {expected} (chưa xác nhận). Số liệu "
                                                "được ghi theo chuẩn tệp đã ghi; hãy kiểm tra lại nếu không đúng.",
                                          "en": "The file names {value} for the review of {year}; the product takes "
                                                "the review of {year} as under {expected} (unconfirmed). "
                                                "The figures are recorded under the standard the file names; check "
                                                "it if that is wrong."},
    "poverty_standard.assumed": {"vi": "Tệp không có cột Chuẩn nghèo: số liệu rà soát năm {year} được ghi theo "
                                       "{standard} (mức {rural} / {urban} đồng/người/tháng, nông thôn / thành thị) — "
                                       "chưa xác nhận rà soát năm {year} dùng chuẩn này. Nếu tệp theo chuẩn khác, "
                                       "hãy thêm cột Chuẩn nghèo.",
                                 "en": "The file has no poverty-standard column: the figures of the {year} review "
                                       "are recorded under {standard} (lines VND {rural} / {urban} "
                                       "per person per month, rural / urban) — unconfirmed that the {year} review uses it. "
                                       "If the file follows another standard, add a poverty-standard column."},
    "poverty_standard.other_province": {"vi": "Đây là chuẩn nghèo riêng của tỉnh mã {province}; xã này thuộc tỉnh "
                                              "khác. Hãy dùng {national} cho xã này.",
                                        "en": "This is the own poverty standard of province {province}; this "
                                              "commune is in another province. Use {national} for it."},
    "poverty_standard.local_available": {"vi": "Tỉnh mã {value} có chuẩn nghèo riêng {first}–{last} ({standard}). "
                                               "Tệp không có cột Chuẩn nghèo nên số liệu được ghi theo chuẩn quốc "
                                               "gia {national}. Nếu số hộ nghèo trong tệp tính theo chuẩn của tỉnh, "
                                               "hãy thêm cột Chuẩn nghèo = {standard}.",
                                         "en": "Province {value} has its own poverty standard {first}–{last} "
                                               "({standard}). The file has no poverty-standard column, so its "
                                               "figures are recorded under the national standard {national}. If the "
                                               "poor households in the file follow the province's standard, add a "
                                               "poverty-standard column = {standard}."},
    "column.poverty_standard": {"vi": "Chuẩn nghèo", "en": "poverty_standard"},
    "template.kind_standard": {"vi": "chuẩn nghèo mà số liệu áp dụng (để trống: chuẩn quốc gia của năm)",
                               "en": "poverty standard the figures follow (empty: the year's national standard)"},
    "history.demo_file": {"vi": "Dữ liệu minh họa (tạo tự động){new}", "en": "Demo data (generated){new}"},
    "history.demo_new_units": {"vi": ", trên đơn vị hành chính mới", "en": ", on the new units"},
    "upload.history_more": {"vi": "… và {n} lô nhập cũ hơn (có trong tệp CSV tải xuống).",
                            "en": "… and {n} older batches (in the CSV download)."},
    "read.too_many_rows": {"vi": "Tệp có hơn {limit} dòng — nhiều hơn số xã của cả nước. Mỗi tệp là số liệu một "
                                 "năm, mỗi xã một dòng; hãy kiểm tra lại tệp (có thể bị chép lặp) hoặc tách theo "
                                 "tỉnh.",
                           "en": "The file has more than {limit} rows — more than the country has communes. A file "
                                 "is one year, one row per commune; check the file (rows may be repeated) or split "
                                 "it by province."},
    "read.too_many_columns": {"vi": "Tệp có hơn {limit} cột, nhiều hơn mọi mẫu số liệu năm. Hãy dùng tệp mẫu (nút "
                                    "“Tải tệp mẫu” trên trang Tải lên, hoặc lệnh `python -m ntm template`) hoặc xóa "
                                    "các cột thừa.",
                              "en": "The file has more than {limit} columns, more than any yearly template. Use the "
                                    "template (the “Download the template” button on the upload page, or `python -m "
                                    "ntm template`) or delete the extra columns."},
    "read.cell_too_large": {"vi": "Tệp có ô dài hơn {limit} ký tự (giới hạn của Excel). Hãy kiểm tra ô bị dán nhầm "
                                  "nội dung dài rồi lưu lại.",
                            "en": "The file has a cell longer than {limit} characters (Excel's own limit). Find the "
                                  "cell with pasted long text and save again."},
    "read.unpacked_too_large": {"vi": "Tệp Excel khi giải nén lớn hơn {limit_mb} MB — quá lớn cho số liệu một năm. "
                                      "Hãy lưu lại chỉ với trang số liệu, hoặc xuất ra CSV.",
                                "en": "Unpacked, the workbook is larger than {limit_mb} MB — too large for a year's "
                                      "figures. Save it with the data sheet only, or export it as CSV."},
    "boundary.too_nested": {"vi": "Tệp GeoJSON có cấu trúc lồng nhau quá sâu, không phải ranh giới hành chính hợp "
                                  "lệ. Hãy xuất lại tệp từ phần mềm GIS (QGIS: Export → GeoJSON).",
                            "en": "The GeoJSON file is nested far too deeply to be administrative boundaries. "
                                  "Export it again from the GIS software (QGIS: Export → GeoJSON)."},
    "import.same_file": {"vi": "Tệp này giống hệt tệp đang dùng cho năm {year} (lô {batch}). Nhập lại sẽ tạo một lô "
                               "trùng lặp; chỉ tiếp tục nếu thật sự muốn nhập lại.",
                         "en": "This file is identical to the one in force for {year} (batch {batch}). Importing it "
                               "again creates a duplicate batch; go on only if you really mean to."},
    "boundary.no_crs": {"vi": "Tệp không khai báo hệ tọa độ (không có tệp .prj) và tọa độ không phải kinh/vĩ độ "
                              "(giữa các đối tượng: x = {x}, y = {y}). {hint}",
                        "en": "The file declares no coordinate system (no .prj file) and its coordinates are not "
                              "lon/lat (middle of the features: x = {x}, y = {y}). {hint}"},
    "boundary.crs_assumed": {"vi": "không khai báo — đọc như kinh/vĩ độ WGS 84",
                             "en": "none declared — read as WGS 84 lon/lat"},
    "boundary.crs_unusable": {"vi": "Không chuyển được tọa độ từ hệ {crs} của tệp sang kinh/vĩ độ. Hãy xuất lại tệp "
                                    "theo WGS 84 (EPSG:4326).",
                              "en": "The coordinates cannot be converted from the file's system {crs} to lon/lat. "
                                    "Export the file again in WGS 84 (EPSG:4326)."},
    "boundary.swapped_axes": {"vi": "Kinh độ và vĩ độ trong tệp bị đổi chỗ (hệ tọa độ đọc được: {crs}): các đối "
                                    "tượng rơi ngoài Việt Nam, nhưng sẽ nằm trong Việt Nam nếu đổi lại. Hãy xuất "
                                    "lại tệp với thứ tự kinh độ, vĩ độ (x = kinh độ).",
                              "en": "Longitude and latitude are swapped in the file (coordinate system read: "
                                    "{crs}): the features fall outside Vietnam, and inside it once swapped back. "
                                    "Export the file again with longitude first (x = longitude)."},
    "boundary.outside_vietnam": {"vi": "Các đối tượng của tệp nằm ngoài Việt Nam khi đọc theo hệ tọa độ {crs} (giữa "
                                       "các đối tượng, theo số trong tệp: x = {x}, y = {y}). {hint}",
                                 "en": "The file's features lie outside Vietnam when read in the coordinate system "
                                       "{crs} (middle of the features, as the file has it: x = {x}, y = {y}). "
                                       "{hint}"},
    "boundary.hint_metres_no_crs": {"vi": "Các số này tính bằng mét (như VN-2000 hoặc UTM): hãy gửi kèm tệp .prj "
                                          "hoặc xuất lại tệp theo WGS 84 (EPSG:4326).",
                                    "en": "These numbers are in metres (as in VN-2000 or UTM): include the .prj "
                                          "file or export the file again in WGS 84 (EPSG:4326)."},
    "boundary.outcome_misplaced": {"vi": "Sai vị trí — không lưu", "en": "Misplaced — not stored"},
    "boundary.note_misplaced": {"vi": "vùng vẽ ở {where}, xa {province} (tỉnh của đơn vị mang mã / tên này). Hãy "
                                      "kiểm tra mã hoặc tọa độ của đối tượng.",
                                "en": "drawn in {where}, far from {province} (the province of the unit with this "
                                      "code / name). Check the feature's code or coordinates."},
    "boundary.no_province": {"vi": "ngoài mọi tỉnh", "en": "no province"},
    "boundary.note_unmatched_outside": {"vi": "không nằm trong tỉnh nào của Việt Nam. Hãy kiểm tra tọa độ của đối "
                                              "tượng.",
                                        "en": "lies in no province of Vietnam. Check the feature's coordinates."},
    "upload.rollback_only_yours": {"vi": "Chỉ các lô tài khoản này được hoàn tác có trong danh sách ({n} lô khác thuộc "
                                         "tỉnh khác hoặc vai trò khác).",
                                   "en": "Only the batches this account may roll back are listed ({n} others belong to "
                                         "other provinces or roles)."},
    "history.provinces": {"vi": "Tỉnh", "en": "Provinces"},
    "history.command_line": {"vi": "{name} (dòng lệnh)", "en": "{name} (command line)"},
    "boundary.hint_elsewhere": {"vi": "Hãy kiểm tra đây có đúng là ranh giới ở Việt Nam, và khai báo hệ tọa độ của "
                                      "tệp (với Shapefile: gửi kèm tệp .prj).",
                                "en": "Check that these are boundaries in Vietnam, and declare the file's "
                                      "coordinate system (for a Shapefile: include the .prj file)."},
    "boundary.hint_degrees": {"vi": "Các số này là kinh/vĩ độ ở Việt Nam, nên hệ tọa độ khai báo trong tệp bị sai: "
                                    "hãy khai báo WGS 84 (EPSG:4326).",
                              "en": "These numbers are lon/lat in Vietnam, so the coordinate system the file "
                                    "declares is wrong: declare WGS 84 (EPSG:4326)."},
    "boundary.hint_check_crs": {"vi": "Hãy kiểm tra đây có đúng là ranh giới ở Việt Nam và hệ tọa độ khai báo trong "
                                      "tệp có đúng không.",
                                "en": "Check that these are boundaries in Vietnam and that the coordinate system "
                                      "the file declares is right."},
    "boundary.hint_metres_declared_degrees": {"vi": "Các số này tính bằng mét (như VN-2000 hoặc UTM) nhưng tệp khai "
                                                    "báo kinh/vĩ độ (tệp GeoJSON luôn được đọc như vậy). Hãy xuất "
                                                    "lại tệp theo WGS 84 (EPSG:4326), hoặc khai báo đúng hệ tọa độ "
                                                    "của các số này.",
                                              "en": "These numbers are in metres (as in VN-2000 or UTM) but the "
                                                    "file declares lon/lat (a GeoJSON file is always read so). "
                                                    "Export the file again in WGS 84 (EPSG:4326), or declare the "
                                                    "system these numbers are in."},
    "boundary.hint_metres": {"vi": "Các số này tính bằng mét nhưng không rơi vào Việt Nam theo hệ tọa độ đã khai "
                                   "báo: hãy kiểm tra hệ đó (VN-2000 có kinh tuyến trục riêng cho từng tỉnh).",
                             "en": "These numbers are in metres but do not fall in Vietnam in the declared "
                                   "coordinate system: check it (VN-2000 has a central meridian for each province)."},
    "read.formula_workbook": {"vi": "{n} ô của cột này (dòng {rows}) là công thức lấy số từ một sổ tính khác "
                                    "({source}); số lưu trong tệp là lần tính cuối cùng và có thể đã cũ. Hãy mở tệp "
                                    "trong Excel, cập nhật liên kết (Dữ liệu → Sửa liên kết), rồi sao chép và dán "
                                    "giá trị (Dán giá trị) trước khi tải lên.",
                              "en": "{n} cells of this column (rows {rows}) are formulas taking their numbers from "
                                    "another workbook ({source}); the numbers stored in the file are their last "
                                    "calculation and may be stale. Open the file in Excel, update the links (Data → "
                                    "Edit Links), then copy and paste as values before uploading."},
    "read.formula_web": {"vi": "{n} ô của cột này (dòng {rows}) là công thức lấy số từ Internet hoặc một nguồn trực "
                               "tuyến ({source}); số lưu trong tệp là lần tính cuối cùng và có thể đã cũ. Hãy kiểm "
                               "tra các số này, rồi sao chép và dán giá trị (Dán giá trị) trước khi tải lên.",
                         "en": "{n} cells of this column (rows {rows}) are formulas taking their numbers from the "
                               "Internet or a live source ({source}); the numbers stored in the file are their last "
                               "calculation and may be stale. Check them, then copy and paste as values before "
                               "uploading."},
    "read.formula_program": {"vi": "{n} ô của cột này (dòng {rows}) là công thức lấy số từ một chương trình khác "
                                   "({source}, liên kết DDE/OLE); số lưu trong tệp có thể đã cũ. Hãy kiểm tra các "
                                   "số này, rồi sao chép và dán giá trị (Dán giá trị) trước khi tải lên.",
                             "en": "{n} cells of this column (rows {rows}) are formulas taking their numbers from "
                                   "another program ({source}, a DDE/OLE link); the numbers stored in the file may "
                                   "be stale. Check them, then copy and paste as values before uploading."},
    "poverty_standard.other_system": {"vi": "Đây là chuẩn nghèo riêng của tỉnh mã {province} theo {system}, không "
                                            "phải của một tỉnh theo đơn vị của tệp này (mã tỉnh được dùng lại sau "
                                            "sắp xếp). Hãy dùng {national} cho xã này.",
                                      "en": "This is the own poverty standard of province {province} of {system}, "
                                            "not of a province of this file's units (province codes were reused by "
                                            "the reform). Use {national} for this commune."},
    "boundary.shapefile_parts": {"vi": "“{name}” chỉ là một phần của Shapefile. Hãy nén cả các tệp cùng tên (.shp, "
                                       ".shx, .dbf, .prj) thành một tệp .zip rồi tải lên tệp .zip đó.",
                                 "en": "“{name}” is only one part of a Shapefile. Zip the files of the same name "
                                       "(.shp, .shx, .dbf, .prj) together and upload the .zip."},
    "read.damaged": {"vi": "Tệp bị hỏng hoặc chưa được tải về đầy đủ nên không đọc được. Hãy gửi lại tệp: tải lại "
                           "tệp gốc, hoặc mở tệp gốc bằng Excel, lưu lại rồi tải lên.",
                     "en": "The file is damaged or was not fully downloaded, so it cannot be read. Send it again: "
                           "download the original again, or open the original in Excel, save it and upload it."},
    "read.damaged_after_row": {"vi": "Trang “{sheet}” chỉ đọc được đến dòng {row}; phần sau bị hỏng hoặc bị thiếu "
                                     "(tệp có thể chưa được tải về đầy đủ). Hãy gửi lại tệp: tải lại tệp gốc, hoặc "
                                     "mở tệp gốc bằng Excel, lưu lại rồi tải lên.",
                               "en": "Sheet “{sheet}” can be read only up to row {row}; what follows is damaged or "
                                     "missing (the file may not have been fully downloaded). Send it again: download "
                                     "the original again, or open the original in Excel, save it and upload it."},
    "read.xml_doctype": {"vi": "Phần “{part}” của tệp Excel có khai báo DOCTYPE — Excel không bao giờ ghi khai báo "
                               "này, và nó có thể khiến máy chủ lấy dữ liệu từ nơi khác — nên tệp không được đọc. "
                               "Hãy mở tệp bằng Excel, lưu lại thành .xlsx (hoặc CSV UTF-8) rồi gửi tệp đó.",
                         "en": "Part “{part}” of the Excel file declares a DOCTYPE — Excel never writes one, and it "
                               "could make the server fetch data from elsewhere — so the file was not read. Open the "
                               "file in Excel, save it as .xlsx (or CSV UTF-8) and send that file."},
    "boundary.damaged": {"vi": "Tệp “{file}” bị hỏng hoặc chưa được tải về đầy đủ nên không đọc được. Hãy gửi lại "
                               "tệp (tải lại, hoặc xuất / nén lại từ phần mềm GIS).",
                         "en": "“{file}” is damaged or was not fully downloaded, so it cannot be read. Send it again "
                               "(download it again, or export / zip it again from the GIS software)."},
    "boundary.damaged_part": {"vi": "Tệp “{file}” bị hỏng hoặc chưa được tải về đầy đủ: không giải nén được "
                                    "“{part}”. Hãy nén lại các tệp của lớp ranh giới (.shp, .shx, .dbf, .prj) rồi "
                                    "gửi tệp .zip mới.",
                              "en": "“{file}” is damaged or was not fully downloaded: “{part}” cannot be unpacked. "
                                    "Zip the layer's files (.shp, .shx, .dbf, .prj) again and send the new .zip."},
    "boundary.zip_unsupported": {"vi": "Không giải nén được “{part}” trong tệp “{file}”: tệp .zip được đặt mật khẩu "
                                       "hoặc nén theo cách không đọc được. Hãy nén lại các tệp, không đặt mật khẩu, "
                                       "bằng kiểu nén thông thường (ZIP), rồi gửi lại.",
                                 "en": "“{part}” in “{file}” cannot be unpacked: the .zip is password-protected or "
                                       "packed in a way that cannot be read. Zip the files again, without a password "
                                       "and with ordinary (ZIP) compression, and send that."},
    "boundary.crs_link": {"vi": "Tệp “{file}” không ghi hệ tọa độ trong tệp mà trỏ tới một địa chỉ trên Internet "
                                "({link}). Hệ thống không tải gì từ Internet nên không đọc tệp này. Hãy gửi kèm tệp "
                                ".prj của lớp, hoặc xuất lại tệp với mã EPSG của hệ tọa độ (ví dụ EPSG:4326 cho "
                                "kinh/vĩ độ WGS 84).",
                          "en": "“{file}” does not hold its coordinate system but points to one on the internet "
                                "({link}). Nothing is fetched from the internet, so the file was not read. Send the "
                                "layer's .prj file, or export the file again with the coordinate system's EPSG code "
                                "(e.g. EPSG:4326 for WGS 84 lon/lat)."},
    "boundary.shapefile_missing": {"vi": "Trong tệp “{file}”, Shapefile “{name}” thiếu {parts}. Một Shapefile gồm "
                                         "nhiều tệp cùng tên: .shp (hình), .shx (chỉ mục), .dbf (bảng thuộc tính với "
                                         "mã và tên đơn vị) và .prj (hệ tọa độ). Hãy nén đủ các tệp đó vào một tệp "
                                         ".zip rồi gửi lại.",
                                   "en": "In “{file}”, the Shapefile “{name}” lacks its {parts}. A Shapefile is "
                                         "several files of the same name: .shp (shapes), .shx (index), .dbf "
                                         "(attribute table with the units' codes and names) and .prj (coordinate "
                                         "system). Zip all of them together and send the .zip again."},
    "upload.boundary_no_join": {"vi": "Không tìm thấy cột mã hoặc cột tên đơn vị để ghép (các cột trong tệp: "
                                      "{columns}). Hãy nhập tên cột chứa mã đơn vị vào ô “{box}” ở trên.",
                                "en": "No code or name column to join on was found (columns in the file: {columns}). "
                                      "Type the name of the column holding the unit codes in the “{box}” box above."},
}
