"""Scanned reports through `robot poll` on Dovecot: a school that sends only the scan of its signed,
stamped paper — a scanner's PDF, or a phone photo as .jpg — gets an acknowledgement with the
figures read from it, or a notice naming exactly the figures that could not be read for certain."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest
from PIL import Image, ImageDraw

from parsers.ocr.available import ocr_available
from tests.corpus.scans import degrade
from tests.corpus.scans.cases import CASES, build
from tests.corpus.scans.documents import SCHOOL_VALUES
from tests.corpus.scans.paper import report_page
from tests.robotenv import local, mail, parsed, text_of

pytestmark = pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr-vie is not installed")

NOW = "2026-05-20T10:00:00+07:00"
RECEIVED = local(2026, 5, 20, 9, 0)
PERIOD = "semiannual-2026"
SUBJECT = "V/v gửi báo cáo công tác phòng, chống mại dâm 6 tháng đầu năm 2026 (bản scan có dấu)"
UNSURE = "không đọc được chắc chắn từ bản quét"
# A school's own table, as its clerk typed it before printing, signing and photographing it.
PHOTOGRAPHED_ROWS = [
    ("01", "Ban hành kế hoạch thực hiện công tác phòng, chống mại dâm năm học 2025 - 2026", "Đã ban hành"),
    ("02", "Củng cố, kiện toàn Ban Chỉ đạo phòng, chống tệ nạn xã hội", "Có"),
    ("03", "Số hình thức tuyên truyền đã thực hiện (pa nô, áp phích, sinh hoạt dưới cờ)", "05"),
    ("04", "Số buổi tuyên truyền, ngoại khóa đã tổ chức", "14"),
    ("05", "Số lượt học sinh được tuyên truyền, giáo dục", "1.318"),
    ("06", "Tổng số học sinh toàn trường", "1.406"),
    ("07", "Số lượt cán bộ, giáo viên, nhân viên được tuyên truyền", "92"),
    ("08", "Lồng ghép với phòng, chống ma túy, mua bán người, HIV/AIDS", "Có"),
    ("09", "Số cán bộ quản lý, giáo viên dự tập huấn, bồi dưỡng nghiệp vụ", "6"),
    ("11", "Số vụ việc vi phạm liên quan đến mại dâm phát hiện trong kỳ", "0"),
    ("12", "Số vụ việc vi phạm đã xử lý", "0"),
]


def scan_mail(sender: str, filename: str, data: bytes, content_type: str) -> bytes:
    """A clerk's mail with only the scan attached, under the type her mail client gives it."""
    message = parsed(mail(sender, SUBJECT, [], body="Kính gửi Phòng Giáo dục Trung học,\nTrường gửi bản scan "
                                                    "báo cáo đã ký, đóng dấu.\nTrân trọng."))
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def poll(env, mailbox, smtp_server, unit, filename: str, data: bytes, content_type: str):
    mailbox.append(scan_mail(unit.emails[0], filename, data, content_type), internaldate=RECEIVED)
    assert env.cli("poll", "--now", NOW).exit_code == 0
    (reply,) = smtp_server.wait_for(1)
    assert reply.rcpt_tos == [unit.emails[0]]
    rows = json.loads(env.cli("status", "--period", PERIOD, "--now", NOW, "--json").stdout)
    return reply.parsed, next(r for r in rows if r["unit_code"] == unit.code)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                    reason="the scan corpus needs LibreOffice and poppler-utils")
def test_a_scanned_pdf_under_a_red_seal_is_acknowledged_with_its_figures(robot_env, mailbox, smtp_server):
    """GIVEN the robot's Word template filled in, printed, stamped with the school's red seal and
    scanned to PDF at 200 dpi, from the school's registered address WHEN polled THEN an
    acknowledgement saying the figures were read from the scan, listing them, and the report
    filed complete with every figure on the paper."""
    case = next(c for c in CASES if c.name == "scan-mau-truong-200dpi-dau-do.pdf")
    unit = robot_env.config.unit_by_code("THPT-LEQUYDON")

    reply, row = poll(robot_env, mailbox, smtp_server, unit, "BC PCMD 6 thang (scan).pdf",
                      (build() / case.name).read_bytes(), "application/pdf")

    text = text_of(reply)
    assert reply["X-Report-Robot"] == "ack", text
    assert "đọc tự động từ bản quét" in text
    assert "05 — Số học sinh, sinh viên được tuyên truyền: 1.250" in text
    assert "06 — Tổng số học sinh, sinh viên của đơn vị: 1.432" in text
    assert row["state"] == "complete"
    assert row["values"] == SCHOOL_VALUES


def test_a_phone_photo_with_a_blotted_figure_gets_a_notice_naming_only_it(robot_env, mailbox, smtp_server, school):
    """GIVEN a phone photo (.jpg) of a school's own report where a blot of ink covers the figure
    of 05 WHEN polled THEN an incomplete notice naming 05 alone as not read for certain from the
    scan, telling the school it may answer with just that line, and the other figures filed."""
    page = report_page(PHOTOGRAPHED_ROWS, unit=school.name)
    picture = Image.fromarray(page)
    draw = ImageDraw.Draw(picture)
    x, y = _figure_spot(page, "1.318")
    draw.ellipse((x + 15, y - 10, x + 75, y + 45), fill=(35, 30, 60))
    rng = np.random.default_rng(11)
    photo = degrade.jpeg(degrade.noise(degrade.photo(np.asarray(picture), rng), rng), 85)
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, format="JPEG", quality=90)

    reply, row = poll(robot_env, mailbox, smtp_server, school, "IMG_20260520_084512.jpg", buffer.getvalue(),
                      "image/jpeg")

    text = text_of(reply)
    assert reply["X-Report-Robot"] == "incomplete", text
    assert reply["X-Report-Robot-Fields"] == "so_hssv_duoc_tt"
    assert f"05 — Số học sinh, sinh viên được tuyên truyền: {UNSURE}" in text
    assert text.count(UNSURE) == 2  # the figure, and the hint on answering with just its line
    assert "“05: 755”" in text
    assert row["state"] == "incomplete"
    assert row["invalid"] == ["so_hssv_duoc_tt"] and row["missing"] == []
    assert row["values"]["tong_so_hssv"] == 1406 and row["values"]["so_buoi_tt"] == 14
    assert "so_hssv_duoc_tt" not in row["values"]


def _figure_spot(page: np.ndarray, figure: str) -> tuple[int, int]:
    """Where a figure is drawn on the page, as Tesseract finds it."""
    from parsers.ocr.engine import read_words

    word = next(w for w in read_words(page[..., 0], psm=6, timeout=30) if w.text == figure)
    return word.box.x, word.box.y
