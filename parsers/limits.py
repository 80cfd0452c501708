"""Size limits for one attachment, and the cheap zip checks made before any library opens it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from parsers.report import ParseError

MIB = 1024 * 1024
# Members smaller than this cannot hurt, whatever their compression ratio (tiny XML parts of
# an .xlsx often compress 50x or more).
_RATIO_FLOOR_BYTES = 1 * MIB


@dataclass(frozen=True)
class ParseLimits:
    """How much of a file a parser may read; past these the file is refused or cut short.

    Also what a parser may trust, given by the robot since parsers read no config: the
    certificates (PEM or DER bytes) a signed PDF's signer must chain to, to count as trusted.
    """

    max_bytes: int = 20 * MIB  # the attachment itself
    max_uncompressed_bytes: int = 200 * MIB  # sum of a zip-based file's members
    max_ratio: float = 100  # uncompressed / compressed size of one large member
    max_rows: int = 5000  # rows read per sheet; the rest is skipped with a warning
    max_columns: int = 60  # columns read per sheet row
    max_cells: int = 200_000  # non-empty cells read per document
    max_paragraphs: int = 5000  # docx paragraphs, or text lines of a PDF or mail body, read
    max_pages: int = 50  # PDF pages read
    max_members: int = 20  # files read from a .zip archive
    convert_seconds: float = 20  # LibreOffice conversion of one .doc
    # Scans and photos are read by OCR (where Tesseract is installed); False refuses them as
    # "scanned" without reading (a mail whose Word file was already read, an admin's choice).
    read_scans: bool = True
    max_ocr_pages: int = 10  # scanned pages read by OCR per file; the rest skipped with a warning
    # OCR time per file: no page is started past it (a page takes ~2.5 s at 200 dpi), so a long
    # scan ends with the pages read rather than with the worker killed at the parse timeout.
    ocr_seconds: float = 20
    max_image_pixels: int = 60_000_000  # a picture larger than this (a 48 MP photo) is refused
    trust_roots: tuple[bytes, ...] = ()  # security.signature_trust_roots, read by the robot


def check_size(data: bytes, limits: ParseLimits) -> None:
    """Refuse a file larger than ``limits.max_bytes`` before looking inside it."""
    if len(data) > limits.max_bytes:
        raise ParseError("too_large", f"{len(data)} bytes, more than the limit of {limits.max_bytes} bytes")


_XML_PROLOG_BYTES = 64 * 1024
_DTD_MARKERS = (b"<!doctype", b"<!entity")


def open_zip(data: bytes, limits: ParseLimits) -> zipfile.ZipFile:
    """Open a zip-based file after checking its central directory against the limits.

    The declared sizes bound what ``zipfile`` will inflate (it stops at ``file_size``), so
    checking them here defuses a zip bomb before openpyxl or python-docx touch it.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError("corrupt", f"not a readable zip archive ({exc})") from None
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise ParseError(
            "limits",
            f"unpacks to {total} bytes, more than the limit of {limits.max_uncompressed_bytes}",
        )
    for member in members:
        if member.file_size <= _RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise ParseError(
                "limits",
                f"{member.filename} expands {ratio:.0f} times, more than {limits.max_ratio:g}",
            )
    return archive


def refuse_dtd(archive: zipfile.ZipFile) -> None:
    """Refuse an Office file whose XML parts declare a DTD or entities (billion laughs).

    Office never writes a DOCTYPE, so one is hostile or broken; checking the prolog here keeps
    entity expansion away from every XML parser behind (python-docx, openpyxl).
    """
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as part:
                head = part.read(_XML_PROLOG_BYTES)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ParseError("corrupt", f"{member.filename} cannot be unpacked ({exc})") from None
        folded = head.replace(b"\x00", b"").lower()  # UTF-16 parts too
        if any(marker in folded for marker in _DTD_MARKERS):
            raise ParseError("limits", f"{member.filename} declares a DTD or XML entities")
