"""What each kind of target measures (`target.<metric>`), with the level it asks for as `{level}`."""

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
    "target.poor_rate_reduction_pp": {"vi": "Giảm tỷ lệ hộ nghèo", "en": "Reduction of the poor-household rate"},
    "target.em_poor_rate_reduction_pp": {"vi": "Giảm tỷ lệ hộ nghèo DTTS",
                                         "en": "Reduction of the EM poor-household rate"},
    "target.em_area_poor_rate_max": {"vi": "Tỷ lệ hộ nghèo vùng đồng bào DTTS và miền núi (tối đa)",
                                     "en": "Poor-household rate in ethnic-minority and mountainous areas (at most)"},
    "target.provinces_completing_ntm": {"vi": "Số tỉnh hoàn thành nhiệm vụ xây dựng NTM",
                                        "en": "Provinces completing the NTM task"},
}
