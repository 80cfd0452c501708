"""Which parser reads an attachment: chosen by magic bytes first, the file name second."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from parsers.docx_reader import read_docx
from parsers.limits import ParseLimits, check_size, open_zip
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.xlsx_reader import read_xlsx

Reader = Callable[..., ParsedReport]

_READERS: dict[str, Reader] = {"xlsx": read_xlsx, "docx": read_docx}
_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx"}
_OLD_OFFICE = {".doc": "Word 97-2003 (.doc)", ".xls": "Excel 97-2003 (.xls)"}
_IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".gif", ".bmp", ".webp"}
)

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: old Office, or encrypted OOXML
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_PDF = b"%PDF"
_IMAGES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")


def is_supported(filename: str) -> bool:
    """Whether a file name has a type the parsers read (the content is checked when parsed)."""
    return PurePath(filename).suffix.lower() in _EXTENSIONS


def parse_attachment(
    filename: str, data: bytes, schema: Schema, limits: ParseLimits | None = None
) -> list[ParsedReport]:
    """Every report found in one attachment; ParseError when the file cannot be read at all."""
    limits = limits or ParseLimits()
    check_size(data, limits)
    kind = detect_kind(filename, data, limits)
    return [_READERS[kind](data, schema, limits, filename=filename)]


def detect_kind(filename: str, data: bytes, limits: ParseLimits) -> str:
    """ "xlsx" or "docx" from the content, or ParseError saying why the file is not read."""
    extension = PurePath(filename).suffix.lower()
    if data.startswith(_CFB):
        if extension in _EXTENSIONS:
            # Office saves a password-protected .xlsx/.docx inside an OLE2 container.
            raise ParseError("encrypted", f"{filename} is password-protected")
        old = _OLD_OFFICE.get(extension, "an OLE2 compound file")
        raise ParseError("unsupported", f"{filename} is {old}; save it as .docx or .xlsx")
    if data.startswith(_ZIP):
        with open_zip(data, limits) as archive:
            names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if extension in _EXTENSIONS:
            raise ParseError("corrupt", f"{filename} is a zip file with no workbook or document inside")
        raise ParseError("unsupported", f"{filename} is a zip archive of a type not read")
    if data.startswith(_IMAGES) or extension in _IMAGE_EXTENSIONS or _is_heic(data):
        raise ParseError("scanned", f"{filename} is a picture; send the Word or Excel file")
    if data.startswith(_PDF) or extension == ".pdf":
        raise ParseError("unsupported", f"{filename} is a PDF; send the Word or Excel file")
    if extension in _EXTENSIONS:
        raise ParseError("corrupt", f"{filename} is not an Office file inside")
    raise ParseError("unsupported", f"{filename}: type {extension or '(none)'} is not read")


def _is_heic(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"hevc")
