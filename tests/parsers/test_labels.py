"""Label matching: the same indicator however it is retyped, and never a neighbour."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from default_indicators import DEFAULT_FIELDS
from hypothesis import given
from hypothesis import strategies as st

from parsers.labels import fold, match_field, normalize

BARE_FIELDS = tuple(dataclasses.replace(f, aliases=()) for f in DEFAULT_FIELDS)
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 ,.;:-()/%“”\u00a0\t"
NUMBERING = ["", "1. ", "12. ", "a) ", "đ) ", "- ", "+ ", "• ", "I. ", "IV. ", "1.2. ", "(3) ", "1) "]


def test_normalize_folds_vietnamese():
    assert (
        normalize("  1. Số HỌC SINH, sinh viên được tuyên truyền  ")
        == "so hoc sinh sinh vien duoc tuyen truyen"
    )
    assert normalize("Đề xuất, kiến nghị") == "de xuat kien nghi"
    assert normalize("a) Phòng, chống HIV/AIDS") == "phong chong hiv aids"
    assert normalize("IV. Khó khăn") == "kho khan"
    assert normalize("1.2. Tổng số") == "tong so"


@given(st.text(alphabet=ALPHABET))
def test_normalize_is_idempotent_on_vietnamese(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_normalize_is_idempotent_on_any_text(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " "))
def test_normalize_strips_every_diacritic(text):
    folded = normalize(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert len(folded.replace(" ", "")) == len(text.replace(" ", ""))  # one letter for one letter


CONFUSABLE = [
    ("Số vụ việc vi phạm đã được xử lý", "so_vu_xu_ly"),
    ("Số vụ việc vi phạm liên quan đến mại dâm được phát hiện", "so_vu_vi_pham"),
    ("Số vụ việc vi phạm được phát hiện", "so_vu_vi_pham"),
    ("So vu viec vi pham da xu ly", "so_vu_xu_ly"),
    ("Tổng số trường học trực thuộc", "so_truong_truc_thuoc"),
    ("Tổng số trường", "so_truong_truc_thuoc"),
    ("Số trường đã tổ chức ít nhất một hình thức tuyên truyền", "so_truong_co_tt"),
    ("Số học sinh, sinh viên được tuyên truyền", "so_hssv_duoc_tt"),
    ("Số HS, SV được tuyên truyền", "so_hssv_duoc_tt"),
    ("Tổng số học sinh, sinh viên của đơn vị", "tong_so_hssv"),
    ("Tổng số học sinh", "tong_so_hssv"),
    ("Số lượt CB-GV-NV được tuyên truyền", "so_cbgv_duoc_tt"),
    ("Số cán bộ tập huấn", "so_cb_tap_huan"),
    ("Số hình thức tuyên truyền", "so_hinh_thuc_tt"),
    ("Số buổi tuyên truyền", "so_buoi_tt"),
    ("Khó khăn", "kho_khan"),
    ("Kien nghi", "kien_nghi"),
]


@pytest.mark.parametrize("fields", [DEFAULT_FIELDS, BARE_FIELDS], ids=["aliases", "no-aliases"])
@pytest.mark.parametrize(("label", "key"), CONFUSABLE)
def test_neighbouring_indicators_are_told_apart(fields, label, key):
    found = match_field(label, fields)
    assert found is not None and found.key == key


@pytest.mark.parametrize(
    "label",
    [
        "Chỉ tiêu",
        "CHỈ TIÊU",
        "Nội dung",
        "STT",
        "Mã số",
        "Số liệu",
        "Ghi chú",
        "Tên đơn vị",
        "Kỳ báo cáo",
        "Nơi nhận",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Độc lập - Tự do - Hạnh phúc",
        "01",
        "1.250",
        "",
        "Số vụ vi phạm",
        "Số trường",
    ],
)
def test_headings_filler_and_ambiguous_labels_match_nothing(label):
    assert match_field(label, BARE_FIELDS) is None


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(
    spec=st.sampled_from(BARE_FIELDS),
    cases=st.lists(st.sampled_from(["lower", "upper", "keep"]), min_size=1, max_size=60),
    strip=st.booleans(),
    numbering=st.sampled_from(NUMBERING),
    trailing=st.sampled_from(["", ":", " ", " (Có/Không)", "."]),
)
def test_every_schema_label_survives_retyping(spec, cases, strip, numbering, trailing):
    """GIVEN a schema label WHEN its case changes, diacritics go, numbering is added THEN it still matches."""
    label = _strip_marks(spec.label) if strip else spec.label
    retyped = "".join(
        ch.lower()
        if cases[i % len(cases)] == "lower"
        else ch.upper()
        if cases[i % len(cases)] == "upper"
        else ch
        for i, ch in enumerate(label)
    )
    assert match_field(numbering + retyped + trailing, BARE_FIELDS) == spec


@given(spec=st.sampled_from(BARE_FIELDS), position=st.integers(0, 200))
def test_one_dropped_letter_still_matches(spec, position):
    """A typo in one long syllable does not lose the label."""
    words = spec.label.split()
    index = position % len(words)
    if len(words[index]) >= 5:
        words[index] = words[index][:-1] if words[index][-1].isalpha() else words[index]
    assert match_field(" ".join(words), BARE_FIELDS) == spec


def test_fold_keeps_punctuation_and_digits():
    assert fold("Báo cáo 6 tháng đầu năm 2026") == "bao cao 6 thang dau nam 2026"
    assert fold("Phòng GD&ĐT Đức Hòa") == "phong gd&dt duc hoa"
