"""Reports typed in the old Vietnamese fonts (TCVN3 ".VnTime", VNI "VNI-Times") read like Unicode ones."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest
import xlwt
from default_indicators import DEFAULT_FIELDS
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run
from hypothesis import given
from hypothesis import strategies as st
from legacy_text import VNI_D, VOWELS, to_tcvn3, to_tcvn3_capitals, to_vni
from openpyxl.styles import Font

from parsers.doc_reader import converter
from parsers.legacy_fonts import LegacyFont, guess_encoding, legacy_font, repair, tcvn3_to_unicode, vni_to_unicode
from parsers.registry import parse_attachment
from parsers.template_docx import write_docx_template
from parsers.text_reader import numbered_lines, read_text
from tests.filling import fill_docx, filled_xlsx

UNIT = "Trường THPT Tân An"
PERIOD = "6 tháng đầu năm 2026"
TITLE = "Báo cáo 6 tháng đầu năm"


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), VOWELS, ids=[row[0][0] for row in VOWELS])
def test_every_vowel_with_every_tone_converts(unicode, tcvn3, vni):
    """GIVEN a vowel with no tone and with each of the five tones, as each encoding writes it
    THEN it converts to the Unicode letter, in lower case and in capitals."""
    for letter, in_tcvn3, in_vni in zip(unicode, tcvn3, vni):
        assert tcvn3_to_unicode(in_tcvn3) == letter
        assert tcvn3_to_unicode(in_tcvn3, capitals=True) == letter.upper()  # ".VnTimeH"
        assert vni_to_unicode(in_vni) == letter
        assert vni_to_unicode(in_vni.upper()) == letter.upper()


def test_d_with_stroke_and_tcvn3_capitals_convert():
    assert tcvn3_to_unicode("®") == "đ" and tcvn3_to_unicode("§") == "Đ"
    assert tcvn3_to_unicode("¡¢£¤¥¦") == "ĂÂÊÔƠƯ"
    assert vni_to_unicode(VNI_D["đ"]) == "đ" and vni_to_unicode(VNI_D["Đ"]) == "Đ"


def test_words_convert_as_they_were_typed():
    assert tcvn3_to_unicode("Sè häc sinh, sinh viªn ®­îc tuyªn truyÒn") == "Số học sinh, sinh viên được tuyên truyền"
    assert tcvn3_to_unicode("b¸o c¸o kÕt qu¶", capitals=True) == "BÁO CÁO KẾT QUẢ"
    assert vni_to_unicode("Tröôøng THPT Ñöùc Hoøa") == "Trường THPT Đức Hòa"
    assert vni_to_unicode("TRÖÔØNG ÑAÏI HOÏC") == "TRƯỜNG ĐẠI HỌC"
    # Digits, ASCII and punctuation are the same in every encoding.
    assert tcvn3_to_unicode("1.250 (HS, SV)") == vni_to_unicode("1.250 (HS, SV)") == "1.250 (HS, SV)"


@pytest.mark.parametrize(
    ("name", "font"),
    [
        (".VnTime", LegacyFont("tcvn3")),
        (".VnTimeH", LegacyFont("tcvn3", capitals=True)),
        (".VnArial", LegacyFont("tcvn3")),
        (".VnArial NarrowH", LegacyFont("tcvn3", capitals=True)),
        (".VnCentury Schoolbook", LegacyFont("tcvn3")),
        ("VNI-Times", LegacyFont("vni")),
        ("VNI-Helve", LegacyFont("vni")),
        ("VNI-Helve-Condense", LegacyFont("vni")),
        ("Times New Roman", None),
        ("Arial", None),
        ("Vni", None),
        ("", None),
        (None, None),
    ],
)
def test_font_names_tell_the_encoding(name, font):
    assert legacy_font(name) == font


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Sè häc sinh, sinh viªn ®­îc tuyªn truyÒn: 1.250", "tcvn3"),
        ("Kh«ng", "tcvn3"),
        ("Tæng sè tr­êng häc trùc thuéc", "tcvn3"),
        ("Soá hoïc sinh, sinh vieân ñöôïc tuyeân truyeàn: 1.250", "vni"),
        ("Khoâng", "vni"),
        ("Toång soá tröôøng hoïc tröïc thuoäc", "vni"),
        ("Số học sinh, sinh viên được tuyên truyền", None),  # Unicode already
        ("Không", None),
        ("Giáo viên chủ nhiệm", None),
        ("Có", None),
        ("Café, crème brûlée, Straße, Müller", None),  # other languages stay as they are
        ("Students have to submit their coursework to the office", None),
        ("Cã", None),  # reads as Vietnamese either way: nothing tells, nothing is changed
    ],
)
def test_the_look_of_text_tells_the_encoding_when_no_font_does(text, encoding):
    assert guess_encoding(text) == encoding


LABEL_WORDS = st.sampled_from(
    "Số học sinh sinh viên được tuyên truyền tổng trường trực thuộc đã ban hành kế hoạch phòng chống "
    "mại dâm có không chưa khó khăn vướng mắc đề xuất kiến nghị cán bộ giáo viên nhân viên lượt buổi "
    "hình thức tập huấn bồi dưỡng kiểm tra giám sát vụ việc vi phạm xử lý khen thưởng Đức Hòa".split()
)


@given(st.lists(LABEL_WORDS, min_size=1, max_size=12).map(" ".join))
def test_unicode_vietnamese_is_never_repaired(text):
    assert repair(text) == text


LABELS = sorted({name for spec in DEFAULT_FIELDS for name in (spec.label, *spec.aliases)})


@pytest.mark.parametrize("label", LABELS)
def test_every_label_typed_in_an_old_encoding_is_repaired_by_its_look(label):
    """GIVEN an indicator label typed in TCVN3 or VNI, with no font to tell THEN it is repaired."""
    assert repair(to_tcvn3(label)) == label
    assert repair(to_vni(label)) == label


def _typed_in_legacy_fonts(data: bytes, encoding: str, *, via_style: bool = False) -> bytes:
    """A Word file as a clerk with an old font typed it: every run in .VnTime(H) or VNI-Times.

    ``via_style``: the Normal style names the font and only capitals runs name their own.
    """
    document = docx.Document(io.BytesIO(data))
    if via_style:
        document.styles["Normal"].font.name = ".VnTime" if encoding == "tcvn3" else "VNI-Times"
    for element in document.element.body.iter(qn("w:r")):
        run = Run(element, None)
        text = run.text
        if encoding == "vni":
            run.text, font = to_vni(text), "VNI-Times"
        elif text.isupper():
            run.text, font = to_tcvn3_capitals(text), ".VnTimeH"
        else:
            run.text, font = to_tcvn3(text), ".VnTime"
        if not via_style or font.endswith("H"):
            run.font.name = font
        _as_word_stores_soft_hyphens(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _as_word_stores_soft_hyphens(run) -> None:
    """Word keeps the byte 0xAD (TCVN3's "ư", an optional hyphen to Word) as <w:softHyphen/>."""
    for text in run.findall(qn("w:t")):
        if "\xad" not in text.text:
            continue
        parts = text.text.split("\xad")
        text.text = parts[0]
        anchor = text
        for part in parts[1:]:
            hyphen = OxmlElement("w:softHyphen")
            anchor.addnext(hyphen)
            following = OxmlElement("w:t")
            following.text = part
            following.set(qn("xml:space"), "preserve")
            hyphen.addnext(following)
            anchor = following


def _workbook_in_legacy_fonts(data: bytes, encoding: str) -> bytes:
    """An Excel file whose text cells are typed in .VnTime(H) or VNI-Times."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                if encoding == "vni":
                    cell.value, name = to_vni(cell.value), "VNI-Times"
                elif cell.value.isupper():
                    cell.value, name = to_tcvn3_capitals(cell.value), ".VnTimeH"
                else:
                    cell.value, name = to_tcvn3(cell.value), ".VnTime"
                cell.font = Font(name=name, size=cell.font.size, bold=cell.font.bold, italic=cell.font.italic)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _facts(report) -> tuple:
    return ({key: found.value for key, found in report.values.items()}, report.unit_hint, report.period_hint,
            report.title)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("via_style", [False, True], ids=["run-fonts", "style-font"])
def test_word_report_in_an_old_font_reads_like_the_unicode_one(schema, values_for, encoding, via_style):
    """GIVEN the filled Word template, retyped in .VnTime/.VnTimeH or VNI-Times WHEN parsed
    THEN the same figures, unit, period and title come back as from the Unicode file."""
    unicode = fill_docx(write_docx_template(schema, "thpt", report_title=TITLE), schema, values_for("thpt"),
                        UNIT, PERIOD)
    legacy = _typed_in_legacy_fonts(unicode, encoding, via_style=via_style)
    body = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(legacy)).paragraphs)
    assert "Tân An" not in body and (to_tcvn3("Tân An") if encoding == "tcvn3" else to_vni("Tân An")) in body

    [expected] = parse_attachment("bao-cao.docx", unicode, schema)
    [report] = parse_attachment("bao-cao.docx", legacy, schema)

    assert _facts(report) == _facts(expected)
    assert report.values["ke_hoach"].raw == "Có"
    assert report.title.startswith("BÁO CÁO")


@pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed")
def test_old_word_file_in_an_old_font_is_read(schema, values_for):
    """GIVEN the Word report typed in .VnTime and saved as .doc (Word 97-2003) WHEN parsed
    THEN the font names survive the conversion to .docx and the figures are read."""
    unicode = fill_docx(write_docx_template(schema, "thpt"), schema, values_for("thpt"), UNIT, PERIOD)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "r.docx").write_bytes(_typed_in_legacy_fonts(unicode, "tcvn3"))
        subprocess.run([converter(), f"-env:UserInstallation={(work / 'p').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(work / "r.docx")],
                       check=True, capture_output=True, timeout=120)
        legacy = (work / "r.doc").read_bytes()

    [expected] = parse_attachment("bao-cao.docx", unicode, schema)
    [report] = parse_attachment("bao-cao.doc", legacy, schema)

    assert _facts(report) == _facts(expected)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_excel_report_in_an_old_font_reads_like_the_unicode_one(schema, values_for, encoding):
    """GIVEN the filled Excel template with every text cell in .VnTime(H) or VNI-Times WHEN parsed
    THEN the same figures, unit, period and title come back as from the Unicode file."""
    unicode = filled_xlsx(schema, "phong_gddt", values_for("phong_gddt"), "Phòng GD&ĐT huyện Đức Hòa", PERIOD)
    legacy = _workbook_in_legacy_fonts(unicode, encoding)

    [expected] = parse_attachment("bao-cao.xlsx", unicode, schema)
    [report] = parse_attachment("bao-cao.xlsx", legacy, schema)

    assert _facts(report) == _facts(expected)
    assert report.unit_hint == "Phòng GD&ĐT huyện Đức Hòa"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_old_excel_file_in_an_old_font_is_read(schema, encoding):
    """GIVEN an .xls (Excel 97-2003) typed in .VnTime or VNI-Times, numbers as text WHEN parsed
    THEN the labels and the yes/no words are understood."""
    convert, font = (to_tcvn3, ".VnTime") if encoding == "tcvn3" else (to_vni, "VNI-Times")
    style = xlwt.easyxf(f"font: name {font}")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("BC")
    rows = [
        ("STT", "Chỉ tiêu", "Số liệu"),
        ("1", "Đơn vị đã ban hành kế hoạch thực hiện Chương trình phòng, chống mại dâm", "Có"),
        ("2", "Số học sinh, sinh viên được tuyên truyền", "1.180 em"),
        ("3", "Tổng số học sinh, sinh viên của đơn vị", "1.250"),
        ("4", "Số vụ việc vi phạm liên quan đến mại dâm được phát hiện", "Không"),
    ]
    for row_index, row in enumerate(rows):
        for col, text in enumerate(row):
            sheet.write(row_index, col, convert(text), style)
    buffer = io.BytesIO()
    book.save(buffer)

    [report] = parse_attachment("bc.xls", buffer.getvalue(), schema)

    assert {key: found.value for key, found in report.values.items()} == {
        "ke_hoach": True, "so_hssv_duoc_tt": 1180, "tong_so_hssv": 1250, "so_vu_vi_pham": 0,
    }


@pytest.mark.parametrize("convert", [to_tcvn3, to_vni], ids=["tcvn3", "vni"])
def test_text_without_fonts_is_recognised_by_its_look(schema, convert):
    """GIVEN the text of a PDF printed from a .VnTime/VNI document (no font names survive)
    WHEN read THEN its lines are converted and the figures read."""
    text = "\n".join(convert(line) for line in [
        "Kỳ báo cáo: năm 2026",
        "- Số học sinh, sinh viên được tuyên truyền: 1.180 em",
        "- Tổng số học sinh, sinh viên của đơn vị: 1.250",
        "- Số vụ việc vi phạm liên quan đến mại dâm được phát hiện: không",
        "- Khó khăn, vướng mắc: thiếu tài liệu tuyên truyền",
    ])
    report = read_text(numbered_lines(text, "trang 1"), schema)
    assert {key: found.value for key, found in report.values.items()} == {
        "so_hssv_duoc_tt": 1180, "tong_so_hssv": 1250, "so_vu_vi_pham": 0, "kho_khan": "thiếu tài liệu tuyên truyền",
    }
    assert report.period_hint == "năm 2026"
