"""Replies leave while a poll is still taking in mail (robot.sending)."""

from __future__ import annotations

import datetime as dt

from mailer.imap import RawMail
from robot.outbox import flush
from robot.poll import PollResult, _take_in_sending
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_the_first_schools_acknowledgement_leaves_before_the_poll_reads_on(robot_env, smtp_server):
    """The mailbox hands over the fifth report only once the first school has its answer: a poll
    that sent replies only at its end would wait for ever (here: fail after 10 s)."""
    config = robot_env.config
    schools = [u for u in config.units if u.type == "thpt"][:6]
    data = filled_xlsx(config.schema(), "thpt", COMPLETE)
    waited_for_first_reply = []

    def messages():
        for uid, school in enumerate(schools, start=1):
            if uid == 5:
                first = smtp_server.wait_for(1, timeout=10)
                waited_for_first_reply.append([r.rcpt_tos for r in first])
            yield RawMail(folder="INBOX", uid=uid, uidvalidity=1, internaldate=local(2026, 11, 20, 9, uid),
                          raw=mail(school.emails[0], "Báo cáo năm 2026", [("bao-cao.xlsx", data)]))

    result = PollResult()
    taken = _take_in_sending(config, robot_env.engine(), messages(), config.mailbox.address, lambda: NOW,
                             False, result, lambda: False)

    assert taken == [1, 2, 3, 4, 5, 6]
    assert waited_for_first_reply == [[[schools[0].emails[0]]]], "the first school was answered first"
    assert result.outcomes == {"accepted": 6}
    assert result.flushed.sent >= 1  # what the sender sent during the poll is counted in the result


def test_a_dry_run_sends_nothing_and_starts_no_sender(robot_env, smtp_server):
    config = robot_env.config
    school = next(u for u in config.units if u.type == "thpt")
    raw = RawMail(folder="INBOX", uid=1, uidvalidity=1, internaldate=local(2026, 11, 20, 9, 0),
                  raw=mail(school.emails[0], "Báo cáo năm 2026",
                           [("bao-cao.xlsx", filled_xlsx(config.schema(), "thpt", COMPLETE))]))
    result = PollResult()
    _take_in_sending(config, robot_env.engine(), [raw], config.mailbox.address, lambda: NOW, True, result,
                     lambda: False)
    assert result.outcomes == {"accepted": 1}
    assert result.flushed.sent == 0 and smtp_server.messages == []


def test_one_reply_is_on_the_wire_at_a_time(robot_env, smtp_server):
    """A kill -9 may resend only the one reply on the wire (test_crash_recovery): the sender and
    the poll's closing flush never hold two SMTP conversations open at once, even when the
    server is slow to answer."""
    config = robot_env.config
    schools = [u for u in config.units if u.type == "thpt"][:6]
    data = filled_xlsx(config.schema(), "thpt", COMPLETE)
    raws = [RawMail(folder="INBOX", uid=uid, uidvalidity=1, internaldate=local(2026, 11, 20, 9, uid),
                    raw=mail(school.emails[0], "Báo cáo năm 2026", [("bao-cao.xlsx", data)]))
            for uid, school in enumerate(schools, start=1)]
    smtp_server.data_delay = 0.3

    result = PollResult()
    _take_in_sending(config, robot_env.engine(), raws, config.mailbox.address, lambda: NOW, False, result,
                     lambda: False)
    flush(config, robot_env.engine(), NOW)  # what poll() does after take_in: sends whatever is left

    assert sorted(r.rcpt_tos[0] for r in smtp_server.messages) == sorted(s.emails[0] for s in schools)
    assert smtp_server.most_in_data == 1
