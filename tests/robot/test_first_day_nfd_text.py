"""Reports typed in decomposed Unicode (NFD) read the same figures as the usual composed form (NFC).

Issue 10, finding 6: Unikey's "Unicode tổ hợp" and macOS write Vietnamese decomposed; a count
written "Không" was "không phải là số" in NFD and 0 in NFC.
"""

from __future__ import annotations

import io
import json
import unicodedata

import docx
import openpyxl
import pytest

from tests.filling import filled_docx, filled_xlsx
from tests.realmail import File, Person, apple_mail, outlook
from tests.robot.conftest import COMPLETE
from tests.robotenv import local

RECEIVED = local(2026, 11, 19, 16, 0)
NOW = "2026-11-19T17:00:00+07:00"
# As people type "none": the word, not a digit, in the two counts of violations.
TYPED = COMPLETE | {"so_vu_vi_pham": "Không", "so_vu_xu_ly": "Không"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def decomposed_xlsx(data: bytes) -> bytes:
    """The workbook with every text cell and sheet name decomposed, as Unikey's "Unicode tổ hợp" types."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        sheet.title = nfd(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = nfd(cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decomposed_docx(data: bytes) -> bytes:
    """The document with the text of every run (body and tables) and its title decomposed."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for paragraph in paragraphs:
        for run in paragraph.runs:
            run.text = nfd(run.text)
    document.core_properties.title = nfd(document.core_properties.title or "")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_decomposed_report_reads_the_same_figures_as_composed(robot_env, mailbox, smtp_server, fmt):
    """GIVEN two schools' reports with the same figures ("Không" typed for the counts of violations),
    one composed (NFC, from Outlook on Windows), one decomposed throughout (NFD: cells, labels,
    file name and subject, from Apple Mail on macOS)
    WHEN the robot polls
    THEN both are complete and the store holds the same figures for both, the text ones in NFC."""
    nfc_school, nfd_school = [u for u in robot_env.config.units if u.type == "thpt"][:2]
    schema = robot_env.config.schema()
    fill = filled_xlsx if fmt == "xlsx" else filled_docx
    decompose = decomposed_xlsx if fmt == "xlsx" else decomposed_docx
    composed = fill(schema, "thpt", TYPED, unit_name=nfc_school.name, period="Năm 2026")
    decomposed = decompose(fill(schema, "thpt", TYPED, unit_name=nfd_school.name, period="Năm 2026"))
    assert robot_env.cli("poll", "--now", "2026-11-19T08:00:00+07:00").exit_code == 0  # first contact
    mailbox.append(outlook(Person("Văn thư", nfc_school.emails[0]), "Báo cáo năm 2026 công tác PCMD",
                           "Kính gửi Sở,\nTrường gửi báo cáo.\nTrân trọng.", sent=RECEIVED,
                           files=[File(f"Báo cáo năm 2026.{fmt}", composed)]),
                   internaldate=RECEIVED)
    mailbox.append(apple_mail(Person(nfd("Phạm Thị Hồng"), nfd_school.emails[0]), nfd("Báo cáo năm 2026 công tác PCMD"),
                              nfd("Kính gửi Sở,\nTrường gửi báo cáo.\nTrân trọng."), sent=RECEIVED,
                              files=[File(nfd(f"Báo cáo năm 2026.{fmt}"), decomposed)]),
                   internaldate=RECEIVED)

    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    rows = {r["unit_code"]: r for r in json.loads(
        robot_env.cli("status", "--period", "annual-2026", "--now", NOW, "--json").stdout)}
    composed_row, decomposed_row = rows[nfc_school.code], rows[nfd_school.code]
    assert composed_row["state"] == "complete", composed_row
    assert decomposed_row["state"] == "complete", decomposed_row
    assert decomposed_row["values"] == composed_row["values"] == COMPLETE
    assert decomposed_row["invalid"] == []
