"""Reports typed in the old Vietnamese font encodings (TCVN3 .VnTime, VNI-Times) are acknowledged like any other."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from openpyxl.styles import Font

from tests.filling import filled_xlsx
from tests.parsers.legacy_text import to_tcvn3, to_tcvn3_capitals, to_vni
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, text_of

NOW = "2026-11-20T10:00:00+07:00"


def _workbook_in_legacy_fonts(data: bytes, encoding: str) -> bytes:
    """The workbook as a school with an old template has it: every text cell in .VnTime(H) or VNI-Times."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    if encoding == "vni":
                        cell.value, name = to_vni(cell.value), "VNI-Times"
                    elif cell.value.isupper():
                        cell.value, name = to_tcvn3_capitals(cell.value), ".VnTimeH"
                    else:
                        cell.value, name = to_tcvn3(cell.value), ".VnTime"
                    cell.font = Font(name=name, size=cell.font.size, bold=cell.font.bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_report_in_an_old_font_is_acknowledged_with_its_figures(robot_env, mailbox, smtp_server, school, encoding):
    """GIVEN a school's Excel report whose every text cell is typed in .VnTime(H) or VNI-Times
    WHEN polled THEN it is filed complete and the acknowledgement lists the figures in Unicode."""
    unicode = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name)
    legacy = _workbook_in_legacy_fonts(unicode, encoding)
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(legacy)).active.iter_rows() for c in row]
    assert not any(isinstance(v, str) and "học sinh" in v for v in cells)  # no Unicode left in the file
    mailbox.append(mail(school.emails[0], "Báo cáo PCMD năm 2026", [("bao-cao-pcmd.xlsx", legacy)]),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    (ack,) = smtp_server.wait_for(1)
    assert ack.parsed["X-Report-Robot"] == "ack"
    assert "Số học sinh, sinh viên được tuyên truyền" in text_of(ack.parsed)
    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--json").stdout)
    row = next(r for r in rows if r["unit_code"] == school.code)
    assert row["state"] == "complete"
    assert row["values"]["ke_hoach"] is True and row["values"]["so_hssv_duoc_tt"] == COMPLETE["so_hssv_duoc_tt"]
