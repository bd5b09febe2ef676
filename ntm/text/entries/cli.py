"""The command line's own messages (the rest come from the other entry modules)."""

ENTRIES: dict[str, dict[str, str]] = {
    "cli.no_file": {"vi": "Không tìm thấy tệp {path}. Hãy kiểm tra đường dẫn.",
                    "en": "File {path} not found. Check the path."},
    "batch.unknown": {"vi": "Không có lô nhập số {batch}. Xem danh sách bằng lệnh `batches`.",
                      "en": "There is no import batch {batch}. List them with `batches`."},
    "cli.more_of_kind": {"vi": "… {n} cảnh báo cùng loại nữa (xem --json)",
                         "en": "… {n} more of the same (see --json)"},
    "cli.error_counts": {"vi": "Lỗi / cảnh báo: {errors} / {warnings}",
                         "en": "Errors / warnings: {errors} / {warnings}"},
    "cli.boundary_summary": {"vi": "Ghép theo {method} với {system}: {units} đơn vị có ranh giới — khớp {matched}, đổi "
                                   "tên/loại {renamed}, ghép từ phần sáp nhập {assembled}; không còn (đã sáp nhập) "
                                   "{dissolved}, thiếu phần {incomplete}, không khớp {unmatched}, nhập nhằng "
                                   "{ambiguous}, sai vị trí {misplaced} (đối tượng)",
                             "en": "Joined by {method} to {system}: {units} units get a boundary — matched {matched}, "
                                   "renamed/changed type {renamed}, assembled from merged parts {assembled}; no longer "
                                   "exist (merged) {dissolved}, parts missing {incomplete}, unmatched {unmatched}, "
                                   "ambiguous {ambiguous}, misplaced {misplaced} (features)"},
    "cli.boundary_overlap": {"vi": "  chồng lấn: {a} và {b}, {km2} km²", "en": "  overlap: {a} and {b}, {km2} km²"},
    "cli.boundary_repaired": {"vi": "  đã sửa {n} vùng không hợp lệ (tự cắt, vòng sai hướng)",
                              "en": "  repaired {n} invalid polygons (self-intersections, wrong ring order)"},
    "cli.dry_run_nothing_stored": {"vi": "Chạy thử: chưa lưu gì.", "en": "Dry run: nothing stored."},
    "cli.boundaries_stored": {"vi": "Đã lưu ranh giới của {n} đơn vị, mã lô {batch}.",
                              "en": "Stored the boundaries of {n} units, batch {batch}."},
    "cli.password": {"vi": "Mật khẩu", "en": "password"},
    "cli.password_again": {"vi": "Nhập lại", "en": "repeat"},
    "cli.passwords_differ": {"vi": "Mật khẩu không khớp", "en": "passwords differ"},
    "cli.already_rolled_back": {"vi": "Lô {batch} đã được hoàn tác trước đó; không có gì thay đổi.",
                                "en": "Batch {batch} was already rolled back; nothing changed."},
    "db.foreign": {"vi": "Tệp {path} không phải cơ sở dữ liệu của bảng điều khiển; không ghi đè. Hãy chọn tệp khác "
                         "(--db) hoặc dùng `init --force` nếu chắc chắn muốn tạo lại.",
                   "en": "{path} is not a dashboard database and was not overwritten. Choose another file (--db) or "
                         "run `init --force` if you really want to rebuild it."},
    "account.bad_name": {"vi": "Tên đăng nhập: 2–40 ký tự gồm chữ, số, dấu chấm, gạch ngang hoặc gạch dưới.",
                         "en": "User name: 2–40 letters, digits, dots, dashes or underscores."},
    "account.short_password": {"vi": "Mật khẩu cần ít nhất 8 ký tự.",
                               "en": "The password needs at least 8 characters."},
    "db.kept_previous": {"vi": "Kho dữ liệu trước khi dựng lại được giữ tại {path} ({batches} lô đã nhập). Để dùng lại "
                               "nó: đặt NTM_DB={path}.",
                         "en": "The store as it was before the rebuild is kept at {path} ({batches} imported "
                               "batches). To use it again: set NTM_DB={path}."},
    "store.unavailable": {"vi": "Không kết nối được kho dữ liệu {store}. Hãy kiểm tra máy chủ cơ sở dữ liệu đang chạy "
                                "và mạng tới nó, rồi thử lại; không có gì bị thay đổi.",
                          "en": "The data store {store} cannot be reached. Check that its database server is running "
                                "and reachable, then try again; nothing was changed."},
    "store.unavailable_missing": {"vi": "Chưa có kho dữ liệu {store}. Hãy tạo nó bằng `python -m ntm init`.",
                                  "en": "There is no data store {store} yet. Create it with `python -m ntm init`."},
    "store.copied": {"vi": "Đã sao chép {source} sang {target}: {tables} bảng, {rows} dòng — {batches} lô số liệu (kể "
                           "cả {rolled_back} lô đã hoàn tác), {boundaries} ranh giới đã tải lên, {accounts} tài khoản.",
                     "en": "Copied {source} to {target}: {tables} tables, {rows} rows — {batches} batches (including "
                           "{rolled_back} rolled back), {boundaries} uploaded boundaries, {accounts} accounts."},
    "store.changed_during_rebuild": {"vi": "Kho dữ liệu {store} vừa có số liệu mới trong lúc được sao lưu trước khi "
                                           "dựng lại; chưa dựng lại gì. Hãy chạy lại lệnh.",
                                     "en": "The store {store} received new figures while it was being copied aside "
                                           "before the rebuild; nothing was rebuilt. Run the command again."},
    "serve.no_nginx": {"vi": "Cần nginx để phục vụ nhiều tiến trình: hãy cài bằng `sudo apt-get install nginx`.",
                       "en": "nginx is needed to serve several processes: install it with `sudo apt-get install nginx`."},
    "serve.nginx_failed": {"vi": "nginx không khởi động được (cổng đã bị dùng, hoặc thiếu quyền); xem {log}. Các tiến "
                                 "trình bảng điều khiển đã được dừng.",
                           "en": "nginx did not start (the port is taken, or a permission is missing); see {log}. "
                                 "The dashboard processes were stopped."},
    "serve.replica_failed": {"vi": "Tiến trình bảng điều khiển trên cổng {port} không khởi động được; xem {log}. Không "
                                   "có gì được phục vụ.",
                             "en": "The dashboard process on port {port} did not start; see {log}. Nothing is "
                                   "served."},
    "store.not_empty": {"vi": "Kho đích {store} đã có dữ liệu; không sao chép đè lên. Hãy chọn một kho trống (một tệp "
                              "mới, hoặc một cơ sở dữ liệu PostgreSQL mới tạo).",
                        "en": "The target store {store} already holds data and was not copied over. Choose an empty "
                              "store (a new file, or a newly created PostgreSQL database)."},
    "store.earlier_unreadable": {"vi": "Không đọc được tệp cơ sở dữ liệu của phiên bản trước {path} ({reason}); tệp "
                                       "được giữ nguyên và kho dữ liệu chưa được tạo.",
                                 "en": "The earlier release's database file {path} could not be read ({reason}); the "
                                       "file is untouched and the store was not created."},
    "store.earlier_engine_missing": {"vi": "Tệp {path} do phiên bản trước tạo (DuckDB 2.0); để chuyển nó vào kho dữ "
                                           "liệu cần chạy `bash scripts/setup.sh` (cài DuckDB đọc tệp cũ). Tệp được "
                                           "giữ nguyên.",
                                     "en": "{path} was made by an earlier release (DuckDB 2.0); to bring it into the "
                                           "store run `bash scripts/setup.sh` (it installs the DuckDB that reads "
                                           "it). The file is untouched."},
    "db.ready": {"vi": "Kho dữ liệu đã sẵn sàng", "en": "store ready"},
    "db.built": {"vi": "Đã tạo kho dữ liệu", "en": "store built"},
    "db.too_new": {"vi": "Cơ sở dữ liệu được tạo bởi phiên bản mới hơn (bước cấu trúc {version}; phiên bản này biết "
                         "đến bước {known}). Hãy cập nhật bảng điều khiển; dữ liệu không bị thay đổi.",
                   "en": "The database was made by a newer release (schema step {version}; this release knows up to "
                         "{known}). Update the dashboard; nothing was changed."},
    "db.migrated": {"vi": "Đã cập nhật cấu trúc cơ sở dữ liệu (bước {steps}); mọi lô số liệu được giữ nguyên",
                    "en": "database schema updated (steps {steps}); every batch kept"},
    "cli.unknown_user": {"vi": "Không có tài khoản “{name}” trong kho dữ liệu {store}. Hãy dùng một tài khoản có sẵn, "
                               "tạo tài khoản bằng `python -m ntm user add {name} --role analyst --province MÃ_TỈNH`, "
                               "hoặc bỏ "
                               "--user để ghi tên người dùng hệ thống kèm “(dòng lệnh)”. Không có gì được ghi.",
                         "en": "There is no account “{name}” in the data store {store}. Use an existing account, "
                               "create it with `python -m ntm user add {name} --role analyst --province CODE`, or "
                               "leave out --user to "
                               "record the system user marked “(command line)”. Nothing was written."},
    "cli.unknown_user_name": {"vi": "Không có tài khoản “{name}”: tên này không dùng được cho tài "
                                    "khoản ({rule}). Hãy dùng một tài khoản có sẵn, hoặc bỏ --user để ghi tên người "
                                    "dùng hệ thống kèm “(dòng lệnh)”. Không có gì được ghi.",
                              "en": "There is no account “{name}”: no account can have this name ({rule}). "
                                    "Use an existing account, or leave out --user to record the system user marked "
                                    "“(command line)”. Nothing was written."},
    "cli.accounts_unreadable": {"vi": "Không đọc được tệp tài khoản {file} để đưa vào kho dữ liệu (không có quyền đọc, "
                                      "hoặc tệp hỏng). Hãy chạy lệnh bằng người dùng sở hữu tệp này, hoặc đặt "
                                      "NTM_USERS_FILE trỏ tới tệp tài khoản đúng. Không có gì được ghi.",
                                "en": "The accounts file {file} cannot be read to bring it into the data store (no "
                                      "permission, or the file is damaged). Run the command as the user who owns it, "
                                      "or point NTM_USERS_FILE at the right accounts file. Nothing was written."},
    "cli.user_added": {"vi": "Đã lưu tài khoản {name} vào kho dữ liệu {store}.",
                       "en": "Account {name} saved in the data store {store}."},
    "cli.users_imported": {"vi": "Đã đưa {n} tài khoản từ {file} vào kho dữ liệu {store} (tài khoản đã có được giữ "
                                 "nguyên).",
                           "en": "Brought {n} accounts from {file} into the data store {store} (accounts it already "
                                 "had are kept as they are)."},
}
