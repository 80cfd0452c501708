"""The parse worker: a file that takes too long is cut off, and the next file is read normally;
a mail it reads for the robot is the mail the robot would have read itself."""

from __future__ import annotations

import dataclasses

import pytest

from mailer.incoming import read_message
from mailer.screening import screen
from parsers.limits import ParseLimits
from parsers.report import ParseError
from robot.parsing import ParseWorker, read_attachments, read_mail
from tests.filling import filled_xlsx
from tests.hostile_files import rows_after_table
from tests.robot.conftest import COMPLETE
from tests.robotenv import SHIPPED_CONFIG, mail
from robot.config import load_config


def test_overrunning_parse_is_killed_and_the_worker_replaced():
    """GIVEN a time limit far below what a 200,000-row sheet needs WHEN it is parsed THEN the
    answer is 'timeout' AND a fresh worker reads the next file."""
    schema = load_config(SHIPPED_CONFIG).schema()
    report = filled_xlsx(schema, "thpt", COMPLETE)
    slow = rows_after_table(report)
    worker = ParseWorker()
    try:
        with pytest.raises(ParseError) as caught:
            worker.parse("slow.xlsx", slow, schema, ParseLimits(max_rows=10**6), timeout=0.05)
        assert caught.value.reason == "timeout"
        [found] = worker.parse("next.xlsx", report, schema, ParseLimits(), timeout=30)
        assert found.values["so_hssv_duoc_tt"].value == 1250
        assert 0 < worker.peak_rss_mib < 300
    finally:
        worker.stop()


def test_parse_error_comes_back_with_its_reason():
    schema = load_config(SHIPPED_CONFIG).schema()
    worker = ParseWorker()
    try:
        with pytest.raises(ParseError) as caught:
            worker.parse("bao-cao.xlsx", b"PK\x03\x04 broken", schema, ParseLimits(), timeout=30)
        assert caught.value.reason == "corrupt"
    finally:
        worker.stop()


def test_a_mail_read_in_the_worker_is_the_mail_read_here():
    """GIVEN mails carrying a file (a report, an out-of-office reply and a bounce returning it)
    WHEN the worker reads them THEN the robot gets what reading them in its own process gives,
    screening included, without the mail's bytes sent back; the parsed message when it asks."""
    config = load_config(SHIPPED_CONFIG)
    report = filled_xlsx(config.schema(), "thpt", COMPLETE)
    own = {config.mailbox.address}
    mails = [
        mail("thpt.a@school.example", "Báo cáo năm 2026", [("Báo cáo năm.xlsx", report)]),
        mail("thpt.a@school.example", "Trả lời tự động: Báo cáo năm 2026", [("bc.xlsx", report)],
             headers={"Auto-Submitted": "auto-replied"}),
        mail("MAILER-DAEMON@school.example", "Undelivered Mail Returned to Sender", [("bc.xlsx", report)],
             headers={"Return-Path": "<>"}),
    ]
    worker = ParseWorker()
    try:
        answers = [worker.read_mail(raw, own, config.schema(), ParseLimits(), timeout=30) for raw in mails]
    finally:
        worker.stop()
    for raw, (read, screening, _) in zip(mails, answers):
        here = read_message(raw)
        assert read.raw == b""
        assert dataclasses.replace(read, raw=raw) == here
        assert screening == screen(here, own)
        assert dataclasses.replace(read, raw=raw).headers["Message-ID"] == here.message_id
    (report, none, _), (_, auto_reply, _), (_, bounce, returned) = answers
    assert none is None and auto_reply is not None and bounce is not None and not bounce.fileable
    assert [a.filename for a in report.attachments] == ["Báo cáo năm.xlsx"]
    assert returned == {}  # nothing is filed from a bounce: its files are not read


def test_a_mail_is_read_with_its_files_and_the_robot_keeps_its_own_bytes():
    """GIVEN a report mail of a robot with one programme WHEN it is read THEN its file comes
    back read with the mail, and the robot holds its own bytes of the mail, not a copy."""
    config = load_config(SHIPPED_CONFIG)
    raw = mail("thpt.a@school.example", "Báo cáo", [("bc.xlsx", filled_xlsx(config.schema(), "thpt", COMPLETE)),
                                                   ("hỏng.xlsx", b"PK\x03\x04 broken")])
    read, screening, refused, files = read_mail(config, raw)
    assert read.raw is raw and screening is None and refused == []
    assert read == read_message(raw)
    (status, [found]), (failed, (reason, _)) = (files[id(attachment)] for attachment in read.attachments)
    assert status == "ok" and found.values["so_hssv_duoc_tt"].value == 1250
    assert failed == "error" and reason == "corrupt"


def test_a_mail_whose_files_overrun_is_read_again_file_by_file(caplog):
    """GIVEN a time limit (1 ms a file) far below what sending, MIME-parsing and reading a mail
    with a 1.9 MB file of 200,000 rows takes WHEN the mail is read
    THEN the worker's answer is given up, the mail is read in the robot's process, nothing of its
    files counts as read, AND read on its own the slow file is 'timeout'."""
    shipped = load_config(SHIPPED_CONFIG)
    config = shipped.model_copy(update={"limits": shipped.limits.model_copy(update={"parse_timeout_seconds": 0.001})})
    report = filled_xlsx(config.schema(), "thpt", COMPLETE)
    raw = mail("thpt.a@school.example", "Báo cáo", [("slow.xlsx", rows_after_table(report)), ("bc.xlsx", report)])
    read, screening, refused, files = read_mail(config, raw)
    assert files == {} and read == read_message(raw) and screening is None and refused == []
    assert "the parse worker could not" in caplog.text
    slow, quick = read.attachments
    assert read_attachments(config, [slow]) == ([], [("slow.xlsx", "timeout")])
    found, failures = read_attachments(shipped, [quick])  # a new worker's start is past 1 ms
    assert failures == [] and [r.filename for r in found] == ["bc.xlsx"]
