"""`status` names a staff correction of the report that stands: who, when, what and why."""

from __future__ import annotations

import json

from tests.robot.test_staff_by_mail import EDITOR, _actions, _command, _poll, _staffed
from tests.robot.test_staff_corrections import _school_report


def _rows(env) -> dict[str, dict]:
    result = env.cli("status", "--period", "annual-2026", "--json")
    assert result.exit_code == 0, result.output
    return {row["unit_code"]: row for row in json.loads(result.stdout)}


def test_status_json_carries_the_correction_until_it_is_undone(robot_env, mailbox, smtp_server, school):
    """GIVEN a school's report filed by mail and corrected by an editor's "Sửa <code> 05=755 <reason>"
    WHEN status runs THEN its row carries "correction" (the editor's address, the time, 05's
    before and after, the reason) and shows 755; no other row has the key; after "Hoàn tác" the
    first version stands again and the key is gone."""
    env = _staffed(robot_env)
    _school_report(env, mailbox, school)
    assert env.cli("poll", "--now", "2026-11-19T10:00:00+07:00").exit_code == 0
    before = _rows(env)
    assert before[school.code]["version"] == 1 and "correction" not in before[school.code]

    _poll(env, mailbox, _command(EDITOR, f"Sửa {school.code} 05=755 trường gọi điện báo nhập nhầm"))

    rows = _rows(env)
    row = rows[school.code]
    assert (row["version"], row["values"]["so_hssv_duoc_tt"]) == (2, 755)
    assert row["correction"] == {"by": EDITOR.address, "at": "2026-11-20T10:00:00+07:00",
                                 "changes": {"05": ["1.250", "755"]}, "reason": "trường gọi điện báo nhập nhầm"}
    assert [code for code, other in rows.items() if "correction" in other] == [school.code]
    assert {code: other for code, other in rows.items() if code != school.code} == {
        code: other for code, other in before.items() if code != school.code}

    (corrected,) = [a for a in _actions(env) if a.action == "correct"]
    _poll(env, mailbox, _command(EDITOR, f"Hoàn tác {corrected.id}", day=21), now="2026-11-21T10:00:00+07:00", day=21)
    assert _rows(env)[school.code] == before[school.code]
