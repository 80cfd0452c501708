"""Reports as plain text: a PDF's text layer or a mail body, one line per row or "Label: value"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.hints import HintFinder
from parsers.limits import ParseLimits
from parsers.report import FoundValue, ParsedReport
from parsers.schema import Schema
from parsers.tables import Cell, Grid, GridReader, assemble
from parsers.text_form import canonical
from parsers.values import looks_like_value, parse_value

# Cells of a table row as text: tabs (HTML tables, copied sheets), pipes, or runs of spaces
# (a PDF's layout text).
_CELL_BREAK = re.compile(r"\t+|\s*\|\s*|\s{2,}")


def read_text(
    lines: Iterable[tuple[str, str]], schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read (source, line) pairs: runs of multi-cell lines as tables, single lines as "Label: value"."""
    limits = limits or ParseLimits()
    reader = GridReader(schema.fields, HintFinder())
    grids: list[Grid] = []
    prose: list[FoundValue] = []
    block: list[list[Cell]] = []
    for number, (source, line) in enumerate(lines, start=1):
        if number > limits.max_paragraphs:
            reader.warnings.append(f"chỉ đọc {limits.max_paragraphs} dòng đầu")
            break
        cells = [part for part in _CELL_BREAK.split(line.strip()) if part]
        if len(cells) > 1:
            block.append([Cell.of(text, source) for text in cells[: limits.max_columns]])
            continue
        if block:
            grids.append(reader.read(block))
            block = []
        if cells:
            found = reader.read_line(cells[0], source)
            if found is not None:
                prose.append(found)
    if block:
        grids.append(reader.read(block))
    return assemble(filename, grids, prose, reader)


def numbered_lines(text: str, where: str) -> list[tuple[str, str]]:
    """The non-blank lines of a text, each with its source ("thân thư, dòng 3")."""
    return [(f"{where}, dòng {n}", line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


# "05: 755", "05 = 755", "Mã 05: 755", "05 - Số học sinh được tuyên truyền: 755": a figure named by
# its code, as a unit answers a notice that named the figures by "code — label".
_ANSWER = re.compile(r"^\s*(?:m[aã]\s*(?:s[oố])?\s*)?(\d{1,3})\s*(?:[:=]|[-–—.)]\s*[^:=]*[:=])\s*(.+?)\s*$",
                     re.IGNORECASE)


def read_answers(lines: Iterable[tuple[str, str]], schema: Schema) -> dict[str, FoundValue]:
    """Figures given by their code on lines of their own ("05: 755"), by field key.

    Only for a reply to the robot's own notice: elsewhere a numbered line is prose ("1. Kết quả").
    """
    by_code = {str(int(spec.code)) if spec.code.isdigit() else spec.code: spec for spec in schema.fields}
    found: dict[str, FoundValue] = {}
    for source, line in lines:
        match = _ANSWER.match(canonical(line))
        spec = by_code.get(str(int(match.group(1)))) if match else None
        if spec is None or not looks_like_value(spec, match.group(2)):
            continue
        value, error = parse_value(spec, match.group(2))
        found[spec.key] = FoundValue(spec.key, match.group(2), value, source, error, "body")
    return found
