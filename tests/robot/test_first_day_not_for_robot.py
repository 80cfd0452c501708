"""Mail from a registered unit that is not its report: left for people, never answered or filed.

Issue 10, finding 3: the department's mailbox is an ordinary office mailbox. A school's invitation
PDF was answered "unreadable", a question "no attachment", and a drug-prevention report sharing
some rows with ours was half-filed as the school's report.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from sqlmodel import select

from store.db import session
from store.tables import Message, Submission
from tests.realmail import File, Person, gmail, outlook
from tests.robotenv import local

RECEIVED = local(2026, 11, 12, 14, 5)
NOW = "2026-11-12T15:00:00+07:00"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def invitation_pdf(school_name: str) -> bytes:
    """A "Giấy mời họp" printed to PDF from Word: a text layer in the administrative layout."""
    pdf = FPDF()
    pdf.set_title("Giấy mời họp")
    pdf.set_author(school_name)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_font("DejaVu", style="B", fname=str(FONT_BOLD))
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(90, 6, f"SỞ GD&ĐT LONG AN\n{school_name.upper()}\nSố: 112/GM-THPT", align="C",
                   new_x="RIGHT", new_y="TOP")
    pdf.multi_cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                         "Long An, ngày 10 tháng 11 năm 2026", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", style="B", size=14)
    pdf.cell(0, 8, "GIẤY MỜI HỌP", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 7, "Họp mặt kỷ niệm 44 năm Ngày Nhà giáo Việt Nam (20/11/1982 - 20/11/2026)",
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in (
        "Kính gửi: Lãnh đạo Phòng Giáo dục Trung học - Sở Giáo dục và Đào tạo Long An.",
        f"{school_name} trân trọng kính mời Lãnh đạo Phòng đến dự buổi họp mặt kỷ niệm 44 năm "
        "Ngày Nhà giáo Việt Nam và tuyên dương giáo viên, học sinh tiêu biểu năm học 2025-2026.",
        "- Thời gian: 07 giờ 30 phút, thứ Sáu, ngày 20 tháng 11 năm 2026.",
        "- Địa điểm: Hội trường nhà trường.",
        "Sự hiện diện của quý Lãnh đạo là niềm vinh dự của thầy và trò nhà trường.",
        "Trân trọng kính mời./.",
    ):
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", style="B", size=12)
    pdf.cell(0, 7, "HIỆU TRƯỞNG", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _administrative_header(document, school_name: str, number: str) -> None:
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = f"SỞ GD&ĐT LONG AN\n{school_name.upper()}\nSố: {number}"
    header.cell(0, 1).text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                              "Long An, ngày 11 tháng 11 năm 2026")


def _table(document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sports_plan_docx(school_name: str) -> bytes:
    """Another plan: "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường", with its schedule table."""
    document = docx.Document()
    document.core_properties.title = "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường"
    _administrative_header(document, school_name, "215/KH-THPT")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Tổ chức Hội khỏe Phù Đổng cấp trường năm học 2026-2027")
    document.add_paragraph("Căn cứ Kế hoạch số 2418/KH-SGDĐT ngày 05/9/2026 của Sở GD&ĐT Long An về tổ chức "
                           "Hội khỏe Phù Đổng tỉnh Long An lần thứ XII năm 2027;")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("1. Đẩy mạnh phong trào rèn luyện thân thể theo gương Bác Hồ vĩ đại, nâng cao "
                           "sức khỏe cho học sinh.")
    document.add_paragraph("2. Tuyển chọn vận động viên tham dự Hội khỏe Phù Đổng cấp tỉnh.")
    document.add_paragraph("II. NỘI DUNG, THỜI GIAN, ĐỊA ĐIỂM")
    _table(document, [
        ("TT", "Môn thi đấu", "Thời gian", "Địa điểm", "Số vận động viên"),
        ("1", "Điền kinh", "14/12/2026", "Sân trường", "120"),
        ("2", "Bóng đá nam", "15-18/12/2026", "Sân bóng xã Bình Tâm", "96"),
        ("3", "Bóng chuyền", "19/12/2026", "Nhà thi đấu đa năng", "48"),
        ("4", "Cờ vua", "20/12/2026", "Phòng học bộ môn", "24"),
    ])
    document.add_paragraph("III. KINH PHÍ")
    document.add_paragraph("Tổng kinh phí dự kiến: 45.000.000 đồng, từ nguồn ngân sách chi thường xuyên.")
    document.add_paragraph("IV. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Giao tổ Thể dục - Quốc phòng chủ trì, phối hợp Đoàn trường triển khai.")
    document.add_paragraph("HIỆU TRƯỞNG")
    return _saved(document)


def drug_prevention_report_docx(school_name: str) -> bytes:
    """Another report: "Báo cáo công tác phòng, chống ma túy", with rows in common with ours
    (số buổi tuyên truyền, số học sinh được tuyên truyền, số vụ vi phạm, khó khăn, kiến nghị)."""
    document = docx.Document()
    document.core_properties.title = "Báo cáo công tác phòng, chống ma túy học kỳ I"
    _administrative_header(document, school_name, "168/BC-THPT")
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Kết quả công tác phòng, chống ma túy học kỳ I, năm học 2026-2027")
    document.add_paragraph("Thực hiện Công văn số 1987/SGDĐT-CTTT ngày 02/10/2026 của Sở GD&ĐT về việc báo cáo "
                           "công tác phòng, chống ma túy trong trường học, nhà trường báo cáo như sau:")
    document.add_paragraph("I. CÔNG TÁC TUYÊN TRUYỀN, GIÁO DỤC")
    _table(document, [
        ("STT", "Nội dung", "Số liệu"),
        ("1", "Số buổi tuyên truyền", "8"),
        ("2", "Số học sinh được tuyên truyền", "1.150"),
        ("3", "Số CB-GV-NV được tuyên truyền", "82"),
        ("4", "Số buổi ngoại khóa về phòng, chống ma túy", "2"),
        ("5", "Số học sinh dự cuộc thi tìm hiểu về tác hại của ma túy", "640"),
    ])
    document.add_paragraph("II. CÔNG TÁC PHÁT HIỆN, XỬ LÝ")
    _table(document, [
        ("STT", "Nội dung", "Số liệu"),
        ("1", "Số học sinh nghi vấn sử dụng trái phép chất ma túy", "0"),
        ("2", "Số vụ vi phạm được phát hiện", "0"),
        ("3", "Số vụ đã xử lý", "0"),
    ])
    document.add_paragraph("III. KHÓ KHĂN, VƯỚNG MẮC")
    document.add_paragraph("Tài liệu tuyên truyền về ma túy tổng hợp, thuốc lá điện tử còn ít.")
    document.add_paragraph("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    document.add_paragraph("Đề nghị Sở tổ chức tập huấn kỹ năng nhận biết ma túy tổng hợp cho giáo viên chủ nhiệm.")
    document.add_paragraph("HIỆU TRƯỞNG")
    return _saved(document)


def _invitation(school) -> tuple[bytes, str]:
    subject = "Giấy mời họp mặt kỷ niệm Ngày Nhà giáo Việt Nam 20/11"
    text = (f"Kính gửi Lãnh đạo Phòng Giáo dục Trung học,\n{school.name} trân trọng gửi giấy mời "
            "(đính kèm).\nTrân trọng.")
    return outlook(_clerk(school), subject, text, sent=RECEIVED,
                   files=[File("Giay moi 20-11-2026.pdf", invitation_pdf(school.name))]), subject


def _sports_plan(school) -> tuple[bytes, str]:
    subject = "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường năm học 2026-2027"
    text = f"Kính gửi Sở,\n{school.name} gửi Sở kế hoạch tổ chức Hội khỏe Phù Đổng cấp trường để báo cáo.\nTrân trọng."
    return outlook(_clerk(school), subject, text, sent=RECEIVED,
                   files=[File("KH HKPĐ 2026-2027.docx", sports_plan_docx(school.name))]), subject


def _drug_report(school) -> tuple[bytes, str]:
    subject = "Báo cáo công tác phòng, chống ma túy học kỳ I năm học 2026-2027"
    text = "Dạ em gửi Sở báo cáo công tác phòng, chống ma túy HKI của trường ạ.\nEm cảm ơn."
    return gmail(_clerk(school), subject, text, sent=RECEIVED,
                 files=[File("BC PCMT HKI 2026-2027.docx", drug_prevention_report_docx(school.name))]), subject


def _question(school) -> tuple[bytes, str]:
    subject = "Cho em hỏi hạn nộp báo cáo thi đua khen thưởng năm học 2025-2026"
    text = ("Dạ em chào anh chị Phòng Giáo dục Trung học,\nCho em hỏi hạn nộp báo cáo tổng kết thi đua, "
            "khen thưởng năm học 2025-2026 là ngày nào ạ? Trường em nộp bản giấy hay gửi qua thư điện tử ạ?\n"
            "Em cảm ơn anh chị.\n\n--\nNguyễn Thị Lan\nVăn thư")
    return gmail(_clerk(school), subject, text, sent=RECEIVED), subject


def _newsletter(school) -> tuple[bytes, str]:
    subject = "Bản tin Đoàn trường số 11 - tháng 11/2026"
    text = ("BẢN TIN ĐOÀN TRƯỜNG - SỐ 11\n\n"
            "1. Hội thi \"Nét đẹp nhà giáo\" chào mừng Ngày Nhà giáo Việt Nam 20/11: 24 chi đoàn tham gia.\n"
            "2. Giải bóng đá học sinh khối 11: chi đoàn 11A3 vô địch.\n"
            "3. Chương trình \"Áo ấm mùa đông\": quyên góp 312 áo ấm gửi học sinh vùng khó khăn.\n\n"
            "Mọi ý kiến đóng góp xin gửi về Ban Chấp hành Đoàn trường.")
    return outlook(Person(f"Đoàn trường - {school.name}", school.emails[0]), subject, text, sent=RECEIVED), subject


NOT_THE_REPORT = {
    "invitation-pdf": _invitation,
    "sports-plan-docx": _sports_plan,
    "drug-prevention-report-docx": _drug_report,
    "question-without-attachment": _question,
    "newsletter": _newsletter,
}


def _clerk(school) -> Person:
    return Person("Nguyễn Thị Lan", school.emails[0])


def _status_text(robot_env) -> str:
    """`robot status` as staff read it at a wide terminal (no wrapping inside table cells)."""
    process = robot_env.subprocess("status", "--now", NOW, env={**os.environ, "COLUMNS": "400"})
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.mark.parametrize("kind", NOT_THE_REPORT)
def test_registered_units_other_mail_is_left_for_staff(robot_env, mailbox, smtp_server, school, kind):
    """GIVEN a robot that has made first contact with the mailbox
    WHEN a registered school sends mail that is not its report (an invitation PDF, another plan,
    another report sharing some of our rows, a question without attachment, a newsletter)
    THEN nothing is sent and nothing is filed for the school; the mail is recorded
    "not-for-robot" and `robot status` lists it for staff with its sender and subject."""
    raw, subject = NOT_THE_REPORT[kind](school)
    assert robot_env.cli("poll", "--now", "2026-11-12T08:00:00+07:00").exit_code == 0  # first contact
    mailbox.append(raw, internaldate=RECEIVED)

    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    sent = [m.parsed["Subject"] for m in smtp_server.messages]
    assert sent == []
    with session(robot_env.engine()) as db:
        (message,) = db.exec(select(Message)).all()
        submissions = db.exec(select(Submission).where(Submission.unit_code == school.code)).all()
    assert message.outcome == "not-for-robot", message.detail
    assert submissions == []
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--now", NOW, "--json").stdout)
    assert next(r for r in rows if r["unit_code"] == school.code)["state"] == "missing"
    listing = _status_text(robot_env)
    assert school.emails[0] in listing
    assert subject[:40] in listing
