"""OpenDocument text (.odt) and Rich Text (.rtf) reports: converted to .docx, then read as Word.

LibreOffice is the converter already used for .doc: it writes both formats itself, so one
well-tried path serves them, and everything the Word reader knows (tables, "Label: value"
paragraphs, the header block) applies unchanged.
"""

from __future__ import annotations

from parsers.docx_reader import read_docx
from parsers.limits import ParseLimits
from parsers.office_convert import converter, to_docx
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema


def read_odt(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read an OpenDocument text report (LibreOffice Writer, WPS, Google Docs export)."""
    return _read_converted(data, ".odt", schema, limits or ParseLimits(), filename)


def read_rtf(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read a Rich Text report (WordPad, or Word's "Rich Text Format" save)."""
    return _read_converted(data, ".rtf", schema, limits or ParseLimits(), filename)


def _read_converted(data: bytes, suffix: str, schema: Schema, limits: ParseLimits, filename: str) -> ParsedReport:
    binary = converter()
    if binary is None:
        raise ParseError("unsupported", f"{filename}: LibreOffice is not installed to convert {suffix}; "
                                        "the sender should save the report as .docx")
    docx = to_docx(binary, data, suffix, limits.convert_seconds, filename=filename)
    return read_docx(docx, schema, limits, filename=filename)
