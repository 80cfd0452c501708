"""Screening of list, platform, calendar and spam mail as it really arrives, and of mail people
wrote that only looks automatic. Every screened mail goes unanswered; only the robot's own mail
and delivery reports are also never filed."""

from __future__ import annotations

import base64
import textwrap

import pytest

from mailer.incoming import read_message
from mailer.screening import Screening, screen

OWN = {"phongcttt.solongan@moet.edu.vn"}


def wire(text: str) -> bytes:
    """A raw message written as an indented block: dedented, CRLF line ends, folding kept."""
    return textwrap.dedent(text).lstrip("\n").replace("\n", "\r\n").encode()


MAILMAN2_DIGEST = wire("""
    Return-Path: <gv-longan-bounces@lists.longan.edu.vn>
    Received: from lists.longan.edu.vn (lists.longan.edu.vn [203.162.10.21])
    \tby mx.moet.edu.vn (Postfix) with ESMTP id 4Qm9Xk2Rz7z9sBt
    \tfor <phongcttt.solongan@moet.edu.vn>; Mon, 30 Nov 2026 07:00:03 +0700 (+07)
    From: gv-longan-request@lists.longan.edu.vn
    Subject: gv-longan Digest, Vol 58, Issue 12
    To: gv-longan@lists.longan.edu.vn
    Reply-To: gv-longan@lists.longan.edu.vn
    Date: Mon, 30 Nov 2026 07:00:02 +0700
    Message-ID: <mailman.1233.1764460802.2167.gv-longan@lists.longan.edu.vn>
    MIME-Version: 1.0
    Content-Type: text/plain; charset="us-ascii"
    Content-Transfer-Encoding: 7bit
    X-BeenThere: gv-longan@lists.longan.edu.vn
    X-Mailman-Version: 2.1.39
    Sender: "gv-longan" <gv-longan-bounces@lists.longan.edu.vn>
    Errors-To: gv-longan-bounces@lists.longan.edu.vn

    Send gv-longan mailing list submissions to
    \tgv-longan@lists.longan.edu.vn

    Today's Topics:

       1. Bao cao 6 thang (Nguyen Van An)
    """)
MAILMAN2_REQUEST_ONLY = wire("""
    From: gv-longan-request@lists.longan.edu.vn
    Subject: confirm 3f8a2c91d0b7e6a5
    To: phongcttt.solongan@moet.edu.vn
    Content-Type: text/plain; charset="us-ascii"

    Mailing list subscription confirmation notice for mailing list gv-longan
    """)
LIST_NOTICE_SUBSCRIBE_ONLY = wire("""
    From: "Ban tin So GD&DT" <bantin@lists.longan.gov.vn>
    To: phongcttt.solongan@moet.edu.vn
    Subject: =?utf-8?B?QuG6o24gdGluIGdpw6FvIGThu6VjIHR14bqnbiA0OA==?=
    Mailing-List: contact bantin-help@lists.longan.gov.vn; run by ezmlm
    List-Subscribe: <mailto:bantin-subscribe@lists.longan.gov.vn>
    Date: Mon, 30 Nov 2026 08:00:00 +0700
    Content-Type: text/plain; charset=utf-8

    Tin tức tuần này.
    """)
MAILING_LIST_ONLY = wire("""
    From: thongbao@lists.longan.gov.vn
    Subject: Lich cong tac tuan 49
    Mailing-List: list thongbao@lists.longan.gov.vn; contact thongbao-owner@lists.longan.gov.vn

    x
    """)
X_LOOP_OTHER = wire("""
    From: hotro@lists.longan.gov.vn
    Subject: Re: [Hotro #1288] Loi dang nhap
    X-Loop: hotro@lists.longan.gov.vn

    x
    """)
GOOGLE_CALENDAR_INVITATION = wire("""
    MIME-Version: 1.0
    Reply-To: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBCw6xuaA==?= <binh.nv.longan@gmail.com>
    Sender: Google Calendar <calendar-notification@google.com>
    Message-ID: <calendar-6c1f0a9e-3b2d-4e8f-a7c5-91d2e0b4f3a6@google.com>
    Date: Mon, 30 Nov 2026 02:14:51 +0000
    Subject: =?UTF-8?Q?L=E1=BB=9Di_m=E1=BB=9Di=3A_H=E1=BB=8Dp_giao_ban_c=C3=B4ng_t=C3=A1c_ph?=
     =?UTF-8?Q?=C3=B2ng=2C_ch=E1=BB=91ng_m=E1=BA=A1i_d=C3=A2m_=40_Th_4_2_thg_12=2C_2026_8am?=
     =?UTF-8?Q?_=2D_10am_=28GMT=2B07=29?=
    From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBCw6xuaA==?= <binh.nv.longan@gmail.com>
    To: phongcttt.solongan@moet.edu.vn
    Content-Type: multipart/mixed; boundary="000000000000e5b2f1062c5f9a03"

    --000000000000e5b2f1062c5f9a03
    Content-Type: multipart/alternative; boundary="000000000000e5b2f0062c5f9a01"

    --000000000000e5b2f0062c5f9a01
    Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes
    Content-Transfer-Encoding: base64

    SOG7jXAgZ2lhbyBiYW4gY8O0bmcgdMOhYw0K
    --000000000000e5b2f0062c5f9a01
    Content-Type: text/html; charset="UTF-8"
    Content-Transfer-Encoding: quoted-printable

    <span itemscope itemtype=3D"http://schema.org/InformAction">H=E1=BB=8Dp</span>
    --000000000000e5b2f0062c5f9a01
    Content-Type: text/calendar; charset="UTF-8"; method=REQUEST
    Content-Transfer-Encoding: 7bit

    BEGIN:VCALENDAR
    PRODID:-//Google Inc//Google Calendar 70.9054//EN
    VERSION:2.0
    CALSCALE:GREGORIAN
    METHOD:REQUEST
    BEGIN:VEVENT
    DTSTART:20261202T010000Z
    DTEND:20261202T030000Z
    ORGANIZER;CN=binh.nv.longan@gmail.com:mailto:binh.nv.longan@gmail.com
    UID:6c1f0a9e3b2d4e8fa7c591d2e0b4f3a6@google.com
    SUMMARY:Họp giao ban công tác phòng, chống mại dâm
    END:VEVENT
    END:VCALENDAR

    --000000000000e5b2f0062c5f9a01--
    --000000000000e5b2f1062c5f9a03
    Content-Type: application/ics; name="invite.ics"
    Content-Disposition: attachment; filename="invite.ics"
    Content-Transfer-Encoding: base64

    QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KRU5EOlZDQUxFTkRBUg0K
    --000000000000e5b2f1062c5f9a03--
    """)
OUTLOOK_MEETING_ACCEPTED = wire("""
    From: Tran Minh Duc <duc.tm@thptbenluc.edu.vn>
    To: phongcttt.solongan@moet.edu.vn
    Subject: Accepted: =?utf-8?B?SOG7jXAgZ2lhbyBiYW4=?=
    Thread-Topic: =?utf-8?B?SOG7jXAgZ2lhbyBiYW4=?=
    Thread-Index: AdtiXYZw1k9p3Q4cT0S7l2mE5aQxNw==
    X-MS-Has-Attach:
    X-MS-TNEF-Correlator:
    Content-Type: text/calendar; charset="utf-8"; method=REPLY
    Content-Transfer-Encoding: base64
    MIME-Version: 1.0

    QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVQTFkNCkVORDpWQ0FMRU5EQVINCg==
    """)
OUTLOOK_MEETING_REQUEST_TNEF = wire("""
    From: Tran Minh Duc <duc.tm@thptbenluc.edu.vn>
    To: phongcttt.solongan@moet.edu.vn
    Subject: =?utf-8?B?SOG7jXAgdHLhu7FjIHR1eeG6v24=?=
    Content-Class: urn:content-classes:calendarmessage
    Thread-Index: AdtiXZ0K7bYk9RqPQJ6a2c4xXyZ8eg==
    X-MS-Has-Attach:
    Content-Type: application/ms-tnef; name="winmail.dat"
    Content-Transfer-Encoding: base64

    eJ8+IgAA
    """)
ICS_FILE_FROM_THUNDERBIRD = wire("""
    From: Le Thi Hoa <hoa.lt@pgdcanduoc.edu.vn>
    To: phongcttt.solongan@moet.edu.vn
    Subject: Lich tap huan
    User-Agent: Mozilla Thunderbird
    Content-Type: multipart/mixed; boundary="------------x7Vb3kQw0rT1mXcZyH"

    --------------x7Vb3kQw0rT1mXcZyH
    Content-Type: text/plain; charset=UTF-8

    Gửi Sở lịch tập huấn.
    --------------x7Vb3kQw0rT1mXcZyH
    Content-Type: text/calendar; charset=UTF-8; name="lich-tap-huan.ics"
    Content-Disposition: attachment; filename="lich-tap-huan.ics"

    BEGIN:VCALENDAR
    BEGIN:VEVENT
    SUMMARY:Tap huan
    END:VEVENT
    END:VCALENDAR
    --------------x7Vb3kQw0rT1mXcZyH--
    """)
SPAMASSASSIN_FLAGGED = wire("""
    Return-Path: <info@khuyenmai-vn.top>
    X-Spam-Checker-Version: SpamAssassin 3.4.6 (2021-04-09) on mx.moet.edu.vn
    X-Spam-Flag: YES
    X-Spam-Level: ********
    X-Spam-Status: Yes, score=8.4 required=5.0 tests=BAYES_99,BAYES_999,
    \tHTML_MESSAGE,RDNS_NONE,URIBL_ABUSE_SURBL,URIBL_BLACK autolearn=no
    \tautolearn_force=no version=3.4.6
    From: "Vay nhanh 24h" <info@khuyenmai-vn.top>
    To: phongcttt.solongan@moet.edu.vn
    Subject: ***SPAM*** =?utf-8?B?VmF5IHRp4buBbiBuaGFuaCBraMO0bmcgdGjhur8gY2jhuqVw?=
    List-Unsubscribe: <mailto:unsub@khuyenmai-vn.top>
    Content-Type: text/html; charset=utf-8

    <p>Vay tiền nhanh</p>
    """)
SPAM_STATUS_ONLY = wire("""
    From: "DHL Express" <service@dhl-tracking-vn.info>
    Subject: Your parcel is waiting
    X-Spam-Status: Yes, score=6.1 required=5.0 tests=FREEMAIL_FORGED_REPLYTO,
    \tSPF_FAIL autolearn=disabled version=3.4.6

    x
    """)
RSPAMD_SPAM = wire("""
    From: winner@lottery-intl.example
    Subject: Congratulations
    X-Spamd-Result: default: False [11.20 / 15.00];
    \tBAYES_SPAM(5.10)[99.99%]
    X-Spam: Yes

    x
    """)
EXCHANGE_WRAPPED_DSN = wire("""
    From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@longan.edu.vn>
    To: phongcttt.solongan@moet.edu.vn
    Subject: =?utf-8?B?S2jDtG5nIHRo4buDIGfhu61pOiBOaOG6r2MgbuG7mXAgYsOhbyBjw6Fv?=
    Content-Type: multipart/mixed; boundary="_disclaimer_"
    MIME-Version: 1.0

    --_disclaimer_
    Content-Type: multipart/report; report-type=delivery-status; boundary="_dsn_"

    --_dsn_
    Content-Type: text/plain; charset=utf-8

    Delivery has failed to these recipients or groups: thpt.x@longan.edu.vn
    --_dsn_
    Content-Type: message/delivery-status

    Reporting-MTA: dns;mx.longan.edu.vn
    Final-recipient: RFC822;thpt.x@longan.edu.vn
    Action: failed
    Status: 5.1.1
    --_dsn_--
    --_disclaimer_
    Content-Type: text/plain; charset=utf-8

    Email này được gửi từ hệ thống thư điện tử ngành giáo dục Long An.
    --_disclaimer_--
    """)
BARE_DELIVERY_STATUS = wire("""
    From: Mail System <mail@relay.longan.edu.vn>
    Subject: Thong bao
    Content-Type: multipart/mixed; boundary="B"

    --B
    Content-Type: text/plain

    Your message could not be delivered.
    --B
    Content-Type: message/delivery-status

    Action: failed
    Status: 5.2.2
    --B--
    """)


def _from(address: str) -> bytes:
    return wire(f"""
        From: {address}
        To: phongcttt.solongan@moet.edu.vn
        Subject: =?utf-8?B?VGjDtG5nIGLDoW8=?=
        Content-Type: text/plain; charset=utf-8

        x
        """)


PRECEDENCE_BULK = wire("""
    From: "Nha sach Giao duc" <tintuc@nhasachgiaoduc.vn>
    Subject: Sach tham khao moi
    Precedence: bulk

    x
    """)
PRECEDENCE_JUNK = wire("""
    From: cron@server.longan.edu.vn
    Subject: Backup report
    Precedence: junk

    x
    """)


@pytest.mark.parametrize("raw, kind, signal", [
    pytest.param(MAILMAN2_DIGEST, "list", "X-Mailman-Version", id="mailman2-digest-no-list-id"),
    pytest.param(MAILMAN2_REQUEST_ONLY, "list", "-request", id="mailman-request-sender"),
    pytest.param(LIST_NOTICE_SUBSCRIBE_ONLY, "list", "List-Subscribe", id="list-subscribe-and-mailing-list"),
    pytest.param(MAILING_LIST_ONLY, "list", "Mailing-List", id="mailing-list-header"),
    pytest.param(X_LOOP_OTHER, "list", "X-Loop", id="x-loop-of-someone-else"),
    pytest.param(_from("gv-longan-owner@lists.longan.edu.vn"), "list", "-owner", id="mailman-owner"),
    pytest.param(_from("owner-thongbao@lists.longan.gov.vn"), "list", "owner-", id="majordomo-owner"),
    pytest.param(_from("gv-longan-bounces+phongcttt.solongan=moet.edu.vn@lists.longan.edu.vn"), "list",
                 "-bounces", id="mailman-verp-bounces"),
    pytest.param(_from("noreply@dichvucong.gov.vn"), "machine_sender", "noreply", id="noreply"),
    pytest.param(_from("no-reply@accounts.google.com"), "machine_sender", "no-reply", id="no-reply"),
    pytest.param(_from("do-not-reply@hanhchinhcong.longan.gov.vn"), "machine_sender", "do-not-reply",
                 id="do-not-reply"),
    pytest.param(_from("DoNotReply@smas.edu.vn"), "machine_sender", "donotreply", id="donotreply"),
    pytest.param(_from("no.reply@vnedu.vn"), "machine_sender", "no.reply", id="dotted"),
    pytest.param(_from("noreply+bao-cao@qlgd.longan.edu.vn"), "machine_sender", "noreply", id="plus-tag"),
    pytest.param(_from("drive-shares-dm-noreply@google.com"), "machine_sender", "noreply", id="suffix"),
    pytest.param(GOOGLE_CALENDAR_INVITATION, "calendar", "METHOD:REQUEST", id="google-calendar"),
    pytest.param(OUTLOOK_MEETING_ACCEPTED, "calendar", "METHOD:REPLY", id="outlook-meeting-accepted"),
    pytest.param(OUTLOOK_MEETING_REQUEST_TNEF, "calendar", "Content-Class", id="outlook-meeting-tnef"),
    pytest.param(ICS_FILE_FROM_THUNDERBIRD, "calendar", ".ics", id="ics-attachment"),
    pytest.param(SPAMASSASSIN_FLAGGED, "spam", "X-Spam-Flag", id="spamassassin"),
    pytest.param(SPAM_STATUS_ONLY, "spam", "X-Spam-Status", id="spam-status-only"),
    pytest.param(RSPAMD_SPAM, "spam", "X-Spam", id="rspamd"),
    pytest.param(EXCHANGE_WRAPPED_DSN, "bounce", "delivery-status", id="dsn-nested-in-multipart-mixed"),
    pytest.param(BARE_DELIVERY_STATUS, "bounce", "message/delivery-status", id="delivery-status-part"),
    pytest.param(PRECEDENCE_BULK, "bulk", "Precedence: bulk", id="precedence-bulk"),
    pytest.param(PRECEDENCE_JUNK, "bulk", "Precedence: junk", id="precedence-junk"),
])
def test_platform_mail_is_screened_with_its_signal(raw: bytes, kind: str, signal: str) -> None:
    verdict = screen(read_message(raw), OWN)
    assert verdict is not None
    assert (verdict.kind, signal.lower() in verdict.reason.lower()) == (kind, True), verdict.reason


OUTLOOK_REPORT_WITH_SUPPRESS = wire(f"""
    From: =?utf-8?B?VHLGsOG7nW5nIFRIUFQgQuG6v24gTOG7qWM=?= <thpt.benluc@longan.edu.vn>
    To: "phongcttt.solongan@moet.edu.vn" <phongcttt.solongan@moet.edu.vn>
    Subject: =?utf-8?B?QsOhbyBjw6FvIG7Eg20gMjAyNiAtIFRIUFQgQuG6v24gTOG7qWM=?=
    Thread-Topic: =?utf-8?B?QsOhbyBjw6FvIG7Eg20gMjAyNiAtIFRIUFQgQuG6v24gTOG7qWM=?=
    Thread-Index: AdtiY8xK1v3mR5wLQ9uZ0a8bTq2c4Q==
    Date: Fri, 27 Nov 2026 02:41:17 +0000
    Message-ID: <TYZPR03MB7145C1B2A3D4E5F6@TYZPR03MB7145.apcprd03.prod.outlook.com>
    Accept-Language: vi-VN, en-US
    Content-Language: vi-VN
    X-MS-Has-Attach: yes
    X-MS-TNEF-Correlator:
    X-Auto-Response-Suppress: All
    Content-Type: multipart/mixed;
    \tboundary="_004_TYZPR03MB7145C1B2A3D4E5F6TYZPR03MB7145apcp_"
    MIME-Version: 1.0

    --_004_TYZPR03MB7145C1B2A3D4E5F6TYZPR03MB7145apcp_
    Content-Type: text/plain; charset="utf-8"
    Content-Transfer-Encoding: base64

    {base64.b64encode("Kính gửi Sở, đơn vị gửi báo cáo năm 2026.".encode()).decode()}
    --_004_TYZPR03MB7145C1B2A3D4E5F6TYZPR03MB7145apcp_
    Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;
    \tname="BC PCMD 2026 - THPT Ben Luc.xlsx"
    Content-Disposition: attachment;
    \tfilename="BC PCMD 2026 - THPT Ben Luc.xlsx"; size=5;
    Content-Transfer-Encoding: base64

    UEsDBA==
    --_004_TYZPR03MB7145C1B2A3D4E5F6TYZPR03MB7145apcp_--
    """)
SPAM_CHECKED_CLEAN = wire("""
    From: thpt.tanan@longan.edu.vn
    Subject: Bao cao nam 2026
    X-Spam-Flag: NO
    X-Spam-Status: No, score=-0.1 required=5.0 tests=DKIM_SIGNED,DKIM_VALID autolearn=ham
    X-Spam: No

    x
    """)
PERSON_FORWARDING_A_BOUNCE = wire("""
    From: thpt.tanan@longan.edu.vn
    To: phongcttt.solongan@moet.edu.vn
    Subject: Fwd: Undelivered Mail
    Content-Type: multipart/mixed; boundary="F"

    --F
    Content-Type: text/plain; charset=utf-8

    Thư gửi báo cáo của trường bị trả về, Sở kiểm tra giúp.
    --F
    Content-Type: message/rfc822

    From: MAILER-DAEMON@mx.longan.edu.vn
    Content-Type: multipart/report; report-type=delivery-status; boundary="D"

    --D
    Content-Type: message/delivery-status

    Action: failed
    --D--
    --F--
    """)
PERSON_NAMED_LIKE_A_MACHINE = wire("""
    From: "No Reply Needed" <thanh.noreplyne@gmail.com>
    Subject: Hoi ve mau bao cao

    x
    """)


@pytest.mark.parametrize("raw", [
    pytest.param(OUTLOOK_REPORT_WITH_SUPPRESS, id="outlook-report-with-x-auto-response-suppress"),
    pytest.param(SPAM_CHECKED_CLEAN, id="spam-checked-clean"),
    pytest.param(PERSON_FORWARDING_A_BOUNCE, id="person-forwarding-a-bounce"),
    pytest.param(PERSON_NAMED_LIKE_A_MACHINE, id="person-whose-address-only-contains-noreply"),
])
def test_mail_people_wrote_is_not_screened(raw: bytes) -> None:
    assert screen(read_message(raw), OWN) is None


@pytest.mark.parametrize("kind, fileable", [
    ("own_mail", False), ("bounce", False), ("auto_reply", True), ("list", True), ("bulk", True),
    ("spam", True), ("calendar", True), ("machine_sender", True),
])
def test_only_own_mail_and_bounces_are_never_filed(kind: str, fileable: bool) -> None:
    assert Screening(kind, "reason").fileable is fileable  # type: ignore[arg-type]


def test_report_relayed_by_a_list_is_not_answered_but_fileable() -> None:
    """GIVEN a registered school's report that reached the mailbox through a Google Group relay
    THEN it is not answered (list mail) and may still be filed."""
    relayed = OUTLOOK_REPORT_WITH_SUPPRESS.replace(
        b"MIME-Version: 1.0\r\n\r\n",
        b"MIME-Version: 1.0\r\nList-ID: <bao-cao-so.googlegroups.com>\r\n"
        b"Mailing-list: list bao-cao-so@googlegroups.com; contact bao-cao-so+owners@googlegroups.com\r\n"
        b"Precedence: list\r\nX-Original-Sender: thpt.benluc@longan.edu.vn\r\n\r\n", 1)
    verdict = screen(read_message(relayed), OWN)
    assert verdict is not None and verdict.kind == "list" and verdict.fileable
