"""`robot export`: every unit's figures for one or more periods as JSON, CSV or XLSX.

Each programme has its own indicators: JSON rows carry theirs, a workbook has a sheet per
programme, a CSV holds one programme.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from robot.config import Config
from robot.status import StatusRow

if TYPE_CHECKING:
    from openpyxl.cell import Cell

# Spreadsheet programs read a cell as a formula when its text starts with one of = + - @, also
# after blanks (" =1+1"); a leading tab or carriage return also triggers it in CSV imports.
_FORMULA_LIKE = re.compile(r"\A\s*[=+\-@]")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula if someone typed it in."""
    return _FORMULA_LIKE.match(text) is not None


def neutralise(text: str) -> str:
    """Text from senders made inert for CSV: a leading quote stops formula evaluation."""
    return "'" + text if formula_like(text) or text.startswith(("\t", "\r")) else text


def columns(config: Config) -> list[str]:
    base = ["period", "unit_code", "unit_name", "unit_type", "state", "on_time",
            "received_at", "version"]
    return base + [f.key for f in config.fields]


def _record(config: Config, row: StatusRow) -> dict:
    record = {
        "period": row.period.id, "unit_code": row.unit.code, "unit_name": row.unit.name,
        "unit_type": row.unit.type, "state": row.state, "on_time": row.on_time,
        "received_at": row.received_at.isoformat() if row.received_at else None,
        "version": row.version,
    }
    for spec in config.fields:
        record[spec.key] = row.values.get(spec.key)
    return record


def to_json(config: Config, views: Sequence[Config], rows: list[StatusRow]) -> bytes:
    """Every row with its programme's figures; with several programmes configured, its programme first."""
    by_id = {view.programme_id: view for view in views}
    records = []
    for row in rows:
        view = by_id[row.period.programme]
        named = {"programme": row.period.programme} if config.has_programmes else {}
        records.append(named | _record(view, row) | {"missing": row.missing, "invalid": row.invalid})
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def to_csv(config: Config, views: Sequence[Config], rows: list[StatusRow]) -> bytes:
    """The rows of one programme (``views`` holds one: a CSV has one set of columns)."""
    (view,) = views
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns(view))
    writer.writeheader()
    for row in rows:
        record = _record(view, row)
        writer.writerow({k: neutralise(v) if isinstance(v, str) else v for k, v in record.items()})
    # A BOM makes Excel open the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(config: Config, views: Sequence[Config], rows: list[StatusRow]) -> bytes:
    """A sheet per programme of ``views``, named by its id ("export" when only one is configured)."""
    from openpyxl import Workbook  # imported here: only `export --format xlsx` needs it

    book = Workbook()
    book.remove(book.active)
    for view in views:
        sheet = book.create_sheet(view.programme_id[:31] if config.has_programmes else "export")
        sheet.append(columns(view))
        for row in rows:
            if row.period.programme == view.programme_id:
                sheet.append(list(_record(view, row).values()))
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                keep_text(cell)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def keep_text(cell: Cell) -> None:
    """Keep a cell's text as text, never a formula, whatever the sender wrote — also once edited in Excel.

    openpyxl stores a string starting with "=" as a formula: it is turned back into a string. The
    quote prefix (Excel's leading apostrophe) keeps any formula-like text inert when a person
    edits the cell.
    """
    if cell.data_type == "f":
        cell.data_type = "s"
    if isinstance(cell.value, str) and formula_like(cell.value):
        cell.quotePrefix = True
