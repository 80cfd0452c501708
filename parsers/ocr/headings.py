"""Column headings as OCR mangles them, put back: a bold heading in a narrow column loses its
spaces ("Kếtquả", "Đơnvị tính") or is cut over two lines ("ST T"), and the shared table logic
then no longer sees which column holds the figures."""

from __future__ import annotations

from parsers.labels import normalize

# Headings of report tables (those the table logic knows, and the usual others beside them).
HEADINGS = (
    "STT", "Số TT", "Số thứ tự", "Mã số", "Mã chỉ tiêu", "Chỉ tiêu", "Tên chỉ tiêu", "Nội dung",
    "Tiêu chí", "Danh mục", "Hạng mục", "Số liệu", "Giá trị", "Kết quả", "Số lượng", "Thực hiện",
    "Trả lời", "Ghi chú", "Đơn vị tính", "ĐVT",
)
_LONGEST = 30  # a heading cell is short
_SQUEEZED = {normalize(heading).replace(" ", ""): heading for heading in HEADINGS}


def mended_heading(text: str) -> str:
    """``text`` as the heading it is once spaces are ignored ("Kếtquả" → "Kết quả"), or unchanged."""
    if len(text) > _LONGEST:
        return text
    squeezed = normalize(text).replace(" ", "")
    return _SQUEEZED.get(squeezed, text)
