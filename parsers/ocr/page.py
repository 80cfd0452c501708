"""One page read once by Tesseract and laid out as a document reader sees it: ruled tables as rows
of cells (each word put in the cell its centre falls in) and the text around them as lines,
split into cells where a wide gap parts them (the two columns of an administrative header).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from parsers.ocr import preprocess
from parsers.ocr.boxes import Box, union
from parsers.ocr.engine import Word, read_words
from parsers.ocr.grid import TableGrid, erased, find_rules, find_tables
from parsers.ocr.ink import has_ink, unexplained

UNREAD = "?"  # a cell with ink in it that the page reading gave no word for
_SMALLEST = 100  # px at the working resolution: a smaller picture holds no page
_SEGMENT_GAP = 2.0  # a gap wider than this many line heights parts a line into cells


@dataclass(frozen=True)
class Reading:
    """Text the page reading found in one place, with its box and its lowest word confidence.

    ``whole`` is False when ink in the place lies outside every word read (a blot over part of
    a figure, a digit Tesseract passed over): the text may be only part of what is written.
    """

    text: str
    box: Box
    confidence: float
    words: tuple[Word, ...] = ()
    whole: bool = True


@dataclass(frozen=True)
class TableText:
    """A ruled table as read: rows of cells, one entry per column (None where a cell spans)."""

    grid: TableGrid
    rows: tuple[tuple[Reading | None, ...], ...]

    @property
    def top(self) -> int:
        return self.grid.box.y


@dataclass(frozen=True)
class LineText:
    """A line of text outside the tables, as its cells (one for an ordinary line)."""

    cells: tuple[Reading, ...]

    @property
    def top(self) -> int:
        return min(cell.box.y for cell in self.cells)


@dataclass(frozen=True)
class PageText:
    """What one page holds, top to bottom, and the cleaned picture the second reading cuts from."""

    number: int
    blocks: tuple[TableText | LineText, ...]
    clean: np.ndarray
    skew: float


def prepared(picture: np.ndarray, dpi: float | None) -> np.ndarray:
    """A page picture (RGB or grey) made straight, flat and grey at the working resolution."""
    if picture.ndim == 3:
        picture, photographed = preprocess.unwarped(picture)
        if photographed:
            dpi = None  # the page was cut out of a photo: its size says nothing of the scanner
    grey = preprocess.grey_of(picture)
    grey = preprocess.at_working_resolution(grey, dpi or preprocess.estimated_dpi(grey))
    return preprocess.flattened(grey)


def read_page(picture: np.ndarray, number: int, *, dpi: float | None, timeout: float) -> PageText:
    """Read one page: straighten it, find its tables, erase their rules and read it once."""
    grey = prepared(picture, dpi)
    if min(grey.shape) < _SMALLEST:
        return PageText(number, (), grey, 0.0)  # an icon or a logo: nothing to read
    grey, skew = preprocess.straightened(grey)
    rules = find_rules(preprocess.ink(grey, faint=True))
    tables = find_tables(rules)
    clean = erased(preprocess.whitened(grey), rules)
    words = read_words(clean, psm=6, timeout=timeout)
    blocks: list[TableText | LineText] = []
    loose: list[Word] = []
    placed: dict[int, list[list[list[Word]]]] = {
        index: [[[] for _ in row] for row in table.rows] for index, table in enumerate(tables)}
    for word in words:
        spot = _cell_of(tables, word)
        if spot is None:
            loose.append(word)
        else:
            table, row, cell = spot
            placed[table][row][cell].append(word)
    for index, table in enumerate(tables):
        blocks.append(_table_text(table, placed[index], clean))
    blocks += _lines(loose)
    return PageText(number, tuple(sorted(blocks, key=lambda block: block.top)), clean, skew)


def _cell_of(tables: list[TableGrid], word: Word) -> tuple[int, int, int] | None:
    centre = word.box.centre
    for t, table in enumerate(tables):
        if not table.box.holds(centre):
            continue
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if cell.box.inset(-4).holds(centre):
                    return t, r, c
        return None if not table.rows else _nearest(table, centre, t)
    return None


def _nearest(table: TableGrid, centre: tuple[float, float], index: int) -> tuple[int, int, int] | None:
    """A word on a rule (a figure written across it): the cell whose centre is closest."""
    best, where = None, None
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            x, y = cell.box.centre
            distance = abs(x - centre[0]) / max(cell.box.w, 1) + abs(y - centre[1]) / max(cell.box.h, 1)
            if best is None or distance < best:
                best, where = distance, (index, r, c)
    return where


def _table_text(table: TableGrid, placed: list[list[list[Word]]], clean: np.ndarray) -> TableText:
    rows = []
    for cells, words in zip(table.rows, placed):
        row: list[Reading | None] = [None] * table.width
        for cell, inside in zip(cells, words):
            if inside:
                whole = not unexplained(clean, cell.box, [w.box for w in inside])
                row[cell.column] = dataclasses.replace(_reading(inside, cell.box), whole=whole)
            elif has_ink(clean, cell.box.inset(3)):
                row[cell.column] = Reading(UNREAD, cell.box, 0.0)
            else:
                row[cell.column] = Reading("", cell.box, 0.0)
        rows.append(tuple(row))
    return TableText(table, tuple(rows))


def _reading(words: list[Word], box: Box) -> Reading:
    """The words of one cell in reading order: line by line, left to right."""
    ordered = sorted(words, key=lambda w: (w.line, w.box.x))
    return Reading(" ".join(w.text for w in ordered), box, min(w.confidence for w in words), tuple(ordered))


def _lines(words: list[Word]) -> list[LineText]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    result = []
    for line in lines.values():
        line.sort(key=lambda w: w.box.x)
        height = float(np.median([w.box.h for w in line]))
        segments: list[list[Word]] = [[line[0]]]
        for before, word in zip(line, line[1:]):
            if word.box.x - before.box.right > _SEGMENT_GAP * height:
                segments.append([])
            segments[-1].append(word)
        result.append(LineText(tuple(
            Reading(" ".join(w.text for w in segment), union([w.box for w in segment]),
                    min(w.confidence for w in segment), tuple(segment))
            for segment in segments)))
    return result
