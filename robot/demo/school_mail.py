"""About twenty mails such as units really send, for the last closed and the open period.

Complete templates (.xlsx, .docx), a late one, an incomplete one and its corrected resubmission,
an edited template, an old .xls, a Word report with prose figures, a consistency breach, a phone
photo of the signed paper (read by OCR) and one too blurred to read, a forgotten attachment, an unknown sender and an out-of-office auto-reply; and what an
office mailbox holds besides: an invitation from a school, and a school thanking the robot for
its acknowledgement (an Outlook reply quoting it).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

import matplotlib
from docx import Document
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from mailer.compose import SMTP_POLICY
from parsers import template_text as text
from robot.config import Config, Unit
from robot.demo import forms
from robot.demo.figures import report_values
from robot.periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS = "application/vnd.ms-excel"
JPEG = "image/jpeg"
_DPI = 200  # the page as a phone photographs it: about 200 pixels per inch of paper
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu, with every Vietnamese letter
_COLUMNS = (0.6, 4.6, 1.4)  # inches: Mã số, Chỉ tiêu, Số liệu


@dataclass(frozen=True)
class SeedMail:
    """One mail put into the demo mailbox: what it shows, who sent it, when the server got it."""

    scenario: str
    sender: str
    received: dt.datetime
    raw: bytes


Writer = Callable[..., bytes]


class _Units:
    """Registered units of the config by type, handed out one at a time so each tells its own story."""

    def __init__(self, config: Config, period: Period) -> None:
        self._free = [u for u in config.units if u.active_on(period.due_day)]

    def take(self, *types: str) -> Unit:
        unit = next((u for u in self._free if u.type in types), None) or self._free[0]
        self._free.remove(unit)
        return unit


def school_mail(config: Config, closed: Period, current: Period, now: dt.datetime) -> list[SeedMail]:
    """The demo's mailbox: reports for ``closed`` (before and after its deadline) and ``current`` (up to ``now``)."""
    return _closed_period_mail(config, closed) + _current_period_mail(config, current, now)


def _closed_period_mail(config: Config, period: Period) -> list[SeedMail]:
    units = _Units(config, period)

    def before(days: int, hour: int = 9) -> dt.datetime:
        return period.deadline - dt.timedelta(days=days) + dt.timedelta(hours=hour)

    resubmitting = units.take("thpt")
    return [
        _report(config, period, units.take("thpt"), before(12), "Mẫu Excel của Sở, điền đủ, đúng hạn",
                forms.filled_xlsx, "xlsx"),
        _report(config, period, units.take("thpt"), before(5, 14), "Mẫu Word của Sở, điền đủ, đúng hạn",
                forms.filled_docx, "docx"),
        _report(config, period, units.take("phong_gddt"), before(3, 16), "Phòng GD&ĐT nộp mẫu Excel",
                forms.filled_xlsx, "xlsx"),
        _report(config, period, units.take("cao_dang_su_pham"), before(2, 10), "Tệp Excel cũ (.xls)",
                _xls, "xls"),
        _report(config, period, units.take("dai_hoc"), before(1, 15), "Mẫu do đơn vị tự gõ lại (nhãn viết tắt, "
                "thêm cột, số viết \"1.250\")", forms.edited_xlsx, "xlsx"),
        _report(config, period, resubmitting, before(8, 11), "Thiếu hai chỉ tiêu bắt buộc",
                forms.filled_xlsx, "xlsx", drop=2),
        _report(config, period, resubmitting, before(6, 8), "Gửi lại bản đủ sau thư báo thiếu (lần 2)",
                forms.filled_xlsx, "xlsx"),
        _report(config, period, units.take("thpt"), before(-3, 10), "Nộp sau hạn chót (muộn)",
                forms.filled_xlsx, "xlsx"),
    ]


def _current_period_mail(config: Config, period: Period, now: dt.datetime) -> list[SeedMail]:
    units = _Units(config, period)

    def ago(days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
        """``days`` before ``now``, at an office hour (never after ``now``)."""
        day = now.astimezone(config.tz).date() - dt.timedelta(days=days)
        return min(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=config.tz), now - dt.timedelta(minutes=5))

    early = units.take("thpt")
    named_by_stranger = units.take("thpt")
    return [
        _report(config, period, early, ago(14, 10, 12), "Mẫu Excel của Sở, điền đủ", forms.filled_xlsx, "xlsx"),
        _report(config, period, units.take("thpt"), ago(6, 15, 40), "Báo cáo Word theo thể thức Nghị định 30, "
                "số liệu viết trong lời văn", _prose, "docx"),
        _report(config, period, units.take("phong_gddt"), ago(5, 8, 5), "Phòng GD&ĐT nộp mẫu Word",
                forms.filled_docx, "docx"),
        _report(config, period, units.take("phong_gddt"), ago(4, 16, 20), "Số liệu mâu thuẫn giữa hai chỉ tiêu",
                forms.filled_xlsx, "xlsx", breach=True),
        _report(config, period, units.take("dai_hoc"), ago(3, 9, 45), "Mẫu do đơn vị tự gõ lại",
                forms.edited_xlsx, "xlsx"),
        _report(config, period, units.take("don_vi_truc_thuoc"), ago(3, 14, 10), "Tệp Excel cũ (.xls)", _xls, "xls"),
        _photo(config, period, units.take("thpt"), ago(2, 10, 30)),
        _photo(config, period, units.take("thpt"), ago(2, 11, 5), shaken=True),
        _no_attachment(config, period, units.take("thpt"), ago(2, 16, 55)),
        _stranger(config, period, named_by_stranger, ago(1, 21, 15)),
        _auto_reply(config, units.take("thpt"), ago(1, 11, 2)),
        _invitation(config, units.take("thpt"), ago(1, 14, 0)),
        _report(config, period, units.take("cao_dang_su_pham"), ago(1, 15, 30), "Mẫu Excel của Sở, điền đủ",
                forms.filled_xlsx, "xlsx"),
        _report(config, period, units.take("thpt"), ago(0, 7, 50), "Mẫu Word của Sở, điền đủ",
                forms.filled_docx, "docx"),
    ]


def _report(config: Config, period: Period, unit: Unit, received: dt.datetime, scenario: str,
            writer: Writer, extension: str, *, drop: int = 0, breach: bool = False) -> SeedMail:
    values = report_values(config, unit, period.id)
    if drop:
        required = [f.key for f in config.schema().for_unit_type(unit.type) if f.required]
        for key in required[1::3][:drop]:
            values.pop(key)
    if breach:
        rule = next(r for r in reversed(config.rules) if r.left in values and r.right in values)
        values[rule.left] = int(values[rule.right]) + 5
    data = writer(config.schema(), unit.type, values, unit.name, period.title)
    kind = {"xlsx": XLSX, "docx": DOCX, "xls": XLS}[extension]
    filename = f"bao-cao-{period.id}-{unit.code.lower()}.{extension}"
    return SeedMail(scenario, unit.emails[0], received, _mail(
        config, unit.emails[0], unit.name, _subject(period, unit.name), received,
        body=f"Kính gửi Phòng Giáo dục Trung học,\n{unit.name} gửi {period.title.lower()}.\nTrân trọng.\n",
        attachments=[(filename, kind, data)]))


def _subject(period: Period, unit_name: str) -> str:
    """How units title the mail: the report, the programme (the config's keywords), the unit."""
    return f"{period.title} công tác phòng, chống mại dâm - {unit_name}"


def _xls(schema, unit_type: str, values: dict, unit_name: str, period: str) -> bytes:
    return forms.as_xls(forms.filled_xlsx(schema, unit_type, values, unit_name, period))


def _prose(schema, unit_type: str, values: dict, unit_name: str, period: str) -> bytes:
    return forms.prose_docx(schema, unit_type, values, unit_name, period, issuer=text.issuer(schema))


def _photo(config: Config, period: Period, unit: Unit, received: dt.datetime, *, shaken: bool = False) -> SeedMail:
    """A phone photo of the signed, stamped paper form; ``shaken``: blurred past reading."""
    values = report_values(config, unit, period.id)
    picture = _photographed(config.schema().for_unit_type(unit.type), values, unit.name, period.title, shaken)
    scenario = ("Ảnh chụp bị rung, mờ (không đọc được số liệu)" if shaken
                else "Chỉ gửi ảnh chụp bản giấy đã ký, đóng dấu (số liệu đọc bằng OCR nếu máy có Tesseract)")
    return SeedMail(scenario, unit.emails[0], received, _mail(
        config, unit.emails[0], unit.name, _subject(period, unit.name) + " (bản scan)", received,
        body="Kính gửi Sở,\nTrường gửi bản chụp báo cáo đã ký.\n",
        attachments=[(f"IMG_{received:%Y%m%d_%H%M%S}.jpg", JPEG, picture)]))


def _photographed(fields, values: dict, unit_name: str, period_title: str, shaken: bool) -> bytes:
    """The template printed, filled in, signed and stamped, then photographed on a desk."""
    font = lambda size, bold=False: ImageFont.truetype(  # noqa: E731
        str(_FONTS / ("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf")), int(size / 72 * _DPI))
    page = Image.new("RGB", (int(8.27 * _DPI), int(11.69 * _DPI)), "white")
    draw = ImageDraw.Draw(page)
    line, x, y = int(0.25 * _DPI), int(1.0 * _DPI), int(0.8 * _DPI)
    for words, bold in ((unit_name.upper(), True), (text.DOCUMENT_TYPE, True), (f"{text.UNIT_LABEL} {unit_name}", False),
                        (f"{text.PERIOD_LABEL} {period_title}", False)):
        draw.text((x, y), words, font=font(12, bold), fill="black")
        y += line
    edges = [x]
    for inches in _COLUMNS:
        edges.append(edges[-1] + int(inches * _DPI))
    rows = [(text.CODE_HEADING, text.LABEL_HEADING, text.VALUE_HEADING)] + [
        (spec.code, spec.label, str(forms.as_written(values[spec.key]))) for spec in fields
        if spec.key in values and spec.type != "text"]
    top = y = y + line // 2
    for number, cells in enumerate(rows):
        face = font(12, number == 0)
        wrapped = [textwrap.wrap(cell, int((inches * _DPI - 30) / face.getlength("n"))) or [""]
                   for cell, inches in zip(cells, _COLUMNS)]
        for column, lines in enumerate(wrapped):
            for index, words in enumerate(lines):
                draw.text((edges[column] + 12, y + 8 + index * line), words, font=face, fill="black")
        draw.line((edges[0], y, edges[-1], y), fill="black", width=3)
        y += max(len(lines) for lines in wrapped) * line + 16
    draw.line((edges[0], y, edges[-1], y), fill="black", width=3)
    for edge in edges:
        draw.line((edge, top, edge, y), fill="black", width=3)
    draw.text((edges[2], y + line), text.SIGNER, font=font(12, True), fill="black")
    seal = (edges[2] - 40, y + line // 2, edges[2] + 2 * line + 80, y + 3 * line + 40)
    draw.ellipse(seal, outline=(200, 40, 50), width=8)  # the unit's red seal over the signature
    desk = Image.new("RGB", (page.width + 300, page.height + 300), (120, 94, 72))
    desk.paste(page.rotate(1.5, expand=True, fillcolor=(120, 94, 72)), (120, 110))
    if shaken:
        desk = desk.filter(ImageFilter.GaussianBlur(9))
    buffer = io.BytesIO()
    desk.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _no_attachment(config: Config, period: Period, unit: Unit, received: dt.datetime) -> SeedMail:
    return SeedMail("Quên đính kèm tệp", unit.emails[0], received, _mail(
        config, unit.emails[0], unit.name, _subject(period, unit.name), received,
        body="Kính gửi Sở,\nTrường xin gửi báo cáo theo yêu cầu.\nTrân trọng.\n"))


def _stranger(config: Config, period: Period, named: Unit, received: dt.datetime) -> SeedMail:
    """A clerk writing from a personal address: the document names a registered unit."""
    sender = "vanthu.truonghoc.2024@gmail.com"
    data = forms.filled_xlsx(config.schema(), named.type, report_values(config, named, period.id),
                             named.name, period.title)
    return SeedMail(f"Địa chỉ chưa đăng ký (ghi tên {named.name})", sender, received, _mail(
        config, sender, "Văn thư", _subject(period, named.name), received,
        body=f"Em gửi báo cáo của {named.name} ạ.\n",
        attachments=[(f"bao-cao-{named.code.lower()}.xlsx", XLSX, data)]))


def _auto_reply(config: Config, unit: Unit, received: dt.datetime) -> SeedMail:
    return SeedMail("Thư trả lời tự động (vắng mặt)", unit.emails[0], received, _mail(
        config, unit.emails[0], unit.name, "Trả lời tự động: Tôi đang nghỉ phép", received,
        body="Tôi đang nghỉ phép đến hết tuần, sẽ trả lời thư khi trở lại.\n",
        headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"}))


def _invitation(config: Config, unit: Unit, received: dt.datetime) -> SeedMail:
    """Not for the robot: a school invites the department to its year-end ceremony."""
    document = Document()
    document.add_paragraph(unit.name.upper())
    document.add_paragraph("GIẤY MỜI").alignment = 1
    document.add_paragraph("Dự Lễ tổng kết năm học và tuyên dương học sinh tiêu biểu")
    document.add_paragraph(f"{unit.name} trân trọng kính mời lãnh đạo Sở Giáo dục và Đào tạo đến dự "
                           "lễ tổng kết năm học vào lúc 7 giờ 30, tại hội trường nhà trường.")
    buffer = io.BytesIO()
    document.save(buffer)
    return SeedMail("Giấy mời của một trường (không phải báo cáo: để cán bộ xem)", unit.emails[0], received, _mail(
        config, unit.emails[0], unit.name, "Giấy mời dự Lễ tổng kết năm học", received,
        body="Kính gửi lãnh đạo Sở,\nNhà trường trân trọng kính mời. Giấy mời đính kèm.\n",
        attachments=[("giay-moi-tong-ket.docx", DOCX, buffer.getvalue())]))


def thank_you(config: Config, ack: bytes, received: dt.datetime) -> SeedMail:
    """A school answering the robot's acknowledgement as Outlook does: a line of thanks above the
    quoted acknowledgement (figures included), threaded under it."""
    original = email.message_from_bytes(ack, policy=email.policy.default)
    sender = parseaddr(str(original["To"]))[1]
    unit = config.unit_by_email(sender)
    name = unit.name if unit else sender
    quoted = original.get_body(("plain",)).get_content()
    body = ("Cảm ơn Sở ạ.\n\n________________________________\n"
            f"Từ: {original['From']}\nĐã gửi: {original['Date']}\nĐến: {sender}\n"
            f"Chủ đề: {original['Subject']}\n\n{quoted}")
    raw = _mail(config, sender, name, f"TRẢ LỜI: {original['Subject']}", received, body=body,
                headers={"In-Reply-To": original["Message-ID"], "References": original["Message-ID"],
                         "Thread-Topic": str(original["Subject"]), "X-MS-Has-Attach": ""})
    return SeedMail("Trường cảm ơn thư xác nhận (trả lời kèm trích thư cũ: không trả lời lại)", sender,
                    received, raw)


def _mail(config: Config, sender: str, name: str, subject: str, date: dt.datetime, *, body: str,
          attachments: list[tuple[str, str, bytes]] = (), headers: dict[str, str] | None = None) -> bytes:
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = formataddr((name, sender))
    message["To"] = config.mailbox.address
    message["Subject"] = subject
    message["Date"] = format_datetime(date.astimezone(config.tz))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    for header, value in (headers or {}).items():
        message[header] = value
    message.set_content(body)
    for filename, kind, data in attachments:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP_POLICY)
