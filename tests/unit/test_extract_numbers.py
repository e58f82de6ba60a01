"""Numbers as Vietnamese officials write them (docs/phrasings.md, section 3)."""
import pytest

from cchc.extract.numbers import find_numbers, parse_numeral, words_value


def only(text):
    (n,) = find_numbers(text)
    return n


def test_dot_groups_thousands():
    assert parse_numeral("4.847") == 4847
    assert parse_numeral("482.316") == 482316
    assert parse_numeral("1.234.567") == 1234567


def test_comma_is_the_decimal_mark():
    assert parse_numeral("90,26") == pytest.approx(90.26)
    assert parse_numeral("106,811") == pytest.approx(106.811)


def test_both_separators_mean_thousands_dot_and_decimal_comma():
    assert parse_numeral("26.936,4") == pytest.approx(26936.4)


@pytest.mark.parametrize("written, value", [("99.57", 99.57), ("99.9", 99.9), ("131.2", 131.2), ("0.702", 0.702), ("0.7024", 0.7024)])
def test_english_decimal_dot_by_the_digits_after_it(written, value):
    assert parse_numeral(written) == pytest.approx(value)


def test_leading_zeros_are_plain_integers():
    assert parse_numeral("02") == 2
    assert parse_numeral("07") == 7


def test_dotted_date_is_not_a_number():
    assert parse_numeral("5.3.2019") is None


def test_percent_with_or_without_space():
    assert only("đạt 90,26%").percent and only("đạt 90,26%").value == pytest.approx(90.26)
    assert only("3,45 %").percent


def test_part_over_whole():
    n = only("số hóa 1.931/2.168 hồ sơ")
    assert (n.value, n.whole) == (1931, 2168)


def test_slash_in_a_breakdown_is_no_ratio():
    values = [n.value for n in find_numbers("(đúng hạn 17265/trễ hạn 1458)")]
    assert values == [17265, 1458]
    assert all(n.whole is None for n in find_numbers("(đúng hạn 17265/trễ hạn 1458)"))


@pytest.mark.parametrize("text, value", [("61,3 ngàn hồ sơ", 61300), ("hơn 26 nghìn", 26000), ("1,488 triệu", 1488000)])
def test_scale_words_multiply(text, value):
    assert only(text).value == pytest.approx(value)


@pytest.mark.parametrize("text, qualifier", [
    ("gần 2.100 hồ sơ", "approx"), ("khoảng 300 dịch vụ", "approx"), ("hơn 17.100", "more_than"),
    ("đạt trên 48%", "more_than"), ("dưới 3%", "less_than"), ("chiếm 85,4%", "exact"), ("61,3 ngàn", "exact"),
])
def test_qualifier_is_the_word_right_before(text, qualifier):
    assert only(text).qualifier == qualifier


def test_trên_not_before_a_number_is_no_qualifier():
    assert only("trên hệ thống có 50 hồ sơ").qualifier == "exact"


@pytest.mark.parametrize("text, value", [("không có hồ sơ quá hạn", 0), ("chỉ tám hồ sơ", 8), ("mười hai hồ sơ", 12), ("hai mươi lăm hồ sơ", 25)])
def test_counts_in_words(text, value):
    n = only(text)
    assert n.in_words and n.value == value


def test_number_words_count_only_before_a_dossier_noun():
    assert not any(n.in_words for n in find_numbers("năm 2025, cơ chế một cửa, một phần"))
    assert [n.value for n in find_numbers("năm hồ sơ") if n.in_words] == [5]


def test_all_dossiers_is_one_hundred_percent():
    n = only("tất cả hồ sơ đều được giải quyết")
    assert n.percent and n.value == 100


def test_words_value():
    assert words_value("mười") == 10
    assert words_value("chín mươi chín") == 99


def test_absurdly_long_digit_runs_are_ignored():
    assert find_numbers("9" * 5000) == []


# -- typos: a numeral broken by stray spaces or doubled separators is no number ------------
@pytest.mark.parametrize("text", [
    "tỷ lệ giải quyết đúng hạn đạt 9 9 ,2%.", "đạt 99 ,2 %", "có 1..2 hồ sơ quá hạn", "có 1,,2 hồ sơ",
    "tiếp nhận 1.234..5 hồ sơ", "tiếp nhận 1 .234 hồ sơ", "số hóa 1.931/2..168 hồ sơ",
])
def test_a_broken_numeral_is_no_number_neither_before_nor_after_the_break(text):
    assert find_numbers(text) == []


def test_a_break_takes_only_its_own_numeral():
    assert [n.value for n in find_numbers("tiếp nhận 12 hồ sơ, 5, 6 ,7 hồ sơ và 8 hồ sơ")] == [12, 5, 8]


@pytest.mark.parametrize("text, values", [
    ("1.234 hồ sơ", [1234]), ("1.234.567 hồ sơ", [1234567]), ("đạt 98,5%", [98.5]), ("đạt 99,2 %", [99.2]),
    ("12 hồ sơ", [12]), ("các ngày 5, 6 và 7", [5, 6, 7]), ("từ 9 - 10 hồ sơ", [9, 10]),
    ("đã giải quyết 120. 5 hồ sơ còn lại", [120, 5]), ("tiếp nhận 12...", [12]), ("tiếp nhận 12... 5 hồ sơ", [12, 5]),
])
def test_well_written_numbers_next_to_separators_and_spaces_are_kept(text, values):
    assert [n.value for n in find_numbers(text)] == pytest.approx(values)


@pytest.mark.parametrize("text", ["Tỷ lệ giải quyết đúng hạn đạt 9 9 ,2%.", "Có 1..2 hồ sơ quá hạn."])
def test_a_broken_number_makes_no_fact(text):
    from datetime import date

    from cchc.extract.facts import extract_facts

    sentence = "Trong quý I/2025, huyện Ngàn Sương đã giải quyết 1.250 hồ sơ. " + text
    facts = extract_facts(sentence, published=date(2025, 4, 10), locality_hint="huyện Ngàn Sương, tỉnh Sông Biếc")
    assert [(f.metric, f.value) for f in facts] == [("dossiers_resolved", 1250)]


def test_x_on_y_is_x_out_of_y_and_trên_before_a_number_is_still_more_than():
    from cchc.extract.numbers import find_numbers

    assert [(n.value, n.whole, n.qualifier) for n in find_numbers("số hóa 1.240 trên tổng số 3.105 hồ sơ")] == [(1240, 3105, "exact")]
    assert [(n.value, n.whole, n.qualifier) for n in find_numbers("giải quyết 812 trên 830 hồ sơ")] == [(812, 830, "exact")]
    assert [(n.value, n.whole, n.qualifier) for n in find_numbers("tiếp nhận trên 4.300 hồ sơ")] == [(4300, None, "more_than")]
    assert [(n.value, n.qualifier) for n in find_numbers("204 thủ tục trên 19 lĩnh vực")] == [(204, "exact"), (19, "more_than")]
