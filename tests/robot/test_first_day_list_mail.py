"""List, platform, calendar and spam mail gets no answer, even when it talks about the report.

Issue 10, finding 5: a Mailman digest got an unknown-sender reply, a list post with only
List-Subscribe and Mailing-List got a no-attachment reply, no-reply@ senders were answered, and
unknown-sender replies went to the forged senders of spam (backscatter).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from store.db import session
from store.tables import Message, Submission
from tests.realmail import (
    Person,
    ezmlm_post,
    google_calendar_invitation,
    mailman2_digest,
    platform_notice,
    spamassassin_flagged,
)
from tests.robotenv import local

RECEIVED = local(2026, 11, 18, 9, 40)
NOW = "2026-11-18T10:00:00+07:00"
# Outcomes the robot records for mail it must not answer (DESIGN §4, second round).
SILENT_OUTCOMES = {"list", "bulk", "spam", "calendar", "machine_sender", "auto_reply", "bounce", "not-for-robot"}


def _mailman_digest(school) -> bytes:
    posts = [
        (Person("Trần Văn Hùng", "tvhung@thpt-tanan.edu.example"), "Lịch kiểm tra học kỳ I",
         "Kính gửi quý thầy cô hiệu trưởng,\nLịch kiểm tra học kỳ I năm học 2026-2027 như tệp đính kèm trên trang "
         "của Sở.\nTrân trọng."),
        (Person("Lê Thị Mai", "ltmai@thpt-benluc.edu.example"), "Re: Lịch kiểm tra học kỳ I",
         "Trường Bến Lức đã nhận, cảm ơn thầy.\n"),
        (Person("Phòng GDTrH", "gdtrh@longan.edu.example"), "Nhắc nộp báo cáo phòng, chống mại dâm năm 2026",
         "Đề nghị các trường nộp báo cáo năm 2026 trước ngày 01/12/2026.\n"),
    ]
    return mailman2_digest("hieutruong", "lists.longan.edu.example", posts, sent=RECEIVED)


def _ezmlm_post(school) -> bytes:
    # A registered school's post, relayed by a teachers' list the department is subscribed to.
    return ezmlm_post("giaovien-longan@lists.longan.edu.example", Person("Nguyễn Thị Lan", school.emails[0]),
                      "Lịch thi học sinh giỏi cấp trường năm học 2026-2027",
                      "Kính gửi quý thầy cô,\nTrường xin gửi lịch thi học sinh giỏi cấp trường.\nTrân trọng.",
                      sent=RECEIVED)


def _no_reply_platform(school) -> bytes:
    markup = ("<p>Kính gửi: Phòng Giáo dục Trung học</p>"
              "<p>Văn bản đến số 4512/UBND-VX ngày 17/11/2026 của UBND tỉnh V/v báo cáo kết quả thực hiện "
              "Chương trình phòng, chống mại dâm năm 2026 đã được chuyển đến đơn vị.</p>"
              '<p>Xem văn bản: <a href="https://ioffice.longan.gov.example/vb/4512">ioffice.longan.gov.example</a></p>'
              "<p><i>Đây là thư tự động từ Hệ thống quản lý văn bản và điều hành, vui lòng không trả lời.</i></p>")
    return platform_notice(Person("Hệ thống quản lý văn bản và điều hành", "no-reply@ioffice.longan.gov.example"),
                           "[iOffice] Văn bản đến: V/v báo cáo kết quả thực hiện Chương trình phòng, chống mại dâm",
                           markup, sent=RECEIVED)


def _calendar_invitation(school) -> bytes:
    start = local(2026, 11, 25, 8, 0)
    return google_calendar_invitation(
        Person("Nguyễn Minh Tâm", "nguyenminhtam.gv@gmail.com"),
        "Họp triển khai công tác phòng, chống mại dâm năm 2027", start, start.replace(hour=10),
        sent=RECEIVED, location="Phòng họp số 2, Sở GD&ĐT Long An",
        description="Mời các đồng chí dự họp triển khai kế hoạch năm 2027.")


def _spam(school) -> bytes:
    markup = ("<p>Kính gửi Quý đơn vị,</p><p>Bộ Giáo dục và Đào tạo cập nhật biểu mẫu báo cáo phòng, chống mại "
              "dâm năm 2026. Quý đơn vị vui lòng tải biểu mẫu và đăng nhập để xác nhận trước 17h hôm nay:</p>"
              '<p><a href="http://moet-edu-vn.com.example/bieumau">TẢI BIỂU MẪU BÁO CÁO</a></p>')
    return spamassassin_flagged(Person("Bộ Giáo dục và Đào tạo", "thongbao@moet-edu-vn.com.example"),
                                "Cập nhật biểu mẫu báo cáo phòng, chống mại dâm năm 2026 - hạn chót hôm nay",
                                markup, sent=RECEIVED)


UNANSWERABLE = {
    "mailman2-digest": _mailman_digest,
    "list-post-with-only-mailing-list-and-list-subscribe": _ezmlm_post,
    "no-reply-platform": _no_reply_platform,
    "google-calendar-invitation": _calendar_invitation,
    "spamassassin-flagged": _spam,
}


@pytest.mark.parametrize("kind", UNANSWERABLE)
def test_list_platform_calendar_and_spam_mail_gets_no_reply(robot_env, mailbox, smtp_server, school, kind):
    """GIVEN a robot that has made first contact with the mailbox
    WHEN a Mailman 2 digest (From …-request@, X-Mailman-Version, no List-Id), a list post marked
    only by Mailing-List and List-Subscribe (from a registered school), an e-office notice from
    no-reply@, a Google Calendar invitation (text/calendar METHOD:REQUEST) or a SpamAssassin-flagged
    phishing mail arrives — the last three naming the programme ("phòng, chống mại dâm")
    THEN no mail is sent, nothing is filed, and the mail is recorded with a silent outcome."""
    assert robot_env.cli("poll", "--now", "2026-11-18T08:00:00+07:00").exit_code == 0  # first contact
    mailbox.append(UNANSWERABLE[kind](school), internaldate=RECEIVED)

    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    sent = [(m.rcpt_tos, m.parsed["X-Report-Robot"]) for m in smtp_server.messages]
    assert sent == []
    with session(robot_env.engine()) as db:
        (message,) = db.exec(select(Message)).all()
        assert db.exec(select(Submission)).all() == []
    assert message.outcome in SILENT_OUTCOMES, (message.outcome, message.detail)
