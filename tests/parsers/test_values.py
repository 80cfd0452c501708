"""Counts and yes/no answers as Vietnamese schools type them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.schema import FieldSpec
from parsers.values import parse_bool, parse_int, parse_value

COUNT = FieldSpec("so_buoi_tt", "04", "Số buổi tuyên truyền", "int")
YES_NO = FieldSpec("ke_hoach", "01", "Đã ban hành kế hoạch", "bool")
TEXT = FieldSpec("kho_khan", "16", "Khó khăn, vướng mắc", "text")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("05", 5),
        ("1.250", 1250),
        ("1,250", 1250),
        ("1 250", 1250),
        ("1\u00a0250", 1250),
        ("1.250.000", 1_250_000),
        ("05 buổi", 5),
        ("12 lượt", 12),
        ("12.0", 12),
        ("0", 0),
        (" 7 ", 7),
        ("03 hình thức (hội thi, sân khấu hóa)", 3),
        ("-", 0),
        ("Không", 0),
        (12, 12),
        (12.0, 12),
    ],
)
def test_parse_int_accepts_how_counts_are_written(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("12,5", "số nguyên"),
        ("1.25", "số nguyên"),
        ("-3", "âm"),
        ("70%", "phần trăm"),
        ("nhiều", "không phải là số"),
        ("5 buổi, 3 lượt", "nhiều hơn một số"),
        ("", "trống"),
        (12.5, "số nguyên"),
        (-1, "âm"),
        (True, "đúng/sai"),
    ],
)
def test_parse_int_refuses_what_is_not_a_count(text, why):
    with pytest.raises(ValueError, match=why):
        parse_int(text)


@given(
    number=st.integers(min_value=0, max_value=10**12), separator=st.sampled_from([".", ",", " ", "\u00a0"])
)
def test_parse_int_reads_any_count_with_thousands_separators(number, separator):
    assert parse_int(f"{number:,}".replace(",", separator)) == number


@given(
    number=st.integers(min_value=0, max_value=10**9),
    zeros=st.integers(0, 3),
    unit=st.sampled_from(["", " buổi", " lượt", " người"]),
)
def test_parse_int_reads_leading_zeros_and_unit_words(number, zeros, unit):
    assert parse_int("0" * zeros + str(number) + unit) == number


@given(number=st.integers(min_value=1, max_value=10**6), decimals=st.integers(1, 99).filter(lambda d: d % 10))
def test_parse_int_refuses_any_decimal(number, decimals):
    with pytest.raises(ValueError):
        parse_int(f"{number},{decimals}")


YES = [
    "Có",
    "có",
    "co",
    "CÓ",
    "C",
    "x",
    "X",
    "✓",
    "yes",
    "Đã",
    "đã ban hành",
    "Đã thực hiện",
    "1",
    "Có (Kế hoạch số 12/KH-THPT)",
]
NO = ["Không", "khong", "K", "Chưa", "chưa ban hành", "0", "no", "-"]


@pytest.mark.parametrize("text", YES)
def test_parse_bool_yes(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", NO)
def test_parse_bool_no(text):
    assert parse_bool(text) is False


@given(word=st.sampled_from(YES + NO), upper=st.booleans(), pad=st.sampled_from(["", " ", "\u00a0", "  "]))
def test_parse_bool_ignores_case_and_padding(word, upper, pad):
    text = pad + (word.upper() if upper else word) + pad
    assert parse_bool(text) is (word in YES)


ENGLISH_MARKS = {"n", "y", "yes", "true", "false"}


@given(st.text(alphabet="abefghilmnpqrstuvz ?!", min_size=1).filter(lambda t: t.strip() not in ENGLISH_MARKS))
def test_parse_bool_refuses_other_words(text):
    with pytest.raises(ValueError, match="Có"):
        parse_bool(text)


def test_parse_value_per_field_type():
    assert parse_value(COUNT, "1.250 em") == (1250, None)
    assert parse_value(COUNT, 0.7) == (None, "không phải số nguyên")  # a percentage cell in Excel
    assert parse_value(COUNT, "70%")[1].startswith("là tỷ lệ phần trăm")
    assert parse_value(COUNT, dt.datetime(2026, 5, 1))[0] is None
    assert parse_value(YES_NO, "x") == (True, None)
    assert parse_value(YES_NO, True) == (True, None)
    assert parse_value(YES_NO, 0) == (False, None)
    assert parse_value(YES_NO, "chắc vậy") == (None, "cần ghi “Có” hoặc “Không”")
    assert parse_value(TEXT, "  Thiếu kinh phí  ") == ("Thiếu kinh phí", None)
    assert parse_value(TEXT, 12.0) == ("12", None)
