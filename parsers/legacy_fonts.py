"""Old Vietnamese font encodings (TCVN3/ABC, VNI) turned into Unicode before anything is matched.

Before Unicode, Vietnamese was typed in 8-bit fonts: the keyboard driver sends ordinary
Windows-1252 characters and the font draws them as Vietnamese letters. Word and Excel keep those
characters with the font's name, so a label typed in ".VnTime" is stored as "Sè häc sinh" and one
in "VNI-Times" as "Soá hoïc sinh". Where the file names the font (Word runs, Excel cells) the font
decides; where it does not (a PDF's text, a mail body) the text's look decides (``repair``).

TCVN3 is the 8-bit set of TCVN 5712:1993 (VN3): one byte per letter, lower-case toned vowels
only; the "H" fonts (".VnTimeH") draw the same bytes as capitals. VNI writes a base letter
followed by a separate mark character ("o" + "ù" = "ó"), with capital marks after capitals.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Encoding = Literal["tcvn3", "vni"]

# Combining tone marks in TCVN3's byte order: huyền, hỏi, ngã, sắc, nặng.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)

# TCVN 5712:1993 VN3: each vowel's byte without a tone (None: the ASCII letter itself), then
# its bytes with huyền, hỏi, ngã, sắc, nặng.
_TCVN3_VOWELS: dict[str, tuple[int | None, int, int, int, int, int]] = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# The capitals VN3 has (without tones), and đ.
_TCVN3_LETTERS = {0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xAE: "đ"}


def _byte_char(byte: int) -> str:
    """The character Word or Excel stores for a byte typed in a legacy font (Windows-1252)."""
    return bytes([byte]).decode("cp1252")


def _tcvn3_table() -> dict[int, str]:
    table = {ord(_byte_char(byte)): letter for byte, letter in _TCVN3_LETTERS.items()}
    for vowel, codes in _TCVN3_VOWELS.items():
        if codes[0] is not None:
            table[ord(_byte_char(codes[0]))] = vowel
        for tone, code in zip(_TONES, codes[1:]):
            table[ord(_byte_char(code))] = unicodedata.normalize("NFC", vowel + tone)
    return table


_TCVN3 = _tcvn3_table()

# VNI: the mark characters typed after a base letter, lower case (capitals follow capitals).
_VNI_TONE_MARKS = {"ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ù": _ACUTE, "ï": _DOT}
_VNI_HAT_MARKS = {"â": "", "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "á": _ACUTE, "ä": _DOT}  # â ê ô
_VNI_BREVE_MARKS = {"ê": "", "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "é": _ACUTE, "ë": _DOT}  # ă
# Letters VNI writes as one character: ơ, ư, đ, and i and ỵ with their tones.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị", "î": "ỵ"}


def _vni_table() -> dict[str, str]:
    lower: dict[str, str] = dict(_VNI_SINGLE)
    for base in ("a", "e", "o", "u", "y", "ô", "ö"):
        letter = _VNI_SINGLE.get(base, base)
        for mark, tone in _VNI_TONE_MARKS.items():
            lower[base + mark] = unicodedata.normalize("NFC", letter + tone)
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for mark, tone in _VNI_HAT_MARKS.items():
            lower[base + mark] = unicodedata.normalize("NFC", hat + tone)
    for mark, tone in _VNI_BREVE_MARKS.items():
        lower["a" + mark] = unicodedata.normalize("NFC", "ă" + tone)
    table = dict(lower)
    for sequence, letter in lower.items():
        # Capitals: a capital base with a capital mark; a mark of the other case still belongs
        # to its base (typed with Shift held for one key only).
        base, mark = sequence[0], sequence[1:]
        table[base.upper() + mark.upper()] = letter.upper()
        if mark:
            table[base.upper() + mark] = letter.upper()
            table[base + mark.upper()] = letter
    return table


_VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_VNI, key=len, reverse=True)))


@dataclass(frozen=True)
class LegacyFont:
    """A font that draws an old encoding; ``capitals`` for TCVN3's "H" fonts (".VnTimeH")."""

    encoding: Encoding
    capitals: bool = False


@lru_cache(maxsize=256)
def legacy_font(name: str | None) -> LegacyFont | None:
    """The encoding a font name tells: ".VnTime", ".VnArialH" → TCVN3; "VNI-Times" → VNI."""
    if not name:
        return None
    name = name.strip()
    if name.lower().startswith(".vn"):
        return LegacyFont("tcvn3", capitals=name.endswith("H"))
    if re.match(r"vni[-_ ]", name, re.IGNORECASE):
        return LegacyFont("vni")
    return None


def tcvn3_to_unicode(text: str, *, capitals: bool = False) -> str:
    """TCVN3 (ABC) text as Unicode; ``capitals`` when it was drawn in an "H" font."""
    converted = text.translate(_TCVN3)
    return converted.upper() if capitals else converted


def vni_to_unicode(text: str) -> str:
    """VNI text (base letter + mark character) as Unicode."""
    return _VNI_PATTERN.sub(lambda match: _VNI[match.group()], text)


def decode(text: str, font: LegacyFont | None) -> str:
    """Text drawn in ``font`` as Unicode; unchanged when the font is not a legacy one."""
    if font is None:
        return text
    if font.encoding == "tcvn3":
        return tcvn3_to_unicode(text, capitals=font.capitals)
    return vni_to_unicode(text)


# What a Vietnamese syllable can look like: initial consonant, a vowel group, final consonant.
_VOWELS = "aăâeêioôơuưy"
_UNTONED = {unicodedata.normalize("NFC", v + t): v for v in _VOWELS for t in _TONES}
_SYLLABLE = re.compile(
    rf"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?([{_VOWELS}{''.join(_UNTONED)}]{{1,3}})(ch|ng|nh|[cmnpt])?"
)
_VOWEL_GROUPS = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu iê oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy "
    "ưa ưi ươ ưu yê iêu yêu oai oay oeo uây uôi uya uyê uyu ươi ươu".split()
)
# Words are cut at spaces, digits and punctuation that no legacy font uses for a letter.
_WORD_BREAK = re.compile(r"[\s\d,.;:!?()\[\]{}\"'“”‘’/\\|<>=+*&%$#@~^_\-–—…]+")
_ABBREVIATION = re.compile(r"[bcdđfghjklmnpqrstvwxz&]+")
_MAX_BAD_SHARE = 0.1  # of the words, after conversion, that may still not read as Vietnamese


@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    """Whether a lower-case word can be a Vietnamese syllable (one tone, a real vowel group)."""
    match = _SYLLABLE.fullmatch(word)
    if match is None:
        return False
    vowels = match.group(2)
    untoned = "".join(_UNTONED.get(ch, ch) for ch in vowels)
    toned = [index for index, ch in enumerate(vowels) if ch in _UNTONED]
    if untoned not in _VOWEL_GROUPS or len(toned) > 1:
        return False
    final = match.group(3)
    glide_ended = len(untoned) > 1 and untoned[-1] in "iouy" and untoned != "uy"
    if glide_ended and (final or toned == [len(vowels) - 1]):
        return False  # a closing glide ("sáu", "tối", "mèo") takes no final and no tone
    if untoned[-1] in "ăâ" and not final:
        return False  # "ăn", "cân": ă and â are always closed
    if final in ("nh", "ch"):
        return untoned[-1] in "aêiy"  # "anh", "ếch", "inh", "uynh"
    return final not in ("ng", "c") or untoned not in ("i", "ê", "ơ", "y")  # "inh", not "ing"


def _unreadable_words(text: str) -> tuple[int, int]:
    """(words with letters outside ASCII, those of them that are no Vietnamese syllable).

    Abbreviations without vowels ("BCĐ", "GD&ĐT") are no syllables in any encoding: not counted.
    """
    words = [word.lower() for word in _WORD_BREAK.split(text) if word and not word.isascii()]
    words = [word for word in words if not _ABBREVIATION.fullmatch(word)]
    return len(words), sum(1 for word in words if not _is_syllable(word))


def _leftover(text: str, encoding: Encoding) -> int:
    """Characters beyond ASCII that a conversion leaves as they were (legacy text has none)."""
    if encoding == "tcvn3":
        return sum(1 for ch in text if not ch.isascii() and ord(ch) not in _TCVN3)
    return sum(1 for ch in _VNI_PATTERN.sub("", text) if not ch.isascii())


def guess_encoding(text: str) -> Encoding | None:
    """The legacy encoding a text is written in, judged by its look, or None.

    Only text made of Windows-1252 characters can be legacy text; it is taken for TCVN3 or VNI
    when some of its words make no Vietnamese sense as they are and (nearly) all do converted.
    """
    if text.isascii():
        return None
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return None  # a letter such as "ư" or "ạ": Unicode Vietnamese already
    _, bad = _unreadable_words(text)
    if bad == 0:
        return None
    fits: dict[Encoding, tuple[int, int]] = {}
    for encoding, converted in (("tcvn3", tcvn3_to_unicode(text)), ("vni", vni_to_unicode(text))):
        converted_words, still_bad = _unreadable_words(converted)
        if converted_words and still_bad < bad and still_bad <= _MAX_BAD_SHARE * converted_words:
            fits[encoding] = (still_bad, _leftover(text, encoding))
    if len(fits) == 2 and fits["tcvn3"] == fits["vni"]:
        return None  # both read: nothing tells them apart
    return min(fits, key=fits.__getitem__) if fits else None


def repair(text: str) -> str:
    """Text that no font named, converted when it reads as TCVN3 or VNI and not as Unicode."""
    encoding = guess_encoding(text)
    return decode(text, LegacyFont(encoding)) if encoding else text
