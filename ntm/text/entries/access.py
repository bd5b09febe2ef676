"""Roles, what they allow, refusals and account changes (`ntm.domain.roles`, `ntm.store.access`)."""

ENTRIES: dict[str, dict[str, str]] = {
    "role.viewer": {"vi": "người xem", "en": "viewer"},
    "role.analyst": {"vi": "cán bộ nhập liệu tỉnh", "en": "province analyst"},
    "role.coordinator": {"vi": "điều phối viên", "en": "coordinator"},
    "role.admin": {"vi": "quản trị viên", "en": "administrator"},
    "role.operator": {"vi": "người vận hành máy chủ (dòng lệnh)", "en": "server operator (command line)"},
    "action.figures": {"vi": "nhập hoặc hoàn tác số liệu hằng năm", "en": "import or roll back yearly figures"},
    "action.boundaries": {"vi": "tải lên hoặc hoàn tác ranh giới", "en": "upload or roll back boundaries"},
    "action.unit_attributes": {"vi": "tải lên hoặc hoàn tác thuộc tính đơn vị",
                               "en": "upload or roll back unit attributes"},
    "action.targets": {"vi": "tải lên hoặc hoàn tác chỉ tiêu", "en": "upload or roll back targets"},
    "action.accounts": {"vi": "quản lý tài khoản", "en": "manage accounts"},
    "action.audit": {"vi": "xem nhật ký thao tác", "en": "view the audit log"},
    "action.status": {"vi": "xem tình hình báo cáo", "en": "view the reporting status"},
    "access.not_your_province": {
        "vi": "Tài khoản {name} ({role}) không được {action} của {provinces}: đây là số liệu của tỉnh khác. Những người "
              "được thay đổi: {who} (vai trò được phép: {roles}). Tài khoản {name} được giao: {own}. Không có gì "
              "được ghi.",
        "en": "Account {name} ({role}) may not {action} of {provinces}: that is another province's data. Who may "
              "change it: {who} (roles allowed: {roles}). {name} is assigned: {own}. Nothing was written."},
    "access.not_your_role": {
        "vi": "Tài khoản {name} ({role}) không được {action}; việc này dành cho {roles} (tài khoản: {who}). Không có "
              "gì được ghi.",
        "en": "Account {name} ({role}) may not {action}; that is for {roles} (accounts: {who}). Nothing was "
              "written."},
    "access.not_your_role_to_read": {
        "vi": "Tài khoản {name} ({role}) không được {action}; việc này dành cho {roles}.",
        "en": "Account {name} ({role}) may not {action}; that is for {roles}."},
    "access.no_account": {
        "vi": "“{name}” không phải là tài khoản của kho dữ liệu này (có thể vừa bị xóa). Hãy đăng nhập lại bằng tài "
              "khoản khác; không có gì được ghi.",
        "en": "“{name}” is not an account of this data store (it may just have been removed). Sign in with another "
              "account; nothing was written."},
    "account.unknown_role": {"vi": "Không có vai trò “{role}”; hãy chọn một trong: {roles}.",
                             "en": "There is no role “{role}”; choose one of: {roles}."},
    "account.provinces_not_for_role": {"vi": "Vai trò {role} làm việc với mọi tỉnh: không giao tỉnh cho vai trò này.",
                                       "en": "The {role} role works with every province: assign it no province."},
    "account.needs_province": {"vi": "Cán bộ nhập liệu tỉnh cần được giao ít nhất một tỉnh (mã 2 chữ số, ví dụ "
                                     "--province 51).",
                               "en": "A province analyst needs at least one province (a 2-digit code, e.g. "
                                     "--province 51)."},
    "account.unknown_province": {"vi": "Không có tỉnh mã {codes} trong danh mục đơn vị hành chính (trước hoặc sau "
                                       "sắp xếp năm 2025).",
                                 "en": "There is no province with code {codes} in the unit list (before or after "
                                       "the 2025 reform)."},
    "account.unknown": {"vi": "Không có tài khoản “{name}”.", "en": "There is no account “{name}”."},
    "change.created": {"vi": "tạo tài khoản", "en": "account created"},
    "change.password_reset": {"vi": "đặt lại mật khẩu", "en": "password reset"},
    "change.role_changed": {"vi": "đổi vai trò hoặc tỉnh", "en": "role or provinces changed"},
    "change.removed": {"vi": "xóa tài khoản", "en": "account removed"},
    "change.brought_in": {"vi": "chuyển từ tệp tài khoản cũ", "en": "brought in from an earlier users file"},
    "change.by_store": {"vi": "kho dữ liệu (nâng cấp)", "en": "the store (upgrade)"},
    "cli.user_changed": {"vi": "Tài khoản {name}: {role}{provinces}.", "en": "Account {name}: {role}{provinces}."},
    "cli.user_removed": {"vi": "Đã xóa tài khoản {name} (các lô đã nhập vẫn giữ tên này).",
                         "en": "Account {name} removed (the batches it imported keep its name)."},
}

ENTRIES.update({
    "reporting.title": {"vi": "Tình hình báo cáo số liệu năm {year}", "en": "Reporting status, {year}"},
    "reporting.missing_title": {"vi": "Đơn vị chưa có số liệu năm {year}", "en": "Units without figures for {year}"},
    "reporting.headline": {"vi": "{complete}/{total} tỉnh đủ số liệu · {partial} tỉnh còn thiếu · {none} tỉnh chưa báo "
                              "cáo · hạn {deadline} · {system}",
                        "en": "{complete} of {total} provinces complete · {partial} partial · {none} not reported · "
                              "due {deadline} · {system}"},
    "reporting.sheet_provinces": {"vi": "Theo tỉnh", "en": "By province"},
    "reporting.sheet_missing": {"vi": "Đơn vị còn thiếu", "en": "Missing units"},
    "reporting.col_code": {"vi": "Mã", "en": "Code"},
    "reporting.col_province": {"vi": "Tỉnh", "en": "Province"},
    "reporting.col_communes": {"vi": "Xã đã báo cáo", "en": "Communes reported"},
    "reporting.col_wards": {"vi": "Phường, thị trấn, đặc khu đã báo cáo", "en": "Wards, towns, special zones reported"},
    "reporting.col_missing": {"vi": "Còn thiếu", "en": "Missing"},
    "reporting.col_completeness": {"vi": "Mức đầy đủ", "en": "Completeness"},
    "reporting.col_timeliness": {"vi": "So với hạn", "en": "Deadline"},
    "reporting.col_files": {"vi": "Số tệp đã nhập", "en": "Files imported"},
    "reporting.col_rolled_back": {"vi": "Tệp đã hoàn tác", "en": "Files rolled back"},
    "reporting.col_warnings": {"vi": "Cảnh báo đã xác nhận", "en": "Warnings acknowledged"},
    "reporting.col_last_import": {"vi": "Lần nhập gần nhất", "en": "Last import"},
    "reporting.col_last_by": {"vi": "Người nhập", "en": "Imported by"},
    "reporting.col_unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "reporting.col_unit_name": {"vi": "Tên đơn vị", "en": "Unit"},
    "reporting.col_unit_kind": {"vi": "Loại", "en": "Kind"},
    "reporting.kind_commune": {"vi": "xã", "en": "commune"},
    "reporting.kind_ward": {"vi": "phường / thị trấn / đặc khu", "en": "ward / town / special zone"},
    "reporting.complete": {"vi": "đủ", "en": "complete"},
    "reporting.partial": {"vi": "còn thiếu", "en": "partial"},
    "reporting.none": {"vi": "chưa báo cáo", "en": "not reported"},
    "reporting.on_time": {"vi": "đúng hạn", "en": "on time"},
    "reporting.late": {"vi": "trễ hạn", "en": "late"},
    "reporting.not_yet": {"vi": "chưa đến hạn", "en": "not yet due"},
})

ENTRIES.update({
    "audit.title": {"vi": "Nhật ký thao tác", "en": "Audit log"},
    "audit.import": {"vi": "nhập", "en": "import"},
    "audit.rollback": {"vi": "hoàn tác", "en": "rollback"},
    "audit.kind_account": {"vi": "tài khoản", "en": "account"},
    "audit.col_at": {"vi": "Thời điểm", "en": "When"},
    "audit.col_by": {"vi": "Người thực hiện", "en": "By"},
    "audit.col_event": {"vi": "Việc", "en": "Event"},
    "audit.col_kind": {"vi": "Loại dữ liệu", "en": "Data"},
    "audit.col_year": {"vi": "Năm", "en": "Year"},
    "audit.col_provinces": {"vi": "Tỉnh", "en": "Provinces"},
    "audit.col_file": {"vi": "Tệp", "en": "File"},
    "audit.col_batch": {"vi": "Lô", "en": "Batch"},
    "audit.col_account": {"vi": "Tài khoản", "en": "Account"},
})

ENTRIES.update({
    "reporting.map_title": {"vi": "Mức đầy đủ số liệu năm {year} theo tỉnh", "en": "Completeness of the {year} figures by province"},
    "reporting.map_tooltip": {"vi": "{reported}/{expected} đơn vị ({share}) · {completeness} · {timeliness}",
                              "en": "{reported} of {expected} units ({share}) · {completeness} · {timeliness}"},
})

ENTRIES.update({
    "reporting.year": {"vi": "Năm báo cáo", "en": "Reporting year"},
    "reporting.year_help": {"vi": "Năm của số liệu (kỳ rà soát cuối năm). Hạn nộp do văn phòng điều phối đặt: xem "
                                  "ô Hạn nộp bên dưới.",
                            "en": "The year of the figures (the end-of-year review). The deadline is set by the "
                                  "coordination office: see Deadline below."},
    "reporting.tab_status": {"vi": "Theo tỉnh", "en": "By province"},
    "reporting.metric_complete": {"vi": "Tỉnh đủ số liệu", "en": "Provinces complete"},
    "reporting.metric_partial": {"vi": "Tỉnh còn thiếu", "en": "Provinces partial"},
    "reporting.metric_none": {"vi": "Tỉnh chưa báo cáo", "en": "Provinces not reported"},
    "reporting.deadline": {"vi": "Hạn nộp", "en": "Deadline"},
    "reporting.download_xlsx": {"vi": "Tải bảng tình hình báo cáo (XLSX)", "en": "Download the reporting status (XLSX)"},
    "reporting.missing_heading": {"vi": "Đơn vị còn thiếu số liệu", "en": "Units still without figures"},
    "reporting.none_missing": {"vi": "Mọi đơn vị đã có số liệu năm {year}.", "en": "Every unit has figures for {year}."},
    "reporting.missing_province": {"vi": "Tỉnh", "en": "Province"},
    "reporting.n_missing": {"vi": "thiếu {n} đơn vị", "en": "units missing: {n}"},
    "audit.filter_by": {"vi": "Người thực hiện", "en": "By"},
    "audit.filter_event": {"vi": "Việc", "en": "Events"},
    "audit.filter_province": {"vi": "Tỉnh", "en": "Province"},
    "audit.anyone": {"vi": "Mọi người", "en": "Anyone"},
    "audit.any_event": {"vi": "Mọi việc", "en": "Every event"},
    "audit.all_provinces": {"vi": "Mọi tỉnh", "en": "Every province"},
    "audit.filter_dates": {"vi": "Từ ngày – đến ngày", "en": "From – to"},
    "audit.count": {"vi": "{n} trong {total} thao tác", "en": "{n} of {total} events"},
})

ENTRIES.update({
    "pack.failed_unexpected": {"vi": "lỗi khi tạo báo cáo ({error}); các tỉnh khác vẫn được tạo. Hãy gửi thông báo này "
                                     "cho người vận hành.",
                               "en": "the pack failed ({error}); the other provinces were built. Send this message to "
                                     "the operator."},
    "pack.every_done": {"vi": "Đã tạo {built}/{total} báo cáo trong {folder} ({seconds} giây).",
                        "en": "Built {built} of {total} packs in {folder} ({seconds} s)."},
    "pack.every_failed": {"vi": "Không tạo được {code} {name}: {error}", "en": "Not built, {code} {name}: {error}"},
    "cli.pack_needs_unit": {"vi": "Hãy chọn đơn vị (--unit, ví dụ --unit 51) hoặc --all-provinces.",
                            "en": "Name a unit (--unit, e.g. --unit 51) or --all-provinces."},
    "pack.every_none": {"vi": "Năm {year} chưa tỉnh nào có số liệu: không có báo cáo nào để tạo.",
                        "en": "No province has figures for {year}: there is no pack to build."},
})

ENTRIES.update({
    "accounts.title": {"vi": "Tài khoản", "en": "Accounts"},
    "accounts.role": {"vi": "Vai trò", "en": "Role"},
    "accounts.provinces": {"vi": "Tỉnh phụ trách", "en": "Provinces"},
    "accounts.provinces_help": {"vi": "Chỉ cho cán bộ nhập liệu tỉnh", "en": "Province analysts only"},
    "accounts.created": {"vi": "Ngày tạo", "en": "Created"},
    "accounts.old_province": {"vi": "{name} ({code}, tỉnh cũ: chỉ số liệu trước 1/7/2025)",
                              "en": "{name} ({code}, old province: figures before 1 July 2025 only)"},
    "accounts.form_help": {"vi": "Tạo tài khoản hoặc đặt lại mật khẩu (điền mật khẩu mới); để trống mật khẩu để chỉ "
                                 "đổi vai trò và tỉnh. Mọi thay đổi được ghi vào nhật ký.",
                           "en": "Create an account or reset its password (type a new one); leave the password empty to "
                                 "change only the role and provinces. Every change is kept in the audit log."},
    "accounts.password_help": {"vi": "Ít nhất 8 ký tự; được lưu dưới dạng băm Argon2id.",
                               "en": "At least 8 characters; stored as an Argon2id hash."},
    "accounts.save": {"vi": "Lưu tài khoản", "en": "Save the account"},
    "accounts.saved": {"vi": "Đã lưu tài khoản {name}.", "en": "Account {name} saved."},
    "accounts.remove_choose": {"vi": "Xóa tài khoản", "en": "Remove an account"},
    "accounts.remove_sure": {"vi": "Tôi chắc chắn muốn xóa tài khoản {name}", "en": "I am sure I want to remove {name}"},
    "accounts.remove": {"vi": "Xóa", "en": "Remove"},
})

ENTRIES.update({
    "action.packs": {"vi": "tạo báo cáo giao ban của mọi tỉnh", "en": "build every province's meeting pack"},
    "reporting.packs_heading": {"vi": "Báo cáo giao ban của mọi tỉnh", "en": "Every province's meeting pack"},
    "reporting.packs_build": {"vi": "Tạo {n} báo cáo giao ban năm {year} (mỗi tỉnh có số liệu một tệp)",
                              "en": "Build {n} meeting packs for {year} (one file per province with figures)"},
    "reporting.packs_progress": {"vi": "Đang tạo báo cáo {i}/{n}: {name}", "en": "Building pack {i} of {n}: {name}"},
    "reporting.packs_built": {"vi": "Đã tạo {built}/{total} báo cáo.", "en": "Built {built} of {total} packs."},
    "reporting.packs_download": {"vi": "Tải các báo cáo (ZIP)", "en": "Download the packs (ZIP)"},
})
