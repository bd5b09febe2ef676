"""What each kind of target measures (`target.<metric>`), with the level it asks for as `{level}`, and
what a targets file may give it (`target.value.<shape>`, the year, the range)."""

ENTRIES: dict[str, dict[str, str]] = {
    "target.commune_share_at_level": {"vi": "Tỷ lệ xã {level} trở lên",
                                      "en": "Share of communes at {level} or above"},
    "target.share_of_ntm_at_level": {"vi": "Tỷ lệ xã {level} trở lên / số xã đạt chuẩn NTM",
                                     "en": "Communes at {level} or above, share of NTM communes"},
    "target.communes_at_level": {"vi": "Số xã {level} trở lên", "en": "Communes at {level} or above"},
    "target.ntm_maintained_share": {"vi": "Tỷ lệ xã NTM duy trì đủ 19 tiêu chí",
                                    "en": "NTM communes maintaining all 19 criteria"},
    "target.district_status": {"vi": "Huyện {level}", "en": "District reaches {level}"},
    "target.communes_reaching_level": {"vi": "Số xã đạt {level} mới trong năm",
                                       "en": "Communes newly reaching {level}"},
    "target.commune_status": {"vi": "Xã {level}", "en": "Commune reaches {level}"},
    # {measure}: the rate's one name (`rate.<key>`), {unit}: what it is a per cent of.
    "target.poor_rate_reduction_pp": {"vi": "Giảm {measure}", "en": "Reduction of the {measure}"},
    "target.em_poor_rate_reduction_pp": {"vi": "Giảm {measure}", "en": "Reduction of the {measure}"},
    "target.em_area_poor_rate_max": {"vi": "{measure} ({unit}), tối đa", "en": "{measure} ({unit}), at most"},
    "target.provinces_completing_ntm": {"vi": "Số tỉnh hoàn thành nhiệm vụ xây dựng NTM",
                                        "en": "Provinces completing the NTM task"},
    "target.district_share_at_level": {"vi": "Tỷ lệ huyện {level} trở lên",
                                       "en": "Share of districts at {level} or above"},
    "target.districts_at_level": {"vi": "Số huyện {level} trở lên", "en": "Districts at {level} or above"},
    "target.ntm_districts_per_province": {"vi": "Số huyện đạt chuẩn NTM của mỗi tỉnh (tỉnh thấp nhất)",
                                          "en": "NTM districts in every province (the lowest province)"},
    "target.min_criteria_met": {"vi": "Không còn xã dưới mức tiêu chí này (xã thấp nhất)",
                                "en": "No commune below this many criteria (the lowest commune)"},
    "target.poor_near_poor_reduction_share": {"vi": "Giảm số hộ nghèo và cận nghèo so với đầu giai đoạn",
                                              "en": "Fewer poor and near-poor households than at the start of the "
                                                    "period"},
    "target.poor_districts_escaping_share": {"vi": "Tỷ lệ huyện nghèo thoát khỏi tình trạng nghèo",
                                             "en": "Share of poor districts leaving the poor-district list"},
    "targets.role.own": {"vi": "Mục tiêu của {name}", "en": "Targets of {name}"},
    "targets.role.within": {"vi": "Mục tiêu của các đơn vị thuộc {name}", "en": "Targets of units within {name}"},
    "targets.role.benchmark": {"vi": "Mục tiêu chung của Chương trình, đối chiếu trên {name}",
                               "en": "Programme-wide targets, read on {name}"},
    "targets.programme.ntm": {"vi": "Nông thôn mới", "en": "New rural development"},
    "targets.programme.poverty": {"vi": "Giảm nghèo", "en": "Poverty reduction"},
    "target.value.share": {"vi": "Mục tiêu dạng tỷ lệ được ghi là phần của 1, một số từ {low} đến {high} (80% ghi "
                                 "là 0,8). Hãy sửa giá trị.",
                           "en": "A share target is written as a fraction of 1, a number from {low} to {high} (80% is "
                                 "0.8). Correct the value."},
    "target.value.count": {"vi": "Mục tiêu dạng số lượng phải là số nguyên từ {low} đến {high}. Hãy sửa giá trị.",
                           "en": "A count target must be a whole number from {low} to {high}. Correct the value."},
    "target.value.binary": {"vi": "Mục tiêu đơn vị đạt mức chỉ ghi giá trị {high} (đơn vị đạt mức đó). Hãy sửa giá "
                                  "trị.",
                            "en": "A target for a unit reaching a level takes the value {high} only (the unit reaches "
                                  "it). Correct the value."},
    "target.value.pp": {"vi": "Mục tiêu giảm tỷ lệ được ghi bằng điểm phần trăm, một số từ {low} đến {high} (giảm 1,5 "
                              "điểm % ghi là 1,5). Hãy sửa giá trị.",
                        "en": "A reduction target is written in percentage points, a number from {low} to {high} "
                              "(down 1.5 pp is 1.5). Correct the value."},
    "target.value.rate": {"vi": "Mục tiêu tỷ lệ phần trăm phải là một số từ {low} đến {high} (10% ghi là 10). Hãy sửa "
                                "giá trị.",
                          "en": "A per-cent target must be a number from {low} to {high} (10% is 10). Correct the "
                                "value."},
    "target.max_below_min": {"vi": "Giá trị tối đa nhỏ hơn giá trị tối thiểu {min} của cùng dòng. Hãy sửa một trong "
                                   "hai, hoặc để trống giá trị tối đa.",
                             "en": "The maximum is below the row's minimum {min}. Correct one of them, or leave the "
                                   "maximum empty."},
    "target.year": {"vi": "Năm mục tiêu phải là một năm của các Chương trình mục tiêu quốc gia, từ {low} đến {high}. "
                          "Hãy sửa năm.",
                    "en": "A target's year must be a year of the National Target Programmes, from {low} to {high}. "
                          "Correct the year."},
    "reference.whole_number": {"vi": "Giá trị phải là số nguyên. Hãy bỏ phần thập phân.",
                               "en": "A whole number is expected. Remove the decimal part."},
}
