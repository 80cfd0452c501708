"""The one form every text a parser reads is put in before labels are matched or values read."""

from __future__ import annotations

import unicodedata

from parsers.legacy_fonts import repair


def canonical(text: str) -> str:
    """NFC, and text in an old font encoding (TCVN3/VNI) that no font named, as Unicode.

    Vietnamese arrives composed (NFC) or decomposed (NFD: Unikey's "Unicode tổ hợp", macOS);
    "Không" must read the same either way, so every reader passes its text through here.
    """
    return repair(unicodedata.normalize("NFC", text))
