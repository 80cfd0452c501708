"""Word reports (.docx): every table, nested ones too, and "- Label: value" paragraphs.

Text typed in an old Vietnamese font (".VnTime", "VNI-Times") is converted run by run, by the
font each run is drawn in (its own, its character style's, its paragraph style's, the defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from parsers.docx_package import read_package
from parsers.hints import HintFinder
from parsers.labels import normalize
from parsers.legacy_fonts import LegacyFont, decode, legacy_font
from parsers.limits import ParseLimits, open_zip
from parsers.report import FoundValue, ParsedReport, ParseError
from parsers.schema import Schema
from parsers.tables import Cell, Grid, GridReader, assemble
from parsers.template_text import marker_in

_NATIONAL_MOTTO = "cong hoa xa hoi chu nghia"
# The runs of a paragraph's text: the same ones python-docx's ``Paragraph.text`` joins.
_RUNS = "./w:r | ./w:hyperlink/w:r"
# What a run holds, as python-docx's ``Run.text`` reads it, plus the optional hyphen: Word
# stores the byte 0xAD (TCVN3's "ư") as <w:softHyphen/>, which python-docx leaves out.
_RUN_CONTENT = "./w:br | ./w:cr | ./w:noBreakHyphen | ./w:ptab | ./w:t | ./w:tab | ./w:softHyphen"
_SOFT_HYPHEN = qn("w:softHyphen")
_P, _R, _HYPERLINK = qn("w:p"), qn("w:r"), qn("w:hyperlink")
_RUN_TEXT = frozenset(qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))
_THEME_FONT = ""  # a theme font (Calibri, Cambria …) is never a legacy one


class _Fonts:
    """The font each run is drawn in, resolved as far as a legacy encoding can be named."""

    def __init__(self, body: _Element, styles: _Element | None) -> None:
        self._resolved: dict[str | None, str | None] = {}
        self.any_legacy = styles is not None  # read_package gives the styles only when a legacy font may be in use
        if styles is None:
            return
        self._styles = {s.get(qn("w:styleId")): s for s in styles.iterfind(qn("w:style"))}
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._default = _named(defaults.find(qn("w:rFonts"))) if defaults is not None else None
        self._default_paragraph = next(
            (s.get(qn("w:styleId")) for s in self._styles.values()
             if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")),
            None,
        )
        named = {_named(element) for element in body.iter(qn("w:rFonts"))}
        named |= {_named(element) for element in styles.iter(qn("w:rFonts"))}
        self.any_legacy = any(legacy_font(name) for name in named)

    def text(self, paragraph: _Element) -> str:
        """A paragraph's text, each run converted from the legacy encoding of its font."""
        style = paragraph.style or self._default_paragraph
        return "".join(_run_text(run, self._legacy(run, style)) for run in paragraph.xpath(_RUNS))

    def _legacy(self, run: _Element, paragraph_style: str | None) -> LegacyFont | None:
        properties = run.rPr
        if properties is not None:
            own = _named(properties.rFonts)
            if own is not None:
                return legacy_font(own)
            if properties.rStyle is not None:
                styled = self._style_font(properties.rStyle.val)
                if styled is not None:
                    return legacy_font(styled)
        styled = self._style_font(paragraph_style)
        return legacy_font(styled if styled is not None else self._default)

    def _style_font(self, style_id: str | None, depth: int = 0) -> str | None:
        """The font a style names, its own or inherited through ``basedOn``."""
        if style_id is None or depth > 10:
            return None
        if style_id not in self._resolved:
            style = self._styles.get(style_id)
            font = None
            if style is not None:
                font = _named(style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}"))
                based_on = style.find(qn("w:basedOn"))
                if font is None and based_on is not None:
                    font = self._style_font(based_on.get(qn("w:val")), depth + 1)
            self._resolved[style_id] = font
        return self._resolved[style_id]


def _run_text(run: _Element, font: LegacyFont | None) -> str:
    """A run's text in Unicode: as python-docx reads it, or decoded from its legacy font."""
    if font is None:
        return run.text
    content = run.xpath(_RUN_CONTENT)
    return decode("".join("\xad" if part.tag == _SOFT_HYPHEN else str(part) for part in content), font)


def _named(fonts: _Element | None) -> str | None:
    """The font a ``w:rFonts`` names for Latin text beyond ASCII (where legacy letters are)."""
    if fonts is None:
        return None
    if fonts.get(qn("w:hAnsiTheme")) or fonts.get(qn("w:asciiTheme")):
        return _THEME_FONT
    return fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))


@dataclass
class _Walk:
    """State of one pass over a document body."""

    reader: GridReader
    limits: ParseLimits
    fonts: _Fonts
    grids: list[Grid] = field(default_factory=list)
    lines: list[FoundValue] = field(default_factory=list)
    tables: int = 0
    paragraphs: int = 0
    cells: int = 0
    text_seen: bool = False


def read_docx(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Read a Word report: indicator tables, "Label: value" lines, the unit and period hints."""
    limits = limits or ParseLimits()
    with open_zip(data, limits) as archive:
        has_pictures = any(name.startswith("word/media/") for name in archive.namelist())
        try:
            package = read_package(archive)
        except Exception as exc:  # KeyError, ValueError, lxml errors, zip errors …
            raise ParseError("corrupt", f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    walk = _Walk(GridReader(schema.fields, HintFinder()), limits, _Fonts(package.body, package.styles))
    walk.reader.hints.template_code = marker_in(package.keywords)
    # The body's paragraphs and tables in order, as python-docx's iter_inner_content() gives them.
    for element in package.body.inner_content_elements:
        if isinstance(element, CT_P):
            if not _paragraph(walk, Paragraph(element, None)):
                break
        else:
            _table(walk, Table(element, None))
    if not walk.text_seen and has_pictures:
        raise ParseError("scanned", "the document holds pictures but no text")
    return assemble(filename, walk.grids, walk.lines, walk.reader)


def _paragraph(walk: _Walk, paragraph: Paragraph) -> bool:
    """Read one body paragraph; False once the paragraph limit is reached."""
    walk.paragraphs += 1
    if walk.paragraphs > walk.limits.max_paragraphs:
        walk.reader.warnings.append(f"chỉ đọc {walk.limits.max_paragraphs} đoạn văn đầu")
        return False
    text = _paragraph_text(walk, paragraph._p).strip()
    if text:
        walk.text_seen = True
        found = walk.reader.read_line(text, f"đoạn {walk.paragraphs}")
        if found is not None:
            walk.lines.append(found)
    return True


def _table(walk: _Walk, table: Table) -> None:
    """Read a table as a grid, then the tables nested in its cells."""
    walk.tables += 1
    number = walk.tables
    rows: list[list[Cell]] = []
    nested: list[Table] = []
    for row_number, tr in enumerate(table._tbl.tr_lst, start=1):
        source = f"bảng {number}, dòng {row_number}"
        empty = Cell.of(None, source)
        row = [empty] * tr.grid_before
        for tc in tr.tc_lst:
            cell = _Cell(tc, table)
            nested.extend(cell.tables)
            # A vertically merged cell repeats nothing: its text belongs to the top row.
            text = "" if tc.vMerge == "continue" else _cell_text(walk, cell)
            row.append(Cell.of(text, source) if text else empty)
            row.extend([empty] * (tc.grid_span - 1))
        walk.cells += len(row)
        if walk.cells > walk.limits.max_cells:
            walk.reader.warnings.append(f"bảng {number}: quá nhiều ô, dừng đọc ở dòng {row_number}")
            break
        rows.append(row)
    walk.text_seen = walk.text_seen or any(cell.text for row in rows for cell in row)
    if any(_NATIONAL_MOTTO in normalize(cell.text) for row in rows for cell in row):
        walk.reader.hints.see_header_block([line for row in rows if row for line in row[0].text.splitlines()])
    grid = walk.reader.read(rows)
    walk.grids.append(grid)
    for inner in nested:
        _table(walk, inner)


def _paragraph_text(walk: _Walk, paragraph: _Element) -> str:
    return walk.fonts.text(paragraph) if walk.fonts.any_legacy else _p_text(paragraph)


def _cell_text(walk: _Walk, cell: _Cell) -> str:
    if not walk.fonts.any_legacy:
        return "\n".join(_p_text(p) for p in cell._tc if p.tag == _P).strip()
    return "\n".join(walk.fonts.text(paragraph._p) for paragraph in cell.paragraphs).strip()


def _p_text(p: _Element) -> str:
    """python-docx's ``CT_P.text`` (runs and hyperlinks' runs, in order) without an XPath per
    paragraph and per run: a third of the time of reading a template's tables."""
    parts = []
    for child in p:
        if child.tag == _R:
            parts.append(_r_text(child))
        elif child.tag == _HYPERLINK:
            parts.extend(_r_text(r) for r in child if r.tag == _R)
    return "".join(parts)


def _r_text(r: _Element) -> str:
    """python-docx's ``CT_R.text``: text, tabs, breaks and no-break hyphens as its elements say."""
    return "".join(str(e) for e in r if e.tag in _RUN_TEXT)
