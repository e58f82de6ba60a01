"""extract_facts never raises, and what it returns keeps the contract, on any text."""
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings, strategies as st

from cchc.extract.facts import MAX_CHARS, extract_facts, extract_facts_strict
from cchc.vocabulary import LOCALITY_TYPES, METRIC_BY_NAME, QUALIFIERS, TIERS

FRAGMENTS = [
    "tiếp nhận", "đã giải quyết", "trong đó", "trước hạn", "đúng hạn", "quá hạn", "trễ hạn", "đang giải quyết",
    "kỳ trước chuyển sang", "trực tuyến", "trực tiếp, qua bưu chính", "số hóa", "hồ sơ", "thủ tục hành chính",
    "toàn trình", "một phần", "nhiệm vụ", "lĩnh vực", "cấp huyện", "cấp xã", "UBND các xã, thị trấn", "huyện Thọ Xuân",
    "xã Tân Phước 1", "Phường 1", "tỉnh Sơn La", "quý I/2025", "tháng 11/2023", "6 tháng đầu năm", "từ đầu năm đến nay",
    "Từ ngày 1-7-2025 đến nay", "(từ 15/12/2022 đến 14/3/2023)", "hiện nay", "gần", "hơn", "trên", "dưới", "đạt",
    "chiếm", "(", ")", ",", ";", ".", ". ", "\n", "/", "%", "không có", "tất cả", "mười hai", "tám", "Ð", "hoá", "Uỷ",
    "4.847", "90,26%", "02", "1.931/2.168", "61,3 ngàn", "99.57%", "0", "100%", "Công văn số 1203", "ISO 9001-2015",
    "30/30 xã", "so với", "phấn đấu", "  ", "\u00a0", "\u0301", "Đăng lúc: 26/03/2025", "1 giờ trước",
]
vietnamese = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join)
digits_and_marks = st.text(alphabet="0123456789.,/%- \n()", max_size=200)
anything = st.text(max_size=400)
published = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
hints = st.one_of(st.none(), st.sampled_from(["huyện Thọ Xuân, tỉnh Thanh Hóa", "tỉnh Sơn La", "xã Tân Phước 1", "", "???"]), st.text(max_size=30))


def check_contract(text, facts):
    assert isinstance(facts, list)
    for f in facts:
        assert f.metric in METRIC_BY_NAME and f.unit == METRIC_BY_NAME[f.metric].unit
        assert f.qualifier in QUALIFIERS and f.tier in TIERS
        assert f.locality.name and f.locality.type in LOCALITY_TYPES
        assert f.period_start <= f.period_end
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
        assert f.evidence.start <= f.value_start < f.evidence.end
        assert text[f.value_start:f.value_start + len(f.value_text)] == f.value_text
        assert f.to_json()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vietnamese, published, hints)
def test_garbled_vietnamese_keeps_the_contract(text, pub, hint):
    check_contract(text, extract_facts_strict(text, pub, None, hint))


@settings(max_examples=100, deadline=None)
@given(digits_and_marks, published)
def test_digits_dots_commas_and_percent_signs(text, pub):
    check_contract(text, extract_facts_strict(text, pub, None, "huyện Thọ Xuân"))


@settings(max_examples=100, deadline=None)
@given(anything, published, hints)
def test_random_text(text, pub, hint):
    check_contract(text, extract_facts_strict(text, pub, "http://" + (hint or "x"), hint))


def test_empty_and_blank():
    assert extract_facts("") == [] and extract_facts(" \n\t ") == []


def test_other_languages_yield_nothing():
    for text in ("行政改革：本季度受理文件3,962件，按时办结率91.35%。",
                 "In Q1 2025 the district received 3,962 dossiers, 91.35% on time.",
                 "В первом квартале 2025 года принято 3 962 заявлений, 91,35% вовремя."):
        assert extract_facts(text, date(2025, 4, 1), None, "huyện Thọ Xuân") == []


def test_a_two_megabyte_page():
    """A page of two megabytes: navigation, counters and a report repeated. Only its first
    ``MAX_CHARS`` characters are read; whatever comes back keeps the contract."""
    block = ("Trang chủ | Tin tức | Liên hệ\nHôm nay: 5507\nTrong quý I/2025, UBND huyện Thọ Xuân tiếp nhận 3.962 "
             "hồ sơ, trong đó trực tuyến 3.318 hồ sơ; đã giải quyết 3.870 hồ sơ (trước hạn 3.200, đúng hạn 612, quá "
             "hạn 58). Việc cải cách hành chính được lãnh đạo huyện thường xuyên quan tâm, triển khai bài bản.\n")
    text = block * (2_000_000 // len(block))
    facts = extract_facts(text, date(2025, 4, 1), None, None, datetime(2025, 4, 1))
    check_contract(text, facts)
    assert facts and max(f.evidence.end for f in facts) <= MAX_CHARS
