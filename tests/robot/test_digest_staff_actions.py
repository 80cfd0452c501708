"""The digest lists the week's staff actions (issue 13, audit), on a real Dovecot and aiosmtpd.

Staff correct, excuse, undo and look through the robot by mail, an admin corrects from the command
line; the weekly digest tells who did what to which unit and period, what was undone and what
was refused, and counts the commands that only looked. Another robot's actions and older ones
stay out, and a digest with none is the one it was before.
"""

from __future__ import annotations

import html
import re

import yaml

from robot.digest.build import make_digest
from store import staff as store
from store.db import session
from tests.robot.test_staff_by_mail import EDITOR, VIEWER, _actions, _command, _poll, _staffed
from tests.robot.test_staff_corrections import _school_report
from tests.robotenv import RobotEnv, local, text_of

DIGEST_AT = "2026-11-22T08:00:00+07:00"
HEADING = "<h2>Việc cán bộ đã làm (7 ngày qua)</h2>"
_ROW = re.compile(r"<tr>(<td.*?)</tr>")
_CELL = re.compile(r"<td[^>]*>(.*?)</td>")


def _rows(page: str) -> list[list[str]]:
    """The staff actions table of a digest page: each row's cells as text."""
    part = page.split(HEADING)[1].split("<h2>")[0]
    return [[html.unescape(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(part)]


def _digest_html(env: RobotEnv, folder) -> str:
    result = env.cli("digest", "--now", DIGEST_AT, "--dry-run", "--out", str(folder))
    assert result.exit_code == 0, result.output
    return (folder / "digest.html").read_text(encoding="utf-8")


def test_the_digest_lists_who_changed_what_undone_and_refused(robot_env, mailbox, smtp_server, school, tmp_path):
    """GIVEN, in the week before the digest, an editor's correction and excusal by mail (the
    excusal then undone), a viewer's refused excusal, a viewer's "Tình hình" and "Đơn vị", an
    admin's `robot correct`, and an excusal mailed ten days before
    WHEN the digest is sent
    THEN its HTML lists each change and the refused command with its number, time, staff member,
    command, unit, period, detail and outcome, counts the looks, leaves the old excusal out, and
    its text part says it in one line."""
    env = _staffed(robot_env)
    other, older = [u for u in env.config.units if u.type == "thpt" and u.code != school.code][:2]
    _poll(env, mailbox, _command(EDITOR, f"Miễn {older.code} annual-2026 Đã báo từ trước", day=12),
          now="2026-11-12T10:00:00+07:00", day=12)
    _school_report(env, mailbox, school)
    for raw in (_command(EDITOR, f"Sửa {school.code} 05=755 nhập nhầm số học sinh"),
                _command(EDITOR, f"Miễn {other.code} annual-2026 Trường tạm dừng hoạt động"),
                _command(VIEWER, f"Miễn {school.code} annual-2026"),
                _command(VIEWER, "Tình hình"), _command(VIEWER, f"Đơn vị {school.code}")):
        mailbox.append(raw, internaldate=local(2026, 11, 20, 9, 30))
    assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    _, corrected, excused, refused, *_ = _actions(env)
    assert (corrected.action, excused.action, refused.args["refused"][:9]) == ("correct", "excuse", "Lệnh “Miễ")
    _poll(env, mailbox, _command(EDITOR, f"Hoàn tác {excused.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    result = env.cli("correct", school.code, "06=1450", "--reason", "Trường báo lại tổng số", "--by", "Lê Văn Hùng",
                     "--now", "2026-11-21T11:00:00+07:00")
    assert result.exit_code == 0, result.output
    *_, undone, by_admin = _actions(env)

    page = _digest_html(env, tmp_path / "digest")
    year = "Báo cáo năm 2026"
    assert _rows(page) == [
        [str(corrected.id), "20/11/2026 10:00", "Nguyễn Thị Lan", "Sửa", f"{school.name} ({school.code})", year,
         "05: 1.250 → 755 — lý do: nhập nhầm số học sinh", "Đã làm"],
        [str(excused.id), "20/11/2026 10:00", "Nguyễn Thị Lan", "Miễn", f"{other.name} ({other.code})", year,
         "Lý do: Trường tạm dừng hoạt động", "Đã hoàn tác (21/11/2026 10:00)"],
        [str(refused.id), "20/11/2026 10:00", "Trần Văn Minh", "Miễn", "", "",
         f"“Miễn {school.code} annual-2026”", f"Không thực hiện được: {refused.args['refused']}"],
        [str(undone.id), "21/11/2026 10:00", "Nguyễn Thị Lan", "Hoàn tác", f"{other.name} ({other.code})", year,
         f"Số {excused.id} (Miễn)", "Đã làm"],
        [str(by_admin.id), "21/11/2026 11:00", "Lê Văn Hùng (dòng lệnh)", "Sửa", f"{school.name} ({school.code})",
         year, "06: 1.400 → 1.450 — lý do: Trường báo lại tổng số", "Đã làm"],
    ]
    assert older.code not in page.split(HEADING)[1]
    assert "Lệnh xem (không thay đổi gì): Tình hình 1 · Đơn vị 1." in page

    smtp_server.clear()
    assert env.cli("digest", "--now", DIGEST_AT).exit_code == 0
    (sent,) = smtp_server.wait_for(1)
    assert sent.parsed["X-Report-Robot"] == "digest"
    assert ("Việc cán bộ đã làm (7 ngày qua): 4 thay đổi (Sửa 2, Miễn 1, Hoàn tác 1; 1 đã hoàn tác), "
            "1 lệnh không thực hiện được, 2 lệnh xem (Tình hình 1, Đơn vị 1) — chi tiết ở phần HTML.") in text_of(
        sent.parsed)


def test_another_robots_actions_are_listed_only_with_scope_all(robot_env, mailbox, smtp_server, school):
    """GIVEN no staff action of this robot and one of another robot's mailbox in the store
    WHEN the digest is built THEN it is the digest of a robot without staff, byte for byte (no
    section, no line); with digest.scope "all" the other robot's action is listed."""
    env = _staffed(robot_env)
    engine, now = env.engine(), local(2026, 11, 22, 8, 0)
    before = make_digest(env.config, engine, now)
    with session(engine) as db:
        store.record_action(db, "phonggd.tanan@longan.edu.example", EDITOR.address, "excuse",
                            {"id": 1, "unit": school.code, "programme": "default", "period": "annual-2026",
                             "reason": "Sáp nhập", "new": True}, local(2026, 11, 21, 9, 0), None)
        db.commit()
    after = make_digest(env.config, engine, now)
    assert (after.text, after.html_file) == (before.text, before.html_file)
    assert "Việc cán bộ" not in after.text + after.html_file

    data = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    data["digest"]["scope"] = "all"
    env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    everywhere = make_digest(env.config, engine, now)
    assert _rows(everywhere.html_file)[0][2:] == [
        "Nguyễn Thị Lan", "Miễn", f"{school.name} ({school.code})", "Báo cáo năm 2026", "Lý do: Sáp nhập", "Đã làm"]
    assert "Việc cán bộ đã làm (7 ngày qua): 1 thay đổi (Miễn 1)" in everywhere.text
