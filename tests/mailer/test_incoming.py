"""Reading received mail: tolerant of broken encodings, careful with file names and forwarded mail."""

from __future__ import annotations

import base64
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.incoming import read_message
from mailer.screening import screen
from tests.mailer.samples import simple_mail

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def multipart(*parts: str, headers: str = "From: thpt.a@school.example\r\nSubject: Báo cáo\r\n") -> bytes:
    body = "".join(f"--XYZ\r\n{part}\r\n" for part in parts) + "--XYZ--\r\n"
    return (headers + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
            + body).encode("utf-8")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_plain_fields() -> None:
    raw = (b"From: =?utf-8?q?Tr=C6=B0=E1=BB=9Dng_THPT_A?= <THPT.A@School.Example>\r\n"
           b"Reply-To: Van Thu <vanthu@school.example>\r\n"
           b"Return-Path: <bounces@school.example>\r\n"
           b"Subject: =?utf-8?b?QsOhbyBjw6FvIDYgdGjDoW5n?=\r\n"
           b"Date: Mon, 1 Jun 2026 08:00:00 +0700\r\n"
           b"Message-ID: <abc@school.example>\r\n"
           b"In-Reply-To: <r1@moet.edu.vn>\r\n"
           b"References: <r0@moet.edu.vn>\r\n <r1@moet.edu.vn>\r\n"
           b"Authentication-Results: mx.moet.edu.vn; spf=pass smtp.mailfrom=school.example;\r\n dmarc=pass\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nK\xc3\xadnh g\xe1\xbb\xadi\r\n")
    mail = read_message(raw)
    assert mail.sender == "thpt.a@school.example"
    assert mail.sender_name == "Trường THPT A"
    assert mail.reply_to == "vanthu@school.example"
    assert mail.return_path == "<bounces@school.example>"
    assert mail.subject == "Báo cáo 6 tháng"
    assert mail.date_header == "Mon, 1 Jun 2026 08:00:00 +0700"
    assert mail.message_id == "<abc@school.example>"
    assert mail.in_reply_to == "<r1@moet.edu.vn>"
    assert mail.references == ["<r0@moet.edu.vn>", "<r1@moet.edu.vn>"]
    assert mail.auth_results == ["mx.moet.edu.vn; spf=pass smtp.mailfrom=school.example; dmarc=pass"]
    assert mail.text_body == "Kính gửi\n"
    assert mail.html_body == "" and mail.attachments == []
    assert mail.headers["Message-ID"] == "<abc@school.example>"


def test_missing_headers_give_empty_values() -> None:
    mail = read_message(b"\r\nJust a body\r\n")
    assert (mail.sender, mail.sender_name, mail.subject, mail.message_id) == ("", "", "", "")
    assert mail.return_path is None and mail.references == [] and mail.reply_to == ""
    assert mail.text_body == "Just a body\n"


def test_unparseable_from_gives_no_sender() -> None:
    assert read_message(b"From: undisclosed recipients:;\r\nSubject: x\r\n\r\nbody").sender == ""
    assert read_message(b"From: <<<@@>>>\r\n\r\n").sender == ""


def test_wrong_or_unknown_charsets_fall_back_to_utf8() -> None:
    text = "Số học sinh được tuyên truyền: 1.250".encode()
    for charset in ("us-ascii", "x-unknown-charset", "utf8mb4"):
        raw = f"From: a@b.vn\r\nContent-Type: text/plain; charset={charset}\r\n\r\n".encode() + text
        assert read_message(raw).text_body == "Số học sinh được tuyên truyền: 1.250"


def test_windows_1258_body_is_read() -> None:
    body = "Báo cáo năm".encode("cp1258")
    raw = b"From: a@b.vn\r\nContent-Type: text/plain; charset=windows-1258\r\n\r\n" + body
    assert read_message(raw).text_body == "Báo cáo năm"


def test_undecodable_headers_survive() -> None:
    raw = ("From: Trường A <a@b.vn>\r\n"  # raw 8-bit UTF-8, not encoded
           "Subject: =?x-bogus?B?QsOhbyBjw6Fv?= =?utf-8?B?!!!broken?=\r\n\r\nx").encode()
    mail = read_message(raw)
    assert mail.sender == "a@b.vn"
    assert mail.sender_name == "Trường A"
    assert mail.subject.startswith("Báo cáo")


def test_html_only_body_becomes_text() -> None:
    raw = ("From: a@b.vn\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           "<html><body><p>Kính gửi Sở</p><table><tr><td>Số HS</td><td>1.250</td></tr></table>"
           "<script>x()</script></body></html>").encode()
    mail = read_message(raw)
    assert mail.text_body == "Kính gửi Sở\nSố HS\t1.250"
    assert "<table>" in mail.html_body


def test_alternative_prefers_the_plain_part() -> None:
    raw = multipart(
        'Content-Type: multipart/alternative; boundary="ALT"\r\n\r\n'
        "--ALT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBản văn\r\n"
        "--ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Bản <b>HTML</b></p>\r\n--ALT--")
    mail = read_message(raw)
    assert mail.text_body.strip() == "Bản văn"
    assert "<b>HTML</b>" in mail.html_body


def test_attachment_names_rfc2231_encoded_word_and_content_type_name() -> None:
    raw = multipart(
        "Content-Type: text/plain; charset=utf-8\r\n\r\nXem tệp đính kèm",
        f"Content-Type: {XLSX}\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%206%20th%C3%A1ng.xlsx\r\n\r\n"
        + b64(b"PK-one"),
        "Content-Type: application/msword\r\nContent-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="=?utf-8?b?QsOhbyBjw6FvIG7Eg20uZG9j?="\r\n\r\n' + b64(b"DOC"),
        'Content-Type: application/pdf; name="=?UTF-8?Q?B=C3=A1o_c=C3=A1o_k=C3=BD.pdf?="\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"%PDF"),
        "Content-Type: application/vnd.ms-excel\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n"
        " filename*0*=utf-8''B%C3%A1o%20c%C3%A1o;\r\n filename*1*=%20c%C5%A9.xls\r\n\r\n"
        + b64(b"XLS"),
        "Content-Type: application/octet-stream\r\n"
        'Content-Disposition: attachment; filename="../../etc/bao cao.zip"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"ZIP"),
    )
    mail = read_message(raw)
    assert [(a.filename, a.data) for a in mail.attachments] == [
        ("Báo cáo 6 tháng.xlsx", b"PK-one"),
        ("Báo cáo năm.doc", b"DOC"),
        ("Báo cáo ký.pdf", b"%PDF"),
        ("Báo cáo cũ.xls", b"XLS"),
        ("bao cao.zip", b"ZIP"),
    ]
    assert mail.attachments[0].content_type == XLSX
    assert mail.text_body == "Xem tệp đính kèm"


def test_nameless_parts_get_a_name_only_when_they_are_files() -> None:
    raw = multipart(
        "Content-Type: text/plain\r\n\r\nbody",
        f"Content-Type: {XLSX}\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(b"PK"),
        "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(b"??"),
        "Content-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"PNG-logo"),
        'Content-Type: image/jpeg\r\nContent-Disposition: inline; filename="scan.jpg"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"JPEG"),
        'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n\r\nSIG',
    )
    mail = read_message(raw)
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("attachment-1.xlsx", XLSX),
        ("attachment-2.bin", "application/octet-stream"),
        ("scan.jpg", "image/jpeg"),
    ]


def test_forwarded_message_gives_its_attachments() -> None:
    inner = multipart(
        "Content-Type: text/plain; charset=utf-8\r\n\r\nBáo cáo gửi kèm",
        f'Content-Type: {XLSX}\r\nContent-Disposition: attachment; filename="thcs-b.xlsx"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"PK-inner"),
        headers="From: thcs.b@school.example\r\nSubject: Bao cao\r\n",
    ).decode()
    raw = multipart(
        "Content-Type: text/plain; charset=utf-8\r\n\r\nChuyển tiếp báo cáo của THCS B",
        'Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="fwd.eml"\r\n\r\n'
        + inner.replace("XYZ", "INNER"),
        headers="From: pgd@school.example\r\nSubject: Fwd: Bao cao\r\n",
    )
    mail = read_message(raw)
    assert [(a.filename, a.data) for a in mail.attachments] == [("thcs-b.xlsx", b"PK-inner")]
    assert mail.text_body == "Chuyển tiếp báo cáo của THCS B"
    assert mail.sender == "pgd@school.example"


def test_base64_encoded_forwarded_message_is_opened() -> None:
    inner = (f'From: x@y.vn\r\nContent-Type: {XLSX}\r\nContent-Disposition: attachment; filename="a.xlsx"\r\n'
             "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"PK-deep")).encode()
    raw = multipart("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(inner))
    assert [(a.filename, a.data) for a in read_message(raw).attachments] == [("a.xlsx", b"PK-deep")]


def test_broken_base64_attachment_does_not_raise() -> None:
    raw = multipart('Content-Type: application/pdf; name="x.pdf"\r\n'
                    "Content-Transfer-Encoding: base64\r\n\r\n@@@not base64")
    (attachment,) = read_message(raw).attachments
    assert attachment.filename == "x.pdf"


def test_reads_what_the_sample_builder_writes() -> None:
    mail = read_message(simple_mail(subject="Báo cáo năm 2026"))
    assert mail.subject == "Báo cáo năm 2026"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_never_raises_on_random_bytes(raw: bytes) -> None:
    read_message(raw)


JUNK_PIECES = [
    b"From: ", b"Subject: ", b"=?utf-8?b?", b"?=", b"=?x?q?=ZZ?=", b"Content-Type: multipart/mixed; boundary=B\r\n",
    b"Content-Type: message/rfc822\r\n", b"--B\r\n", b"--B--\r\n", b"\r\n", b"\xff\xfe", b"filename*=utf-8''%ZZ",
    b'Content-Disposition: attachment; filename="', b"Content-Transfer-Encoding: base64\r\n", b"<", b">", b"@",
    b"Content-Type: text/plain; charset=\x00\r\n", b"Content-Type: application/pdf\r\n", b"References: <a@b",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(JUNK_PIECES), max_size=40))
def test_reading_and_screening_never_raise_on_mangled_mime(pieces: list[bytes]) -> None:
    screen(read_message(b"".join(pieces)), {"robot@school.example"})


def test_a_mail_sent_to_another_process_is_parsed_again_there_when_asked() -> None:
    """The parse worker reads mail for the robot: the parsed message does not travel (its header
    classes cannot be pickled), the fields do, and the message is parsed again if asked for."""
    raw = (b"From: =?utf-8?b?VHLGsOG7nW5nIFRIUFQgQQ==?= <thpt.a@school.example>\r\n"
           b"Subject: =?utf-8?b?QsOhbyBjw6FvIDYgdGjDoW5n?=\r\nMessage-ID: <abc@school.example>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nK\xc3\xadnh g\xe1\xbb\xadi\r\n")
    mail = read_message(raw)
    copy = pickle.loads(pickle.dumps(mail))
    assert copy == mail and copy.raw == raw
    assert copy.headers is not mail.headers
    assert copy.headers["Subject"] == mail.headers["Subject"] == "Báo cáo 6 tháng"
