"""Content-addressed archive of raw mail: written (and fsynced) before anything else is done."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def content_hash(raw: bytes) -> str:
    """The archive's key for raw mail: its SHA-256, hex."""
    return hashlib.sha256(raw).hexdigest()


def archive_raw(archive_dir: Path, raw: bytes) -> tuple[Path, str]:
    """Store ``raw`` as ``<dir>/ab/cd/<sha256>.eml`` and return its path and hash.

    Idempotent: the same bytes always land at the same path, so re-processing after a crash
    writes nothing new. The file is written to a temporary name, fsynced, then renamed, so a
    crash never leaves a half-written archive under the final name.
    """
    digest = content_hash(raw)
    folder = archive_dir / digest[:2] / digest[2:4]
    path = folder / f"{digest}.eml"
    if path.exists():
        return path, digest
    # Raw mail is personal data: every level is owner-only (mkdir's mode covers only the leaf).
    # exist_ok: a poll archives the mails it reads ahead on two threads at once.
    archive_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for level in (folder.parent, folder):
        level.mkdir(exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)
    return path, digest


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
