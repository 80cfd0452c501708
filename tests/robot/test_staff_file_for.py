"""Staff file a unit's report that came another way ("Nộp thay <unit>"): a paper report typed
into the template, a school's mail forwarded inline by Outlook or as an attachment — on a real
Dovecot and aiosmtpd; the unit is acknowledged as usual, told the department filed it."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from sqlmodel import select

from store.db import session
from store.tables import Submission
from tests.filling import filled_xlsx
from tests.realmail import File, Original, Person, outlook
from tests.robot.conftest import COMPLETE
from tests.robot.test_staff_by_mail import EDITOR, PASSED, VIEWER, _actions, _command, _poll, _staffed
from tests.robotenv import local, text_of

PRINCIPAL = Person("Hiệu trưởng", "hieutruong.thpt@gmail.com")  # not a registered address


def _filed(env) -> list[tuple[str, str, int, bool, int | None]]:
    with session(env.engine()) as db:
        return [(s.unit_code, s.period_id, s.version, s.is_current, s.staff_action_id)
                for s in db.exec(select(Submission).order_by(Submission.id))]


def _report(env, school) -> bytes:
    return filled_xlsx(env.config.schema(), "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")


def test_a_paper_report_filed_for_a_school_is_acknowledged_to_it_and_can_be_undone(
        robot_env, mailbox, smtp_server, school):
    """GIVEN an editor who typed a school's paper report into the template WHEN she mails it with
    "Nộp thay <code>" THEN it is the school's version 1, linked to her action; the school gets the
    acknowledgement saying the department filed it; she gets the number; "Hoàn tác" withdraws it."""
    env = _staffed(robot_env)
    raw = outlook(EDITOR, f"Nộp thay {school.code}", "Trường gửi bản giấy, em nhập lại.", sent=local(2026, 11, 20, 9, 0),
                  files=[File("BC_giay.xlsx", _report(env, school))], extra_headers=[("Authentication-Results", PASSED)])
    _poll(env, mailbox, raw)

    (action,) = _actions(env)
    assert action.action == "file-for" and action.args["unit"] == school.code
    assert _filed(env) == [(school.code, "annual-2026", 1, True, action.id)]
    to_school, to_editor = sorted(smtp_server.wait_for(2), key=lambda m: m.rcpt_tos != [school.emails[0]])
    assert to_school.rcpt_tos == [school.emails[0]] and to_school.parsed["X-Report-Robot"] == "ack"
    assert "nộp thay đơn vị" in text_of(to_school.parsed)
    assert "05 — Số học sinh, sinh viên được tuyên truyền: 1.250" in text_of(to_school.parsed)
    assert to_editor.rcpt_tos == [EDITOR.address] and to_editor.parsed["X-Report-Robot"] == "staff"
    assert f"Hoàn tác {action.id}" in text_of(to_editor.parsed)

    _poll(env, mailbox, _command(EDITOR, f"Hoàn tác {action.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    assert _filed(env) == [(school.code, "annual-2026", 1, False, action.id)]


def test_a_schools_mail_forwarded_inline_by_outlook_is_filed_for_the_school_named(
        robot_env, mailbox, smtp_server, school):
    """GIVEN a principal's report sent from a personal address to a staff member WHEN she forwards
    it with Outlook ("FW:", the original's header block, the file re-attached) naming the school
    THEN the school's report is filed from the forwarded file."""
    env = _staffed(robot_env)
    original = Original(PRINCIPAL, EDITOR.address, local(2026, 11, 19, 16, 0), "Báo cáo năm 2026",
                        "Kính gửi chị Lan, trường gửi báo cáo năm.", "<CAKx1@mail.gmail.com>")
    raw = outlook(EDITOR, f"Nộp thay {school.name} - FW: Báo cáo năm 2026", "Nhờ hệ thống ghi nhận giúp.",
                  sent=local(2026, 11, 20, 9, 0), original=original, files=[File("BC nam 2026.xlsx", _report(env, school))],
                  extra_headers=[("Authentication-Results", PASSED)])
    _poll(env, mailbox, raw)

    (action,) = _actions(env)
    assert _filed(env) == [(school.code, "annual-2026", 1, True, action.id)]


def test_a_schools_mail_forwarded_as_an_attachment_is_filed_for_the_school(robot_env, mailbox, smtp_server, school):
    """GIVEN the school's own mail forwarded as an attachment (message/rfc822, as Thunderbird and
    Outlook's "Forward as attachment" do) THEN the file inside it is the school's report."""
    env = _staffed(robot_env)
    inner = outlook(PRINCIPAL, "Báo cáo năm 2026", "Kính gửi Sở.", sent=local(2026, 11, 19, 16, 0),
                    files=[File("BC.xlsx", _report(env, school))], to=EDITOR.address)
    forward = EmailMessage(policy=email.policy.SMTP)
    forward["From"] = f"{EDITOR.name} <{EDITOR.address}>"
    forward["To"] = "phongcttt.solongan@moet.edu.vn"
    forward["Subject"] = f"Nộp thay {school.code}"
    forward["Date"] = "Fri, 20 Nov 2026 09:00:00 +0700"
    forward["Message-ID"] = "<fwd-1@longan.edu.example>"
    forward["Authentication-Results"] = PASSED
    forward.set_content("Chuyển tiếp thư của trường.")
    forward.add_attachment(email.message_from_bytes(inner, policy=email.policy.default))
    _poll(env, mailbox, forward.as_bytes())

    (action,) = _actions(env)
    assert _filed(env) == [(school.code, "annual-2026", 1, True, action.id)]


def test_filing_for_a_unit_needs_an_editor_a_unit_and_a_readable_report(robot_env, mailbox, smtp_server, school):
    """GIVEN "Nộp thay" from a viewer, without a file, or naming no unit THEN each gets the help
    text saying why, and nothing is filed and no school is written to."""
    env = _staffed(robot_env)
    report = [File("BC.xlsx", _report(env, school))]
    for sender, subject, files in ((VIEWER, f"Nộp thay {school.code}", report),
                                   (EDITOR, f"Nộp thay {school.code}", []),
                                   (EDITOR, "Nộp thay trường không có", report)):
        _poll(env, mailbox, outlook(sender, subject, "Nhờ ghi nhận.", sent=local(2026, 11, 20, 9, 0), files=files,
                                    extra_headers=[("Authentication-Results", PASSED)]))

    assert _filed(env) == []
    answers = smtp_server.wait_for(3)
    assert [a.rcpt_tos for a in answers] == [[VIEWER.address], [EDITOR.address], [EDITOR.address]]
    viewer, no_file, no_unit = (text_of(a.parsed) for a in answers)
    assert "chỉ dành cho cán bộ có quyền sửa đổi" in viewer
    assert "không có tệp báo cáo" in no_file
    assert "Không tìm thấy đơn vị “trường không có”" in no_unit


def test_a_file_fitting_two_programmes_is_filed_only_once_staff_name_the_programme(tmp_path, mailbox, smtp_server):
    """GIVEN two programmes and a combined report holding a third of each WHEN an editor files it
    with "Nộp thay <unit>" THEN nothing is guessed: she is asked to name the programme; with "ma
    túy" in the subject it is filed as the unit's drug report."""
    from tests.programmes import DRUGS, write_two_programme_config
    from tests.robot.test_programmes_intake import _retyped

    env = _staffed(write_two_programme_config(tmp_path / "two", mailbox, smtp_server))
    school = next(u for u in env.config.units if u.type == "thpt")
    rows = [("Số hình thức tuyên truyền đã tổ chức", 3), ("Số cán bộ, giáo viên được tuyên truyền", 60),
            ("Số cuộc kiểm tra", 1), ("Số vụ vi phạm", 0), ("Số vụ việc về ma túy", 0),
            ("Số HSSV vi phạm về ma túy", 0), ("Số HSSV được xét nghiệm", 30)]
    combined = [File("tnxh.xlsx", _retyped("BÁO CÁO CÔNG TÁC PHÒNG, CHỐNG TỆ NẠN XÃ HỘI", rows))]
    _poll(env, mailbox, outlook(EDITOR, f"Nộp thay {school.code}", "Bản giấy của trường.", sent=local(2026, 11, 20, 9, 0),
                                files=combined, extra_headers=[("Authentication-Results", PASSED)]))
    assert _filed(env) == []
    (asked,) = smtp_server.wait_for(1)
    assert "hợp với nhiều chương trình báo cáo" in text_of(asked.parsed) and "“ma túy”" in text_of(asked.parsed)

    _poll(env, mailbox, outlook(EDITOR, f"Nộp thay {school.code} ma túy", "Báo cáo ma túy.", sent=local(2026, 11, 20, 9, 5),
                                files=combined, extra_headers=[("Authentication-Results", PASSED)]))
    with session(env.engine()) as db:
        assert [(s.unit_code, s.programme) for s in db.exec(select(Submission))] == [(school.code, DRUGS)]
