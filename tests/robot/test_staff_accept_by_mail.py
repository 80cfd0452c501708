"""Staff accept an unverified report by mail ("Chấp nhận"), on a real Dovecot and aiosmtpd: the
report a school sent from an unregistered address becomes the school's own, on staff's word."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from sqlmodel import select

from store.db import session
from store.tables import Message, Submission
from tests.filling import filled_xlsx
from tests.realmail import File, Original, Person, gmail, outlook
from tests.robot.conftest import COMPLETE
from tests.robot.test_staff_by_mail import EDITOR, PASSED, _actions, _command, _poll, _staffed
from tests.robotenv import local, parsed, text_of

PRINCIPAL = Person("Hiệu trưởng", "hieutruong.thpt@gmail.com")
TEACHER = Person("Giáo viên", "giaovien.thpt@yahoo.com.vn")


def _unverified_report(env, mailbox, school, sender: Person = PRINCIPAL, day: int = 19) -> bytes:
    """The school's report from a personal address: kept unverified for the school it names."""
    report = filled_xlsx(env.config.schema(), "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")
    raw = gmail(sender, "Báo cáo năm 2026", "Kính gửi Sở, trường gửi báo cáo năm.", sent=local(2026, 11, day, 16, 0),
                files=[File("BC.xlsx", report)])
    mailbox.append(raw, internaldate=local(2026, 11, day, 16, 5))
    return raw


def _current(env, school) -> list[tuple[int, str, str | None]]:
    with session(env.engine()) as db:
        return [(s.version, s.state, s.accepted_by) for s in db.exec(
            select(Submission).where(Submission.unit_code == school.code, Submission.is_current))]


def test_chap_nhan_accepts_the_one_report_waiting_and_hoan_tac_takes_it_back(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    _unverified_report(env, mailbox, school)
    _poll(env, mailbox, _command(EDITOR, "Chấp nhận"))

    assert _current(env, school) == [(1, "complete", "Nguyễn Thị Lan")]
    (action,) = [a for a in _actions(env) if a.action == "accept"]
    confirmation = next(m for m in smtp_server.wait_for(2) if m.rcpt_tos == [EDITOR.address])
    assert "Đã chấp nhận báo cáo trong thư của hieutruong.thpt@gmail.com" in text_of(confirmation.parsed)
    assert f"Hoàn tác {action.id}" in text_of(confirmation.parsed)

    _poll(env, mailbox, _command(EDITOR, f"Hoàn tác {action.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    assert _current(env, school) == []


def test_with_several_waiting_the_staff_is_given_their_numbers_then_names_one(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    _unverified_report(env, mailbox, school, PRINCIPAL, day=18)
    _unverified_report(env, mailbox, school, TEACHER, day=19)
    _poll(env, mailbox, _command(EDITOR, "Chấp nhận"))

    assert _current(env, school) == []
    listing = text_of(next(m for m in smtp_server.wait_for(3) if m.rcpt_tos == [EDITOR.address]).parsed)
    with session(env.engine()) as db:
        teacher = db.exec(select(Message).where(Message.sender == TEACHER.address)).one()
    assert f"Chấp nhận {teacher.id}" in listing and "Không có thay đổi nào được thực hiện" in listing

    _poll(env, mailbox, _command(EDITOR, f"Chấp nhận {teacher.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    assert _current(env, school) == [(1, "complete", "Nguyễn Thị Lan")]


def test_forwarding_the_unverified_mail_inline_or_as_attachment_names_it(robot_env, mailbox, smtp_server, school):
    """GIVEN two unverified reports WHEN the editor forwards one inline with Outlook ("Từ: …
    Chủ đề: …" block) with the subject "Chấp nhận", and the other as an attachment THEN each is
    the one accepted."""
    env = _staffed(robot_env)
    first = _unverified_report(env, mailbox, school, PRINCIPAL, day=18)
    second = _unverified_report(env, mailbox, school, TEACHER, day=19)
    original = Original(PRINCIPAL, "phongcttt.solongan@moet.edu.vn", local(2026, 11, 18, 16, 0), "Báo cáo năm 2026",
                        "Kính gửi Sở, trường gửi báo cáo năm.", parsed(first)["Message-ID"])
    inline = outlook(EDITOR, "Chấp nhận - FW: Báo cáo năm 2026", "Đây là thư của thầy hiệu trưởng.",
                     sent=local(2026, 11, 20, 9, 0), original=original,
                     extra_headers=[("Authentication-Results", PASSED)])
    _poll(env, mailbox, inline)
    with session(env.engine()) as db:
        accepted = {s.message_pk for s in db.exec(select(Submission).where(Submission.accepted_by.is_not(None)))}
        by_sender = {m.sender: m.id for m in db.exec(select(Message))}
    assert accepted == {by_sender[PRINCIPAL.address]}

    forward = EmailMessage(policy=email.policy.SMTP)
    forward["From"] = f"{EDITOR.name} <{EDITOR.address}>"
    forward["To"] = "phongcttt.solongan@moet.edu.vn"
    forward["Subject"] = "Chap nhan"
    forward["Date"] = "Sat, 21 Nov 2026 09:00:00 +0700"
    forward["Message-ID"] = "<fwd-2@longan.edu.example>"
    forward["Authentication-Results"] = PASSED
    forward.set_content("Chấp nhận thư này.")
    forward.add_attachment(email.message_from_bytes(second, policy=email.policy.default))
    _poll(env, mailbox, forward.as_bytes(), now="2026-11-21T10:00:00+07:00", day=21)
    with session(env.engine()) as db:
        accepted = {s.message_pk for s in db.exec(select(Submission).where(Submission.accepted_by.is_not(None)))}
    assert accepted == {by_sender[PRINCIPAL.address], by_sender[TEACHER.address]}
