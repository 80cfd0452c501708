"""When two readings of a figure on a scan count as the same, well-shaped figure (no Tesseract here)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.ocr.shapes import agreed, figure_alone, figure_on_page, same_figure, yes_no
from parsers.schema import FieldSpec

COUNT = FieldSpec("so_hssv_duoc_tt", "05", "Số học sinh, sinh viên được tuyên truyền", "int")
YES_NO = FieldSpec("long_ghep", "08", "Có lồng ghép phòng, chống mại dâm", "bool")
NOTE = FieldSpec("kho_khan", "16", "Khó khăn, vướng mắc", "text")


def written(count: int, habit: str) -> str:
    """A count as clerks write it: plain, thousands dot or space, padded to two digits."""
    if habit == "dots":
        return f"{count:,}".replace(",", ".")
    if habit == "spaces":
        return f"{count:,}".replace(",", " ")
    if habit == "padded":
        return f"{count:02d}"
    return str(count)


@given(st.integers(0, 9_999_999), st.sampled_from(["plain", "dots", "spaces", "padded"]),
       st.sampled_from(["plain", "dots", "padded"]))
def test_the_same_count_in_two_habits_agrees(count, on_page, alone):
    """GIVEN a count as the page reading shows it and as the digits-only reading shows it
    THEN they agree, whichever Vietnamese way each writes it."""
    assert agreed(COUNT, written(count, on_page), written(count, alone))


@given(st.integers(0, 99_999), st.integers(0, 99_999))
def test_two_different_counts_never_agree(first, second):
    if first != second:
        assert not agreed(COUNT, written(first, "dots"), written(second, "plain"))


@pytest.mark.parametrize(("page", "expected"), [
    ("05", "05"), ("1.250", "1.250"), ("1250", "1250"), ("1 250", "1 250"), ("1,250", "1,250"),
    ("70%", "70%"), ("05 buổi", "05"), ("1.250 lượt HS", "1.250"), ("12 em", "12"),
])
def test_figures_in_shapes_forms_use(page, expected):
    assert figure_on_page(page) == expected


@pytest.mark.parametrize("page", [
    "1.25O", "l250", "1.25", "12.5", "1.2500", "1432”", "86“. SIÁM HIỆ)", "?", "", "-", "Có", "3 4",
    "12 a 3", "1.250.", "(12)", "1 B P", "7 Xi“", "4 ngày",
])
def test_misread_or_odd_figures_have_no_shape(page):
    """GIVEN what a stamp, a smudge or a letter mistaken for a digit leaves THEN it is no figure."""
    assert figure_on_page(page) is None
    assert not agreed(COUNT, page, page.strip("“”().").replace("O", "0").replace("l", "1"))


@pytest.mark.parametrize("alone", ["1250", "1.250", "1,250"])
def test_digits_only_reading_is_a_bare_figure(alone):
    assert figure_alone(alone) is not None
    assert figure_alone(alone + " buổi") is None


def test_a_percentage_agrees_only_with_a_percentage():
    assert same_figure("70%", "70%")
    assert not same_figure("70%", "70")
    assert agreed(COUNT, "70%", "70%")  # taken as read; the robot then refuses a percentage for a count


@pytest.mark.parametrize(("page", "second", "answer"), [
    ("Có", "Có", True), ("Không", "Không", False), ("Đã ban hành", "Đã ban hành", True),
    ("Chưa", "Chưa", False), ("x", "x", True),
])
def test_yes_no_words_read_twice_agree(page, second, answer):
    assert yes_no(page) is answer
    assert agreed(YES_NO, page, second)


@pytest.mark.parametrize(("page", "second"), [
    ("Có", "Không"), ("Cé", "Có"), ("1", "1"), ("c", "c"), ("Có 3", "Có 3"), ("`:Gỏ", "Có"), ("", ""),
])
def test_yes_no_misread_or_marks_are_not_taken(page, second):
    """Single letters and digits are yes/no in a spreadsheet, but on a scan they are as likely a speck."""
    assert not agreed(YES_NO, page, second)


def test_notes_agree_word_for_word():
    assert agreed(NOTE, "Thiếu tài liệu  tuyên truyền", "Thiếu tài liệu tuyên truyền.")
    assert not agreed(NOTE, "Thiếu tài liệu tuyên truyền", "Thiếu tài liệu tuyên truyển")
    assert not agreed(NOTE, "", "")
