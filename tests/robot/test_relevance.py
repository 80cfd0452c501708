"""Telling the report from other mail and documents: keywords, and how much of the report a document holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.report import FoundValue, ParsedReport
from robot.config import load_config
from robot.relevance import keyword_pattern, names_report, reads_as_report

SHIPPED = Path(__file__).resolve().parents[2] / "config.yaml"


@pytest.fixture(scope="module")
def shipped():
    return load_config(SHIPPED)


@pytest.mark.parametrize(("text", "named"), [
    ("V/v báo cáo kết quả thực hiện công tác phòng, chống mại dâm năm 2026", True),
    ("BAO CAO CONG TAC PHONG CHONG MAI DAM 6 THANG", True),  # typed without marks
    ("bc pcmd 2026 - THPT Lê Quý Đôn", True),
    ("Kế hoạch thực hiện QĐ 1629/QĐ-TTg", True),
    ("Báo cáo công tác phòng, chống ma túy năm 2026", False),
    ("Giấy mời họp triển khai nhiệm vụ năm học 2026-2027", False),
    ("Số học sinh: 11629", False),  # a figure is not the decision number
    ("Báo cáo năm 2026", False),  # the generic word alone names no programme
])
def test_keywords_name_the_programme(shipped, text, named):
    assert names_report(keyword_pattern(shipped.keywords), [text]) is named


def _document(values: dict[str, int], title: str | None = None) -> ParsedReport:
    report = ParsedReport(filename="x.docx", title=title)
    for key, value in values.items():
        report.values[key] = FoundValue(key=key, raw=str(value), value=value, source="table 1")
    return report


def test_a_document_sharing_a_few_rows_under_another_title_is_not_the_report(shipped):
    """GIVEN a drug-prevention report with 3 rows like ours WHEN judged THEN it is not the report."""
    fields = shipped.schema().for_unit_type("thpt")
    pattern = keyword_pattern(shipped.keywords)
    drug = _document({"so_buoi_tt": 12, "so_hssv_duoc_tt": 900, "tong_so_hssv": 1200},
                     title="BÁO CÁO Kết quả công tác phòng, chống ma túy năm 2026")
    assert not reads_as_report(drug, fields, pattern, mail_names_report=False)
    assert not reads_as_report(drug, fields, pattern, mail_names_report=True)


def test_the_report_under_a_generic_title_is_the_report_when_it_holds_most_rows(shipped):
    fields = shipped.schema().for_unit_type("thpt")
    pattern = keyword_pattern(shipped.keywords)
    keys = [spec.key for spec in fields if spec.type == "int"]
    full = _document({key: 1 for key in keys}, title="BÁO CÁO Kết quả thực hiện nhiệm vụ năm 2026")
    assert reads_as_report(full, fields, pattern, mail_names_report=False)


def test_a_few_figures_are_enough_when_the_mail_names_the_report(shipped):
    fields = shipped.schema().for_unit_type("thpt")
    pattern = keyword_pattern(shipped.keywords)
    body = _document({"so_hinh_thuc_tt": 3, "so_buoi_tt": 5, "so_hssv_duoc_tt": 700})
    assert reads_as_report(body, fields, pattern, mail_names_report=True)
    assert not reads_as_report(body, fields, pattern, mail_names_report=False)


def test_the_robots_template_is_the_report_whatever_it_holds(shipped):
    fields = shipped.schema().for_unit_type("thpt")
    template = _document({"so_buoi_tt": 2})
    template.template_code = "report-robot:default"
    assert reads_as_report(template, fields, None, mail_names_report=False)
