"""Scans and photos read by OCR: picture files (.jpg, .png, .tif …), PDFs whose pages are only
pictures, and Word files holding nothing but pictures of the pages.

Where Tesseract or its Vietnamese model is missing, every one of these is refused as
``scanned`` (the robot then asks for the Word or Excel file); so is a scan in which OCR finds
no indicator at all (a blurred photo, a picture that is not the report).

The OCR modules (OpenCV, NumPy, pytesseract) are imported only when a scan is read: the
registry is imported by every robot command, scans are read only in the parse worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from parsers.limits import ParseLimits, open_zip
from parsers.ocr.available import ocr_available
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema

if TYPE_CHECKING:
    import pypdf

    from parsers.ocr.scan import ScanPage

_MEDIA = re.compile(r"^word/media/[^/]+\.(?:png|jpe?g|tiff?|bmp|gif)$", re.IGNORECASE)


def read_image(data: bytes, schema: Schema, limits: ParseLimits | None = None, *,
               filename: str = "") -> ParsedReport:
    """A picture file: each of its pages (a TIFF may hold several) read by OCR."""
    limits = limits or ParseLimits()
    _need_ocr(limits, filename, "is a picture")
    from parsers.ocr.pictures import picture_pages

    count, pages = picture_pages(data, filename=filename, max_pixels=limits.max_image_pixels)
    return _read(pages, count, schema, limits, filename)


def read_scanned_pdf(pdf: pypdf.PdfReader, schema: Schema, limits: ParseLimits, *,
                     filename: str = "") -> ParsedReport:
    """A PDF without a text layer: the picture on each page read by OCR."""
    _need_ocr(limits, filename, "has no text layer (a scan or a photo)")
    from parsers.ocr.pdf_pages import pdf_pages

    count, pages = pdf_pages(pdf, filename=filename, max_pixels=limits.max_image_pixels)
    return _read(pages, count, schema, limits, filename)


def read_docx_pictures(data: bytes, schema: Schema, limits: ParseLimits, *, filename: str = "") -> ParsedReport:
    """A Word file holding only pictures (pages scanned and pasted in): each picture read by OCR."""
    _need_ocr(limits, filename, "holds pictures but no text")
    with open_zip(data, limits) as archive:
        names = sorted((n for n in archive.namelist() if _MEDIA.match(n)), key=_natural)
        pictures = [archive.read(name) for name in names[: limits.max_ocr_pages]]
    return _read(_each_page(pictures, filename, limits), len(names), schema, limits, filename)


def _each_page(pictures: list[bytes], filename: str, limits: ParseLimits) -> Iterator[ScanPage]:
    import dataclasses

    from parsers.ocr.pictures import picture_pages

    for number, data in enumerate(pictures, start=1):
        _, pages = picture_pages(data, filename=f"{filename} (hình {number})", max_pixels=limits.max_image_pixels)
        yield dataclasses.replace(next(pages), number=number)  # picture N of the document is its page N


def _read(pages: Iterator[ScanPage], count: int, schema: Schema, limits: ParseLimits,
          filename: str) -> ParsedReport:
    from parsers.ocr.scan import read_scan

    report = read_scan(pages, schema, limits, filename=filename, total_pages=count)
    if not report.is_report:
        raise ParseError("scanned", f"{filename}: no indicator found by OCR")
    return report


def _need_ocr(limits: ParseLimits, filename: str, what: str) -> None:
    if not limits.read_scans:
        raise ParseError("scanned", f"{filename} {what}; scans are not read (ParseLimits.read_scans)")
    if not ocr_available():
        raise ParseError("scanned", f"{filename} {what}; OCR (tesseract-ocr-vie) is not installed")


def _natural(name: str) -> tuple[int, str]:
    """word/media/image2.png before image10.png: the order the pictures were pasted in."""
    digits = re.findall(r"\d+", name)
    return (int(digits[-1]) if digits else 0, name)
