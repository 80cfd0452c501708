"""Old Word reports (.doc, Word 97-2003): converted to .docx by LibreOffice headless, then read."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from parsers.docx_reader import read_docx
from parsers.limits import ParseLimits
from parsers.report import ParsedReport, ParseError
from parsers.schema import Schema


def converter() -> str | None:
    """The LibreOffice binary, or None when it is not installed (then .doc files are refused)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(
    data: bytes, schema: Schema, limits: ParseLimits | None = None, *, filename: str = ""
) -> ParsedReport:
    """Convert the .doc to .docx in a private temp folder and read that."""
    limits = limits or ParseLimits()
    binary = converter()
    if binary is None:
        raise ParseError("old_word", f"{filename}: LibreOffice is not installed to convert .doc")
    with tempfile.TemporaryDirectory(prefix="doc-convert-") as folder:
        work = Path(folder)
        source = work / "report.doc"
        source.write_bytes(data)
        # A profile of its own: a shared one is locked by any other running LibreOffice.
        command = [binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work), str(source)]
        _run(command, limits.convert_seconds)
        converted = work / "report.docx"
        if not converted.exists():
            raise ParseError("corrupt", f"{filename}: LibreOffice could not open it")
        return read_docx(converted.read_bytes(), schema, limits, filename=filename)


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
