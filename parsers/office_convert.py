"""LibreOffice headless conversion to .docx: how .doc, .odt and .rtf reports reach the Word reader."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parsers.report import ParseError


def converter() -> str | None:
    """The LibreOffice binary, or None when it is not installed (then these files are refused)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(binary: str, data: bytes, suffix: str, timeout: float, *, filename: str = "") -> bytes:
    """The document ``data`` (a ``suffix`` file such as ".doc") saved as .docx by LibreOffice.

    Converted in a private temp folder with a profile of its own (a shared profile is locked by
    any other running LibreOffice); the converter is killed whole when it overruns ``timeout``.
    """
    with tempfile.TemporaryDirectory(prefix="office-convert-") as folder:
        work = Path(folder)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        command = [binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work), str(source)]
        _run(command, timeout)
        converted = work / "report.docx"
        if not converted.exists():
            raise ParseError("corrupt", f"{filename}: LibreOffice could not open it")
        return converted.read_bytes()


def _run(command: list[str], timeout: float) -> None:
    """Run the converter in its own process group, killed whole when it overruns."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ParseError("timeout", f"conversion took more than {timeout:g} s") from None
