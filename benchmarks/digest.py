"""Time to build the weekly digest (figures, chart, workbook, Word drafts) for many units, on SQLite and PostgreSQL.

    uv run python benchmarks/digest.py [--stores sqlite,postgresql] [--cases 700x10,45000x2]

A case UNITSxPERIODS generates that many units (the shipped config's unit types in turn) and a
store where 90 % of them filed a complete report for each period (the rest are missing), the
way intake stores them (a Message, a Submission and one SubmissionValue per figure). The digest
covers PERIODS periods: `digest.recent_days` is set so that the closed ones stay in it. Prints
the seconds of `make_digest` (what `robot digest` does before queueing the mail).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from robot.config import load_config  # noqa: E402
from robot.digest.build import make_digest  # noqa: E402
from robot.digest.figures import digest_periods  # noqa: E402
from store.db import open_engine, session  # noqa: E402
from store.tables import Message, Submission, SubmissionValue  # noqa: E402
from tests.postgres import PostgresCluster, server_binaries  # noqa: E402
from tests.robot.conftest import COMPLETE, COMPLETE_DISTRICT  # noqa: E402
from tests.robotenv import SHIPPED_CONFIG  # noqa: E402

NOW = dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CHUNK = 5000


def write_config(folder: Path, units: int, periods: int, url: str) -> Path:
    data = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    types = list(data["unit_types"])
    data["units"] = [{"code": f"U{i:05d}", "name": f"Đơn vị số {i}", "type": types[i % len(types)],
                      "emails": [f"u{i}@school.example"]} for i in range(units)]
    # Two periods a year: the open one plus the closed ones of the last (periods - 1) / 2 years.
    data["digest"] = {**data.get("digest", {}), "recent_days": 183 * (periods - 1)}
    data["store"] = {"url": url, "archive_dir": "archive"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def fill_store(config, engine) -> int:
    """90 % of the units filed a complete report for each digest period; returns the submissions made."""
    mailbox, received = config.mailbox.address, NOW.astimezone(dt.timezone.utc) - dt.timedelta(days=30)
    made = 0
    uid = 0
    for period in digest_periods(config, NOW):
        filing = [u for i, u in enumerate(config.units) if i % 10 != 9]
        for start in range(0, len(filing), CHUNK):
            chunk = filing[start:start + CHUNK]
            messages, submissions = [], []
            for unit in chunk:
                uid += 1
                messages.append(dict(mailbox=mailbox, folder="INBOX", uidvalidity=1, uid=uid,
                                     message_id=f"<{uid}@bench>", sha256=f"{uid:064x}", archive_path="",
                                     sender=unit.emails[0], subject="Báo cáo", received_at=received,
                                     processed_at=received, outcome="accepted", detail="",
                                     unit_code=unit.code, period_id=period.id, attachments=["bc.xlsx"]))
            with session(engine) as db:
                db.exec(insert(Message), params=messages)
                ids = dict(db.exec(select(Message.uid, Message.id).where(Message.uid > uid - len(chunk))).all())
                for offset, unit in enumerate(chunk):
                    submissions.append(dict(mailbox=mailbox, unit_code=unit.code, period_id=period.id,
                                            version=1, state="complete", is_current=True, on_time=True,
                                            received_at=received, message_pk=ids[uid - len(chunk) + 1 + offset],
                                            filename="bc.xlsx", missing=[], invalid=[], problems=[]))
                db.exec(insert(Submission), params=submissions)
                stored = db.exec(select(Submission.id, Submission.unit_code).where(
                    Submission.period_id == period.id, Submission.unit_code.in_([u.code for u in chunk]))).all()
                kinds = {u.code: u.type for u in chunk}
                values = [dict(submission_id=sid, key=key, value=value, raw=str(value), source="B5")
                          for sid, code in stored
                          for key, value in (COMPLETE_DISTRICT if kinds[code] == "phong_gddt" else COMPLETE).items()]
                for part in range(0, len(values), CHUNK * 4):
                    db.exec(insert(SubmissionValue), params=values[part:part + CHUNK * 4])
                db.commit()
            made += len(chunk)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--cases", default="700x10,45000x2")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-digest-"))
    postgres = None
    try:
        for store in args.stores.split(","):
            if store == "postgresql" and postgres is None:
                postgres = PostgresCluster(server_binaries())
                postgres.start()
            for case in args.cases.split(","):
                units, periods = (int(n) for n in case.split("x"))
                url = (postgres.url(postgres.new_database()) if store == "postgresql"
                       else f"sqlite:///{work / f'{store}-{case}' / 'robot.db'}")
                config = load_config(write_config(work / f"{store}-{case}", units, periods, url))
                engine = open_engine(config.database_url)
                began = time.perf_counter()
                filed = fill_store(config, engine)
                filled = time.perf_counter() - began
                began = time.perf_counter()
                digest = make_digest(config, engine, NOW)
                seconds = time.perf_counter() - began
                size = sum(len(data) for _, data in digest.documents.values()) // 1024
                print(f"{store:10} {units:6} units x {len(digest.periods):2} periods: digest {seconds:6.1f} s"
                      f"  ({filed} reports stored in {filled:.0f} s; files {size} KiB)", flush=True)
                engine.dispose()
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
