"""Document titles as Nghị định 30/2020 lays them out, so the robot can tell one document from another.

A title is the name of the document type in capitals ("BÁO CÁO", "KẾ HOẠCH", "GIẤY MỜI" …),
alone on its line or followed by the summary, with the summary going on for a line or two
below. An official letter (công văn) has no type name: its "V/v …" line under the number is
its title. A sheet made without the layout has a heading in capitals above its table.
"""

from __future__ import annotations

import re

from parsers.labels import fold

# Names of administrative document types (Nghị định 30/2020, Phụ lục III), plus the headings
# of lists and tables that schools send as documents of their own. Folded, longest first.
_DOCUMENT_TYPES = tuple(sorted((
    "bao cao", "ke hoach", "giay moi", "thong bao", "to trinh", "quyet dinh", "nghi quyet",
    "chi thi", "huong dan", "chuong trinh", "phuong an", "de an", "du an", "bien ban", "hop dong",
    "cong dien", "quy che", "quy dinh", "thong cao", "giay gioi thieu", "giay uy quyen",
    "giay nghi phep", "phieu gui", "phieu chuyen", "phieu bao", "thu cong", "ban ghi nho",
    "ban thoa thuan", "cong van", "de cuong", "thu moi", "bieu mau", "danh sach", "thong ke",
    "tong hop",
), key=len, reverse=True))
_SUBJECT = re.compile(r"^(?:v/v|ve viec)\b")
# Lines that end a title block: the addressee, legal grounds, numbered sections, list marks.
_BODY_START = re.compile(r"^(?:kinh gui|can cu|noi nhan|[-+*•–]|\(?(?:\d{1,3}|[ivxl]{1,6}|[a-z])\s*[.)])")
# Headings in capitals that are the issuing body or the national name, not a title.
_ORGANISATIONS = re.compile(
    r"^(?:uy ban|ubnd|so |phong |truong |bo |cong hoa|doc lap|ban |hoi dong|trung tam|ten don vi|dang )"
)
_MAX_LINES = 4
_MAX_CHARS = 200


def _words(line: str) -> str:
    return " ".join(fold(line).split())


def names_document_type(line: str) -> bool:
    """Whether a line opens a title: a document type in capitals ("BÁO CÁO …"), or alone."""
    folded = _words(line)
    if len(line) > _MAX_CHARS:
        return False
    for name in _DOCUMENT_TYPES:
        if folded == name:
            return True
        if folded.startswith(name + " "):
            written = " ".join(line.split()[: len(name.split())])
            return written.isupper()
    return False


def continues_title(line: str) -> bool:
    """Whether a line below the title's first line is more of the title, not the body."""
    folded = _words(line)
    return (
        len(line) <= _MAX_CHARS
        and any(ch.isalpha() for ch in line)
        and ":" not in line
        and not line.rstrip().endswith((".", ";"))
        and not _BODY_START.match(folded)
    )


def names_subject(line: str) -> bool:
    """Whether a line is an official letter's subject line ("V/v báo cáo kết quả …")."""
    return len(line) <= _MAX_CHARS and bool(_SUBJECT.match(_words(line)))


def is_heading(text: str) -> bool:
    """Whether a lone text above a sheet's table is its heading: capitals, a few words, no body."""
    folded = _words(text)
    return (
        len(text) <= _MAX_CHARS
        and text.isupper()
        and len(folded.split()) >= 3
        and ":" not in text
        and not _ORGANISATIONS.match(folded)
    )


class TitleBlock:
    """Collects the lines of the first title a document shows, from its first line on."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.open = False
        self.subject: str | None = None
        self.heading: str | None = None

    def see(self, line: str) -> None:
        """A line of the title area, in document order."""
        if self.open:
            if len(self.lines) < _MAX_LINES and continues_title(line):
                self.lines.append(line)
                return
            self.open = False
        if not self.lines and names_document_type(line):
            self.lines, self.open = [line], True
        elif self.subject is None and names_subject(line):
            self.subject = line

    def see_heading(self, text: str) -> None:
        """A lone cell's text above a table, kept when it reads as the sheet's heading."""
        if self.heading is None and is_heading(text):
            self.heading = " ".join(text.split())

    def end(self) -> None:
        """Something that is not a title line came: the block, if any, is complete."""
        self.open = False

    @property
    def title(self) -> str | None:
        """The title as written: the document-type block, else the subject line, else a heading."""
        if self.lines:
            return " ".join(" ".join(self.lines).split())
        return self.subject or self.heading
