"""A report from a registered address that the receiving server could not authenticate is not filed."""

from __future__ import annotations

import json

import yaml
from sqlmodel import select

from store.db import session
from store.tables import Message
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import RobotEnv, local, mail

TRUSTED = "mx.moet.edu.vn"


def _trusting(robot_env) -> RobotEnv:
    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["security"] = {"trusted_authserv_ids": [TRUSTED]}
    robot_env.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return RobotEnv(robot_env.path)


def _report(env, school, results: str) -> bytes:
    data = filled_xlsx(env.config.schema(), "thpt", COMPLETE)
    return mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)],
                headers={"Authentication-Results": results})


def _state(env, school) -> str:
    rows = json.loads(env.cli("status", "--period", "annual-2026", "--json").stdout)
    return next(r for r in rows if r["unit_code"] == school.code)["state"]


def test_spoofed_report_is_unverified_and_unanswered(robot_env, mailbox, smtp_server, school):
    env = _trusting(robot_env)
    mailbox.append(_report(env, school, f"{TRUSTED}; spf=fail smtp.mailfrom=x; dmarc=fail header.from=x"),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert smtp_server.messages == []
    assert _state(env, school) == "unverified"
    with session(env.engine()) as db:
        (message,) = db.exec(select(Message)).all()
    assert message.outcome == "unverified" and "dmarc=fail" in message.detail


def test_forged_results_from_an_untrusted_server_are_not_believed(robot_env, mailbox, smtp_server, school):
    env = _trusting(robot_env)
    mailbox.append(_report(env, school, "mx.attacker.example; dmarc=fail header.from=x"),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    assert smtp_server.wait_for(1)[0].parsed["X-Report-Robot"] == "ack"
    assert _state(env, school) == "complete"


def test_unverified_report_never_overwrites_the_units_report(robot_env, mailbox, smtp_server, school):
    env = _trusting(robot_env)
    mailbox.append(_report(env, school, f"{TRUSTED}; dmarc=pass"), internaldate=local(2026, 11, 20, 9, 0))
    mailbox.append(_report(env, school, f"{TRUSTED}; dmarc=fail"), internaldate=local(2026, 11, 21, 9, 0))
    assert env.cli("poll", "--now", "2026-11-21T10:00:00+07:00").exit_code == 0
    rows = json.loads(env.cli("status", "--period", "annual-2026", "--json").stdout)
    row = next(r for r in rows if r["unit_code"] == school.code)
    assert (row["state"], row["version"]) == ("complete", 1)
    assert len(smtp_server.messages) == 1
