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
            if image.format == "JPEG" and image.size[0] * image.size[1] > _ENOUGH_PIXELS:
                image.draft("RGB", (image.size[0] // 2, image.size[1] // 2))
            page = ImageOps.exif_transpose(image).convert("RGB")
            dpi = _dpi(image)
        except (OSError, ValueError, EOFError) as exc:
            raise ParseError("scanned", f"{filename}: page {index + 1} cannot be decoded ({exc})") from None
        yield ScanPage(np.asarray(page), dpi)


def _dpi(image: Image.Image) -> float | None:
    """The resolution a scanner wrote into the file, when it is a believable one."""
    found = image.info.get("dpi")
    try:
        value = float(found[0]) if found else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None
