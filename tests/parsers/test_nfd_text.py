"""Decomposed Vietnamese (NFD: Unikey's "Unicode tổ hợp", macOS) reads exactly like composed (NFC)."""

from __future__ import annotations

import io
import unicodedata

import docx
import openpyxl
import pytest
from default_indicators import DEFAULT_FIELDS
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from parsers.labels import match_field, normalize
from parsers.registry import parse_attachment
from parsers.schema import FieldSpec
from parsers.template_docx import write_docx_template
from parsers.text_reader import numbered_lines, read_text
from parsers.values import parse_value
from tests.filling import fill_docx, filled_xlsx

UNIT, PERIOD = "Trường THPT Đức Hòa", "6 tháng đầu năm 2026"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _facts(report) -> tuple:
    found = {key: (f.value, f.raw, f.error, f.source, f.via) for key, f in report.values.items()}
    return found, report.unit_hint, report.period_hint, report.title, report.warnings


def test_a_count_written_khong_in_nfd_is_zero():
    """The case from the field: "Không" typed decomposed was "không phải là số"."""
    count = FieldSpec("so_vu_vi_pham", "11", "Số vụ việc vi phạm", "int")
    assert nfd("Không") != "Không"
    assert parse_value(count, nfd("Không")) == (0, None)


def test_word_report_typed_in_nfd_gives_the_same_figures(schema, values_for):
    """GIVEN the filled Word template with every run's text decomposed WHEN parsed
    THEN every value, its raw text, the hints and the title are those of the composed file."""
    values = values_for("thpt") | {"so_vu_vi_pham": "Không", "ke_hoach": "Không"}
    composed = fill_docx(write_docx_template(schema, "thpt"), schema, values, UNIT, PERIOD)
    document = docx.Document(io.BytesIO(composed))
    for text in document.element.body.iter(qn("w:t")):
        text.text = nfd(text.text)
    buffer = io.BytesIO()
    document.save(buffer)

    [expected] = parse_attachment("bc.docx", composed, schema)
    [report] = parse_attachment("bc.docx", buffer.getvalue(), schema)

    assert _facts(report) == _facts(expected)
    assert report.values["so_vu_vi_pham"].value == 0
    assert report.values["ke_hoach"].value is False


def test_excel_report_typed_in_nfd_gives_the_same_figures(schema, values_for):
    values = values_for("phong_gddt") | {"so_vu_xu_ly": "Không", "long_ghep": "Có"}
    composed = filled_xlsx(schema, "phong_gddt", values, "Phòng GD&ĐT huyện Cần Giuộc", PERIOD)
    workbook = openpyxl.load_workbook(io.BytesIO(composed))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = nfd(cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    [expected] = parse_attachment("bc.xlsx", composed, schema)
    [report] = parse_attachment("bc.xlsx", buffer.getvalue(), schema)

    assert _facts(report) == _facts(expected)
    assert report.values["so_vu_xu_ly"].value == 0
    assert report.unit_hint == "Phòng GD&ĐT huyện Cần Giuộc"


def test_mail_body_typed_in_nfd_gives_the_same_figures(schema):
    """GIVEN a report typed into a mail on a Mac (NFD) THEN it reads as the same text in NFC."""
    body = (
        "Kính gửi Phòng Giáo dục Trung học,\n"
        "Trường THPT Đức Hòa báo cáo năm 2026 như sau:\n"
        "- Đơn vị đã ban hành kế hoạch: Đã ban hành\n"
        "- Số buổi tuyên truyền: 12 buổi\n"
        "- Số học sinh, sinh viên được tuyên truyền: 1.180 em\n"
        "- Số vụ việc vi phạm được phát hiện: Không\n"
        "- Số vụ đã xử lý: không có\n"
        "- Khó khăn, vướng mắc: Thiếu tài liệu tuyên truyền\n"
    )
    expected = read_text(numbered_lines(body, "thân thư"), schema)
    report = read_text(numbered_lines(nfd(body), "thân thư"), schema)
    assert _facts(report) == _facts(expected)
    assert {key: found.value for key, found in report.values.items()} == {
        "ke_hoach": True, "so_buoi_tt": 12, "so_hssv_duoc_tt": 1180, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
        "kho_khan": "Thiếu tài liệu tuyên truyền",
    }


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
ANSWERS = ["Không", "Có", "Chưa", "Đã ban hành", "không có", "Chưa thực hiện", "1.250 học sinh", "05 buổi",
           "Không có vụ việc nào", "Đã kiện toàn", "x", "✓", "12 lượt", "70%", "mười hai"]
TEXTS = st.one_of(
    st.sampled_from(ANSWERS),
    st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 .,%-()"),
    st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=3).map(" ".join),
)
SPECS = [FieldSpec("n", "01", "Số buổi", "int"), FieldSpec("b", "02", "Đã ban hành", "bool"),
         FieldSpec("t", "03", "Khó khăn", "text")]


@given(text=TEXTS, spec=st.sampled_from(SPECS))
def test_value_normaliser_reads_nfd_as_nfc(text, spec):
    """normalize(NFD(s)) == normalize(NFC(s)) for the value normaliser: same value, same reason."""
    composed = unicodedata.normalize("NFC", text)
    assert parse_value(spec, nfd(text)) == parse_value(spec, composed)


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.-()"))
def test_label_matching_reads_nfd_as_nfc(text):
    composed = unicodedata.normalize("NFC", text)
    assert normalize(nfd(text)) == normalize(composed)
    assert match_field(nfd(text), DEFAULT_FIELDS) == match_field(composed, DEFAULT_FIELDS)


@pytest.mark.parametrize("spec", DEFAULT_FIELDS, ids=lambda spec: spec.key)
def test_every_label_in_nfd_matches_its_field(spec):
    assert match_field(nfd(spec.label), DEFAULT_FIELDS) == spec
