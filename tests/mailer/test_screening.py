"""Screening: real-world auto-replies, bounces, list mail and the robot's own mail are set aside."""

from __future__ import annotations

import pytest

from mailer.incoming import read_message
from mailer.screening import screen

OWN = {"phongcttt.solongan@moet.edu.vn"}


def message(headers: str, body: str = "Nội dung.\r\n") -> bytes:
    """A raw message from header lines written as they appear on the wire."""
    head = "\r\n".join(line.strip() for line in headers.strip().splitlines())
    return (head + "\r\n\r\n" + body).encode()


GMAIL_VACATION = message("""
    Return-Path: <>
    From: Nguyen Van A <thpt.a@gmail.com>
    To: phongcttt.solongan@moet.edu.vn
    Subject: Re: Báo cáo 6 tháng
    Auto-Submitted: auto-replied
    Precedence: bulk
    Content-Type: text/plain; charset=UTF-8
""")
OUTLOOK_AUTOMATIC_REPLY = message("""
    From: Hieu truong <hieutruong@thpt-b.edu.vn>
    Subject: Automatic reply: Nhắc nộp báo cáo
    Auto-Submitted: auto-generated
    X-MS-Exchange-Inbox-Rules-Loop: hieutruong@thpt-b.edu.vn
""")
EXCHANGE_OOF = message("""
    From: Ke toan <ketoan@pgd-tanan.edu.vn>
    Subject: Out of Office: Nhắc nộp báo cáo
    X-Auto-Response-Suppress: All
    Content-Type: text/plain; charset=utf-8
""")
EXCHANGE_SUPPRESS_OOF_ONLY = message("""
    From: Ke toan <ketoan@pgd-tanan.edu.vn>
    Subject: Thông báo
    X-Auto-Response-Suppress: DR, OOF, AutoReply
""")
VIETNAMESE_AUTO_REPLY_SUBJECT = message("""
    From: thcs.c@longan.edu.vn
    Subject: =?UTF-8?B?VGjGsCB0cuG6oyBs4budaSB04buxIMSR4buZbmc=?=
""")
VIETNAMESE_ABSENT_SUBJECT = message("""
    From: thcs.c@longan.edu.vn
    Subject: Vắng mặt đến hết ngày 05/06
""")
NO_DIACRITICS_AUTO_REPLY = message("""
    From: thcs.c@longan.edu.vn
    Subject: TRA LOI TU DONG: Bao cao 6 thang
""")
X_AUTOREPLY = message("""
    From: thcs.d@longan.edu.vn
    Subject: Re: Báo cáo
    X-Autoreply: yes
""")
X_AUTORESPOND = message("""
    From: thcs.d@longan.edu.vn
    Subject: Re: Báo cáo
    X-Autorespond: Cảm ơn
""")
POSTFIX_BOUNCE = message("""
    Return-Path: <>
    From: MAILER-DAEMON@mail.longan.edu.vn (Mail Delivery System)
    Subject: Undelivered Mail Returned to Sender
    Auto-Submitted: auto-replied
    Content-Type: multipart/report; report-type=delivery-status; boundary="B"
""", "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry\r\n--B--\r\n")
EXIM_BOUNCE = message("""
    Return-path: <>
    From: Mail Delivery System <Mailer-Daemon@mx.example.vn>
    Subject: Mail delivery failed: returning message to sender
    X-Failed-Recipients: unknown@thpt-x.edu.vn
""")
GMAIL_DSN = message("""
    From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
    Subject: Delivery Status Notification (Failure)
    Content-Type: multipart/report; boundary="000"; report-type=delivery-status
""", "--000\r\nContent-Type: text/plain\r\n\r\nAddress not found\r\n--000--\r\n")
READ_RECEIPT = message("""
    From: thpt.a@gmail.com
    Subject: Read: Báo cáo 6 tháng
    Content-Type: multipart/report; report-type=disposition-notification; boundary="R"
""", "--R\r\nContent-Type: text/plain\r\n\r\nRead.\r\n--R--\r\n")
POSTMASTER = message("""
    From: postmaster@moet.edu.vn
    Subject: Thông báo hệ thống
""")
NULL_RETURN_PATH_ONLY = message("""
    Return-Path: <>
    From: system@moet.edu.vn
    Subject: Thông báo
""")
OUTLOOK_UNDELIVERABLE = message("""
    From: Microsoft Outlook <postmaster@outlook.com>
    Subject: Undeliverable: Báo cáo năm 2026
""")
MAILING_LIST = message("""
    From: Ban tin <bantin@moet.gov.vn>
    Subject: Bản tin giáo dục tuần 23
    List-Id: Ban tin GD <bantin.moet.gov.vn>
    List-Unsubscribe: <mailto:unsubscribe@moet.gov.vn>
    Precedence: bulk
""")
NEWSLETTER_UNSUBSCRIBE_ONLY = message("""
    From: news@vendor.example
    Subject: Ưu đãi tháng 6
    List-Unsubscribe: <https://vendor.example/u/123>
""")
PRECEDENCE_LIST = message("""
    From: group@googlegroups.example
    Subject: [gv-longan] Họp
    Precedence: list
""")
ROBOT_OWN_FROM = message("""
    From: =?utf-8?b?SOG7hyB0aOG7kW5n?= <PhongCTTT.SoLongAn@moet.edu.vn>
    Subject: Xác nhận đã nhận báo cáo
""")
ROBOT_HEADER = message("""
    From: forwarder@school.example
    Subject: Fwd: Xác nhận đã nhận báo cáo
    X-Report-Robot: ack
""")
ROBOT_X_LOOP = message("""
    From: alias@moet.edu.vn
    Subject: Nhắc nộp báo cáo
    X-Loop: phongcttt.solongan@moet.edu.vn
""")


@pytest.mark.parametrize("raw, kind, signal", [
    (GMAIL_VACATION, "auto_reply", "Auto-Submitted"),
    (OUTLOOK_AUTOMATIC_REPLY, "auto_reply", "Auto-Submitted"),
    (EXCHANGE_OOF, "auto_reply", "out of office"),
    (VIETNAMESE_AUTO_REPLY_SUBJECT, "auto_reply", "tra loi tu dong"),
    (VIETNAMESE_ABSENT_SUBJECT, "auto_reply", "vang mat"),
    (NO_DIACRITICS_AUTO_REPLY, "auto_reply", "tra loi tu dong"),
    (X_AUTOREPLY, "auto_reply", "X-Autoreply"),
    (X_AUTORESPOND, "auto_reply", "X-Autorespond"),
    (POSTFIX_BOUNCE, "bounce", "delivery-status"),
    (EXIM_BOUNCE, "bounce", "mailer-daemon"),
    (GMAIL_DSN, "bounce", "delivery-status"),
    (READ_RECEIPT, "bounce", "disposition-notification"),
    (POSTMASTER, "bounce", "postmaster"),
    (NULL_RETURN_PATH_ONLY, "bounce", "Return-Path"),
    (OUTLOOK_UNDELIVERABLE, "bounce", "postmaster"),
    (MAILING_LIST, "list", "List-Id"),
    (NEWSLETTER_UNSUBSCRIBE_ONLY, "list", "List-Unsubscribe"),
    (PRECEDENCE_LIST, "list", "Precedence: list"),
    (ROBOT_OWN_FROM, "own_mail", "phongcttt.solongan@moet.edu.vn"),
    (ROBOT_HEADER, "own_mail", "X-Report-Robot"),
    (ROBOT_X_LOOP, "own_mail", "X-Loop"),
])
def test_automatic_mail_is_screened_with_its_signal(raw: bytes, kind: str, signal: str) -> None:
    verdict = screen(read_message(raw), OWN)
    assert verdict is not None
    assert verdict.kind == kind
    assert signal.lower() in verdict.reason.lower()


NORMAL_REPORT = message("""
    From: Truong THPT A <thpt.a@longan.edu.vn>
    To: phongcttt.solongan@moet.edu.vn
    Subject: Báo cáo 6 tháng đầu năm 2026 - THPT A
    Return-Path: <thpt.a@longan.edu.vn>
""")
REPLY_TO_ROBOT = message("""
    From: thpt.a@gmail.com
    Subject: Re: Xác nhận đã nhận báo cáo
    In-Reply-To: <1@moet.edu.vn>
    Auto-Submitted: no
""")
OUTLOOK_NORMAL_WITH_SUPPRESS = message("""
    From: pgd@tanan.edu.vn
    Subject: Báo cáo năm
    X-Auto-Response-Suppress: DR, RN, NRN
""")
SUBJECT_MENTIONING_ABSENCE = message("""
    From: thpt.b@longan.edu.vn
    Subject: Báo cáo số học sinh vắng mặt
""")


@pytest.mark.parametrize("raw", [NORMAL_REPORT, REPLY_TO_ROBOT, OUTLOOK_NORMAL_WITH_SUPPRESS,
                                 EXCHANGE_SUPPRESS_OOF_ONLY, SUBJECT_MENTIONING_ABSENCE])
def test_mail_people_wrote_is_not_screened(raw: bytes) -> None:
    assert screen(read_message(raw), OWN) is None


def test_own_addresses_compare_case_insensitively() -> None:
    verdict = screen(read_message(ROBOT_OWN_FROM), {"PHONGCTTT.SOLONGAN@MOET.EDU.VN"})
    assert verdict is not None and verdict.kind == "own_mail"
