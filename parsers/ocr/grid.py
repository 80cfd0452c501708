"""Tables found by their ruled lines, rebuilt as rows of cells, and the rules erased for reading.

A rule is a run of ink far longer than any letter stroke: horizontal ones wider than half an
inch, vertical ones taller than a fifth of an inch. A table is a cluster of both; its rows lie
between the horizontal rules that cross most of it, and each row's cells between the vertical
rules that cross that row (a merged cell is one where a rule stops).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from parsers.ocr.boxes import Box
from parsers.ocr.preprocess import WORKING_DPI

_H_RULE = WORKING_DPI // 2  # shortest horizontal rule, px
_V_RULE = WORKING_DPI // 5  # shortest vertical rule, px
_ROW_RULE_SHARE = 0.3  # a row boundary crosses at least this share of the table's width
_COLUMN_RULE_SHARE = 0.25  # a column boundary runs along at least this share of its height
_CROSSES_ROW = 0.6  # a vertical rule crosses a row when it covers this share of the row's height


@dataclass(frozen=True)
class CellBox:
    """A cell of a rebuilt row: its box (inside the rules), first column and columns spanned."""

    box: Box
    column: int
    span: int


@dataclass(frozen=True)
class TableGrid:
    """One ruled table: its outline, the x of every column rule, and its rows of cells."""

    box: Box
    columns: tuple[int, ...]
    rows: tuple[tuple[CellBox, ...], ...]

    @property
    def width(self) -> int:
        """How many columns the table has."""
        return len(self.columns) - 1


@dataclass(frozen=True)
class Rules:
    """Where the page's rules are (255 in each mask)."""

    horizontal: np.ndarray
    vertical: np.ndarray


def find_rules(mask: np.ndarray) -> Rules:
    """Horizontal and vertical rules of an ink mask; small breaks from noise and JPEG are closed."""
    # Thickened across first: a rule a little aslant or wavy (a photo) still runs unbroken.
    across = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    along = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    horizontal = cv2.morphologyEx(across, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (_H_RULE, 1)))
    vertical = cv2.morphologyEx(along, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _V_RULE)))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 15)))
    return Rules(horizontal, vertical)


def erased(grey: np.ndarray, rules: Rules) -> np.ndarray:
    """The page with its rules painted over in paper white, so Tesseract reads no "|" or "_"."""
    lines = cv2.dilate(rules.horizontal | rules.vertical, np.ones((5, 5), np.uint8))
    clean = grey.copy()
    clean[lines > 0] = 255
    return clean


def find_tables(rules: Rules) -> list[TableGrid]:
    """Every ruled table on the page, top to bottom."""
    both = cv2.dilate(rules.horizontal | rules.vertical, np.ones((7, 7), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(both)
    page_width = rules.horizontal.shape[1]
    tables = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        if w < 0.25 * page_width or h < _V_RULE:
            continue
        table = _table(rules, Box(x, y, w, h))
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.box.y)


def _table(rules: Rules, outline: Box) -> TableGrid | None:
    """The rows and columns inside one cluster of rules, or None when it is no grid."""
    window = (slice(outline.y, outline.bottom), slice(outline.x, outline.right))
    horizontal, vertical = rules.horizontal[window] > 0, rules.vertical[window] > 0
    ys = _positions(horizontal.mean(axis=1), _ROW_RULE_SHARE)
    xs = _positions(vertical.mean(axis=0), _COLUMN_RULE_SHARE)
    if len(ys) < 2 or len(xs) < 3:
        return None
    rows = []
    for top, bottom in zip(ys, ys[1:]):
        band = vertical[top + (bottom - top) // 5 : bottom - (bottom - top) // 5 or bottom]
        crossing = [i for i, x in enumerate(xs) if band.size and
                    band[:, max(0, x - 3) : x + 4].any(axis=1).mean() >= _CROSSES_ROW]
        if crossing[:1] != [0]:
            crossing.insert(0, 0)
        if crossing[-1:] != [len(xs) - 1]:
            crossing.append(len(xs) - 1)
        cells = tuple(
            CellBox(Box(outline.x + xs[a] + 3, outline.y + top + 3, xs[b] - xs[a] - 6, bottom - top - 6), a, b - a)
            for a, b in zip(crossing, crossing[1:]) if xs[b] - xs[a] > 6 and bottom - top > 6
        )
        if cells:
            rows.append(cells)
    columns = tuple(outline.x + x for x in xs)
    return TableGrid(outline, columns, tuple(rows)) if rows else None


def _positions(coverage: np.ndarray, share: float) -> list[int]:
    """Centres of the runs where ``coverage`` (a rule's share along a line) reaches ``share``."""
    positions, start = [], None
    for index, value in enumerate(np.append(coverage, 0)):
        if value >= share and start is None:
            start = index
        elif value < share and start is not None:
            positions.append((start + index - 1) // 2)
            start = None
    return positions
