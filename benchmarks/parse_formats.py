"""Parse cost per format over the corpus, beside the bare library load of the same files.

    uv run python benchmarks/parse_formats.py [--repeat N]

For each format: milliseconds per file for `parse_attachment` (what the robot does), for the
library alone (docx.Document(), openpyxl.load_workbook(read_only=True), xlrd.open_workbook,
pypdf text extraction) and their ratio; then the cost of parsing in the killable worker.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pypdf
import xlrd

from parsers.limits import ParseLimits
from parsers.registry import parse_attachment
from robot.config import load_config
from robot.parsing import ParseWorker

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "files"


def _openpyxl(data: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    workbook.close()


def _pdf(data: bytes) -> None:
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(extraction_mode="layout")


BARE: dict[str, tuple[str, Callable[[bytes], object]]] = {
    ".xlsx": ("openpyxl.load_workbook(read_only=True) + rows", _openpyxl),
    ".xlsm": ("openpyxl.load_workbook(read_only=True) + rows", _openpyxl),
    ".docx": ("docx.Document()", lambda data: docx.Document(io.BytesIO(data))),
    ".xls": ("xlrd.open_workbook()", lambda data: xlrd.open_workbook(file_contents=data)),
    ".pdf": ("pypdf text extraction", _pdf),
}


def per_file_ms(action: Callable[[], object], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        action()
    return 1000 * (time.perf_counter() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    schema = load_config(REPO / "config.yaml").schema()
    limits = ParseLimits()
    print(f"{'format':6} {'files':>5} {'parse ms':>9} {'library ms':>11} {'ratio':>6}  library call")
    for extension, (call, bare) in BARE.items():
        files = [p.read_bytes() for p in sorted(CORPUS.glob(f"*{extension}"))
                 if not p.name.startswith(("42-", "43-"))]  # scans: nothing to parse
        if not files:
            continue
        ours = sum(per_file_ms(lambda d=d: parse_attachment(f"f{extension}", d, schema, limits), args.repeat)
                   for d in files) / len(files)
        library = sum(per_file_ms(lambda d=d: bare(d), args.repeat) for d in files) / len(files)
        print(f"{extension:6} {len(files):5} {ours:9.1f} {library:11.1f} {ours / library:6.1f}  {call}")
    doc = sorted(CORPUS.glob("*.doc"))
    if doc:
        data = doc[0].read_bytes()
        ms = per_file_ms(lambda: parse_attachment("f.doc", data, schema, limits), 3)
        print(f".doc   {1:5} {ms:9.1f}  (LibreOffice headless conversion + .docx parse)")

    sample = (CORPUS / "01-template-thpt.xlsx").read_bytes()
    worker = ParseWorker()
    started = time.perf_counter()
    worker.parse("f.xlsx", sample, schema, limits, timeout=60)
    first = 1000 * (time.perf_counter() - started)
    in_worker = per_file_ms(lambda: worker.parse("f.xlsx", sample, schema, limits, timeout=60), args.repeat)
    in_process = per_file_ms(lambda: parse_attachment("f.xlsx", sample, schema, limits), args.repeat)
    worker.stop()
    print(f"\nworker: first file {first:.0f} ms (forkserver start + imports, once per process); "
          f"then {in_worker:.1f} ms per file vs {in_process:.1f} ms in-process "
          f"(+{in_worker - in_process:.1f} ms round trip)")


if __name__ == "__main__":
    main()
