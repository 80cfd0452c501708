"""Every staff command per programme (DESIGN §4 ``--programme``): status, export, remind,
template, accept and check, with the plan (programme ``default``) and the monthly drug report
(docs/examples/phong-chong-ma-tuy.yaml) on one mailbox, as schools report both."""

from __future__ import annotations

import csv
import io
import json

import docx
import openpyxl
import pytest
from sqlmodel import select

from store.db import session
from store.tables import ReminderSent
from tests.filling import filled_xlsx
from tests.programmes import DRUGS, DRUGS_COMPLETE, write_two_programme_config
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, parsed, text_of

NOW = "2026-11-16T10:00:00+07:00"
DRUGS_TITLE = "Công tác phòng, chống ma túy trong trường học"
DRUG_TYPES = {"phong_gddt", "thpt", "cao_dang_su_pham"}


@pytest.fixture
def two(tmp_path, mailbox, smtp_server):
    return write_two_programme_config(tmp_path / "two", mailbox, smtp_server)


@pytest.fixture
def thpt(two):
    return next(u for u in two.config.units if u.type == "thpt")


def _file_both(env, mailbox, school) -> None:
    """The school sends the plan's annual report and the drug report of November, through a poll."""
    plan, drugs = env.config.programme("default"), env.config.programme(DRUGS)
    annual = filled_xlsx(plan.schema(), "thpt", COMPLETE, unit_name=school.name)
    monthly = filled_xlsx(drugs.schema(), "thpt", DRUGS_COMPLETE, unit_name=school.name)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bao-cao-nam.xlsx", annual)]),
                   internaldate=local(2026, 11, 16, 8, 0))
    mailbox.append(mail(school.emails[0], "Gửi báo cáo tháng 11", [("bc-thang-11.xlsx", monthly)]),
                   internaldate=local(2026, 11, 16, 9, 0))
    assert env.cli("poll", "--now", NOW).exit_code == 0


def _json(env, *args: str) -> list[dict]:
    result = env.cli(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _remind(env, smtp_server, *args: str) -> list:
    before = len(smtp_server.messages)
    result = env.cli("remind", *args)
    assert result.exit_code == 0, result.output
    return smtp_server.messages[before:]


def test_status_shows_each_programmes_periods_and_names_them(two, mailbox, smtp_server, thpt, monkeypatch):
    """GIVEN a school that filed the plan's annual report and the November drug report WHEN
    staff run `status` THEN each programme's last closed and open periods are listed, each row
    names its programme, the drug periods list only the unit types that report drugs, and
    --programme (or a period id only one programme has) keeps to one programme."""
    _file_both(two, mailbox, thpt)
    drugs = two.config.programme(DRUGS)

    rows = _json(two, "status", "--now", NOW, "--json")

    assert {(r["programme"], r["period"]) for r in rows} == {
        ("default", "semiannual-2026"), ("default", "annual-2026"),
        (DRUGS, "monthly-2026-10"), (DRUGS, "monthly-2026-11")}
    due = local(2026, 11, 18).date()
    assert [r["unit_code"] for r in rows if r["period"] == "monthly-2026-11"] == [
        u.code for u in two.config.units if u.type in DRUG_TYPES and u.active_on(due)]
    assert any(u.type not in DRUG_TYPES for u in two.config.units)  # the plan has more units
    mine = {(r["programme"], r["period"]): r for r in rows if r["unit_code"] == thpt.code}
    assert (mine[DRUGS, "monthly-2026-11"]["state"], mine[DRUGS, "monthly-2026-11"]["values"]) == (
        "complete", DRUGS_COMPLETE)
    assert (mine["default", "annual-2026"]["state"], mine["default", "annual-2026"]["values"]) == (
        "complete", COMPLETE)
    assert mine[DRUGS, "monthly-2026-10"]["state"] == "missing"

    assert _json(two, "status", "--now", NOW, "--json", "--programme", DRUGS) == [
        r for r in rows if r["programme"] == DRUGS]
    assert _json(two, "status", "--period", "monthly-2026-11", "--json") == [
        r for r in rows if r["period"] == "monthly-2026-11"]
    assert len(drugs.units) < len(two.config.units)
    assert two.cli("status", "--period", "annual-2026", "--programme", DRUGS).exit_code == 2

    monkeypatch.setenv("COLUMNS", "400")  # rich tables at full width: titles unbroken
    tables = two.cli("status", "--now", NOW).stdout
    assert DRUGS_TITLE in tables and two.config.organisation.programme in tables
    only = two.cli("status", "--now", NOW, "--programme", DRUGS).stdout
    assert "Báo cáo công tác phòng, chống ma túy tháng 11/2026 — hạn chót trước 18/11/2026" in only
    assert DRUGS_TITLE in only
    assert "Báo cáo năm 2026" not in only and two.config.organisation.programme not in only


def test_reminders_go_per_programme_to_its_units_and_name_it(two, mailbox, smtp_server, thpt):
    """GIVEN a school that filed both reports WHEN `remind` runs three days before the drug
    report's deadline THEN only the other units that report drugs are reminded, in mails naming
    the drug programme; WHEN it runs on 24 November with --programme, then without THEN the drug
    report's overdue notice and the plan's reminder go out apart, each recorded under its
    programme, and the school that filed both is never reminded."""
    _file_both(two, mailbox, thpt)
    smtp_server.wait_for(2)  # the two acknowledgements
    config = two.config
    drug_units = [u for u in config.programme(DRUGS).units if u.active_on(local(2026, 11, 18).date())]

    early = _remind(two, smtp_server, "--now", "2026-11-16T10:30:00+07:00")

    assert sorted(r.rcpt_tos[0] for r in early) == sorted(u.emails[0] for u in drug_units if u.code != thpt.code)
    assert {u.type for u in drug_units} == DRUG_TYPES
    assert {r.parsed["Subject"] for r in early} == {
        f"Nhắc nộp Báo cáo công tác phòng, chống ma túy tháng 11/2026 về “{DRUGS_TITLE}” (hạn trước ngày 18/11/2026)"}
    assert f"Hạn nộp Báo cáo công tác phòng, chống ma túy tháng 11/2026 về “{DRUGS_TITLE}” là trước ngày" in (
        text_of(early[0].parsed))

    overdue = _remind(two, smtp_server, "--programme", DRUGS, "--now", "2026-11-24T09:00:00+07:00")
    assert {r.parsed["X-Report-Robot"] for r in overdue} == {"overdue"}
    assert len(overdue) == len(early)
    plan = _remind(two, smtp_server, "--now", "2026-11-24T09:30:00+07:00")
    assert {r.parsed["X-Report-Robot"] for r in plan} == {"reminder"}
    assert all(f"Báo cáo năm 2026 về “{config.organisation.programme}”" in r.parsed["Subject"] for r in plan)
    assert len(plan) == len([u for u in config.units if u.active_on(local(2026, 12, 1).date())]) - 1
    assert thpt.emails[0] not in {r.rcpt_tos[0] for r in early + overdue + plan}

    other = next(u for u in drug_units if u.type == "thpt" and u.code != thpt.code)
    with session(two.engine()) as db:
        recorded = db.exec(select(ReminderSent).where(ReminderSent.unit_code == other.code)).all()
    assert sorted((r.programme, r.period_id, r.step) for r in recorded) == [
        ("default", "annual-2026", "before-7"),
        (DRUGS, "monthly-2026-11", "before-3"), (DRUGS, "monthly-2026-11", "overdue-3")]


def test_export_gives_each_programme_its_columns(two, mailbox, smtp_server, thpt, tmp_path):
    """GIVEN both reports filed WHEN staff export THEN the workbook has a sheet per programme
    with its own indicators, JSON rows name their programme, and CSV (one set of columns) needs
    --programme."""
    _file_both(two, mailbox, thpt)
    drugs = two.config.programme(DRUGS)
    base = ["period", "unit_code", "unit_name", "unit_type", "state", "on_time", "received_at", "version"]

    out = tmp_path / "export.xlsx"
    assert two.cli("export", "--format", "xlsx", "--out", str(out), "--now", NOW).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["default", DRUGS]
    sheet = list(book[DRUGS].values)
    assert list(sheet[0]) == base + [f.key for f in drugs.fields]
    filed = next(r for r in sheet[1:] if r[:2] == ("monthly-2026-11", thpt.code))
    assert filed[len(base) + 2] == DRUGS_COMPLETE["so_luot_hssv_tt_ma_tuy"]
    assert {r[0] for r in list(book["default"].values)[1:]} == {"semiannual-2026", "annual-2026"}

    rows = _json(two, "export", "--format", "json", "--now", NOW)
    assert {(r["programme"], r["period"]) for r in rows if r["unit_code"] == thpt.code} == {
        ("default", "semiannual-2026"), ("default", "annual-2026"),
        (DRUGS, "monthly-2026-10"), (DRUGS, "monthly-2026-11")}

    refused = two.cli("export", "--format", "csv", "--now", NOW)
    assert refused.exit_code == 2 and "default, phong_chong_ma_tuy" in refused.stderr
    table = two.cli("export", "--format", "csv", "--programme", DRUGS, "--now", NOW).stdout
    header = next(csv.reader(io.StringIO(table.lstrip("\ufeff"))))
    assert header == base + [f.key for f in drugs.fields]


def test_template_is_written_for_the_programme_named(two, tmp_path):
    """WHEN staff write a template with --programme THEN it carries that programme's code; with
    two programmes and none named, or an unknown one, nothing is written and the ids are listed."""
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"mau-pcmt.{fmt}"
        result = two.cli("template", "--format", fmt, "--programme", DRUGS, "--out", str(out))
        assert result.exit_code == 0, result.output
        keywords = (openpyxl.load_workbook(out).properties.keywords if fmt == "xlsx"
                    else docx.Document(str(out)).core_properties.keywords)
        assert f"report-robot:{DRUGS}" in keywords

    unnamed = two.cli("template", "--format", "xlsx", "--out", str(tmp_path / "mau.xlsx"))
    assert unnamed.exit_code == 2 and "default, phong_chong_ma_tuy" in unnamed.stderr
    assert not (tmp_path / "mau.xlsx").exists()
    for command in (["template", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")], ["status"],
                    ["export", "--format", "json"], ["remind"], ["accept", "<x@example.org>"]):
        unknown = two.cli(*command, "--programme", "ma_tuy")
        assert unknown.exit_code == 2, command
        assert "Không có chương trình báo cáo 'ma_tuy' (có: default, phong_chong_ma_tuy)" in unknown.stderr


def test_accept_keeps_to_the_programme_named(two, mailbox, smtp_server, thpt):
    """GIVEN a drug report sent from an address no unit registered (unverified) WHEN staff
    accept it for the plan THEN nothing is accepted; for the drug programme THEN it is filed."""
    drugs = two.config.programme(DRUGS)
    raw = mail("clerk.home@gmail.example", "Gửi báo cáo tháng 11",
               [("bc.xlsx", filled_xlsx(drugs.schema(), "thpt", DRUGS_COMPLETE, unit_name=thpt.name))])
    mailbox.append(raw, internaldate=local(2026, 11, 16, 9, 0))
    assert two.cli("poll", "--now", NOW).exit_code == 0
    message_id = parsed(raw)["Message-ID"]

    wrong = two.cli("accept", message_id, "--programme", "default", "--by", "nguyenvana", "--now", NOW)
    assert wrong.exit_code == 1
    assert "không có báo cáo chưa xác thực nào của chương trình default" in wrong.stderr
    right = two.cli("accept", message_id, "--programme", DRUGS, "--by", "nguyenvana", "--now", NOW)
    assert right.exit_code == 0, right.output
    assert f"cho kỳ monthly-2026-11 (chương trình {DRUGS})" in " ".join(right.stdout.split())
    (row,) = [r for r in _json(two, "status", "--period", "monthly-2026-11", "--json") if r["unit_code"] == thpt.code]
    assert (row["programme"], row["state"], row["values"]) == (DRUGS, "complete", DRUGS_COMPLETE)


def test_check_describes_each_programme(two, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    config = two.config
    plan, drugs = config.programme("default"), config.programme(DRUGS)
    out = two.cli("check").stdout
    assert f"{len(config.units)} đơn vị, 2 chương trình báo cáo" in out
    assert (f"• {DRUGS} — {DRUGS_TITLE}: 8 chỉ tiêu; báo cáo monthly (hằng tháng); "
            f"{len(drugs.units)} đơn vị phải nộp") in out
    assert (f"• default — {config.organisation.programme}: {len(plan.fields)} chỉ tiêu; báo cáo "
            f"semiannual (6 tháng), annual (hằng năm); {len(config.units)} đơn vị phải nộp") in out


def test_one_programme_prints_as_before(robot_env, monkeypatch):
    """GIVEN the shipped config (one programme) THEN rows carry no programme key, check counts
    indicators as before, and --programme knows only "default"."""
    rows = _json(robot_env, "status", "--now", NOW, "--json")
    assert rows and not any("programme" in r for r in rows)
    assert _json(robot_env, "status", "--now", NOW, "--json", "--programme", "default") == rows
    assert not any("programme" in r for r in _json(robot_env, "export", "--format", "json", "--now", NOW))
    unknown = robot_env.cli("status", "--programme", DRUGS)
    assert unknown.exit_code == 2 and "(có: default)" in unknown.stderr
    monkeypatch.setenv("COLUMNS", "400")
    config = robot_env.config
    assert (f"{len(config.units)} đơn vị, {len(config.fields)} chỉ tiêu, 2 loại báo cáo"
            in robot_env.cli("check").stdout)
