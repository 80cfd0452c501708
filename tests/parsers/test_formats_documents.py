""".odt and .rtf reports go through the LibreOffice conversion used for .doc: what happens when
LibreOffice is missing or hangs."""

from __future__ import annotations

import pytest

from parsers.limits import ParseLimits
from parsers.office_convert import converter
from parsers.registry import parse_attachment
from parsers.report import ParseError
from robot.wording import file_problem
from tests.parsers.office_files.reading import FILES

DOCUMENTS = ["odt-template-thpt.odt", "rtf-template-pgd.rtf"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_without_libreoffice_the_sender_is_asked_for_docx(monkeypatch, schema, name):
    """GIVEN no LibreOffice on the server WHEN an .odt or .rtf arrives THEN 'unsupported', whose
    reply asks for the Word (.docx) file, and the log detail says why."""
    monkeypatch.setattr("parsers.writer_reader.converter", lambda: None)
    with pytest.raises(ParseError) as caught:
        parse_attachment(name, (FILES / name).read_bytes(), schema)
    assert caught.value.reason == "unsupported"
    assert "LibreOffice is not installed" in caught.value.detail and ".docx" in caught.value.detail
    assert "Word (.docx)" in file_problem("unsupported")[1]


@pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", DOCUMENTS)
def test_conversion_past_its_time_is_killed(schema, name):
    """GIVEN a conversion time limit LibreOffice cannot meet THEN 'timeout', and no report."""
    with pytest.raises(ParseError) as caught:
        parse_attachment(name, (FILES / name).read_bytes(), schema, ParseLimits(convert_seconds=0.05))
    assert caught.value.reason == "timeout"
