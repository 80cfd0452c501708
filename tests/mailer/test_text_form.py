"""One text form: whatever Unicode form the sender's client typed, every text read from a mail is NFC."""

from __future__ import annotations

import unicodedata
import urllib.parse
from email.header import Header

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.incoming import IncomingMail, read_message

PHRASE = "Báo cáo 6 tháng đầu năm 2026 — Trường THPT Thủ Thừa, số học sinh được tuyên truyền"
NAME = "Nguyễn Thị Lan - Văn thư"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def unikey_to_hop(text: str) -> str:
    """Unikey's "Unicode tổ hợp": vowels keep their hat, breve or horn; the tone is a combining mark."""
    out = []
    for char in unicodedata.normalize("NFD", text):
        if char in TONES or not out:
            out.append(char)
        else:
            out[-1:] = [unicodedata.normalize("NFC", out[-1] + char)] if unicodedata.combining(char) else [out[-1], char]
    return "".join(out)


def texts(mail: IncomingMail) -> list[str]:
    return [mail.subject, mail.sender_name, mail.text_body, mail.html_body, mail.own_text,
            *(a.filename for a in mail.attachments)]


@pytest.mark.parametrize("form", ["NFD", "unikey"])
def test_every_text_of_a_mail_is_nfc(form: str) -> None:
    """GIVEN a mail whose subject, sender name, bodies and file name were typed decomposed
    THEN read_message gives each of them in NFC."""
    def typed_as(text: str) -> str:
        return unicodedata.normalize("NFD", text) if form == "NFD" else unikey_to_hop(text)

    typed = typed_as(PHRASE)
    assert typed != PHRASE
    name = urllib.parse.quote(typed.encode() + b".xlsx")
    raw = (f"From: {Header(typed_as(NAME), 'utf-8').encode()} <thpt.thuthua@longan.edu.vn>\r\n"
           f"Subject: {Header(typed, 'utf-8').encode()}\r\n"
           'Content-Type: multipart/mixed; boundary="M"\r\nMIME-Version: 1.0\r\n\r\n'
           '--M\r\nContent-Type: multipart/alternative; boundary="A"\r\n\r\n'
           f"--A\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{typed}\r\n"
           f"--A\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<p>{typed}</p>\r\n"
           "--A--\r\n--M\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
           f"Content-Disposition: attachment; filename*=utf-8''{name}\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           "UEsDBA==\r\n--M--\r\n").encode()
    mail = read_message(raw)
    assert mail.subject == PHRASE
    assert mail.sender_name == NAME
    assert mail.own_text == PHRASE
    assert mail.text_body.strip() == PHRASE
    assert mail.html_body.strip() == f"<p>{PHRASE}</p>"
    assert [a.filename for a in mail.attachments] == [PHRASE + ".xlsx"]


def test_raw_8bit_nfd_subject_is_nfc() -> None:
    raw = b"From: a@b.vn\r\nSubject: " + unicodedata.normalize("NFD", PHRASE).encode() + b"\r\n\r\nx"
    assert read_message(raw).subject == PHRASE


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
       st.sampled_from(["NFC", "NFD", "NFKD"]))
def test_subject_and_body_in_any_form_come_out_nfc(text: str, form: str) -> None:
    typed = unicodedata.normalize(form, text)
    raw = (f"From: a@b.vn\r\nSubject: {Header(typed, 'utf-8').encode()}\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode()
    mail = read_message(raw + typed.encode())
    assert all(unicodedata.is_normalized("NFC", value) for value in texts(mail))
    assert mail.subject == unicodedata.normalize("NFC", typed).strip()
