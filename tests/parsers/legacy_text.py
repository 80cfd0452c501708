"""Vietnamese as the old fonts store it, written out by hand for the tests (not derived from the parser).

Each row: a vowel in Unicode with no tone, sắc, huyền, hỏi, ngã, nặng; the same in TCVN3 (the
characters Word keeps for ".VnTime" bytes, cp1252) and in VNI (base letter + mark character).
Capitals: TCVN3 has only Ă Â Ê Ô Ơ Ư Đ (toned capitals are the lower-case bytes drawn in an
"H" font such as ".VnTimeH"); VNI writes capitals as the upper case of its lower-case forms.
"""

from __future__ import annotations

import unicodedata

VOWELS = [
    # unicode                    TCVN3 (.VnTime)          VNI (VNI-Times)
    (("a", "á", "à", "ả", "ã", "ạ"), ("a", "¸", "µ", "¶", "·", "¹"), ("a", "aù", "aø", "aû", "aõ", "aï")),
    (("ă", "ắ", "ằ", "ẳ", "ẵ", "ặ"), ("¨", "¾", "»", "¼", "½", "Æ"), ("aê", "aé", "aè", "aú", "aü", "aë")),
    (("â", "ấ", "ầ", "ẩ", "ẫ", "ậ"), ("©", "Ê", "Ç", "È", "É", "Ë"), ("aâ", "aá", "aà", "aå", "aã", "aä")),
    (("e", "é", "è", "ẻ", "ẽ", "ẹ"), ("e", "Ð", "Ì", "Î", "Ï", "Ñ"), ("e", "eù", "eø", "eû", "eõ", "eï")),
    (("ê", "ế", "ề", "ể", "ễ", "ệ"), ("ª", "Õ", "Ò", "Ó", "Ô", "Ö"), ("eâ", "eá", "eà", "eå", "eã", "eä")),
    (("i", "í", "ì", "ỉ", "ĩ", "ị"), ("i", "Ý", "×", "Ø", "Ü", "Þ"), ("i", "í", "ì", "æ", "ó", "ò")),
    (("o", "ó", "ò", "ỏ", "õ", "ọ"), ("o", "ã", "ß", "á", "â", "ä"), ("o", "où", "oø", "oû", "oõ", "oï")),
    (("ô", "ố", "ồ", "ổ", "ỗ", "ộ"), ("«", "è", "å", "æ", "ç", "é"), ("oâ", "oá", "oà", "oå", "oã", "oä")),
    (("ơ", "ớ", "ờ", "ở", "ỡ", "ợ"), ("¬", "í", "ê", "ë", "ì", "î"), ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï")),
    (("u", "ú", "ù", "ủ", "ũ", "ụ"), ("u", "ó", "ï", "ñ", "ò", "ô"), ("u", "uù", "uø", "uû", "uõ", "uï")),
    (("ư", "ứ", "ừ", "ử", "ữ", "ự"), ("\xad", "ø", "õ", "ö", "÷", "ù"), ("ö", "öù", "öø", "öû", "öõ", "öï")),
    (("y", "ý", "ỳ", "ỷ", "ỹ", "ỵ"), ("y", "ý", "ú", "û", "ü", "þ"), ("y", "yù", "yø", "yû", "yõ", "î")),
]
TCVN3_CAPITALS = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§", "đ": "®"}
VNI_D = {"đ": "ñ", "Đ": "Ñ"}

_TO_TCVN3 = {u: t for unicode, tcvn3, _ in VOWELS for u, t in zip(unicode, tcvn3)} | TCVN3_CAPITALS
_TO_VNI = {u: v for unicode, _, vni in VOWELS for u, v in zip(unicode, vni)}
_TO_VNI |= {u.upper(): v.upper() for u, v in _TO_VNI.items()} | VNI_D


def to_tcvn3(text: str) -> str:
    """Unicode as typed in ".VnTime"; capitals with tones are refused (they need an "H" font)."""
    out = []
    for ch in text:
        if ch in _TO_TCVN3:
            out.append(_TO_TCVN3[ch])
        elif ch.isascii() or not unicodedata.category(ch).startswith("L"):
            out.append(ch)  # digits, punctuation, "…" and quotes are typed as they are
        else:
            raise ValueError(f"{ch!r} cannot be typed in .VnTime; use an H font")
    return "".join(out)


def to_tcvn3_capitals(text: str) -> str:
    """Unicode capitals as typed in ".VnTimeH": the lower-case bytes, drawn as capitals."""
    return to_tcvn3(text.lower())


def to_vni(text: str) -> str:
    """Unicode as typed in "VNI-Times"."""
    return "".join(_TO_VNI.get(ch, ch) for ch in text)
