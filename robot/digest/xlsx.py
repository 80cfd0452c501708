"""A small .xlsx writer for big tables: each column becomes cell XML at once, strings go to one shared table.

The digest workbook holds every unit of every period (90,000 rows × 31 columns for a nation):
XlsxWriter spends ~8 µs a cell (22 s for those two sheets, 3 s here), so this writes the
SpreadsheetML parts itself — column widths, a header row, panes frozen below it, an autofilter,
row fills, numbers and shared strings — working on each column's distinct values once. Every
string is text: a string that a spreadsheet would read as a formula (= + - @, after any leading
blanks) is stored with the quote prefix, so editing the cell in Excel never turns sender text
into a live formula. openpyxl, calamine and LibreOffice read the files it writes.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from robot.export import formula_like

# Row styles, by name; a cell's style index is 2 × base + (1 if its text needs the quote prefix).
BASES = (None, "header", "bold", "missing", "late")
FILLS = {"header": "FFDDEBF7", "missing": "FFF8D7DA", "late": "FFFFE5B4"}

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Control characters are not allowed in XML: Excel's own escape is _xHHHH_ (and _x005F_ for a literal "_x").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
_LOOKS_ESCAPED = re.compile("_x[0-9A-Fa-f]{4}_")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Cell format index → its attribute (index 0, the default, needs none).
_STYLE_ATTRIBUTES = np.array([""] + [f' s="{index}"' for index in range(1, 2 * len(BASES))], dtype=object)


@dataclass
class Sheet:
    """One worksheet: a header row over columns of equal length (str or number; None/NaN = empty)."""

    name: str
    headers: list[tuple[str, float]]  # title, column width
    columns: list[Sequence]
    row_styles: Sequence[str | None] | None = None  # per data row: one of BASES
    styled_columns: int | None = None  # how many leading columns the row style covers (None: all)
    freeze: tuple[int, int] = (1, 0)  # rows above, columns left of the frozen panes
    autofilter: bool = True
    yes_no: tuple[str, str] | None = None  # the words for False and True; None: a yes/no value is refused

    @property
    def rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """The .xlsx file holding the sheets, in order."""
    strings: dict[str, int] = {}
    names = [_sheet_name(sheet.name) for sheet in sheets]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for number, sheet in enumerate(sheets, start=1):
            package.writestr(f"xl/worksheets/sheet{number}.xml", _sheet_xml(sheet, strings, number == 1))
        package.writestr("xl/sharedStrings.xml", _shared_strings_xml(strings))
        package.writestr("xl/styles.xml", _STYLES)
        package.writestr("xl/workbook.xml", _workbook_xml(sheets, names))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("[Content_Types].xml", _content_types(len(sheets)))
    return buffer.getvalue()


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_xml(sheet: Sheet, strings: dict[str, int], selected: bool) -> str:
    width = len(sheet.headers)
    last = f"{column_letter(width - 1)}{sheet.rows + 1}"
    row_numbers = [str(n) for n in range(2, sheet.rows + 2)]
    bases = np.zeros(sheet.rows, dtype=np.intp)
    if sheet.row_styles is not None:
        bases = np.array([BASES.index(style) for style in sheet.row_styles], dtype=np.intp)
    styled = width if sheet.styled_columns is None else sheet.styled_columns
    header = "".join(_column_cells(column_letter(index), ["1"], [title], strings, np.ones(1, dtype=np.intp))[0]
                     for index, (title, _) in enumerate(sheet.headers))
    cells = [_column_cells(column_letter(index), row_numbers, values, strings, bases if index < styled else None,
                           sheet.yes_no) for index, values in enumerate(sheet.columns)]
    # Row tags as two more columns: one join over every piece, all in C.
    opening = [f'<row r="{number}">' for number in row_numbers]
    body = "".join(chain.from_iterable(zip(opening, *cells, repeat("</row>", sheet.rows))))
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, (_, w) in enumerate(sheet.headers, start=1))
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">',
        f'<dimension ref="A1:{last}"/>', _sheet_view(sheet.freeze, selected),
        f"<cols>{cols}</cols>", f'<sheetData><row r="1">{header}</row>{body}</sheetData>',
        f'<autoFilter ref="A1:{last}"/>' if sheet.autofilter else "",
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
    ]
    return "".join(parts)


def _column_cells(letter: str, rows: list[str], values: Sequence, strings: dict[str, int],
                  bases: np.ndarray | None, yes_no: tuple[str, str] | None = None) -> list[str]:
    """Each row's cell of one column ("" for an empty unstyled cell), built from its distinct values."""
    codes, uniques = pd.factorize(values if isinstance(values, pd.Series) else pd.Series(values, dtype=object),
                                  use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    if yes_no is not None and any(isinstance(value, (bool, np.bool_)) for value in uniques):
        uniques = np.array([yes_no[bool(value)] if isinstance(value, (bool, np.bool_)) else value
                            for value in uniques], dtype=object)
    tails, quotes = _distinct_cells(uniques, strings)
    cell_tails = tails[codes].tolist()  # code -1 (empty) takes the last entry: None
    if bases is None and not quotes.any():
        return [f'<c r="{letter}{row}"{tail}' if tail else "" for row, tail in zip(rows, cell_tails)]
    styles = _STYLE_ATTRIBUTES[(0 if bases is None else 2 * bases) + quotes[codes]].tolist()
    return [f'<c r="{letter}{row}"{style}{tail}' if tail else f'<c r="{letter}{row}"{style}/>' if style else ""
            for row, style, tail in zip(rows, styles, cell_tails)]


def _distinct_cells(uniques: np.ndarray, strings: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """For each distinct value, its cell after the reference and style (type and value), and whether it
    needs the quote prefix; one more entry for the empty cell (None, no prefix)."""
    tails = np.empty(len(uniques) + 1, dtype=object)
    quotes = np.zeros(len(uniques) + 1, dtype=np.intp)
    is_text = np.array([type(value) is str for value in uniques], dtype=bool)
    texts = np.flatnonzero(is_text)
    if len(texts):  # a few list comprehensions: a column may hold 45,000 distinct names
        values = uniques[texts].tolist()
        indices = [strings.setdefault(value, len(strings)) if value else None for value in values]
        tails[texts] = [f' t="s"><v>{index}</v></c>' if index is not None else None for index in indices]
        # The first character rules most texts out without the regular expression.
        quotes[texts] = [bool(value) and (value[0] in "=+-@" or value[0].isspace()) and formula_like(value)
                         for value in values]
    for index in np.flatnonzero(~is_text):
        tails[index] = _number_tail(uniques[index])
    return tails, quotes


def _number_tail(value) -> str | None:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a yes/no value needs Sheet.yes_no words")
    if isinstance(value, (int, np.integer)):
        return f"><v>{int(value)}</v></c>"
    if isinstance(value, (float, np.floating)):
        return f"><v>{float(value)!r}</v></c>" if math.isfinite(value) else None
    raise TypeError(f"cannot write {type(value).__name__} to a cell")


def _sheet_view(freeze: tuple[int, int], selected: bool) -> str:
    rows, columns = freeze
    tab = ' tabSelected="1"' if selected else ""
    if not rows and not columns:
        return f'<sheetViews><sheetView{tab} workbookViewId="0"/></sheetViews>'
    active = {(True, True): "bottomRight", (True, False): "bottomLeft", (False, True): "topRight"}[
        (rows > 0, columns > 0)]
    split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
    top_left = f"{column_letter(columns)}{rows + 1}"
    return (f'<sheetViews><sheetView{tab} workbookViewId="0"><pane{split} topLeftCell="{top_left}" '
            f'activePane="{active}" state="frozen"/><selection pane="{active}" activeCell="{top_left}" '
            f'sqref="{top_left}"/></sheetView></sheetViews>')


def _xml_text(text: str) -> str:
    """Text as XML character data: & < > escaped, control characters as Excel's _xHHHH_."""
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub(lambda found: "_x005F" + found.group(0), text)
    if not text.isprintable():  # a cheap test first: control characters are rare
        text = _CONTROL.sub(lambda found: f"_x{ord(found.group(0)):04X}_", text)
    return escape(text)


def _shared_strings_xml(strings: dict[str, int]) -> str:
    items = "".join(f'<si><t xml:space="preserve">{_xml_text(text)}</t></si>' for text in strings)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{_MAIN}" uniqueCount="{len(strings)}">{items}</sst>')


def _sheet_name(name: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub("-", name)[:31]


def _workbook_xml(sheets: list[Sheet], names: list[str]) -> str:
    entries = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in enumerate(names, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(_quoted(name))}!$A$1:${column_letter(len(sheet.headers) - 1)}${sheet.rows + 1}</definedName>"
        for n, (sheet, name) in enumerate(zip(sheets, names)) if sheet.autofilter)
    defined = f"<definedNames>{filters}</definedNames>" if filters else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{entries}</sheets>{defined}</workbook>")


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _workbook_rels(count: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                     for n in range(1, count + 1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
            f'{sheets}<Relationship Id="rId{count + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>")


def _content_types(count: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
                     for n in range(1, count + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPES}.sharedStrings+xml"/></Types>')


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
    f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _styles_xml() -> str:
    """Fonts, fills and one cell format per (row style, quote prefix) pair, in the order of BASES."""
    fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
    fills += [f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
              for rgb in FILLS.values()]
    fill_of = {name: 2 + index for index, name in enumerate(FILLS)}
    formats = []
    for base in BASES:
        font = 1 if base in ("header", "bold") else 0
        fill = fill_of.get(base, 0)
        align = '<alignment wrapText="1" vertical="top"/>' if base == "header" else ""
        for quote in (False, True):
            attributes = (f'numFmtId="0" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
                          + (' applyFont="1"' if font else "") + (' applyFill="1"' if fill else "")
                          + (' applyAlignment="1"' if align else "") + (' quotePrefix="1"' if quote else ""))
            formats.append(f"<xf {attributes}>{align}</xf>" if align else f"<xf {attributes}/>")
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(formats)}">{"".join(formats)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


_STYLES = _styles_xml()
