"""Staff correct a misread figure by mail ("Sửa <unit> <code>=<value> <reason>") and take it back
("Hoàn tác <number>"), on a real Dovecot and aiosmtpd: a new version on the record, the unit told."""

from __future__ import annotations

from sqlmodel import select

from store.db import session
from store.queries import values_of
from store.tables import StaffAction, Submission
from tests.filling import filled_xlsx
from tests.realmail import File, Person, outlook
from tests.robot.conftest import COMPLETE
from tests.robot.test_staff_by_mail import EDITOR, VIEWER, _actions, _command, _poll, _staffed
from tests.robotenv import local, parsed, text_of


def _versions(env, unit_code: str) -> list[tuple[int, bool, str, int | None, int]]:
    """(version, current, state, staff action, figure 05) of each filed version, oldest first."""
    with session(env.engine()) as db:
        rows = db.exec(select(Submission).where(Submission.unit_code == unit_code).order_by(Submission.version)).all()
        figures = values_of(db, [s.id for s in rows])
        return [(s.version, s.is_current, s.state, s.staff_action_id,
                 next(v.value for v in figures[s.id] if v.key == "so_hssv_duoc_tt")) for s in rows]


def _school_report(env, mailbox, school) -> bytes:
    report = filled_xlsx(env.config.schema(), "thpt", COMPLETE)
    raw = outlook(Person("Văn thư trường", school.emails[0]), "Báo cáo năm 2026", "Kính gửi Sở.",
                  sent=local(2026, 11, 18, 8, 0), files=[File("BC_nam_2026.xlsx", report)])
    mailbox.append(raw, internaldate=local(2026, 11, 18, 8, 5))
    return raw


def test_a_correction_is_a_new_version_the_unit_is_told_and_undo_restores_the_first(
        robot_env, mailbox, smtp_server, school):
    """GIVEN a school's filed report with 1.250 students reached WHEN an editor mails
    "Sửa <code> 05=755 …" THEN version 2 holds 755 and names the staff action, the school is told
    "1.250 → 755" under its own mail, the editor gets the number to undo it; "Hoàn tác <number>"
    makes version 1 current again."""
    env = _staffed(robot_env)
    original = _school_report(env, mailbox, school)
    _poll(env, mailbox, _command(EDITOR, f"Sửa {school.code} 05 = 755 trường gọi điện báo nhập nhầm"))

    (corrected,) = [a for a in _actions(env) if a.action == "correct"]
    assert _versions(env, school.code) == [(1, False, "complete", None, 1250), (2, True, "complete", corrected.id, 755)]
    assert corrected.args["changes"] == {"05": ["1.250", "755"]}
    assert corrected.args["reason"] == "trường gọi điện báo nhập nhầm"
    mails = smtp_server.wait_for(3)
    ack, notice, confirmation = mails
    assert ack.parsed["X-Report-Robot"] == "ack"
    assert notice.rcpt_tos == [school.emails[0]] and notice.parsed["X-Report-Robot"] == "ack"
    assert notice.parsed["In-Reply-To"] == parsed(original)["Message-ID"]
    told = text_of(notice.parsed)
    assert "05 — Số học sinh, sinh viên được tuyên truyền: 1.250 → 755" in told
    assert "Lý do: trường gọi điện báo nhập nhầm" in told
    assert confirmation.rcpt_tos == [EDITOR.address] and confirmation.parsed["X-Report-Robot"] == "staff"
    assert f"Hoàn tác {corrected.id}" in text_of(confirmation.parsed)

    _poll(env, mailbox, _command(EDITOR, f"Hoàn tác {corrected.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)

    assert _versions(env, school.code) == [(1, True, "complete", None, 1250), (2, False, "complete", corrected.id, 755)]
    undone = smtp_server.wait_for(4)[3]
    assert f"Đã hoàn tác số {corrected.id}" in undone.parsed["Subject"]
    with session(env.engine()) as db:
        assert db.get(StaffAction, corrected.id).undone_at is not None


def test_a_correction_that_cannot_be_made_changes_nothing(robot_env, mailbox, smtp_server, school):
    """GIVEN a filed report WHEN a viewer asks for a correction, or an editor names a code the
    report has not, or a value that is not a number THEN each gets the help text saying why and
    the report stays as filed, nobody else is written to."""
    env = _staffed(robot_env)
    _school_report(env, mailbox, school)
    _poll(env, mailbox, _command(VIEWER, f"Sửa {school.code} 05=755"))
    _poll(env, mailbox, _command(EDITOR, f"Sua {school.code} 99=3"))
    _poll(env, mailbox, _command(EDITOR, f"Sửa {school.code} 05=nhiều"))

    assert _versions(env, school.code) == [(1, True, "complete", None, 1250)]
    _, *answers = smtp_server.wait_for(4)
    assert [a.rcpt_tos for a in answers] == [[VIEWER.address], [EDITOR.address], [EDITOR.address]]
    viewer, unknown_code, bad_value = (text_of(a.parsed) for a in answers)
    assert "chỉ dành cho cán bộ có quyền sửa đổi" in viewer
    assert "không có chỉ tiêu mã 99" in unknown_code
    assert "Giá trị “nhiều” của chỉ tiêu 05 không đọc được" in bad_value
    assert all("Không có thay đổi nào được thực hiện" in text for text in (viewer, unknown_code, bad_value))


def test_a_units_history_names_who_corrected_what(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    _school_report(env, mailbox, school)
    _poll(env, mailbox, _command(EDITOR, f"Sửa {school.code} 05=755 nhập nhầm"))
    _poll(env, mailbox, _command(VIEWER, f"Đơn vị {school.code}", day=21), now="2026-11-21T10:00:00+07:00", day=21)

    history = text_of(smtp_server.wait_for(4)[3].parsed)
    assert "Lần 2" in history and "Sửa bởi Nguyễn Thị Lan" in history and "05: 1.250 → 755" in history
