"""Picture files decoded into page pictures: JPEG, PNG, TIFF (every page of a multi-page one),
BMP, GIF, WebP, turned upright by a phone's orientation tag, within a pixel limit."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from parsers.ocr.scan import ScanPage
from parsers.report import ParseError

# A phone photo is decoded at a reduced scale when far larger than a page needs (JPEG only).
_ENOUGH_PIXELS = 3000 * 4000
_LONGEST = 4200  # px: the long side of an A4 page at 360 dpi, more than reading at 200 dpi needs


def picture_pages(data: bytes, *, filename: str, max_pixels: int) -> tuple[int, Iterator[ScanPage]]:
    """How many pages a picture file holds, and the pages decoded one at a time."""
    image = _opened(data, filename)
    width, height = image.size
    if width * height > max_pixels:
        raise ParseError("limits", f"{filename}: {width}×{height} pixels, more than {max_pixels}")
    frames = getattr(image, "n_frames", 1)
    return frames, _frames(image, frames, filename)


def _opened(data: bytes, filename: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        # Answered as a picture that cannot be read, as before OCR: the school sends it again.
        raise ParseError("scanned", f"{filename}: not a readable picture ({exc})") from None


def _frames(image: Image.Image, frames: int, filename: str) -> Iterator[ScanPage]:
    for index in range(frames):
        try:
            image.seek(index)
            width = image.size[0]
            if image.format == "JPEG" and image.size[0] * image.size[1] > _ENOUGH_PIXELS:
                image.draft(image.mode, (image.size[0] // 2, image.size[1] // 2))  # decoded at half size
            dpi = _dpi(image)
            if dpi is not None:
                dpi *= image.size[0] / width
            page = page_of(ImageOps.exif_transpose(image), dpi, index + 1)
        except (OSError, ValueError, EOFError) as exc:
            raise ParseError("scanned", f"{filename}: page {index + 1} cannot be decoded ({exc})") from None
        yield page


def page_of(picture: Image.Image, dpi: float | None, number: int) -> ScanPage:
    """A decoded picture as a page: grey stays grey (a third of the memory), anything else RGB,
    and a picture far larger than a page needs (a 600 dpi scan) reduced first."""
    factor = -(-max(picture.size) // _LONGEST)
    if factor > 1:
        picture = picture.reduce(factor)
        dpi = dpi / factor if dpi else None
    grey = picture.mode in ("1", "L", "LA", "I", "I;16", "F")
    return ScanPage(np.asarray(picture.convert("L" if grey else "RGB")), dpi, number)


def _dpi(image: Image.Image) -> float | None:
    """The resolution a scanner wrote into the file, when it is a believable one."""
    found = image.info.get("dpi")
    try:
        value = float(found[0]) if found else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None
