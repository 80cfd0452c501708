"""Build Outlook's winmail.dat (TNEF, MS-OXTNEF) around files, as Outlook does for some senders."""

from __future__ import annotations

import struct

_SIGNATURE = 0x223E9F78
_LEVEL_MESSAGE, _LEVEL_ATTACHMENT = 1, 2
_TNEF_VERSION = 0x00089006
_ATTACH_REND_DATA = 0x00069002  # starts an attachment
_ATTACH_TITLE = 0x00018010  # its (short) file name
_ATTACH_DATA = 0x0006800F  # its bytes


def _attribute(level: int, ident: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def winmail_dat(files: list[tuple[str, bytes]]) -> bytes:
    blob = struct.pack("<IH", _SIGNATURE, 1)
    blob += _attribute(_LEVEL_MESSAGE, _TNEF_VERSION, struct.pack("<I", 0x00010000))
    for name, data in files:
        blob += _attribute(_LEVEL_ATTACHMENT, _ATTACH_REND_DATA, bytes(14))
        blob += _attribute(_LEVEL_ATTACHMENT, _ATTACH_TITLE, name.encode("cp1252", "replace") + b"\x00")
        blob += _attribute(_LEVEL_ATTACHMENT, _ATTACH_DATA, data)
    return blob
