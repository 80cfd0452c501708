"""Parse cost per format over the corpus, beside the bare library load of the same files.

    uv run python benchmarks/parse_formats.py [--repeat N]

For each format: milliseconds per file for `parse_attachment` (what the robot does), for the
library alone (docx.Document(), openpyxl.load_workbook(read_only=True), xlrd.open_workbook,
pypdf text extraction) and their ratio; then the cost of parsing in the killable worker; then
signature validation of signed PDFs (pyHanko, with the tests' throw-away CA): cold (importing
pyHanko and the first validation, in a fresh interpreter) and warm (each further file); then OCR
of a scanned page (the robot's template filled in, printed by LibreOffice, rasterised by pdftoppm
at 150/200/300 dpi, a red seal, 1.2° tilt, grain, JPEG): CPU seconds per page (the worker's own
and Tesseract's) and peak RSS (the Python process, and Tesseract's), each dpi in a fresh
interpreter; and the first scan in a parse worker (the OCR modules are imported then).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
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
    signatures(schema, args.repeat)
    ocr(schema, limits)


_COLD = """
import pathlib, sys, time
started = time.perf_counter()
from parsers.pdf_signature import validate
imported = time.perf_counter()
validate(pathlib.Path(sys.argv[1]).read_bytes(), (pathlib.Path(sys.argv[2]).read_bytes(),))
print(1000 * (imported - started), 1000 * (time.perf_counter() - imported))
"""


def signatures(schema, repeat: int) -> None:
    """Signature validation per signed PDF, cold and warm, and what it adds to reading the file."""
    from parsers.office_convert import converter
    from parsers.pdf_signature import validate
    from tests.parsers.signed_pdfs import documents, pki, signing

    root = pki.chain().root_pem
    printed = {"40-printed-table.pdf (1 page, fpdf)": (CORPUS / "40-printed-table.pdf").read_bytes()}
    if converter() is not None:
        printed["template, LibreOffice (3 pages)"] = documents.printed_pdfs()["template-thpt.docx"]
    limits = ParseLimits(trust_roots=(root,))
    print("\nsignature validation (pyHanko; revocation not fetched)")
    print(f"{'signed PDF':38} {'cold import':>11} {'cold 1st':>9} {'warm':>7} {'parse unsigned':>15} {'parse signed':>13}")
    for name, data in printed.items():
        signed = signing.sign(data)
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "signed.pdf").write_bytes(signed)
            (Path(folder) / "root.pem").write_bytes(root)
            shown = subprocess.run([sys.executable, "-c", _COLD, f"{folder}/signed.pdf", f"{folder}/root.pem"],
                                   cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
        imported, first = map(float, shown)
        warm = per_file_ms(lambda: validate(signed, (root,)), repeat)
        unsigned_ms = per_file_ms(lambda: parse_attachment("f.pdf", data, schema, limits), max(repeat // 4, 3))
        signed_ms = per_file_ms(lambda: parse_attachment("f.pdf", signed, schema, limits), max(repeat // 4, 3))
        print(f"{name:38} {imported:9.0f}ms {first:7.0f}ms {warm:5.0f}ms {unsigned_ms:13.0f}ms {signed_ms:11.0f}ms")
    if converter() is not None:
        changed = signing.repaint(signing.sign(printed["template, LibreOffice (3 pages)"]), "1250", "1350")
        warm = per_file_ms(lambda: validate(changed, (root,)), repeat)
        parse = per_file_ms(lambda: parse_attachment("f.pdf", changed, schema, limits), max(repeat // 4, 3))
        print(f"{'  same, a figure changed after signing':38} {'':>11} {'':>9} {warm:5.0f}ms {'':>15} {parse:11.0f}ms"
              "  (difference analysis; signed revision and file as sent both read)")


_OCR = """
import pathlib, resource, sys, time
import cv2
from parsers.ocr import preprocess
from parsers.ocr.grid import erased, find_rules
from parsers.ocr.page import prepared
from parsers.registry import parse_attachment
from robot.config import load_config
from robot.memory import peak_rss_mib

def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime

schema = load_config(pathlib.Path(sys.argv[2])).schema()
path, runs = pathlib.Path(sys.argv[1]), int(sys.argv[3])
data = path.read_bytes()
parse_attachment("scan.jpg", data, schema)  # the first also imports OpenCV, pytesseract
own, children = cpu()
started = time.perf_counter()
for _ in range(runs):
    (report,) = parse_attachment("scan.jpg", data, schema)
after_own, after_children = cpu()
print((after_own - own) / runs, (after_children - children) / runs, (time.perf_counter() - started) / runs,
      peak_rss_mib(), len(report.values), len(report.uncertain))
# The page as Tesseract gets it, for measuring Tesseract alone.
from PIL import Image
grey, _ = preprocess.straightened(prepared(__import__("numpy").asarray(Image.open(path).convert("RGB")), None))
cv2.imwrite(str(path.with_suffix(".pgm")), erased(preprocess.whitened(grey), find_rules(preprocess.ink(grey, faint=True))))
"""
# Run from a small interpreter: a child's ru_maxrss starts at its parent's (fork), so Tesseract
# is measured from here rather than from the worker or this benchmark.
_TESSERACT = """
import os, resource, subprocess, sys
subprocess.run(["tesseract", sys.argv[1], "stdout", "-l", "vie", "--psm", "6"], capture_output=True, check=True,
               env=dict(os.environ, OMP_THREAD_LIMIT="1"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def ocr(schema, limits: ParseLimits) -> None:
    """OCR cost per scanned page at 150/200/300 dpi, and the first scan in a parse worker."""
    import shutil

    import numpy as np
    from PIL import Image

    from parsers.ocr.available import ocr_available
    from tests.corpus.scans import degrade, documents

    if not (ocr_available() and shutil.which("soffice") and shutil.which("pdftoppm")):
        print("\nOCR: skipped (needs tesseract-ocr-vie, LibreOffice and poppler-utils)")
        return
    print("\nOCR of one scanned page (template filled in, red seal, 1.2° tilt, grain, JPEG; "
          "OMP_THREAD_LIMIT=1; the page is read at 200 dpi whatever its scan)")
    print(f"{'dpi':>4} {'CPU s/page':>10} {'worker':>7} {'tesseract':>9} {'wall s':>7} "
          f"{'peak RSS MiB':>12} {'tesseract':>9}  figures read / not certain")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        printed = documents.to_pdf(documents.school_template(schema), work)
        pages = {}
        for dpi in (150, 200, 300):
            rng = np.random.default_rng(dpi)
            page = documents.rasterise(printed, dpi, work)[0]
            page = degrade.jpeg(degrade.noise(degrade.rotate(degrade.stamp(page, (0.72, 0.62), rng, dpi=dpi),
                                                             1.2), rng), 80)
            path = work / f"scan-{dpi}.jpg"
            Image.fromarray(page).save(path, format="JPEG", quality=90, dpi=(dpi, dpi))
            pages[dpi] = path
            shown = subprocess.run([sys.executable, "-c", _OCR, str(path), str(REPO / "config.yaml"), "3"],
                                   cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
            own, child, wall, rss = map(float, shown[:4])
            tesseract = float(subprocess.run([sys.executable, "-c", _TESSERACT, str(path.with_suffix(".pgm"))],
                                             capture_output=True, text=True, check=True).stdout)
            print(f"{dpi:4} {own + child:10.2f} {own:7.2f} {child:9.2f} {wall:7.2f} {rss:12.0f} "
                  f"{tesseract:9.0f}  {shown[4]} / {shown[5]}")
        data = pages[200].read_bytes()
        worker = ParseWorker()
        started = time.perf_counter()
        worker.parse("scan.jpg", data, schema, limits, timeout=120)
        first = time.perf_counter() - started
        started = time.perf_counter()
        worker.parse("scan.jpg", data, schema, limits, timeout=120)
        then = time.perf_counter() - started
        print(f"worker, 200 dpi page: first scan {first:.1f} s wall (OpenCV and pytesseract imported), then "
              f"{then:.1f} s; worker peak RSS {worker.peak_rss_mib} MiB")
        worker.stop()


if __name__ == "__main__":
    main()
