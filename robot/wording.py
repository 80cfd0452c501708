"""How figures, dates and file problems are written for Vietnamese readers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from parsers.report import Signature, Value
from parsers.schema import FieldSpec

# Why a file could not be read (ParseError reason codes) and what to send instead.
FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "corrupt": ("tệp bị hỏng hoặc không mở được", "Xin mở lại tệp, lưu lại rồi gửi lại."),
    "encrypted": ("tệp có đặt mật khẩu", "Xin gỡ mật khẩu của tệp rồi gửi lại."),
    "too_large": ("tệp quá lớn", "Xin gửi tệp báo cáo gọn hơn (chỉ gồm bảng số liệu)."),
    "scanned": (
        "tệp là ảnh chụp hoặc bản quét, không có chữ để đọc số liệu",
        "Xin gửi kèm tệp Word (.docx) hoặc Excel (.xlsx) của báo cáo.",
    ),
    "unsupported": (
        "định dạng tệp này chưa đọc được tự động",
        "Xin gửi tệp Word (.docx) hoặc Excel (.xlsx).",
    ),
    "old_word": (
        "tệp Word cũ (.doc, Word 97-2003) chưa đọc được tự động",
        "Xin mở tệp bằng Word, chọn Lưu thành (Save As) kiểu “Word Document (.docx)” rồi gửi lại.",
    ),
    "other_unit": (
        "tệp là báo cáo của đơn vị khác",
        "Sở chỉ ghi nhận báo cáo của mỗi đơn vị khi gửi từ địa chỉ thư đã đăng ký của đơn vị đó; "
        "tệp đã được lưu để cán bộ của Sở kiểm tra.",
    ),
    "timeout": ("tệp quá phức tạp để đọc tự động", "Xin gửi tệp theo mẫu báo cáo đính kèm."),
    "limits": ("tệp quá phức tạp để đọc tự động", "Xin gửi tệp theo mẫu báo cáo đính kèm."),
    "no_figures": (
        "không tìm thấy bảng số liệu của báo cáo trong tệp",
        "Xin điền số liệu vào mẫu báo cáo đính kèm.",
    ),
}


# The subject of each automatic answer, before the sender's own subject ("Đã nhận báo cáo: …").
REPLY_SUBJECTS = {
    "ack": "Đã nhận báo cáo",
    "incomplete": "Báo cáo chưa đầy đủ",
    "unreadable": "Không đọc được tệp báo cáo",
    "no-attachment": "Thư chưa có tệp báo cáo",
    "unknown-sender": "Địa chỉ gửi báo cáo chưa đăng ký",
}


def reminder_subject(kind: str, period_title: str, due: str, unit_name: str) -> str:
    """The subject of a reminder step (X-Report-Robot kind reminder, overdue or escalation)."""
    return {
        "reminder": f"Nhắc nộp {period_title} (hạn trước ngày {due})",
        "overdue": f"Quá hạn nộp {period_title} (hạn trước ngày {due})",
        "escalation": f"Đơn vị trễ hạn {period_title}: {unit_name}",
    }[kind]


def mailbox_down_subject(mailbox: str) -> str:
    return f"Không kết nối được hộp thư {mailbox}"


def stuck_message_subject(mailbox: str) -> str:
    return f"Một thư trong hộp thư {mailbox} không xử lý được"


# Why a figure found on a scan or a photo was not taken: its two readings did not agree.
UNCERTAIN_ON_SCAN = "không đọc được chắc chắn từ bản quét"


def unreadable_value(raw: str, error: str | None) -> str:
    """Why a figure was not taken: what the sender wrote, and what is wrong with it."""
    reason = f"không đọc được giá trị “{raw}”"
    return f"{reason} ({error})" if error else reason


def rule_breach(left_code: str, left: object, op: str, right_code: str, right: object) -> str:
    """A broken consistency rule, naming both fields: "05 (1.500) không được lớn hơn 06 (1.400)"."""
    words = "không được lớn hơn" if op == "<=" else "không được nhỏ hơn"
    return f"{left_code} ({left}) {words} {right_code} ({right})"


def file_problem(reason: str) -> tuple[str, str]:
    return FILE_PROBLEMS.get(reason, FILE_PROBLEMS["corrupt"])


def unit_mismatch_remark(filename: str, named: str, sender_unit: str) -> str:
    """Said when the filed document names another unit than the sender's address."""
    return (f"Tệp “{filename}” ghi tên đơn vị “{named}”, khác với đơn vị của địa chỉ gửi thư "
            f"({sender_unit}). Báo cáo được ghi nhận cho {sender_unit}; cán bộ của Sở sẽ kiểm tra lại.")


def foreign_report_remark(filename: str, named: str) -> str:
    """Said about a document in the mail that is another unit's report."""
    return (f"Tệp “{filename}” là báo cáo của {named}. Sở chỉ ghi nhận báo cáo của mỗi đơn vị khi "
            f"gửi từ địa chỉ thư đã đăng ký của đơn vị đó, nên tệp này được lưu để cán bộ kiểm tra, "
            f"chưa tính là báo cáo của {named}.")


def other_files_remark(filed: str, others: list[str], signed: bool = False) -> str:
    """Said when several documents of the sender's unit came in one mail."""
    names = ", ".join(f"“{name}”" for name in others)
    why = "bản có chữ ký số" if signed else "nhiều số liệu nhất"
    return (f"Thư có nhiều tệp báo cáo của đơn vị; hệ thống ghi nhận tệp “{filed}” ({why}), "
            f"không ghi nhận {names}. Nếu chọn chưa đúng, xin gửi lại chỉ một tệp báo cáo.")


def unread_file_remark(filename: str, reason: str) -> str:
    """Said about a file beside the filed report that could not be read."""
    words, advice = file_problem(reason)
    return f"Không đọc được tệp “{filename}”: {words}. {advice}"


def signature_cell(signature: dict | None) -> str:
    """A unit's digital signature in one cell of the digest workbook ("Có — Nguyễn Văn A")."""
    if not signature:
        return "Không ký số"
    if not signature.get("intact"):
        return "Có — chữ ký không còn nguyên vẹn"
    if signature.get("modified_after_signing"):
        return "Có — bị sửa sau khi ký"
    if not signature.get("trusted"):
        return "Có — chưa xác minh"
    return f"Có — {signature.get('signer_cn') or 'người ký không rõ tên'}"


def signature_lines(signature: Signature, tz: ZoneInfo, changed: list[tuple[str, str, str]]) -> list[str]:
    """What an acknowledgement says about a digitally signed PDF: who signed it and when, whether
    the signature holds and is verified, and, when the file was changed after signing, that the
    signed figures were taken. ``changed``: (field "code — label", signed value, text as sent)."""
    signer = ", ".join(part for part in (signature.signer_cn, signature.signer_org) if part) \
        or "(không đọc được tên người ký)"
    when = f", ký lúc {show_time(signature.signed_at, tz)}" if signature.signed_at else ""
    if not signature.intact:
        return [f"Văn bản có chữ ký số của: {signer}{when}; chữ ký "
                f"KHÔNG còn nguyên vẹn (nội dung đã ký bị thay đổi hoặc chữ ký bị hỏng). Cán bộ của Sở "
                f"sẽ kiểm tra lại; xin đơn vị ký số lại văn bản và gửi lại."]
    later = ", nhưng tệp đã bị thay đổi sau khi ký" if signature.modified_after_signing else ""
    lines = [f"Văn bản có chữ ký số của: {signer}{when}; chữ ký còn nguyên vẹn{later}."]
    lines.append("Chứng thư số của người ký được xác minh theo chứng thư gốc mà Sở tin cậy." if signature.trusted
                 else "Hệ thống chưa xác minh được chứng thư số của người ký theo các chứng thư gốc Sở đã "
                      "cấu hình; cán bộ của Sở sẽ kiểm tra.")
    if signature.modified_after_signing:
        lines.append("Hệ thống lấy số liệu của bản đã ký; phần thay đổi sau khi ký không được tính.")
        lines += [f"- {field}: tệp gửi ghi “{sent}”, bản đã ký ghi {signed}" for field, signed, sent in changed]
        if not changed:
            lines.append("Phần thay đổi sau khi ký không làm khác số liệu của báo cáo.")
        lines.append("Nếu số liệu sửa sau khi ký mới là đúng, xin ký số lại văn bản đã sửa và gửi lại.")
    return lines


def show_value(spec: FieldSpec, value: Value | None) -> str:
    """A stored value as the sender would write it: "Có", "1.250", the text itself."""
    if value is None:
        return "(chưa có)"
    if spec.type == "bool":
        return "Có" if value else "Không"
    if spec.type == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = str(value).strip()
    return text if len(text) <= 300 else text[:297] + "…"


def show_time(moment: dt.datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%H:%M ngày %d/%m/%Y")


def show_day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
