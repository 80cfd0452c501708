"""Intake throughput and idle-poll cost of `robot poll` on a real Dovecot (loopback).

Prints:
  - messages per second through `robot poll` for N template reports (xlsx and docx, half each),
    as a subprocess (what cron runs) and in-process (without interpreter start-up);
  - the time of a `robot poll` that finds nothing new in a mailbox of M processed messages.

Run: uv run python benchmarks/intake_poll.py [--reports 500] [--idle-size 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from robot.poll import poll  # noqa: E402
from tests.filling import filled_docx, filled_xlsx  # noqa: E402
from tests.robot.conftest import COMPLETE  # noqa: E402
from tests.robotenv import REPO, local, mail, write_config  # noqa: E402
from tests.servers import DovecotServer, SmtpServer, TestCertificate  # noqa: E402


# Every school sends many reports here; lift the reply caps meant for floods.
NO_CAPS = {"replies": {"per_address_per_day": 100_000, "per_hour": 100_000, "retry_base_seconds": 1}}


def _timed_subprocess(env_path: Path, *args: str) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "robot", "--config", str(env_path), *args],
                   cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - began


def _fill_reports(dovecot: DovecotServer, env, count: int) -> None:
    config = env.config
    schools = [u for u in config.units if u.type == "thpt"]
    schema = config.schema()
    files = {
        "xlsx": filled_xlsx(schema, "thpt", COMPLETE),
        "docx": filled_docx(schema, "thpt", COMPLETE),
    }
    for i in range(count):
        fmt = "xlsx" if i % 2 == 0 else "docx"
        school = schools[i % len(schools)]
        dovecot.append(mail(school.emails[0], "Báo cáo năm 2026", [(f"bc-{i}.{fmt}", files[fmt])]),
                       internaldate=local(2026, 11, 20, 9, 0))


def _fill_small(dovecot: DovecotServer, count: int) -> None:
    raw = mail("noreply@example.org", "Automatic reply", [], headers={"Auto-Submitted": "auto-replied"})
    for _ in range(count):
        dovecot.append(raw, internaldate=local(2026, 11, 20, 9, 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--idle-size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="idle polls to time")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    (work / "cert").mkdir()
    certificate = TestCertificate.create(work / "cert")
    dovecot, smtp = DovecotServer(certificate), SmtpServer(certificate=certificate)
    dovecot.start()
    smtp.start()
    try:
        print(f"intake: {args.reports} template reports (half xlsx, half docx)")
        env = write_config(work / "run1", dovecot, smtp, **NO_CAPS)
        _fill_reports(dovecot, env, args.reports)
        seconds = _timed_subprocess(env.path, "poll")
        replies = len(smtp.wait_for(args.reports, timeout=60))
        print(f"  robot poll (subprocess): {seconds:.2f} s, {args.reports / seconds:.1f} messages/s,"
              f" {replies} replies sent")

        dovecot.reset()
        smtp.clear()
        env = write_config(work / "run2", dovecot, smtp, **NO_CAPS)
        _fill_reports(dovecot, env, args.reports)
        config, engine = env.config, env.engine()
        began = time.perf_counter()
        poll(config, engine, lambda: dt.datetime.now(config.tz))
        seconds = time.perf_counter() - began
        print(f"  poll() in-process:       {seconds:.2f} s, {args.reports / seconds:.1f} messages/s")

        print(f"idle poll: mailbox of {args.idle_size} processed messages")
        dovecot.reset()
        smtp.clear()
        env = write_config(work / "run3", dovecot, smtp, **NO_CAPS)
        _fill_small(dovecot, args.idle_size)
        config, engine = env.config, env.engine()
        began = time.perf_counter()
        poll(config, engine, lambda: dt.datetime.now(config.tz))
        print(f"  first poll took in {args.idle_size} messages in {time.perf_counter() - began:.1f} s")
        inproc = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            result = poll(config, engine, lambda: dt.datetime.now(config.tz))
            inproc.append(time.perf_counter() - began)
            assert result.processed == 0
        sub = [_timed_subprocess(env.path, "poll") for _ in range(args.repeat)]
        print(f"  idle poll() in-process:       median {statistics.median(inproc) * 1000:.1f} ms")
        print(f"  idle robot poll (subprocess): median {statistics.median(sub) * 1000:.0f} ms"
              " (includes Python start-up and imports)")
    finally:
        smtp.stop()
        dovecot.stop()


if __name__ == "__main__":
    main()
