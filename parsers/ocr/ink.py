"""The marks of ink inside a box of a cleaned page: whether there are any, where they lie, and
whether the words read there account for all of them.

A figure read as "1" from a cell whose "1.318" is half under a blot must not be taken: the blot
is ink no word explains, so the cell's reading is incomplete, whatever two readings agree on.
"""

from __future__ import annotations

import cv2
import numpy as np

from parsers.ocr.boxes import Box, union

DARK = 150  # grey below this is ink
_SPECK = 6  # px: a smaller blot is grain, or what is left of an erased rule
_MARK = 25  # px: a mark this large is a stroke of a digit or letter (a full stop is ~12)
_MARGIN = 4  # px around the tight box: the faint edge of a stroke is part of the figure
_REACH = 3  # px a word's box is widened by when asking whether it covers a mark


def marks(page: np.ndarray, box: Box) -> list[Box]:
    """The marks of ink in ``box`` (page coordinates), specks of grain left out."""
    inner = box.inset(2)
    region = page[inner.y : inner.bottom, inner.x : inner.right]
    if region.size == 0:
        return []
    count, _, stats, _ = cv2.connectedComponentsWithStats((region < DARK).astype(np.uint8))
    return [Box(inner.x + int(s[cv2.CC_STAT_LEFT]), inner.y + int(s[cv2.CC_STAT_TOP]),
                int(s[cv2.CC_STAT_WIDTH]), int(s[cv2.CC_STAT_HEIGHT]))
            for s in (stats[i] for i in range(1, count))
            if s[cv2.CC_STAT_AREA] >= _SPECK and s[cv2.CC_STAT_HEIGHT] >= 4]


def tight_box(page: np.ndarray, box: Box, *, minimum: int = 12) -> Box | None:
    """The box around the ink inside ``box``, a few pixels wider; None where next to no ink."""
    found = marks(page, box)
    if sum(m.w * m.h for m in found) < minimum:
        return None
    around = union(found)
    inner = box.inset(2)
    left, top = max(inner.x, around.x - _MARGIN), max(inner.y, around.y - _MARGIN)
    right, bottom = min(inner.right, around.right + _MARGIN), min(inner.bottom, around.bottom + _MARGIN)
    return Box(left, top, right - left, bottom - top)


def has_ink(page: np.ndarray, box: Box) -> bool:
    """Whether a box holds more than a few specks of ink (a figure the page reading may have missed)."""
    return tight_box(page, box) is not None


def unexplained(page: np.ndarray, box: Box, words: list[Box]) -> bool:
    """Whether some stroke-sized mark in ``box`` lies outside every word read there."""
    for mark in marks(page, box):
        if mark.w * mark.h < _MARK:
            continue
        centre = mark.centre
        if not any(word.inset(-_REACH).holds(centre) for word in words):
            return True
    return False
