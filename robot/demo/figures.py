"""Believable figures for a unit's report, drawn from the config's indicator set (seeded, repeatable)."""

from __future__ import annotations

import random

from parsers.schema import FieldSpec
from robot.config import Config, Unit

# Typical ranges for the shipped indicator set; other int fields get a small count.
_TYPICAL = {
    "so_hinh_thuc_tt": (2, 6), "so_buoi_tt": (4, 20), "so_cbgv_duoc_tt": (40, 160),
    "so_cb_tap_huan": (2, 12), "so_cuoc_kiem_tra": (1, 4), "so_vu_vi_pham": (0, 0),
    "so_vu_xu_ly": (0, 0), "so_khen_thuong": (0, 3),
}
_STUDENTS = {"dai_hoc": (3000, 9000), "cao_dang_su_pham": (800, 2000), "phong_gddt": (12000, 40000)}
_TEXTS = {
    "kho_khan": ["Thiếu tài liệu tuyên truyền phù hợp lứa tuổi", "Kinh phí cho hoạt động ngoại khóa còn hạn chế",
                 "Không có"],
    "kien_nghi": ["Đề nghị Sở tổ chức tập huấn cho giáo viên chủ nhiệm", "Cung cấp thêm tài liệu, video tuyên truyền",
                  "Không"],
}


def report_values(config: Config, unit: Unit, seed: str) -> dict[str, object]:
    """A complete, consistent report for ``unit``: every field that applies to its type."""
    rng = random.Random(f"{unit.code}/{seed}")
    targets = config.targets
    values: dict[str, object] = {}
    for spec in config.schema().for_unit_type(unit.type):
        values[spec.key] = _value(spec, rng)
    low, high = _STUDENTS.get(unit.type, (600, 1600))
    total = rng.randint(low, high)
    values[targets.students_total_field] = total
    values[targets.students_reached_field] = round(total * rng.uniform(0.6, 1.0))
    if targets.schools_total_field in values:
        schools = rng.randint(30, 70)
        values[targets.schools_total_field] = schools
        values[targets.schools_reached_field] = schools - rng.randint(0, 4)
    for rule in config.rules:  # keep the consistency rules: left <= right (or >=)
        left, right = values.get(rule.left), values.get(rule.right)
        if isinstance(left, int) and isinstance(right, int):
            values[rule.left] = min(left, right) if rule.op == "<=" else max(left, right)
    return values


def _value(spec: FieldSpec, rng: random.Random) -> object:
    if spec.type == "bool":
        return rng.random() > 0.1
    if spec.type == "text":
        return rng.choice(_TEXTS.get(spec.key, ["Không"]))
    low, high = _TYPICAL.get(spec.key, (0, 10))
    return rng.randint(low, high)
