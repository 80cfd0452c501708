"""Staff remind units now ("Nhắc <unit> [gấp]", "Nhắc tất cả", `robot remind --unit`), on a real
Dovecot and aiosmtpd: the step due now goes once, whoever sends it first, unless forced."""

from __future__ import annotations

import yaml
from sqlmodel import select

from store.db import session
from store.tables import ReminderSent
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robot.test_staff_by_mail import EDITOR, VIEWER, _actions, _command, _poll, _staffed
from tests.robotenv import RobotEnv, local, mail, text_of

ON_25 = "2026-11-25T10:00:00+07:00"  # annual-2026 (due 1/12) is at its step before-7


def _four_units(robot_env) -> RobotEnv:
    """The staffed robot with two district offices and two schools only."""
    env = _staffed(robot_env)
    data = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    units = data["units"]
    data["units"] = [u for u in units if u["type"] == "phong_gddt"][:2] + [u for u in units if u["type"] == "thpt"][:2]
    env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return RobotEnv(env.path)


def _sent(env: RobotEnv) -> list[tuple[str, str, str]]:
    """(unit, period, step) of every reminder recorded, in order."""
    with session(env.engine()) as db:
        return [(r.unit_code, r.period_id, r.step) for r in db.exec(select(ReminderSent).order_by(ReminderSent.id))]


def _new(smtp_server, before: int, count: int) -> list:
    return smtp_server.wait_for(before + count)[before:]


def test_remind_a_unit_now_once_per_step_unless_urgent(robot_env, mailbox, smtp_server):
    """GIVEN nothing filed WHEN an editor mails "Nhắc <district>" on 25/11 THEN that district alone
    gets the reminder of annual-2026's step begun (before-7) and the overdue one of semiannual-2026,
    the editor a threaded confirmation; a second "Nhắc" sends nothing and says why; "gấp" sends
    both again as a manual step; the scheduled run then reminds every other unit, not it again."""
    env = _four_units(robot_env)
    district = env.config.units[0]
    _poll(env, mailbox, _command(EDITOR, f"Nhắc {district.code}", day=25), now=ON_25, day=25)

    first = _new(smtp_server, 0, 3)
    reminders = [m for m in first if m.parsed["X-Report-Robot"] != "staff"]
    assert {(m.parsed["X-Report-Robot"], tuple(m.rcpt_tos)) for m in reminders} == {
        ("reminder", (district.emails[0],)), ("overdue", (district.emails[0],))}
    (confirmation,) = [m for m in first if m.parsed["X-Report-Robot"] == "staff"]
    assert confirmation.rcpt_tos == [EDITOR.address] and confirmation.parsed["In-Reply-To"]
    said = text_of(confirmation.parsed)
    assert "Đã gửi 2 thư nhắc nộp báo cáo." in said
    assert f"Đã nhắc {district.code} — {district.name} (chưa nộp; nhắc trước hạn, before-7)" in said
    assert sorted(_sent(env)) == [(district.code, "annual-2026", "before-7"),
                                  (district.code, "semiannual-2026", "overdue-3")]
    (action,) = _actions(env)
    assert (action.action, action.args["units"], action.args["force"]) == ("remind", [district.code], False)
    assert {(s["period"], s["step"], s["kind"]) for s in action.args["sent"]} == {
        ("annual-2026", "before-7", "reminder"), ("semiannual-2026", "overdue-3", "overdue")}

    _poll(env, mailbox, _command(EDITOR, f"nhac {district.name}", day=26), now="2026-11-26T10:00:00+07:00", day=26)
    (again,) = _new(smtp_server, 3, 1)
    said = text_of(again.parsed)
    assert again.parsed["X-Report-Robot"] == "staff" and "Không gửi thư nhắc nào" in again.parsed["Subject"]
    assert f"Không nhắc 1 đơn vị — đã được nhắc đợt này (before-7): {district.code}" in said
    assert f"Nhắc {district.code} gấp" in said
    assert len(_sent(env)) == 2

    _poll(env, mailbox, _command(EDITOR, f"Nhắc {district.code} gấp", day=27), now="2026-11-27T10:00:00+07:00", day=27)
    urgent = _new(smtp_server, 4, 3)
    assert sorted(m.parsed["X-Report-Robot"] for m in urgent) == ["overdue", "reminder", "staff"]
    forced = _actions(env)[-1]
    assert sorted(_sent(env)[2:]) == [(district.code, "annual-2026", f"manual-{forced.id}"),
                                      (district.code, "semiannual-2026", f"manual-{forced.id}")]

    scheduled = env.cli("remind", "--now", "2026-11-27T11:00:00+07:00")
    assert scheduled.exit_code == 0, scheduled.output
    others = _new(smtp_server, 7, 3)
    assert {m.rcpt_tos[0] for m in others} == {u.emails[0] for u in env.config.units[1:]}
    assert len(smtp_server.messages) == 10


def test_remind_all_reminds_only_the_units_not_complete_nor_excused(robot_env, mailbox, smtp_server):
    """GIVEN semiannual-2026's last reminder sent to all in June, one school complete and one
    incomplete for annual-2026, a district excused WHEN an editor mails "Nhắc tất cả" THEN the
    incomplete school and the other district alone are reminded; the confirmation says why the
    others are not."""
    env = _four_units(robot_env)
    first_district, excused, complete_school, partial_school = env.config.units
    assert env.cli("remind", "--now", "2026-06-08T09:00:00+07:00").exit_code == 0
    assert {m.parsed["X-Report-Robot"] for m in _new(smtp_server, 0, 4)} == {"overdue"}
    schema = env.config.schema()
    partial = {k: v for k, v in COMPLETE.items() if k != "so_buoi_tt"}
    for school, values in ((complete_school, COMPLETE), (partial_school, partial)):
        mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", filled_xlsx(schema, "thpt", values))]),
                       internaldate=local(2026, 11, 18, 8, 0))
    _poll(env, mailbox, _command(EDITOR, f"Miễn {excused.code} annual-2026 Phòng sáp nhập"))
    assert len(smtp_server.wait_for(7)) == 7  # two answers to the schools, the excusal's confirmation

    _poll(env, mailbox, _command(EDITOR, "Nhắc tất cả", day=25), now=ON_25, day=25)

    sent = _new(smtp_server, 7, 3)
    reminders = [m for m in sent if m.parsed["X-Report-Robot"] == "reminder"]
    assert sorted(m.rcpt_tos[0] for m in reminders) == sorted([first_district.emails[0], partial_school.emails[0]])
    (confirmation,) = [m for m in sent if m.parsed["X-Report-Robot"] == "staff"]
    said = text_of(confirmation.parsed)
    assert "Đã gửi 2 thư nhắc: các đơn vị chưa nộp đủ" == confirmation.parsed["Subject"]
    assert f"Đã nhắc {partial_school.code} — {partial_school.name} (chưa đủ; nhắc trước hạn, before-7)" in said
    assert f"Không nhắc 1 đơn vị — đã nộp đủ: {complete_school.code}" in said
    assert f"Không nhắc 1 đơn vị — được miễn: {excused.code}" in said
    assert "Không nhắc 4 đơn vị — đã được nhắc đợt này (overdue-3)" in said
    assert "Nhắc tất cả gấp" in said
    (action,) = [a for a in _actions(env) if a.action == "remind"]
    assert action.args["units"] == "all"
    assert len(action.args["skipped"]) == 6
    assert len(smtp_server.messages) == 10


def test_a_viewer_may_not_remind(robot_env, mailbox, smtp_server):
    env = _four_units(robot_env)
    _poll(env, mailbox, _command(VIEWER, "Nhắc tất cả gấp", day=25), now=ON_25, day=25)
    (answer,) = smtp_server.wait_for(1)
    assert answer.rcpt_tos == [VIEWER.address]
    assert "Lệnh “Nhắc” chỉ dành cho cán bộ có quyền sửa đổi" in text_of(answer.parsed)
    assert _sent(env) == []
    (action,) = _actions(env)
    assert action.action == "remind" and "refused" in action.args


def test_cli_reminds_only_the_units_named(robot_env, smtp_server):
    """`robot remind --unit X` sends X's reminders only, once; --force sends them again; an
    unknown unit is refused."""
    env = _four_units(robot_env)
    school = env.config.units[2]
    result = env.cli("remind", "--unit", school.code, "--now", ON_25)
    assert result.exit_code == 0, result.output
    assert {(m.parsed["X-Report-Robot"], m.rcpt_tos[0]) for m in _new(smtp_server, 0, 2)} == {
        ("reminder", school.emails[0]), ("overdue", school.emails[0])}

    again = env.cli("remind", "--unit", school.code, "--now", ON_25)
    assert again.exit_code == 0
    assert "đã được nhắc đợt này (before-7)" in again.output and "--force" in again.output
    forced = env.cli("remind", "--unit", school.name, "--force", "--now", ON_25)
    assert forced.exit_code == 0, forced.output
    assert len(_new(smtp_server, 2, 2)) == 2
    assert [a.staff_email.startswith("cli:") for a in _actions(env)] == [True, True, True]
    assert len(smtp_server.messages) == 4

    unknown = env.cli("remind", "--unit", "KHONG-CO", "--now", ON_25)
    assert unknown.exit_code == 2 and "KHONG-CO" in unknown.output
