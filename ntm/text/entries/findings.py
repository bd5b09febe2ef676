"""The one-sentence findings of the meeting pack's slides (`finding.*`)."""

ENTRIES: dict[str, dict[str, str]] = {
    "finding.no_data": {"vi": "Chưa có số liệu năm {year}.", "en": "No figures for {year}."},
    "finding.overview": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}{change}; {recognised}/{rural} xã đạt chuẩn NTM "
                               "({share}); {risk} xã có nguy cơ bị thu hồi công nhận.",
                         "en": "{year}: poor rate {rate}{change}; {recognised} of {rural} communes recognised NTM "
                               "({share}); {risk} at risk of losing recognition."},
    "finding.overview_poverty": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}{change}.",
                                 "en": "{year}: poor rate {rate}{change}."},
    "finding.change_down": {"vi": ", giảm {pp} so với {year}", "en": ", down {pp} on {year}"},
    "finding.change_up": {"vi": ", tăng {pp} so với {year}", "en": ", up {pp} on {year}"},
    "finding.change_flat": {"vi": ", không đổi so với {year}", "en": ", unchanged on {year}"},
    "finding.ntm_status": {"vi": "Năm {year}: {recognised}/{rural} xã đạt chuẩn NTM ({share}){change}{levels}.",
                           "en": "{year}: {recognised} of {rural} communes recognised NTM ({share}){change}{levels}."},
    "finding.recognition_anew": {"vi": "Công nhận theo bộ tiêu chí này được tính lại từ đầu{label}, không so sánh "
                                       "với {n} xã đạt chuẩn năm {year} theo bộ tiêu chí cũ.",
                                 "en": "Recognition under these criteria starts anew{label}; it is not compared "
                                       "with the {n} communes recognised in {year} under the earlier criteria."},
    "finding.unconfirmed_rule": {"vi": " (quy tắc chưa xác nhận)", "en": " (unconfirmed rule)"},
    "finding.of_which": {"vi": "; trong đó {levels}", "en": "; of which {levels}"},
    "finding.level_count": {"vi": "{n} xã {level}", "en": "{n} {level}"},
    "finding.level_or_above": {"vi": "{n} xã đạt {level} trở lên", "en": "{n} {level} or above"},
    "finding.new_criteria_set": {"vi": "Từ năm {year} đánh giá theo {name}.",
                                 "en": "From {year} communes are assessed against {name}."},
    "finding.moves_across_sets": {"vi": "Năm {y1} đánh giá theo {name}: chỉ so sánh đạt hay chưa đạt chuẩn, không so "
                                        "sánh mức.",
                                  "en": "{y1} is assessed against {name}: only recognition compares, not levels."},
    "finding.more_communes": {"vi": ", tăng {n} xã so với {year}", "en": ", {n} more than in {year}"},
    "finding.fewer_communes": {"vi": ", giảm {n} xã so với {year}", "en": ", {n} fewer than in {year}"},
    "finding.same_communes": {"vi": ", bằng năm {year}", "en": ", as in {year}"},
    "finding.targets_due": {"vi": "{n} mục tiêu đến hạn năm {year}: đạt {met}, không đạt {not_met}{worst}{pending}.",
                            "en": "{n} target{s} due in {year}: {met} met, {not_met} not met{worst}{pending}."},
    "finding.targets_none_due": {"vi": "Không có mục tiêu đến hạn năm {year}{pending}.",
                                 "en": "No target falls due in {year}{pending}."},
    "finding.targets_worst": {"vi": " (xa nhất: {target}, {actual} so với {goal})",
                              "en": " (furthest: {target}, {actual} against {goal})"},
    "finding.targets_pending": {"vi": "; {n} mục tiêu đến hạn sau", "en": "; {n} due later"},
    "finding.targets_empty": {"vi": "Chưa có mục tiêu nào cho địa bàn này.",
                              "en": "No targets are set for this area."},
    "finding.moves": {"vi": "{y0} → {y1}: {up} xã lên mức cao hơn, {down} xã xuống mức thấp hơn{down_names}, "
                            "{revoked} xã bị thu hồi công nhận{revoked_names}.",
                      "en": "{y0} → {y1}: {up} commune{s} moved up a level, {down} moved down a level{down_names}, "
                            "{revoked} lost recognition{revoked_names}."},
    "finding.moves_names": {"vi": " ({names})", "en": " ({names})"},
    "finding.at_risk": {"vi": "{n} xã đã đạt chuẩn có nguy cơ bị thu hồi công nhận NTM năm {year}{key}.",
                        "en": "{n} recognised commune{s} at risk of losing NTM recognition in {year}{key}."},
    "finding.at_risk_key": {"vi": "; {k}/{n} xã không đạt tiêu chí then chốt {criterion}",
                            "en": "; {k} of {n} fail the key criterion {criterion}"},
    "finding.at_risk_none": {"vi": "Năm {year} không có xã nào có nguy cơ bị thu hồi công nhận NTM.",
                             "en": "In {year} no commune is at risk of losing NTM recognition."},
    "finding.departments": {"vi": "{department} phụ trách nhiều tiêu chí chưa đạt nhất: {cells} lượt ở {communes} "
                                  "xã (nhiều nhất {criterion}: {n} xã).",
                            "en": "{department} owns the most unmet criteria: {cells} case{s1} in {communes} "
                                  "commune{s2} (most often {criterion}: {n} commune{s3})."},
    "finding.departments_none": {"vi": "Năm {year} mọi xã đều đạt đủ các tiêu chí.",
                                 "en": "In {year} every commune meets all its criteria."},
    "finding.waterfall": {"vi": "Năm {year}: {escaped} hộ thoát nghèo, {fell_back} hộ tái nghèo, {newly} hộ nghèo "
                                "phát sinh; số hộ nghèo giảm từ {start} xuống {end} hộ.",
                          "en": "{year}: {escaped} household{s} escaped poverty, {fell_back} fell back, {newly} "
                                "newly poor; poor households went from {start} to {end}."},
    "finding.waterfall_up": {"vi": "Năm {year}: {escaped} hộ thoát nghèo, {fell_back} hộ tái nghèo, {newly} hộ "
                                   "nghèo phát sinh; số hộ nghèo tăng từ {start} lên {end} hộ.",
                             "en": "{year}: {escaped} household{s} escaped poverty, {fell_back} fell back, {newly} "
                                   "newly poor; poor households rose from {start} to {end}."},
    "finding.waterfall_gap": {"vi": " Chênh lệch chưa giải thích: {gap} hộ.",
                              "en": " Unexplained gap: {gap} households."},
    "finding.trend_one": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}, tỷ lệ hộ cận nghèo {near}.",
                          "en": "{year}: poor rate {rate}, near-poor rate {near}."},
    "finding.terrain": {"vi": "Năm {year} tỷ lệ hộ nghèo ở huyện miền núi là {m}, {cmp} các huyện khác ({o}).",
                        "en": "In {year} the poor rate in mountainous districts was {m}, {cmp} other districts "
                              "({o})."},
    "finding.terrain.commune": {"vi": "Năm {year} tỷ lệ hộ nghèo ở các xã miền núi là {m}, {cmp} các xã khác ({o}).",
                                "en": "In {year} the poor rate in mountainous communes was {m}, {cmp} other communes "
                                      "({o})."},
    "finding.terrain_higher": {"vi": "cao hơn {pp} so với", "en": "{pp} above"},
    "finding.terrain_lower": {"vi": "thấp hơn {pp} so với", "en": "{pp} below"},
    "finding.terrain_equal": {"vi": "bằng", "en": "equal to"},
    "finding.terrain_only_m": {"vi": "Toàn bộ địa bàn thuộc huyện miền núi: tỷ lệ hộ nghèo {m} năm {year}{change}.",
                               "en": "The whole area is mountainous: poor rate {m} in {year}{change}."},
    "finding.terrain_only_m.commune": {"vi": "Mọi xã của địa bàn là xã miền núi: tỷ lệ hộ nghèo {m} năm {year}{change}.",
                                       "en": "Every commune of the area is mountainous: poor rate {m} in {year}{change}."},
    "finding.terrain_only_o.commune": {"vi": "Địa bàn không có xã miền núi: tỷ lệ hộ nghèo {o} năm {year}.",
                                       "en": "The area has no mountainous commune: poor rate {o} in {year}."},
    "finding.terrain_only_o": {"vi": "Địa bàn không có huyện miền núi: tỷ lệ hộ nghèo {o} năm {year}.",
                               "en": "The area has no mountainous district: poor rate {o} in {year}."},
    "finding.reduction": {"vi": "Năm {year} {measure} giảm {pp} ({before} → {after}), {verdict}.",
                          "en": "In {year} the {measure} fell by {pp} ({before} → {after}), {verdict}."},
    "finding.reduction_rise": {"vi": "Năm {year} {measure} tăng {pp} ({before} → {after}), {verdict}.",
                               "en": "In {year} the {measure} rose by {pp} ({before} → {after}), {verdict}."},
    "finding.reduction_no_prev": {"vi": "Chưa có số liệu năm {prev} để tính mức giảm năm {year}.",
                                  "en": "No figures for {prev} to compute the reduction in {year}."},
    "finding.verdict_beat": {"vi": "vượt mục tiêu {band}", "en": "beating the target of {band}"},
    "finding.verdict_met": {"vi": "đạt mục tiêu {band}", "en": "meeting the target of {band}"},
    "finding.verdict_not_met": {"vi": "không đạt mục tiêu {band}", "en": "missing the target of {band}"},
    "finding.verdict_none": {"vi": "chưa có mục tiêu để so sánh", "en": "with no target to compare against"},
    "finding.measure.poor": {"vi": "tỷ lệ hộ nghèo", "en": "poor rate"},
    "finding.measure.em_poor": {"vi": "tỷ lệ hộ nghèo DTTS", "en": "ethnic-minority poor rate"},
    "finding.measure.poor_districts": {"vi": "tỷ lệ hộ nghèo ở các huyện nghèo", "en": "poor rate in poor districts"},
    "finding.ranking": {"vi": "{y0}–{y1}: {best} giảm nhiều nhất ({best_pp}), {worst} {worst_verb} ({worst_pp}); "
                              "{down}/{n} huyện giảm tỷ lệ hộ nghèo.",
                        "en": "{y0}–{y1}: {best} cut the poor rate most ({best_pp}), {worst} {worst_verb} "
                              "({worst_pp}); {down} of {n} districts reduced it."},
    "finding.ranking_least": {"vi": "giảm ít nhất", "en": "least"},
    "finding.ranking_rise": {"vi": "tăng", "en": "saw it rise"},
    "finding.ranking_one": {"vi": "{y0}–{y1}: {best} giảm {best_pp}.",
                            "en": "{y0}–{y1}: {best} reduced it by {best_pp}."},
    "finding.fallback": {"vi": "Năm {year} có {fell_back} hộ tái nghèo, bằng {share} số hộ thoát nghèo ({escaped} "
                               "hộ){prev}.",
                         "en": "In {year}, {fell_back} household{s} fell back into poverty, {share} of those that "
                               "escaped ({escaped}){prev}."},
    "finding.fallback_prev": {"vi": "; năm {year}: {share}", "en": "; {year}: {share}"},
    "finding.fallback_none": {"vi": "Năm {year} không có hộ thoát nghèo nào để so sánh; {fell_back} hộ tái nghèo.",
                              "en": "In {year} no household escaped poverty; {fell_back} fell back."},
    "finding.map": {"vi": "{metric} năm {year}: cao nhất {top} ({top_v}), thấp nhất {low} ({low_v}).",
                    "en": "{metric}, {year}: highest {top} ({top_v}), lowest {low} ({low_v})."},
    "finding.map_one": {"vi": "{metric} năm {year}: {top} {top_v}.", "en": "{metric}, {year}: {top} {top_v}."},
    "finding.trend_down": {"vi": "Tỷ lệ hộ nghèo giảm từ {first} ({y0}) xuống {last} ({y1}); tỷ lệ hộ cận nghèo "
                                 "{near} năm {y1}.",
                           "en": "The poor rate fell from {first} ({y0}) to {last} ({y1}); the near-poor rate was "
                                 "{near} in {y1}."},
    "finding.trend_up": {"vi": "Tỷ lệ hộ nghèo tăng từ {first} ({y0}) lên {last} ({y1}); tỷ lệ hộ cận nghèo {near} "
                               "năm {y1}.",
                         "en": "The poor rate rose from {first} ({y0}) to {last} ({y1}); the near-poor rate was "
                               "{near} in {y1}."},
    "finding.names_and_more": {"vi": "{names} và {n} xã khác", "en": "{names} and {n} more"},
    "finding.moves_reset": {"vi": "{n} xã đã đạt chuẩn giai đoạn trước chưa được công nhận lại theo bộ tiêu chí mới "
                                  "(không phải bị thu hồi).",
                            "en": "{n} communes recognised in the previous period are not yet recognised under the "
                                  "new criteria (not a revocation)."},
    "finding.across_break": {"vi": " Qua lần đổi chuẩn nghèo năm {year} ({before} → {after}): không so sánh trực tiếp.",
                             "en": " Across the new poverty standard of {year} ({before} → {after}): not directly "
                                   "comparable."},
    "finding.change_break": {"vi": " (theo {after}; năm {year} theo {before}, đổi chuẩn nghèo nên không so sánh "
                                   "trực tiếp)",
                             "en": " (under {after}; {year} was under {before}: a new poverty standard, so not "
                                   "directly comparable)"},
    "finding.trend_before": {"vi": " Theo {after} từ năm {y1}; trước đó theo {before}: {first} ({y0}) → {last} "
                                   "({y_end}) — hai chuẩn nghèo không so sánh trực tiếp.",
                             "en": " Under {after} from {y1}; before that, under {before}: {first} ({y0}) → {last} "
                                   "({y_end}) — the two standards do not compare directly."},
    "finding.trend_before_one": {"vi": " Theo {after} từ năm {y1}; trước đó, năm {y0} theo {before}: {first} — hai chuẩn "
                                       "nghèo không so sánh trực tiếp.",
                                 "en": " Under {after} from {y1}; before that, {y0} under {before}: {first} — the two "
                                       "standards do not compare directly."},
    "finding.waterfall_break": {"vi": " Đây là lần rà soát đầu tiên theo {after}: hộ nghèo đầu năm tính theo {before}, "
                                      "nên các luồng gồm cả thay đổi do đổi chuẩn nghèo.",
                                "en": " This is the first review under {after}: the start-of-year poor were counted "
                                      "under {before}, so the flows include the change of standard."},
    "finding.reduction_break": {"vi": "Năm {year} {measure} là {after_rate} (theo {after}), năm {prev} là {before_rate} "
                                      "(theo {before}): đổi chuẩn nghèo nên mức thay đổi không so sánh trực tiếp và "
                                      "không đối chiếu với mục tiêu{band}.",
                                "en": "In {year} the {measure} was {after_rate} (under {after}), in {prev} "
                                      "{before_rate} (under {before}): a new poverty standard, so the change is not "
                                      "directly comparable and is not held against the target{band}."},
    "finding.reduction_break_band": {"vi": " {band}", "en": " of {band}"},
    "finding.targets_break": {"vi": " {n} mục tiêu giảm nghèo năm {year} so với năm {prev} theo chuẩn khác ({before} → "
                                    "{after}): không so sánh trực tiếp, không tính đạt hay không đạt.",
                              "en": " {n} poverty-reduction target{s} of {year} compare{s2} with {prev} under another "
                                    "standard ({before} → {after}): not directly comparable, counted neither met nor "
                                    "missed."},
    "finding.baseline": {"vi": "Năm {year} là lần rà soát đầu tiên theo {standard}, số liệu đầu kỳ của chuẩn nghèo "
                                "mới: hộ nghèo, hộ cận nghèo được xác định lại theo chuẩn này; không tính hộ thoát "
                                "nghèo, tái nghèo, phát sinh vì không so sánh qua hai chuẩn nghèo.",
                         "en": "{year} is the first review under {standard}, the baseline of the new poverty "
                               "standard: poor and near-poor households were re-measured under it; no households "
                               "escaping, falling back or newly poor are counted, as flows are not compared across "
                               "two standards."},
    "finding.no_flows": {"vi": "Số liệu năm {year} không báo cáo hộ thoát nghèo, tái nghèo, phát sinh.",
                         "en": "The figures of {year} report no households escaping, falling back or newly poor."},
    "finding.waterfall_baseline": {"vi": "Năm {year} là lần rà soát đầu tiên theo {standard}, số liệu đầu kỳ: {end} hộ "
                                         "nghèo theo chuẩn mới (cuối năm {prev}: {start} hộ theo {before}); không tính "
                                         "hộ thoát nghèo, tái nghèo, phát sinh qua hai chuẩn nghèo.",
                                   "en": "{year} is the first review under {standard}, a baseline: {end} poor "
                                         "households under the new standard ({start} at the end of {prev} under "
                                         "{before}); no households escaping, falling back or newly poor are counted "
                                         "across two standards."},
}
