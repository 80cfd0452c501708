"""The digest workbook: a summary sheet, then one sheet per period with one row per expected unit."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from robot.config import Config
from robot.digest.figures import GroupFigures, PeriodFigures, UnitFigures
from robot.digest.words import STATE_NAMES, on_time_word, yes_no
from robot.export import keep_text

MISSING_FILL = PatternFill("solid", fgColor="F8D7DA")  # red: no accepted report
LATE_FILL = PatternFill("solid", fgColor="FFE5B4")  # orange: filed after the deadline
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

SUMMARY_HEADERS = [
    ("Kỳ báo cáo", 24), ("Loại đơn vị", 36), ("Phải nộp", 9), ("Đã nộp đủ", 9), ("Chưa đủ", 9),
    ("Không đọc được", 9), ("Chưa xác thực", 9), ("Chưa nộp", 9), ("Nộp đủ đúng hạn", 9),
    ("Tỷ lệ đầy đủ (%)", 10), ("Tỷ lệ đúng hạn (%)", 10),
    ("CT1: đơn vị có báo cáo số hình thức TT", 12), ("CT1: đơn vị đạt", 10),
    ("CT1: số trường đã TT", 10), ("CT1: tổng số trường", 10), ("CT1: tỷ lệ trường (%)", 10),
    ("CT2: HSSV được TT", 12), ("CT2: tổng số HSSV", 12), ("CT2: tỷ lệ (%)", 10),
    ("CT3: đơn vị có báo cáo lồng ghép", 12), ("CT3: đơn vị có lồng ghép", 10),
]


def digest_workbook(config: Config, periods: list[PeriodFigures]) -> bytes:
    """The workbook, streamed in openpyxl's write-only mode (45,000 units a period in seconds, not minutes)."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("Tổng hợp")
    _header(summary, SUMMARY_HEADERS)
    rows = 1
    for figures in periods:
        for group in figures.by_type + [figures.total]:
            values = _summary_row(figures, group)
            bold = {"font": Font(bold=True)} if group is figures.total else {}
            summary.append(_cells(summary, values, bold, len(values) if bold else 0))
            rows += 1
    _finish(summary, len(SUMMARY_HEADERS), rows)
    for figures in periods:
        _period_sheet(book.create_sheet(figures.period.id[:31]), config, figures)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_row(figures: PeriodFigures, group: GroupFigures) -> list:
    return [
        figures.period.title, group.label, group.expected,
        *(group.states[state] for state in STATE_NAMES), group.on_time,
        _round(group.completeness), _round(group.timeliness),
        group.propaganda_reported, group.propaganda_met,
        group.schools_reached, group.schools_total, _round(group.schools_share),
        group.students_reached, group.students_total, _round(group.students_share),
        group.integration_reported, group.integrated,
    ]


def _period_sheet(sheet: WriteOnlyWorksheet, config: Config, figures: PeriodFigures) -> None:
    headers = [("Mã", 16), ("Đơn vị", 36), ("Loại đơn vị", 24), ("Trạng thái", 14), ("Đúng hạn", 10),
               ("Nhận lúc", 16), ("Lần gửi", 7), ("Còn thiếu / sai", 20), ("Người liên hệ", 20),
               ("Điện thoại", 14), ("Thư điện tử", 28), ("CT1 đạt", 8), ("CT2: tỷ lệ HSSV (%)", 10),
               ("CT3 đạt", 8)]
    headers += [(f"{spec.code}. {spec.label}", 14 if spec.type != "text" else 30) for spec in config.fields]
    _header(sheet, headers)
    for unit in figures.units:
        fill = MISSING_FILL if unit.row.state != "complete" else LATE_FILL if unit.late else None
        sheet.append(_cells(sheet, _unit_row(config, unit), {"fill": fill} if fill else {}, 6 if fill else 0))
    _finish(sheet, len(headers), len(figures.units) + 1)


def _unit_row(config: Config, unit: UnitFigures) -> list:
    row = unit.row
    values = []
    for spec in config.fields:
        value = row.values.get(spec.key)
        values.append(yes_no(value) if isinstance(value, bool) else value)
    return [
        row.unit.code, row.unit.name, config.unit_types.get(row.unit.type, row.unit.type),
        STATE_NAMES[row.state], on_time_word(row.on_time),
        row.received_at.strftime("%d/%m/%Y %H:%M") if row.received_at else None, row.version,
        ", ".join(dict.fromkeys(row.missing + row.invalid)), row.unit.contact.name,
        row.unit.contact.phone, ", ".join(row.unit.emails), yes_no(unit.propaganda_met),
        _round(unit.students_share), yes_no(unit.integrated), *values,
    ]


def _header(sheet: WriteOnlyWorksheet, headers: list[tuple[str, int]]) -> None:
    """Column widths, frozen panes and the header row: a write-only sheet takes them before any row."""
    for index, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    style = {"font": Font(bold=True), "fill": HEADER_FILL, "alignment": Alignment(wrap_text=True, vertical="top")}
    sheet.append(_cells(sheet, [name for name, _ in headers], style, len(headers)))


def _cells(sheet: WriteOnlyWorksheet, values: list, style: dict, styled: int) -> list:
    """One row: the first ``styled`` cells get ``style``; no sender text is ever read as a formula."""
    row = []
    for index, value in enumerate(values):
        if index < styled or (isinstance(value, str) and value.startswith("=")):
            cell = WriteOnlyCell(sheet, value)
            keep_text(cell)
            for name, setting in style.items() if index < styled else ():
                setattr(cell, name, setting)
            value = cell
        row.append(value)
    return row


def _finish(sheet: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
