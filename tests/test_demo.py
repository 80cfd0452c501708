"""`robot demo` end to end: what it reports having sent, reminded and written really exists and
agrees with the store it leaves behind."""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import subprocess
import sys
import time
from operator import itemgetter
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from robot.cli import app
from robot.config import load_config
from robot.demo.summary import SUMMARY_FILE
from robot.outbox import REPLY_KINDS
from store.db import open_engine, session
from store.tables import Outbox, ReminderSent

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """GIVEN a fresh folder WHEN `robot demo --out DIR` runs as a real process THEN it exits 0."""
    workdir = tmp_path_factory.mktemp("demo")
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "robot", "--config", str(REPO / "config.yaml"), "demo", "--out", "demo-out"],
        cwd=workdir, capture_output=True, text=True, timeout=180,
        env={**os.environ, "COLUMNS": "250"},  # wide enough that rich wraps no table cell
    )
    seconds = time.monotonic() - began
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = workdir / "demo-out"
    summary = json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))
    return {"out": out, "summary": summary, "stdout": done.stdout, "seconds": seconds}


def _outbox(out: Path) -> list[Outbox]:
    config = load_config(out / "config.yaml")
    with session(open_engine(config.database_url)) as db:
        return list(db.exec(select(Outbox)))


def test_demo_finishes_well_under_a_minute(demo):
    assert demo["seconds"] < 60, f"robot demo took {demo['seconds']:.1f} s"


def test_every_seeded_mail_was_archived_and_read(demo):
    summary = demo["summary"]
    assert len(summary["seeded"]) >= 18
    assert sum(summary["outcomes"].values()) == len(summary["seeded"])
    assert len(list((demo["out"] / "archive").rglob("*.eml"))) == len(summary["seeded"])


def test_each_reported_mail_was_sent_and_is_in_the_store(demo):
    """Every mail listed as sent is on disk as the SMTP server got it, with the kind the store has,
    and every mail the store marks sent is listed."""
    sent = demo["summary"]["sent"]
    stored = {row.message_id: row for row in _outbox(demo["out"]) if row.status == "sent"}
    assert {m["message_id"] for m in sent} == set(stored)
    for item in sent:
        message = email.message_from_bytes(Path(item["file"]).read_bytes(), policy=email.policy.default)
        assert message["X-Report-Robot"] == item["kind"] == stored[item["message_id"]].kind
        assert message["Message-ID"].strip() == item["message_id"]


def test_each_kind_of_reply_is_shown(demo):
    kinds = {m["kind"] for m in demo["summary"]["sent"]}
    assert {"ack", "incomplete", "unreadable", "no-attachment", "unknown-sender", "reminder", "digest", "staff"} <= kinds
    stdout = demo["stdout"]
    for words in ("Đã nhận báo cáo (ack)", "Báo cáo chưa đầy đủ (incomplete)", "Nhắc trước hạn"):
        assert words in stdout


def test_the_auto_reply_is_not_answered(demo):
    summary = demo["summary"]
    auto = next(m for m in summary["seeded"] if "tự động" in m["scenario"])
    answers = [m for m in summary["sent"] if m["kind"] in REPLY_KINDS and auto["sender"] in m["to"]]
    assert answers == []


def test_reminders_agree_with_the_store_and_the_status(demo):
    summary = demo["summary"]
    config = load_config(demo["out"] / "config.yaml")
    with session(open_engine(config.database_url)) as db:
        recorded = {(r.period_id, r.unit_code, r.step) for r in db.exec(select(ReminderSent))}
    reported = {(r["period"], r["unit_code"], r["step"]) for r in summary["reminders"]}
    assert reported and reported == recorded
    states = {(row["period"], row["unit_code"]): row["state"] for row in summary["status"]}
    for period in {p for p, _, _ in reported}:  # exactly the units not complete are reminded
        not_complete = {u for (p, u), state in states.items() if p == period and state != "complete"}
        assert {u for p, u, _ in reported if p == period} == not_complete


def test_status_is_what_robot_status_says(demo):
    summary = demo["summary"]
    periods = sorted({row["period"] for row in summary["status"]})
    config_path = str(demo["out"] / "config.yaml")
    rows = []
    for period in periods:
        result = CliRunner().invoke(app, ["--config", config_path, "status", "--period", period, "--json",
                                          "--now", summary["now"]])
        assert result.exit_code == 0, result.output
        rows += json.loads(result.stdout)
    key = itemgetter("period", "unit_code")
    assert sorted(rows, key=key) == sorted(summary["status"], key=key)
    assert {row["state"] for row in rows} >= {"complete", "incomplete", "unreadable", "unverified", "missing"}


def test_digest_files_exist_and_hold_the_figures(demo):
    summary = demo["summary"]
    files = [Path(p) for p in summary["digest_files"]]
    by_suffix = {p.suffix: p for p in files}
    assert {".html", ".png", ".xlsx", ".docx"} <= set(by_suffix)
    assert all(p.is_file() and p.stat().st_size > 0 for p in files)
    assert by_suffix[".png"].read_bytes().startswith(b"\x89PNG")
    docx.Document(io.BytesIO(by_suffix[".docx"].read_bytes()))

    complete = [row for row in summary["status"] if row["state"] == "complete"]
    workbook = openpyxl.load_workbook(by_suffix[".xlsx"])
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value}
    open_period = max(row["period"] for row in complete)
    assert {row["unit_code"] for row in complete if row["period"] == open_period} <= cells

    digest_mail = next(m for m in summary["sent"] if m["kind"] == "digest")
    message = email.message_from_bytes(Path(digest_mail["file"]).read_bytes(), policy=email.policy.default)
    attached = {part.get_filename() for part in message.iter_attachments()}
    assert {by_suffix[".xlsx"].name, by_suffix[".docx"].name} <= attached
