"""Rows of cells → field values: the table logic shared by the Excel and Word readers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from parsers.hints import HintFinder
from parsers.labels import match_field, normalize
from parsers.report import FoundValue, ParsedReport, Via
from parsers.schema import FieldSpec
from parsers.text_form import canonical
from parsers.values import CellValue, cell_text, looks_like_value, parse_value

_CODE_HEADERS = frozenset({"ma so", "ma", "ms", "ma chi tieu", "ma so chi tieu"})
_ORDER_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu"})
_LABEL_PREFIXES = ("chi tieu", "ten chi tieu", "noi dung", "tieu chi", "danh muc", "hang muc")
_VALUE_PREFIXES = ("so lieu", "gia tri", "ket qua", "so luong", "thuc hien", "tra loi")
_MAX_LABEL_CHARS = 300
_MAX_HEADING_CHARS = 60


@dataclass(frozen=True)
class Cell:
    """One cell as a reader saw it: its native value, its text and where it is."""

    value: CellValue
    text: str
    source: str

    @classmethod
    def of(cls, value: CellValue, source: str) -> Cell:
        """A cell from a reader's value; text is put in the parsers' one form (NFC) here."""
        if isinstance(value, str):
            value = canonical(value)
        return cls(value, cell_text(value), source)


@dataclass(frozen=True)
class Columns:
    """What a header row says about the columns below it."""

    code: int | None
    label: int | None
    value: int | None
    named: frozenset[int]  # every column with a heading (notes, units, previous period …)


@dataclass
class Grid:
    """The values one table (or sheet) yielded, kept apart so that tables can be ranked."""

    found: list[FoundValue]

    @property
    def strength(self) -> int:
        return len({f.key for f in self.found if f.error is None})


def is_instructions_sheet(name: str) -> bool:
    """An instructions sheet beside the data sheet ("Hướng dẫn") is prose about the fields, not data."""
    return normalize(name).startswith("huong dan")


def sheet_rows(sheet: str, rows: Iterable[Sequence[CellValue]], max_columns: int) -> Iterator[list[Cell]]:
    """A spreadsheet's rows (values from A1, in order) as cells named as Excel shows them
    ("Sheet1!C7"), empty rows skipped, each cut at its last filled cell and at ``max_columns``."""
    from openpyxl.utils import get_column_letter

    for row_index, row in enumerate(rows):
        values = list(row[:max_columns])
        filled = [col for col, value in enumerate(values) if value not in (None, "")]
        if not filled:
            continue
        yield [Cell.of(value, f"{sheet}!{get_column_letter(col + 1)}{row_index + 1}")
               for col, value in enumerate(values[: filled[-1] + 1])]


def header_columns(texts: Sequence[str]) -> Columns | None:
    """Read a header row ("STT | Mã số | Chỉ tiêu | Số liệu | Ghi chú"), or None if it is not one."""
    code = label = value = None
    order = False
    named = set()
    for index, text in enumerate(texts):
        folded = normalize(text)
        if not folded:
            continue
        named.add(index)
        if len(folded) > _MAX_HEADING_CHARS:
            continue
        if folded in _CODE_HEADERS and code is None:
            code = index
        elif folded in _ORDER_HEADERS:
            order = True
        elif folded.startswith(_LABEL_PREFIXES) and label is None:
            label = index
        elif folded.startswith(_VALUE_PREFIXES) and value is None:
            value = index
    keyed = code is not None or order
    if not ((value is not None and (keyed or label is not None)) or (label is not None and keyed)):
        return None
    return Columns(code, label, value, frozenset(named))


def _code_key(text: str) -> str:
    bare = text.strip().rstrip(".):").strip()
    return str(int(bare)) if bare.isdigit() else bare.lower()


def _could_be_label(text: str) -> bool:
    folded = normalize(text)
    return len(folded) >= 4 and not folded.replace(" ", "").isdigit() and len(text) <= _MAX_LABEL_CHARS


class GridReader:
    """Finds indicator rows in the grids of one document and collects hints on the way."""

    def __init__(self, fields: Sequence[FieldSpec], hints: HintFinder) -> None:
        self.fields = tuple(fields)
        self.hints = hints
        self.warnings: list[str] = []
        self._by_code = {_code_key(spec.code): spec for spec in self.fields}
        self.title_area = True  # no indicator seen yet: title lines may carry the period

    def read(self, rows: Iterable[Sequence[Cell]]) -> Grid:
        """Every indicator value in one table or sheet, in row order."""
        columns: Columns | None = None
        found: list[FoundValue] = []
        self.hints.end_title()  # a title block does not run on into a table
        for row in rows:
            texts = [cell.text for cell in row]
            if not any(texts):
                continue
            header = header_columns(texts)
            if header is not None:
                columns = header
                self.hints.end_title()
                continue
            value = self._row_value(row, columns)
            if value is not None:
                found.append(value)
                self.title_area = False
                self.hints.end_title()
            else:
                self._see_hints(texts)
        return Grid(found)

    def read_line(self, text: str, source: str) -> FoundValue | None:
        """A prose line "- Label: value", or None (after noting any hint it carries)."""
        text = canonical(text)
        label, colon, raw = text.partition(":")
        spec = match_field(label, self.fields) if colon and raw.strip() and _could_be_label(label) else None
        if spec is None or not looks_like_value(spec, raw.strip()):
            self.hints.see_line(text, title_area=self.title_area)
            return None
        self.hints.end_title()
        return _found(spec, raw.strip(), source, via="body")

    def _see_hints(self, texts: list[str]) -> None:
        filled = [text for text in texts if text.strip()]
        if self.title_area and len(filled) == 1:
            self.hints.see_heading(filled[0])  # a sheet's heading row above its table
        if len(filled) > 1:
            self.hints.end_title()  # a title is a row of its own, never a row of several cells
        lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
        for index, line in enumerate(lines):
            # "Tên đơn vị:" in one cell and the name in the next.
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if line.endswith(":") and following and self.hints.see_pair(line[:-1], following):
                continue
            self.hints.see_line(line, title_area=self.title_area)
        if len(filled) > 1:
            self.hints.end_title()

    def _row_value(self, row: Sequence[Cell], columns: Columns | None) -> FoundValue | None:
        by_code = None
        if columns is not None and columns.code is not None and columns.code < len(row):
            by_code = self._by_code.get(_code_key(row[columns.code].text))
        label_index, by_label, inline = self._find_label(row, columns)
        # Fields compare by key: the label matcher's cache may hand back an equal field of an
        # earlier schema object (the parse worker unpickles a fresh schema for every file).
        if by_code and by_label and by_code.key != by_label.key:
            self.warnings.append(
                f"{row[label_index].source}: mã số {by_code.code} nhưng tên chỉ tiêu là "
                f"“{by_label.label}”; đã lấy theo tên chỉ tiêu"
            )
        spec = by_label or by_code
        if spec is None:
            return None
        via: Via = "code" if by_code is not None and spec.key == by_code.key else "label"
        if inline is not None:
            return _found(spec, inline, row[label_index].source, via=via) if looks_like_value(spec, inline) else None
        start = label_index if label_index is not None else (columns.code if columns else None)
        cell = _value_cell(row, columns, start)
        if cell is None:
            return None
        # Under a "Số liệu" heading whatever is written is the sender's answer; elsewhere the
        # first filled cell right of a label must look like one (prose words are not figures).
        in_value_column = columns is not None and columns.value is not None
        if not in_value_column and not looks_like_value(spec, cell.value):
            return None
        return _found(spec, cell.value, cell.source, cell.text, via=via)

    def _find_label(
        self, row: Sequence[Cell], columns: Columns | None
    ) -> tuple[int | None, FieldSpec | None, str | None]:
        """The label cell's index, the field it names, and a value written after a colon in it."""
        skip = set()
        if columns is not None:
            skip = {columns.code, columns.value}
        order = [columns.label] if columns is not None and columns.label is not None else []
        order += [i for i in range(len(row)) if i not in skip and i not in order]
        for index in order:
            if index >= len(row) or not _could_be_label(row[index].text):
                continue
            text = row[index].text
            spec = match_field(text, self.fields)
            if spec is not None:
                return index, spec, None
            label, colon, rest = text.partition(":")
            if colon and rest.strip() and (spec := match_field(label, self.fields)):
                own_cell = _value_cell(row, columns, index)
                return index, spec, None if own_cell is not None else rest.strip()
            return index, None, None  # only the first label-like cell names the row
        return None, None, None


def _value_cell(row: Sequence[Cell], columns: Columns | None, start: int | None) -> Cell | None:
    """The value cell: the value column's, else the first filled cell right of the label.

    Right of the label, a column with a heading of its own (Ghi chú, ĐVT, Kỳ trước …) is
    never the value; an unnamed one is (the value heading merged over two columns).
    """
    if columns is not None and columns.value is not None:
        if columns.value < len(row) and row[columns.value].text:
            return row[columns.value]
        candidates = range(columns.value + 1, len(row))
    else:
        candidates = range((start if start is not None else -1) + 1, len(row))
    named = columns.named if columns is not None else frozenset()
    for index in candidates:
        if row[index].text and index not in named:
            return row[index]
    return None


def _found(spec: FieldSpec, raw: CellValue, source: str, text: str | None = None, *, via: Via) -> FoundValue:
    value, error = parse_value(spec, raw)
    return FoundValue(spec.key, text if text is not None else cell_text(raw), value, source, error, via)


def assemble(filename: str, grids: list[Grid], lines: list[FoundValue], reader: GridReader) -> ParsedReport:
    """One report from everything read: the strongest table first, prose lines last.

    A readable value beats an unreadable one for the same field; two different readable
    values keep the first and leave a warning.
    """
    report = ParsedReport(filename=filename, warnings=list(reader.warnings))
    ranked = sorted(grids, key=lambda grid: grid.strength, reverse=True)
    for found in [f for grid in ranked for f in grid.found] + lines:
        kept = report.values.get(found.key)
        if kept is None or (kept.error is not None and found.error is None):
            report.values[found.key] = found
        elif found.error is None and found.value != kept.value:
            report.warnings.append(
                f"{found.key}: có hai giá trị khác nhau ({kept.raw} ở {kept.source}, "
                f"{found.raw} ở {found.source}); đã lấy {kept.raw}"
            )
    reader.hints.apply(report)
    return report
