"""The default indicator set of DESIGN.md §1 and sample answers, shared by the parser tests."""

from __future__ import annotations

from parsers.schema import FieldSpec, Schema

PHONG = ("phong_gddt",)

DEFAULT_FIELDS = (
    FieldSpec(
        "ke_hoach",
        "01",
        "Đơn vị đã ban hành kế hoạch thực hiện Chương trình phòng, chống mại dâm",
        "bool",
        aliases=("Ban hành kế hoạch phòng, chống mại dâm", "Kế hoạch PCMD"),
    ),
    FieldSpec(
        "ban_chi_dao",
        "02",
        "Đã củng cố, kiện toàn Ban Chỉ đạo phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm",
        "bool",
        aliases=("Kiện toàn BCĐ phòng, chống AIDS, ma túy, mại dâm",),
    ),
    FieldSpec(
        "so_hinh_thuc_tt",
        "03",
        "Số hình thức tuyên truyền về phòng, chống mại dâm đã tổ chức",
        "int",
        aliases=("Số hình thức tuyên truyền",),
    ),
    FieldSpec(
        "so_buoi_tt",
        "04",
        "Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức",
        "int",
        aliases=("Số buổi tuyên truyền",),
    ),
    FieldSpec(
        "so_hssv_duoc_tt",
        "05",
        "Số học sinh, sinh viên được tuyên truyền",
        "int",
        aliases=("Số HS, SV được tuyên truyền", "Số HSSV được tuyên truyền"),
    ),
    FieldSpec(
        "tong_so_hssv",
        "06",
        "Tổng số học sinh, sinh viên của đơn vị",
        "int",
        aliases=("Tổng số HS, SV", "Tổng số HSSV"),
    ),
    FieldSpec(
        "so_cbgv_duoc_tt",
        "07",
        "Số lượt cán bộ, công chức, viên chức, nhân viên được tuyên truyền",
        "int",
        aliases=("Số lượt CB-GV-NV được tuyên truyền", "Số lượt CBCCVC được tuyên truyền"),
    ),
    FieldSpec(
        "long_ghep",
        "08",
        "Có lồng ghép phòng, chống mại dâm với các chương trình phòng, chống ma túy, mua bán người, HIV/AIDS, an sinh xã hội",
        "bool",
        aliases=("Lồng ghép với các chương trình phòng, chống ma túy, mua bán người, HIV/AIDS",),
    ),
    FieldSpec(
        "so_cb_tap_huan",
        "09",
        "Số cán bộ, công chức, viên chức tham dự tập huấn, bồi dưỡng",
        "int",
        aliases=("Số CB tham dự tập huấn", "Số CBCCVC tập huấn, bồi dưỡng"),
    ),
    FieldSpec(
        "so_cuoc_kiem_tra",
        "10",
        "Số cuộc kiểm tra, giám sát về an ninh, trật tự trường học",
        "int",
        required=False,
        aliases=("Số cuộc kiểm tra, giám sát",),
    ),
    FieldSpec(
        "so_vu_vi_pham",
        "11",
        "Số vụ việc vi phạm liên quan đến mại dâm được phát hiện",
        "int",
        aliases=("Số vụ vi phạm được phát hiện",),
    ),
    FieldSpec("so_vu_xu_ly", "12", "Số vụ việc vi phạm đã được xử lý", "int", aliases=("Số vụ đã xử lý",)),
    FieldSpec(
        "so_khen_thuong",
        "13",
        "Số tập thể, cá nhân được biểu dương, khen thưởng",
        "int",
        required=False,
        aliases=("Số tập thể, cá nhân được khen thưởng",),
    ),
    FieldSpec(
        "so_truong_truc_thuoc",
        "14",
        "Tổng số trường học trực thuộc",
        "int",
        applies_to=PHONG,
        aliases=("Tổng số trường trực thuộc",),
    ),
    FieldSpec(
        "so_truong_co_tt",
        "15",
        "Số trường đã tổ chức ít nhất một hình thức tuyên truyền",
        "int",
        applies_to=PHONG,
        aliases=("Số trường có tổ chức tuyên truyền",),
    ),
    FieldSpec("kho_khan", "16", "Khó khăn, vướng mắc", "text", required=False),
    FieldSpec("kien_nghi", "17", "Đề xuất, kiến nghị", "text", required=False),
)

UNIT_TYPES = {
    "phong_gddt": "Phòng Giáo dục và Đào tạo",
    "thpt": "Trường phổ thông trực thuộc Sở",
    "don_vi_truc_thuoc": "Đơn vị trực thuộc Sở",
    "cao_dang_su_pham": "Trường Cao đẳng Sư phạm",
    "dai_hoc": "Trường đại học",
}


def sample_values(schema: Schema, unit_type: str | None) -> dict[str, object]:
    """A filled-in value for every field that applies to the unit type: big counts, both answers."""
    values: dict[str, object] = {}
    for number, spec in enumerate(schema.for_unit_type(unit_type)):
        if spec.type == "int":
            values[spec.key] = 1000 + 137 * number if number % 2 else number
        elif spec.type == "bool":
            values[spec.key] = number % 2 == 0
        else:
            values[spec.key] = f"Nội dung “{spec.label}”: thiếu kinh phí, tài liệu tuyên truyền."
    return values
