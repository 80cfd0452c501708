"""The department's own report (Nghị định 30/2020 layout), drafted from a period's figures for staff to edit.

One draft per programme and period: the plan's (with its targets) reports its three targets to the
province and the Department of Labour; another programme's sums each of its figures over the
complete reports, to a recipient staff fill in.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell

from robot.config import Config, TargetsConfig
from robot.digest.figures import GroupFigures, PeriodFigures
from robot.digest.words import fraction, number, on_complete, percent, target_percent

FONT = "Times New Roman"
DOTS = "……"
TABLE_HEADERS = ("Loại đơn vị", "Phải nộp", "Đã nộp đủ", "Nộp đủ đúng hạn",
                 "Đơn vị có ≥1 hình thức TT / đơn vị đã nộp đủ",
                 "HSSV được TT / tổng số HSSV (báo cáo đã nộp đủ)", "Tỷ lệ HSSV",
                 "Đơn vị có lồng ghép / đơn vị đã nộp đủ")
# A programme named "Thực hiện Chương trình …" or "Kế hoạch thực hiện Quyết định …" already starts
# with the verb the title supplies: "Kết quả thực hiện Chương trình …", not "… thực hiện Thực hiện …".
_LEADING_VERB = re.compile(r"^\s*(?:kế hoạch\s+)?thực hiện\s+", re.IGNORECASE)
ON_COMPLETE_ONLY = ("Các số liệu dưới đây chỉ tính trên báo cáo đã nộp đủ (đủ chỉ tiêu, số liệu hợp lệ); "
                    "báo cáo còn thiếu hoặc sai chưa được cộng.")


def draft_title(programme: str, period_title: str) -> str:
    """The draft's title line: "Kết quả thực hiện <programme> — <period>"."""
    subject = _LEADING_VERB.sub("", unicodedata.normalize("NFC", programme)).strip() or "chương trình"
    return f"Kết quả thực hiện {subject} — {period_title}"


def summary_report_docx(config: Config, figures: PeriodFigures) -> bytes:
    """A .docx draft: header, number, place-date, title, the targets or figures, the table, who did not report."""
    document = docx.Document()
    section = document.sections[0]
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    _header(document, config)
    total = figures.total
    _line(document, "BÁO CÁO", bold=True, center=True, size=14)
    _line(document, draft_title(config.organisation.programme, figures.period.title), bold=True, center=True)
    addressees = "Sở Lao động - Thương binh và Xã hội." if config.targets is not None else DOTS
    _line(document, f"Kính gửi: Ủy ban nhân dân tỉnh; {addressees}", center=True)

    _line(document, "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", bold=True)
    _line(document, f"Số đơn vị phải báo cáo: {number(total.expected)}; đã nộp đủ: {number(total.complete)} "
                    f"(tỷ lệ đầy đủ {percent(total.completeness)}); nộp đủ đúng hạn: {number(total.on_time)} "
                    f"(tỷ lệ đúng hạn {percent(total.timeliness)}); chưa nộp: {number(total.states['missing'])}.")

    if config.targets is not None:
        _targets(document, config.targets, figures)
    else:
        _figures(document, config, figures)

    _line(document, "III. CÁC ĐƠN VỊ CHƯA NỘP ĐỦ BÁO CÁO", bold=True)
    missing = figures.not_complete_names
    _line(document, "; ".join(missing) + "." if missing else "Không có.")
    _line(document, "IV. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    _line(document, DOTS)
    _signature(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _targets(document: Document, targets: TargetsConfig, figures: PeriodFigures) -> None:
    """Section II of the plan: its three targets, then the table by unit type."""
    total = figures.total
    _line(document, "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỤ THỂ", bold=True)
    _line(document, ON_COMPLETE_ONLY, italic=True)
    _line(document, f"1. Đơn vị tổ chức ít nhất {targets.propaganda_min} hình thức tuyên truyền: "
                    f"{number(total.propaganda_met)} đơn vị ({on_complete(total.propaganda_reported)}); "
                    f"số trường trực thuộc các Phòng GD&ĐT đã tuyên truyền: "
                    f"{fraction(total.schools_reached, total.schools_total)} ({percent(total.schools_share)}; "
                    f"{on_complete(total.schools_reported)}).")
    _line(document, f"2. Học sinh, sinh viên được tuyên truyền: "
                    f"{fraction(total.students_reached, total.students_total)} ({percent(total.students_share)}; "
                    f"chỉ tiêu {target_percent(targets.students_percent)}; "
                    f"{on_complete(total.students_reported)}).")
    _line(document, f"3. Đơn vị lồng ghép với các chương trình phòng, chống ma túy, mua bán người, HIV/AIDS, "
                    f"an sinh xã hội: {number(total.integrated)} đơn vị ({on_complete(total.integration_reported)}).")
    _figures_table(document, figures, TABLE_HEADERS, _target_cells)


def _figures(document: Document, config: Config, figures: PeriodFigures) -> None:
    """Section II of a programme without targets: each number and yes/no figure summed, then the table."""
    _line(document, "II. KẾT QUẢ THỰC HIỆN", bold=True)
    _line(document, ON_COMPLETE_ONLY, italic=True)
    complete = figures.units[figures.units["state"] == "complete"]
    for spec in config.fields:
        if spec.type == "text":
            continue
        given = [value for value in complete[spec.key] if type(value) is (int if spec.type == "int" else bool)]
        unit = " đơn vị" if spec.type == "bool" else ""  # how many said yes
        _line(document, f"{spec.code}. {spec.label}: {number(sum(given))}{unit} ({on_complete(len(given))}).")
    _figures_table(document, figures, TABLE_HEADERS[:4], lambda group: ())


def _header(document: Document, config: Config) -> None:
    organisation = config.organisation
    place = organisation.place or DOTS
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell(left, [(organisation.authority, False, False), (organisation.name, True, False),
                 (f"Số: {DOTS}/BC-SGDĐT", False, False)])
    _cell(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False), ("Độc lập - Tự do - Hạnh phúc", True, False),
                  (f"{place}, ngày {DOTS} tháng {DOTS} năm {DOTS}", False, True)])


def _cell(cell: _Cell, lines: list[tuple[str, bool, bool]]) -> None:
    cell.paragraphs[0].text = ""
    for index, (text, bold, italic) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(12)


def _line(document: Document, text: str, *, bold: bool = False, italic: bool = False, center: bool = False,
          size: int = 13) -> None:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _figures_table(document: Document, figures: PeriodFigures, headers: tuple[str, ...],
                   more: Callable[[GroupFigures], tuple[str, ...]]) -> None:
    """A row per unit type and the total: expected, complete, on time, then ``more`` of each group."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for group in figures.by_type + [figures.total]:
        cells = table.add_row().cells
        row = (group.label, number(group.expected), number(group.complete), number(group.on_time), *more(group))
        for cell, value in zip(cells, row):
            cell.text = value


def _target_cells(group: GroupFigures) -> tuple[str, ...]:
    return (fraction(group.propaganda_met, group.propaganda_reported),
            fraction(group.students_reached, group.students_total) if group.students_reported else "—",
            percent(group.students_share),
            fraction(group.integrated, group.integration_reported))


def _signature(document: Document) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell(left, [("Nơi nhận:", True, True), ("- Như trên;", False, False), ("- Lưu: VT.", False, False)])
    _cell(right, [("GIÁM ĐỐC", True, False), ("(Ký, ghi rõ họ tên, đóng dấu)", False, True)])
