"""HTML mail bodies turned into readable plain text (for HTML-only mail and reports typed in the body).

A caller may leave parts of the document out (quoted earlier mail, signatures): a `Cutter` looks
at each start tag and answers "element" (skip it and what it holds) or "rest" (stop reading here).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Literal

_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
           "pre", "hr", "ul", "ol", "section", "article", "header", "footer"}
_CELLS = {"td", "th"}
_HIDDEN = {"script", "style", "head", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}

Cut = Literal["element", "rest"]
Cutter = Callable[[str, dict[str, str]], Cut | None]


class _TextCollector(HTMLParser):
    def __init__(self, cutter: Cutter | None) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0
        self._cutter = cutter
        self._skipping: str | None = None  # tag name of the element being left out
        self._skip_depth = 0
        self._stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._stopped:
            return
        if self._skipping is not None:
            self._skip_depth += tag == self._skipping
            return
        if self._cutter is not None:
            cut = self._cutter(tag, {name: value or "" for name, value in attrs})
            if cut == "rest":
                self._stopped = True
                return
            if cut == "element" and tag not in _VOID:
                self._skipping, self._skip_depth = tag, 1
                return
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self._line_break()
        elif tag in _CELLS:
            self.chunks.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if self._stopped:
            return
        if self._skipping is not None:
            self._skip_depth -= tag == self._skipping
            if self._skip_depth <= 0:
                self._skipping = None
                self._line_break()
            return
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self._line_break()

    def _line_break(self) -> None:
        if self.chunks and not self.chunks[-1].endswith("\n"):
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not (self._hidden or self._stopped or self._skipping):
            self.chunks.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str, cutter: Cutter | None = None) -> str:
    """Text of an HTML document: one line per block or table row, cells separated by tabs."""
    collector = _TextCollector(cutter)
    collector.feed(html)
    collector.close()
    lines = (re.sub(r"[ \u00a0]+", " ", line).strip(" \t") for line in "".join(collector.chunks).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
