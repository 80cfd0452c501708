"""The second, independent reading of the figures: each figure's box cut out of its page and the
cut-outs stacked into one column that Tesseract reads line by line (one run for every figure of
a document, whatever its pages), once with digits only and once as plain text.

Read out of its table, a figure has no neighbours to be confused with, and with the digits-only
list Tesseract cannot answer "O" for "0" or "l" for "1": where this reading and the page's agree,
the figure is taken.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from parsers.ocr.boxes import Box
from parsers.ocr.engine import Word, read_words
from parsers.ocr.ink import tight_box

_GAP = 28  # white rows between two cut-outs: more than Tesseract joins into one line
_PAD = 12
_ENLARGE = 1.5
_ALONE = 8  # cut-outs read again one by one, per document
_LAST_SECOND = 1.0  # a run is not started with less time than this left


@dataclass(frozen=True)
class Crop:
    """A figure's place: the page it is on (index into the pages) and its box there."""

    page: int
    box: Box


def read_column(pages: list[np.ndarray], crops: list[Crop], *, deadline: float,
                whitelist: str | None) -> list[str]:
    """The text of each crop, read again out of its page ("" where a crop holds no ink).

    A cut-out the column reading gave nothing for (Tesseract often passes over a lone "7" or "0"
    in a column) is read once more on its own, at print size, as a line and then as a word — at
    most ``_ALONE`` of them, and none once ``deadline`` (``time.monotonic()``) is near; it must
    still agree with the page reading to be taken.
    """
    pieces = [_piece(pages[crop.page], crop.box) for crop in crops]
    texts = _column_texts(pieces, _left(deadline), whitelist)
    unread = [i for i, (piece, text) in enumerate(zip(pieces, texts)) if piece is not None and not text]
    for index in unread[:_ALONE]:
        for psm in (7, 8):
            if deadline - time.monotonic() < _LAST_SECOND:
                return texts
            texts[index] = " ".join(w.text for w in read_words(pieces[index], psm=psm, timeout=_left(deadline),
                                                               whitelist=whitelist))
            if texts[index]:
                break
    return texts


def _left(deadline: float) -> float:
    return max(_LAST_SECOND, deadline - time.monotonic())


def _piece(page: np.ndarray, box: Box) -> np.ndarray | None:
    """The ink of a box cut out tightly, on a white border; None where there is none."""
    inked = tight_box(page, box)
    if inked is None:
        return None
    region = page[inked.y : inked.bottom, inked.x : inked.right]
    return cv2.copyMakeBorder(region, _PAD, _PAD, _PAD, _PAD, cv2.BORDER_CONSTANT, value=255)


def _column_texts(pieces: list[np.ndarray | None], timeout: float, whitelist: str | None) -> list[str]:
    """The pieces stacked into one column, read in one run, each piece's text by its band."""
    present = [p for p in pieces if p is not None]
    if not present:
        return [""] * len(pieces)
    width = max(p.shape[1] for p in present) + 2 * _GAP
    height = sum(p.shape[0] + _GAP for p in present) + _GAP
    column = np.full((height, width), 255, np.uint8)
    bands: list[tuple[int, int] | None] = []
    top = _GAP
    for piece in pieces:
        if piece is None:
            bands.append(None)
            continue
        column[top : top + piece.shape[0], _GAP : _GAP + piece.shape[1]] = piece
        bands.append((int(top * _ENLARGE), int((top + piece.shape[0]) * _ENLARGE)))
        top += piece.shape[0] + _GAP
    # Enlarged: a lone digit at print size is often not seen at all; half as large again it is.
    column = cv2.resize(column, None, fx=_ENLARGE, fy=_ENLARGE, interpolation=cv2.INTER_CUBIC)
    words = read_words(column, psm=6, timeout=timeout, whitelist=whitelist)
    return [_text_in(words, band) if band else "" for band in bands]


def _text_in(words: list[Word], band: tuple[int, int]) -> str:
    inside = [w for w in words if band[0] <= w.box.centre[1] < band[1]]
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in inside:
        lines.setdefault(word.line, []).append(word)
    ordered = sorted(lines.values(), key=lambda line: min(w.box.y for w in line))
    return " ".join(" ".join(w.text for w in sorted(line, key=lambda w: w.box.x)) for line in ordered)
