"""A report page drawn straight into a picture (Pillow, DejaVu Serif from Matplotlib's fonts):
fast enough for unit tests, where printing through LibreOffice would take seconds a page.

The layout is a clerk's one-page report: the unit and period lines, a title and a ruled table
"STT | Mã số | Nội dung | Kết quả", labels wrapped inside their column.
"""

from __future__ import annotations

import os
import textwrap

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont

_FONTS = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
A4_INCHES = (8.27, 11.69)
HEADINGS = ("STT", "Mã số", "Nội dung", "Kết quả")
_WIDTHS_INCH = (0.45, 0.65, 4.2, 1.2)


def font(points: float, dpi: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    return ImageFont.truetype(os.path.join(_FONTS, name), int(points / 72 * dpi))


def report_page(rows: list[tuple[str, str, str]], *, unit: str = "Trường THPT Tân An",
                period: str = "6 tháng đầu năm 2026", dpi: int = 200,
                title: str = "BÁO CÁO KẾT QUẢ CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM", continued: bool = False) -> np.ndarray:
    """An A4 page (RGB) with the unit, the period, a title and ``rows`` of (code, label, figure);
    ``continued``: the next page of the same table, its rows only; rows are numbered by code."""
    width, height = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    body, heading = font(12, dpi), font(12, dpi, bold=True)
    left, y = int(1.1 * dpi), int(0.8 * dpi)
    line = int(12 / 72 * dpi * 1.45)
    lead = [] if continued else [(f"Tên đơn vị: {unit}", body), (f"Kỳ báo cáo: {period}", body), ("", body),
                                 (title, heading), ("", body)]
    for text, face in lead:
        draw.text((left, y), text, font=face, fill="black")
        y += line
    columns = [left]
    for inches in _WIDTHS_INCH:
        columns.append(columns[-1] + int(inches * dpi))
    top = y
    cells = ([] if continued else [HEADINGS]) + [(str(int(code)), code, label, figure) for code, label, figure in rows]
    for index, cell_texts in enumerate(cells):
        face = heading if index == 0 else body
        wrapped = [textwrap.wrap(text, _chars(columns[i + 1] - columns[i], face)) or [""]
                   for i, text in enumerate(cell_texts)]
        row_height = max(len(w) for w in wrapped) * line + line // 2
        for column, lines in enumerate(wrapped):
            for number, text in enumerate(lines):
                draw.text((columns[column] + dpi // 20, y + line // 4 + number * line), text, font=face, fill="black")
        draw.line((columns[0], y, columns[-1], y), fill="black", width=max(2, dpi // 100))
        y += row_height
    draw.line((columns[0], y, columns[-1], y), fill="black", width=max(2, dpi // 100))
    for x in columns:
        draw.line((x, top, x, y), fill="black", width=max(2, dpi // 100))
    return np.asarray(page).copy()


def _chars(pixels: int, face: ImageFont.FreeTypeFont) -> int:
    """How many characters of ordinary text fit in ``pixels``."""
    return max(4, int(pixels / face.getlength("n") * 0.95) - 1)
