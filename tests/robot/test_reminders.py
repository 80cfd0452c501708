"""Reminders go to exactly the expected units whose report is missing or incomplete, once per step."""

from __future__ import annotations

import pytest
import yaml

from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import RobotEnv, local, mail, text_of

SUPERVISOR = "giamdoc.truong@longan.edu.example"


@pytest.fixture
def reorganised(robot_env: RobotEnv) -> RobotEnv:
    """The shipped units, but one district office closes on 31/5/2026, a school opens on 1/7/2026,
    and one school has a supervisor and a contact person."""
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    districts = [u for u in data["units"] if u["type"] == "phong_gddt"]
    schools = [u for u in data["units"] if u["type"] == "thpt"]
    districts[0]["active_until"] = "2026-05-31"
    schools[-1]["active_from"] = "2026-07-01"
    schools[2]["supervisor_emails"] = [SUPERVISOR]
    schools[2]["contact"] = {"name": "Nguyễn Văn An", "phone": "0912 345 678"}
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return robot_env


def _file_reports(env: RobotEnv, mailbox, subject: str, when) -> tuple:
    """One school files a complete report, another an incomplete one (04 missing), via real intake."""
    config = env.config
    complete_school, incomplete_school = [u for u in config.units if u.type == "thpt"][:2]
    schema = config.schema()
    partial = {k: v for k, v in COMPLETE.items() if k != "so_buoi_tt"}
    mailbox.append(mail(complete_school.emails[0], subject, [("bc.xlsx", filled_xlsx(schema, "thpt", COMPLETE))]),
                   internaldate=when)
    mailbox.append(mail(incomplete_school.emails[0], subject, [("bc.xlsx", filled_xlsx(schema, "thpt", partial))]),
                   internaldate=when)
    assert env.cli("poll", "--now", when.isoformat()).exit_code == 0
    return complete_school, incomplete_school


def _remind(env: RobotEnv, smtp_server, now: str) -> list:
    before = len(smtp_server.messages)
    result = env.cli("remind", "--now", now)
    assert result.exit_code == 0, result.output
    return smtp_server.messages[before:]


def _expected_addresses(config, due, skip_codes: set[str]) -> set[str]:
    return {u.emails[0] for u in config.units if u.active_on(due) and u.code not in skip_codes}


def test_semiannual_reminders_before_and_after_the_deadline(reorganised, mailbox, smtp_server):
    """GIVEN one complete and one incomplete report filed through intake WHEN `remind` runs on
    days either side of 1 June THEN every other expected unit, and the incomplete one, is
    reminded once per step; the complete and the inactive unit never are."""
    env = reorganised
    config = env.config
    complete, incomplete = _file_reports(env, mailbox, "Báo cáo 6 tháng đầu năm 2026", local(2026, 5, 20, 9, 0))
    closed = next(u for u in config.units if u.active_until is not None)
    due = local(2026, 6, 1).date()
    expected = _expected_addresses(config, due, {complete.code})
    assert closed.emails[0] not in expected and incomplete.emails[0] in expected

    assert _remind(env, smtp_server, "2026-05-29T07:59:00+07:00") == [], "nothing before reminders.hour"

    sent = _remind(env, smtp_server, "2026-05-29T08:30:00+07:00")
    assert {r.rcpt_tos[0] for r in sent} == expected
    assert len(sent) == len(expected)
    assert all(r.parsed["X-Report-Robot"] == "reminder" for r in sent)
    assert all(r.parsed["Auto-Submitted"] == "auto-generated" for r in sent)
    to_incomplete = next(text_of(r.parsed) for r in sent if r.rcpt_tos == [incomplete.emails[0]])
    assert "CHƯA ĐẦY ĐỦ" in to_incomplete
    assert "04 — Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức" in to_incomplete

    assert _remind(env, smtp_server, "2026-05-29T16:00:00+07:00") == [], "a second run the same day sends nothing"

    overdue = _remind(env, smtp_server, "2026-06-02T09:00:00+07:00")
    assert {r.rcpt_tos[0] for r in overdue} == expected
    assert {r.parsed["X-Report-Robot"] for r in overdue} == {"overdue"}
    assert _remind(env, smtp_server, "2026-06-02T10:00:00+07:00") == []


def test_escalation_names_the_unit_and_goes_to_staff_and_supervisor(reorganised, mailbox, smtp_server):
    env = reorganised
    config = env.config
    complete, _ = _file_reports(env, mailbox, "Báo cáo 6 tháng đầu năm 2026", local(2026, 5, 20, 9, 0))
    supervised = next(u for u in config.units if u.supervisor_emails)
    late_units = [u for u in config.units if u.active_on(local(2026, 6, 1).date()) and u.code != complete.code]

    sent = _remind(env, smtp_server, "2026-06-11T09:00:00+07:00")  # 10 days after the deadline
    assert len(sent) == len(late_units)
    assert {r.parsed["X-Report-Robot"] for r in sent} == {"escalation"}
    assert all(config.reminders.escalate_to[0] in r.rcpt_tos for r in sent)
    to_supervisor = [r for r in sent if SUPERVISOR in r.rcpt_tos]
    assert len(to_supervisor) == 1
    body = text_of(to_supervisor[0].parsed)
    assert supervised.name in body and "0912 345 678" in body and supervised.emails[0] in body
    assert _remind(env, smtp_server, "2026-06-12T09:00:00+07:00") == []


def test_annual_reminders_expect_the_new_unit(reorganised, smtp_server):
    """The annual period (due 1 December) expects the school opened in July and not the closed office."""
    env = reorganised
    config = env.config
    opened = next(u for u in config.units if u.active_from is not None and u.active_from.year == 2026)
    expected = _expected_addresses(config, local(2026, 12, 1).date(), set())
    assert opened.emails[0] in expected

    before = _remind(env, smtp_server, "2026-11-30T08:00:00+07:00")
    assert {r.rcpt_tos[0] for r in before} == expected
    assert {r.parsed["X-Report-Robot"] for r in before} == {"reminder"}
    after = _remind(env, smtp_server, "2026-12-01T08:00:00+07:00")
    assert {r.rcpt_tos[0] for r in after} == expected
    assert {r.parsed["X-Report-Robot"] for r in after} == {"overdue"}


def test_dry_run_sends_and_records_nothing(robot_env, smtp_server):
    result = robot_env.cli("remind", "--now", "2026-11-30T09:00:00+07:00", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "chạy thử" in result.output
    assert smtp_server.messages == []
    assert len(_remind(robot_env, smtp_server, "2026-11-30T09:00:00+07:00")) == len(robot_env.config.units)
