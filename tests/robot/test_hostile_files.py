"""Hostile attachments cost one "unreadable" reply each, never the poll (DESIGN §5).

GIVEN a zip bomb past 1 GB, a billion-laughs .docx, an encrypted .xlsx, a truncated .docx and a
sheet with 200,000 rows after its table, each from its own school, then a normal report — WHEN
one `robot poll` runs as a real process on Dovecot — THEN every hostile file gets the right
reply, the normal report after them is acknowledged, and the poll's peak memory (the robot and
its parse worker) stays under 300 MB. A 30 MB attachment gets its own poll, held to the same
limit: the 41 MB mail is fetched once and never MIME-decoded, and the worker stays small.
"""

from __future__ import annotations

import re
import threading
import time

from tests.filling import filled_docx, filled_xlsx
from tests.hostile_files import (
    billion_laughs_docx,
    encrypted_xlsx,
    oversized,
    rows_after_table,
    truncated,
    zip_bomb,
)
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, text_of

NOW = "2026-11-20T10:00:00+07:00"
RECEIVED = local(2026, 11, 20, 9, 0)
MAX_RSS_MIB = 300


def _poll(robot_env) -> tuple[str, float, int]:
    """Run `robot poll` as a real process: its stderr log, its duration and its peak RSS in MiB."""
    started = time.monotonic()
    process = robot_env.subprocess("poll", "--now", NOW)
    log: list[bytes] = []
    reader = threading.Thread(target=lambda: log.append(process.stderr.read()))
    reader.start()
    process.stdout.read()
    reader.join()
    process.wait()
    text = log[0].decode()
    assert process.returncode == 0, text
    # The robot reports its own VmHWM: ru_maxrss of a child would include this test runner's
    # memory at the moment it forked.
    (peak,) = re.findall(r"poll finished: .* peak RSS (\d+) MiB", text)
    return text, time.monotonic() - started, int(peak)


def _worker_peak(log: str) -> int:
    """The parse worker's peak RSS in MiB, as it reported it to the robot's log."""
    worker_peaks = [int(m) for m in re.findall(r"parse worker peak RSS (\d+) MiB", log)]
    assert worker_peaks, "the parse worker reported no figures"
    return max(worker_peaks)


def _print(title: str, log: str, elapsed: float, peaks: tuple[int, int]) -> None:
    print(f"\n{title}: {elapsed:.1f} s; robot peak RSS {peaks[0]} MiB; parse worker peak RSS {peaks[1]} MiB")
    for line in log.splitlines():
        if "unreadable after" in line or "parsed in" in line or "file names only" in line:
            print("  " + line.split(": ", 1)[1])


def _send_and_poll(robot_env, mailbox, smtp_server, cases, title: str) -> tuple[str, tuple[int, int]]:
    """Each case mailed by its own school, one poll, the replies checked; the log and RSS peaks."""
    schools = [u for u in robot_env.config.units if u.type == "thpt"]
    for school, (name, data, _, _) in zip(schools, cases):
        mailbox.append(mail(school.emails[0], "Báo cáo PCMD năm 2026", [(name, data)]), internaldate=RECEIVED)
    log, elapsed, robot_peak = _poll(robot_env)
    _check_replies(smtp_server, schools, cases)
    peaks = (robot_peak, _worker_peak(log))
    _print(title, log, elapsed, peaks)
    return log, peaks


def _check_replies(smtp_server, schools, cases) -> None:
    replies = {reply.rcpt_tos[0]: reply.parsed for reply in smtp_server.wait_for(len(cases))}
    for school, (name, _, kind, words) in zip(schools, cases):
        reply = replies[school.emails[0]]
        assert reply["X-Report-Robot"] == kind, (name, kind, text_of(reply))
        assert words in text_of(reply), (name, text_of(reply))


def test_hostile_files_get_replies_and_the_poll_goes_on(robot_env, mailbox, smtp_server):
    schema = robot_env.config.schema()
    xlsx = filled_xlsx(schema, "thpt", COMPLETE)
    docx_report = filled_docx(schema, "thpt", COMPLETE)
    cases = [  # (file name, bytes, reply kind, words the reply must contain)
        ("bao-cao.zip", zip_bomb(), "unreadable", "tệp quá phức tạp để đọc tự động"),
        ("bao-cao.docx", billion_laughs_docx(docx_report), "unreadable", "tệp quá phức tạp để đọc tự động"),
        ("bao-cao.xlsx", encrypted_xlsx(), "unreadable", "tệp có đặt mật khẩu"),
        ("bao-cao.docx", truncated(docx_report), "unreadable", "tệp bị hỏng hoặc không mở được"),
        ("bao-cao.xlsx", rows_after_table(xlsx), "ack", "1.250"),
        ("bao-cao.xlsx", xlsx, "ack", "1.250"),  # an ordinary report after all of them
    ]
    log, peaks = _send_and_poll(robot_env, mailbox, smtp_server, cases, "hostile poll")
    assert max(peaks) < MAX_RSS_MIB


def test_30_mb_attachment_is_too_large_and_the_next_mail_is_read(robot_env, mailbox, smtp_server):
    xlsx = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    cases = [
        ("Báo cáo quý.xlsx", oversized(30), "unreadable", "“Báo cáo quý.xlsx”: tệp quá lớn"),
        ("bao-cao.xlsx", xlsx, "ack", "1.250"),
    ]
    log, peaks = _send_and_poll(robot_env, mailbox, smtp_server, cases, "30 MB poll")
    assert "file names only" in log  # the 41 MB mail was never MIME-decoded
    assert max(peaks) < MAX_RSS_MIB
