"""Signing a PDF report as a Vietnamese signing tool does, and changing a figure after signing
as a PDF editor does ("Edit text", saved as an incremental update behind the signature)."""

from __future__ import annotations

import io
import re

import pypdf
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from tests.parsers.signed_pdfs.pki import chain

# Text-showing operators in a content stream, and the font selection before them.
_TEXT = re.compile(rb"/(?P<font>[^\s/]+)\s+[\d.]+\s+Tf|\[(?P<array>(?:<[0-9A-Fa-f]*>|[-\d.]+|\s)*)\]\s*TJ"
                   rb"|<(?P<string>[0-9A-Fa-f]*)>\s*Tj")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def sign(pdf: bytes, *, field: str = "ChuKySo_HieuTruong", reason: str = "Ký duyệt báo cáo",
         location: str = "Tân An, Long An") -> bytes:
    """The PDF signed by the session's school principal in a new signature field, as one
    incremental update."""
    meta = signers.PdfSignatureMetadata(field_name=field, reason=reason, location=location)
    signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=chain().signer)
    return signed.getvalue()


def repaint(pdf: bytes, old: str, new: str) -> bytes:
    """``pdf`` with the text ``old`` shown as ``new`` on the page that shows it, saved as an
    incremental update: the page gets a new content stream, the signed bytes stay as they were.

    The glyphs are swapped in the font the text is drawn in (LibreOffice's subset fonts map
    one-byte codes to letters through their ToUnicode map), so ``new`` must use letters the
    font already has.
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        fonts = {name.lstrip("/"): _to_unicode(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
        content = page.get_contents().get_data()
        changed = _swap(content, fonts, old, new)
        if changed != content:
            return _updated(pdf, index, changed)
    raise ValueError(f"no page shows {old!r}")


def _to_unicode(font: pypdf.generic.DictionaryObject) -> dict[bytes, str]:
    """A simple font's one-byte codes and the letters its ToUnicode map gives them."""
    cmap = font["/ToUnicode"].get_object().get_data()
    return {bytes.fromhex(code.decode()): bytes.fromhex(text.decode()).decode("utf-16-be")
            for block in _BFCHAR_BLOCK.findall(cmap) for code, text in _BFCHAR.findall(block)}


def _swap(content: bytes, fonts: dict[str, dict[bytes, str]], old: str, new: str) -> bytes:
    font: dict[bytes, str] = {}
    pieces, start = [], 0
    for found in _TEXT.finditer(content):
        if found.group("font"):
            font = fonts.get(found.group("font").decode(), {})
            continue
        codes = b"".join(bytes.fromhex(hexa.decode()) for hexa in _HEX.findall(found.group(0)))
        if "".join(font.get(bytes([code]), "?") for code in codes) != old:
            continue
        letters = {text: code for code, text in font.items()}
        replacement = b"".join(letters[letter] for letter in new)
        pieces += [content[start:found.start()], b"<" + replacement.hex().upper().encode() + b">Tj"]
        start = found.end()
    return b"".join(pieces) + content[start:] if pieces else content


def _updated(pdf: bytes, page_index: int, content: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref, _ = writer.find_page_for_modification(page_index)
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=content))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
