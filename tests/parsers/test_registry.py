"""Choosing the parser, and refusing what cannot be read with the right reason."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.limits import ParseLimits
from parsers.registry import is_supported, parse_attachment
from parsers.report import ParseError
from parsers.template_docx import write_docx_template
from parsers.template_xlsx import write_xlsx_template

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def reason(filename: str, data: bytes, schema, limits: ParseLimits | None = None) -> str:
    with pytest.raises(ParseError) as caught:
        parse_attachment(filename, data, schema, limits)
    return caught.value.reason


@pytest.mark.parametrize(
    ("filename", "supported"),
    [
        ("bao-cao.xlsx", True),
        ("BAO CAO.XLSX", True),
        ("a.xlsm", True),
        ("a.docx", True),
        ("a.xls", True),
        ("a.doc", True),
        ("a.pdf", True),
        ("a.jpg", False),
        ("a.zip", True),
        ("docx", False),
    ],
)
def test_is_supported_by_name(filename, supported):
    assert is_supported(filename) is supported


def test_encrypted_office_file_is_named_as_such(schema):
    """GIVEN a password-protected .xlsx (an OLE2 container) THEN the reason is 'encrypted'."""
    assert reason("bao-cao.xlsx", CFB + b"\x00" * 512, schema) == "encrypted"
    assert reason("bao-cao.docx", CFB + b"\x00" * 512, schema) == "encrypted"


def test_broken_old_excel_file_is_corrupt(schema):
    assert reason("bao-cao.xls", CFB + b"\x00" * 512, schema) == "corrupt"


def test_unknown_compound_file_is_unsupported(schema):
    assert reason("bao-cao.bin", CFB + b"\x00" * 512, schema) == "unsupported"


@pytest.mark.parametrize("filename", ["bao-cao.xlsx", "bao-cao.docx"])
def test_garbage_with_an_office_name_is_corrupt(schema, filename):
    assert reason(filename, b"this is not a spreadsheet", schema) == "corrupt"
    assert reason(filename, b"", schema) == "corrupt"


def test_truncated_file_is_corrupt(schema):
    data = write_xlsx_template(schema)
    assert reason("bao-cao.xlsx", data[: len(data) // 2], schema) == "corrupt"


def test_zip_without_a_workbook_is_corrupt(schema):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    assert reason("bao-cao.xlsx", buffer.getvalue(), schema) == "corrupt"


def test_broken_workbook_xml_is_corrupt(schema):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")
    assert reason("bao-cao.xlsx", buffer.getvalue(), schema) == "corrupt"


@pytest.mark.parametrize("filename", ["scan.jpg", "scan.png", "IMG_0001.HEIC", "scan.tif"])
def test_pictures_are_scanned(schema, filename):
    assert reason(filename, PNG, schema) == "scanned"


def test_picture_renamed_as_xlsx_is_scanned(schema):
    assert reason("bao-cao.xlsx", PNG, schema) == "scanned"


@pytest.mark.parametrize("filename", ["bao-cao.pages", "noname"])
def test_other_types_are_unsupported(schema, filename):
    assert reason(filename, b"hello", schema) == "unsupported"


def test_broken_pdf_is_corrupt(schema):
    assert reason("ky-ten.pdf", b"%PDF-1.7\n", schema) == "corrupt"


def test_text_file_without_figures_is_no_report(schema):
    [report] = parse_attachment("ghi-chu.txt", "Kính gửi Sở".encode(), schema)
    assert not report.is_report


def test_content_wins_over_the_extension(schema):
    """GIVEN a Word file saved with an .xlsx name THEN it is read as Word."""
    [report] = parse_attachment(
        "bao-cao.xlsx", write_docx_template(schema, unit_name="Trường THPT A"), schema
    )
    assert report.unit_hint == "Trường THPT A"
    assert report.filename == "bao-cao.xlsx"


def test_too_large_file_is_refused_before_reading(schema):
    data = write_xlsx_template(schema)
    assert reason("bao-cao.xlsx", data, schema, ParseLimits(max_bytes=len(data) - 1)) == "too_large"
    assert parse_attachment("bao-cao.xlsx", data, schema, ParseLimits(max_bytes=len(data)))


def _with_member(data: bytes, name: str, payload: bytes) -> bytes:
    """The same zip-based file with one more member, deflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, payload)
    return buffer.getvalue()


def test_zip_bomb_member_is_refused_by_ratio(schema):
    """GIVEN an .xlsx with a 30 MiB member of zeros (a thousandfold ratio) THEN 'limits'."""
    bomb = _with_member(write_xlsx_template(schema), "xl/media/padding.bin", bytes(30 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    assert reason("bao-cao.xlsx", bomb, schema) == "limits"


def test_total_unpacked_size_is_capped(schema):
    data = write_docx_template(schema)
    assert reason("bao-cao.docx", data, schema, ParseLimits(max_uncompressed_bytes=10_000)) == "limits"


def test_entity_declarations_in_a_workbook_are_refused(schema):
    """GIVEN a sheet whose XML declares entities (billion laughs) THEN 'limits', nothing expanded."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    data = write_xlsx_template(schema)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            payload = (
                laughs.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            )
            target.writestr(item, payload)
    with pytest.raises(ParseError) as caught:
        parse_attachment("bao-cao.xlsx", buffer.getvalue(), schema)
    assert caught.value.reason == "limits", caught.value.detail
