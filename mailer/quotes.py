"""What the sender wrote themselves: a reply's own text with every quoted earlier message removed.

A reply to the robot quotes the robot's acknowledgement, figures and all; reading the quote as a
report would file the robot's own words. The quote blocks recognised are those real clients write:
Outlook desktop and web (a "________" line or a border-top div over a From/Sent/To/Subject block,
also in Vietnamese; "-----Original Message-----"; divRplyFwdMsg, appendonsend), Gmail ("On … wrote:",
"Vào … đã viết:", gmail_quote), Thunderbird and Apple Mail (blockquote type=cite), Yahoo
(yahoo_quoted), Zimbra ("----- Original Message -----", hr#zwchr) and ">" lines. A trailing
"-- " signature is left out too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailer.html_text import Cut, html_to_text
from mailer.text import nfc

# A separator line that starts a quoted message (Outlook, Zimbra, Gmail forwards; Vietnamese UIs).
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|thư gốc|tin nhắn gốc|forwarded message|"
    r"thư được chuyển tiếp|thư chuyển tiếp)\s*-{2,}\s*$", re.IGNORECASE)
# The header block of a quoted message, as Outlook and Zimbra write it ("*From:*" when converted).
_HEADER_FROM = re.compile(r"^\s*\*?(from|từ)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_DATE = re.compile(r"^\s*\*?(sent|date|đã gửi|ngày gửi|ngày|gửi)\s*:", re.IGNORECASE)
_HEADER_OTHER = re.compile(r"^\s*\*?(to|subject|cc|đến|tới|chủ đề|tiêu đề)\s*:", re.IGNORECASE)
_HEADER_SPAN = 6  # lines after From: within which the other header lines must appear
# Attribution line of Gmail, Thunderbird, Apple Mail, Yahoo; Gmail wraps it over two lines.
_ATTRIBUTION = re.compile(r"^\s*>?\s*(on|vào)\b.{4,300}\b(wrote|đã viết)\s*:\s*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^\s*>?\s*(on|vào)\b", re.IGNORECASE)
_QUOTED_LINE = re.compile(r"^>")
_RULE_LINE = re.compile(r"^\s*[_\-=]{2,}\s*$")  # the "____" line Outlook draws over the header block

# HTML elements that hold (or start) the quote, by client. Ids are matched by their end: a client
# that quotes Outlook's HTML prefixes them ("x_divRplyFwdMsg", "gmail-m_-418…appendonsend").
_REST_IDS = ("divrplyfwdmsg", "appendonsend", "zwchr", "mail-editor-reference-message-container")
_REST_CLASSES = {"outlookmessageheader"}
_ELEMENT_CLASSES = ("gmail_quote", "gmail_attr", "yahoo_quoted", "moz-cite-prefix")
_ELEMENT_MARKERS = {"__headers__", "__quoted_text__"}  # Zimbra's data-marker attributes
_OUTLOOK_BORDERS = ("border-top:solid#e1e1e1", "border-top:solid#b5c4df")  # Outlook 2013+, 2007/2010
_SIGNATURE_CLASSES = ("gmail_signature", "moz-signature")


@dataclass(frozen=True)
class OwnText:
    """The text a sender wrote in a message, and whether a quote of earlier mail was removed."""

    text: str
    quoted: bool


def own_plain_text(text: str) -> OwnText:
    """The sender's own words in a plain-text body: quote blocks, ">" lines and "-- " signature removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept, quoted = _before_quote(lines)
    own = [line for line in kept if not _QUOTED_LINE.match(line)]
    quoted = quoted or len(own) < len(kept)
    own = _without_signature(own)
    return OwnText(nfc("\n".join(line.rstrip() for line in own).strip()), quoted)


def own_html_text(html: str) -> OwnText:
    """The sender's own words in an HTML body, as plain text: quote elements left out, then as plain."""
    quote_seen: list[str] = []

    def cutter(tag: str, attrs: dict[str, str]) -> Cut | None:
        cut, is_quote = _html_cut(tag, attrs)
        if cut is not None and is_quote:
            quote_seen.append(tag)
        return cut

    own = own_plain_text(html_to_text(html, cutter))
    return OwnText(own.text, own.quoted or bool(quote_seen))


def _before_quote(lines: list[str]) -> tuple[list[str], bool]:
    """Lines above the first quoted message; attribution lines over ">" quotes are dropped alone."""
    dropped: set[int] = set()
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            return [line for i, line in enumerate(lines[:index]) if i not in dropped], True
        if _is_header_block(lines, index):
            start = index
            while start > 0 and (not lines[start - 1].strip() or _RULE_LINE.match(lines[start - 1])):
                start -= 1
            return [line for i, line in enumerate(lines[:start]) if i not in dropped], True
        span = _attribution_span(lines, index)
        if span:
            following = next((line for line in lines[index + span:] if line.strip()), "")
            if not _QUOTED_LINE.match(following):  # the quote follows unmarked (Yahoo, Gmail HTML): cut
                return [line for i, line in enumerate(lines[:index]) if i not in dropped], True
            dropped.update(range(index, index + span))
    return [line for i, line in enumerate(lines) if i not in dropped], bool(dropped)


def _is_header_block(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index]):
        return False
    following = [line for line in lines[index + 1:index + 1 + _HEADER_SPAN] if line.strip()]
    return any(_HEADER_DATE.match(line) for line in following) and any(
        _HEADER_OTHER.match(line) for line in following)


def _attribution_span(lines: list[str], index: int) -> int:
    """How many lines (1 to 3) the attribution line starting here covers, 0 when it is none."""
    if not _ATTRIBUTION_START.match(lines[index]):
        return 0
    for span in (1, 2, 3):
        joined = " ".join(line.strip().lstrip(">").strip() for line in lines[index:index + span])
        if _ATTRIBUTION.match(joined):
            return span
    return 0


def _without_signature(lines: list[str]) -> list[str]:
    """Lines above the "-- " signature delimiter (RFC 3676 §4.3; some clients drop the space)."""
    for index, line in enumerate(lines):
        if line.rstrip(" ") == "--":
            return lines[:index]
    return lines


def _html_cut(tag: str, attrs: dict[str, str]) -> tuple[Cut | None, bool]:
    """(how to leave this element out, whether it is a quote) for one start tag."""
    element_id = attrs.get("id", "").lower()
    classes = attrs.get("class", "").lower()
    style = re.sub(r"\s+", "", attrs.get("style", "")).lower()
    if element_id.endswith(_REST_IDS) or set(classes.split()) & _REST_CLASSES:
        return "rest", True
    if tag == "div" and any(border in style for border in _OUTLOOK_BORDERS):
        return "rest", True
    if (tag == "blockquote" and attrs.get("type", "").lower() == "cite") \
            or any(name in classes for name in _ELEMENT_CLASSES) or "yahoo_quoted" in element_id \
            or attrs.get("data-marker", "").lower() in _ELEMENT_MARKERS:
        return "element", True
    if any(name in classes for name in _SIGNATURE_CLASSES):
        return "element", False
    return None, False
