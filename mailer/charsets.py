"""Bytes from mail turned into text the way mail clients read them.

A declared charset is read as its superset, as WHATWG Encoding and the big clients do: mail
labelled gb2312 holds GBK characters, mail labelled iso-8859-1 holds windows-1252 quotes. Bytes
without a charset (raw 8-bit headers, unlabelled bodies, 8-bit bytes under a us-ascii label,
bytes their label cannot decode) are UTF-8 when they are valid UTF-8; Vietnamese windows-1258
when they read as Vietnamese in it; else what charset-normalizer detects; else windows-1258, the
legacy charset of the mailbox's own country. Every result is NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from mailer.text import nfc

# Python codec name of a declared charset -> the superset mail clients decode it with.
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",  # also what Python calls ks_c_5601-1987
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}
# Labels seen in real mail that Python does not know by that name.
_UNKNOWN_TO_PYTHON = {
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "windows-874": "cp874",
    "x-sjis": "cp932",
    "windows-949": "cp949",
    "x-windows-949": "cp949",
    "utf8mb4": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
# Multi-byte charsets: their label is believed even when the bytes also happen to be valid UTF-8.
# For a one-byte label, non-ASCII bytes that are valid UTF-8 are UTF-8 (web forms mislabel it).
_MULTI_BYTE_PREFIXES = ("gb", "big5", "cp932", "cp936", "cp949", "cp950", "shift_jis", "euc",
                        "johab", "iso2022", "hz", "utf")
# charset-normalizer's candidates, in the order a tie is settled: what reaches a Vietnamese office.
_DETECTABLE = ("cp1252", "gb18030", "big5hkscs", "cp932", "cp949", "cp874", "cp1251", "cp1250",
               "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "koi8_r")

_LATIN_SCRIPT = {"cp1252", "cp1250", "cp1254", "cp1257"}
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_VIETNAMESE_LETTERS = "".join(sorted(
    {unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in ("", *_TONES)}
    | set("đĐ")))
# Typographic characters windows-1258 text carries besides letters.
_PUNCTUATION = "\u00a0“”‘’–—…•«»°·©®™€₫§±×"
# A character Vietnamese text does not use, or a tone mark that does not follow a vowel.
_NOT_VIETNAMESE = re.compile(
    f"[^\\x00-\\x7f{_VIETNAMESE_LETTERS}{_PUNCTUATION}{_TONES}]|[{_TONES}](?<![{_VOWELS}][{_TONES}])")


def superset(label: str | None) -> str | None:
    """The Python codec to decode a declared charset with, None when the label is unknown."""
    name = _codec_name(label)
    return _SUPERSETS.get(name, name) if name else None


def decode(data: bytes, declared: str | None = None) -> str:
    """Text of mail bytes in NFC: the declared charset's superset, else as undeclared; never raises."""
    codec = superset(declared)
    if codec is not None and not data.isascii():
        if _codec_name(declared) == "ascii":  # a us-ascii label over 8-bit bytes names no charset
            codec = None
        elif not codec.startswith(_MULTI_BYTE_PREFIXES) and _is_utf8(data):
            codec = "utf-8"
    if codec is not None:
        try:
            return nfc(data.decode(codec))
        except (UnicodeError, LookupError):  # wrong label, or a codec that is not a text encoding
            pass
    return decode_undeclared(data)


def decode_undeclared(data: bytes) -> str:
    """Text of 8-bit bytes nobody labelled: UTF-8, Vietnamese windows-1258, detected, windows-1258."""
    if _is_utf8(data):
        return nfc(data.decode("utf-8"))
    text = _as_vietnamese(data)
    if text is None:
        text = _detected(data)
    if text is None:
        text = data.decode("cp1258", errors="replace")
    return nfc(text)


def _codec_name(label: str | None) -> str | None:
    """Python's name for a charset label ("latin1" → "iso8859-1"), None when it knows none."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _UNKNOWN_TO_PYTHON:
        return _UNKNOWN_TO_PYTHON[label]
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown label, NUL or other junk in it
        return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _as_vietnamese(data: bytes) -> str | None:
    """The bytes as windows-1258 when every character there is one Vietnamese text uses.

    charset-normalizer reads short Vietnamese ("Báo cáo năm") as Big5, so the local charset is
    tried first, but only when it reads as Vietnamese: tone marks follow vowels, and no other
    letter appears (Latin-1 "così" or "ação" fail this and go on to detection).
    """
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    return None if _NOT_VIETNAMESE.search(text) else text


def _detected(data: bytes) -> str | None:
    """charset-normalizer's reading: least chaos, then most coherent language, then _DETECTABLE's order."""
    import charset_normalizer  # ~150 ms to import, and only needed for the rare unlabelled legacy text

    matches = list(charset_normalizer.from_bytes(data, cp_isolation=list(_DETECTABLE)))
    if not matches:
        return None
    least = min(match.chaos for match in matches)
    tied = [match for match in matches if match.chaos == least]
    best = min(tied, key=lambda match: (-match.coherence, _rank(match.encoding)))
    if best.coherence == 0 and {match.encoding for match in tied} <= _LATIN_SCRIPT:
        # Latin text without language evidence (a short subject: "cô Lý Hòa", "Café"): the
        # detector's tie-break would pick Central European; Western European is what unlabelled
        # mail most often is (and what browsers assume, WHATWG), so it wins when it reads the bytes.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(best.encoding)
    except (UnicodeError, LookupError):
        return None


def _rank(encoding: str) -> int:
    return _DETECTABLE.index(encoding) if encoding in _DETECTABLE else len(_DETECTABLE)
