"""Intake, idle-poll and memory figures of `robot poll` on a real Dovecot (loopback), each beside its floor.

    uv run python benchmarks/intake_poll.py [--reports 1000] [--idle-sizes 1000,10000,50000]
                                            [--memory-messages 10000] [--store sqlite|postgresql]

Prints:
  - intake: wall time of `robot poll` (a subprocess, as cron runs it) over N template reports
    (half xlsx, half docx), beside the floor: a raw imap-tools fetch of the same messages plus a
    bare library load of their attachments (openpyxl / python-docx); and the ratio;
  - idle poll: a mailbox of M processed messages (written straight into the maildir, recorded as
    processed by a Message row per UID and the poll position, as a poll would leave them); the
    time of an in-process `poll()` that finds nothing new beside a bare login + SELECT +
    `UID SEARCH UID n:*` with imaplib, and beside the `UID SEARCH` alone;
  - memory: peak RSS (VmHWM, as `robot poll` logs it) of a poll over K mails, and of a poll of one
    mail with a 30 MB attachment; the parse worker's own peak beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import imaplib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx  # noqa: E402
import openpyxl  # noqa: E402
from imap_tools import MailBoxUnencrypted  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from mailer.imap import Mailbox  # noqa: E402
from robot.poll import poll  # noqa: E402
from store import queries  # noqa: E402
from store.db import session  # noqa: E402
from store.tables import Message  # noqa: E402
from tests.filling import filled_docx, filled_xlsx  # noqa: E402
from tests.postgres import PostgresCluster, server_binaries  # noqa: E402
from tests.robot.conftest import COMPLETE  # noqa: E402
from tests.robotenv import REPO, local, mail, write_config  # noqa: E402
from tests.servers import DovecotServer, SmtpServer, TestCertificate  # noqa: E402

# Every school sends many reports here; lift the reply caps meant for floods.
NO_CAPS = {"replies": {"per_address_per_day": 1_000_000, "per_hour": 1_000_000, "retry_base_seconds": 1}}
_PEAK = re.compile(r"poll finished: .* peak RSS (\d+) MiB")
_WORKER_PEAK = re.compile(r"parse worker peak RSS (\d+) MiB")
_CPU = re.compile(r"poll finished: .* CPU ([\d.]+) s")
_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
_RECORDED = re.compile(r"robot\.intake: uid \d+ from ")


class Bench:
    """The servers and a fresh robot (config + store) per measurement."""

    def __init__(self, work: Path, store: str) -> None:
        self.work = work
        (work / "cert").mkdir()
        certificate = TestCertificate.create(work / "cert")
        self.dovecot, self.smtp = DovecotServer(certificate), SmtpServer(certificate=certificate)
        self.postgres = PostgresCluster(server_binaries()) if store == "postgresql" else None
        self.runs = 0

    def __enter__(self) -> Bench:
        self.dovecot.start()
        self.smtp.start()
        if self.postgres:
            self.postgres.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.smtp.stop()
        self.dovecot.stop()
        if self.postgres:
            self.postgres.stop()

    def robot(self, **changes):
        """An empty mailbox and outbox, and a robot with a new store."""
        self.dovecot.reset()
        self.smtp.clear()
        self.runs += 1
        url = self.postgres.url(self.postgres.new_database()) if self.postgres else "sqlite:///robot.db"
        return write_config(self.work / f"run{self.runs}", self.dovecot, self.smtp,
                            store={"url": url, "archive_dir": "archive"}, **NO_CAPS, **changes)


def robot_poll(env_path: Path, environment: dict[str, str] | None = None) -> tuple[float, str]:
    """Run `robot poll` as cron would; its wall time and its log."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "robot", "--config", str(env_path), "poll"],
                          cwd=REPO, check=True, capture_output=True, text=True, env=environment)
    return time.perf_counter() - began, done.stderr


def installed(work: Path) -> dict[str, str]:
    """The environment of an installed robot: its compiled modules are kept (in a cache of their
    own here; this checkout runs with PYTHONDONTWRITEBYTECODE=1 and a .venv without .pyc)."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return environment | {"PYTHONPYCACHEPREFIX": str(work / "pycache")}


def _phases(log: str) -> str:
    """From the first to the last message recorded, then the replies sent after them (seconds)."""
    stamps = [(dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f"), line)
              for line in log.splitlines() if _STAMP.match(line)]
    recorded = [at for at, line in stamps if _RECORDED.search(line)]
    finished = [at for at, line in stamps if "poll finished" in line]
    if not recorded or not finished:
        return "?"
    return (f"messages recorded {(recorded[-1] - recorded[0]).total_seconds():.1f} s, "
            f"replies sent after them {(finished[-1] - recorded[-1]).total_seconds():.1f} s")


def fill_reports(dovecot: DovecotServer, env, count: int) -> None:
    config = env.config
    schools = [u for u in config.units if u.type == "thpt"]
    files = {"xlsx": filled_xlsx(config.schema(), "thpt", COMPLETE),
             "docx": filled_docx(config.schema(), "thpt", COMPLETE)}
    for i in range(count):
        fmt = "xlsx" if i % 2 == 0 else "docx"
        dovecot.append(mail(schools[i % len(schools)].emails[0], "Báo cáo năm 2026",
                            [(f"bc-{i}.{fmt}", files[fmt])]), internaldate=local(2026, 11, 20, 9, 0))


def floor_seconds(dovecot: DovecotServer, user: str | None = None) -> float:
    """A raw imap-tools fetch of the whole INBOX plus a bare library load of every attachment."""
    user = user or dovecot.user
    began = time.perf_counter()
    with MailBoxUnencrypted(dovecot.host, dovecot.imap_port).login(user, dovecot.users[user]) as box:
        for message in box.fetch(mark_seen=False, bulk=100):
            for attachment in message.attachments:
                data = io.BytesIO(attachment.payload)
                if attachment.filename.endswith(".xlsx"):
                    openpyxl.load_workbook(data, read_only=True, data_only=True).close()
                else:
                    docx.Document(data)
    return time.perf_counter() - began


def intake(bench: Bench, reports: int) -> None:
    """As on an installed robot: its modules compiled (a first poll of two reports compiles them),
    its store created by an earlier poll; then one `robot poll` takes in the N reports."""
    warm = bench.robot()
    environment = installed(bench.work)  # after bench.robot(): it puts the IMAP password in the environment
    fill_reports(bench.dovecot, warm, 2)
    robot_poll(warm.path, environment)
    env = bench.robot()
    robot_poll(env.path, environment)  # the store exists, as on a robot that has run before
    fill_reports(bench.dovecot, env, reports)
    floor = min(floor_seconds(bench.dovecot) for _ in range(2))
    seconds, log = robot_poll(env.path, environment)
    replies = len(bench.smtp.wait_for(reports, timeout=120))
    print(f"intake: {reports} template reports (half xlsx, half docx), {replies} acknowledgements sent")
    print(f"  robot poll (subprocess):        {seconds:6.1f} s  {1000 * seconds / reports:5.1f} ms/message")
    print(f"    of which {_phases(log)}")
    print(f"  floor (imap-tools fetch + load): {floor:6.1f} s  {1000 * floor / reports:5.1f} ms/message")
    print(f"  ratio:                           {seconds / floor:6.2f}x  (goal <= 1.5x)")
    print(f"  peak RSS of the poll: {_peak(log)} MiB, parse worker: {_worker_peak(log)} MiB")
    cpu = float(_CPU.findall(log)[-1])
    print(f"  CPU of the robot's process (its threads, not the parse worker): {cpu:.1f} s, "
          f"{1000 * cpu / reports:.1f} ms/message")


def fill_maildir(dovecot: DovecotServer, count: int) -> None:
    """Write ``count`` small mails straight into the robot's maildir (no IMAP APPEND per mail)."""
    dovecot.append(mail("noreply@example.org", "seed", []))  # creates the maildir
    root = dovecot.root / "mail" / dovecot.user / "Maildir"
    raw = mail("noreply@example.org", "Automatic reply", [], headers={"Auto-Submitted": "auto-replied"})
    for i in range(count - 1):
        (root / "new" / f"{1_700_000_000 + i}.M{i}P1.bench").write_bytes(raw)
    owner = root.stat()
    for path in (root / "new").iterdir():
        os.chown(path, owner.st_uid, owner.st_gid)


def record_processed(env, count: int) -> None:
    """What a poll leaves behind for every message: a Message row per UID and the poll position."""
    config, engine = env.config, env.engine()
    with Mailbox(config.imap_settings()) as box:
        state = box.folder_state("INBOX")  # Dovecot indexes the new maildir files here
    now = dt.datetime.now(dt.timezone.utc)
    rows = [dict(mailbox=config.mailbox.address, folder="INBOX", uidvalidity=state.uidvalidity, uid=uid,
                 message_id=f"<{uid}@example.org>", sha256=f"{uid:064x}", archive_path=f"archive/{uid}.eml",
                 sender="noreply@example.org", subject="Automatic reply", received_at=now, processed_at=now,
                 outcome="auto_reply", detail="Auto-Submitted: auto-replied", attachments=[])
            for uid in range(1, count + 1)]
    with session(engine) as db:
        for start in range(0, len(rows), 5000):
            db.exec(insert(Message), params=rows[start:start + 5000])
        queries.advance_poll(db, config.mailbox.address, "INBOX", state.uidvalidity, count, now)
        db.commit()


def bare_search(dovecot: DovecotServer, last_uid: int) -> tuple[float, float]:
    """Seconds of login + SELECT + UID SEARCH, and of the UID SEARCH alone."""
    began = time.perf_counter()
    client = imaplib.IMAP4(dovecot.host, dovecot.imap_port)
    client.login(dovecot.user, dovecot.password)
    client.select("INBOX", readonly=True)
    searched = time.perf_counter()
    client.uid("SEARCH", f"UID {last_uid + 1}:*")
    ended = time.perf_counter()
    client.logout()
    return ended - began, ended - searched


def idle(bench: Bench, sizes: list[int], repeat: int) -> None:
    print("idle poll: a mailbox of processed messages, a poll that finds nothing new (median of "
          f"{repeat}, in-process)")
    print(f"  {'messages':>8}  {'poll()':>9}  {'login+SELECT+SEARCH':>20}  {'UID SEARCH':>10}  ratio")
    for size in sizes:
        env = bench.robot()
        fill_maildir(bench.dovecot, size)
        record_processed(env, size)
        config, engine = env.config, env.engine()
        clock = lambda: dt.datetime.now(config.tz)  # noqa: E731
        poll(config, engine, clock)  # warm: Dovecot's index and the process's imports
        polls, bares, searches = [], [], []
        for _ in range(repeat):
            began = time.perf_counter()
            result = poll(config, engine, clock)
            polls.append(time.perf_counter() - began)
            assert result.processed == 0
            bare, search = bare_search(bench.dovecot, size)
            bares.append(bare)
            searches.append(search)
        p, b, s = (statistics.median(v) * 1000 for v in (polls, bares, searches))
        print(f"  {size:>8}  {p:7.1f} ms  {b:17.1f} ms  {s:7.2f} ms  {p / b:4.2f}x")


def memory(bench: Bench, messages: int) -> None:
    env = bench.robot()
    school = next(u for u in env.config.units if u.type == "thpt")
    if messages:
        data = filled_xlsx(env.config.schema(), "thpt", COMPLETE)
        for i in range(messages):
            raw = mail(school.emails[0], "Báo cáo năm 2026", [(f"bc-{i}.xlsx", data)] if i % 10 == 0 else [])
            bench.dovecot.append(raw, internaldate=local(2026, 11, 20, 9, 0))
        seconds, log = robot_poll(env.path)
        print(f"memory: robot poll over {messages} mails (1 in 10 a report, the rest a notice with the "
              f"template attached) in {seconds:.0f} s")
        print(f"  peak RSS {_peak(log)} MiB (goal < 200 MiB), parse worker {_worker_peak(log)} MiB")
    big = os.urandom(30 * 1024 * 1024)
    for limit, how in ((20, "refused as too large: read for headers and file names only"),
                       (40, "read and parsed, with max_attachment_mb raised to 40")):
        env = bench.robot(limits={"max_attachment_mb": limit})
        bench.dovecot.append(mail(school.emails[0], "Báo cáo năm 2026", [("bao-cao.xlsx", big)]),
                             internaldate=local(2026, 11, 20, 9, 0))
        seconds, log = robot_poll(env.path)
        print(f"  one mail with a 30 MB attachment, max_attachment_mb {limit} ({how}): peak RSS "
              f"{_peak(log)} MiB, {seconds:.1f} s")


def _peak(log: str) -> str:
    found = _PEAK.search(log)
    return found.group(1) if found else "?"


def _worker_peak(log: str) -> str:
    found = _WORKER_PEAK.findall(log)
    return max(found, key=int) if found else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--idle-sizes", default="1000,10000,50000")
    parser.add_argument("--memory-messages", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7, help="idle polls to time")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--only", choices=("intake", "idle", "memory"), help="one part only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"store: {args.store}; {os.cpu_count()} cores")
    try:
        with Bench(work, args.store) as bench:
            if args.only in (None, "intake"):
                intake(bench, args.reports)
            if args.only in (None, "idle"):
                idle(bench, [int(n) for n in args.idle_sizes.split(",")], args.repeat)
            if args.only in (None, "memory"):
                memory(bench, args.memory_messages)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
