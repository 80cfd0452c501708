"""The one text form the robot works with: Unicode NFC.

Vietnamese arrives precomposed (NFC) and decomposed (NFD: Unikey's "Unicode tổ hợp", macOS,
windows-1258 text). Normalising everything at the mail boundary means nothing downstream
compares two spellings of the same word.
"""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """The text in Unicode Normalization Form C ("ộ" as one character, not "o" + two marks)."""
    return unicodedata.normalize("NFC", text)
