"""A report saved by LibreOffice as .ods/.odt/.rtf, or by SheetJS as .xlsb, reads exactly as the
.xlsx/.docx it was saved from: the new formats lose no figure, hint or warning on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.office_convert import converter
from parsers.registry import parse_attachment
from robot.parsing import parse_limits
from tests.filling import filled_docx, filled_xlsx
from tests.parsers.office_files import make_office_files as made
from tests.parsers.office_files.reading import EXPECTED, read_saved, shipped_config

SCHEMA = shipped_config().schema()
SCHOOL = {s.key: made.SCHOOL_FIGURES[s.key] for s in SCHEMA.for_unit_type("thpt")}
DISTRICT = {s.key: made.DISTRICT_FIGURES[s.key] for s in SCHEMA.for_unit_type("phong_gddt")}

# Each saved file and the office file it was saved from, rebuilt here by the same generator code.
SOURCES = {
    "ods-template-thpt.ods": lambda: filled_xlsx(SCHEMA, "thpt", SCHOOL, made.SCHOOL, "6 tháng đầu năm 2026"),
    "ods-rows-moved-retyped.ods": lambda: made.template_rows_moved(SCHEMA, "thpt", SCHOOL, made.SCHOOL, "Năm 2026"),
    "ods-own-table-pgd.ods": lambda: made.own_table_workbook(SCHEMA, DISTRICT, made.DISTRICT, "6 tháng đầu năm 2026"),
    "xlsb-template-pgd.xlsb": lambda: filled_xlsx(SCHEMA, "phong_gddt", DISTRICT, made.DISTRICT, "Năm 2026"),
    "xlsb-rows-moved-retyped.xlsb": lambda: made.template_rows_moved(SCHEMA, "thpt", SCHOOL, made.SCHOOL, "Năm 2026"),
    "odt-template-thpt.odt": lambda: filled_docx(SCHEMA, "thpt", SCHOOL, made.SCHOOL, "6 tháng đầu năm 2026"),
    "odt-nd30-prose.odt": lambda: made.nd30_prose(SCHOOL, made.SCHOOL, "năm 2026"),
    "rtf-template-pgd.rtf": lambda: filled_docx(SCHEMA, "phong_gddt", DISTRICT, made.DISTRICT, "Năm 2026"),
    "rtf-table-rows-moved.rtf": lambda: made.nd30_table_rows_moved(DISTRICT, made.DISTRICT, "6 tháng đầu năm 2026"),
}


def test_every_office_file_has_its_source():
    assert set(SOURCES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_saved_file_reads_as_its_source(name):
    """GIVEN a report as the clerk's office suite saved it WHEN read THEN the same figures, raw
    texts, unit, period and warnings as the file it was saved from (sources differ only in where:
    a sheet keeps its cells' addresses, a document its table rows and paragraphs)."""
    if name.endswith((".odt", ".rtf")) and converter() is None:
        pytest.skip("LibreOffice is not installed")
    source_suffix = ".docx" if name.endswith((".odt", ".rtf")) else ".xlsx"
    [source] = parse_attachment(Path(name).with_suffix(source_suffix).name, SOURCES[name](), SCHEMA,
                                parse_limits(shipped_config()))
    saved = read_saved(name)
    assert {k: (f.value, f.raw, f.error) for k, f in saved.values.items()} == \
        {k: (f.value, f.raw, f.error) for k, f in source.values.items()}
    assert (saved.unit_hint, saved.period_hint) == (source.unit_hint, source.period_hint)
    assert len(saved.warnings) == len(source.warnings)
    if source_suffix == ".xlsx":
        assert {k: f.source for k, f in saved.values.items()} == {k: f.source for k, f in source.values.items()}
