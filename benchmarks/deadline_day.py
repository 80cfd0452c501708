"""Deadline day on PostgreSQL: two robots, two mailboxes, one database, N reports each.

    uv run python benchmarks/deadline_day.py [--reports 1000] [--store postgresql|sqlite]

Each mailbox (two Dovecot users on loopback) receives N complete template reports from N
registered schools (half .xlsx, half .docx) within the hour; both robots' `robot poll` run at once
as processes, as two cron jobs would. Prints, beside the floor (a raw imap-tools fetch of both
mailboxes plus a bare library load of every attachment, one after the other):
  - the acknowledgements received by the SMTP server, of 2 × N;
  - the wall time of the two polls together, and from the first mail's INTERNALDATE to the last
    acknowledgement;
  - the ratio to the floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from benchmarks.intake_poll import NO_CAPS, floor_seconds  # noqa: E402
from tests.filling import filled_docx, filled_xlsx  # noqa: E402
from tests.postgres import PostgresCluster, server_binaries  # noqa: E402
from tests.robot.conftest import COMPLETE  # noqa: E402
from tests.robotenv import REPO, RobotEnv, mail, write_config  # noqa: E402
from tests.servers import ROBOT_USER, DovecotServer, SmtpServer, TestCertificate  # noqa: E402

OTHER_USER = "other@school.example"
MAILBOXES = {ROBOT_USER: ("phongcttt.solongan@moet.edu.vn", "s"), OTHER_USER: ("phonggdtrh.tayninh@moet.edu.vn", "t")}


def robot_for(work: Path, dovecot: DovecotServer, smtp: SmtpServer, login: str, url: str, reports: int) -> RobotEnv:
    """A robot of one mailbox with ``reports`` registered schools (codes unique per mailbox)."""
    address, prefix = MAILBOXES[login]
    env = write_config(work / login.partition("@")[0], dovecot, smtp, first_poll="all",
                       store={"url": url, "archive_dir": "archive"}, **NO_CAPS)
    data = yaml.safe_load(env.path.read_text(encoding="utf-8"))
    password_env = f"BENCH_{prefix.upper()}_PASSWORD"
    data["mailbox"]["address"] = address
    data["mailbox"]["imap"].update(username=login, password_env=password_env)
    data["units"] = [{"code": f"THPT-{prefix.upper()}{n:04d}", "name": f"Trường THPT số {n}", "type": "thpt",
                      "emails": [f"{prefix}{n:04d}@school.example"]} for n in range(1, reports + 1)]
    env.path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    os.environ[password_env] = dovecot.users[login]
    return RobotEnv(env.path)


def fill(dovecot: DovecotServer, env: RobotEnv, login: str) -> None:
    config = env.config
    files = {"xlsx": filled_xlsx(config.schema(), "thpt", COMPLETE),
             "docx": filled_docx(config.schema(), "thpt", COMPLETE)}
    for i, unit in enumerate(config.units):
        fmt = "xlsx" if i % 2 == 0 else "docx"
        dovecot.append(mail(unit.emails[0], f"Báo cáo PCMD năm 2026 - {unit.name}", [(f"bc-pcmd.{fmt}", files[fmt])],
                            to=config.mailbox.address), user=login)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="reports per mailbox")
    parser.add_argument("--store", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-deadline-"))
    (work / "cert").mkdir()
    certificate = TestCertificate.create(work / "cert")
    dovecot, smtp = DovecotServer(certificate), SmtpServer(certificate=certificate)
    postgres = PostgresCluster(server_binaries()) if args.store == "postgresql" else None
    try:
        dovecot.start()
        smtp.start()
        if postgres:
            postgres.start()
        url = postgres.url(postgres.new_database()) if postgres else f"sqlite:///{work}/shared.db"
        robots = {login: robot_for(work, dovecot, smtp, login, url, args.reports) for login in MAILBOXES}
        first_mail = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        for login, env in robots.items():
            fill(dovecot, env, login)
        floor = sum(floor_seconds(dovecot, user=login) for login in MAILBOXES)
        began = time.perf_counter()
        polls = [subprocess.Popen([sys.executable, "-m", "robot", "--config", str(env.path), "poll"], cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for env in robots.values()]
        for poll in polls:
            _, err = poll.communicate(timeout=7200)
            if poll.returncode != 0:
                raise SystemExit(f"robot poll failed:\n{err[-2000:]}")
        seconds = time.perf_counter() - began
        expected = 2 * args.reports
        received = smtp.wait_for(expected, timeout=60)
        last_ack = time.time()
        kinds = Counter(m.parsed["X-Report-Robot"] for m in received)
        print(f"deadline day: {args.store}, 2 mailboxes × {args.reports} reports, two `robot poll` at once, "
              f"{os.cpu_count()} cores")
        print(f"  acknowledgements: {kinds.get('ack', 0)} of {expected} (other mail: "
              f"{sum(n for k, n in kinds.items() if k != 'ack')})")
        print(f"  both polls:                       {seconds:7.1f} s  {1000 * seconds / expected:6.1f} ms/report")
        print(f"  first mail to last acknowledgement: {last_ack - first_mail.timestamp():7.1f} s")
        print(f"  floor (fetch + bare load, serial): {floor:7.1f} s  ratio {seconds / floor:.2f}x")
    finally:
        smtp.stop()
        dovecot.stop()
        if postgres:
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
