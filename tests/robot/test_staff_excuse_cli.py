"""`robot excuse`: the admin's twin of the "Miễn" / "Hoàn tác" mail commands, on the same store."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import select

from store.db import session
from store.tables import Excusal, StaffAction

NOW = "2026-11-20T10:00:00+07:00"


def _row(env, unit_code: str) -> dict:
    rows = json.loads(env.cli("status", "--period", "annual-2025", "--now", NOW, "--json").stdout)
    return next(r for r in rows if r["unit_code"] == unit_code)


def test_excuse_and_undo_from_the_command_line(robot_env, district):
    env = robot_env
    result = env.cli("excuse", district.code.lower(), "annual-2025", "--reason", "Sáp nhập vào tỉnh Tây Ninh",
                     "--by", "nguyenvana", "--now", NOW)
    assert result.exit_code == 0, result.output
    with session(env.engine()) as db:
        (excusal,) = db.exec(select(Excusal)).all()
    assert (excusal.unit_code, excusal.period_id, excusal.by) == (district.code, "annual-2025", "nguyenvana")
    assert f"robot excuse --undo {excusal.id}" in result.output
    row = _row(env, district.code)
    assert row["excused"] is True and row["state"] == "missing"

    again = env.cli("excuse", district.code, "annual-2025", "--reason", "lần nữa", "--by", "nguyenvana", "--now", NOW)
    assert again.exit_code == 0 and "từ trước" in again.output

    undone = env.cli("excuse", "--undo", str(excusal.id), "--by", "nguyenvana", "--now", NOW)
    assert undone.exit_code == 0, undone.output
    assert "excused" not in _row(env, district.code)
    assert env.cli("excuse", "--undo", str(excusal.id), "--now", NOW).exit_code == 1  # already undone

    with session(env.engine()) as db:
        actions = db.exec(select(StaffAction).order_by(StaffAction.id)).all()
    assert [(a.staff_email, a.action) for a in actions] == [
        ("cli:nguyenvana", "excuse"), ("cli:nguyenvana", "excuse"), ("cli:nguyenvana", "undo")]
    assert actions[0].undone_at is not None


def test_unknown_unit_period_or_no_reason_change_nothing(robot_env, district):
    env = robot_env
    assert env.cli("excuse", "PGD-KHONGCO", "annual-2025", "--reason", "x", "--now", NOW).exit_code == 1
    assert env.cli("excuse", district.code, "annual-1999", "--reason", "x", "--now", NOW).exit_code == 1
    assert env.cli("excuse", district.code, "annual-2025", "--now", NOW).exit_code == 1  # a reason is required
    assert env.cli("excuse", "--now", NOW).exit_code == 2
    with session(env.engine()) as db:
        assert db.exec(select(Excusal)).all() == [] and db.exec(select(StaffAction)).all() == []


def test_an_excused_unit_is_counted_apart_in_the_digest(robot_env, district):
    """GIVEN a district office excused for annual-2025 WHEN the digest is built THEN it is not among
    the units that must report (completeness's denominator) and is named as excused; undone, it is
    expected again."""
    env = robot_env

    def digest_line() -> str:
        result = env.cli("digest", "--now", "2025-12-05T10:00:00+07:00", "--dry-run")
        assert result.exit_code == 0, result.output
        return next(line for line in result.output.splitlines() if line.startswith("Báo cáo năm 2025"))

    before = digest_line()
    expected = sum(1 for unit in env.config.units if unit.active_on(dt.date(2025, 12, 1)))
    assert f"phải nộp {expected}," in before and "được miễn" not in before
    assert env.cli("excuse", district.code, "annual-2025", "--reason", "Đơn vị giải thể",
                   "--by", "nguyenvana", "--now", NOW).exit_code == 0
    after = digest_line()
    assert f"phải nộp {expected - 1}," in after and after.endswith("được miễn 1")
    with session(env.engine()) as db:
        (excusal,) = db.exec(select(Excusal)).all()
    assert env.cli("excuse", "--undo", str(excusal.id), "--by", "nguyenvana", "--now", NOW).exit_code == 0
    assert digest_line() == before
