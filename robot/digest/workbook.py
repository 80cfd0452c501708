"""The digest workbook: a summary sheet, then one sheet per period with one row per expected unit.

Written from the period frames column by column (robot.digest.xlsx): 45,000 units a period take
a second or two. Sender text stays text, formula-like text with the quote prefix. The plan's
target columns come from complete reports only, each with the count of complete reports it
stands on; a programme without the plan's targets has no target columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from robot.config import Config
from robot.digest.figures import GroupFigures, PeriodFigures
from robot.digest.words import STATE_NAMES, YES_NO
from robot.digest.xlsx import Sheet, workbook_bytes
from robot.wording import signature_cell

FILLED_COLUMNS = 6  # code … received: red for a unit without a complete report, orange when late
ON_COMPLETE = "trên số đơn vị đã nộp đủ"

SUMMARY_HEADERS = [
    ("Kỳ báo cáo", 24), ("Loại đơn vị", 36), ("Phải nộp", 9), ("Đã nộp đủ", 9), ("Chưa đủ", 9),
    ("Không đọc được", 9), ("Chưa xác thực", 9), ("Chưa nộp", 9), ("Nộp đủ đúng hạn", 9),
    ("Tỷ lệ đầy đủ (%)", 10), ("Tỷ lệ đúng hạn (%)", 10),
]
SUMMARY_TARGET_HEADERS = [
    ("CT1: đơn vị đạt", 10), (f"CT1: {ON_COMPLETE}", 12),
    ("CT1: số trường đã TT", 10), ("CT1: tổng số trường", 10), ("CT1: tỷ lệ trường (%)", 10),
    (f"CT1 (trường): {ON_COMPLETE}", 12),
    ("CT2: HSSV được TT", 12), ("CT2: tổng số HSSV", 12), ("CT2: tỷ lệ (%)", 10), (f"CT2: {ON_COMPLETE}", 12),
    ("CT3: đơn vị có lồng ghép", 10), (f"CT3: {ON_COMPLETE}", 12),
]
UNIT_HEADERS = [
    ("Mã", 16), ("Đơn vị", 36), ("Loại đơn vị", 24), ("Trạng thái", 14), ("Đúng hạn", 10), ("Nhận lúc", 16),
    ("Lần gửi", 7), ("Chữ ký số", 22), ("Còn thiếu / sai", 20), ("Người liên hệ", 20), ("Điện thoại", 14), ("Thư điện tử", 28),
]
UNIT_TARGET_HEADERS = [
    ("CT1 đạt (báo cáo đủ)", 10), ("CT2: tỷ lệ HSSV (%) (báo cáo đủ)", 12), ("CT3 đạt (báo cáo đủ)", 10),
]


def digest_workbook(config: Config, periods: list[PeriodFigures]) -> bytes:
    """The workbook of one programme (``config`` its view): its summary sheet and its periods' sheets."""
    targets = config.targets is not None
    headers = SUMMARY_HEADERS + (SUMMARY_TARGET_HEADERS if targets else [])
    summary_rows = [(figures, group) for figures in periods for group in figures.by_type + [figures.total]]
    summary = Sheet(
        name="Tổng hợp", headers=headers,
        columns=[list(values) for values in zip(*(_summary_row(f, g, targets) for f, g in summary_rows))]
        or [[] for _ in headers],
        row_styles=["bold" if group is figures.total else None for figures, group in summary_rows],
    )
    return workbook_bytes([summary] + [_period_sheet(config, figures, targets) for figures in periods])


def _summary_row(figures: PeriodFigures, group: GroupFigures, targets: bool) -> list:
    row = [
        figures.period.title, group.label, group.expected,
        *(group.states.get(state, 0) for state in STATE_NAMES), group.on_time,
        _round(group.completeness), _round(group.timeliness),
    ]
    return row + [
        group.propaganda_met, group.propaganda_reported,
        group.schools_reached, group.schools_total, _round(group.schools_share), group.schools_reported,
        group.students_reached, group.students_total, _round(group.students_share), group.students_reported,
        group.integrated, group.integration_reported,
    ] if targets else row


def _period_sheet(config: Config, figures: PeriodFigures, targets: bool) -> Sheet:
    units = figures.units
    columns = [
        units["code"], units["name"], units["type_label"], units["state"].map(STATE_NAMES),
        units["on_time"].map({True: "Đúng hạn", False: "Muộn"}), _times(units["received_at"]), units["version"],
        units["signature"].map(signature_cell),
        pd.Series([", ".join(dict.fromkeys([*missing, *invalid])) if missing or invalid else None
                   for missing, invalid in zip(units["missing"], units["invalid"])], dtype=object),
        units["contact_name"], units["contact_phone"], units["emails"],
        *([units["propaganda_met"].where(units["propaganda_reported"]), units["students_share"].round(1),
           units["integrated"].where(units["integration_reported"])] if targets else []),
        *(units[spec.key] for spec in config.fields),  # figures as read; yes/no written in words
    ]
    styles = np.where(units["state"] != "complete", "missing", np.where(units["late"], "late", None))
    headers = UNIT_HEADERS + (UNIT_TARGET_HEADERS if targets else []) + [(f"{spec.code}. {spec.label}", 14 if spec.type != "text" else 30)
                              for spec in config.fields]
    return Sheet(name=figures.period.id, headers=headers, columns=columns, row_styles=styles.tolist(),
                 styled_columns=FILLED_COLUMNS, freeze=(1, 2), yes_no=YES_NO)


def _times(moments: pd.Series) -> pd.Series:
    return moments.dt.strftime("%d/%m/%Y %H:%M").where(moments.notna())


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
