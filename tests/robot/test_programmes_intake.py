"""Two report programmes on one mailbox: each mail is filed, dated and answered for its own.

The plan of the first round (programme ``default``, a 6-month and an annual report) and the
example monthly drug-prevention report (docs/examples/phong-chong-ma-tuy.yaml: figures from the
15th of the month before to the 14th, due before the 18th) reach the same mailbox from the same
schools, as in a real department.
"""

from __future__ import annotations

import io
import os

import openpyxl
import pytest
from sqlmodel import select

from store.db import session
from store.tables import Message, Submission
from tests.filling import filled_xlsx
from tests.programmes import DRUGS, DRUGS_COMPLETE, write_two_programme_config
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, parsed, text_of


@pytest.fixture
def two(tmp_path, mailbox, smtp_server):
    return write_two_programme_config(tmp_path / "two", mailbox, smtp_server)


@pytest.fixture
def thpt(two):
    return next(u for u in two.config.units if u.type == "thpt")


def _filed(env) -> list[tuple[str, str, str, int, str, bool]]:
    with session(env.engine()) as db:
        rows = db.exec(select(Submission).order_by(Submission.id)).all()
        return [(s.unit_code, s.programme, s.period_id, s.version, s.state, s.on_time) for s in rows]


def _outcomes(env) -> list[tuple[str, str | None, str | None]]:
    with session(env.engine()) as db:
        return [(m.outcome, m.programme, m.period_id) for m in db.exec(select(Message).order_by(Message.uid))]


def _retyped(title: str, rows: list[tuple[str, object]], unit: str = "") -> bytes:
    """A report a clerk typed in a blank workbook of their own: a title, the unit, label | figure rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([unit or "TRƯỜNG THPT"])
    sheet.append([title])
    sheet.append([])
    sheet.append(["STT", "Nội dung", "Kết quả"])
    for number, (label, value) in enumerate(rows, start=1):
        sheet.append([number, label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_report_of_each_programme_from_one_school_is_filed_apart_and_acknowledged_apart(
        two, mailbox, smtp_server, thpt):
    """GIVEN a school that reports both programmes WHEN it sends the plan's annual report and
    the monthly drug report THEN each is filed under its programme and period and answered with
    its own figures and period title: two acknowledgements."""
    plan, drugs = two.config.programme("default"), two.config.programme(DRUGS)
    annual = mail(thpt.emails[0], "Báo cáo năm 2026",
                  [("bao-cao-nam.xlsx", filled_xlsx(plan.schema(), "thpt", COMPLETE, unit_name=thpt.name))])
    monthly = mail(thpt.emails[0], "Gửi báo cáo tháng 11",
                   [("bc-thang-11.xlsx", filled_xlsx(drugs.schema(), "thpt", DRUGS_COMPLETE, unit_name=thpt.name))])
    mailbox.append(annual, internaldate=local(2026, 11, 16, 8, 0))
    mailbox.append(monthly, internaldate=local(2026, 11, 16, 9, 0))

    assert two.cli("poll", "--now", "2026-11-16T10:00:00+07:00").exit_code == 0

    assert _filed(two) == [(thpt.code, "default", "annual-2026", 1, "complete", True),
                           (thpt.code, DRUGS, "monthly-2026-11", 1, "complete", True)]
    replies = {r.parsed["In-Reply-To"]: r.parsed for r in smtp_server.wait_for(2)}
    to_annual, to_monthly = replies[parsed(annual)["Message-ID"]], replies[parsed(monthly)["Message-ID"]]
    assert to_annual["X-Report-Robot"] == to_monthly["X-Report-Robot"] == "ack"
    assert "Báo cáo công tác phòng, chống ma túy tháng 11/2026" in text_of(to_monthly)
    assert "Số lượt học sinh, sinh viên được tuyên truyền về phòng, chống ma túy: 1.320" in text_of(to_monthly)
    assert "phòng, chống ma túy tháng" not in text_of(to_annual)
    assert "Số học sinh, sinh viên được tuyên truyền: 1.250" in text_of(to_annual)


def test_a_monthly_report_is_dated_by_the_cut_off_not_the_calendar_month(two, mailbox, smtp_server, thpt):
    """GIVEN monthly figures counted from the 15th to the 14th, due before the 18th WHEN a school
    sends an unlabelled report on 16 October (the October figures closed on the 14th) and
    another on 10 November (the November figures are not closed; October's was sent) and a
    second school sends one on 10 November having sent none for October THEN they are the
    reports of October, of November (early) and of October (late)."""
    drugs = two.config.programme(DRUGS)
    other = next(u for u in two.config.units if u.type == "thpt" and u.code != thpt.code)
    report = filled_xlsx(drugs.schema(), "thpt", DRUGS_COMPLETE)
    subject = "Báo cáo công tác phòng, chống ma túy"  # no month named, as many subjects read
    mailbox.append(mail(thpt.emails[0], subject, [("bc.xlsx", report)]), internaldate=local(2026, 10, 16, 9, 0))
    assert two.cli("poll", "--now", "2026-10-16T10:00:00+07:00").exit_code == 0
    mailbox.append(mail(thpt.emails[0], subject, [("bc.xlsx", report)]), internaldate=local(2026, 11, 10, 9, 0))
    mailbox.append(mail(other.emails[0], subject, [("bc.xlsx", report)]), internaldate=local(2026, 11, 10, 9, 5))
    assert two.cli("poll", "--now", "2026-11-10T10:00:00+07:00").exit_code == 0

    assert _filed(two) == [(thpt.code, DRUGS, "monthly-2026-10", 1, "complete", True),
                           (thpt.code, DRUGS, "monthly-2026-11", 1, "complete", True),
                           (other.code, DRUGS, "monthly-2026-10", 1, "complete", False)]
    late = next(r.parsed for r in smtp_server.wait_for(3) if r.rcpt_tos == [other.emails[0]])
    assert "Báo cáo công tác phòng, chống ma túy tháng 10/2026" in text_of(late)


def test_a_report_typed_by_hand_goes_to_the_programme_whose_rows_it_holds(two, mailbox, smtp_server, thpt):
    """GIVEN a drug report a clerk typed in a workbook of their own, titled only "BÁO CÁO THÁNG
    10", sent with the subject "Gửi báo cáo" on 16 November WHEN the robot polls THEN the rows it
    holds (all of the drug programme's, one of the plan's) take it to the drug programme, and its
    title to October (late), not to November, whose figures it was sent in time for."""
    rows = [("Trường có kế hoạch PCMT năm học 2026-2027", "Có"),
            ("Số buổi tuyên truyền về ma túy trong tháng", 3),
            ("Số lượt học sinh được tuyên truyền", 980),
            ("Số học sinh được xét nghiệm", 25),
            ("Số học sinh dương tính", 0),
            ("Số vụ việc liên quan ma túy", 0),
            ("Số học sinh vi phạm", 0)]
    mailbox.append(mail(thpt.emails[0], "Gửi báo cáo", [("BC T12.xlsx", _retyped("BÁO CÁO THÁNG 10", rows))]),
                   internaldate=local(2026, 11, 16, 14, 0))

    assert two.cli("poll", "--now", "2026-11-16T15:00:00+07:00").exit_code == 0

    assert _filed(two) == [(thpt.code, DRUGS, "monthly-2026-10", 1, "complete", False)]
    (reply,) = smtp_server.wait_for(1)
    assert reply.parsed["X-Report-Robot"] == "ack"
    assert "Báo cáo công tác phòng, chống ma túy tháng 10/2026" in text_of(reply.parsed)


def test_a_document_that_fits_both_programmes_equally_is_left_for_staff_unanswered(
        two, mailbox, smtp_server, thpt):
    """GIVEN a combined report on "social evils" holding a third of the plan's rows and a third
    of the drug programme's, with a subject and title naming neither WHEN the robot polls THEN it
    guesses nothing: the mail is recorded as ambiguous, nothing is filed, nobody is answered,
    and `robot status` lists it for staff."""
    rows = [("Số hình thức tuyên truyền đã tổ chức", 3),
            ("Số cán bộ, giáo viên được tuyên truyền", 60),
            ("Số cuộc kiểm tra", 1),
            ("Số vụ vi phạm", 0),
            ("Số vụ việc về ma túy", 0),
            ("Số HSSV vi phạm về ma túy", 0),
            ("Số HSSV được xét nghiệm", 30)]
    mailbox.append(mail(thpt.emails[0], "Báo cáo công tác phòng, chống tệ nạn xã hội",
                        [("bao-cao-tnxh.xlsx", _retyped("BÁO CÁO CÔNG TÁC PHÒNG, CHỐNG TỆ NẠN XÃ HỘI", rows))]),
                   internaldate=local(2026, 11, 16, 9, 0))

    result = two.cli("poll", "--now", "2026-11-16T10:00:00+07:00")

    assert result.exit_code == 0, result.output
    assert [outcome for outcome, _, _ in _outcomes(two)] == ["ambiguous"]
    assert _filed(two) == []
    assert smtp_server.messages == []
    status = two.subprocess("status", "--now", "2026-11-16T10:00:00+07:00", env={**os.environ, "COLUMNS": "400"})
    listed, _ = status.communicate(timeout=60)
    assert "Hợp với nhiều chương trình báo cáo (để cán bộ xem)" in listed.decode()
