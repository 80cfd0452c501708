"""The digest of a mailbox with two report programmes: a section, charts, a workbook and Word drafts each.

Issue 12, item 4. The shipped plan (programme ``default``, annual with its three targets) and the
example monthly drug-prevention programme (no targets, only Phòng GD&ĐT, THPT and the teachers'
college report it) share one mailbox. A school files a report of each through real intake; the
digest counts each programme over its own units and reports only, and lists for staff a report
that fits both programmes equally.
"""

from __future__ import annotations

import io

import docx
import openpyxl

from robot.demo.forms import as_written
from tests.filling import filled_xlsx
from tests.programmes import DRUGS, DRUGS_COMPLETE, example_programmes, write_two_programme_config
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, write_config

NOW = "2026-12-02T08:00:00+07:00"


def _by_header(sheet) -> list[dict]:
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def _both_programmes_xlsx(config, unit_type: str) -> bytes:
    """A school's own sheet holding every figure of both programmes, titled with neither's words."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["BÁO CÁO SỐ LIỆU"])
    sheet.append([])
    sheet.append(["STT", "Nội dung", "Kết quả"])
    rows = [(spec, values[spec.key]) for view, values in ((config.programme("default"), COMPLETE),
                                                          (config.programme(DRUGS), DRUGS_COMPLETE))
            for spec in view.schema().for_unit_type(unit_type) if spec.key in values]
    for number, (spec, value) in enumerate(rows, start=1):
        sheet.append([f"{number}.", spec.label, as_written(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file_reports(env, mailbox, school, other) -> None:
    """The school's annual plan report and its November drug-prevention report; another school's
    sheet that fits both programmes."""
    config = env.config
    plan, drugs = config.programme("default"), config.programme(DRUGS)
    mailbox.append(mail(school.emails[0], "Báo cáo tháng 11/2026 công tác PCMT",
                        [("pcmt-thang-11.xlsx", filled_xlsx(drugs.schema(), school.type, DRUGS_COMPLETE))]),
                   internaldate=local(2026, 11, 16, 9, 0))
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026",
                        [("bc-nam-2026.xlsx", filled_xlsx(plan.schema(), school.type, COMPLETE))]),
                   internaldate=local(2026, 11, 25, 9, 0))
    mailbox.append(mail(other.emails[0], "Gửi báo cáo số liệu",
                        [("so-lieu.xlsx", _both_programmes_xlsx(config, other.type))]),
                   internaldate=local(2026, 11, 27, 9, 0))
    result = env.cli("poll", "--now", "2026-11-27T10:00:00+07:00")
    assert result.exit_code == 0, result.output


def test_digest_has_a_section_workbook_and_drafts_per_programme(tmp_path, mailbox, smtp_server):
    """GIVEN two programmes, a school that filed the plan's annual report and its November drug report,
    and another school's sheet fitting both programmes
    WHEN the digest is built and sent
    THEN each programme has its section (headed by its title) with its own units and reports counted,
    targets only for the plan, its charts, its workbook and its drafts; the sheet is listed for staff."""
    env = write_two_programme_config(tmp_path / "robot", mailbox, smtp_server)
    config = env.config
    plan, drugs = config.programme("default"), config.programme(DRUGS)
    school, other = [u for u in config.units if u.type == "thpt"][:2]
    _file_reports(env, mailbox, school, other)
    smtp_server.clear()

    out = tmp_path / "digest"
    result = env.cli("digest", "--now", NOW, "--out", str(out))
    assert result.exit_code == 0, result.output
    printed = result.output.split(f"{drugs.programme_title}:\n")[1]
    assert (f"  Báo cáo công tác phòng, chống ma túy tháng 11/2026: phải nộp {len(drugs.units)}, đã nộp đủ 1, "
            f"đúng hạn 1, chưa nộp {len(drugs.units) - 1}\n") in printed
    html = (out / "digest.html").read_text(encoding="utf-8")
    plan_part, drugs_part = html.split(f"<h2>{plan.programme_title}</h2>")[1].split(f"<h2>{drugs.programme_title}</h2>")
    drugs_part = drugs_part.split("<h2>Thư để cán bộ xem")[0]
    assert len(drugs.units) < len(plan.units), "only Phòng GD&ĐT, THPT and the college report drugs"
    assert "<h3>Báo cáo năm 2026 — hạn chót trước ngày 01/12/2026 (đã hết hạn)</h3>" in plan_part
    assert f"Phải nộp: <b>{len(plan.units)}</b> đơn vị ·\nĐã nộp đủ: <b>1</b>" in plan_part
    assert "CT2: HSSV được TT" in plan_part and "CT2" not in drugs_part
    november = drugs_part.split("tháng 11/2026 — hạn chót trước ngày 18/11/2026 (đã hết hạn)</h3>")[1]
    assert f"Phải nộp: <b>{len(drugs.units)}</b> đơn vị ·\nĐã nộp đủ: <b>1</b>" in november.split("<h3>")[0]
    october = drugs_part.split("tháng 10/2026")[1].split("<h3>")[0]
    assert "Đã nộp đủ: <b>0</b>" in october
    assert config.unit_types["dai_hoc"] in plan_part and config.unit_types["dai_hoc"] not in drugs_part

    ambiguous = html.split("Báo cáo hợp với nhiều chương trình (cán bộ chọn) (1)")[1].split("</table>")[0]
    assert other.emails[0] in ambiguous and "Gửi báo cáo số liệu" in ambiguous
    assert f"Hợp với: {plan.programme_title}; {drugs.programme_title}<br>Tệp: so-lieu.xlsx" in ambiguous

    plan_book = openpyxl.load_workbook(out / "tong-hop-default-2026-12-02.xlsx")
    drugs_book = openpyxl.load_workbook(out / f"tong-hop-{DRUGS}-2026-12-02.xlsx")
    assert plan_book.sheetnames == ["Tổng hợp", "annual-2026", "semiannual-2027"]
    assert drugs_book.sheetnames == ["Tổng hợp", "monthly-2026-10", "monthly-2026-11", "monthly-2026-12"]
    rows = _by_header(drugs_book["monthly-2026-11"])
    assert {r["Mã"] for r in rows} == {u.code for u in drugs.units}
    filed = next(r for r in rows if r["Mã"] == school.code)
    assert (filed["Trạng thái"], filed["02. Số buổi tuyên truyền, giáo dục phòng, chống ma túy trong tháng"]) == (
        "Đã nộp đủ", 4)
    total = next(r for r in _by_header(drugs_book["Tổng hợp"])
                 if r["Kỳ báo cáo"].endswith("tháng 11/2026") and r["Loại đơn vị"] == "Tổng cộng")
    assert (total["Phải nộp"], total["Đã nộp đủ"], total["Nộp đủ đúng hạn"]) == (len(drugs.units), 1, 1)
    assert not any(str(c.value).startswith("CT") for c in drugs_book["Tổng hợp"][1])
    plan_rows = _by_header(plan_book["annual-2026"])
    assert next(r for r in plan_rows if r["Mã"] == school.code)["Trạng thái"] == "Đã nộp đủ"
    assert len(plan_rows) == len(plan.units)

    draft = docx.Document(out / f"du-thao-bao-cao-{DRUGS}-monthly-2026-11.docx")
    text = "\n".join(p.text for p in draft.paragraphs)
    assert "Kết quả thực hiện Công tác phòng, chống ma túy trong trường học — " in text
    assert "02. Số buổi tuyên truyền, giáo dục phòng, chống ma túy trong tháng: 4 (trên 1 đơn vị đã nộp đủ)." in text
    assert "01. Đơn vị đã ban hành kế hoạch phòng, chống ma túy năm học: 1 đơn vị (trên 1 đơn vị đã nộp đủ)." in text
    assert "Lao động" not in text and "CHỈ TIÊU" not in text
    plan_draft = "\n".join(p.text for p in docx.Document(out / "du-thao-bao-cao-default-annual-2026.docx").paragraphs)
    assert "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỤ THỂ" in plan_draft

    (sent,) = smtp_server.wait_for(1)
    message = sent.parsed
    assert message["X-Report-Robot"] == "digest"
    body = message.get_body(("html",)).get_content()
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    cids = {image["Content-ID"].strip("<>") for image in images}
    assert cids == {"chart-default-annual-2026@report-robot", "chart-default-semiannual-2027@report-robot",
                    f"chart-{DRUGS}-monthly-2026-11@report-robot", f"chart-{DRUGS}-monthly-2026-12@report-robot"}
    assert all(f'src="cid:{cid}"' in body for cid in cids)
    attached = {p.get_filename() for p in message.iter_attachments()}
    assert {f"du-thao-bao-cao-{DRUGS}-monthly-2026-11.docx", "du-thao-bao-cao-default-annual-2026.docx",
            "tong-hop-default-2026-12-02.xlsx", f"tong-hop-{DRUGS}-2026-12-02.xlsx"} <= attached
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert f"\n{drugs.programme_title}\n{'=' * len(drugs.programme_title)}\n" in plain
    assert "Chỉ tiêu 2" in plain.split(drugs.programme_title)[0] and "Chỉ tiêu 2" not in plain.split(
        drugs.programme_title)[1]
    assert "Thư để cán bộ xem (7 ngày qua): 1 báo cáo hợp với nhiều chương trình (cán bộ chọn), " in plain

    only = tmp_path / "only-drugs"
    result = env.cli("digest", "--now", NOW, "--programme", DRUGS, "--dry-run", "--out", str(only))
    assert result.exit_code == 0, result.output
    assert "Báo cáo năm 2026" not in result.output and "tháng 11/2026: phải nộp" in result.output
    html = (only / "digest.html").read_text(encoding="utf-8")
    assert f"<h2>{drugs.programme_title}</h2>" in html and f"<h2>{plan.programme_title}</h2>" not in html
    assert not any(p.name.startswith(("tong-hop-default", "du-thao-bao-cao-default")) for p in only.iterdir())


def test_programmes_sharing_a_period_id_count_only_their_own_reports(tmp_path, mailbox, smtp_server):
    """GIVEN the drug programme also has an annual report, so both programmes have annual-2026,
    and a school filed only the plan's annual report
    WHEN the digest is built THEN the plan's annual-2026 counts it and the drug programme's does not."""
    programmes = example_programmes()
    programmes[0]["reports"].append({"id": "annual", "title": "Báo cáo năm về phòng, chống ma túy",
                                     "due": "12-01", "first_year": 2026})
    env = write_config(tmp_path / "robot", mailbox, smtp_server, programmes=programmes)
    config = env.config
    school = next(u for u in config.units if u.type == "thpt")
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026 công tác PCMD",
                        [("bc.xlsx", filled_xlsx(config.programme("default").schema(), school.type, COMPLETE))]),
                   internaldate=local(2026, 11, 25, 9, 0))
    assert env.cli("poll", "--now", "2026-11-26T10:00:00+07:00").exit_code == 0

    out = tmp_path / "digest"
    result = env.cli("digest", "--now", NOW, "--dry-run", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "  Báo cáo năm 2026: phải nộp 45, đã nộp đủ 1" in result.output
    drugs = config.programme(DRUGS)
    assert f"  Báo cáo năm về phòng, chống ma túy 2026: phải nộp {len(drugs.units)}, đã nộp đủ 0" in result.output
    rows = _by_header(openpyxl.load_workbook(out / f"tong-hop-{DRUGS}-2026-12-02.xlsx")["annual-2026"])
    assert next(r for r in rows if r["Mã"] == school.code)["Trạng thái"] == "Chưa nộp"


def test_unknown_programme_is_refused_naming_the_known_ones(tmp_path, mailbox, smtp_server):
    env = write_two_programme_config(tmp_path / "robot", mailbox, smtp_server)
    result = env.cli("digest", "--now", NOW, "--dry-run", "--programme", "an_toan_truong_hoc")
    assert result.exit_code == 2
    assert f"Không có chương trình báo cáo 'an_toan_truong_hoc' (có: default, {DRUGS})" in result.stderr
