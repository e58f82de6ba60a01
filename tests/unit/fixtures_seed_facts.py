"""The facts each seed article states, labelled by hand per docs/facts.md, with real evidence
offsets into the seed text: what the rule tests run on, independent of the extractor.

Labelling choices worth a note (the rule numbers are docs/facts.md's labelling rules):
- 001: "1.931/2.168", "1.018/1.130", "939/1.065" restate received totals already stated: the
  digitised counts and rates are facts, the wholes are not new ones (rule 1).
- 002: "gần 2.100" is approx, "hơn 17.100" more_than; "gần 97%" approx. "9/9 xã", "Công văn
  số 1203" are not facts.
- 003: "hơn 460" and "trên 48%", "trên 14.700" are qualified; "mức độ 3, 4" is online intake
  (rule 7). No received total is stated, so no rate has a whole.
- 004: "18 hồ sơ trễ hạn" is not said to be resolved: not dossiers_resolved_overdue (rules 5,
  14); "các lĩnh vực còn lại đều ... đúng và trước hạn" is no rate (not all dossiers, rule 11).
  "1 giờ trước" resolves to the fetch day, taken as 2025-11-20. The communes' centres report
  the commune itself (tier `commune`). "Hiện nay ... 383 thủ tục ... 70 lĩnh vực" is a snapshot.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from cchc.contracts import Evidence, Fact, Locality
from cchc.vocabulary import METRIC_BY_NAME

SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_PATHS = {p.name[:3]: p for p in sorted(SEEDS_DIR.glob("*.txt"))}


def seed_text(seed: str) -> str:
    return SEED_PATHS[seed].read_text(encoding="utf-8")


def _sentence(text: str, at: int) -> tuple[int, int]:
    """The sentence around offset ``at``: a full stop, question or exclamation mark followed by
    white space ends one ("1.130" has no space after its dot), and so does a line break."""
    start = 0
    for m in re.finditer(r"[.!?](?=\s)|\n", text[:at]):
        start = m.end()
    m = re.compile(r"[.!?](?=\s)|\n").search(text, at)
    end = m.end() if m else len(text)
    while text[start].isspace():
        start += 1
    return start, end


def _fact(text: str, row: tuple, loc: Locality, tier: str, period: tuple[date, date]) -> Fact:
    metric, value, anchor, written, *rest = row
    qualifier = rest[0] if rest else "exact"
    assert text.count(anchor) == 1, f"anchor {anchor!r} is not unique"
    value_start = text.index(written, text.index(anchor))
    start, end = _sentence(text, value_start)
    return Fact(
        metric=metric,
        value=value,
        unit=METRIC_BY_NAME[metric].unit,
        qualifier=qualifier,
        locality=loc,
        tier=tier,
        period_start=period[0],
        period_end=period[1],
        evidence=Evidence(text[start:end], start, end),
        value_text=written,
        value_start=value_start,
    )


def _facts(seed: str, blocks: list[tuple[Locality, str, tuple[date, date], list[tuple]]]) -> list[Fact]:
    text = seed_text(seed)
    return [_fact(text, row, loc, tier, period) for loc, tier, period, rows in blocks for row in rows]


THO_XUAN = Locality("Thọ Xuân", "huyen", "Thanh Hóa")
Q1_2025 = (date(2025, 1, 1), date(2025, 3, 31))

SEED_000 = [
    (THO_XUAN, "district", Q1_2025, [
        ("online_services", 307, "đưa vào áp dụng 307", "307"),
        ("online_services_full", 152, "gồm 152 thủ tục toàn trình", "152"),
        ("online_services_partial", 141, "141 thủ tục một phần", "141"),
        ("online_services_info", 14, "14 dịch vụ cung cấp", "14"),
        ("dossiers_received", 596, "tổng số hồ sơ tiếp nhận 596", "596"),
        ("dossiers_received_online", 311, "tiếp nhận trực tuyến 311", "311"),
        ("dossiers_carried_over", 285, "chuyển qua 285", "285"),
        ("dossiers_resolved", 536, "đã giải quyết 536", "536"),
        ("dossiers_resolved_early_or_on_time", 529, "đúng hạn 529", "529"),
        ("dossiers_resolved_overdue", 7, "quá hạn 07", "07"),
        ("dossiers_in_progress", 60, "đang giải quyết 60", "60"),
    ]),
    (THO_XUAN, "commune", Q1_2025, [
        ("online_services", 216, "áp dụng 216", "216"),
        ("online_services_full", 86, "gồm có 86", "86"),
        ("online_services_partial", 103, "103 thủ tục một phần", "103"),
        ("online_services_info", 27, "27 dịch vụ", "27"),
        ("dossiers_received", 4847, "tiếp nhận 4.847", "4.847"),
        ("dossiers_received_online", 4126, "tiếp nhận trực tuyến 4.126", "4.126"),
        ("dossiers_received_offline", 642, "qua bưu chính 642", "642"),
        ("dossiers_carried_over", 79, "chuyển qua 79", "79"),
        ("dossiers_resolved", 4684, "đã giải quyết 4.684", "4.684"),
        ("dossiers_resolved_early_or_on_time", 4619, "đúng hạn 4.619", "4.619"),
        ("dossiers_resolved_overdue", 65, "quá hạn 65", "65"),
        ("dossiers_in_progress", 163, "đang giải quyết 163", "163"),
    ]),
]

MAI_SON = Locality("Mai Sơn", "huyen", "Sơn La")
NOV_2023 = (date(2023, 11, 1), date(2023, 11, 30))

SEED_001 = [
    (MAI_SON, "all", NOV_2023, [
        ("dossiers_received", 2168, "đã tiếp nhận 2.168", "2.168"),
        ("dossiers_received_new", 1798, "mới tiếp nhận 1.798", "1.798"),
        ("dossiers_carried_over", 370, "chuyển sang 370", "370"),
        ("dossiers_resolved", 1780, "Đã giải quyết 1780", "1780"),
        ("dossiers_resolved_early", 1629, "trước hạn 1.629", "1.629"),
        ("dossiers_resolved_on_time", 149, "đúng hạn 149", "149"),
        ("dossiers_resolved_overdue", 2, "149 hồ sơ, giải quyết quá", "02"),
        ("dossiers_in_progress", 388, "đang giải quyết 388", "388"),
        ("dossiers_digitized", 1931, "được 1.931", "1.931"),
        ("rate_digitized", 90.26, "đạt 90,26", "90,26"),
    ]),
    (MAI_SON, "district", NOV_2023, [
        ("dossiers_received", 1130, "Cấp huyện đã tiếp nhận 1.130", "1.130"),
        ("dossiers_received_new", 736, "mới tiếp nhận 736", "736"),
        ("dossiers_carried_over", 367, "chuyển sang 367", "367"),
        ("dossiers_resolved", 718, "Đã giải quyết 718", "718"),
        ("dossiers_resolved_early", 603, "trước hạn 603", "603"),
        ("dossiers_resolved_on_time", 113, "đúng hạn 113", "113"),
        ("dossiers_resolved_overdue", 2, "113 hồ sơ, giải quyết quá", "02"),
        ("dossiers_in_progress", 385, "đang giải quyết 385", "385"),
        ("dossiers_digitized", 1018, "được 1.018", "1.018"),
        ("rate_digitized", 90.08, "đạt 90,08", "90,08"),
    ]),
    (MAI_SON, "commune", NOV_2023, [
        ("dossiers_received", 1065, "Cấp xã đã tiếp nhận 1.065", "1.065"),
        ("dossiers_received_new", 1062, "mới tiếp nhận 1.062", "1.062"),
        ("dossiers_carried_over", 3, "chuyển sang 03", "03"),
        ("dossiers_resolved", 1062, "đã giải quyết 1062", "1062"),
        ("dossiers_resolved_early", 1026, "trước hạn 1.026", "1.026"),
        ("dossiers_resolved_on_time", 36, "đúng hạn 36", "36"),
        ("dossiers_resolved_overdue", 0, "quá hạn: 0", "0"),
        ("dossiers_in_progress", 3, "đang giải quyết 03", "03"),
        ("dossiers_digitized", 939, "được 939", "939"),
        ("rate_digitized", 88.16, "đạt 88,16", "88,16"),
    ]),
]

TAN_HONG = Locality("Tân Hồng", "huyen", "Đồng Tháp")
YEAR_TO_PUBLICATION_2024 = (date(2024, 1, 1), date(2024, 10, 16))
WINDOW_2024 = (date(2023, 12, 15), date(2024, 9, 15))

SEED_002 = [
    (TAN_HONG, "all", YEAR_TO_PUBLICATION_2024, [
        ("reform_tasks_planned", 24, "đề ra 24", "24"),
        ("reform_tasks_completed", 22, "hoàn thành 22/24", "22"),
        ("rate_reform_tasks_completed", 91.16, "đạt 91,16", "91,16"),
    ]),
    (TAN_HONG, "district", WINDOW_2024, [
        ("dossiers_received", 2100, "tiếp nhận gần 2.100", "2.100", "approx"),
        ("rate_received_online", 97, "chiếm gần 97", "97", "approx"),
        ("rate_resolved_early_or_on_time", 99.5, "đạt 99,5", "99,5"),
    ]),
    (TAN_HONG, "commune", WINDOW_2024, [
        ("dossiers_received", 17100, "tiếp nhận hơn 17.100", "17.100", "more_than"),
        ("rate_received_online", 85.4, "chiếm 85,4", "85,4"),
        ("rate_resolved_early_or_on_time", 99, "đúng hạn đạt 99%", "99"),
    ]),
]

THANH_LIEM = Locality("Thanh Liêm", "huyen", "Hà Nam")
H1_2022 = (date(2022, 1, 1), date(2022, 6, 30))

SEED_003 = [
    (THANH_LIEM, "district", H1_2022, [
        ("dossiers_received_offline", 460, "là hơn 460", "460", "more_than"),
        ("rate_received_offline", 48, "đạt trên 48", "48", "more_than"),
        ("rate_received_online", 51.7, "là 51,7", "51,7"),
    ]),
    (THANH_LIEM, "commune", H1_2022, [
        ("dossiers_received_offline", 14700, "trên 14.700", "14.700", "more_than"),
        ("rate_received_offline", 87.4, "đạt 87,4", "87,4"),
        ("rate_received_online", 12.6, "là 12,6", "12,6"),
    ]),
]

TAN_PHUOC_1 = Locality("Tân Phước 1", "xa", "Đồng Tháp")
TAN_PHUOC_2 = Locality("Tân Phước 2", "xa", "Đồng Tháp")
SINCE_REFORM = (date(2025, 7, 1), date(2025, 11, 20))
SNAPSHOT = (date(2025, 11, 20), date(2025, 11, 20))

SEED_004 = [
    (TAN_PHUOC_1, "commune", SINCE_REFORM, [
        ("dossiers_received", 1962, "tiếp nhận 1.962", "1.962"),
        ("procedure_fields", 13, "thuộc 13 lĩnh vực", "13"),
        ("dossiers_resolved", 1931, "giải quyết 1.931", "1.931"),
        ("dossiers_in_progress", 26, "còn 26", "26"),
    ]),
    (TAN_PHUOC_2, "commune", SNAPSHOT, [
        ("procedures_total", 383, "thực hiện 383", "383"),
        ("procedure_fields", 70, "thuộc 70 lĩnh vực", "70"),
    ]),
    (TAN_PHUOC_2, "commune", SINCE_REFORM, [
        ("dossiers_received", 1619, "tiếp nhận 1.619", "1.619"),
        ("rate_received_online", 100, "trong đó 100%", "100"),
        ("dossiers_resolved", 1564, "giải quyết 1.564", "1.564"),
        ("dossiers_in_progress", 10, "còn 10", "10"),
        ("dossiers_suspended", 36, "36 hồ sơ tạm dừng", "36"),
        ("dossiers_returned", 8, "8 hồ sơ không đủ", "8"),
    ]),
]

_BLOCKS = {"000": SEED_000, "001": SEED_001, "002": SEED_002, "003": SEED_003, "004": SEED_004}


def seed_facts(seed: str) -> list[Fact]:
    """The expected facts of one seed ("000".."004"), in article order per block."""
    return _facts(seed, _BLOCKS[seed])
