"""Old Word reports (.doc, Word 97-2003): converted to .docx by LibreOffice headless, then read."""

from __future__ import annotations

from parsers.docx_reader import read_docx
from parsers.limits import ParseLimits
from parsers.office_convert import converter, to_docx
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema


def read_doc(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Convert the .doc to .docx and read that."""
    limits = limits or ParseLimits()
    binary = converter()
    if binary is None:
        raise ParseError("old_word", f"{filename}: LibreOffice is not installed to convert .doc")
    docx = to_docx(binary, data, ".doc", limits.convert_seconds, filename=filename)
    return read_docx(docx, schema, limits, filename=filename)
