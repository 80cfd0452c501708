"""The digest workbook: a summary sheet, then one sheet per period with one row per expected unit.

Written with XlsxWriter in constant-memory mode: rows stream to the file as they are made, so
45,000 units a period take seconds and little memory (openpyxl took a minute). Strings are
never turned into formulas, numbers or links: sender text stays text.
"""

from __future__ import annotations

import io

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from robot.config import Config
from robot.digest.figures import GroupFigures, PeriodFigures, UnitFigures
from robot.digest.words import STATE_NAMES, on_time_word, yes_no

MISSING_FILL = {"bg_color": "#F8D7DA"}  # red: no accepted report
LATE_FILL = {"bg_color": "#FFE5B4"}  # orange: filed after the deadline
HEADER = {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
OPTIONS = {"in_memory": True, "constant_memory": True, "strings_to_formulas": False,
           "strings_to_numbers": False, "strings_to_urls": False}
FILLED_COLUMNS = 6  # code … received: coloured for a missing or late report

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
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    header, bold = book.add_format(HEADER), book.add_format({"bold": True})
    summary = book.add_worksheet("Tổng hợp")
    _header(summary, SUMMARY_HEADERS, header)
    rows = 1
    for figures in periods:
        for group in figures.by_type + [figures.total]:
            summary.write_row(rows, 0, _summary_row(figures, group), bold if group is figures.total else None)
            rows += 1
    summary.autofilter(0, 0, rows - 1, len(SUMMARY_HEADERS) - 1)
    fills = {"missing": book.add_format(MISSING_FILL), "late": book.add_format(LATE_FILL)}
    for figures in periods:
        _period_sheet(book.add_worksheet(figures.period.id[:31]), config, figures, header, fills)
    book.close()
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


def _period_sheet(sheet: Worksheet, config: Config, figures: PeriodFigures, header, fills: dict) -> None:
    headers = [("Mã", 16), ("Đơn vị", 36), ("Loại đơn vị", 24), ("Trạng thái", 14), ("Đúng hạn", 10),
               ("Nhận lúc", 16), ("Lần gửi", 7), ("Còn thiếu / sai", 20), ("Người liên hệ", 20),
               ("Điện thoại", 14), ("Thư điện tử", 28), ("CT1 đạt", 8), ("CT2: tỷ lệ HSSV (%)", 10),
               ("CT3 đạt", 8)]
    headers += [(f"{spec.code}. {spec.label}", 14 if spec.type != "text" else 30) for spec in config.fields]
    _header(sheet, headers, header)
    for number, unit in enumerate(figures.units, start=1):
        values = _unit_row(config, unit)
        fill = fills["missing"] if unit.row.state != "complete" else fills["late"] if unit.late else None
        sheet.write_row(number, 0, values[:FILLED_COLUMNS], fill)
        sheet.write_row(number, FILLED_COLUMNS, values[FILLED_COLUMNS:])
    sheet.autofilter(0, 0, len(figures.units), len(headers) - 1)


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


def _header(sheet: Worksheet, headers: list[tuple[str, int]], style) -> None:
    """Column widths, the header row, and panes frozen below it and right of the unit's name."""
    for index, (_, width) in enumerate(headers):
        sheet.set_column(index, index, width)
    sheet.write_row(0, 0, [name for name, _ in headers], style)
    sheet.freeze_panes(1, 2)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
