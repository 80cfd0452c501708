"""Deadline day: every registered unit's report is acknowledged in the poll that takes it in.

Issue 10, finding 4: 1,000 registered units sending their report in the same hour got 100
acknowledgements; the global cap of 100 replies an hour suppressed the other 900 for good.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import yaml

from tests.filling import filled_xlsx
from tests.realmail import File, Person, outlook
from tests.robot.conftest import COMPLETE
from tests.robotenv import RobotEnv

UNITS = 1000


def _thousand_schools(robot_env: RobotEnv) -> RobotEnv:
    """The shipped config with its units replaced by 1,000 schools (u0001@school.example …)."""
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["units"] = [{"code": f"THPT-{n:04d}", "name": f"Trường THPT số {n}", "type": "thpt",
                      "emails": [f"u{n:04d}@school.example"]} for n in range(1, UNITS + 1)]
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return RobotEnv(robot_env.path)


def test_a_thousand_reports_in_one_hour_get_a_thousand_acknowledgements(robot_env, mailbox, smtp_server):
    """GIVEN a config with 1,000 registered schools and a robot that has made first contact
    WHEN each school's complete report arrives within the same hour and one `robot poll` process runs
    THEN the SMTP server receives 1,000 acknowledgements, one to each school (the global hourly cap
    never holds back a registered unit's acknowledgement of its own report)."""
    env = _thousand_schools(robot_env)
    assert env.cli("poll").exit_code == 0  # first contact
    report = filled_xlsx(env.config.schema(), "thpt", COMPLETE)  # the sender's address names the school
    first_mail = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)  # INTERNALDATE has whole seconds
    for unit in env.config.units:
        received = dt.datetime.now(dt.timezone.utc)
        mailbox.append(outlook(Person(f"Văn thư {unit.name}", unit.emails[0]), f"Báo cáo PCMD cả năm - {unit.name}",
                               "Kính gửi Sở,\nTrường gửi báo cáo.\nTrân trọng.", sent=received,
                               files=[File("Bao cao PCMD.xlsx", report)]),
                       internaldate=received)
    arrived: dict[str, float] = {}

    def watch() -> None:
        try:
            smtp_server.wait_for(UNITS, timeout=1800)
            arrived["last"] = time.time()
        except AssertionError:
            pass

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    poll_started = time.time()
    process = env.subprocess("poll")
    out, err = process.communicate(timeout=1800)
    assert process.returncode == 0, err.decode()[-2000:]
    watcher.join(timeout=5)

    received = smtp_server.messages
    kinds = Counter(m.parsed["X-Report-Robot"] for m in received)
    last = arrived.get("last", time.time())
    print(f"\ndeadline day: {kinds.get('ack', 0)} acknowledgements sent of {UNITS} reports; "
          f"first mail's INTERNALDATE to last acknowledgement {last - first_mail.timestamp():.1f} s, "
          f"poll start to last acknowledgement {last - poll_started:.1f} s")
    assert kinds == Counter(ack=UNITS)
    assert sorted(address for m in received for address in m.rcpt_tos) == sorted(u.emails[0] for u in env.config.units)
