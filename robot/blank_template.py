"""The blank report template attached to notices, and written by `robot template`."""

from __future__ import annotations

from mailer.incoming import Attachment
from parsers.template_docx import write_docx_template
from parsers.template_xlsx import write_xlsx_template
from robot.config import Config
from robot.periods import Period

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template_bytes(config: Config, fmt: str, unit_type: str | None, period: Period | None = None,
                   unit_name: str = "") -> bytes:
    """The template in ``fmt`` (xlsx or docx) for a unit type, titled for a period if given."""
    writer = write_xlsx_template if fmt == "xlsx" else write_docx_template
    title = period.title if period else ""
    return writer(config.schema(), unit_type, report_title=title, unit_name=unit_name)


def blank_template(config: Config, unit_type: str | None, period: Period | None) -> Attachment:
    data = template_bytes(config, "xlsx", unit_type, period)
    name = f"mau-bao-cao-{period.id}.xlsx" if period else "mau-bao-cao.xlsx"
    return Attachment(filename=name, content_type=XLSX_TYPE, data=data)
