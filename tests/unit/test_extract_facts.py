"""Behaviour of the fact extractor on short, invented texts: the structures of docs/phrasings.md
and the labelling rules of docs/facts.md."""
from datetime import date

from cchc.extract.facts import extract_facts, extract_facts_strict

PUB = date(2024, 10, 20)
HINT = "huyện Ngàn Sương, tỉnh Sông Biếc"


def facts(text, published=PUB, hint=HINT):
    return extract_facts_strict(text, published, None, hint)


def brief(text, **kw):
    """(metric, value, qualifier, tier) of every fact, in order."""
    return [(f.metric, f.value, f.qualifier, f.tier) for f in facts(text, **kw)]


def metrics(text, **kw):
    return {f.metric: f.value for f in facts(text, **kw)}


# -- one invented sentence per structure of docs/phrasings.md --------------------------------
def test_s1_total_then_parts_with_a_carry_over_among_them():
    assert brief("Quý II/2024, huyện Ngàn Sương tiếp nhận 3.412 hồ sơ, trong đó: 2.905 hồ sơ trực tuyến, 402 hồ sơ "
                 "trực tiếp và qua bưu chính, 105 hồ sơ kỳ trước chuyển sang; đã giải quyết 3.260 hồ sơ, còn 152 hồ sơ "
                 "đang giải quyết.") == [
        ("dossiers_received", 3412, "exact", "all"), ("dossiers_received_online", 2905, "exact", "all"),
        ("dossiers_received_offline", 402, "exact", "all"), ("dossiers_carried_over", 105, "exact", "all"),
        ("dossiers_resolved", 3260, "exact", "all"), ("dossiers_in_progress", 152, "exact", "all")]


def test_s2_bracketed_breakdown_open_overdue_is_not_resolved_overdue():
    assert metrics("Trong tháng 9/2024, huyện đã giải quyết 1.540 hồ sơ (đúng hạn 1.512/trễ hạn 28); đang giải quyết "
                   "96 hồ sơ (trong hạn 90/quá hạn 6).") == {
        "dossiers_resolved": 1540, "dossiers_resolved_early_or_on_time": 1512,
        "dossiers_resolved_overdue": 28, "dossiers_in_progress": 96}


def test_s3_rates_attached_to_their_counts():
    got = facts("Trong quý III/2024, Phường Bến Nguyệt giải quyết 812 hồ sơ, trong đó 809 hồ sơ đúng và trước hạn "
                "(đạt 99,63%), 3 hồ sơ trễ hạn, chiếm 0,37%.")
    assert [(f.metric, f.value) for f in got] == [
        ("dossiers_resolved", 812), ("dossiers_resolved_early_or_on_time", 809),
        ("rate_resolved_early_or_on_time", 99.63), ("dossiers_resolved_overdue", 3), ("rate_resolved_overdue", 0.37)]
    assert {(f.locality.name, f.locality.type, f.tier) for f in got} == {("Bến Nguyệt", "phuong", "commune")}


def test_s4_count_words_carrying_a_percentage_are_rates():
    assert brief("Trong quý III/2024, ở cấp xã, số hồ sơ giải quyết đúng hạn là 98,7%, số hồ sơ trễ hạn 1,3%.") == [
        ("rate_resolved_early_or_on_time", 98.7, "exact", "commune"), ("rate_resolved_overdue", 1.3, "exact", "commune")]


def test_s5_part_over_whole_keeps_the_part():
    got = facts("Trong tháng 9, xã Đồi Mây số hóa 2.118/2.230 hồ sơ, đạt 94,97%.")
    assert [(f.metric, f.value) for f in got] == [("dossiers_digitized", 2118), ("rate_digitized", 94.97)]
    assert got[0].period_start == date(2024, 9, 1) and got[0].locality.name == "Đồi Mây"


def test_s6_per_tier_blocks_repeat_the_verb():
    got = brief("Trong 6 tháng đầu năm 2024, cấp tỉnh tiếp nhận 18.004 hồ sơ, với 15.300 hồ sơ trực tuyến; cấp huyện "
                "9.876 hồ sơ; cấp xã 32.330 hồ sơ, tỷ lệ trực tuyến đạt 71,2%.", hint="tỉnh Sông Biếc")
    assert got == [("dossiers_received", 18004, "exact", "province"), ("dossiers_received_online", 15300, "exact", "province"),
                   ("dossiers_received", 9876, "exact", "district"), ("dossiers_received", 32330, "exact", "commune"),
                   ("rate_received_online", 71.2, "exact", "commune")]


def test_s7_topic_phrase_carries_the_channel():
    assert metrics("Về hồ sơ trực tuyến, trong tháng 5, Trung tâm Phục vụ hành chính công xã Đồi Mây tiếp nhận 1.034 "
                   "hồ sơ, đạt 88,4%.") == {"dossiers_received_online": 1034, "rate_received_online": 88.4}


def test_s7_topic_phrase_ends_with_its_paragraph():
    got = brief("Về hồ sơ trực tuyến, quý I/2024 huyện tiếp nhận 412 hồ sơ trực tuyến.\n\n"
                "Tại xã Gò Sen, quý I/2024 đã tiếp nhận 530 hồ sơ, giải quyết 498 hồ sơ.")
    assert [(m, v) for m, v, _, _ in got] == [
        ("dossiers_received_online", 412), ("dossiers_received", 530), ("dossiers_resolved", 498)]


def test_s8_a_list_heading_naming_a_unit_makes_its_bullets_that_units():
    got = facts("Trong quý I/2024, toàn tỉnh tiếp nhận 9.120 hồ sơ.\n\n"
                "Kết quả giải quyết thủ tục hành chính tại huyện Sông Mây:\n"
                "- Tiếp nhận 530 hồ sơ;\n- Giải quyết 498 hồ sơ.\n\n"
                "Toàn tỉnh đã giải quyết 9.000 hồ sơ.", hint="tỉnh Sông Biếc")
    assert [(f.value, f.locality.name, f.locality.type) for f in got] == [
        (9120, "Sông Biếc", "tinh"), (530, "Sông Mây", "huyen"), (498, "Sông Mây", "huyen"), (9000, "Sông Biếc", "tinh")]


def test_s3_a_count_named_right_after_its_rate_is_that_rates_count():
    assert brief("Năm 2024, tỷ lệ giải quyết đúng và sớm hạn đạt 99,85%, tương ứng với 8.204 hồ sơ, "
                 "trong khi tỷ lệ trễ hạn chỉ chiếm 0,15% với 12 hồ sơ.") == [
        ("rate_resolved_early_or_on_time", 99.85, "exact", "all"), ("dossiers_resolved_early_or_on_time", 8204, "exact", "all"),
        ("rate_resolved_overdue", 0.15, "exact", "all"), ("dossiers_resolved_overdue", 12, "exact", "all")]


def test_a_rate_of_dossiers_within_the_deadline_is_the_on_time_rate():
    assert metrics("Năm 2024, tổng số hồ sơ là 7.300 hồ sơ; tỷ lệ trực tuyến đạt 97,4%; "
                   "tỷ lệ giải quyết trước hạn, đúng hạn, trong hạn đạt 99%.")["rate_resolved_early_or_on_time"] == 99


def test_s10_received_and_resolved_without_và_and_a_rate_named_after_its_number():
    assert brief("Năm 2024, các xã đã tiếp nhận giải quyết tổng cộng gần 10.150 hồ sơ, đạt 100% tỷ lệ đúng hạn.") == [
        ("dossiers_received", 10150, "approx", "commune"), ("dossiers_resolved", 10150, "approx", "commune"),
        ("rate_resolved_early_or_on_time", 100, "exact", "commune")]


def test_an_offices_name_lends_its_words_to_no_number():
    assert brief("Năm 2024, Bộ phận tiếp nhận và giải quyết TTHC của huyện đã tiếp nhận 500 hồ sơ, giải quyết 480 hồ sơ.") == [
        ("dossiers_received", 500, "exact", "all"), ("dossiers_resolved", 480, "exact", "all")]


def test_s3_a_share_of_the_total_after_a_channel_count_is_its_rate():
    assert metrics("Năm 2024, có 7.600 hồ sơ được nộp qua mạng, chiếm 85,10% tổng số hồ sơ.") == {
        "dossiers_received_online": 7600, "rate_received_online": 85.1}


def test_procedures_handled_are_dossiers_and_procedures_taken_are_a_stock():
    assert brief("Năm 2024, xã đã giải quyết gần 2.000 thủ tục hành chính cho người dân.") == [
        ("dossiers_resolved", 2000, "approx", "all")]
    assert metrics("Hiện nay, Trung tâm đang tiếp nhận 1.684 thủ tục hành chính của 19 sở.") == {"procedures_total": 1684}
    assert facts("Năm 2024, huyện giải quyết trên 970 thủ tục liên quan đến đất đai.") == []
    assert metrics("Năm 2024, tỉnh đưa 310 TTHC của các sở và 12 TTHC của ngành công an vào tiếp nhận hồ sơ tại trung tâm.") \
        .get("dossiers_received") is None


def test_s10_one_number_two_metrics():
    assert metrics("Quý I/2024, huyện đã tiếp nhận và giải quyết 1.200 hồ sơ.") == {
        "dossiers_received": 1200, "dossiers_resolved": 1200}


def test_s15_splits_by_field_are_not_facts():
    assert facts("Quý I/2024, huyện tiếp nhận 863 hồ sơ lĩnh vực hộ tịch.") == []


# -- labelling rules ---------------------------------------------------------------------
def test_bare_dung_han_is_early_or_on_time():
    assert metrics("Tháng 9/2024, huyện giải quyết 500 hồ sơ, trong đó đúng hạn 495 hồ sơ, quá hạn 5 hồ sơ.") == {
        "dossiers_resolved": 500, "dossiers_resolved_early_or_on_time": 495, "dossiers_resolved_overdue": 5}


def test_dung_han_beside_truoc_han_is_on_time():
    assert metrics("Tháng 9/2024, huyện giải quyết 500 hồ sơ (trước hạn 300, đúng hạn 195, quá hạn 5).") == {
        "dossiers_resolved": 500, "dossiers_resolved_early": 300, "dossiers_resolved_on_time": 195,
        "dossiers_resolved_overdue": 5}


def test_outcome_list_continues_the_resolved_verb():
    assert metrics("Từ đầu năm đến nay, huyện tiếp nhận gần 1.700 hồ sơ, giải quyết đúng hạn 1.650 hồ sơ, trễ hạn "
                   "12 hồ sơ.")["dossiers_resolved_overdue"] == 12


def test_overdue_not_said_to_be_resolved_is_no_fact():
    assert facts("Ngoài 9 hồ sơ trễ hạn thuộc lĩnh vực xây dựng, hồ sơ của những lĩnh vực khác đều được giải quyết "
                 "trước và đúng hạn.") == []


def test_open_overdue_parts_of_a_stated_in_progress_whole_are_not_facts():
    assert brief("Trong quý III/2024, đang giải quyết 120 hồ sơ, trong đó 100 hồ sơ còn trong hạn và 20 hồ sơ quá hạn.") == [
        ("dossiers_in_progress", 120, "exact", "all")]


def test_combined_categories_are_not_a_fact():
    assert facts("Tháng 10/2024, trả lại và rút hồ sơ là 15 hồ sơ.") == []


def test_completion_rate_is_not_a_fact():
    assert metrics("Quý III-2020, huyện tiếp nhận 510 hồ sơ, giải quyết 498 hồ sơ (đạt 97,6%).") == {
        "dossiers_received": 510, "dossiers_resolved": 498}


def test_zero_and_all_in_words_are_values():
    assert metrics("Quý I/2024, 100% hồ sơ được giải quyết đúng hạn, không có hồ sơ quá hạn.") == {
        "rate_resolved_early_or_on_time": 100, "dossiers_resolved_overdue": 0}
    assert metrics("Quý I/2024, tất cả hồ sơ đều được giải quyết đúng hạn.") == {"rate_resolved_early_or_on_time": 100}


def test_qualifier_words_not_precision():
    assert brief("Trong tháng 8/2024, huyện tiếp nhận 61,3 ngàn hồ sơ, trong đó hơn 58 ngàn hồ sơ trực tuyến.") == [
        ("dossiers_received", 61300, "exact", "all"), ("dossiers_received_online", 58000, "more_than", "all")]


def test_headline_restatement_is_not_a_separate_fact():
    text = ("Ngàn Sương: Hơn 98% hồ sơ được giải quyết đúng hạn\nNgày đăng: 12/07/2024\n"
            "6 tháng đầu năm 2024, huyện đã giải quyết 6.725 hồ sơ, trong đó 6.714 hồ sơ đúng hạn (đạt 99,84%), "
            "11 hồ sơ trễ hạn.")
    assert [f.value for f in facts(text) if f.metric == "rate_resolved_early_or_on_time"] == [99.84]


def test_online_services_by_kind():
    assert brief("Quý II/2025, UBND huyện Ngàn Sương triển khai 268 thủ tục hành chính trực tuyến, gồm 131 thủ tục "
                 "toàn trình, 125 thủ tục một phần, 12 dịch vụ cung cấp thông tin trực tuyến.") == [
        ("online_services", 268, "exact", "all"), ("online_services_full", 131, "exact", "all"),
        ("online_services_partial", 125, "exact", "all"), ("online_services_info", 12, "exact", "all")]


def test_district_committee_with_no_tier_named_is_the_whole_district():
    assert brief("Quý I/2025, UBND huyện Ngàn Sương đã tiếp nhận 1.200 hồ sơ.") == [  # rule 16
        ("dossiers_received", 1200, "exact", "all")]


def test_district_committee_beside_the_communes_own_figures_is_the_district_tier():
    assert brief("Quý I/2025, UBND huyện Ngàn Sương đã tiếp nhận 1.200 hồ sơ. Các UBND cấp xã đã tiếp nhận "
                 "3.400 hồ sơ.") == [("dossiers_received", 1200, "exact", "district"),
                                     ("dossiers_received", 3400, "exact", "commune")]


def test_competence_of_each_level_is_its_tier():
    got = brief("Quý I/2025, UBND huyện và UBND 12 xã tiếp nhận 5.000 hồ sơ; trong đó hồ sơ thuộc thẩm quyền giải "
                "quyết của UBND huyện có 1.800 hồ sơ, thuộc thẩm quyền của UBND các xã có 3.200 hồ sơ.")  # rule 17
    assert got == [("dossiers_received", 5000, "exact", "all"), ("dossiers_received", 1800, "exact", "district"),
                   ("dossiers_received", 3200, "exact", "commune")]


def test_levels_before_2022_map_to_full_and_partial():
    assert metrics("Năm 2021, huyện có 245 dịch vụ công trực tuyến mức độ 3, 4, trong đó 120 dịch vụ mức độ 4, "
                   "125 dịch vụ mức độ 3.", published=date(2022, 1, 5)) == {
        "online_services": 245, "online_services_full": 120, "online_services_partial": 125}


def test_procedure_counts_with_tier_after_the_number():
    assert brief("6 tháng đầu năm 2024, huyện có 305 thủ tục hành chính, trong đó 210 thủ tục cấp huyện và 95 thủ "
                 "tục cấp xã.") == [("procedures_total", 305, "exact", "all"), ("procedures_total", 210, "exact", "district"),
                                    ("procedures_total", 95, "exact", "commune")]


def test_reform_tasks_and_their_rate():
    assert metrics("Theo Kế hoạch CCHC năm 2024, huyện hoàn thành 18/21 nhiệm vụ (đạt 85,71%).") == {
        "reform_tasks_completed": 18, "reform_tasks_planned": 21, "rate_reform_tasks_completed": 85.71}


# -- periods, tiers, localities ----------------------------------------------------------
def test_reporting_window_in_brackets_wins():
    (f,) = [f for f in facts("Quý I năm 2024 (tính từ ngày 15/12/2023 đến 14/3/2024), các sở, ban, ngành tiếp nhận "
                             "5.210 hồ sơ.", hint="tỉnh Sông Biếc")]
    assert (f.period_start, f.period_end, f.tier) == (date(2023, 12, 15), date(2024, 3, 14), "province")


def test_period_carries_to_later_sentences():
    got = facts("6 tháng đầu năm 2022, huyện tiếp tục chú trọng công tác CCHC. Cấp huyện tiếp nhận 518 hồ sơ.")
    assert (got[0].period_start, got[0].period_end) == (date(2022, 1, 1), date(2022, 6, 30))


def test_comparison_year_is_not_the_period():
    got = facts("Năm 2023, huyện tiếp nhận 12.664 hồ sơ, tăng 1.200 hồ sơ so với năm 2022; tỷ lệ giải quyết đúng "
                "hạn đạt 99,2%.")
    assert [(f.metric, f.value, f.period_start.year) for f in got] == [
        ("dossiers_received", 12664, 2023), ("rate_resolved_early_or_on_time", 99.2, 2023)]


def test_district_and_commune_named_together_are_all_tiers():
    assert brief("Trong tháng 4/2024, các phòng, ban chuyên môn cấp huyện cùng UBND các xã, thị trấn tiếp nhận 1.745 hồ sơ.")[0][3] == "all"


def test_paragraph_lead_switches_the_commune():
    text = ("Tại xã Tân Phước 1, việc giải quyết thủ tục cho người dân có nhiều chuyển biến.\n"
            "Từ ngày 1-7-2025 đến nay, toàn xã tiếp nhận 2.431 hồ sơ.\n"
            "Đối với xã Tân Phước 2, xã tập trung số hóa hồ sơ.\n"
            "Từ ngày 1-7-2025 đến nay, toàn xã tiếp nhận 1.287 hồ sơ.")
    got = facts(text, published=date(2025, 11, 20), hint="tỉnh Đồng Tháp")
    assert [(f.locality.name, f.locality.type, f.locality.province, f.tier, f.value) for f in got] == [
        ("Tân Phước 1", "xa", "Đồng Tháp", "commune", 2431), ("Tân Phước 2", "xa", "Đồng Tháp", "commune", 1287)]
    assert got[0].period_end == date(2025, 11, 20)


# -- not facts ---------------------------------------------------------------------------
def test_document_numbers_are_not_facts():
    assert facts("Thực hiện Quyết định số 612/QĐ-UBND ngày 6/3/2023, Công văn số 1203 và Kế hoạch số 143, huyện "
                 "tiếp nhận hồ sơ theo Nghị định 118.") == []


def test_units_people_meetings_scores_are_not_facts():
    assert facts("Năm 2024, huyện tổ chức 28 hội nghị, 4 lớp tập huấn cho 1.482 lượt cán bộ; 9/9 xã đạt chuẩn; chỉ số "
                 "CCHC đạt 87,6 điểm; ISO 9001:2015; tỷ lệ hài lòng đạt 99%; đứng thứ 3/12 huyện.") == []


def test_targets_and_deltas_are_not_facts():
    assert facts("Năm 2024, phấn đấu tỷ lệ hồ sơ trực tuyến đạt 80%; số hồ sơ giảm 96 hồ sơ so với năm 2023.") == []


def test_petitions_and_apologies_are_not_dossier_facts():
    assert facts("Tháng 3/2024, huyện tiếp nhận 1.200 đơn thư, phản ánh; 173 hồ sơ trễ hạn đã được xin lỗi.") == []


def test_article_without_statistics_yields_no_facts():
    assert facts("UBND huyện Ngàn Sương tổ chức hội nghị triển khai công tác cải cách hành chính năm 2024. Hội nghị "
                 "yêu cầu các phòng, ban tập trung khắc phục hạn chế.") == []


# -- evidence ----------------------------------------------------------------------------
def test_evidence_is_the_sentence_and_holds_the_number():
    text = "Tiêu đề\n\nTháng 9/2024, huyện  tiếp nhận 1.540\u00a0hồ sơ. Câu khác."
    (f,) = facts(text)
    assert text[f.evidence.start:f.evidence.end] == f.evidence.text == "Tháng 9/2024, huyện  tiếp nhận 1.540\u00a0hồ sơ."
    assert text[f.value_start:f.value_start + len(f.value_text)] == "1.540"


def test_public_function_returns_a_list_on_odd_input():
    assert extract_facts("") == []
    assert extract_facts(None) == []  # type: ignore[arg-type]


# -- lists and labelled lines (S8) -------------------------------------------------------
def test_bulleted_breakdown_under_labelled_totals():
    text = ("Kết quả giải quyết TTHC 6 tháng đầu năm 2024 như sau:\n- Tổng số hồ sơ tiếp nhận: 5.234 hồ sơ, trong đó:\n"
            "+ Tiếp nhận trực tuyến: 4.100 hồ sơ\n+ Kỳ trước chuyển sang: 134 hồ sơ\n- Đã giải quyết: 5.100 hồ sơ, "
            "trong đó:\n+ Trước hạn: 3.000 hồ sơ\n+ Đúng hạn: 2.090 hồ sơ\n+ Trễ hạn: 10 hồ sơ\n- Đang giải quyết: 134 hồ sơ.")
    assert metrics(text) == {
        "dossiers_received": 5234, "dossiers_received_online": 4100, "dossiers_carried_over": 134,
        "dossiers_resolved": 5100, "dossiers_resolved_early": 3000, "dossiers_resolved_on_time": 2090,
        "dossiers_resolved_overdue": 10, "dossiers_in_progress": 134}


def test_tier_heading_holds_for_its_items():
    assert {f.tier for f in facts("Quý I/2024, cấp xã:\n- Tiếp nhận 2.000 hồ sơ\n- Giải quyết 1.990 hồ sơ.")} == {"commune"}


def test_a_speaker_opens_no_tier():
    got = facts("UBND thành phố Bến Nguyệt cho biết, quý I/2024, thành phố tiếp nhận 8.000 hồ sơ.", hint="tỉnh Sông Biếc")
    assert [(f.locality.name, f.locality.type, f.tier) for f in got] == [("Bến Nguyệt", "thanh_pho", "all")]


def test_a_tier_part_of_a_whole_is_kept():
    assert brief("Quý I/2024, huyện tiếp nhận 8.000 hồ sơ, trong đó cấp xã tiếp nhận 5.000 hồ sơ.") == [
        ("dossiers_received", 8000, "exact", "all"), ("dossiers_received", 5000, "exact", "commune")]


def test_stocks_of_procedures_are_dated_to_the_publication_day():
    (f,) = facts("Tính đến 16h ngày 24/8/2025, xã Đồi Mây đang thực hiện 312 thủ tục hành chính.", published=date(2025, 8, 25))
    assert (f.metric, f.period_start, f.period_end) == ("procedures_total", date(2025, 8, 25), date(2025, 8, 25))  # rule 15


def test_stocks_without_a_publication_date_take_the_event_day():
    (f,) = facts("Ngày 27/12, UBND xã Đồi Mây tổng kết năm 2024. Xã đang thực hiện 312 thủ tục hành chính.", published=None)
    assert (f.period_start, f.period_end) == (date(2024, 12, 27), date(2024, 12, 27))  # rule 15


def test_dossier_counts_up_to_a_day_run_from_the_new_year():
    (f,) = facts("Tính đến cuối tháng 5 năm 2017, huyện tiếp nhận 10.472 hồ sơ.", published=None)
    assert (f.metric, f.period_start, f.period_end) == ("dossiers_received", date(2017, 1, 1), date(2017, 5, 31))


# -- context carried across sentences ----------------------------------------------------
def test_tier_openers_inside_a_breakdown_stay_there():
    got = brief("Trong 9 tháng đầu năm 2023, toàn huyện tiếp nhận 18.436 hồ sơ, trong đó cấp huyện tiếp nhận 2.214 "
                "hồ sơ, cấp xã tiếp nhận 16.222 hồ sơ; tỷ lệ hồ sơ trực tuyến đạt hơn 62%. Đã giải quyết 18.205 hồ sơ.")
    assert got == [("dossiers_received", 18436, "exact", "all"), ("dossiers_received", 2214, "exact", "district"),
                   ("dossiers_received", 16222, "exact", "commune"), ("rate_received_online", 62, "more_than", "all"),
                   ("dossiers_resolved", 18205, "exact", "all")]


def test_bare_trung_tam_is_the_centre_named_before():
    text = ("Trung tâm Phục vụ hành chính công tỉnh: quý I/2024 giải quyết tốt hồ sơ\n"
            "Quý I năm 2024, Trung tâm Phục vụ hành chính công tỉnh Sông Biếc tiếp tục thực hiện tốt việc tiếp nhận, "
            "giải quyết và trả kết quả thủ tục hành chính cho tổ chức, cá nhân.\n"
            "Trong kỳ, Trung tâm đã tiếp nhận 6.842 hồ sơ, trong đó trực tuyến 5.317 hồ sơ.")
    assert {f.tier for f in facts(text, hint="tỉnh Sông Biếc")} == {"province"}


def test_a_named_quarter_mentioned_again_keeps_its_window():
    text = ("Quý III/2024 (từ ngày 15/6 đến ngày 14/9/2024), huyện tiếp nhận 742 hồ sơ.\n"
            "Cũng trong quý III, huyện đã giải quyết 715 hồ sơ.")
    assert {(f.period_start, f.period_end) for f in facts(text)} == {(date(2024, 6, 15), date(2024, 9, 14))}


def test_reporting_window_in_a_sentence_without_numbers_frames_the_next():
    text = ("Ngày 14/7/2021, UBND huyện ban hành báo cáo kết quả CCHC 6 tháng đầu năm 2021 (từ ngày "
            "16/12/2020 đến ngày 15/6/2021).\nCấp huyện tiếp nhận 486 hồ sơ.")
    (f,) = facts(text, published=date(2021, 7, 16))
    assert (f.period_start, f.period_end, f.tier) == (date(2020, 12, 16), date(2021, 6, 15), "district")


def test_planned_period_does_not_frame():
    text = ("Hội nghị sơ kết 6 tháng đầu năm 2022, triển khai nhiệm vụ 6 tháng cuối năm 2022.\n"
            "Cấp huyện tiếp nhận 518 hồ sơ.")
    (f,) = facts(text, published=date(2022, 8, 12))
    assert (f.period_start, f.period_end) == (date(2022, 1, 1), date(2022, 6, 30))


def test_digits_of_a_numbered_commune_name_are_not_counts():
    text = "Tân Phước 2 đẩy mạnh dịch vụ công trực tuyến\nTháng 9/2025, xã Tân Phước 2 tiếp nhận 1.204 hồ sơ."
    assert [(f.metric, f.value) for f in facts(text, published=date(2025, 10, 14))] == [("dossiers_received", 1204)]


def test_a_count_of_other_things_is_not_a_fact():
    assert facts("Từ đầu năm đến nay, Huyện đoàn đã tiếp nhận 127 ý tưởng, sáng kiến của đoàn viên.") == []


def test_overdue_explained_by_its_field_is_still_overdue():
    assert metrics("Trong tháng 8/2025, xã đã giải quyết 839 hồ sơ; trong đó giải quyết đúng và trước hạn 831 hồ sơ, "
                   "trễ hạn 08 hồ sơ thuộc lĩnh vực đất đai.", published=date(2025, 9, 5))["dossiers_resolved_overdue"] == 8


# -- docs/phrasings.md section 1: cues easily confused ---------------------------------------
def test_new_intake_in_person_beside_online_is_offline():
    assert metrics("Quý II/2024, huyện tiếp nhận 2.000 hồ sơ trực tuyến và 500 hồ sơ mới tiếp nhận (trực tiếp và "
                   "bưu chính).") == {"dossiers_received_online": 2000, "dossiers_received_offline": 500}


def test_results_delivered_by_post_are_not_intake_or_resolution():
    assert facts("Quý II/2024, Bưu điện huyện đã trả kết quả 320 hồ sơ qua đường bưu điện.") == []


def test_overdue_stock_still_open_is_in_progress():
    got = [(f.metric, f.value) for f in facts("Quý II/2024, huyện đã giải quyết 1.000 hồ sơ; hiện còn 5 hồ sơ xử lý quá hạn.")]
    assert got == [("dossiers_resolved", 1000), ("dossiers_in_progress", 5)]


def test_rate_with_its_percent_sign_missing():
    assert metrics("Trong quý II/2024, số hồ sơ giải quyết đúng hạn đạt 91,6; số hồ sơ chậm 0,63%.") == {
        "rate_resolved_early_or_on_time": 91.6, "rate_resolved_overdue": 0.63}


def test_procedures_served_and_in_competence():
    assert [f.value for f in facts("Hiện nay, Trung tâm tiếp nhận và trả kết quả cho 1.685 thủ tục hành chính; tổng số "
                                   "456 TTHC thuộc thẩm quyền cấp huyện.") if f.metric == "procedures_total"] == [1685, 456]


def test_each_channel_part_without_a_whole_of_its_own_is_a_fact():
    got = [(f.metric, f.value) for f in facts("Quý II/2024, huyện tiếp nhận 4.000 hồ sơ, trong đó qua dịch vụ bưu chính "
                                              "công ích 120 hồ sơ, trực tiếp 880 hồ sơ, trực tuyến 3.000 hồ sơ.")]
    assert got == [("dossiers_received", 4000), ("dossiers_received_offline", 120), ("dossiers_received_offline", 880),
                   ("dossiers_received_online", 3000)]


def test_plan_year_and_den_nay_run_from_new_year_to_publication():
    got = facts("Theo Kế hoạch CCHC năm 2023, UBND huyện đề ra 26 nhiệm vụ, đến nay đã hoàn thành 19/26 nhiệm vụ "
                "(đạt 73,07%).", published=date(2023, 10, 12))
    assert {(f.period_start, f.period_end) for f in got} == {(date(2023, 1, 1), date(2023, 10, 12))}
    assert [(f.metric, f.value, f.tier) for f in got] == [
        ("reform_tasks_planned", 26, "all"), ("reform_tasks_completed", 19, "all"), ("rate_reform_tasks_completed", 73.07, "all")]


def test_plan_year_gives_way_to_the_quarter():
    (f,) = facts("Trong quý I/2024, theo Kế hoạch CCHC năm 2024, huyện tiếp nhận 500 hồ sơ.")
    assert (f.period_start, f.period_end) == (date(2024, 1, 1), date(2024, 3, 31))


# -- scope: periods, brackets and clauses --------------------------------------------------
def test_bare_quarter_takes_the_quarter_the_article_reports():
    got = facts("Quý III, huyện đã giải quyết 1.240 hồ sơ.\n\nVề hồ sơ trực tuyến, trong quý, huyện tiếp nhận 604 hồ sơ.",
                published=date(2021, 10, 5))
    assert {(f.period_start, f.period_end) for f in got} == {(date(2021, 7, 1), date(2021, 9, 30))}


def test_a_period_named_inside_a_paragraph_ends_with_it():
    got = facts("Quý III/2021, huyện đã giải quyết 1.240 hồ sơ. Tính trong 9 tháng qua, tỷ lệ giải quyết trễ hạn là 1,46%.\n\n"
                "Cấp xã đã giải quyết 8.350 hồ sơ.", published=date(2021, 9, 27))
    assert [(f.value, f.period_start, f.period_end) for f in got] == [
        (1240, date(2021, 7, 1), date(2021, 9, 30)), (1.46, date(2021, 1, 1), date(2021, 9, 30)),
        (8350, date(2021, 7, 1), date(2021, 9, 30))]


def test_a_target_year_after_the_number_is_not_its_period():
    got = facts("Quý III/2021, tỷ lệ trễ hạn của cấp xã là 0,48%, thấp hơn mục tiêu kế hoạch CCHC năm 2021 "
                "của tỉnh.", published=date(2021, 9, 27))
    assert [(f.metric, f.period_start) for f in got] == [("rate_resolved_overdue", date(2021, 7, 1))]


def test_a_figure_before_any_period_takes_the_first_period_reported_after_it():
    got = facts("Tỷ lệ số hóa hồ sơ đạt 100%.\n\nTừ ngày 1/7 đến cuối tháng 10/2025, phường tiếp nhận 2.318 hồ sơ.",
                published=None, hint="phường Bến Nguyệt, tỉnh Sông Biếc")
    assert {(f.period_start, f.period_end) for f in got} == {(date(2025, 7, 1), date(2025, 10, 31))}


def test_a_bracket_of_words_does_not_cut_the_label_from_its_number():
    assert metrics("Năm 2020, số hồ sơ yêu cầu giải quyết TTHC (thủ tục hành chính) của kỳ báo cáo là 47.236 bộ.") == {
        "dossiers_received": 47236}


def test_a_bracket_after_a_count_adds_only_a_channel():
    assert metrics("Quý I/2023, hơn 10.600 hồ sơ đã được giải quyết (chủ yếu giải quyết trước hạn và đúng hạn).") == {
        "dossiers_resolved": 10600}


def test_still_being_resolved_is_in_progress():
    assert metrics("Quý I/2023, huyện đang tiếp tục giải quyết 1.593 hồ sơ.") == {"dossiers_in_progress": 1593}


def test_service_levels_written_as_cap_do():
    assert metrics("Hiện nay, cấp xã có 3 TTHC thực hiện ở cấp độ 4; 7 TTHC thực hiện ở cấp độ 3.") == {
        "online_services_full": 3, "online_services_partial": 7}


def test_a_list_of_fields_splits_one_whole():
    assert metrics("Năm 2019, huyện tiếp nhận 41.000 hồ sơ. Các lĩnh vực tiếp nhận nhiều như: Tư pháp: trên 29 nghìn hồ "
                   "sơ; công an: 2.150 hồ sơ.") == {"dossiers_received": 41000}


def test_units_without_overdue_dossiers_state_no_zero():
    assert metrics("Quý III/2021, cấp xã đã giải quyết 8.350 hồ sơ; 9 đơn vị không phát sinh hồ sơ trễ hạn.") == {
        "dossiers_resolved": 8350}


def test_numbers_in_a_tier_phrase_are_not_counts():
    assert brief("Năm 2019, số hồ sơ thuộc 2 cấp huyện và xã được giải quyết là trên 118 ngàn hồ sơ.") == [
        ("dossiers_resolved", 118000, "more_than", "all")]


def test_a_sentence_opening_with_trong_do_breaks_down_the_previous_count():
    assert brief("Năm 2023, toàn huyện tiếp nhận 35.000 hồ sơ. Trong đó cấp huyện 14.000 hồ sơ, giải quyết 13.866 hồ "
                 "sơ; cấp xã tiếp nhận 21.000 hồ sơ.") == [
        ("dossiers_received", 35000, "exact", "all"), ("dossiers_received", 14000, "exact", "district"),
        ("dossiers_resolved", 13866, "exact", "district"), ("dossiers_received", 21000, "exact", "commune")]


def test_a_number_in_a_clause_the_text_cuts_off_is_no_fact():
    text = ("Quý I/2023, huyện có 264 thủ tục hành chính phân cấp cho UBND cấp huyện; 121 thủ tục hành chính phân cấp "
            "cho UBND cấp xã và 138 thủ tục hành ch")
    assert brief(text, published=date(2023, 3, 16)) == [("procedures_total", 264, "exact", "district"),
                                                        ("procedures_total", 121, "exact", "commune")]


# -- breakdowns, tiers and scope in provincial articles ------------------------------------
PROVINCE = "tỉnh Sông Biếc"


def test_gom_before_a_clauses_first_number_links_the_label():
    assert brief("Quý I/2024, toàn tỉnh đang giải quyết gồm 6.354 hồ sơ, có 5.190 hồ sơ chưa đến hạn và 1.164 hồ sơ "
                 "đã quá hạn.", hint=PROVINCE) == [("dossiers_in_progress", 6354, "exact", "all")]


def test_trong_so_a_count_opens_its_breakdown():
    assert brief("Quý I/2024, trong số 2.871 hồ sơ đang giải quyết, hồ sơ chưa đến hạn là 2.118 hồ sơ và có 753 "
                 "hồ sơ đã quá hạn.", hint=PROVINCE) == [("dossiers_in_progress", 2871, "exact", "all")]


def test_overdue_left_in_a_resolved_breakdown_was_resolved():
    assert metrics("Quý I/2024, cấp huyện đã giải quyết 301.482 hồ sơ; trong đó, đúng và trước hạn có 296.127 hồ sơ, "
                   "còn 5.355 hồ sơ quá hạn.", hint=PROVINCE)["dossiers_resolved_overdue"] == 5355


def test_returned_late_is_resolved_overdue_even_against_the_rules():
    assert metrics("Năm 2024, Trung tâm đã giải quyết 2.700 hồ sơ; trả quá hạn so với quy định 238 hồ sơ.",
                   hint=PROVINCE)["dossiers_resolved_overdue"] == 238


def test_one_tier_named_beside_the_whole_province_is_that_tier():
    assert brief("Với cấp xã, toàn tỉnh quý I/2024 tiếp nhận 241.307 hồ sơ.", hint=PROVINCE) == [
        ("dossiers_received", 241307, "exact", "commune")]


def test_district_and_commune_tiers_together_are_no_tier_of_a_province():
    assert brief("Tháng 1/2022, tại Bộ phận một cửa cấp huyện, cấp xã đã tiếp nhận mới hơn 11.400 hồ sơ.", hint=PROVINCE) == []
    assert brief("Tháng 1/2022 cấp huyện, cấp xã tiếp nhận mới 11.400 hồ sơ.") == [
        ("dossiers_received_new", 11400, "exact", "all")]


def test_dossiers_due_are_no_fact():
    assert metrics("Tháng 1/2022, có 3.962 hồ sơ đến hạn giải quyết, đã có 3.947 hồ sơ được trả kết quả trước và đúng "
                   "hạn.", hint=PROVINCE) == {"dossiers_resolved_early_or_on_time": 3947}


def test_level_3_and_4_submissions_are_parts_of_online_intake():
    assert metrics("Tháng 1/2022, cấp tỉnh có hồ sơ trực tuyến phát sinh với tổng số 780 hồ sơ, trong đó có 35 hồ sơ nộp "
                   "mức độ 3 và 745 hồ sơ nộp mức độ 4.", hint=PROVINCE) == {"dossiers_received_online": 780}


def test_a_centre_without_a_tier_word_is_its_localitys_own():
    assert brief("Tháng 10/2020, Trung tâm Phục vụ hành chính công đã tiếp nhận 9.640 hồ sơ.", hint=PROVINCE) == [
        ("dossiers_received", 9640, "exact", "province")]
    assert brief("Tháng 10/2020, Trung tâm Phục vụ hành chính công đã tiếp nhận 1.180 hồ sơ.") == [
        ("dossiers_received", 1180, "exact", "district")]


def test_the_titles_tier_holds_in_paragraphs_that_name_none():
    got = brief("Trung tâm Phục vụ hành chính công tỉnh giải quyết trên 8.300 hồ sơ\n\nTrong tháng 10-2020, Trung tâm "
                "đã tiếp nhận 9.640 hồ sơ.\n\nCơ quan chức năng đã giải quyết 8.410 hồ sơ.", hint=PROVINCE)
    assert got == [("dossiers_received", 9640, "exact", "province"), ("dossiers_resolved", 8410, "exact", "province")]


def test_counts_since_a_centre_opened_start_on_its_opening_day():
    (f,) = facts("Trung tâm chính thức đi vào hoạt động từ 05/6/2017.\n\nSau gần một năm đi vào hoạt động, tính đến hết tháng "
                 "4/2018, Trung tâm đã tiếp nhận 26.054 hồ sơ.", published=date(2018, 5, 22), hint=PROVINCE)
    assert (f.period_start, f.period_end) == (date(2017, 6, 5), date(2018, 4, 30))


def test_a_period_framed_by_a_sentence_without_facts_carries_on():
    got = facts("Từ ngày 3.1.2018 đến 18.5.2018 đã tiếp nhận 23.914 hồ sơ. Chỉ tính riêng trong tuần (từ ngày 12.5.2018 "
                "đến 18.5.2018) đã có 1.047 lượt công dân đến giao dịch.\n\nSố hồ sơ được giải quyết là 1.388/1.512.",
                published=None, hint=PROVINCE)
    assert [(f.metric, f.value, f.period_start) for f in got] == [
        ("dossiers_received", 23914, date(2018, 1, 3)), ("dossiers_resolved", 1388, date(2018, 5, 12)),
        ("dossiers_received", 1512, date(2018, 5, 12))]


def test_the_whole_of_resolved_x_over_y_is_received_unless_stated():
    assert metrics("Quý I/2024, huyện tiếp nhận 1.512 hồ sơ; số hồ sơ được giải quyết là 1.388/1.512.") == {
        "dossiers_received": 1512, "dossiers_resolved": 1388}
    assert [f.note for f in facts("Quý I/2024, số hồ sơ được giải quyết là 1.388/1.512.")] == [None, "whole of x/y"]


def test_a_count_in_brackets_belongs_to_the_words_before_them():
    assert metrics("Trong tháng 10-2020, huyện tiếp nhận 9.640 hồ sơ. Trong đó, đa số hồ sơ được tiếp nhận trực tiếp "
                   "(6,9 ngàn HS).")["dossiers_received_offline"] == 6900


def test_figures_of_agencies_and_places_in_a_list_are_splits():
    assert metrics("Tháng 10-2020, tỉnh tiếp nhận 9.640 hồ sơ. Các cơ quan có số lượng hồ sơ tiếp nhận nhiều là: Công "
                   "an tỉnh 3,1 ngàn HS, Sở Công Thương 1,4 ngàn HS.", hint=PROVINCE) == {"dossiers_received": 9640}
    assert metrics("Năm 2021, các địa phương có tỷ lệ hồ sơ giải quyết đúng hạn đạt 100% là huyện Ngàn Sương.",
                   hint=PROVINCE) == {}


def test_an_article_naming_no_unit_is_about_the_hinted_province():
    (f,) = facts("Tỷ lệ giải quyết hồ sơ cấp xã đạt cao\n\nNăm 2021, 76 xã, phường, thị trấn trong tỉnh đã tiếp "
                 "nhận 837.215 hồ sơ.\n\nCác xã thuộc TP.Bến Nguyệt đạt tỷ lệ cao.", hint=PROVINCE)
    assert (f.locality.name, f.locality.type, f.tier) == ("Sông Biếc", "tinh", "commune")


def test_a_photo_caption_restating_the_body_is_no_fact():
    got = brief("Trong sáng 25-2, toàn tỉnh đã tiếp nhận 1.572 hồ sơ.\n\nTrung tâm tỉnh đã tiếp nhận hơn 1.550 hồ sơ "
                "trong ngày. Ảnh: MINH KHÔI", published=date(2026, 2, 25), hint=PROVINCE)
    assert got == [("dossiers_received", 1572, "exact", "all")]


def test_a_morning_or_the_day_is_a_one_day_period():
    got = facts("Trong sáng 25-2, toàn tỉnh đã tiếp nhận 1.572 hồ sơ. Toàn tỉnh đã giải quyết xong 455 hồ sơ trong ngày.",
                published=date(2026, 2, 26), hint=PROVINCE)
    assert {(f.period_start, f.period_end) for f in got} == {(date(2026, 2, 25), date(2026, 2, 25))}


def test_a_label_naming_services_makes_a_count_of_services():
    assert metrics("Tổng số DVCTT đang cung cấp là 1.514 (gồm 1.196 DVCTT một phần và 318 DVCTT toàn trình).",
                   published=date(2025, 10, 3)) == {
        "online_services": 1514, "online_services_partial": 1196, "online_services_full": 318}


def test_parts_of_a_count_that_is_no_fact_are_none():
    assert metrics("Huyện đã ban hành 38 quyết định công bố danh mục 372 TTHC (trong đó có 84 TTHC mới, 231 sửa đổi).") == {}


def test_services_integrated_into_the_national_portal_are_a_subset():
    assert metrics("Hiện tỉnh có 1.493 TTHC được cung cấp dịch vụ công trực tuyến (DVCTT) toàn trình, đã tích hợp "
                   "được 572 DVCTT lên Cổng Dịch vụ công quốc gia.", hint=PROVINCE) == {"online_services_full": 1493}


def test_an_officials_centre_is_no_tier_opener():
    assert brief("Ngày 9-8, ông Tùng, Giám đốc Trung tâm Phục vụ hành chính công tỉnh, cho biết hiện nay, toàn "
                 "tỉnh đang thực hiện 2.087 thủ tục hành chính.", published=date(2025, 8, 9), hint=PROVINCE) == [
        ("procedures_total", 2087, "exact", "all")]


def test_a_share_followed_by_its_channel():
    assert metrics("Trong ngày 25-2, các sở, ngành tỉnh đã tiếp nhận 48 hồ sơ, 100% qua hình thức trực tuyến.",
                   hint=PROVINCE) == {"dossiers_received": 48, "rate_received_online": 100}


# -- generalisation: structures found on articles beyond the dev set ------------------------
WARD = "phường Bến Nguyệt, tỉnh Sông Biếc"


def test_counts_since_the_two_level_government_began():
    got = facts("Sau hơn một tháng vận hành mô hình chính quyền địa phương 2 cấp, phường tiếp nhận 2.000 hồ sơ.",
                published=date(2025, 8, 8), hint=WARD)
    assert [(f.period_start, f.period_end) for f in got] == [(date(2025, 7, 1), date(2025, 8, 8))]


def test_the_first_days_after_opening():
    got = facts("Trung tâm chính thức đi vào hoạt động từ ngày 1-7-2025. Trong 4 ngày đầu hoạt động, Trung tâm tiếp "
                "nhận 1.200 hồ sơ.", published=None, hint=WARD)
    assert [(f.period_start, f.period_end) for f in got] == [(date(2025, 7, 1), date(2025, 7, 4))]


def test_from_a_day_with_no_end_runs_to_publication():
    (f,) = facts("Từ ngày 1.7, trung tâm đã tiếp nhận 386 hồ sơ.", published=date(2025, 7, 9), hint=WARD)
    assert (f.period_start, f.period_end) == (date(2025, 7, 1), date(2025, 7, 9))


def test_a_year_named_elsewhere_places_a_range_without_one():
    got = facts("Báo cáo năm 2020.\n\nSau một tháng (1-7 đến 31-7), xã tiếp nhận 4.738 hồ sơ.", published=None, hint=WARD)
    assert [(f.period_start, f.period_end) for f in got] == [(date(2020, 7, 1), date(2020, 7, 31))]


def test_a_ward_centres_total_beside_a_part_by_authority_is_all():
    got = brief("Từ ngày 1/7 đến 30/9/2025, Trung tâm tiếp nhận 12.406 hồ sơ. Riêng hồ sơ thuộc thẩm quyền cấp xã "
                "có tổng số 2.593.", hint=WARD)
    assert got == [("dossiers_received", 12406, "exact", "all"), ("dossiers_received", 2593, "exact", "commune")]


def test_a_district_centres_split_by_authority_in_a_nested_list():
    text = ("Từ 01/01/2020 đến 20/11/2020, Trung tâm Hành chính công thành phố Bến Nguyệt tiếp nhận và chuyển tới các "
            "phòng chuyên môn giải quyết tổng số 31.270 hồ sơ thủ tục hành chính.\nCụ thể như sau:\n"
            "* Hồ sơ thuộc thẩm quyền giải quyết của UBND thành phố: 18146 hồ sơ, trong đó:\n"
            "+ Đã giải quyết: 16902 hồ sơ (đúng hạn 15604/trễ hạn 1298)\n"
            "Số hồ sơ được giải quyết đúng hạn đạt 92,3; số hồ sơ trễ hạn chiếm 7,4%.\n"
            "* Hồ sơ thuộc thẩm quyền của Chi nhánh Văn phòng đăng ký đất đai: 13124 hồ sơ.")
    got = brief(text, published=date(2020, 11, 24), hint="thành phố Bến Nguyệt, tỉnh Sông Biếc")
    assert got == [
        ("dossiers_received", 31270, "exact", "all"), ("dossiers_received", 18146, "exact", "district"),
        ("dossiers_resolved", 16902, "exact", "district"), ("dossiers_resolved_early_or_on_time", 15604, "exact", "district"),
        ("dossiers_resolved_overdue", 1298, "exact", "district"), ("rate_resolved_early_or_on_time", 92.3, "exact", "district"),
        ("rate_resolved_overdue", 7.4, "exact", "district"), ("dossiers_received", 13124, "exact", "province")]


def test_who_reports_the_figures_is_no_tier():
    assert brief("Theo thống kê của Trung tâm Phục vụ hành chính công tỉnh, trong tháng 8/2021 Bộ phận một cửa "
                 "cấp huyện, cấp xã đã tiếp nhận mới 18.245 hồ sơ.", hint=PROVINCE) == []


def test_units_over_their_number_are_no_date():
    assert brief("Tháng 8/2021, có đến 5/9 huyện đạt tỷ lệ dưới 3%; huyện Suối Ngọc tiếp nhận 1.000 hồ sơ.", hint=PROVINCE)[0][1] == 1000


def test_a_provincial_city_of_a_province_is_a_district():
    (f,) = facts("Năm 2020, Trung tâm Hành chính công thành phố Bến Nguyệt tiếp nhận 3.000 hồ sơ.",
                 hint="thành phố Bến Nguyệt, tỉnh Sông Biếc")
    assert f.tier == "district"


def test_a_paragraph_opening_cu_the_is_body_not_head():
    got = brief("Bến Nguyệt: tỷ lệ giải quyết hồ sơ cao\n\nUBND thành phố cho biết, công tác cải cách hành chính năm "
                "2023 đạt nhiều kết quả.\n\nCụ thể, năm 2023, toàn thành phố đã tiếp nhận 81.306 hồ sơ.\n\nTrong đó, "
                "cấp xã tiếp nhận 66.925 hồ sơ.", hint="thành phố Bến Nguyệt, tỉnh Sông Biếc")
    assert ("dossiers_received", 81306, "exact", "all") in got


def test_a_rate_after_a_closed_bracket_is_its_wholes():
    got = metrics("Năm 2023, huyện giải quyết trước hạn, đúng hạn 14.826 hồ sơ (trong đó có 342 hồ sơ đang giải quyết "
                  "trong hạn), đạt tỷ lệ 96,84%.")
    assert got["rate_resolved_early_or_on_time"] == 96.84 and got["dossiers_resolved_early_or_on_time"] == 14826


def test_none_at_each_tier_named():
    assert brief("Quý I/2020, ở cả cấp huyện và cấp xã không có hồ sơ quá hạn.") == [
        ("dossiers_resolved_overdue", 0, "exact", "commune"), ("dossiers_resolved_overdue", 0, "exact", "district")]


def test_received_and_resolved_on_time_in_one_phrase():
    assert brief("Quý I/2017, cấp xã đã tiếp nhận và giải quyết đúng hẹn 31.872 hồ sơ, đạt 100%.") == [
        ("dossiers_received", 31872, "exact", "commune"), ("dossiers_resolved_early_or_on_time", 31872, "exact", "commune"),
        ("rate_resolved_early_or_on_time", 100, "exact", "commune")]


def test_a_snapshot_dates_its_sentence_only():
    got = facts("Quý I năm 2024 (tính từ ngày 15/12/2023 đến ngày 14/3/2024), Trung tâm tiếp tục thực hiện tốt nhiệm vụ.\n"
                "Hiện nay, Trung tâm đang tiếp nhận 1.606 thủ tục hành chính.\nTrong kỳ, Trung tâm đã tiếp nhận 6.215 hồ sơ.",
                published=date(2024, 3, 20), hint=PROVINCE)
    assert [(f.value, f.period_start) for f in got] == [(1606, date(2024, 3, 20)), (6215, date(2023, 12, 15))]


def test_a_field_that_only_describes_a_count_is_no_split():
    assert metrics("Tháng 8/2025, xã giải quyết 764 hồ sơ, trễ hạn 07 hồ sơ thuộc lĩnh vực đất đai; còn 31 hồ sơ đang "
                   "được xử lý.", hint=WARD)["dossiers_in_progress"] == 31
    assert metrics("Năm 2018, huyện tiếp nhận 2.187 hồ sơ. Trong đó, lĩnh vực Đất đai tiếp nhận 615 hồ sơ.") == {
        "dossiers_received": 2187}


def test_the_whole_district_named_by_its_reporter():
    assert brief("Theo báo cáo của Văn phòng HĐND và UBND huyện, trong quý I/2024, toàn huyện tiếp nhận 4.836 hồ sơ. "
                 "Cấp xã tiếp nhận 4.209 hồ sơ.")[0] == ("dossiers_received", 4836, "exact", "all")


def test_tasks_assigned_from_above_are_not_the_reform_plans():
    assert metrics("Trong quý I/2024, UBND tỉnh nhận được 18 nhiệm vụ do Chính phủ giao; 6 nhiệm vụ đã hoàn thành.",
                   hint=PROVINCE) == {}


def test_up_to_a_month_runs_from_the_new_year():
    (f,) = facts("Tính đến tháng 2, tỷ lệ số hóa hồ sơ của tỉnh đạt 62,47%.", published=date(2024, 3, 23), hint=PROVINCE)
    assert (f.period_start, f.period_end) == (date(2024, 1, 1), date(2024, 2, 29))


def test_online_services_over_the_procedures_in_force():
    got = metrics("Năm 2020, tỉnh đẩy mạnh dịch vụ công. Riêng DVC trực tuyến mức 3 và mức 4, tỉnh hiện đã cung cấp tổng "
                  "số 1.078/2020 thủ tục (đạt 53%).", published=date(2020, 12, 20), hint=PROVINCE)
    assert got == {"online_services": 1078, "procedures_total": 2020}


# -- structures met on the fresh held-out articles ----------------------------------------
def test_a_committee_whose_communes_report_other_metrics_is_the_whole_district():
    assert brief("Năm 2022, UBND huyện Ngàn Sương đã tiếp nhận 158.604 hồ sơ; thực hiện số hóa cấp huyện đạt 68,2%, cấp "
                 "xã đã số hóa đạt 24,6%.") == [
        ("dossiers_received", 158604, "exact", "all"), ("rate_digitized", 68.2, "exact", "district"),
        ("rate_digitized", 24.6, "exact", "commune")]


def test_tier_parts_of_an_online_total_are_online():
    got = brief("Năm 2018, toàn tỉnh tiếp nhận 812.540 hồ sơ. Trong đó, số hồ sơ trực tuyến mới tiếp nhận là 2.745 hồ sơ "
                "(cấp tỉnh tiếp nhận 612 hồ sơ, cấp huyện tiếp nhận 934 hồ sơ; cấp xã tiếp nhận 1.199 hồ sơ).", hint=PROVINCE)
    assert got[1:] == [("dossiers_received_online", v, "exact", t) for v, t in
                       ((2745, "all"), (612, "province"), (934, "district"), (1199, "commune"))]


def test_a_title_stating_a_figure_is_about_the_office_it_names():
    got = brief("98,76% hồ sơ ở Trung tâm Phục vụ hành chính công tỉnh giải quyết đúng hạn\n\nTheo báo cáo, trong tháng "
                "8/2021 đã tiếp nhận mới 4.318 hồ sơ của tổ chức, cá nhân.", hint=PROVINCE)
    assert ("dossiers_received_new", 4318, "exact", "province") in got


def test_fields_of_a_stated_count_and_fields_on_which():
    got = metrics("Hiện nay, Trung tâm thực hiện 183 thủ tục trên 22 lĩnh vực. Số thủ tục thực hiện trong ngày là 19 trên "
                  "4 lĩnh vực.", published=date(2018, 12, 31))
    assert got == {"procedures_total": 183, "procedure_fields": 22}
    assert [f.qualifier for f in facts("Hiện nay, Trung tâm thực hiện 183 thủ tục trên 22 lĩnh vực.")] == ["exact", "exact"]


def test_one_verb_for_two_counts_joined_by_va():
    assert metrics("Năm 2022, thành phố hoàn thành 9/9 chỉ tiêu và 57/60 nhiệm vụ cải cách hành chính.") == {
        "reform_tasks_completed": 57, "reform_tasks_planned": 60}


def test_a_bylines_initials_are_no_ward():
    (f,) = facts("Năm 2017, huyện Ngàn Sương tiếp nhận 7.946 hồ sơ.\n\nP.G")
    assert (f.locality.name, f.locality.type) == ("Ngàn Sương", "huyen")


def test_relative_words_never_resolve_against_the_crawl_time():
    from datetime import datetime
    got = extract_facts_strict("Từ đầu năm đến nay, huyện Ngàn Sương tiếp nhận 1.200 hồ sơ.", None, None, HINT,
                               fetched_at=datetime(2026, 12, 2, 3, 0))
    assert got == []  # no publication date: "đến nay" has no end, and the night's clock is not the article's


def test_a_system_named_after_resolution_still_receives():
    assert metrics("Tháng 11/2025, Hệ thống thông tin giải quyết TTHC tỉnh đã tiếp nhận 196.482 hồ sơ.",
                   hint=PROVINCE) == {"dossiers_received": 196482}


def test_dossiers_within_their_deadline_are_in_progress():
    assert metrics("Quý I/2024, tỉnh đang giải quyết 7.930 hồ sơ (trong hạn giải quyết 7.204 hồ sơ và 726 hồ sơ quá hạn).",
                   hint=PROVINCE) == {"dossiers_in_progress": 7930}


def test_a_fixed_pair_does_not_cut_a_label():
    assert metrics("Năm 2021, toàn tỉnh có 203.518 hồ sơ của các tổ chức, cá nhân yêu cầu giải quyết.", hint=PROVINCE) == {
        "dossiers_received": 203518}


def test_the_on_time_count_over_the_resolved():
    assert metrics("Trong quý I/2025, tỷ lệ giải quyết đúng hạn 4.897/4.905 hồ sơ, đạt tỷ lệ 99,84%.") == {
        "dossiers_resolved_early_or_on_time": 4897, "dossiers_resolved": 4905, "rate_resolved_early_or_on_time": 99.84}


def test_a_property_of_a_counted_set_of_units_is_no_fact():
    assert metrics("Từ ngày 1 đến 15/7/2025, có 57 xã, phường có phát sinh dưới 120 hồ sơ.", hint=PROVINCE) == {}


def test_the_fields_a_count_belongs_to_do_not_split_it():
    got = facts("Trong buổi sáng đầu tiên làm việc sau kỳ nghỉ Tết, xã đã tiếp nhận hơn 40 hồ sơ thuộc các lĩnh vực hộ tịch, "
                "đất đai.", published=date(2026, 2, 23), hint=WARD)
    assert [(f.metric, f.value, f.qualifier, f.period_start, f.period_end) for f in got] == [
        ("dossiers_received", 40, "more_than", date(2026, 2, 23), date(2026, 2, 23))]
