"""Whether OCR can run here: the Tesseract binary with its Vietnamese model, asked once per process.

Kept apart from the engine so that asking costs no import of pytesseract, NumPy or OpenCV (the
registry, `robot check` and the daemon ask; only the parse worker reads scans).
"""

from __future__ import annotations

import functools
import shutil
import subprocess

BINARY = "tesseract"
LANGUAGE = "vie"


@functools.cache
def ocr_available() -> bool:
    """Whether ``tesseract`` runs and lists the Vietnamese model (tesseract-ocr-vie)."""
    if shutil.which(BINARY) is None:
        return False
    try:
        listed = subprocess.run([BINARY, "--list-langs"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in (listed.stdout + listed.stderr).decode("utf-8", "replace").split()


def tesseract_version() -> str:
    """The installed Tesseract's version line ("5.3.0"), for `robot check`."""
    try:
        shown = subprocess.run([BINARY, "--version"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return "?"
    first = (shown.stdout + shown.stderr).decode("utf-8", "replace").split()
    return first[1] if len(first) > 1 else "?"
