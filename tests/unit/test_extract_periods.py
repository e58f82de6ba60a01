"""Reporting periods (docs/phrasings.md, section 4)."""
from datetime import date

import pytest

from cchc.extract.normalize import fold
from cchc.extract.periods import find_periods

PUB = date(2025, 11, 20)


def period(text, published=PUB):
    found = find_periods(fold(text), published)
    assert len(found) == 1, found
    return found[0].period_start.isoformat(), found[0].period_end.isoformat()


@pytest.mark.parametrize("text, expected", [
    ("trong tháng 11/2023", ("2023-11-01", "2023-11-30")),
    ("tháng 11 năm 2023", ("2023-11-01", "2023-11-30")),
    ("tháng 10-2020", ("2020-10-01", "2020-10-31")),
    ("quý I/2025", ("2025-01-01", "2025-03-31")),
    ("quý III năm 2021", ("2021-07-01", "2021-09-30")),
    ("3 tháng đầu năm 2025", ("2025-01-01", "2025-03-31")),
    ("ba tháng đầu năm 2025", ("2025-01-01", "2025-03-31")),
    ("6 tháng đầu năm 2022", ("2022-01-01", "2022-06-30")),
    ("9 tháng năm 2020", ("2020-01-01", "2020-09-30")),
    ("trong 9 tháng của năm 2019", ("2019-01-01", "2019-09-30")),
    ("6 tháng đầu của năm 2021", ("2021-01-01", "2021-06-30")),
    ("6 tháng cuối năm 2025", ("2025-07-01", "2025-12-31")),
    ("năm 2023", ("2023-01-01", "2023-12-31")),
])
def test_named_periods(text, expected):
    assert period(text) == expected


def test_date_range_with_a_dash():
    assert period("Từ ngày 16/11/2023 - 15/8/2024,") == ("2023-11-16", "2024-08-15")


def test_bracketed_range_overrides_the_named_period():
    assert period("quý I (từ 15/12/2022 đến 14/3/2023)") == ("2022-12-15", "2023-03-14")
    assert period("quý I năm 2024 (tính từ ngày 15/12/2023 đến 14/3/2024)") == ("2023-12-15", "2024-03-14")


def test_since_new_year_ends_at_publication():
    assert period("từ đầu năm đến nay") == ("2025-01-01", "2025-11-20")


def test_since_a_date_ends_at_publication():
    assert period("Từ ngày 1-7-2025 đến nay") == ("2025-07-01", "2025-11-20")
    assert period("Từ ngày 1/7 đến nay") == ("2025-07-01", "2025-11-20")


def test_month_without_year_takes_publication_year_or_the_one_before():
    assert period("tháng 10 vừa qua") == ("2025-10-01", "2025-10-31")
    assert period("tháng 12") == ("2024-12-01", "2024-12-31")


def test_named_period_may_end_after_publication():
    assert period("Quý IV", date(2025, 12, 1)) == ("2025-10-01", "2025-12-31")


def test_snapshot_starts_and_ends_at_publication():
    assert period("Hiện nay, xã đang thực hiện") == ("2025-11-20", "2025-11-20")


def test_range_to_end_of_month():
    assert period("Tính từ ngày 1/7 đến cuối tháng 9/2025") == ("2025-07-01", "2025-09-30")


def test_planning_horizons_and_comparisons_are_not_periods():
    assert find_periods(fold("giai đoạn 2021 - 2030, tầm nhìn đến năm 2030"), PUB) == []
    assert find_periods(fold("tăng 5% so với năm 2022"), PUB) == []


def test_relative_periods_need_a_publication_date():
    assert find_periods(fold("từ đầu năm đến nay"), None) == []


def test_quarter_with_a_dotted_year():
    assert period("trong quý III.2020,") == ("2020-07-01", "2020-09-30")


def test_up_to_the_end_of_a_month_is_that_month_end():
    assert period("Tính đến cuối tháng 5 năm 2017,") == ("2017-05-31", "2017-05-31")


def test_in_the_quarter_without_a_number_is_the_publication_quarter():
    assert period("Về hồ sơ trực tuyến, trong quý, UBND", date(2021, 9, 27)) == ("2021-07-01", "2021-09-30")
    assert find_periods(fold("trong quý III/2021"), PUB)[0].kind == "named"


def test_from_one_named_period_to_the_end_of_another():
    assert period("Từ đầu năm 2018 đến hết quý I/2019, toàn huyện") == ("2018-01-01", "2019-03-31")


def test_two_adjacent_periods_named_together_span_both():
    assert period("Năm 2018 và quý I/2019, toàn huyện") == ("2018-01-01", "2019-03-31")


def test_up_to_the_start_of_a_quarter_ends_the_day_before():
    found = find_periods(fold("Tính đến đầu quý IV năm 2025, xã"), PUB)
    assert [(p.kind, p.period_end) for p in found] == [("until", date(2025, 9, 30))]
