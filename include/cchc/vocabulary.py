"""The metric vocabulary (v1) and the enumerations a fact may take, as docs/facts.md describes them.

One place: the extractor, the checks and the dbt seed `metric_vocabulary.csv` (kept equal by a
test) all read it.
"""
from __future__ import annotations

from dataclasses import dataclass

UNITS = ("count", "percent")
QUALIFIERS = ("exact", "approx", "more_than", "less_than")
TIERS = ("all", "province", "district", "commune")
LOCALITY_TYPES = ("tinh", "thanh_pho", "huyen", "quan", "thi_xa", "xa", "phuong", "thi_tran", "dac_khu")
# The word each type is written with, as in "huyện Thọ Xuân" (capitalise for a heading).
LOCALITY_TYPE_WORDS = {
    "tinh": "tỉnh", "thanh_pho": "thành phố", "huyen": "huyện", "quan": "quận", "thi_xa": "thị xã",
    "xa": "xã", "phuong": "phường", "thi_tran": "thị trấn", "dac_khu": "đặc khu",
}
RULES = ("intake", "channels", "outcome", "balance", "tiers", "rates", "parts", "services", "tasks")


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    group: str
    label_vi: str
    label_en: str


METRICS: tuple[Metric, ...] = (
    Metric("dossiers_received", "count", "dossier_flow", "Tổng số hồ sơ tiếp nhận", "Dossiers received (incl. carried over)"),
    Metric("dossiers_received_new", "count", "dossier_flow", "Hồ sơ mới tiếp nhận", "Dossiers newly received"),
    Metric("dossiers_carried_over", "count", "dossier_flow", "Hồ sơ kỳ trước chuyển sang", "Dossiers carried over"),
    Metric("dossiers_received_online", "count", "dossier_flow", "Hồ sơ tiếp nhận trực tuyến", "Dossiers received online"),
    Metric("dossiers_received_offline", "count", "dossier_flow", "Hồ sơ tiếp nhận trực tiếp, bưu chính", "Dossiers received in person or by post"),
    Metric("dossiers_resolved", "count", "dossier_flow", "Hồ sơ đã giải quyết", "Dossiers resolved"),
    Metric("dossiers_resolved_early", "count", "dossier_flow", "Hồ sơ giải quyết trước hạn", "Dossiers resolved early"),
    Metric("dossiers_resolved_on_time", "count", "dossier_flow", "Hồ sơ giải quyết đúng hạn", "Dossiers resolved on time (beside an early count)"),
    Metric("dossiers_resolved_early_or_on_time", "count", "dossier_flow", "Hồ sơ giải quyết trước và đúng hạn", "Dossiers resolved early or on time"),
    Metric("dossiers_resolved_overdue", "count", "dossier_flow", "Hồ sơ giải quyết quá hạn", "Dossiers resolved late"),
    Metric("dossiers_in_progress", "count", "dossier_flow", "Hồ sơ đang giải quyết", "Dossiers in progress"),
    Metric("dossiers_suspended", "count", "dossier_flow", "Hồ sơ tạm dừng", "Dossiers suspended"),
    Metric("dossiers_returned", "count", "dossier_flow", "Hồ sơ trả về, từ chối", "Dossiers returned or refused"),
    Metric("dossiers_withdrawn", "count", "dossier_flow", "Hồ sơ rút", "Dossiers withdrawn"),
    Metric("dossiers_digitized", "count", "dossier_flow", "Hồ sơ được số hóa", "Dossiers digitised"),
    Metric("rate_received_online", "percent", "rate", "Tỷ lệ tiếp nhận trực tuyến", "Online intake rate"),
    Metric("rate_received_offline", "percent", "rate", "Tỷ lệ tiếp nhận trực tiếp", "Offline intake rate"),
    Metric("rate_resolved_early_or_on_time", "percent", "rate", "Tỷ lệ giải quyết trước và đúng hạn", "On-time resolution rate"),
    Metric("rate_resolved_overdue", "percent", "rate", "Tỷ lệ giải quyết quá hạn", "Overdue resolution rate"),
    Metric("rate_digitized", "percent", "rate", "Tỷ lệ số hóa hồ sơ", "Digitisation rate"),
    Metric("rate_reform_tasks_completed", "percent", "rate", "Tỷ lệ hoàn thành nhiệm vụ CCHC", "Reform tasks completion rate"),
    Metric("procedures_total", "count", "services", "Số thủ tục hành chính", "Administrative procedures"),
    Metric("procedure_fields", "count", "services", "Số lĩnh vực", "Procedure fields"),
    Metric("online_services", "count", "services", "Dịch vụ công trực tuyến", "Online public services"),
    Metric("online_services_full", "count", "services", "Dịch vụ công trực tuyến toàn trình", "Online services, end to end"),
    Metric("online_services_partial", "count", "services", "Dịch vụ công trực tuyến một phần", "Online services, partial"),
    Metric("online_services_info", "count", "services", "Dịch vụ cung cấp thông tin trực tuyến", "Online information services"),
    Metric("reform_tasks_planned", "count", "plan", "Nhiệm vụ CCHC đề ra", "Reform tasks planned"),
    Metric("reform_tasks_completed", "count", "plan", "Nhiệm vụ CCHC hoàn thành", "Reform tasks completed"),
)

METRIC_NAMES = tuple(m.name for m in METRICS)
METRIC_BY_NAME = {m.name: m for m in METRICS}
