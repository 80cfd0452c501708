"""Wording shared by the Excel and Word templates (Nghị định 30/2020 administrative layout)."""

from __future__ import annotations

import re

from parsers.labels import normalize
from parsers.schema import FieldSpec, Schema

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "BÁO CÁO"
DOCUMENT_NUMBER = "Số: …/BC-…"
UNIT_LABEL = "Tên đơn vị:"
PERIOD_LABEL = "Kỳ báo cáo:"
BLANK = "……………………………"
UNIT_PLACEHOLDER = "TÊN ĐƠN VỊ"
SIGNER = "THỦ TRƯỞNG ĐƠN VỊ"
SIGNATURE_NOTE = "(Ký, ghi rõ họ tên và đóng dấu)"
RECIPIENTS = ("Nơi nhận:", "- Như trên;", "- Lưu: VT.")
BOOL_HINT = "(Có/Không)"
YES, NO = "Có", "Không"
CODE_HEADING, LABEL_HEADING, VALUE_HEADING, NOTE_HEADING = "Mã số", "Chỉ tiêu", "Số liệu", "Ghi chú"
ORDER_HEADING = "STT"
# The marker the robot's templates carry in their document properties (keywords, "Tags" in
# Office), so that a filled-in template is known for what it is whatever was typed into it.
TEMPLATE_MARKER = "report-robot:"
DEFAULT_PROGRAMME = "default"
_MARKER = re.compile(rf"{re.escape(TEMPLATE_MARKER)}[\w.-]+")
INSTRUCTIONS_TITLE = "HƯỚNG DẪN ĐIỀN BIỂU MẪU"
INSTRUCTIONS = (
    "1. Ghi tên đơn vị và kỳ báo cáo ở phần đầu biểu mẫu.",
    "2. Ghi số liệu vào cột “Số liệu”: chỉ ghi con số (ví dụ 1250), không ghi tỷ lệ phần trăm.",
    "3. Với chỉ tiêu có ghi (Có/Không), chọn “Có” hoặc “Không”.",
    "4. Giữ nguyên cột “Mã số”; có thể ghi thêm giải thích ở cột “Ghi chú”.",
    "5. Lưu tệp (không đặt mật khẩu) và gửi lại bằng thư điện tử, đính kèm tệp này.",
)


def template_marker(programme: str = DEFAULT_PROGRAMME) -> str:
    """The template code written into a template: "report-robot:<programme id>"."""
    return f"{TEMPLATE_MARKER}{programme}"


def marker_in(keywords: str | None) -> str | None:
    """The template code among a file's keywords (a sender may add tags of their own)."""
    match = _MARKER.search(keywords or "")
    return match.group() if match else None


def issuer(schema: Schema) -> str:
    """The body above the reporting unit, first line of the header's left column."""
    # The robot passes the department's name as ``title``; older schemas keep "BÁO CÁO" there.
    return schema.authority if normalize(schema.title) == normalize(DOCUMENT_TYPE) else schema.title


def place_date(schema: Schema) -> str:
    """The place-date line to fill in: "Long An, ngày … tháng … năm 20…"."""
    return f"{schema.place or '……'}, ngày … tháng … năm 20…"


def printed_label(spec: FieldSpec) -> str:
    """The label as printed in a template, with the yes/no hint for yes/no fields."""
    return f"{spec.label} {BOOL_HINT}" if spec.type == "bool" else spec.label


def title_lines(schema: Schema, report_title: str) -> list[str]:
    """The title block below the header: "BÁO CÁO", the report's title, the programme."""
    return [line for line in (DOCUMENT_TYPE, report_title, schema.subtitle) if line]
