"""Normalisation keeps a map back to the original characters."""
import unicodedata

from cchc.extract.normalize import normalize


def test_old_tone_placement_folds_to_the_vocabulary_spelling():
    assert normalize("số hoá, Uỷ ban, thuỷ, khoẻ").text == "số hóa, Ủy ban, thủy, khỏe"


def test_quý_keeps_its_tone():
    assert normalize("quý I, quỹ").text == "quý I, quỹ"


def test_eth_becomes_đ():
    assert normalize("\u00d0ồng Tháp").text == "Đồng Tháp"


def test_tỉ_lệ_becomes_tỷ_lệ():
    assert normalize("tỉ lệ 90%").text == "tỷ lệ 90%"


def test_decomposed_input_maps_back_to_original_offsets():
    original = unicodedata.normalize("NFD", "Thanh Hóa tiếp nhận 4.847 hồ sơ")
    nt = normalize(original)
    at = nt.text.index("4.847")
    assert nt.original_of(at, at + 5) == "4.847"
    assert nt.original_of(0, len(nt.text)) == original


def test_spaces_collapse_but_offsets_span_the_run():
    nt = normalize("a  \u00a0b\n\n  c")
    assert nt.text == "a b\nc"
    assert nt.original_of(0, 3) == "a  \u00a0b"


def test_folded_has_the_same_length():
    nt = normalize("İstanbul ẞ ĐỒNG")
    assert len(nt.folded) == len(nt.text)
