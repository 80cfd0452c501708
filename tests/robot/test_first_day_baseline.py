"""First contact with a lived-in mailbox: answer nothing old, take in what is new, backfill on purpose.

Issue 10, finding 1: with no poll position the first `poll` started at UID 1 and answered the
whole history — every old report filed and acknowledged, every old question noticed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from functools import cache

import yaml
from sqlalchemy import func
from sqlmodel import select

from store.db import session
from store.tables import Message, Outbox, PollState, Submission, SubmissionValue
from tests.filling import filled_docx, filled_xlsx
from tests.realmail import File, Person, gmail, mailman2_digest, outlook, platform_notice
from tests.robot.conftest import COMPLETE, COMPLETE_DISTRICT
from tests.robotenv import RobotEnv, local

FIRST_POLL = "2026-11-20T10:00:00+07:00"
NEW_REPORT_RECEIVED = local(2026, 11, 20, 10, 30)
SECOND_POLL = "2026-11-20T10:45:00+07:00"
BACKFILL_NOW = "2026-11-20T11:00:00+07:00"
PERIOD_START = "2026-06-01"  # the annual-2026 period opened when semiannual-2026 closed
MAILBOX_SIZE = 300


def _new_only(robot_env: RobotEnv) -> RobotEnv:
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["mailbox"]["first_poll"] = "new-only"
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return RobotEnv(robot_env.path)


def _report_maker(robot_env: RobotEnv) -> Callable[[str, str, str], bytes]:
    """Filled templates by (unit type, format, period words), made once each."""
    schema = robot_env.config.schema()

    @cache
    def report(unit_type: str, fmt: str, period: str) -> bytes:
        values = COMPLETE_DISTRICT if unit_type == "phong_gddt" else COMPLETE
        fill = filled_xlsx if fmt == "xlsx" else filled_docx
        return fill(schema, unit_type, values, period=period)

    return report


def _lived_in_mailbox(robot_env: RobotEnv, units) -> list[tuple[bytes, dt.datetime]]:
    """300 mails a department's mailbox holds before the robot: each unit's reports of last year,
    of the first half of this year and of this period, questions, newsletters and notices."""
    report = _report_maker(robot_env)
    mails: list[tuple[bytes, dt.datetime]] = []
    old_reports = [
        ("Báo cáo kết quả công tác PCMD cả năm 2025", "Năm 2025", local(2025, 11, 3, 8, 0)),
        ("Báo cáo công tác phòng, chống mại dâm 6 tháng đầu năm 2026", "6 tháng đầu năm 2026", local(2026, 5, 4, 8, 0)),
        ("Báo cáo kết quả công tác PCMD cả năm 2026", "Năm 2026", local(2026, 11, 2, 8, 0)),
    ]
    for subject, period, first_day in old_reports:
        for i, unit in enumerate(units):
            received = first_day + dt.timedelta(days=i % 16, hours=i % 9, minutes=7 * i % 60)
            fmt = "xlsx" if i % 2 else "docx"
            clerk = Person("Văn thư", unit.emails[0])
            files = [File(f"BC PCMD {period}.{fmt}", report(unit.type, fmt, period))]
            text = f"Kính gửi Sở,\n{unit.name} gửi báo cáo.\nTrân trọng."
            build = outlook if i % 3 else gmail
            mails.append((build(clerk, f"{subject} - {unit.name}", text, sent=received, files=files), received))
    start = local(2025, 9, 1, 7, 0)
    for i in range(MAILBOX_SIZE - len(mails)):
        received = start + dt.timedelta(hours=67 * i)  # spread over Sep 2025 .. Nov 2026
        unit = units[i % len(units)]
        if i % 3 == 0:
            sender = Person("Nguyễn Thị Lan", unit.emails[0]) if i % 2 else Person("Phụ huynh", f"phuhuynh{i}@gmail.com")
            raw = gmail(sender, f"Cho em hỏi về lịch tập huấn tháng {received.month}",
                        "Dạ em chào anh chị, cho em hỏi lịch tập huấn chuyên môn tháng này ạ? Em cảm ơn.",
                        sent=received)
        elif i % 3 == 1:
            raw = platform_notice(Person("Báo Giáo dục và Thời đại", "no-reply@giaoducthoidai.example"),
                                  f"Bản tin Giáo dục ngày {received:%d/%m/%Y}",
                                  "<h1>Bản tin Giáo dục</h1><p>Tin tức ngành giáo dục trong ngày.</p>", sent=received)
        else:
            posts = [(Person("Trần Văn Hùng", "tvhung@thpt-tanan.edu.example"), "Lịch họp giao ban",
                      "Kính gửi quý thầy cô,\nLịch họp giao ban tháng này như sau.\n")]
            raw = mailman2_digest("hieutruong", "lists.longan.edu.example", posts, sent=received, issue=i)
        mails.append((raw, received))
    assert len(mails) == MAILBOX_SIZE
    return mails


def _store_snapshot(robot_env: RobotEnv) -> dict[str, object]:
    with session(robot_env.engine()) as db:
        counts = {table.__name__: db.exec(select(func.count()).select_from(table)).one()
                  for table in (Message, Submission, SubmissionValue, Outbox)}
        counts["poll_state"] = [(s.folder, s.uidvalidity, s.last_uid) for s in db.exec(select(PollState))]
    return counts


def _states(robot_env: RobotEnv, period: str, now: str) -> dict[str, dict]:
    rows = json.loads(robot_env.cli("status", "--period", period, "--now", now, "--json").stdout)
    return {row["unit_code"]: row for row in rows}


def test_first_poll_of_a_lived_in_mailbox_answers_nothing_then_backfill_files_silently(
        robot_env, mailbox, smtp_server):
    """GIVEN a mailbox holding 300 old mails (reports of registered units received this period,
    in the first half of the year and last year; questions; newsletters; list digests), appended
    with their old INTERNALDATEs, and a robot with mailbox.first_poll: new-only
    WHEN the robot polls for the first time
    THEN nothing is sent and nothing is filed;
    WHEN a new report arrives and the robot polls
    THEN only it is filed and acknowledged;
    WHEN staff run `backfill --since <start of the current period> --dry-run --json`
    THEN nothing changes in the store and nothing is sent;
    WHEN staff run `backfill --since <start of the current period>`
    THEN this period's old reports are filed (on time, version 1), older ones are not, and
    nothing is sent."""
    env = _new_only(robot_env)
    units = list(env.config.units)
    newcomer, others = units[-1], units[:-1]
    for raw, received in _lived_in_mailbox(env, others):
        mailbox.append(raw, internaldate=received)

    assert env.cli("poll", "--now", FIRST_POLL).exit_code == 0

    first_poll_replies = len(smtp_server.messages)
    print(f"\nfirst poll of a {MAILBOX_SIZE}-mail mailbox (first_poll: new-only): {first_poll_replies} replies sent")
    assert first_poll_replies == 0
    assert _store_snapshot(env)["Submission"] == 0

    news = _report_maker(env)(newcomer.type, "xlsx", "Năm 2026")
    mailbox.append(outlook(Person("Văn thư", newcomer.emails[0]), f"Báo cáo PCMD cả năm 2026 - {newcomer.name}",
                           "Kính gửi Sở,\nĐơn vị gửi báo cáo.\nTrân trọng.", sent=NEW_REPORT_RECEIVED,
                           files=[File("BC PCMD 2026.xlsx", news)]),
                   internaldate=NEW_REPORT_RECEIVED)
    assert env.cli("poll", "--now", SECOND_POLL).exit_code == 0

    (ack,) = smtp_server.wait_for(1)
    assert (ack.rcpt_tos, ack.parsed["X-Report-Robot"]) == ([newcomer.emails[0]], "ack")
    filed = {code for code, row in _states(env, "annual-2026", SECOND_POLL).items() if row["state"] != "missing"}
    assert filed == {newcomer.code}

    before = _store_snapshot(env)
    dry = env.cli("backfill", "--since", PERIOD_START, "--dry-run", "--json", "--now", BACKFILL_NOW)
    assert dry.exit_code == 0, dry.output
    decisions = json.loads(dry.stdout)
    assert decisions, "the dry run lists its decisions"
    assert all(unit.emails[0] in dry.stdout for unit in others)  # each unit's report of this period
    assert _store_snapshot(env) == before
    assert len(smtp_server.messages) == 1

    done = env.cli("backfill", "--since", PERIOD_START, "--now", BACKFILL_NOW)
    assert done.exit_code == 0, done.output

    assert [m.rcpt_tos for m in smtp_server.messages[1:]] == []
    annual = _states(env, "annual-2026", BACKFILL_NOW)
    assert Counter((row["state"], row["version"], row["on_time"]) for row in annual.values()) == \
        Counter({("complete", 1, True): len(units)})
    assert {row["state"] for row in _states(env, "semiannual-2026", BACKFILL_NOW).values()} == {"missing"}
    assert {row["state"] for row in _states(env, "annual-2025", BACKFILL_NOW).values()} == {"missing"}

    assert env.cli("poll", "--now", "2026-11-20T11:30:00+07:00").exit_code == 0
    assert len(smtp_server.messages) == 1  # the backfilled mail is not taken in again
