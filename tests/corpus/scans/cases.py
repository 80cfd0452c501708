"""The scan corpus: each case a real office document printed, scanned (or photographed) and sent
as a school sends it — a PDF of page pictures, or a single .jpg/.png/.tif — with the figures it
must read as.

Made once per machine and kept in the temporary directory under a name that changes with this
code (LibreOffice takes seconds per document): `uv run python -m tests.corpus.scans.cases`
writes them to ./scan-corpus/ to look at.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from robot.config import load_config
from tests.corpus.scans import degrade, documents
from tests.robotenv import SHIPPED_CONFIG

HERE = Path(__file__).resolve().parent
Step = Callable[[np.ndarray, np.random.Generator, int], np.ndarray]


@dataclass(frozen=True)
class ScanCase:
    """One scanned file: which document, how it was scanned and spoiled, how it was sent."""

    name: str  # the file name as attached
    document: str  # "school" (the robot's template filled in) or "district" (its own report)
    dpi: int
    steps: tuple[str, ...]  # names of STEPS, applied in order to every page
    pages: int | None = None  # only the first N pages (a photo of page 1); None: all
    # Counted towards the ≥ 95 % read at 200 dpi rule (clean and red-stamped scans).
    gate: bool = False

    @property
    def unit_type(self) -> str:
        return "thpt" if self.document == "school" else "phong_gddt"

    @property
    def expected(self) -> dict:
        return dict(documents.SCHOOL_VALUES if self.document == "school" else documents.DISTRICT_VALUES)


STEPS: dict[str, Step] = {
    "tilt+1.2": lambda page, rng, dpi: degrade.rotate(page, 1.2),
    "tilt-2": lambda page, rng, dpi: degrade.rotate(page, -2.0),
    "tilt+2.5": lambda page, rng, dpi: degrade.rotate(page, 2.5),
    "tilt-1": lambda page, rng, dpi: degrade.rotate(page, -1.0),
    "noise": lambda page, rng, dpi: degrade.noise(page, rng),
    "jpeg70": lambda page, rng, dpi: degrade.jpeg(page, 70),
    "jpeg85": lambda page, rng, dpi: degrade.jpeg(page, 85),
    "grey": lambda page, rng, dpi: degrade.grey(page),
    # The seal over the lower half of the figure column, as a head of unit stamps a table.
    "red-stamp": lambda page, rng, dpi: degrade.stamp(page, (0.72, 0.62), rng, dpi=dpi),
    "grey-stamp": lambda page, rng, dpi: degrade.stamp(page, (0.72, 0.62), rng, dpi=dpi,
                                                      ink=degrade.GREY_INK),
    "photo": lambda page, rng, dpi: degrade.photo(page, rng),
}

CASES = (
    ScanCase("scan-mau-truong-200dpi.pdf", "school", 200, ("tilt+1.2", "noise", "jpeg85"), gate=True),
    ScanCase("scan-mau-truong-200dpi-dau-do.pdf", "school", 200,
             ("red-stamp", "tilt-1", "noise", "jpeg70"), gate=True),
    ScanCase("bao-cao-phong-200dpi.pdf", "district", 200, ("tilt-2", "noise", "jpeg85"), pages=1, gate=True),
    ScanCase("bao-cao-phong-200dpi-dau-do.jpg", "district", 200, ("red-stamp", "tilt+1.2", "noise", "jpeg70"),
             pages=1, gate=True),
    ScanCase("bao-cao-phong-300dpi-photocopy.tif", "district", 300,
             ("grey-stamp", "tilt+2.5", "noise", "grey"), pages=1),
    ScanCase("scan-mau-truong-150dpi.png", "school", 150, ("tilt-2", "noise", "jpeg70"), pages=1),
    ScanCase("anh-chup-dien-thoai.jpg", "school", 200, ("red-stamp", "photo", "noise", "jpeg85"), pages=1),
)


def build(folder: Path | None = None) -> Path:
    """The corpus' files in ``folder`` (default: a cache in the temporary directory), made if missing."""
    folder = folder or Path(tempfile.gettempdir()) / f"report-robot-scans-{_fingerprint()}"
    if all((folder / case.name).exists() for case in CASES):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="scan-corpus-", dir=folder))
    try:
        schema = load_config(SHIPPED_CONFIG).schema()
        printed = {"school": documents.to_pdf(documents.school_template(schema), work),
                   "district": documents.to_pdf(documents.district_report(), work)}
        rasters: dict[tuple[str, int], list[np.ndarray]] = {}
        for case in CASES:
            key = (case.document, case.dpi)
            if key not in rasters:
                rasters[key] = documents.rasterise(printed[case.document], case.dpi, work)
            pages = rasters[key][: case.pages]
            (folder / case.name).write_bytes(_scanned(case, pages))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def _scanned(case: ScanCase, pages: list[np.ndarray]) -> bytes:
    rng = np.random.default_rng(int(hashlib.sha256(case.name.encode()).hexdigest()[:8], 16))
    spoilt = []
    for page in pages:
        for step in case.steps:
            page = STEPS[step](page, rng, case.dpi)
        spoilt.append(Image.fromarray(page))
    buffer = io.BytesIO()
    suffix = Path(case.name).suffix
    first, rest = spoilt[0], spoilt[1:]
    if suffix == ".pdf":  # as a scanner's "scan to PDF": one JPEG picture per page
        first.save(buffer, format="PDF", resolution=case.dpi, save_all=True, append_images=rest, quality=85)
    elif suffix == ".jpg":
        first.save(buffer, format="JPEG", quality=88, dpi=(case.dpi, case.dpi))
    elif suffix == ".tif":
        first.convert("L").save(buffer, format="TIFF", compression="tiff_lzw", dpi=(case.dpi, case.dpi),
                                save_all=True, append_images=[p.convert("L") for p in rest])
    else:
        first.save(buffer, format="PNG", dpi=(case.dpi, case.dpi))
    return buffer.getvalue()


def _fingerprint() -> str:
    """Changes when the code that makes the corpus or the template it fills changes."""
    digest = hashlib.sha256()
    for path in sorted(HERE.glob("*.py")) + [SHIPPED_CONFIG, HERE.parents[2] / "parsers" / "template_docx.py"]:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "scan-corpus")
    build(target)
    print(f"{len(CASES)} scans in {target}")
