"""Tesseract through pytesseract: the words of a picture, with their boxes and confidences.

Tesseract's OpenMP threads make a page take 8–21 s instead of ~2 s on a 2-core machine, so
every run gets ``OMP_THREAD_LIMIT=1`` (pytesseract passes ``os.environ`` to the binary; this
runs in the parse worker, whose environment is its own). Each run has its own time limit, so a
stuck binary is killed by pytesseract rather than left behind a killed worker.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np
from PIL import Image

from parsers.ocr.available import BINARY, LANGUAGE
from parsers.ocr.boxes import Box


def _import_pytesseract():
    """pytesseract, imported without pandas when pandas is not loaded yet: pytesseract imports
    it, if installed, for a DataFrame output not used here — 2–3 s at every worker start."""
    if "pandas" in sys.modules:
        import pytesseract
    else:
        sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` fail
        try:
            import pytesseract
        finally:
            del sys.modules["pandas"]
    pytesseract.pytesseract.tesseract_cmd = BINARY
    return pytesseract


pytesseract = _import_pytesseract()
# Pictures go to the binary as PGM: written in a few milliseconds where PNG takes a tenth of a second.
_FORMAT = "PPM"


@dataclass(frozen=True)
class Word:
    """One word as Tesseract read it: its text, its box on the page and its confidence (0–100)."""

    text: str
    box: Box
    confidence: float
    line: tuple[int, int, int]  # Tesseract's block, paragraph and line numbers


class OcrFailed(Exception):
    """Tesseract could not read a picture (too small, damaged) or could not be run."""


class OcrTimeout(OcrFailed):
    """A Tesseract run overran its time and was killed."""


def read_words(picture: np.ndarray, *, psm: int, timeout: float, whitelist: str | None = None) -> list[Word]:
    """Every word Tesseract finds in a grey picture, in its reading order.

    ``psm`` is Tesseract's page segmentation mode (6: one block of lines; 4: one column of
    lines of varying size); ``whitelist`` restricts the characters it may answer with.
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    config = f"--psm {psm}"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    image = Image.fromarray(picture)
    image.format = _FORMAT
    try:
        data = pytesseract.image_to_data(image, lang=LANGUAGE, config=config, timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrFailed(f"Tesseract failed: {exc}") from None
    except RuntimeError:  # pytesseract's timeout (TesseractError is one too): the binary is killed
        raise OcrTimeout(f"Tesseract ran past {timeout:g} s") from None
    words = []
    for index, text in enumerate(data["text"]):
        text = text.strip()
        if not text:
            continue
        box = Box(data["left"][index], data["top"][index], data["width"][index], data["height"][index])
        line = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        words.append(Word(text, box, max(0.0, float(data["conf"][index])), line))
    return words
