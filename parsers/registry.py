"""Which parser reads an attachment: chosen by magic bytes first, the file name second."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import PurePath

from parsers.archive_reader import read_archive
from parsers.calamine_reader import read_ods, read_xlsb
from parsers.doc_reader import read_doc
from parsers.docx_reader import read_docx
from parsers.image_reader import read_docx_pictures, read_image
from parsers.limits import ParseLimits, check_size, open_zip, refuse_dtd
from parsers.pdf_reader import read_pdf
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.text_reader import numbered_lines, read_text
from parsers.xls_reader import read_xls
from parsers.writer_reader import read_odt, read_rtf
from parsers.xlsx_reader import read_xlsx

Reader = Callable[..., ParsedReport]


def _read_word(data: bytes, schema: Schema, limits: ParseLimits, *, filename: str) -> ParsedReport:
    """A Word file; one holding only pictures of the pages (a scan pasted in) is read by OCR."""
    try:
        return read_docx(data, schema, limits, filename=filename)
    except ParseError as exc:
        if exc.reason != "scanned":
            raise
    return read_docx_pictures(data, schema, limits, filename=filename)


_READERS: dict[str, Reader] = {
    "xlsx": read_xlsx, "docx": _read_word, "xls": read_xls, "doc": read_doc, "pdf": read_pdf,
    "ods": read_ods, "xlsb": read_xlsb, "odt": read_odt, "rtf": read_rtf, "image": read_image,
}
_EXTENSIONS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".xls": "xls", ".doc": "doc", ".pdf": "pdf",
    ".ods": "ods", ".xlsb": "xlsb", ".odt": "odt", ".rtf": "rtf", ".zip": "zip", ".txt": "text",
}
_OOXML = frozenset({".xlsx", ".xlsm", ".docx"})
# Zip-based office files, each recognised by a part only it has.
_ZIP_PARTS = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx", "xl/workbook.bin": "xlsb"}
# The first member of an OpenDocument file names its type (templates too: "…spreadsheet-template").
_ODF_TYPES = {"application/vnd.oasis.opendocument.spreadsheet": "ods",
              "application/vnd.oasis.opendocument.text": "odt"}
_ZIP_EXTENSIONS = _OOXML | {".xlsb", ".ods", ".odt"}
_IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".gif", ".bmp", ".webp"}
)
_UNREAD_PICTURES = frozenset({".heic", ".heif"})  # an iPhone's own format: no decoder here

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: old Office, or encrypted OOXML
# Stream names in an OLE2 directory (UTF-16LE) that say what the compound file holds.
_CFB_STREAMS = {
    "encrypted": "EncryptedPackage".encode("utf-16-le"),
    "xls": "Workbook".encode("utf-16-le"),
    "doc": "WordDocument".encode("utf-16-le"),
}
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_PDF = b"%PDF"
_RTF = b"{\\rtf"
_IMAGES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")
_WEBP = (b"RIFF", b"WEBP")  # at bytes 0 and 8


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
    if kind == "zip":
        return read_archive(data, schema, limits, filename=filename, parse_member=_parse_member)
    if kind == "text":
        text = data.decode("utf-8", errors="replace")
        return [read_text(numbered_lines(text, "dòng"), schema, limits, filename=filename)]
    return [_READERS[kind](data, schema, limits, filename=filename)]


def _parse_member(filename: str, data: bytes, schema: Schema, limits: ParseLimits) -> list[ParsedReport]:
    """A file inside a zip archive: any type but another archive."""
    check_size(data, limits)
    kind = detect_kind(filename, data, limits)
    if kind == "zip":
        raise ParseError("unsupported", f"{filename}: an archive inside an archive is not opened")
    return parse_attachment(filename, data, schema, limits)


def detect_kind(filename: str, data: bytes, limits: ParseLimits) -> str:
    """The reader for a file (a key of _READERS, "zip" or "text"), or ParseError."""
    extension = PurePath(filename).suffix.lower()
    if data.startswith(_CFB):
        return _compound_kind(filename, data, extension)
    if data.startswith(_ZIP):
        with open_zip(data, limits) as archive:
            kind = _zip_kind(archive)
            if kind is not None:
                refuse_dtd(archive)
        if kind is not None:
            return kind
        if extension in _ZIP_EXTENSIONS:
            raise ParseError("corrupt", f"{filename} is a zip file with no workbook or document inside")
        return "zip"
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_RTF):
        return "rtf"
    if _is_heic(data) or (extension in _UNREAD_PICTURES and not data.startswith(_IMAGES)):
        raise ParseError("scanned", f"{filename} is a picture; send the Word or Excel file")
    if data.startswith(_IMAGES) or (data[:4], data[8:12]) == _WEBP or extension in _IMAGE_EXTENSIONS:
        return "image"  # read by OCR where Tesseract is installed, else refused as a scan
    if data.startswith(_PDF) or extension == ".pdf":
        return "pdf"
    if extension == ".txt":
        return "text"
    if extension in _EXTENSIONS:
        raise ParseError("corrupt", f"{filename} is not a {extension} file inside")
    raise ParseError("unsupported", f"{filename}: type {extension or '(none)'} is not read")


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    """The office format of a zip-based file, or None for a plain archive."""
    names = set(archive.namelist())
    for part, kind in _ZIP_PARTS.items():
        if part in names:
            return kind
    if "mimetype" in names and "content.xml" in names:
        try:
            mimetype = archive.read("mimetype")[:100].decode("ascii", errors="replace").strip()
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ParseError("corrupt", f"the OpenDocument parts cannot be read ({exc})") from None
        for prefix, kind in _ODF_TYPES.items():
            if mimetype.startswith(prefix):
                # A password-protected OpenDocument file keeps its type and encrypts its parts.
                if b"encryption-data" in manifest:
                    raise ParseError("encrypted", "the OpenDocument file is password-protected")
                return kind
    return None


def _compound_kind(filename: str, data: bytes, extension: str) -> str:
    """An OLE2 file: an encrypted .xlsx/.docx, an old .xls or an old .doc."""
    # Office saves a password-protected .xlsx/.docx inside an OLE2 container.
    if _CFB_STREAMS["encrypted"] in data or extension in _OOXML:
        raise ParseError("encrypted", f"{filename} is password-protected")
    for kind in ("xls", "doc"):
        if _CFB_STREAMS[kind] in data:
            return kind
    if extension in (".xls", ".doc"):
        return extension[1:]
    raise ParseError("unsupported", f"{filename} is an OLE2 compound file of a type not read")


def _is_heic(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"hevc")
