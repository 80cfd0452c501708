"""Time to build the weekly digest (figures, chart, workbook, Word drafts) for many units, on SQLite and PostgreSQL.

    uv run python benchmarks/digest.py [--stores sqlite,postgresql] [--cases 700x10,45000x2]

A case UNITSxPERIODS generates that many units (the shipped config's unit types in turn) and a
store where, for each period, 90 % of them filed a report the way intake stores them (a Message,
a Submission and one SubmissionValue per figure): figures vary by unit, the two text answers are
the unit's own words, one report in twenty lacks a figure (incomplete) and one in ten came late;
the other 10 % are missing. The digest covers PERIODS periods: `digest.recent_days` is set so
that the closed ones stay in it. Prints the seconds of `make_digest` (what `robot digest` and the
daemon's weekly job do before queueing the mail), wall clock and CPU, beside the goal (issue 14).
What a fresh process pays once is measured apart, before the cases: importing pandas, matplotlib
and python-docx, then a first small digest (fonts, templates, the libraries' lazy parts). A
`robot digest` process pays both once; the daemon once in its lifetime.
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
from store.db import open_engine, session  # noqa: E402
from store.tables import Message, Submission, SubmissionValue  # noqa: E402
from tests.postgres import PostgresCluster, server_binaries  # noqa: E402
from tests.robot.conftest import COMPLETE, COMPLETE_DISTRICT  # noqa: E402
from tests.robotenv import SHIPPED_CONFIG  # noqa: E402

NOW = dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CHUNK = 5000
GOALS = {(45000, 2): 10.0, (700, 10): 2.0}  # seconds, issue 14


def write_config(folder: Path, units: int, periods: int, url: str) -> Path:
    data = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    types = list(data["unit_types"])
    data["units"] = [{"code": f"U{i:05d}", "name": f"Đơn vị số {i}", "type": types[i % len(types)],
                      "emails": [f"u{i}@school.example"], "contact": {"name": f"Cán bộ {i}", "phone": f"0272{i:07d}"}}
                     for i in range(units)]
    # Two periods a year: the open one plus the closed ones of the last (periods - 1) / 2 years.
    data["digest"] = {**data.get("digest", {}), "recent_days": 183 * (periods - 1)}
    data["store"] = {"url": url, "archive_dir": "archive"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def unit_report(index: int, district: bool) -> tuple[dict, list[str]]:
    """A unit's figures, different from unit to unit, and the fields it left out."""
    reached = 300 + index * 37 % 1500
    values = (COMPLETE_DISTRICT if district else COMPLETE) | {
        "so_buoi_tt": 1 + index % 30, "so_hssv_duoc_tt": reached, "tong_so_hssv": reached + index * 13 % 400,
        "so_cbgv_duoc_tt": 20 + index % 90,
        "kho_khan": f"Đơn vị số {index}: kinh phí cho hoạt động tuyên truyền còn hạn chế",
        "kien_nghi": f"Đơn vị số {index} đề nghị Sở tổ chức tập huấn cho giáo viên chủ nhiệm",
    }
    if district:
        values |= {"so_truong_truc_thuoc": 20 + index % 40, "so_truong_co_tt": 20 + index % 40 - index % 5}
    missing = ["so_buoi_tt"] if index % 20 == 3 else []
    return {k: v for k, v in values.items() if k not in missing}, missing


def fill_store(config, engine) -> int:
    """90 % of the units filed a report for each digest period; returns the submissions made."""
    from robot.digest.figures import digest_periods

    mailbox, received = config.mailbox.address, NOW.astimezone(dt.timezone.utc) - dt.timedelta(days=30)
    made = 0
    uid = 0
    for period in digest_periods(config, NOW):
        filing = [(i, u) for i, u in enumerate(config.units) if i % 10 != 9]
        for start in range(0, len(filing), CHUNK):
            chunk = filing[start:start + CHUNK]
            messages, submissions = [], []
            for _, unit in chunk:
                uid += 1
                messages.append(dict(mailbox=mailbox, folder="INBOX", uidvalidity=1, uid=uid,
                                     message_id=f"<{uid}@bench>", sha256=f"{uid:064x}", archive_path="",
                                     sender=unit.emails[0], subject="Báo cáo", received_at=received,
                                     processed_at=received, outcome="accepted", detail="",
                                     unit_code=unit.code, period_id=period.id, attachments=["bc.xlsx"]))
            reports = {unit.code: (index, unit_report(index, unit.type == "phong_gddt")) for index, unit in chunk}
            with session(engine) as db:
                db.exec(insert(Message), params=messages)
                ids = dict(db.exec(select(Message.uid, Message.id).where(Message.uid > uid - len(chunk))).all())
                for offset, (_, unit) in enumerate(chunk):
                    index, (_, missing) = reports[unit.code]
                    submissions.append(dict(mailbox=mailbox, unit_code=unit.code, period_id=period.id,
                                            version=1, state="incomplete" if missing else "complete",
                                            is_current=True, on_time=index % 10 != 4,
                                            received_at=received, message_pk=ids[uid - len(chunk) + 1 + offset],
                                            filename="bc.xlsx", missing=missing, invalid=[], problems=[]))
                db.exec(insert(Submission), params=submissions)
                stored = db.exec(select(Submission.id, Submission.unit_code).where(
                    Submission.period_id == period.id, Submission.unit_code.in_([u.code for _, u in chunk]))).all()
                values = [dict(submission_id=sid, key=key, value=value, raw=str(value), source="B5")
                          for sid, code in stored for key, value in reports[code][1][0].items()]
                for part in range(0, len(values), CHUNK * 4):
                    db.exec(insert(SubmissionValue), params=values[part:part + CHUNK * 4])
                db.commit()
            made += len(chunk)
    return made


def import_seconds() -> float:
    """Import what the digest loads lazily (pandas, matplotlib, python-docx), once."""
    began = time.perf_counter()
    import docx  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import pandas  # noqa: F401

    import robot.digest.chart  # noqa: F401
    import robot.digest.frames  # noqa: F401
    import robot.digest.summary_report  # noqa: F401
    return time.perf_counter() - began


def first_digest_seconds(folder: Path) -> float:
    """A first digest of 10 units in this process: what loads on first use (fonts, templates)."""
    config = load_config(write_config(folder, 10, 1, f"sqlite:///{folder / 'robot.db'}"))
    engine = open_engine(config.database_url)
    fill_store(config, engine)
    began = time.perf_counter()
    make_digest(config, engine, NOW)
    engine.dispose()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--cases", default="700x10,45000x2")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-digest-"))
    postgres = None
    print(f"once per process: imports (pandas, matplotlib, python-docx) {import_seconds():.1f} s, "
          f"first digest of 10 units {first_digest_seconds(work / 'first'):.1f} s", flush=True)
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
                began, cpu = time.perf_counter(), time.process_time()
                digest = make_digest(config, engine, NOW)
                seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
                size = sum(len(data) for _, data in digest.documents.values()) // 1024
                goal = GOALS.get((units, periods))
                verdict = f"goal < {goal:g} s: {'met' if seconds < goal else 'NOT met'}" if goal else "no goal"
                print(f"{store:10} {units:6} units x {len(digest.periods):2} periods: digest {seconds:5.1f} s "
                      f"(CPU {cpu:4.1f} s)  {verdict}   [{filed} reports stored in {filled:.0f} s; "
                      f"files {size} KiB]", flush=True)
                engine.dispose()
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
