"""The page pictures of a scanned PDF: on each page the largest image (the scan itself), turned as
the page is turned, with its resolution from the page's printed size."""

from __future__ import annotations

from collections.abc import Iterator

import pypdf
from pypdf.errors import PyPdfError

from parsers.ocr.pictures import page_of
from parsers.ocr.scan import ScanPage
from parsers.report import ParseError

_POINTS_PER_INCH = 72


def pdf_pages(pdf: pypdf.PdfReader, *, filename: str, max_pixels: int) -> tuple[int, Iterator[ScanPage]]:
    """How many pages the PDF has, and the scan of each page decoded one at a time.

    A page without an image yields nothing; an image past ``max_pixels`` is refused before it
    is decoded.
    """
    return len(pdf.pages), _pages(pdf, filename, max_pixels)


def _pages(pdf: pypdf.PdfReader, filename: str, max_pixels: int) -> Iterator[ScanPage]:
    for number, page in enumerate(pdf.pages, start=1):
        try:
            scan = _largest_image(page)
            if scan is None:
                continue
            name, pixels = scan
            if pixels > max_pixels:
                raise ParseError("limits", f"{filename}: page {number} holds a {pixels}-pixel picture")
            picture = page.images[name].image
            turned = picture.rotate(-page.rotation, expand=True) if page.rotation % 360 else picture
            width_inches = float(page.mediabox.width) / _POINTS_PER_INCH
            if page.rotation % 180:
                width_inches = float(page.mediabox.height) / _POINTS_PER_INCH
        except ParseError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
                NotImplementedError, AssertionError) as exc:
            # A picture no decoder here reads (JBIG2 without jbig2dec …): a scan, answered as before OCR.
            raise ParseError("scanned", f"{filename}: the picture of page {number} cannot be decoded "
                                        f"({type(exc).__name__}: {exc})") from None
        yield page_of(turned, turned.size[0] / width_inches if width_inches > 0 else None, number)


def _largest_image(page: pypdf.PageObject) -> tuple[str, int] | None:
    """The name and pixel count of the page's largest image, read from its dictionary (not decoded)."""
    resources = page.get("/Resources")
    objects = resources.get_object().get("/XObject") if resources is not None else None
    if objects is None:
        return None
    best = None
    for name, reference in objects.get_object().items():
        image = reference.get_object()
        if image.get("/Subtype") != "/Image":
            continue
        pixels = int(image.get("/Width", 0)) * int(image.get("/Height", 0))
        if best is None or pixels > best[1]:
            best = (name, pixels)
    return best
