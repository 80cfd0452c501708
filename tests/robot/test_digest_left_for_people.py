"""The digest lists the mail the robot left for people, and the replies a rate cap holds back.

Issue 10, Deliver 2, 3 and 7: mail that is not the report (`not-for-robot`), replies to the robot
without a new report (`reply-to-robot`, a question needs a person) and mail whose intake kept
failing (`quarantined`) are never answered by the robot; staff see them in the digest, a reply
with the first lines its sender wrote. Replies deferred by a cap are counted there too.
"""

from __future__ import annotations

import datetime as dt

from store.db import session, to_db_time
from store.tables import Message
from tests.filling import filled_xlsx
from tests.realmail import File, Original, Person, outlook, outlook_reply
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, write_config

QUESTION = ("Dạ cho em hỏi: năm sau trường có phải gửi kèm bản giấy có đóng dấu không ạ?\n"
            "Em cảm ơn Sở.\n\nTrân trọng,\nNguyễn Thị Lan\nVăn thư")
INVITATION = "Giấy mời dự Hội thi giáo viên chủ nhiệm giỏi cấp trường năm học 2026-2027"
DIGEST_NOW = "2026-11-23T07:30:00+07:00"


def _report(robot_env, school, sent: dt.datetime, figures: dict) -> bytes:
    data = filled_xlsx(robot_env.config.schema(), school.type, figures, unit_name=school.name, period="Năm 2026")
    return outlook(Person("Nguyễn Thị Lan", school.emails[0]), f"Báo cáo năm 2026 - {school.name}",
                   "Kính gửi Phòng Giáo dục Trung học,\nTrường gửi báo cáo công tác phòng, chống mại dâm năm "
                   "2026.\nTrân trọng.", sent=sent, files=[File("BC PCMD nam 2026.xlsx", data)])


def test_digest_lists_replies_and_other_mail_for_staff_and_counts_held_back_replies(
        tmp_path, mailbox, smtp_server):
    """GIVEN a school whose report was acknowledged, then in one poll: the school's Outlook reply to the
    acknowledgement asking a question, another school's invitation, and the first school's corrected
    report sent again the same day (its acknowledgement held back by the one-reply-a-day cap)
    WHEN the digest is built
    THEN it lists the reply with the question's first lines (not the quoted acknowledgement) and the
    invitation with sender and subject, counts the held-back reply, and the robot sent no answer to
    either mail."""
    robot_env = write_config(tmp_path / "robot", mailbox, smtp_server,
                             replies={"retry_base_seconds": 1, "per_address_per_day": 1})
    school, other = [u for u in robot_env.config.units if u.type == "thpt"][:2]
    mailbox.append(_report(robot_env, school, local(2026, 11, 20, 9, 30), COMPLETE),
                   internaldate=local(2026, 11, 20, 9, 30))
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    (ack,) = smtp_server.wait_for(1)
    original = Original.of(ack.parsed)

    mailbox.append(outlook_reply(Person("Nguyễn Thị Lan", school.emails[0]), QUESTION, original,
                                 sent=local(2026, 11, 20, 10, 20)), internaldate=local(2026, 11, 20, 10, 20))
    mailbox.append(outlook(Person("Trần Văn Minh", other.emails[0]), INVITATION,
                           "Kính mời lãnh đạo Phòng Giáo dục Trung học đến dự Hội thi vào lúc 7 giờ 30, "
                           "thứ Sáu ngày 27/11/2026 tại hội trường nhà trường.\nTrân trọng kính mời.",
                           sent=local(2026, 11, 20, 10, 25)), internaldate=local(2026, 11, 20, 10, 25))
    mailbox.append(_report(robot_env, school, local(2026, 11, 20, 10, 40), COMPLETE | {"so_buoi_tt": 14}),
                   internaldate=local(2026, 11, 20, 10, 40))
    assert robot_env.cli("poll", "--now", "2026-11-20T11:00:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 1, [m.parsed["Subject"] for m in smtp_server.messages]

    out = tmp_path / "digest"
    result = robot_env.cli("digest", "--now", DIGEST_NOW, "--out", str(out))
    assert result.exit_code == 0, result.output
    html = (out / "digest.html").read_text(encoding="utf-8")
    section = html.split("Thư để cán bộ xem (7 ngày qua)")[1].split("Việc cần cán bộ xem xét")[0]
    replies = section.split("Thư trả lời thư của hệ thống")[1].split("</table>")[0]
    assert school.emails[0] in replies and f"RE: {original.subject}" in replies
    assert "Dạ cho em hỏi: năm sau trường có phải gửi kèm bản giấy có đóng dấu không ạ?<br>Em cảm ơn Sở." in replies
    assert original.text.splitlines()[0] not in replies, "the quoted acknowledgement is not shown"
    others = section.split("Thư không phải báo cáo")[1].split("</table>")[0]
    assert other.emails[0] in others and INVITATION in others
    assert "Thư tạm giữ" not in section
    assert "<h2>Thư trả lời đang chờ gửi</h2>\n<p>1 thư trả lời đang được giữ lại" in html

    digest = next(m.parsed for m in smtp_server.messages if m.parsed["X-Report-Robot"] == "digest")
    text = digest.get_body(("plain",)).get_content()
    assert ("Thư để cán bộ xem (7 ngày qua): 1 thư không phải báo cáo, 1 thư trả lời thư của hệ thống, "
            "0 thư tạm giữ") in text
    assert "Thư trả lời đang chờ gửi: 1" in text


def test_quarantined_mail_is_listed_with_why_it_failed(robot_env, tmp_path):
    """GIVEN a message the poll quarantined after its intake kept failing, and one quarantined ten days ago
    WHEN the digest is built THEN the recent one is listed with its sender, subject and the failure."""
    config = robot_env.config
    with session(robot_env.engine()) as db:
        for uid, days_ago in ((7, 1), (3, 10)):
            received = to_db_time(dt.datetime.fromisoformat(DIGEST_NOW) - dt.timedelta(days=days_ago))
            db.add(Message(mailbox=config.mailbox.address, folder="INBOX", uidvalidity=1, uid=uid, sha256=f"{uid:064x}",
                           archive_path="", sender="thpt.hungvuong@longan.edu.example",
                           subject=f"Báo cáo năm 2026 (thư {uid})", received_at=received, processed_at=received,
                           outcome="quarantined", detail="OperationalError: database is locked\n(after 5 tries)"))
        db.commit()
    out = tmp_path / "digest"
    assert robot_env.cli("digest", "--now", DIGEST_NOW, "--out", str(out), "--dry-run").exit_code == 0
    html = (out / "digest.html").read_text(encoding="utf-8")
    listed = html.split("Thư tạm giữ vì xử lý lỗi nhiều lần (1)")[1].split("</table>")[0]
    assert "Báo cáo năm 2026 (thư 7)" in listed and "thpt.hungvuong@longan.edu.example" in listed
    assert "OperationalError: database is locked<br>(after 5 tries)" in listed
    assert "(thư 3)" not in html


def test_no_section_when_nothing_was_left_for_people(robot_env, tmp_path):
    """GIVEN a robot that left no mail for people and holds back no reply
    WHEN the digest is built THEN neither section appears."""
    out = tmp_path / "digest"
    assert robot_env.cli("digest", "--now", DIGEST_NOW, "--out", str(out), "--dry-run").exit_code == 0
    html = (out / "digest.html").read_text(encoding="utf-8")
    assert "Thư để cán bộ xem" not in html and "Thư trả lời đang chờ gửi" not in html
    assert "Việc cần cán bộ xem xét" in html
