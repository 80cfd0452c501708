"""Names and text chosen by senders are never paths or formulas; stored data is owner-only."""

from __future__ import annotations

import json
import stat

from tests.filling import filled_docx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, write_config


def test_traversal_and_reserved_attachment_names_are_only_names(robot_env, mailbox, smtp_server, school):
    data = filled_docx(robot_env.config.schema(), "thpt", COMPLETE)
    names = ["../../etc/passwd.docx", "CON.docx", "..\\..\\boot.ini.docx"]
    for name in names:
        mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [(name, data)]),
                       internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0

    root = robot_env.path.parent
    archive = robot_env.config.archive_dir
    files = sorted(p for p in root.rglob("*") if p.is_file())
    outside = [p for p in files if archive not in p.parents and p.parent != root]
    assert outside == [], outside  # nothing written outside the archive and the database
    archived = [p for p in files if archive in p.parents]
    assert len(archived) == 3 and all(p.suffix == ".eml" and len(p.stem) == 64 for p in archived)
    assert not (root.parent.parent / "etc" / "passwd.docx").exists()

    rows = json.loads(robot_env.cli("status", "--period", "annual-2026", "--json").stdout)
    assert next(r for r in rows if r["unit_code"] == school.code)["version"] == 3


def test_database_and_archive_are_private_to_the_service_user(tmp_path, mailbox, smtp_server, school):
    # The SQLite file's mode is the robot's to set (a PostgreSQL server keeps its own files).
    env = write_config(tmp_path / "private", mailbox, smtp_server,
                       store={"url": "sqlite:///robot.db", "archive_dir": "archive"})
    mailbox.append(mail(school.emails[0], "Báo cáo", []), internaldate=local(2026, 11, 20, 9, 0))
    assert env.cli("poll").exit_code == 0
    config = env.config
    database = env.path.parent / "robot.db"
    assert stat.S_IMODE(database.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(config.archive_dir.stat().st_mode) == 0o700
    for path in config.archive_dir.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
