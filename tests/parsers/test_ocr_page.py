"""Making a page ready for OCR, without Tesseract: straightening, fading a red seal, rebuilding
the table's rows from its rules, and telling a figure read whole from one read in part."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from parsers.ocr import preprocess
from parsers.ocr.boxes import Box
from parsers.ocr.grid import erased, find_rules, find_tables
from parsers.ocr.headings import mended_heading
from parsers.ocr.ink import has_ink, unexplained
from parsers.ocr.page import prepared
from tests.corpus.scans import degrade
from tests.corpus.scans.paper import font, report_page

ROWS = [("03", "Số hình thức tuyên truyền đã thực hiện", "4"),
        ("05", "Số lượt học sinh được tuyên truyền, giáo dục", "1.250"),
        ("06", "Tổng số học sinh toàn trường", "1.432")]


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return report_page(ROWS)


@pytest.mark.parametrize("degrees", [-3.0, -1.2, 0.7, 2.5])
def test_a_crooked_scan_is_turned_straight(page, degrees):
    """GIVEN the page laid aslant on the scanner THEN the angle found undoes it within 0.2°."""
    grey = prepared(degrade.rotate(page, degrees), 200)
    _, angle = preprocess.straightened(grey)
    assert angle == pytest.approx(-degrees, abs=0.2)


def test_the_table_is_rebuilt_row_by_row_from_its_rules(page):
    """GIVEN a ruled table of a header and three rows in four columns THEN four rows of four cells,
    and once the rules are erased no line is left for Tesseract to read as "|" or "_"."""
    grey = prepared(page, 200)
    rules = find_rules(preprocess.ink(grey, faint=True))
    (table,) = find_tables(rules)
    assert table.width == 4
    assert [len(row) for row in table.rows] == [4, 4, 4, 4]
    assert [cell.column for cell in table.rows[2]] == [0, 1, 2, 3]
    clean = erased(grey, rules)
    left, right = table.columns[0], table.columns[-1]
    rule_row = table.box.y + 1
    assert (clean[rule_row - 2 : rule_row + 3, left:right] > 200).mean() > 0.98


def test_a_red_seal_fades_into_the_paper(page):
    """GIVEN a red round seal stamped over the figures THEN, read through the red channel, the
    seal's ink outside the print is paper white while the black print stays dark."""
    stamped = degrade.stamp(page, (0.72, 0.35), np.random.default_rng(3), dpi=200)
    clean = preprocess.whitened(prepared(stamped, 200))
    seal_only = (np.abs(stamped.astype(int) - page.astype(int)).sum(axis=2) > 60) & (page[..., 0] > 200)
    print_only = page[..., 0] < 60
    assert seal_only.sum() > 2000
    assert (clean[seal_only] > 230).mean() > 0.97
    assert (clean[print_only] < 120).mean() > 0.9


def test_a_photo_is_cut_out_of_the_desk_and_squared(page):
    """GIVEN the page photographed at an angle on a desk THEN the page alone, upright, is kept."""
    photo = degrade.photo(page, np.random.default_rng(5))
    squared, photographed = preprocess.unwarped(photo)
    assert photographed
    assert squared.shape[0] / squared.shape[1] == pytest.approx(11.69 / 8.27, rel=0.02)
    desk = np.array((118, 92, 70))
    assert (np.abs(squared[5:-5, 5:-5].astype(int) - desk).sum(axis=2) < 30).mean() < 0.01
    assert not preprocess.unwarped(page)[1]  # a flat scan is left alone


def test_ink_a_reading_does_not_cover_makes_it_partial():
    """GIVEN a cell with "1.318" of which only "1" was read THEN the reading is partial; the
    same cell with all of it read, or a cell with a speck of grain only, is not."""
    cell = Image.new("L", (300, 80), 255)
    draw = ImageDraw.Draw(cell)
    draw.text((10, 15), "1.318", font=font(13, 200), fill=0)
    picture = np.asarray(cell)
    box = Box(0, 0, 300, 80)
    one = Box(8, 15, 20, 40)
    whole = Box(8, 15, 140, 40)
    assert unexplained(picture, box, [one])
    assert not unexplained(picture, box, [whole])
    speck = np.full((80, 300), 255, np.uint8)
    speck[40:42, 100:102] = 0
    assert not has_ink(speck, box)


@pytest.mark.parametrize(("read", "meant"), [
    ("Kếtquả", "Kết quả"), ("Đơnvị tính", "Đơn vị tính"), ("ST T", "STT"), ("Sốliệu", "Số liệu"),
    ("Mã số", "Mã số"), ("Tổng số học sinh", "Tổng số học sinh"), ("1.250", "1.250"),
])
def test_headings_that_lost_their_spaces_are_mended(read, meant):
    assert mended_heading(read) == meant
