"""Text PDFs with ruled tables: a Word report printed to PDF by LibreOffice reads as the Word file
does, table rows cut by a page break included; PDFs without ruled tables are read line by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.limits import ParseLimits
from parsers.office_convert import converter
from parsers.pdf_tables import ruled_tables
from parsers.registry import parse_attachment
from parsers.report import ParsedReport
from tests.parsers.signed_pdfs import documents

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "files"
CORPUS_EXPECTED = json.loads((CORPUS.parent / "expected.json").read_text(encoding="utf-8"))
needs_libreoffice = pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed")


def read(name: str, data: bytes) -> ParsedReport:
    [report] = parse_attachment(name, data, documents.schema(), ParseLimits())
    return report


@needs_libreoffice
@pytest.mark.parametrize("name", sorted(documents.SOURCES))
def test_a_word_report_printed_to_pdf_reads_as_the_word_file(name):
    """GIVEN the robot's template filled in, and a school's own Nghị định 30 report with a ruled
    table of its own (section rows, ĐVT column, "1.250", "Đã thực hiện", prose below), each
    printed to PDF by LibreOffice WHEN read THEN the same figures, texts and errors as the .docx,
    every figure of the table read from the table's cells."""
    word = read(name, documents.word_files()[name])
    printed = read(name.replace(".docx", ".pdf"), documents.printed_pdfs()[name])

    assert {k: (f.value, f.raw, f.error) for k, f in printed.values.items()} == \
        {k: (f.value, f.raw, f.error) for k, f in word.values.items()}
    in_table = {key for key, found in printed.values.items() if ", bảng " in found.source}
    prose = {"kho_khan", "kien_nghi"} if name == "school-report.docx" else set()  # lines below the table
    assert in_table == set(printed.values) - prose
    assert printed.warnings == word.warnings == []


@needs_libreoffice
def test_the_templates_hints_survive_printing():
    """The unit and period written in the template's header lines are read from the PDF too."""
    word = read("bc.docx", documents.word_files()["template-thpt.docx"])
    printed = read("bc.pdf", documents.printed_pdfs()["template-thpt.docx"])
    assert (printed.unit_hint, printed.period_hint) == (word.unit_hint, word.period_hint) == (
        documents.SCHOOL, documents.PERIOD)


@needs_libreoffice
def test_a_table_cut_by_page_breaks_is_one_table_of_whole_rows():
    """GIVEN the template's indicator table printed over three pages, a row cut at each break
    WHEN its ruled tables are read THEN one table, every row with its STT and code, the cut
    label whole again beside its figure."""
    [table] = ruled_tables(documents.printed_pdfs()["template-thpt.docx"], ParseLimits())

    assert {row[0].source.split(",")[0] for row in table} >= {"trang 1", "trang 2"}
    assert all(row[0].text and row[1].text for row in table)
    [row] = [row for row in table if row[1].text == "05"]
    assert row[2].text == "Số học sinh, sinh viên được tuyên truyền"
    assert row[3].text == "1250"


def test_a_pdf_without_ruled_tables_is_read_line_by_line():
    """GIVEN a printed report whose figures are "Label: value" lines WHEN read THEN no ruled
    table, and every figure from the text lines, as before."""
    data = (CORPUS / "41-printed-lines.pdf").read_bytes()
    assert ruled_tables(data, ParseLimits()) == []
    report = read("41-printed-lines.pdf", data)
    assert {k: f.value for k, f in report.values.items()} == CORPUS_EXPECTED["41-printed-lines.pdf"]["values"]


def test_text_running_past_the_tables_right_rule_is_read_whole():
    """GIVEN a printed table whose last column's text runs past the right rule (not wrapped)
    WHEN read THEN the whole text, not the part inside the rules."""
    report = read("40-printed-table.pdf", (CORPUS / "40-printed-table.pdf").read_bytes())
    assert report.values["kho_khan"].value == CORPUS_EXPECTED["40-printed-table.pdf"]["values"]["kho_khan"]
    assert ", bảng 1, dòng " in report.values["kho_khan"].source
