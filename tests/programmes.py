"""The second report programme of the tests: docs/examples/phong-chong-ma-tuy.yaml, a monthly
report on drug prevention, beside the shipped plan (programme ``default``) on one mailbox."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.robotenv import REPO, RobotEnv, write_config

MONTHLY_EXAMPLE = REPO / "docs" / "examples" / "phong-chong-ma-tuy.yaml"
DRUGS = "phong_chong_ma_tuy"
# A school's complete monthly figures for the drug-prevention programme.
DRUGS_COMPLETE = {
    "ke_hoach_pcmt": True, "so_buoi_tt_ma_tuy": 4, "so_luot_hssv_tt_ma_tuy": 1320,
    "so_hssv_xet_nghiem": 40, "so_hssv_duong_tinh": 0, "so_vu_viec_ma_tuy": 0,
    "so_hssv_vi_pham_ma_tuy": 0, "kien_nghi_pcmt": "Đề nghị cấp thêm tài liệu tuyên truyền",
}


def example_programmes() -> list[dict]:
    """The ``programmes`` entries of the example file, as an admin pastes them into config.yaml."""
    return yaml.safe_load(MONTHLY_EXAMPLE.read_text(encoding="utf-8"))["programmes"]


def write_two_programme_config(folder: Path, dovecot, smtp, **changes) -> RobotEnv:
    """The shipped config with the example monthly programme added under ``programmes``."""
    return write_config(folder, dovecot, smtp, programmes=example_programmes(), **changes)
