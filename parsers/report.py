"""What a parser returns: values by field key, where each came from, and hints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Value = int | bool | str
# How a value was tied to its field: by the "Mã số" code column, by the label's wording in a
# table row, by a "Label: value" line of text, or read from a scan (the same rules, by OCR).
Via = Literal["code", "label", "body", "ocr"]


@dataclass
class FoundValue:
    """One field as read from a document.

    ``value`` is the normalised value, or None when the text could not be understood; then
    ``error`` says why in plain words and ``raw`` keeps what the sender wrote. ``via`` says
    how the field was recognised.
    """

    key: str
    raw: str
    value: Value | None
    # e.g. "Sheet1!C7", "table 2 row 5", "paragraph 14", "mail body line 3", and from a scan
    # "trang 1, ô (x,y,w,h), độ tin cậy 93%" (the box in pixels of the page as read, 200 dpi)
    source: str
    error: str | None = None
    via: Via = "label"


@dataclass(frozen=True)
class Signature:
    """A PDF's digital signature (chữ ký số) as validated: who signed, when, and whether it holds.

    ``intact``: the signed bytes are unchanged and match the signer's key; ``trusted``: the
    signer's certificate chains to one of the configured trust roots; ``modified_after_signing``:
    the file was changed after it was signed, so its figures were read from the signed revision;
    ``changed`` then holds (field key, text in the file as sent) for each figure that reads
    differently from the signed one.
    """

    signer_cn: str | None
    signer_org: str | None
    signer_email: str | None
    signed_at: dt.datetime | None  # aware; a trusted timestamp's time, else the signer's own claim
    intact: bool
    trusted: bool
    modified_after_signing: bool
    changed: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict:
        """The signature as JSON-ready data (the signing time in ISO 8601)."""
        return {
            "signer_cn": self.signer_cn, "signer_org": self.signer_org, "signer_email": self.signer_email,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "intact": self.intact, "trusted": self.trusted,
            "modified_after_signing": self.modified_after_signing,
            "changed": [list(pair) for pair in self.changed],
        }


@dataclass
class ParsedReport:
    """Everything a parser could read from one document."""

    filename: str
    values: dict[str, FoundValue] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unit_hint: str | None = None  # unit name as written in the document ("Tên đơn vị", header)
    period_hint: str | None = None  # period words as written ("6 tháng đầu năm 2026", "năm 2026")
    # The title as written: "BÁO CÁO Kết quả thực hiện …", "GIẤY MỜI Họp …", "V/v …", or a
    # sheet's heading above its table; None when the document shows none.
    title: str | None = None
    # The marker the robot's own templates carry ("report-robot:<programme id>"), when present.
    template_code: str | None = None
    # The digital signature of a signed PDF; None for every other document.
    signature: Signature | None = None
    # Read by OCR from a scan or a photo (image-only PDF pages, pictures).
    from_scan: bool = False
    # Fields whose row was found on a scan but whose value could not be read with certainty
    # (the two readings disagreed or the figure had no valid shape): not in ``values``.
    uncertain: list[str] = field(default_factory=list)

    @property
    def is_report(self) -> bool:
        """A document counts as a report when at least one indicator was recognised (on a scan,
        read or not)."""
        return bool(self.values or self.uncertain)


class ParseError(Exception):
    """A file could not be read as a report.

    ``reason`` is a stable code the robot turns into a Vietnamese explanation:
    ``corrupt``, ``encrypted``, ``too_large``, ``scanned`` (image without text),
    ``unsupported`` (a type we do not read), ``timeout``, ``limits`` (too many rows/cells,
    decompression ratio, XML entities).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
