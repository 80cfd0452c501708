"""Robots running at once on one database: the claim on a message and on a reply is the database's.

GIVEN two `robot poll` processes on the same mailbox at the same time (an overlapping cron, two
hosts), or two outbox flushes, or the robots of two mailboxes sharing one database,
THEN every message is recorded and filed once, every reply is sent once, and each robot files,
answers and reminds only for its own mailbox.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import yaml
from sqlmodel import select

from robot.outbox import enqueue, flush
from robot.status import period_status
from robot.periods import period_by_id
from store.db import session
from store.tables import Message, Outbox, Submission
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, write_config
from tests.servers import ROBOT_USER

MESSAGES = 40
NO_CAPS = {"per_address_per_day": 1000, "per_hour": 1000, "retry_base_seconds": 1}


def _reports(env, mailbox, count: int, user: str | None = None) -> None:
    config = env.config
    schools = [u for u in config.units if u.type == "thpt"]
    data = filled_xlsx(config.schema(), "thpt", COMPLETE)
    for i in range(count):
        school = schools[i % len(schools)]
        mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [(f"bc-{i}.xlsx", data)]),
                       internaldate=local(2026, 11, 20, 9, 0), user=user)


def test_two_polls_at_once_process_every_message_once(tmp_path, mailbox, smtp_server, empty_store_url):
    env = write_config(tmp_path / "robot", mailbox, smtp_server, replies=NO_CAPS,
                       store={"url": empty_store_url, "archive_dir": "archive"})
    _reports(env, mailbox, MESSAGES)
    env.engine().dispose()  # the schema exists before the race: the race is about the mail

    first, second = env.subprocess("poll"), env.subprocess("poll")
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], [err.decode()[-2000:] for _, err in outputs]

    with session(env.engine()) as db:
        messages = db.exec(select(Message)).all()
        submissions = db.exec(select(Submission)).all()
        outbox = db.exec(select(Outbox)).all()
    assert sorted(m.uid for m in messages) == list(range(1, MESSAGES + 1)), "each message recorded once"
    assert Counter(m.outcome for m in messages) == {"accepted": MESSAGES}
    per_unit = Counter(s.unit_code for s in submissions)
    assert sorted(s.version for s in submissions) == sorted(v for n in per_unit.values() for v in range(1, n + 1))
    assert sum(s.is_current for s in submissions) == len(per_unit), "one current report per unit"
    assert len(outbox) == MESSAGES and all(o.status == "sent" for o in outbox)
    replies = Counter(r.parsed["In-Reply-To"] for r in smtp_server.wait_for(MESSAGES))
    assert len(replies) == MESSAGES and set(replies.values()) == {1}, "every acknowledgement sent once"


def test_two_flushes_at_once_send_each_mail_once(tmp_path, mailbox, smtp_server, empty_store_url):
    env = write_config(tmp_path / "robot", mailbox, smtp_server, replies=NO_CAPS,
                       store={"url": empty_store_url, "archive_dir": "archive"})
    config, engine = env.config, env.engine()
    now = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.timezone.utc)
    with session(engine) as db:
        for i in range(MESSAGES):
            enqueue(db, config, kind="reminder", to=[f"unit{i}@school.example"], subject=f"Nhắc {i}",
                    text="Nhắc nộp báo cáo.", now=now, auto_submitted="auto-generated")
        db.commit()

    results = []
    threads = [threading.Thread(target=lambda: results.append(flush(config, engine, now))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r.sent for r in results) == MESSAGES
    received = Counter(r.rcpt_tos[0] for r in smtp_server.wait_for(MESSAGES))
    assert len(received) == MESSAGES and set(received.values()) == {1}
    with session(engine) as db:
        assert {(o.status, o.attempts) for o in db.exec(select(Outbox))} == {("sent", 1)}


def _second_robot(tmp_path, mailbox, smtp_server, store_url: str, monkeypatch, **changes):
    """The robot of another mailbox (a district's) on the same database."""
    env = write_config(tmp_path / "district", mailbox, smtp_server, replies=NO_CAPS,
                       store={"url": store_url, "archive_dir": "archive"}, **changes)
    data = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    data["mailbox"]["address"] = "other@school.example"
    data["mailbox"]["imap"]["username"] = "other@school.example"
    data["mailbox"]["imap"]["password_env"] = "ROBOT_TEST_OTHER_PASSWORD"
    monkeypatch.setenv("ROBOT_TEST_OTHER_PASSWORD", mailbox.users["other@school.example"])
    env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return env


def test_robots_of_two_mailboxes_share_a_database_without_stepping_on_each_other(
        tmp_path, mailbox, smtp_server, empty_store_url, monkeypatch):
    store = {"url": empty_store_url, "archive_dir": "archive"}
    province = write_config(tmp_path / "province", mailbox, smtp_server, replies=NO_CAPS, store=store)
    district = _second_robot(tmp_path, mailbox, smtp_server, empty_store_url, monkeypatch,
                             digest={"recipients": ["staff@school.example"], "scope": "all"})
    school = next(u for u in province.config.units if u.type == "thpt")
    data = filled_xlsx(province.config.schema(), "thpt", COMPLETE)
    # The school sends its report to both mailboxes (Cc): the same bytes land in each.
    raw = mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)])
    mailbox.append(raw, internaldate=local(2026, 11, 20, 9, 0), user=ROBOT_USER)
    mailbox.append(raw, internaldate=local(2026, 11, 20, 9, 0), user="other@school.example")
    # A second school reports to the province only.
    other_school = [u for u in province.config.units if u.type == "thpt"][1]
    mailbox.append(mail(other_school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]),
                   internaldate=local(2026, 11, 20, 9, 5), user=ROBOT_USER)

    for env in (province, district):
        assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0

    engine = province.engine()
    with session(engine) as db:
        filed = {(s.mailbox, s.unit_code, s.version) for s in db.exec(select(Submission))}
        sent = Counter(o.mailbox for o in db.exec(select(Outbox)) if o.status == "sent")
    assert filed == {(province.config.mailbox.address, school.code, 1),
                     (province.config.mailbox.address, other_school.code, 1),
                     ("other@school.example", school.code, 1)}, "a copy is news to each robot, version 1 each"
    assert sent == {province.config.mailbox.address: 2, "other@school.example": 1}
    senders = Counter(r.mail_from for r in smtp_server.wait_for(3))
    assert senders == {province.config.mailbox.address: 2, "other@school.example": 1}

    period = period_by_id(province.config, "annual-2026")
    with session(engine) as db:
        own = {r.unit.code: r.state for r in period_status(district.config, db, period)}
        everywhere = {r.unit.code: r.state for r in period_status(district.config, db, period, all_mailboxes=True)}
    assert own[school.code] == "complete" and own[other_school.code] == "missing"
    assert everywhere[other_school.code] == "complete", "the digest of all mailboxes counts the province's report"
