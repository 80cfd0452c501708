"""Excel reports as people really send them: the template edited, or a sheet of their own."""

from __future__ import annotations

import io

import openpyxl

from parsers.registry import parse_attachment
from parsers.xlsx_reader import read_xlsx


def save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def values(report) -> dict[str, object]:
    return {key: found.value for key, found in report.values.items()}


def test_own_sheet_shuffled_without_codes_or_diacritics(schema):
    """GIVEN an instructions sheet first, then a sheet with no code column, rows shuffled, blank
    rows, labels retyped without diacritics or abbreviated, numbering, notes and text values
    WHEN parsed THEN every value lands on the right field and the notes are ignored."""
    workbook = openpyxl.Workbook()
    guide = workbook.active
    guide.title = "Hướng dẫn"
    guide.append(["Số buổi tuyên truyền:", "ghi 12, không ghi 70%"])
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2026"])
    sheet.append(["Tên đơn vị:", "Trường THPT Cần Giuộc"])
    sheet.append([])
    sheet.append(["STT", "Nội dung", "Số liệu", "Ghi chú"])
    sheet.append(["1.", "Tong so hoc sinh, sinh vien cua don vi", "1.250", "số liệu đến 31/5"])
    sheet.append([])
    sheet.append(["a)", "Số HS, SV được tuyên truyền", "1 100", ""])
    sheet.append(
        ["-", "so buoi (hoat dong) tuyen truyen, giao duc da to chuc", "05 buổi", "kể cả ngoại khóa"]
    )
    sheet.append(["I.", "ĐƠN VỊ ĐÃ BAN HÀNH KẾ HOẠCH THỰC HIỆN CHƯƠNG TRÌNH PHÒNG, CHỐNG MẠI DÂM", "x", None])
    sheet.append([None, None, None, None])
    sheet.append(
        ["1.2.", "Có lồng ghép phòng, chống mại dâm với các chương trình phòng chống ma túy", "Không", "12"]
    )
    sheet.append(["5", "Số vụ việc vi phạm đã được xử lý", 0, None])
    sheet.append(["6", "So vu viec vi pham lien quan den mai dam duoc phat hien", "1", None])
    sheet.append(["7", "Khó khăn, vướng mắc", "Thiếu tài liệu", None])
    sheet.append(["8", "Số cuộc kiểm tra, giám sát", None, "chưa tổ chức"])

    report = read_xlsx(save(workbook), schema)

    assert values(report) == {
        "tong_so_hssv": 1250,
        "so_hssv_duoc_tt": 1100,
        "so_buoi_tt": 5,
        "ke_hoach": True,
        "long_ghep": False,
        "so_vu_xu_ly": 0,
        "so_vu_vi_pham": 1,
        "kho_khan": "Thiếu tài liệu",
    }
    assert "so_cuoc_kiem_tra" not in report.values  # an empty value cell is a missing value
    assert report.values["tong_so_hssv"].source == "Sheet1!C5"
    assert report.values["tong_so_hssv"].raw == "1.250"
    assert report.unit_hint == "Trường THPT Cần Giuộc"
    assert report.period_hint == "BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2026"


def test_code_column_identifies_rows_with_unrecognisable_labels(schema):
    """GIVEN a "Mã số" column and labels shortened past recognition THEN the codes decide."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã số", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện"])
    sheet.append(["3", "Hình thức", "hình thức", 4])
    sheet.append([4.0, "Buổi", "buổi", 12.0])
    sheet.append(["09", "Tập huấn", "người", "35"])
    sheet.append(["99", "Một chỉ tiêu lạ", "", "7"])
    report = read_xlsx(save(workbook), schema)
    assert values(report) == {"so_hinh_thuc_tt": 4, "so_buoi_tt": 12, "so_cb_tap_huan": 35}
    assert report.values["so_buoi_tt"].source == "Sheet!D3"


def test_label_wins_over_a_wrong_code_with_a_warning(schema):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã số", "Chỉ tiêu", "Số liệu"])
    sheet.append(["11", "Số vụ việc vi phạm đã được xử lý", 2])
    report = read_xlsx(save(workbook), schema)
    assert values(report) == {"so_vu_xu_ly": 2}
    assert any("mã số 11" in warning for warning in report.warnings)


def test_merged_cells_and_an_unnamed_extra_column(schema):
    """GIVEN labels merged over two columns, a value heading merged over two columns, a title
    merged across the sheet THEN values are found right of the merged label."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Kỳ báo cáo:"
    sheet["B1"] = "năm 2026"
    sheet.merge_cells("B1:E1")
    sheet.append(["Mã số", "Chỉ tiêu", None, "Số liệu", None, "Ghi chú"])
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:E2")
    sheet.append(["05", "Số học sinh, sinh viên được tuyên truyền", None, 800, None, "khối 10-12"])
    sheet.merge_cells("B3:C3")
    sheet.append(["06", "Tổng số học sinh, sinh viên của đơn vị", None, None, 900, None])
    sheet.merge_cells("B4:C4")
    sheet.append(["02", "Đã củng cố, kiện toàn Ban Chỉ đạo", None, "Đã kiện toàn", None, None])
    report = read_xlsx(save(workbook), schema)
    assert values(report) == {"so_hssv_duoc_tt": 800, "tong_so_hssv": 900, "ban_chi_dao": True}
    assert report.values["tong_so_hssv"].source == "Sheet!E4"
    assert report.period_hint == "năm 2026"


def test_unreadable_values_are_kept_with_the_reason(schema):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Chỉ tiêu", "Số liệu"])
    sheet.append(["Số học sinh, sinh viên được tuyên truyền", "70%"])
    sheet.append(["Tổng số học sinh, sinh viên của đơn vị", 0.7])
    sheet.append(["Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức", "12,5"])
    sheet.append(["Có lồng ghép phòng, chống mại dâm với các chương trình", "đang làm"])
    report = read_xlsx(save(workbook), schema)
    found = report.values
    assert {key: (f.value, f.raw) for key, f in found.items()} == {
        "so_hssv_duoc_tt": (None, "70%"),
        "tong_so_hssv": (None, "0.7"),
        "so_buoi_tt": (None, "12,5"),
        "long_ghep": (None, "đang làm"),
    }
    assert "phần trăm" in found["so_hssv_duoc_tt"].error
    assert "số nguyên" in found["so_buoi_tt"].error
    assert "Có" in found["long_ghep"].error


def test_stronger_table_wins_over_a_stray_row(schema):
    """GIVEN a summary sheet with one conflicting figure and the full report sheet THEN the full
    report's values are kept and the conflict is reported."""
    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Tóm tắt"
    summary.append(["Số buổi tuyên truyền", 3])
    full = workbook.create_sheet("Báo cáo")
    full.append(["Mã số", "Chỉ tiêu", "Số liệu"])
    full.append(["03", "Số hình thức tuyên truyền", 2])
    full.append(["04", "Số buổi tuyên truyền", 5])
    report = read_xlsx(save(workbook), schema)
    assert values(report) == {"so_hinh_thuc_tt": 2, "so_buoi_tt": 5}
    assert any("so_buoi_tt" in warning for warning in report.warnings)


def test_hidden_sheets_are_not_read(schema):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Số buổi tuyên truyền", 5])
    hidden = workbook.create_sheet("Danh mục")
    hidden.append(["Số hình thức tuyên truyền", 9])
    hidden.sheet_state = "hidden"
    [report] = parse_attachment("bao-cao.xlsx", save(workbook), schema)
    assert values(report) == {"so_buoi_tt": 5}
