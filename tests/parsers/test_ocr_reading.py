"""Scans and photos read by OCR through the registry: what is taken, what is left uncertain, and
what happens without Tesseract.

The pages are drawn with Pillow (tests/corpus/scans/paper.py) — a clerk's one-page table — so
each test costs one or two seconds of OCR; the office-printed scan corpus is in tests/corpus.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
import numpy as np
import pytest
from PIL import Image, ImageDraw

from parsers import image_reader
from parsers.limits import ParseLimits
from parsers.ocr.available import ocr_available
from parsers.registry import parse_attachment
from parsers.report import ParseError
from tests.corpus.scans import degrade
from tests.corpus.scans.paper import report_page

pytestmark = pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr-vie is not installed")

ROWS = [
    ("03", "Số hình thức tuyên truyền đã thực hiện", "4"),
    ("04", "Số buổi tuyên truyền, ngoại khóa đã tổ chức", "05 buổi"),
    ("05", "Số lượt học sinh được tuyên truyền, giáo dục", "1.250"),
    ("06", "Tổng số học sinh toàn trường", "1.432"),
    ("08", "Lồng ghép với phòng, chống ma túy, mua bán người, HIV/AIDS", "Có"),
    ("11", "Số vụ việc vi phạm liên quan đến mại dâm phát hiện trong kỳ", "0"),
]
READ = {"so_hinh_thuc_tt": 4, "so_buoi_tt": 5, "so_hssv_duoc_tt": 1250, "tong_so_hssv": 1432,
        "long_ghep": True, "so_vu_vi_pham": 0}
SOURCE = re.compile(r"^trang 1, ô \(\d+,\d+,\d+,\d+\), độ tin cậy \d{1,3}%$")


def encoded(page: np.ndarray, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, format=kind, **options)
    return buffer.getvalue()


def values(report) -> dict:
    return {key: found.value for key, found in report.values.items()}


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return report_page(ROWS)


def test_a_scanned_table_is_read_with_its_provenance(schema, page):
    """GIVEN a clerk's report scanned to PNG WHEN parsed THEN every figure is read, each marked as
    read by OCR with its page, box and confidence, and the unit and period are hinted."""
    (report,) = parse_attachment("bao-cao.png", encoded(page, "PNG"), schema)

    assert values(report) == READ
    assert report.from_scan and report.uncertain == []
    assert {found.via for found in report.values.values()} == {"ocr"}
    assert all(SOURCE.match(found.source) for found in report.values.values()), report.values
    assert report.unit_hint == "Trường THPT Tân An"
    assert report.period_hint == "6 tháng đầu năm 2026"


def test_a_crooked_grainy_jpeg_reads_the_same(schema, page):
    """GIVEN the page scanned 2° aslant, with sensor noise, saved as a lossy JPEG THEN the same figures."""
    rng = np.random.default_rng(7)
    spoilt = degrade.jpeg(degrade.noise(degrade.rotate(page, 2.0), rng), 70)
    (report,) = parse_attachment("scan.jpg", encoded(spoilt, "JPEG", quality=90), schema)
    assert values(report) == READ


def test_a_smudged_figure_is_uncertain_not_guessed(schema, page):
    """GIVEN a figure half covered by an ink blot THEN that field is not read but listed as
    uncertain, and the others are read."""
    smudged = page.copy()
    picture = Image.fromarray(smudged)
    cell = _figure_box(page, "1.250")
    ImageDraw.Draw(picture).ellipse((cell[0] + 20, cell[1] - 8, cell[0] + 70, cell[1] + 40), fill=(40, 40, 40))
    (report,) = parse_attachment("scan.png", encoded(np.asarray(picture), "PNG"), schema)

    assert "so_hssv_duoc_tt" not in report.values
    assert report.uncertain == ["so_hssv_duoc_tt"]
    assert values(report) == {k: v for k, v in READ.items() if k != "so_hssv_duoc_tt"}


def test_a_code_that_names_another_field_makes_the_row_uncertain(schema):
    """GIVEN a row whose "Mã số" (07) names another indicator than its label (05) THEN its figure
    is not filed under either."""
    rows = [ROWS[0], ("07", "Số học sinh, sinh viên được tuyên truyền", "1.250"), ROWS[3]]
    (report,) = parse_attachment("scan.png", encoded(report_page(rows), "PNG"), schema)
    assert values(report) == {"so_hinh_thuc_tt": 4, "tong_so_hssv": 1432}
    assert report.uncertain == ["so_hssv_duoc_tt"]


def test_a_field_shown_twice_with_different_figures_is_uncertain(schema):
    rows = [ROWS[0], ROWS[2], ("05", "Số lượt học sinh được tuyên truyền, giáo dục", "1.520")]
    (report,) = parse_attachment("scan.png", encoded(report_page(rows), "PNG"), schema)
    assert values(report) == {"so_hinh_thuc_tt": 4}
    assert report.uncertain == ["so_hssv_duoc_tt"]


def test_a_table_running_onto_the_next_page_is_read_whole(schema):
    """GIVEN a scanned PDF whose table runs onto page 2 without its heading row THEN the rows of
    both pages are read as one table, and each figure's provenance names its own page."""
    first, second = report_page(ROWS[:3]), report_page(ROWS[3:], continued=True)
    buffer = io.BytesIO()
    Image.fromarray(first).save(buffer, format="PDF", resolution=200, save_all=True,
                                append_images=[Image.fromarray(second)])
    (report,) = parse_attachment("scan.pdf", buffer.getvalue(), schema)
    assert values(report) == READ
    assert report.values["so_hssv_duoc_tt"].source.startswith("trang 1, ")
    assert report.values["tong_so_hssv"].source.startswith("trang 2, ")


def test_pages_past_the_limit_are_not_read(schema, page):
    """GIVEN a two-page TIFF and a limit of one OCR page THEN the first page is read and the
    report says the rest was not."""
    other = report_page([("09", "Số cán bộ, công chức, viên chức tham dự tập huấn, bồi dưỡng", "7")])
    data = encoded(page, "TIFF", compression="tiff_lzw", save_all=True, append_images=[Image.fromarray(other)])
    (report,) = parse_attachment("scan.tif", data, schema, ParseLimits(max_ocr_pages=1))
    assert values(report) == READ
    assert report.warnings == ["bản quét: chỉ đọc 1 trang đầu trong 2 trang"]


def test_a_pdf_of_page_pictures_and_a_word_file_of_them_are_read(schema, page):
    """GIVEN the scan as a scanner's PDF (one JPEG per page), and pasted into a Word file
    THEN both read as the picture does."""
    pdf = encoded(page, "PDF", resolution=200)
    document = docx.Document()
    document.add_picture(io.BytesIO(encoded(page, "PNG")))
    word = io.BytesIO()
    document.save(word)

    (from_pdf,) = parse_attachment("scan.pdf", pdf, schema)
    (from_word,) = parse_attachment("bao-cao.docx", word.getvalue(), schema)
    assert values(from_pdf) == values(from_word) == READ


def test_a_picture_in_a_zip_is_read(schema, page):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("BC PCMD/scan trang 1.jpg", encoded(page, "JPEG", quality=90))
    (report,) = parse_attachment("bao-cao.zip", buffer.getvalue(), schema)
    assert values(report) == READ


def test_a_picture_without_a_report_is_a_scan_as_before(schema):
    """GIVEN a photo with no indicator table (a signature, a logo) THEN it is refused as 'scanned'."""
    picture = Image.new("RGB", (900, 400), "white")
    ImageDraw.Draw(picture).line((100, 300, 400, 120, 700, 280), fill=(20, 20, 120), width=6)
    with pytest.raises(ParseError) as caught:
        parse_attachment("chu-ky.png", encoded(np.asarray(picture), "PNG"), schema)
    assert caught.value.reason == "scanned"


def test_without_tesseract_scans_are_refused_as_today(schema, page, monkeypatch):
    """GIVEN no Tesseract on the machine THEN pictures and image-only PDFs are 'scanned' again."""
    monkeypatch.setattr(image_reader, "ocr_available", lambda: False)
    for name, data in (("scan.png", encoded(page, "PNG")), ("scan.pdf", encoded(page, "PDF", resolution=200))):
        with pytest.raises(ParseError) as caught:
            parse_attachment(name, data, schema)
        assert caught.value.reason == "scanned", name


def test_scans_can_be_left_unread(schema, page):
    """GIVEN the robot asks for scans not to be read (its Word file was read already) THEN 'scanned'."""
    with pytest.raises(ParseError) as caught:
        parse_attachment("scan.png", encoded(page, "PNG"), schema, ParseLimits(read_scans=False))
    assert caught.value.reason == "scanned"


def test_a_huge_picture_is_refused_before_it_is_decoded(schema):
    data = encoded(np.full((3000, 2000, 3), 255, np.uint8), "PNG")
    with pytest.raises(ParseError) as caught:
        parse_attachment("scan.png", data, schema, ParseLimits(max_image_pixels=5_000_000))
    assert caught.value.reason == "limits"


def _figure_box(page: np.ndarray, figure: str) -> tuple[int, int]:
    """Where a figure of ROWS is drawn: the left of the figure column, at its row's text line."""
    from parsers.ocr.engine import read_words

    words = read_words(page[..., 0], psm=6, timeout=30)
    word = next(w for w in words if w.text == figure)
    return word.box.x, word.box.y


def test_a_long_scan_stops_at_the_time_budget_with_what_it_read(schema, page):
    """GIVEN a three-page TIFF and too little OCR time for more than one page THEN the first
    page's figures are kept and the report says how far it got (no worker killed, no page lost)."""
    others = [Image.fromarray(report_page(ROWS[:2])), Image.fromarray(report_page(ROWS[:1]))]
    data = encoded(page, "TIFF", compression="tiff_lzw", save_all=True, append_images=others)
    (report,) = parse_attachment("scan.tif", data, schema, ParseLimits(ocr_seconds=1))
    assert values(report) == READ
    assert report.warnings == ["bản quét: chỉ kịp đọc 1 trang đầu trong 3 trang"]
