"""Composing outgoing mail: headers, threading, Vietnamese text, parts and attachments."""

from __future__ import annotations

import email
import email.policy
import re
from email.policy import EmailPolicy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.compose import SMTP_POLICY, OutgoingMail, compose
from mailer.incoming import Attachment, read_message
from mailer.screening import screen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROBOT = "phongcttt.solongan@moet.edu.vn"


def reply(**changes) -> OutgoingMail:
    values = dict(
        from_addr=ROBOT, from_name="Phòng Giáo dục Trung học", to=["thpt.a@longan.edu.vn"],
        subject="Xác nhận đã nhận Báo cáo 6 tháng đầu năm 2026", text="Kính gửi Trường THPT A,\nSở đã nhận báo cáo.",
        in_reply_to="<orig@longan.edu.vn>", references=["<older@moet.edu.vn>", "<orig@longan.edu.vn>"],
        headers={"X-Report-Robot": "ack", "Auto-Submitted": "auto-replied"},
    )
    values.update(changes)
    return OutgoingMail(**values)


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_headers_and_threading() -> None:
    raw = compose(reply(cc=["vanthu@longan.edu.vn"]), domain="moet.edu.vn")
    message = parse(raw)
    assert read_message(raw).sender_name == "Phòng Giáo dục Trung học"
    assert message["From"].addresses[0].addr_spec == ROBOT
    assert message["To"] == "thpt.a@longan.edu.vn" and message["Cc"] == "vanthu@longan.edu.vn"
    assert message["Subject"] == "Xác nhận đã nhận Báo cáo 6 tháng đầu năm 2026"
    assert re.fullmatch(r"<[^@<>]+@moet\.edu\.vn>", message["Message-ID"])
    assert message["Date"].datetime.tzinfo is not None
    assert message["In-Reply-To"] == "<orig@longan.edu.vn>"
    assert message["References"] == "<older@moet.edu.vn> <orig@longan.edu.vn>"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert message["X-Loop"] == ROBOT
    assert message["X-Report-Robot"] == "ack" and message["Auto-Submitted"] == "auto-replied"
    assert message.get_content().replace("\r\n", "\n") == "Kính gửi Trường THPT A,\nSở đã nhận báo cáo.\n"


def test_bytes_are_seven_bit_with_crlf_and_encoded_vietnamese_headers() -> None:
    raw = compose(reply(), domain="moet.edu.vn")
    assert raw.isascii()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in header_block
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


@pytest.mark.parametrize("text", [
    "Xác nhận đã nhận Báo cáo 6 tháng đầu năm 2026",
    "Nhắc nộp báo cáo: Báo cáo năm 2026 (hạn trước ngày 01/12/2026) — Trường THPT Nguyễn Hữu Thọ, Bến Lức",
])
def test_long_vietnamese_subject_and_name_keep_their_spaces(text: str) -> None:
    """CPython's own folder drops the space at an encoded-word boundary ("tháng đầu" → "thángđầu")."""
    raw = compose(reply(subject=text, from_name=text, to=["Trường THPT A <thpt.a@longan.edu.vn>"]), "moet.edu.vn")
    mail = read_message(raw)
    assert mail.subject == text
    assert mail.sender_name == text
    assert parse(raw)["Subject"] == text
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))


def test_references_start_from_in_reply_to_when_none_given() -> None:
    message = parse(compose(reply(references=[]), domain="moet.edu.vn"))
    assert message["References"] == "<orig@longan.edu.vn>"


def test_a_new_mail_has_no_threading_headers() -> None:
    message = parse(compose(reply(in_reply_to=None, references=[]), domain="moet.edu.vn"))
    assert "In-Reply-To" not in message and "References" not in message


def test_the_message_id_the_caller_chose_is_the_mails() -> None:
    raw = compose(reply(message_id="<171.2.3@moet.edu.vn>"), domain="")
    assert parse(raw)["Message-ID"] == "<171.2.3@moet.edu.vn>"


def test_each_compose_gets_a_new_message_id() -> None:
    first, second = (parse(compose(reply(), "moet.edu.vn"))["Message-ID"] for _ in range(2))
    assert first != second and first.endswith("@moet.edu.vn>")


def test_attachments_round_trip_with_vietnamese_names() -> None:
    files = [Attachment("Mẫu báo cáo 6 tháng.xlsx", XLSX, b"PK\x03\x04" + bytes(range(256))),
             Attachment("ghi chú.txt", "text/plain", "Ghi chú".encode())]
    raw = compose(reply(attachments=files), domain="moet.edu.vn")
    assert b"filename*=utf-8''M%E1%BA%AB" in raw  # RFC 2231
    mail = read_message(raw)
    assert [(a.filename, a.content_type, a.data) for a in mail.attachments] == [
        (f.filename, f.content_type, f.data) for f in files]
    assert mail.text_body == "Kính gửi Trường THPT A,\nSở đã nhận báo cáo.\n"


def test_html_with_inline_chart_is_alternative_and_related() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"chart"
    raw = compose(reply(html='<p>Tiến độ</p><img src="cid:chart-1">', inline_images=[("chart-1", png)],
                        attachments=[Attachment("tong-hop.xlsx", XLSX, b"PK")]), domain="moet.edu.vn")
    message = parse(raw)
    assert message.get_content_type() == "multipart/mixed"
    alternative = message.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert "Tiến độ" in html.get_content()
    assert image["Content-ID"] == "<chart-1>" and image.get_content() == png
    assert [part["MIME-Version"] for part in message.walk()][1:] == [None] * 6
    mail = read_message(raw)
    assert [a.filename for a in mail.attachments] == ["tong-hop.xlsx"]  # the nameless inline chart is not a file
    assert "Tiến độ" in mail.html_body


def test_inline_images_without_html_are_refused() -> None:
    with pytest.raises(ValueError, match="HTML"):
        compose(reply(inline_images=[("c", b"png")]), domain="moet.edu.vn")


def test_extra_headers_replace_rather_than_duplicate() -> None:
    message = parse(compose(reply(headers={"X-Loop": "other@moet.edu.vn"}), domain="moet.edu.vn"))
    assert message.get_all("X-Loop") == ["other@moet.edu.vn"]


def test_the_robot_recognises_its_own_composed_mail() -> None:
    verdict = screen(read_message(compose(reply(headers={}), domain="moet.edu.vn")), {ROBOT})
    assert verdict is not None and verdict.kind == "own_mail"


def _folded_alike(name: str, value: str) -> None:
    header = SMTP_POLICY.header_factory(name, value)
    assert SMTP_POLICY.fold_binary(name, header) == EmailPolicy.fold_binary(SMTP_POLICY, name, header)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["Subject", "X-Report-Robot-Fields", "X-Loop", "References", "In-Reply-To"]),
       value=st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=90))
def test_a_text_header_that_fits_on_a_line_is_written_as_the_stdlib_folder_writes_it(name: str, value: str) -> None:
    """The short-line shortcut of the SMTP policy changes no byte of what the folder would write."""
    _folded_alike(name, value)


@pytest.mark.parametrize(("name", "value"), [
    ("Content-Type", 'text/plain; charset="utf-8"'), ("Content-Type", 'multipart/mixed; boundary="===1=="'),
    ("Content-Transfer-Encoding", "base64"), ("Content-Disposition", 'attachment; filename="bao cao.xlsx"'),
    ("Message-ID", "<171.2.3@moet.edu.vn>"), ("Date", "Wed, 02 Dec 2026 08:00:00 +0700"), ("MIME-Version", "1.0"),
])
def test_the_structured_headers_the_robot_writes_are_written_as_the_folder_writes_them(name, value) -> None:
    _folded_alike(name, value)
