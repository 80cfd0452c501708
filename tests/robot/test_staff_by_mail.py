"""Staff command the robot by mail, on a real Dovecot and aiosmtpd (issue 13).

A staff mail is believed only from a staff address that the trusted receiving server
authenticated; anything less is ordinary mail and changes nothing.
"""

from __future__ import annotations

import json

import yaml
from sqlmodel import select

from robot.reminders import plan_reminders
from store.db import session
from store.tables import Excusal, Message, StaffAction
from tests.filling import filled_xlsx
from tests.realmail import File, Person, outlook
from tests.robot.conftest import COMPLETE
from tests.robotenv import RobotEnv, local, text_of

TRUSTED = "mx.moet.edu.vn"
EDITOR = Person("Nguyễn Thị Lan - Phòng CTTT", "lan.nt.cttt@longan.edu.example")
VIEWER = Person("Trần Văn Minh", "minh.tv.cttt@longan.edu.example")
NOW = "2026-11-20T10:00:00+07:00"
PASSED = (f"{TRUSTED}; spf=pass smtp.mailfrom=longan.edu.example; "
          "dkim=pass header.d=longan.edu.example; dmarc=pass action=none header.from=longan.edu.example")


def _staffed(robot_env) -> RobotEnv:
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["security"]["trusted_authserv_ids"] = [TRUSTED]
    data["staff"] = [
        {"name": "Nguyễn Thị Lan", "emails": [EDITOR.address], "role": "editor"},
        {"name": "Trần Văn Minh", "emails": [VIEWER.address], "role": "viewer"},
    ]
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return RobotEnv(robot_env.path)


def _command(sender: Person, subject: str, results: str | None = PASSED, day: int = 20) -> bytes:
    headers = [("Authentication-Results", results)] if results else []
    return outlook(sender, subject, "Nhờ hệ thống xử lý giúp.\n\nTrân trọng,\nLan", sent=local(2026, 11, day, 9, 0),
                   extra_headers=headers)


def _poll(env: RobotEnv, mailbox, raw: bytes, now: str = NOW, day: int = 20) -> None:
    mailbox.append(raw, internaldate=local(2026, 11, day, 9, 30))
    assert env.cli("poll", "--now", now).exit_code == 0


def _row(env: RobotEnv, unit_code: str, period: str = "annual-2026") -> dict:
    rows = json.loads(env.cli("status", "--period", period, "--json").stdout)
    return next(r for r in rows if r["unit_code"] == unit_code)


def _reminded(env: RobotEnv) -> set[str]:
    """Units a reminder is due for on 24/11 (a week before annual-2026 closes)."""
    with session(env.engine()) as db:
        return {item.unit.code for item in plan_reminders(env.config, db, local(2026, 11, 24, 9, 0))}


def _actions(env: RobotEnv) -> list[StaffAction]:
    with session(env.engine()) as db:
        return list(db.exec(select(StaffAction).order_by(StaffAction.id)))


def test_help_lists_the_commands_threaded_under_the_staff_mail(robot_env, mailbox, smtp_server):
    env = _staffed(robot_env)
    raw = _command(VIEWER, "huong dan")
    _poll(env, mailbox, raw)
    (answer,) = smtp_server.wait_for(1)
    assert answer.parsed["X-Report-Robot"] == "staff"
    assert answer.parsed["To"].addresses[0].addr_spec == VIEWER.address
    incoming = next(line for line in raw.decode().splitlines() if line.startswith("Message-ID:"))
    assert answer.parsed["In-Reply-To"] == incoming.split(":", 1)[1].strip()
    text = text_of(answer.parsed)
    for example in ("Tình hình", "Đơn vị PGD-", "Miễn PGD-", "Hoàn tác 12", "annual-2026"):
        assert example in text
    assert "xem (viewer)" in text
    (action,) = _actions(env)
    assert (action.staff_email, action.action) == (VIEWER.address, "help")
    with session(env.engine()) as db:
        assert db.exec(select(Message)).one().outcome == "staff-command"


def test_situation_sends_the_digest_now(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    report = filled_xlsx(env.config.schema(), "thpt", COMPLETE)
    mailbox.append(outlook(Person("Văn thư trường", school.emails[0]), "Báo cáo năm 2026", "Kính gửi Sở.",
                           sent=local(2026, 11, 19, 8, 0), files=[File("BC_nam_2026.xlsx", report)]),
                   internaldate=local(2026, 11, 19, 8, 5))
    _poll(env, mailbox, _command(VIEWER, "Tình hình"))
    answers = smtp_server.wait_for(2)
    (situation,) = [m for m in answers if m.parsed["X-Report-Robot"] == "staff"]
    assert "Tổng hợp tình hình báo cáo" in situation.parsed["Subject"]
    names = {part.get_filename() for part in situation.parsed.iter_attachments()}
    assert any(name and name.endswith(".xlsx") for name in names)
    assert any(name and name.endswith(".docx") for name in names)
    assert situation.parsed.get_body(("html",)) is not None
    assert [a.action for a in _actions(env)] == ["situation"]


def test_unit_history_names_every_submission(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    report = filled_xlsx(env.config.schema(), "thpt", COMPLETE)
    for day in (18, 19):
        mailbox.append(outlook(Person("Văn thư trường", school.emails[0]), "Báo cáo năm 2026", "Kính gửi Sở.",
                               sent=local(2026, 11, day, 8, 0), files=[File(f"BC_lan_{day}.xlsx", report)]),
                       internaldate=local(2026, 11, day, 8, 5))
    _poll(env, mailbox, _command(VIEWER, f"Đơn vị {school.code.lower()}"))
    (history,) = [m for m in smtp_server.wait_for(3) if m.parsed["X-Report-Robot"] == "staff"]
    text = text_of(history.parsed)
    assert school.name in text and "annual-2026" in text
    assert "Lần 1" in text and "Lần 2" in text and "BC_lan_18.xlsx" in text and "BC_lan_19.xlsx" in text
    assert "(bản đang dùng)" in text and "đúng hạn" in text


def test_excusal_stops_reminders_shows_in_status_and_undo_restores(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    reason = "Trường tạm dừng hoạt động để sửa chữa"
    _poll(env, mailbox, _command(EDITOR, f"Miễn {school.code} annual-2026 {reason}"))
    (confirmation,) = smtp_server.wait_for(1)
    assert confirmation.parsed["X-Report-Robot"] == "staff"
    with session(env.engine()) as db:
        (excusal,) = db.exec(select(Excusal)).all()
    assert (excusal.unit_code, excusal.period_id, excusal.reason, excusal.by) == (
        school.code, "annual-2026", reason, "Nguyễn Thị Lan")
    (excused,) = _actions(env)  # its number undoes it: one number space for every change
    assert f"Hoàn tác {excused.id}" in text_of(confirmation.parsed)
    assert f"số {excused.id}" in confirmation.parsed["Subject"]
    row = _row(env, school.code)
    assert row["excused"] is True and row["state"] == "missing"

    assert school.code not in _reminded(env)

    _poll(env, mailbox, _command(EDITOR, f"Hoàn tác {excused.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    undone = smtp_server.wait_for(2)[1]
    assert f"Đã hoàn tác số {excused.id}" in undone.parsed["Subject"]
    assert "excused" not in _row(env, school.code)
    assert school.code in _reminded(env)
    actions = _actions(env)
    assert [a.action for a in actions] == ["excuse", "undo"]
    assert actions[0].undone_at is not None and actions[0].args["id"] == excusal.id


def test_a_viewer_may_not_excuse(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    _poll(env, mailbox, _command(VIEWER, f"Miễn {school.code} annual-2026 đã sáp nhập"))
    (answer,) = smtp_server.wait_for(1)
    assert answer.parsed["X-Report-Robot"] == "staff"
    assert "chỉ dành cho cán bộ có quyền sửa đổi" in text_of(answer.parsed)
    assert "excused" not in _row(env, school.code)
    (action,) = _actions(env)
    assert action.action == "excuse" and "refused" in action.args


def test_unknown_or_malformed_commands_get_help_and_change_nothing(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    _poll(env, mailbox, _command(EDITOR, f"Miễn {school.code} năm nay"))
    _poll(env, mailbox, _command(EDITOR, "Hoàn tác 99", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    first, second = smtp_server.wait_for(2)
    assert "cần mã kỳ báo cáo" in text_of(first.parsed)
    assert "Không có thay đổi số 99" in text_of(second.parsed)
    assert all("Không có thay đổi nào được thực hiện" in text_of(m.parsed) for m in (first, second))
    assert "excused" not in _row(env, school.code)
    with session(env.engine()) as db:
        assert db.exec(select(Excusal)).all() == []


def test_without_a_trusted_authentication_a_staff_command_is_ordinary_mail(robot_env, mailbox, smtp_server, school):
    """No result, a failed one, or a result from an untrusted server: the command is not run."""
    env = _staffed(robot_env)
    subject = f"Miễn {school.code} annual-2026 đã sáp nhập"
    for results in (None, f"{TRUSTED}; spf=fail smtp.mailfrom=longan.edu.example; dmarc=fail",
                    "mx.attacker.example; spf=pass; dkim=pass; dmarc=pass"):
        mailbox.append(_command(EDITOR, subject, results), internaldate=local(2026, 11, 20, 9, 30))
    assert env.cli("poll", "--now", NOW).exit_code == 0
    assert "excused" not in _row(env, school.code)
    assert _actions(env) == []
    with session(env.engine()) as db:
        outcomes = [m.outcome for m in db.exec(select(Message))]
    assert "staff-command" not in outcomes
    assert all(m.parsed["X-Report-Robot"] != "staff" for m in smtp_server.messages)


def test_a_units_address_cannot_command(robot_env, mailbox, smtp_server, school):
    env = _staffed(robot_env)
    _poll(env, mailbox, _command(Person("Văn thư trường", school.emails[0]), f"Miễn {school.code} annual-2026 nghỉ"))
    assert "excused" not in _row(env, school.code)
    assert _actions(env) == []
    assert all(m.parsed["X-Report-Robot"] != "staff" for m in smtp_server.messages)
