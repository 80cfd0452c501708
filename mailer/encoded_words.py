"""RFC 2047 encoded-words in headers ("=?gb2312?B?...?="), decoded as mail clients decode them.

The standard library's decoder trusts the declared charset and gives up on the whole header at
the first broken word. Here each word's charset is read by its superset (mailer.charsets), a
broken word stays as written, the blank between two words is dropped (RFC 2047 §6.2), and
adjacent words in one charset are joined before decoding, since some senders split a character
across two words.
"""

from __future__ import annotations

import base64
import binascii
import re

from mailer.charsets import decode
from mailer.text import nfc

_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def decode_encoded_words(value: str) -> str:
    """A header value with its encoded-words decoded, in NFC; text outside them is kept as is."""
    if "=?" not in value:
        return nfc(value)
    pieces: list[tuple[str | None, bytes | str]] = []  # (charset, bytes) of a word, or (None, text)
    position = 0
    for match in _WORD.finditer(value):
        between = value[position:match.start()]
        position = match.end()
        data = _word_bytes(match.group(2), match.group(3))
        charset = match.group(1).split("*")[0].lower()  # RFC 2231 adds "*language"
        after_word = bool(pieces) and pieces[-1][0] is not None
        if between and not (between.isspace() and after_word and data is not None):
            pieces.append((None, between))
        if data is None:
            pieces.append((None, match.group(0)))
        elif after_word and not between.strip() and pieces[-1][0] == charset \
                and isinstance(previous := pieces[-1][1], bytes):
            pieces[-1] = (charset, previous + data)
        else:
            pieces.append((charset, data))
    pieces.append((None, value[position:]))
    return nfc("".join(decode(part, charset) if isinstance(part, bytes) else part
                       for charset, part in pieces))


def _word_bytes(encoding: str, text: str) -> bytes | None:
    """The bytes an encoded-word carries, None when it will not decode (then it is shown as written)."""
    if not text.isascii():
        return None
    if encoding.lower() == "q":
        return _Q_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), text.replace("_", " ").encode())
    if len(text) % 4 == 1:
        return None
    try:  # some senders leave out the padding
        return base64.b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
