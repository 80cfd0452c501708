"""The staff[] section: who may command the robot by mail, and what `robot check` says about it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from robot.config import StaffMember, load_config
from robot.errors import ConfigError

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.yaml"


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))


def _load(tmp_path: Path, data: dict):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def _problems(tmp_path: Path, data: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, data)
    return info.value.problems


def test_shipped_config_has_no_staff_and_a_valid_commented_example(raw: dict) -> None:
    """Nobody commands the robot until an admin says so; the example works once uncommented."""
    assert raw["staff"] == []
    lines = CONFIG_PATH.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#  - name:"))
    example = lines[start:next(i for i in range(start, len(lines)) if not lines[i].startswith("#"))]
    block = [line[1:] for line in example if line.startswith("#  ")]
    members = [StaffMember(**item) for item in yaml.safe_load("\n".join(block))]
    assert [m.role for m in members] == ["editor", "viewer"]
    assert members[0].may_change and not members[1].may_change


def test_staff_found_by_any_address_case_insensitively(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    data["staff"] = [{"name": "Nguyễn Thị Lan", "role": "editor",
                      "emails": ["Lan.NT.CTTT@LongAn.edu.example", "lan.nguyen@gmail.example"]}]
    config = _load(tmp_path, data)
    assert config.staff_by_email(" lan.nt.cttt@longan.edu.EXAMPLE ").name == "Nguyễn Thị Lan"
    assert config.staff_by_email("lan.nguyen@gmail.example").role == "editor"
    assert config.staff_by_email("pgd.tanan@longan.edu.example") is None


def test_role_defaults_to_viewer(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    data["staff"] = [{"name": "Trần Văn Minh", "emails": ["minh.tv@longan.edu.example"]}]
    assert _load(tmp_path, data).staff[0].role == "viewer"


def test_every_staff_problem_is_reported_with_its_key_path(tmp_path: Path, raw: dict) -> None:
    data = copy.deepcopy(raw)
    unit_address = data["units"][0]["emails"][0]
    data["staff"] = [
        {"name": "Nguyễn Thị Lan", "role": "admin", "emails": ["lan.nt@longan.edu.example"]},
        {"name": "Lê Văn Tám", "emails": [unit_address.upper()]},
        {"name": "Phạm Thu Hà", "role": "viewer", "emails": ["LAN.NT@longan.edu.example"]},
        {"name": "Võ Hòa", "role": "editor", "emails": [data["mailbox"]["address"]]},
        {"name": "Đỗ Kim", "role": "editor", "emails": []},
        {"name": "Hồ Na", "emails": ["ho-na-at-longan"]},
    ]
    problems = _problems(tmp_path, data)
    expected = [
        "staff.0.role: Input should be 'viewer' or 'editor'",
        f"staff.1.emails: {unit_address.lower()} is registered for units.0",
        "staff.2.emails: lan.nt@longan.edu.example is already used by staff.0",
        f"staff.3.emails: {data['mailbox']['address']} is the robot's own mailbox",
        "staff.4.emails:",
        "staff.5.emails: not an email address: ho-na-at-longan",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)
    assert len(problems) == len(expected), problems


def test_robot_check_prints_a_staff_address_that_is_a_units(tmp_path: Path, raw: dict) -> None:
    from typer.testing import CliRunner

    from robot.cli import app

    data = copy.deepcopy(raw)
    data["staff"] = [{"name": "Lê Văn Tám", "role": "editor", "emails": [data["units"][2]["emails"][0]]}]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(path), "check"])
    assert result.exit_code == 2
    assert "staff.0.emails:" in result.output and "registered for units.2" in result.output
