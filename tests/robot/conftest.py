"""Fixtures for tests that run the whole robot against the test Dovecot and aiosmtpd."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres import TEST_DB
from tests.robotenv import STORE_URL_ENV, RobotEnv, write_config

# A complete, consistent report for each kind of unit (DESIGN §1 indicator set).
COMPLETE = {
    "ke_hoach": True, "ban_chi_dao": True, "so_hinh_thuc_tt": 3, "so_buoi_tt": 12,
    "so_hssv_duoc_tt": 1250, "tong_so_hssv": 1400, "so_cbgv_duoc_tt": 85, "long_ghep": True,
    "so_cb_tap_huan": 6, "so_cuoc_kiem_tra": 2, "so_vu_vi_pham": 0, "so_vu_xu_ly": 0,
    "so_khen_thuong": 1, "kho_khan": "Thiếu tài liệu tuyên truyền", "kien_nghi": "Tổ chức tập huấn",
}
COMPLETE_DISTRICT = COMPLETE | {"so_truong_truc_thuoc": 48, "so_truong_co_tt": 45}


@pytest.fixture(autouse=True)
def robot_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ROBOT_TEST_DB=postgresql, the robots of the test keep their store in a fresh PostgreSQL database."""
    if TEST_DB == "postgresql":
        monkeypatch.setenv(STORE_URL_ENV, request.getfixturevalue("postgres_url"))


@pytest.fixture
def robot_env(tmp_path: Path, mailbox, smtp_server) -> RobotEnv:
    """A robot configured like the shipped config.yaml, on the test mail servers."""
    return write_config(tmp_path / "robot", mailbox, smtp_server)


@pytest.fixture
def school(robot_env: RobotEnv):
    """A registered THPT school of the shipped config."""
    return next(u for u in robot_env.config.units if u.type == "thpt")


@pytest.fixture
def district(robot_env: RobotEnv):
    return next(u for u in robot_env.config.units if u.type == "phong_gddt")
