"""Which reader an OpenDocument, RTF or XLSB attachment goes to, by content before name, and the
reasons given when such a file cannot be read."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.limits import ParseLimits
from parsers.office_convert import converter
from parsers.registry import detect_kind, is_supported, parse_attachment
from parsers.report import ParseError
from tests.parsers.office_files.reading import FILES

ODS = (FILES / "ods-template-thpt.ods").read_bytes()
ODT = (FILES / "odt-template-thpt.odt").read_bytes()
RTF = (FILES / "rtf-template-pgd.rtf").read_bytes()
XLSB = (FILES / "xlsb-template-pgd.xlsb").read_bytes()
needs_soffice = pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed")


def reason(filename: str, data: bytes, schema, limits: ParseLimits | None = None) -> str:
    with pytest.raises(ParseError) as caught:
        parse_attachment(filename, data, schema, limits)
    return caught.value.reason


def rezipped(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same zip-based file with some members replaced or added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item)))
        for name, payload in (add or {}).items():
            target.writestr(name, payload)
    return buffer.getvalue()


@pytest.mark.parametrize("filename", ["bao-cao.ods", "BAO CAO.ODT", "bc.rtf", "Bao cao nam.xlsb"])
def test_new_formats_are_supported_by_name(filename):
    assert is_supported(filename)


@pytest.mark.parametrize(("data", "kind"), [(ODS, "ods"), (ODT, "odt"), (RTF, "rtf"), (XLSB, "xlsb")])
def test_kind_is_read_from_the_content_whatever_the_name(data, kind):
    """GIVEN each format saved under a misleading or missing extension THEN its own reader."""
    for filename in ("bao-cao.xlsx", "bao-cao.doc", "bao-cao"):
        assert detect_kind(filename, data, ParseLimits()) == kind


def test_spreadsheet_saved_with_an_excel_name_is_read(schema):
    """GIVEN LibreOffice's .ods sent as "bao-cao.xlsx" THEN the figures are read all the same."""
    [report] = parse_attachment("bao-cao.xlsx", ODS, schema)
    assert report.values["so_hssv_duoc_tt"].value == 1318


@needs_soffice
def test_rich_text_saved_with_a_word_name_is_read(schema):
    """GIVEN an RTF report named .doc (Word's "Rich Text Format" keeps the name people type)
    THEN it is converted and read, not refused as a broken Word 97 file."""
    [report] = parse_attachment("Bao cao PCMD.doc", RTF, schema)
    assert report.values["so_truong_truc_thuoc"].value == 52


@pytest.mark.parametrize("filename", ["bao-cao.ods", "bao-cao.odt", "bao-cao.xlsb", "bao-cao.rtf"])
def test_garbage_with_a_new_format_name_is_corrupt(schema, filename):
    assert reason(filename, b"this is not a report", schema) == "corrupt"


@pytest.mark.parametrize("filename", ["bao-cao.ods", "bao-cao.odt", "bao-cao.xlsb"])
def test_zip_without_the_formats_parts_is_corrupt(schema, filename):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    assert reason(filename, buffer.getvalue(), schema) == "corrupt"


@pytest.mark.parametrize("data", [ODS, ODT])
def test_password_protected_opendocument_is_encrypted(schema, data):
    """GIVEN an OpenDocument file whose manifest lists encryption data for its parts (as
    LibreOffice writes it when saved with a password) THEN 'encrypted', before any reader runs."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = archive.read("META-INF/manifest.xml").decode()
    entry = '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"'
    encrypted = manifest.replace(
        f'{entry}/>',
        f'{entry} manifest:size="4096"><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
        'manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
        'manifest:initialisation-vector="x"/></manifest:encryption-data></manifest:file-entry>')
    assert encrypted != manifest
    assert reason("bao-cao.ods", rezipped(data, {"META-INF/manifest.xml": encrypted.encode()}), schema) == "encrypted"


@pytest.mark.parametrize("data", [ODS, XLSB, ODT])
def test_zip_bomb_inside_an_office_file_is_refused(schema, data):
    """GIVEN a 30 MiB member of zeros added to the file THEN 'limits' before any reader runs."""
    assert reason("bao-cao", rezipped(data, add={"Thumbnails/padding.bin": bytes(30 * 1024 * 1024)}), schema) == "limits"


def test_entity_declarations_in_opendocument_content_are_refused(schema):
    with zipfile.ZipFile(io.BytesIO(ODS)) as archive:
        content = archive.read("content.xml")
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + content.split(b"?>", 1)[1]
    assert reason("bao-cao.ods", rezipped(ODS, {"content.xml": laughs}), schema) == "limits"
