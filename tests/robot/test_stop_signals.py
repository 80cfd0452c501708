"""Stopping the robot never costs a report: a stop signal to the whole process group (systemd's
default stop, Ctrl-C in a terminal) neither kills a parse nor blames the file for it, and the
message being read when the robot stops is read again at its next start."""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import signal
import time
from concurrent.futures import Future, ThreadPoolExecutor

import openpyxl
import pytest
from sqlmodel import select

from parsers.limits import ParseLimits
from parsers.report import ParsedReport
from parsers.schema import Schema
from robot.config import load_config
from robot.parsing import ParseWorker, StopRequested
from store.db import session
from store.tables import Message, Submission
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robot.daemon_process import STARTUP_SECONDS, wait_for_parse_worker, wait_for_poll, wait_until_locked
from tests.robotenv import SHIPPED_CONFIG, local, mail, parsed, write_config

POLL_SECONDS = 2
SUBJECT = "Báo cáo kết quả tuyên truyền phòng, chống mại dâm năm 2026 (kèm danh sách học sinh)"


def report_with_attendance(schema: Schema, sessions: int = 4, students: int = 1250) -> bytes:
    """A school's report workbook followed by the attendance list of each of its talks ("Buổi 1",
    …): a genuine report that takes the parser a few seconds, as large ones do."""
    workbook = openpyxl.load_workbook(io.BytesIO(filled_xlsx(schema, "thpt", COMPLETE)))
    rng = random.Random(2026)
    family, middle, given = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"), ("Văn", "Thị", "Minh", "Ngọc"), (
        "An", "Bình", "Chi", "Dũng", "Hà", "Hương", "Khoa", "Linh", "Nam", "Trang")
    roll = [(f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}", f"{rng.choice((10, 11, 12))}A{rng.randint(1, 12)}")
            for _ in range(students)]
    for number in range(1, sessions + 1):
        sheet = workbook.create_sheet(f"Buổi {number}")
        sheet.append([f"DANH SÁCH HỌC SINH THAM DỰ BUỔI TUYÊN TRUYỀN SỐ {number}"])
        sheet.append(["STT", "Họ và tên", "Lớp", "Ký tên", "Ghi chú"])
        for row, (name, form) in enumerate(roll, start=1):
            sheet.append([row, name, form, "x", "Có mặt"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_config(SHIPPED_CONFIG).schema()


@pytest.fixture(scope="module")
def large_report(schema) -> bytes:
    return report_with_attendance(schema)


def _parse_in_background(pool: ThreadPoolExecutor, worker: ParseWorker, data: bytes,
                         schema: Schema) -> tuple[Future, int]:
    """Start parsing ``data`` on another thread; return the answer to come and the worker's pid."""
    before = {child.pid for child in multiprocessing.active_children()}
    answer = pool.submit(worker.parse, "bao-cao-va-danh-sach.xlsx", data, schema, ParseLimits(), 600)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not (started := {child.pid for child in multiprocessing.active_children()} - before):
        assert not answer.done(), f"answered before a worker was seen: {answer.result()}"
        assert time.monotonic() < deadline, "no parse worker started"
        time.sleep(0.01)
    return answer, started.pop()


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return int(stat.read().rpartition(")")[2].split()[1])


def _students_reached(report: ParsedReport) -> object:
    return report.values["so_hssv_duoc_tt"].value


def test_stop_signals_neither_kill_a_parse_nor_its_forkserver(schema, large_report):
    """GIVEN a large report being parsed WHEN SIGTERM and SIGINT reach the worker and the
    forkserver it was forked from (as Ctrl-C or systemd's stop reach the whole process group)
    THEN the parse answers with the report AND the next file is read as usual."""
    worker = ParseWorker()
    try:
        with ThreadPoolExecutor(1) as pool:
            answer, pid = _parse_in_background(pool, worker, large_report, schema)
            for target in (pid, _parent_of(pid)):
                for stop in (signal.SIGTERM, signal.SIGINT):
                    os.kill(target, stop)
            [found] = answer.result(timeout=600)
        assert _students_reached(found) == 1250
        [following] = worker.parse("bc.xlsx", filled_xlsx(schema, "thpt", COMPLETE), schema, ParseLimits(), 60)
        assert _students_reached(following) == 1250
    finally:
        worker.stop()


def test_interrupt_abandons_the_parse_in_flight_until_the_worker_is_stopped(schema, large_report):
    """GIVEN a parse in flight WHEN the robot interrupts its worker (it is stopping) THEN the parse
    ends in StopRequested, not in a ParseError that would blame the file; no other file is read
    until the worker is stopped, after which it reads again."""
    small = filled_xlsx(schema, "thpt", COMPLETE)
    worker = ParseWorker()
    try:
        with ThreadPoolExecutor(1) as pool:
            answer, _ = _parse_in_background(pool, worker, large_report, schema)
            worker.interrupt()
            with pytest.raises(StopRequested):
                answer.result(timeout=60)
        with pytest.raises(StopRequested):
            worker.parse("bc.xlsx", small, schema, ParseLimits(), 60)
        worker.stop()
        [found] = worker.parse("bc.xlsx", small, schema, ParseLimits(), 60)
        assert _students_reached(found) == 1250
    finally:
        worker.stop()


def test_sigterm_to_the_daemons_process_group_mid_parse_leaves_the_report_for_the_next_start(
        tmp_path, mailbox, smtp_server, school, large_report):
    """GIVEN `robot run` reading a large report WHEN SIGTERM reaches its whole process group
    (systemd's default KillMode) THEN it stops with code 0 having answered and recorded nothing
    for that mail; WHEN it starts again THEN the report is filed and acknowledged, once."""
    env = write_config(tmp_path / "daemon", mailbox, smtp_server,
                       daemon={"poll_minutes": POLL_SECONDS / 60, "log_file": "robot.log"},
                       limits={"parse_timeout_seconds": 600})  # the large report is never cut off
    report = mail(school.emails[0], SUBJECT, [("bao-cao-va-danh-sach.xlsx", large_report)])
    message_id = parsed(report)["Message-ID"]
    daemon = env.subprocess("run", process_group=0)
    try:
        wait_until_locked(env, daemon)
        mailbox.append(report, internaldate=local(2026, 11, 20, 9, 0))
        wait_for_parse_worker(daemon)
        os.killpg(daemon.pid, signal.SIGTERM)
        _, stderr = daemon.communicate(timeout=STARTUP_SECONDS)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, stderr.decode()
    log = (env.path.parent / "robot.log").read_text(encoding="utf-8")
    assert "it is read again at the next start" in log, "the stop came while the report was read"
    assert _replies_to(smtp_server, message_id) == []
    engine = env.engine()
    with session(engine) as db:
        assert db.exec(select(Message)).all() == [], "nothing recorded: no 'unreadable', no 'error'"

    again = env.subprocess("run")
    try:
        wait_until_locked(env, again)
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _replies_to(smtp_server, message_id):
            assert time.monotonic() < deadline, "the report was not answered after the restart"
            time.sleep(0.1)
        answered_by = wait_for_poll(env, again)
        wait_for_poll(env, again, after=answered_by)  # one more poll, which must answer nothing more
    finally:
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=STARTUP_SECONDS)
    assert [reply.parsed["X-Report-Robot"] for reply in _replies_to(smtp_server, message_id)] == ["ack"]
    with session(engine) as db:
        [message] = db.exec(select(Message)).all()
        [filed] = db.exec(select(Submission)).all()
    assert message.outcome == "accepted"
    assert (filed.unit_code, filed.version) == (school.code, 1)


def _replies_to(smtp_server, message_id: str) -> list:
    return [reply for reply in smtp_server.messages if reply.parsed["In-Reply-To"] == message_id]
