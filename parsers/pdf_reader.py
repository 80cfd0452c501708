"""PDF reports with a text layer (printed to PDF from Word or Excel); scans without text are refused."""

from __future__ import annotations

import io
import logging

import pypdf
from pypdf.errors import PyPdfError

from parsers.limits import ParseLimits
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.template_text import marker_in
from parsers.text_reader import numbered_lines, read_text

# pypdf logs every odd object of a broken file at WARNING; the outcome is reported anyway.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read the text layer of a PDF, page by page, in layout mode (columns kept apart)."""
    limits = limits or ParseLimits()
    try:
        pdf = pypdf.PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not pdf.decrypt(""):  # an owner password alone still reads
            raise ParseError("encrypted", f"{filename} needs a password to open")
        lines: list[tuple[str, str]] = []
        for number, page in enumerate(pdf.pages, start=1):
            if number > limits.max_pages:
                break
            lines += numbered_lines(page.extract_text(extraction_mode="layout"), f"trang {number}")
        # A template printed to PDF keeps its keywords in the document information.
        keywords = (pdf.metadata or {}).get("/Keywords")
    except ParseError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, NotImplementedError, OSError) as exc:
        raise ParseError("corrupt", f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    if not lines:
        raise ParseError("scanned", f"{filename} has no text layer (a scan or a photo)")
    report = read_text(lines, schema, limits, filename=filename)
    report.template_code = marker_in(str(keywords) if keywords else None)
    if len(pdf.pages) > limits.max_pages:
        report.warnings.append(f"chỉ đọc {limits.max_pages} trang đầu")
    return report
