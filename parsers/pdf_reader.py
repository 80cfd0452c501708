"""PDF reports with a text layer (printed to PDF from Word or Excel); scans without one are read by OCR.

Figures come from the ruled tables when they hold any, else from the text layer read line by
line; the text layer always gives the unit, period and title. A digitally signed PDF is read as
it was signed: when it was changed after signing, the figures of the signed revision are taken
and the ones the later change shows are noted in its signature.
"""

from __future__ import annotations

import dataclasses
import io
import logging

import pypdf
from pypdf.errors import PyPdfError

from parsers.hints import HintFinder
from parsers.image_reader import read_scanned_pdf
from parsers.limits import ParseLimits
from parsers.pdf_tables import ruled_tables
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import GridReader, assemble
from parsers.template_text import marker_in
from parsers.text_reader import numbered_lines, read_text

# pypdf logs every odd object of a broken file at WARNING; the outcome is reported anyway.
logging.getLogger("pypdf").setLevel(logging.ERROR)
# Every signature dictionary names the bytes it signs, in the clear (never in an object stream).
_SIGNED = b"/ByteRange"


def read_pdf(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read a PDF report: as signed when it carries a digital signature, else as it is."""
    limits = limits or ParseLimits()
    if _SIGNED not in data:
        return _read_document(data, schema, limits, filename)
    from parsers.pdf_signature import validate  # pyHanko is imported only for signed PDFs

    validated = validate(data, limits.trust_roots)
    if validated is None:
        return _read_document(data, schema, limits, filename)
    signature, signed_end = validated
    if not (signature.intact and signature.modified_after_signing):
        report = _read_document(data, schema, limits, filename)
    else:
        report = _read_document(data[:signed_end], schema, limits, filename)
        signature = dataclasses.replace(signature, changed=_changes(report, data, schema, limits, filename))
    report.signature = signature
    return report


def _changes(signed: ParsedReport, data: bytes, schema: Schema, limits: ParseLimits,
             filename: str) -> tuple[tuple[str, str], ...]:
    """(key, text as sent) for each figure the file as sent shows differently from the signed one."""
    try:
        sent = _read_document(data, schema, limits, filename)
    except ParseError:
        return ()
    return tuple(
        (key, found.raw) for key, found in sent.values.items()
        if key not in signed.values or signed.values[key].value != found.value
    )


def _read_document(data: bytes, schema: Schema, limits: ParseLimits, filename: str) -> ParsedReport:
    """Read one revision's text layer, page by page in layout mode (columns kept apart), and its
    ruled tables."""
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
    if not lines:  # a scan: its page pictures are read by OCR (refused as "scanned" without it)
        return read_scanned_pdf(pdf, schema, limits, filename=filename)
    report = read_text(lines, schema, limits, filename=filename)
    tabled = _read_tables(data, schema, limits, filename)
    if tabled.values:
        report = _with_text(tabled, report)
    report.template_code = marker_in(str(keywords) if keywords else None)
    if len(pdf.pages) > limits.max_pages:
        report.warnings.append(f"chỉ đọc {limits.max_pages} trang đầu")
    return report


def _read_tables(data: bytes, schema: Schema, limits: ParseLimits, filename: str) -> ParsedReport:
    """The figures of the ruled tables alone."""
    reader = GridReader(schema.fields, HintFinder())
    grids = [reader.read(rows) for rows in ruled_tables(data, limits)]
    return assemble(filename, grids, [], reader)


def _with_text(tabled: ParsedReport, text: ParsedReport) -> ParsedReport:
    """The tables' figures, with what only the text layer shows: the hints, and "Label: value"
    lines outside the tables for fields the tables lack (its own reading of the table rows,
    one printed line at a time, is left out)."""
    for key, found in text.values.items():
        if found.via == "body" and key not in tabled.values:
            tabled.values[key] = found
    tabled.unit_hint = text.unit_hint or tabled.unit_hint
    tabled.period_hint = text.period_hint or tabled.period_hint
    tabled.title = text.title or tabled.title
    return tabled
