"""Hostile attachments for the limit tests: bombs, broken and oversized files, made in memory."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib

from tests.parsers.test_limits import with_extra_rows

_CHUNK = 1 << 20


def zip_bomb(member: str = "bao-cao.xlsx", mebibytes: int = 1100) -> bytes:
    """A zip whose one member inflates to ``mebibytes`` MiB of zeros (≈1 MB on the wire).

    The deflate stream is one fully flushed 1 MiB block repeated, so it is built in
    milliseconds instead of compressing a gigabyte.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * _CHUNK) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * mebibytes + b"\x03\x00"  # an empty final block ends the stream
    crc = 0
    zeros = b"\0" * _CHUNK
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    size = mebibytes * _CHUNK
    name = member.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, len(name), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(stream), size,
                          len(name), 0, 0, 0, 0, 0, 0)
    directory = central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(local) + len(name) + len(stream), 0)
    return local + name + stream + directory + end


def billion_laughs_docx(docx: bytes) -> bytes:
    """A Word file whose document part declares exponentially nested entities."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    parts = _parts(docx)
    xml = parts["word/document.xml"].decode()
    xml = re.sub(r"^<\?xml[^>]*\?>", "", xml).lstrip()
    root = re.match(r"<([\w:]+)", xml).group(1)
    parts["word/document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE {root} [{entities}]>\n'
        + xml.replace("<w:body>", "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)).encode()
    return _zip(parts)


def encrypted_xlsx() -> bytes:
    """What Excel saves for a password-protected .xlsx: an OLE2 file holding an EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0") + \
        "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0") + \
        "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    return header + directory + os.urandom(8192)


def truncated(data: bytes) -> bytes:
    """The first half of a file, as a mail client that gave up halfway sends it."""
    return data[: len(data) // 2]


def rows_after_table(xlsx: bytes, rows: int = 200_000) -> bytes:
    """The workbook with ``rows`` rows of numbers below its report table."""
    return with_extra_rows(xlsx, rows, '<c r="BROW"><v>1</v></c>')


def oversized(mebibytes: int = 30) -> bytes:
    """Incompressible bytes with an Office file's magic, ``mebibytes`` MiB long."""
    return b"PK\x03\x04" + os.urandom(mebibytes * _CHUNK)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return {item.filename: source.read(item.filename) for item in source.infolist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, payload in parts.items():
            target.writestr(name, payload)
    return buffer.getvalue()
