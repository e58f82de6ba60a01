"""Localities and the article's default locality."""
from cchc.contracts import Locality
from cchc.extract.localities import default_locality, find_localities, parse_hint, province_from_url
from cchc.extract.normalize import normalize


def names(text):
    return [(m.locality.name, m.locality.type) for m in find_localities(normalize(text)) if not m.qualifier]


def test_type_word_and_capitalised_name():
    assert names("UBND huyện Thọ Xuân đã ban hành") == [("Thọ Xuân", "huyen")]


def test_numbered_new_communes():
    assert names("Tại xã Tân Phước 1, công tác") == [("Tân Phước 1", "xa")]
    assert names("Phường 1 tiếp nhận") == [("1", "phuong")]


def test_a_count_after_a_name_is_not_part_of_it():
    assert names("xã Đồi Mây 12 hồ sơ") == [("Đồi Mây", "xa")]


def test_region_label_is_not_a_locality():
    assert names("Các xã khu vực Đồi Mây: Đẩy mạnh số hóa hồ sơ") == []


def test_plural_type_words_name_no_unit():
    assert names("UBND các xã, thị trấn và 22 xã") == []


def test_party_committee_is_not_a_locality():
    assert names("Ban Thường vụ Huyện ủy Tân Hồng") == []


def test_abbreviated_types():
    assert names("TP. Cao Lãnh và TX.Bến Cát") == [("Cao Lãnh", "thanh_pho"), ("Bến Cát", "thi_xa")]


def test_parent_in_brackets_qualifies_not_switches():
    found = find_localities(normalize("UBND xã An Phước (huyện Tân Hồng)"))
    assert [m.qualifier for m in found] == [False, True]


def test_hint_with_province():
    loc, province = parse_hint("huyện Thọ Xuân, tỉnh Thanh Hóa")
    assert loc == Locality("Thọ Xuân", "huyen", "Thanh Hóa") and province == "Thanh Hóa"


def test_province_hint_gives_way_to_the_unit_the_lead_names():
    nt = normalize("Nâng chất lượng phục vụ người dân\n(songbiec.gov.vn) Trong tháng 3/2024, việc giải quyết thủ tục hành chính tại huyện Ngàn Sương có nhiều chuyển biến.")
    assert default_locality(nt, "tỉnh Sông Biếc", None, len(nt.text)) == Locality("Ngàn Sương", "huyen", "Sông Biếc")


def test_district_hint_wins():
    nt = normalize("Xã Xuân Minh tiếp nhận hồ sơ")
    assert default_locality(nt, "huyện Thọ Xuân, tỉnh Thanh Hóa", None, len(nt.text)).name == "Thọ Xuân"


def test_unit_named_in_the_title_without_its_type_word():
    nt = normalize("Thọ Xuân thực hiện hiệu quả CCHC\nhuyện Lam Sơn và huyện Thọ Xuân tiếp tục đẩy mạnh")
    assert default_locality(nt, None, None, len(nt.text)).name == "Thọ Xuân"


def test_province_from_portal_host():
    assert province_from_url("https://thoxuan.thanhhoa.gov.vn/tin") == "Thanh Hóa"
    assert province_from_url("http://baodongthap.vn/x") == "Đồng Tháp"
    assert province_from_url("sonla.gov.vn") == "Sơn La"
    assert province_from_url("https://example.org") is None


def test_province_named_first_in_the_lead_is_the_subject():
    nt = normalize("Trung tâm Phục vụ hành chính công tỉnh: quý I/2024\nQuý I năm 2024, Trung tâm Phục vụ hành chính "
                   "công tỉnh Sơn La tiếp tục thực hiện tốt việc tiếp nhận hồ sơ; huyện Mai Sơn có nhiều mô hình hay.")
    assert default_locality(nt, "tỉnh Sơn La", None, len(nt.text)) == Locality("Sơn La", "tinh", "Sơn La")
