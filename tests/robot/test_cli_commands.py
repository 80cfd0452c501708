"""The CLI contract of DESIGN §4: status --json, export, template, check."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import yaml

from parsers.registry import parse_attachment
from tests.filling import filled_docx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail

NOW = "2026-11-20T10:00:00+07:00"


def _filed(robot_env, mailbox, school, values=COMPLETE) -> None:
    # Word, so text such as "=HYPERLINK(…)" arrives as typed (Excel would store a formula).
    data = filled_docx(robot_env.config.schema(), "thpt", values)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.docx", data)]),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0


def test_status_json_has_one_object_per_expected_unit_and_period(robot_env, mailbox, school):
    _filed(robot_env, mailbox, school)
    rows = json.loads(robot_env.cli("status", "--now", NOW, "--json").stdout)
    config = robot_env.config
    # Without --period: the last closed period and the open one.
    assert {r["period"] for r in rows} == {"semiannual-2026", "annual-2026"}
    expected_2026 = [u.code for u in config.units if u.active_on(local(2026, 12, 1).date())]
    assert [r["unit_code"] for r in rows if r["period"] == "annual-2026"] == expected_2026
    keys = {"period", "unit_code", "state", "on_time", "received_at", "version", "values",
            "missing", "invalid"}
    optional = {"signature", "undeliverable", "excused", "programme"}  # DESIGN §4: rows may carry
    assert all(keys <= set(r) <= keys | optional for r in rows)
    assert all(set(r) == keys for r in rows if r["state"] == "missing")  # nothing filed: the contract's keys
    missing = next(r for r in rows if r["period"] == "annual-2026" and r["unit_code"] != school.code)
    assert missing == {"period": "annual-2026", "unit_code": missing["unit_code"], "state": "missing",
                       "on_time": None, "received_at": None, "version": None, "values": {},
                       "missing": [], "invalid": []}
    filed = next(r for r in rows if r["period"] == "annual-2026" and r["unit_code"] == school.code)
    assert filed["received_at"].startswith("2026-11-20T09:00:00")


def test_status_rejects_an_unknown_period(robot_env):
    result = robot_env.cli("status", "--period", "annual-1999")
    assert result.exit_code == 2


def test_export_formats_agree_and_keep_sender_text_inert(robot_env, mailbox, school, tmp_path):
    _filed(robot_env, mailbox, school, COMPLETE | {"kien_nghi": "=HYPERLINK(\"http://x.example\",\"bấm\")"})
    as_json = json.loads(robot_env.cli("export", "--period", "annual-2026", "--format", "json").stdout)
    row = next(r for r in as_json if r["unit_code"] == school.code)
    assert row["so_hssv_duoc_tt"] == 1250 and row["state"] == "complete"

    csv_text = robot_env.cli("export", "--period", "annual-2026", "--format", "csv").stdout
    records = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    record = next(r for r in records if r["unit_code"] == school.code)
    assert record["so_hssv_duoc_tt"] == "1250"
    assert record["kien_nghi"].startswith("'=HYPERLINK")

    out = tmp_path / "export.xlsx"
    assert robot_env.cli("export", "--period", "annual-2026", "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    line = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("unit_code")].value == school.code)
    cell = line[header.index("kien_nghi")]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert line[header.index("tong_so_hssv")].value == 1400
    assert sheet.max_row == len(as_json) + 1


def test_template_command_writes_templates_the_parser_reads(robot_env, tmp_path):
    schema = robot_env.config.schema()
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"mau.{fmt}"
        result = robot_env.cli("template", "--format", fmt, "--unit-type", "phong_gddt", "--out", str(out))
        assert result.exit_code == 0, result.output
        (report,) = parse_attachment(out.name, out.read_bytes(), schema)
        assert report.values == {}  # blank
    document = docx.Document(tmp_path / "mau.docx")
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tổng số trường học trực thuộc" in text  # phong_gddt-only field
    assert robot_env.cli("template", "--format", "xlsx", "--unit-type", "nope", "--out",
                         str(tmp_path / "x.xlsx")).exit_code == 2


def test_check_tries_both_logins(robot_env, mailbox, smtp_server):
    result = robot_env.cli("check")
    assert result.exit_code == 0, result.stdout
    assert "IMAP" in result.stdout and "INBOX" in result.stdout
    assert "SMTP" in result.stdout


def test_check_reports_a_wrong_password_and_every_config_problem(robot_env, tmp_path, monkeypatch):
    monkeypatch.setenv("ROBOT_TEST_IMAP_PASSWORD", "s3cr3t-Xq9")
    result = robot_env.cli("check")
    assert result.exit_code == 1
    assert "✗ IMAP" in result.stdout
    assert "s3cr3t-Xq9" not in result.stdout  # the password is never printed

    data = yaml.safe_load(robot_env.path.read_text(encoding="utf-8"))
    data["units"][0]["type"] = "truong_thpt"
    data["units"][1]["emails"] = ["not-an-address"]
    data["timezone"] = "Mars/Olympus"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = robot_env.cli("--config", str(broken), "check")
    assert result.exit_code == 2
    for path in ("units.0.type", "units.1.emails", "timezone"):
        assert path in result.stderr
