"""`robot correct` and `robot file-for`: the admin's twins of "Sửa" and "Nộp thay", on the same
implementation and the same audit, the unit told by mail (real aiosmtpd)."""

from __future__ import annotations

import json

from sqlmodel import select

from store.db import session
from store.tables import StaffAction, Submission
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import text_of

NOW = "2026-11-20T10:00:00+07:00"


def _row(env, unit_code: str) -> dict:
    rows = json.loads(env.cli("status", "--period", "annual-2026", "--now", NOW, "--json").stdout)
    return next(r for r in rows if r["unit_code"] == unit_code)


def test_a_paper_report_filed_from_the_shell_then_corrected(robot_env, smtp_server, school, tmp_path):
    """GIVEN a paper report received on 28/11 typed into the template WHEN the admin runs
    `robot file-for … --received 2026-11-28` THEN it is the school's report, late, the school is
    acknowledged; `robot correct … 05=755` makes version 2 and tells the school; both audited."""
    paper = tmp_path / "bao-cao-giay.xlsx"
    paper.write_bytes(filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name))

    filed = robot_env.cli("file-for", school.code, str(paper), "--received", "2026-11-28T15:00:00+07:00",
                          "--by", "nguyenvana", "--now", "2026-12-01T09:00:00+07:00")

    assert filed.exit_code == 0, filed.output
    assert f"Đã nộp thay {school.code} kỳ annual-2026: lần 1, đầy đủ, đúng hạn" in filed.output
    ack = smtp_server.wait_for(1)[0]
    assert ack.rcpt_tos == [school.emails[0]] and "nộp thay đơn vị" in text_of(ack.parsed)

    fixed = robot_env.cli("correct", school.code, "05=755", "--period", "annual-2026",
                          "--reason", "Trường báo nhập nhầm", "--by", "nguyenvana", "--now", "2026-12-01T10:00:00+07:00")

    assert fixed.exit_code == 0, fixed.output
    assert "05 — Số học sinh, sinh viên được tuyên truyền: 1.250 → 755" in fixed.output
    notice = smtp_server.wait_for(2)[1]
    assert notice.rcpt_tos == [school.emails[0]] and "1.250 → 755" in text_of(notice.parsed)
    with session(robot_env.engine()) as db:
        rows = db.exec(select(Submission).order_by(Submission.version)).all()
        actions = db.exec(select(StaffAction).order_by(StaffAction.id)).all()
    assert [(s.version, s.is_current, s.staff_action_id) for s in rows] == [
        (1, False, actions[0].id), (2, True, actions[1].id)]
    assert [(a.staff_email, a.action) for a in actions] == [("cli:nguyenvana", "file-for"), ("cli:nguyenvana", "correct")]
    assert _row(robot_env, school.code)["values"]["so_hssv_duoc_tt"] == 755


def test_the_twins_refuse_what_they_cannot_do(robot_env, school, tmp_path):
    junk = tmp_path / "ghi-chu.txt"
    junk.write_text("Không có số liệu", encoding="utf-8")
    assert robot_env.cli("file-for", "THPT-KHONGCO", str(junk), "--now", NOW).exit_code == 1
    refused = robot_env.cli("file-for", school.code, str(junk), "--now", NOW)
    assert refused.exit_code == 1 and "không đọc được như một báo cáo" in refused.output
    nothing = robot_env.cli("correct", school.code, "05=755", "--now", NOW)
    assert nothing.exit_code == 1 and "chưa có báo cáo" in nothing.output
    assert robot_env.cli("correct", school.code, "755", "--now", NOW).exit_code == 2
