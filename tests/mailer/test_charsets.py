"""Charsets: declared ones read by their superset as mail clients do; undeclared 8-bit text as UTF-8,
Vietnamese windows-1258, detected, or windows-1258; the result always NFC."""

from __future__ import annotations

import base64
import string
import unicodedata
import urllib.parse
from email.header import Header

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.charsets import decode, decode_undeclared, superset
from mailer.encoded_words import decode_encoded_words
from mailer.incoming import read_message

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Vietnamese text as Windows writes it in windows-1258: base letter, then a combining tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("label, codec", [
    ("gb2312", "gb18030"), ("GB_2312-80", "gb18030"), ("gbk", "gb18030"), ("x-gbk", "gb18030"),
    ("iso-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"), ("ascii", "cp1252"),
    ("ks_c_5601-1987", "cp949"), ("euc-kr", "cp949"), ("iso-8859-11", "cp874"), ("tis-620", "cp874"),
    ("windows-874", "cp874"), ("shift_jis", "cp932"), ("x-sjis", "cp932"), ("big5", "big5hkscs"),
    ("iso-8859-9", "cp1254"), ('"windows-1258"', "cp1258"), ("UTF-8", "utf-8"), ("utf8mb4", "utf-8"),
    ("x-unknown-charset", None), ("", None), (None, None), ("utf-8\x00", None),
])
def test_declared_charsets_map_to_their_superset(label: str | None, codec: str | None) -> None:
    assert superset(label) == codec


@pytest.mark.parametrize("text, codec, label", [
    ("关于镕基金的报告", "gbk", "gb2312"),  # 镕 is in GBK, not in GB 2312
    ("“Báo cáo” – € 5", "cp1252", "iso-8859-1"),  # 0x93/0x94/0x96/0x80 are C1 controls in Latin-1
    ("“Report” …", "cp1252", "us-ascii"),
    ("①会議のお知らせ", "cp932", "shift_jis"),  # ① is an NEC extension
    ("똠 회의 안내", "cp949", "ks_c_5601-1987"),  # 똠 is in Unified Hangul Code only
    ("€ การประชุม…", "cp874", "tis-620"),
    ("㗎 香港", "big5hkscs", "big5"),
])
def test_declared_charset_is_read_by_its_superset(text: str, codec: str, label: str) -> None:
    assert decode(text.encode(codec), label) == text


def test_subject_labelled_gb2312_holding_a_gbk_character() -> None:
    """GIVEN a Chinese mailer's subject labelled gb2312 that holds 镕 (GBK only)
    THEN the subject reads right instead of falling back to windows-1258 mojibake."""
    word = base64.b64encode("关于镕基金报告".encode("gbk")).decode()
    raw = f"From: zhang@example.cn\r\nSubject: =?gb2312?B?{word}?=\r\n\r\nx".encode()
    assert read_message(raw).subject == "关于镕基金报告"


@pytest.mark.parametrize("subject", ["Café résumé", "Réunion à Hanoï, été", "Relatório de ação",
                                     "Città di Castello, così"])
def test_unlabelled_latin1_subject(subject: str) -> None:
    """GIVEN a subject written as raw Latin-1 bytes, with no encoded-word and no charset
    THEN it reads as written (ï, ç, ì are not windows-1258 Vietnamese, so detection decides)."""
    raw = b"From: marie@example.fr\r\nSubject: " + subject.encode("latin-1") + b"\r\n\r\nx"
    assert read_message(raw).subject == subject


def test_unlabelled_windows_1258_body() -> None:
    """GIVEN an old Vietnamese mailer's body in windows-1258 (combining tone marks), with no charset
    THEN it reads as Vietnamese, in NFC."""
    text = ("Kính gửi Sở Giáo dục và Đào tạo,\r\nTrường THPT Thủ Thừa gửi báo cáo 6 tháng đầu năm 2026.\r\n"
            "Số học sinh được tuyên truyền: 1.250\r\nTrân trọng.\r\n")
    raw = b"From: thpt.thuthua@longan.edu.vn\r\nSubject: Bao cao\r\n\r\n" + cp1258(text)
    mail = read_message(raw)
    assert mail.text_body == text.replace("\r\n", "\n")
    assert mail.own_text == text.replace("\r\n", "\n").strip()


def test_unlabelled_windows_1258_short_subject() -> None:
    """Detectors read "Báo cáo năm" in windows-1258 as Big5; the Vietnamese reading comes first."""
    raw = b"From: a@longan.edu.vn\r\nSubject: " + cp1258("Báo cáo năm") + b"\r\n\r\nx"
    assert read_message(raw).subject == "Báo cáo năm"


def test_utf8_under_a_one_byte_label_is_utf8() -> None:
    """Web forms label UTF-8 as iso-8859-1; valid non-ASCII UTF-8 is read as UTF-8."""
    text = "Số học sinh được tuyên truyền: 1.250"
    assert decode(text.encode(), "iso-8859-1") == text
    assert decode(text.encode(), "windows-1258") == text


def test_bytes_the_label_cannot_decode_are_read_as_undeclared() -> None:
    text = "Báo cáo năm 2026"
    assert decode(cp1258(text), "utf-8") == text
    assert decode(cp1258(text), "us-ascii") == text  # us-ascii over 8-bit bytes is no label at all


def test_html_part_without_mime_charset_uses_its_meta_charset() -> None:
    html = "<html><head><meta http-equiv=Content-Type content=\"text/html; charset=windows-1258\"></head>" \
           "<body><p>Trường THPT Cần Giuộc gửi Sở</p></body></html>"
    raw = b"From: a@b.vn\r\nContent-Type: text/html\r\n\r\n" + cp1258(html)
    assert read_message(raw).own_text == "Trường THPT Cần Giuộc gửi Sở"


def test_attachment_names_gbk_under_gb2312_and_raw_windows_1258() -> None:
    gbk_name = urllib.parse.quote("报告镕.doc".encode("gbk"))
    raw = (b"From: a@b.vn\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
           b"--B\r\nContent-Type: application/msword\r\n"
           b"Content-Disposition: attachment; filename*=gb2312''" + gbk_name.encode() + b"\r\n\r\nDOC\r\n"
           b"--B\r\nContent-Type: application/vnd.ms-excel\r\n"
           b'Content-Disposition: attachment; filename="' + cp1258("Báo cáo năm.xls") + b'"\r\n\r\nXLS\r\n--B--\r\n')
    assert [a.filename for a in read_message(raw).attachments] == ["报告镕.doc", "Báo cáo năm.xls"]


def test_encoded_words_split_inside_a_character_and_broken_words() -> None:
    data = "Báo cáo".encode()
    split = (f"=?utf-8?B?{base64.b64encode(data[:2]).decode()}?= "
             f"=?utf-8?B?{base64.b64encode(data[2:]).decode()}?=")
    assert decode_encoded_words(f"Re: {split} năm") == "Re: Báo cáo năm"
    assert decode_encoded_words("=?utf-8?q?a?= =?utf-8?q?b?= c") == "ab c"
    assert decode_encoded_words("=?utf-8?B?!!!broken?= x") == "=?utf-8?B?!!!broken?= x"
    assert decode_encoded_words("=?utf-8*vi?Q?B=C3=A1o_c=C3=A1o?=") == "Báo cáo"


LABELS = [None, "utf-8", "iso-8859-1", "us-ascii", "windows-1258", "gb2312", "shift_jis", "x-bogus",
          "utf-16", "base64", "\x00"]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "utf-8", "iso-8859-1", "us-ascii", "windows-1258", "x-bogus"]),
       st.sampled_from(["NFC", "NFD"]))
def test_utf8_text_comes_back_as_nfc_under_any_one_byte_label(text: str, label: str | None, form: str) -> None:
    typed = unicodedata.normalize(form, text)
    assert decode(typed.encode(), label) == unicodedata.normalize("NFC", text)


VIETNAMESE = sorted({unicodedata.normalize("NFC", vowel + tone)
                     for vowel in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY" for tone in ("", *TONES)} | set("đĐ"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIETNAMESE + list(string.ascii_letters + string.digits + " .,:;-()/\n"), min_size=1))
def test_unlabelled_windows_1258_vietnamese_round_trips(text: str) -> None:
    assert decode_undeclared(cp1258(text)) == unicodedata.normalize("NFC", text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(LABELS))
def test_decode_never_raises_and_gives_nfc(data: bytes, label: str | None) -> None:
    text = decode(data, label)
    assert unicodedata.is_normalized("NFC", text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_encoded_words_round_trip(text: str) -> None:
    encoded = Header(text, "utf-8").encode(linesep="\n").replace("\n ", " ")
    assert decode_encoded_words(encoded) == unicodedata.normalize("NFC", text)
